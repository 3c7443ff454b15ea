"""Receipts after an import (``receipts.write_after_import``): the one rule the command line
and the import tab share — one signed receipt per station whose bundles the county holds."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from storage.errors import BundleError
from storage.register import Register
from storage.sync import keys, receipts
from storage.sync.importer import BundleReport
from tests.helpers.registers import FakeClock
from tests.helpers.sync import (
    add_petition,
    as_head,
    export_to,
    import_files,
    link,
    make_county,
    make_township,
    unlock,
)

HUAYUAN, SHIQIAO = "320508102000", "320508103000"


@pytest.fixture
def county(clock: FakeClock):  # type: ignore[no-untyped-def]
    reg = make_county(clock)
    yield reg
    reg.close()


def township_on_stick(clock: FakeClock, county: Register, code: str, stick: Path, outbox: Path,
                      *, registered: bool = True) -> Register:
    """A township with one bundle on ``stick``; unless ``registered``, the county never took
    its key file (so the county refuses its bundle)."""
    town = make_township(clock, code)
    if registered:
        link(town, county)
    else:
        as_head(town)
        keys.create_signing_key(town)
        county_file = json.dumps(keys.own_key_file(county).to_json()).encode("utf-8")
        keys.load_upstream(town, keys.parse_key_file(county_file))
    add_petition(town, random.Random(code), 1)
    export_to(town, "2026-02", stick, outbox)
    return town


def by_station(reports: list[BundleReport]) -> dict[str, str]:
    """Status by the station code the file is named after (a refused bundle of an unknown
    station has no sender)."""
    return {r.file_name.split("-")[0]: r.status for r in reports}


def test_one_receipt_per_station_whose_bundles_the_county_holds(
        county: Register, clock: FakeClock, tmp_path: Path) -> None:
    keys.create_signing_key(county)  # before the townships load its key file
    stick = tmp_path / "stick"
    stick.mkdir()
    huayuan = township_on_stick(clock, county, HUAYUAN, stick, tmp_path / "outbox-h")
    shiqiao = township_on_stick(clock, county, SHIQIAO, stick, tmp_path / "outbox-s",
                                registered=False)

    dry = import_files(county, [stick], unlock(county), dry_run=True)
    assert sorted(r.status for r in dry) == ["ready", "refused"]
    nothing = receipts.write_after_import(county, dry, stick)
    assert nothing.paths == [] and nothing.error is None  # a dry run holds nothing yet

    reports = import_files(county, [stick], unlock(county))
    assert by_station(reports) == {HUAYUAN: "imported", SHIQIAO: "refused"}
    written = receipts.write_after_import(county, reports, stick)
    assert written.error is None
    assert [p.name.split("-receipt-")[0] for p in written.paths] == [HUAYUAN]
    assert sorted(stick.glob("*.pdrcpt")) == written.paths
    # the receipt is one the station accepts: it confirms the bundle it lists
    result = receipts.apply_receipts(huayuan, stick, tmp_path / "outbox-h")
    assert (result.files, result.confirmed, result.unverified) == (1, 1, 0)
    assert receipts.apply_receipts(shiqiao, stick, tmp_path / "outbox-s").confirmed == 0

    # the same stick again: 'already imported' still earns the station its receipt
    clock.advance(minutes=5)
    again = import_files(county, [stick], unlock(county))
    assert by_station(again) == {HUAYUAN: "already", SHIQIAO: "refused"}
    second = receipts.write_after_import(county, again, stick)
    assert len(second.paths) == 1 and second.paths[0] not in written.paths
    huayuan.close()
    shiqiao.close()


def test_a_refusal_ends_the_writing_and_is_returned_not_raised(
        county: Register, clock: FakeClock, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    towns = [township_on_stick(clock, county, code, stick, tmp_path / f"outbox-{code}")
             for code in (HUAYUAN, SHIQIAO)]
    reports = import_files(county, [stick], unlock(county))
    assert [r.status for r in reports] == ["imported", "imported"]

    no_key = receipts.write_after_import(county, reports, stick)  # no signing key yet
    assert no_key.paths == [] and isinstance(no_key.error, BundleError)
    assert "签名密钥" in no_key.error.user_text()
    assert list(stick.glob("*.pdrcpt")) == []
    keys.create_signing_key(county)
    # a different file already where Shiqiao's receipt would go: Huayuan's stays written
    stamp = county.now().replace("-", "").replace(":", "").replace("T", "")
    (stick / f"{SHIQIAO}-receipt-{stamp}.pdrcpt").write_bytes(b"something else")
    partly = receipts.write_after_import(county, reports, stick)
    assert [p.name for p in partly.paths] == [f"{HUAYUAN}-receipt-{stamp}.pdrcpt"]
    assert isinstance(partly.error, BundleError) and "没有覆盖" in partly.error.user_text()
    for town in towns:
        town.close()
