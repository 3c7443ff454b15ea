"""An export larger than one bundle goes as numbered parts, each a whole bundle (signed, chained,
verified alone): the county takes them in any order, and refuses plainly — importing none of
them — while a part is missing."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import audit
from storage.register import Register
from storage.sync import export, fileformat, segments
from tests.helpers.registers import FakeClock
from tests.helpers.sync import (
    add_petition,
    import_files,
    linked,
    unlock,
)


@pytest.fixture
def pair(clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Register, Register]]:
    monkeypatch.setattr(export, "PART_ENTRIES", 40)
    with linked(clock) as (t, c):
        rng = random.Random(3)
        for i in range(25):
            add_petition(t, rng, i + 1)
        yield t, c


def export_parts(t: Register, tmp_path: Path) -> list[Path]:
    stick = tmp_path / "stick"
    stick.mkdir(exist_ok=True)
    result = export.export(t, "2026-02", stick, tmp_path / "outbox", include_unconfirmed=False)
    return sorted(result.written)


def manifest(path: Path) -> dict[str, object]:
    return fileformat.unpack(path.read_bytes()).manifest


def test_a_large_export_is_made_in_numbered_parts(pair: tuple[Register, Register],
                                                  tmp_path: Path) -> None:
    t, _c = pair
    parts = export_parts(t, tmp_path)
    entries = t.scalar("SELECT count(*) FROM audit_log")
    assert len(parts) == -(-entries // 40) >= 3
    assert [manifest(p)["part"] for p in parts] == [
        {"index": i, "of": len(parts)} for i in range(1, len(parts) + 1)]
    assert [manifest(p)["seq"] for p in parts] == list(range(1, len(parts) + 1))
    # each part continues the chain where the one before ended
    for before, after in zip(parts, parts[1:], strict=False):
        assert manifest(after)["audit"]["from"] == manifest(before)["audit"]["head"]  # type: ignore[index]
    assert manifest(parts[-1])["audit"]["head"] == audit.head(t.conn, t.station_code)  # type: ignore[index]


def test_the_county_takes_the_parts_in_any_order(pair: tuple[Register, Register],
                                                 tmp_path: Path) -> None:
    t, c = pair
    parts = export_parts(t, tmp_path)
    reports = import_files(c, list(reversed(parts)), unlock(c))
    assert {r.status for r in reports} == {"imported"}
    for table in ("petitioners", "matters", "matter_petitioners", "matter_events"):
        assert c.rows(f"SELECT * FROM {table} WHERE station_code = ? ORDER BY id",
                      (t.station_code,)) == t.rows(f"SELECT * FROM {table} ORDER BY id"), table
    assert segments.verify(c, t.station_code).ok
    assert segments.head(c, t.station_code) == audit.head(t.conn, t.station_code)


def test_a_missing_part_is_refused_plainly_and_nothing_is_imported(
        pair: tuple[Register, Register], tmp_path: Path) -> None:
    t, c = pair
    parts = export_parts(t, tmp_path)
    without_second = [p for i, p in enumerate(parts) if i != 1]
    reports = import_files(c, without_second, unlock(c))
    assert {r.status for r in reports} == {"refused"}
    assert all("缺少第2部分" in r.message for r in reports)
    assert c.scalar("SELECT count(*) FROM matters") == 0
    # the missing part on its own is refused too; all of them together are taken
    assert import_files(c, [parts[1]], unlock(c))[0].status == "refused"
    assert {r.status for r in import_files(c, parts, unlock(c))} == {"imported"}
    assert c.scalar("SELECT count(*) FROM matters") == 25


def test_each_part_is_verified_alone(pair: tuple[Register, Register], tmp_path: Path) -> None:
    t, c = pair
    parts = export_parts(t, tmp_path)
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    for p in parts:
        shutil.copy(p, damaged / p.name)
    target = damaged / parts[0].name
    data = bytearray(target.read_bytes())
    data[-10] ^= 0xFF
    target.write_bytes(bytes(data))
    reports = import_files(c, sorted(damaged.iterdir()), unlock(c))
    assert {r.status for r in reports} == {"refused"}
    assert c.scalar("SELECT count(*) FROM matters") == 0


def test_a_small_export_is_one_bundle_as_before(clock: FakeClock, tmp_path: Path) -> None:
    with linked(clock) as (t, _county):
        add_petition(t, random.Random(1), 1)
        [path] = export_parts(t, tmp_path)
    assert "part" not in manifest(path)
