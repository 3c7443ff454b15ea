"""The round trip on the command line: keys, export, import --dry-run, import, history."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest

import main
from storage import station
from storage.db import open_register
from tests.helpers.registers import CHEAP_HASHER, FakeClock
from tests.helpers.sync import COUNTY_CODE, add_petition, as_head, make_township


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _county_on_disk(county_dir: Path, clock: FakeClock) -> Path:
    """A county office set up in ``county_dir`` (as the GUI's first-run wizard does)."""
    county = open_register(county_dir, clock=clock, password_hasher=CHEAP_HASHER)
    station.set_up_station(county, name="姑苏区信访局", short_name="姑苏", code=COUNTY_CODE,
                           kind="county", office_name="", phone="", address="", villages=[],
                           head_username="head", head_display_name="审核员",
                           head_password="head-pass-1")
    county.close()
    return county_dir


def _on_disk(tmp_path: Path, clock: FakeClock) -> tuple[Path, Path, Path]:
    """A township with one petition and a county, both on disk, and an empty "stick"."""
    town_dir, stick = tmp_path / "town", tmp_path / "stick"
    stick.mkdir()
    town = as_head(make_township(clock, data_dir=town_dir))
    add_petition(town, random.Random(1), 1)
    town.close()
    return town_dir, _county_on_disk(tmp_path / "county", clock), stick


def test_station_to_county_on_the_command_line(tmp_path: Path, clock: FakeClock,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    town_dir, county_dir, stick = _on_disk(tmp_path, clock)
    keys_dir = tmp_path / "keys"
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
    assert len(list((county_dir / "backups").glob("*before-import.sqlite3.zst"))) == 1
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


@pytest.fixture
def linked(tmp_path: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str],
           monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """(township, county, stick) on disk, keys exchanged on the command line (the county's
    passphrase in the environment); one bundle on the stick."""
    monkeypatch.setenv("PETITIONDESK_PASSPHRASE", "county-pass-1")
    town_dir, county_dir, stick = _on_disk(tmp_path, clock)
    run(capsys, "keys", "create-county", "--data-dir", str(county_dir))
    county_key = json.loads(run(capsys, "keys", "export", "--to", str(tmp_path / "k"),
                                "--data-dir", str(county_dir), "--json")[1])["path"]
    run(capsys, "keys", "create-signing", "--data-dir", str(town_dir))
    run(capsys, "keys", "load-county", county_key, "--data-dir", str(town_dir))
    town_key = json.loads(run(capsys, "keys", "export", "--to", str(tmp_path / "k"),
                              "--data-dir", str(town_dir), "--json")[1])["path"]
    run(capsys, "keys", "register", town_key, "--data-dir", str(county_dir))
    assert run(capsys, "export", "--month", "2026-02", "--to", str(stick), "--data-dir",
               str(town_dir))[0] == 0
    return town_dir, county_dir, stick


def test_a_receipt_that_cannot_be_written_is_refused_before_importing(
        linked: tuple[Path, Path, Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    _town, county_dir, stick = linked
    db = county_dir / "register.sqlite3"
    before = db.read_bytes()
    code, out, err = run(capsys, "import", str(stick), "--receipt-to", str(stick),
                         "--data-dir", str(county_dir))
    assert code == 1 and "keys create-signing" in err and out == ""
    assert db.read_bytes() == before  # nothing imported
    assert not (county_dir / "backups").exists() or not any((county_dir / "backups").iterdir())
    run(capsys, "keys", "create-signing", "--data-dir", str(county_dir))
    code, out, err = run(capsys, "import", str(stick), "--receipt-to", str(stick),
                         "--data-dir", str(county_dir), "--json")
    assert code == 0, err
    assert len(json.loads(out)["receipts"]) == 1


def test_receipts_signed_by_a_county_key_not_loaded_are_reported(
        linked: tuple[Path, Path, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    town_dir, county_dir, stick = linked
    run(capsys, "keys", "create-signing", "--data-dir", str(county_dir))  # after the station
    assert run(capsys, "import", str(stick), "--receipt-to", str(stick), "--data-dir",
               str(county_dir))[0] == 0
    code, out, err = run(capsys, "export", "--month", "2026-03", "--to", str(stick),
                         "--data-dir", str(town_dir), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["confirmed_by_receipt"] == 0 and result["unverified_receipts"] == 1
    # the county's new key file has the same receiving key: loading it is an update
    new_key = json.loads(run(capsys, "keys", "export", "--to", str(tmp_path / "k2"),
                             "--data-dir", str(county_dir), "--json")[1])["path"]
    assert run(capsys, "keys", "load-county", new_key, "--data-dir", str(town_dir))[0] == 0
    code, out, err = run(capsys, "export", "--month", "2026-03", "--to", str(stick),
                         "--data-dir", str(town_dir), "--json")
    assert json.loads(out)["confirmed_by_receipt"] == 1


def test_plain_errors_for_missing_things(tmp_path: Path, clock: FakeClock,
                                         capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    typo = tmp_path / "no-such-register"
    code, _out, err = run(capsys, "keys", "show", "--data-dir", str(typo))
    assert code == 1 and "还没有设置好的登记库" in err
    assert not typo.exists()  # a mistyped folder is not created
    monkeypatch.delenv("PETITIONDESK_PASSPHRASE", raising=False)
    county_dir, stick = _county_on_disk(tmp_path / "c", clock), tmp_path / "no-stick"
    code, out, err = run(capsys, "keys", "show", "--data-dir", str(county_dir))
    assert code == 0 and "还没有密钥" in out and "指纹：" not in out
    code, _out, err = run(capsys, "keys", "create-county", "--passphrase-file",
                          str(tmp_path / "nofile.txt"), "--data-dir", str(county_dir))
    assert code == 1 and "无法读取口令文件" in err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal
    code, _out, err = run(capsys, "keys", "create-county", "--data-dir", str(county_dir))
    assert code == 1 and "PETITIONDESK_PASSPHRASE" in err
    code, _out, err = run(capsys, "import", str(stick), "--data-dir", str(county_dir))
    assert code == 1 and "找不到" in err


def test_an_unknown_station_code_is_refused(
        linked: tuple[Path, Path, Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    town_dir, county_dir, stick = linked
    assert run(capsys, "import", str(stick), "--data-dir", str(county_dir))[0] == 0
    code, out, _ = run(capsys, "cases", "--station", "320508102000", "--data-dir",
                       str(county_dir), "--json")
    assert code == 0 and len(json.loads(out)) == 1
    for command in ("cases", "mediations", "screenings"):
        code, _out, err = run(capsys, command, "--station", "999", "--data-dir", str(county_dir))
        assert code == 1 and "999" in err, command
    code, _out, err = run(capsys, "cases", "--station", "320508102000", "--data-dir",
                          str(town_dir))
    assert code == 1 and "县级" in err


def test_the_county_prints_a_townships_month_report(
        linked: tuple[Path, Path, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    import pypdf

    _town, county_dir, stick = linked
    assert run(capsys, "import", str(stick), "--data-dir", str(county_dir))[0] == 0
    out = tmp_path / "report.pdf"
    code, _out, err = run(capsys, "print", "monthly-report", "--month", "2026-03", "--out",
                          str(out), "--data-dir", str(county_dir))
    assert code == 1 and "--station" in err and not out.exists()
    code, _out, err = run(capsys, "print", "monthly-report", "--month", "2026-03", "--out",
                          str(out), "--station", "320508102000", "--data-dir", str(county_dir))
    assert code == 0, err
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    assert "花园镇" in text and "320508102000" in text
