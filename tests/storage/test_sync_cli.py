"""The round trip on the command line: keys, export, import --dry-run, import, history."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import main
from storage import station
from storage.db import open_register
from tests.conftest import FakeClock
from tests.storage.sync_support import COUNTY_CODE, add_petition, as_head, make_township


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_station_to_county_on_the_command_line(tmp_path: Path, clock: FakeClock,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    town_dir, county_dir = tmp_path / "town", tmp_path / "county"
    stick, keys_dir = tmp_path / "stick", tmp_path / "keys"
    stick.mkdir()
    town = as_head(make_township(clock, data_dir=town_dir))
    add_petition(town, random.Random(1), 1)
    town.close()
    county = open_register(county_dir, clock=clock)
    station.set_up_station(county, name="姑苏区信访局", short_name="姑苏", code=COUNTY_CODE,
                           kind="county", office_name="", phone="", address="", villages=[],
                           head_username="head", head_display_name="审核员",
                           head_password="head-pass-1")
    county.close()
    monkeypatch.setenv("PETITIONDESK_PASSPHRASE", "county-pass-1")

    assert run(capsys, "keys", "create-county", "--data-dir", str(county_dir))[0] == 0
    code, out, _ = run(capsys, "keys", "export", "--to", str(keys_dir), "--data-dir",
                       str(county_dir), "--json")
    county_key = json.loads(out)["path"]
    assert run(capsys, "keys", "create-signing", "--data-dir", str(town_dir))[0] == 0
    assert run(capsys, "keys", "load-county", county_key, "--data-dir", str(town_dir))[0] == 0
    code, out, _ = run(capsys, "keys", "export", "--to", str(keys_dir), "--data-dir",
                       str(town_dir), "--json")
    town_key = json.loads(out)["path"]
    code, out, _ = run(capsys, "keys", "register", town_key, "--data-dir", str(county_dir))
    assert code == 0 and "花园镇" in out

    code, out, err = run(capsys, "export", "--month", "2026-02", "--to", str(stick),
                         "--data-dir", str(town_dir))
    assert code == 0, err
    assert out.strip() == str(stick / "320508102000-202602-001.pdsync")

    code, out, err = run(capsys, "import", str(stick), "--dry-run", "--data-dir",
                         str(county_dir), "--json")
    assert code == 0, err
    dry = json.loads(out)["bundles"]
    assert [b["status"] for b in dry] == ["ready"] and dry[0]["counts"]["matters"]["created"] == 1
    code, out, err = run(capsys, "import", str(stick), "--data-dir", str(county_dir))
    assert code == 0 and "已导入" in out, err
    assert len(list((county_dir / "backups").glob("*before-import*"))) == 1
    code, out, _ = run(capsys, "import", str(stick), "--data-dir", str(county_dir))
    assert code == 0 and "未改动" in out

    damaged = stick / "320508102000-202602-001.pdsync"
    data = bytearray(damaged.read_bytes())
    data[-5] ^= 0xFF
    bad = tmp_path / "bad.pdsync"
    bad.write_bytes(bytes(data))
    code, out, _ = run(capsys, "import", str(bad), "--data-dir", str(county_dir))
    assert code == 1 and "已拒收" in out

    code, out, _ = run(capsys, "sync-history", "--data-dir", str(county_dir), "--json")
    [h] = json.loads(out)
    assert h["sender"] == "320508102000" and [b["seq"] for b in h["bundles"]] == [1]

    monkeypatch.setenv("PETITIONDESK_PASSPHRASE", "wrong-passphrase")
    code, _out, err = run(capsys, "import", str(stick), "--data-dir", str(county_dir))
    assert code == 1 and "口令不对" in err
