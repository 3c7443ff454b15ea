"""Recovery (issue 14 findings 1, 2, 5; issue 17 "open in constant time", "backups that scale"):
restore from any damaged state by renaming aside, never initialising a damaged or foreign file,
the folder lock, backups with checksummed sidecars, rotation, sweeping leftovers."""

from __future__ import annotations

import errno
import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from storage import backup, datalock, health, restore
from storage.datalock import RegisterInUse
from storage.db import DB_NAME, open_register
from storage.errors import KnownStorageError
from storage.regfile import APPLICATION_ID, DamagedRegisterError, ForeignFileError
from tests.helpers.recovery import KINDS, copy_demo, damage, demo_register, foreign_database
from tests.helpers.registers import CHEAP_HASHER, set_up

__all__ = ["demo_register"]  # the session fixture, imported for pytest


def matters_in(data: Path) -> int:
    reg = open_register(data, password_hasher=CHEAP_HASHER)
    try:
        return int(reg.scalar("SELECT count(*) FROM matters"))
    finally:
        reg.close()


def take(data: Path, reason: str = "daily") -> Path:
    return backup.make_backup(data / DB_NAME, data, reason=reason)


# ----- a damaged or foreign file is refused, never initialised ---------------------------------

@pytest.mark.parametrize("how", KINDS)
def test_a_damaged_register_is_refused_and_left_as_it_was(tmp_path: Path, demo_register: Path,
                                                          how: str) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    damage(live, how)
    before = live.read_bytes()
    with pytest.raises(DamagedRegisterError):
        open_register(data, password_hasher=CHEAP_HASHER)
    assert live.read_bytes() == before
    assert not Path(f"{live}-wal").exists()


def test_a_foreign_database_is_refused_and_gets_no_tables(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    foreign_database(data / DB_NAME)
    before = (data / DB_NAME).read_bytes()
    with pytest.raises(ForeignFileError, match="不是信访工作台的登记库"):
        open_register(data, password_hasher=CHEAP_HASHER)
    assert (data / DB_NAME).read_bytes() == before
    conn = sqlite3.connect(data / DB_NAME)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["moz_places"]
    conn.close()


def test_only_a_missing_file_becomes_a_new_register(tmp_path: Path) -> None:
    data = tmp_path / "data"
    reg = open_register(data, password_hasher=CHEAP_HASHER)
    try:
        assert reg.scalar("PRAGMA application_id") == APPLICATION_ID
        assert not reg.is_set_up
    finally:
        reg.close()
    assert sorted(p.name for p in data.iterdir()) == sorted([DB_NAME, datalock.REGISTER_LOCK])


def test_a_register_from_before_the_application_id_still_opens(tmp_path: Path,
                                                               demo_register: Path) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    conn = sqlite3.connect(live)
    conn.execute("PRAGMA application_id = 0")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_recovery_application_id'")
    conn.commit()
    conn.close()
    assert matters_in(data) == 200
    reg = open_register(data, password_hasher=CHEAP_HASHER)
    assert reg.scalar("PRAGMA application_id") == APPLICATION_ID
    reg.close()


# ----- open in constant time -------------------------------------------------------------------

def test_opening_runs_no_quick_check_unless_the_last_process_crashed(
        tmp_path: Path, demo_register: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    calls: list[Path] = []
    real = health.quick_check
    monkeypatch.setattr(health, "quick_check", lambda p, **kw: calls.append(p) or real(p, **kw))
    open_register(data, password_hasher=CHEAP_HASHER).close()
    assert calls == []
    # a process killed with the register open leaves its write-ahead log behind
    wal = Path(f"{live}-wal")
    wal.write_bytes(b"\0" * 32)
    open_register(data, password_hasher=CHEAP_HASHER).close()
    assert calls == [live]
    calls.clear()
    open_register(data, password_hasher=CHEAP_HASHER).close()
    assert calls == []


def test_damage_found_in_the_background_is_checked_again_at_the_next_start(
        tmp_path: Path, demo_register: Path) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    # a damaged page in the middle of the file: the header is fine, quick_check is not
    page = 4096
    with open(live, "r+b") as f:
        f.seek(page * 300)
        f.write(b"\xff" * page)
    open_register(data, password_hasher=CHEAP_HASHER).close()  # opens: constant time
    problem = health.quick_check(live)
    assert problem is not None
    health.mark_failed(data, problem)
    with pytest.raises(DamagedRegisterError):
        open_register(data, password_hasher=CHEAP_HASHER)


# ----- restore ---------------------------------------------------------------------------------

@pytest.mark.parametrize("how", KINDS)
def test_restore_works_on_every_kind_of_damage(tmp_path: Path, demo_register: Path,
                                               how: str) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    taken = take(data)
    damage(live, how)
    damaged = live.read_bytes()
    result = restore.restore(taken, data)
    assert matters_in(data) == 200
    assert result.counts["matters"] == 200 and result.checksum_verified
    text = result.summary()
    assert result.taken_at is not None
    assert result.taken_at.strftime("%Y-%m-%d %H:%M") in text and "信访件200件" in text
    if how == "empty":  # nothing worth keeping; no 0-byte leftovers anywhere
        assert result.set_aside is None
    else:
        assert result.set_aside is not None
        assert (result.set_aside / DB_NAME).read_bytes() == damaged
    assert [p for p in data.rglob("*") if p.is_file() and p.stat().st_size == 0
            and p.name != datalock.REGISTER_LOCK] == []
    assert not list(data.glob("*part*")) and not (data / restore.JOURNAL).exists()


@pytest.mark.parametrize("reason", ["daily", "before-import", "before-migration", "manual"])
def test_restore_from_each_kind_of_backup(tmp_path: Path, demo_register: Path,
                                          reason: str) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    if reason == "before-import":
        taken = backup.once_a_day(live, data, reason=reason)
    else:
        reg = open_register(data, password_hasher=CHEAP_HASHER)
        taken = backup.make_backup(reg.conn, data, reason=reason)  # as migrate() does
        reg.close()
    assert taken is not None
    damage(live, "truncate")
    result = restore.restore(taken, data)
    assert result.reason == reason and matters_in(data) == 200


def test_restore_sets_the_old_log_aside_so_it_is_never_replayed(tmp_path: Path,
                                                                demo_register: Path) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    taken = take(data)
    conn = sqlite3.connect(live)  # a crashed writer: its log stays behind
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE matters SET summary = 'after the backup'")
    conn.commit()
    wal = Path(f"{live}-wal").read_bytes()
    result = restore.restore(taken, data)
    conn.close()  # (closing now would checkpoint into whatever is there: it must not matter)
    reg = open_register(data, password_hasher=CHEAP_HASHER)
    try:
        assert reg.scalar("SELECT count(*) FROM matters WHERE summary = 'after the backup'") == 0
    finally:
        reg.close()
    assert result.set_aside is not None
    assert (result.set_aside / f"{DB_NAME}-wal").read_bytes()[:32] == wal[:32]


def test_restore_is_refused_while_the_register_is_open(tmp_path: Path,
                                                       demo_register: Path) -> None:
    data = tmp_path / "data"
    copy_demo(demo_register, data)
    taken = take(data)
    reg = open_register(data, password_hasher=CHEAP_HASHER)
    before = (data / DB_NAME).read_bytes()
    with pytest.raises(RegisterInUse, match="正在使用"):
        restore.restore(taken, data)
    reg.close()
    assert (data / DB_NAME).read_bytes() == before
    assert not (data / restore.SET_ASIDE).exists()
    restore.restore(taken, data)  # closed: allowed


def test_a_flipped_byte_in_a_backup_is_refused_by_restore_and_reported(
        tmp_path: Path, demo_register: Path) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    taken = take(data)
    raw = bytearray(taken.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    taken.write_bytes(bytes(raw))
    before = live.read_bytes()
    with pytest.raises(KnownStorageError, match="校验值对不上"):
        restore.restore(taken, data)
    assert live.read_bytes() == before and not list(data.glob("*part*"))
    with pytest.raises(KnownStorageError):
        backup.check_file(taken)


def test_an_old_backup_without_a_sidecar_still_restores(tmp_path: Path,
                                                        demo_register: Path) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    (data / "backups").mkdir()
    old = data / "backups" / "register-20260101-080000-000000-daily.sqlite3"
    old.write_bytes(live.read_bytes())
    damage(live, "truncate")
    result = restore.restore(old, data)
    assert not result.checksum_verified and result.counts["matters"] == 200
    assert "旧格式" in result.summary()
    assert matters_in(data) == 200


def test_an_interrupted_restore_is_finished_by_the_next_start(
        tmp_path: Path, demo_register: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    taken = take(data)
    damage(live, "truncate")
    real_replace = restore.os.replace

    def killed(src: object, dst: object) -> None:
        if str(src).endswith(restore.PART_SUFFIX):
            raise KeyboardInterrupt  # stands in for a kill between the steps
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(restore.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        restore.restore(taken, data)
    monkeypatch.undo()
    assert (data / restore.JOURNAL).exists()
    assert matters_in(data) == 200  # the next open finishes it first
    assert not (data / restore.JOURNAL).exists() and not list(data.glob("*part*"))


# ----- backups ---------------------------------------------------------------------------------

def test_a_backup_has_a_sidecar_with_checksums_and_counts(tmp_path: Path,
                                                         demo_register: Path) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    taken = take(data)
    meta = json.loads(backup.sidecar_path(taken).read_text(encoding="utf-8"))
    assert meta["counts"]["matters"] == 200 and meta["quick_check"] == "ok"
    assert len(meta["sha256"]) == 64 and meta["size"] == taken.stat().st_size
    assert meta["reason"] == "daily" and meta["app_version"] and meta["schema_version"] >= 8
    assert taken.stat().st_size < live.stat().st_size / 3  # compressed
    backup.check_file(taken)


@pytest.mark.slow
def test_every_byte_flip_of_a_small_backup_is_detected(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_register(data, password_hasher=CHEAP_HASHER).close()
    taken = take(data)
    good = taken.read_bytes()
    side = backup.sidecar_path(taken)
    side_good = side.read_bytes()
    missed = []
    for i in range(len(good)):
        flipped = bytearray(good)
        flipped[i] ^= 0xFF
        taken.write_bytes(bytes(flipped))
        try:
            backup.check_file(taken)
            missed.append(i)
        except KnownStorageError:
            pass
    taken.write_bytes(good)
    for i in range(len(side_good)):
        flipped = bytearray(side_good)
        flipped[i] ^= 0xFF
        side.write_bytes(bytes(flipped))
        try:
            backup.check_file(taken)
            missed.append(-i)
        except KnownStorageError:
            pass
    assert missed == []
    assert len(good) > 1000


def test_a_full_disk_leaves_no_part_of_a_backup(tmp_path: Path, demo_register: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    copy_demo(demo_register, data)

    def full(*_args: object, **_kw: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "_write_sidecar", full)
    with pytest.raises(KnownStorageError, match="磁盘空间不足") as caught:
        take(data)
    assert "\n" not in str(caught.value)
    assert list((data / "backups").iterdir()) == []


def test_leftovers_of_a_killed_backup_are_swept_at_the_next_start(tmp_path: Path,
                                                                  demo_register: Path) -> None:
    data = tmp_path / "data"
    copy_demo(demo_register, data)
    kept = take(data)
    folder = data / "backups"
    leftovers = [folder / "register-20260101-080000-000000-daily.sqlite3.zst.part",
                 folder / "register-20260101-080000-000000-daily.sqlite3.zst.raw.part",
                 folder / "register-20260102-080000-000000-daily.sqlite3.zst",  # no sidecar
                 folder / "replaced-20260101-080000.sqlite3",  # 0 bytes, from an old restore
                 data / f"{DB_NAME}.restore-part", data / f"{DB_NAME}.new-part-99",
                 data / "audit-head.json.part"]
    other = open_register(data, password_hasher=CHEAP_HASHER)  # someone has it open: no sweep
    for f in leftovers:
        f.write_bytes(b"" if f.name.startswith("replaced-") else b"x" * 10)
    open_register(data, password_hasher=CHEAP_HASHER).close()
    assert all(f.exists() for f in leftovers)
    other.close()
    open_register(data, password_hasher=CHEAP_HASHER).close()
    assert not any(f.exists() for f in leftovers)
    assert kept.exists() and backup.sidecar_path(kept).exists()


def _fake(folder: Path, when: datetime, reason: str, size: int = 100) -> Path:
    name = f"register-{when:%Y%m%d-%H%M%S-%f}-{reason}{backup.SUFFIX}"
    (folder / name).write_bytes(b"z" * size)
    backup.sidecar_path(folder / name).write_text("{}", encoding="utf-8")
    return folder / name


def test_rotation_keeps_days_weeks_months_and_a_few_of_each_event(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    start = datetime(2026, 1, 1, 8)
    for day in range(400):
        _fake(folder, start + timedelta(days=day), "daily")
    for n in range(10):
        _fake(folder, start + timedelta(days=n, hours=3), "before-import")
    backup.rotate(folder, register_size=10 << 20)
    kept = backup.list_in(folder)
    daily = [b for b in kept if b.reason == "daily"]
    assert len({b.taken_at.date() for b in daily}) == len(daily)
    assert 7 + 3 <= len(daily) <= backup.KEEP_DAYS + backup.KEEP_WEEKS + backup.KEEP_MONTHS
    assert daily[0].taken_at == start + timedelta(days=399)
    assert len([b for b in kept if b.reason == "before-import"]) == 3
    assert not [p for p in folder.glob("*.json") if not p.with_name(
        p.name[:-5] + backup.SUFFIX).exists()]


def test_rotation_keeps_the_total_within_a_multiple_of_the_register(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    big = backup.BUDGET_FLOOR // 4
    for day in range(20):
        _fake(folder, datetime(2026, 1, 1) + timedelta(days=day), "daily", size=big)
    backup.rotate(folder, register_size=1000)
    kept = backup.list_in(folder)
    assert sum(b.size for b in kept) <= backup.BUDGET_FLOOR
    assert kept[0].taken_at == datetime(2026, 1, 20)  # the newest is always kept


def test_the_before_import_backup_is_taken_once_a_day(tmp_path: Path) -> None:
    data = tmp_path / "data"
    set_up(open_register(data, password_hasher=CHEAP_HASHER)).close()
    first = backup.once_a_day(data / DB_NAME, data, reason="before-import")
    assert first is not None
    assert backup.once_a_day(data / DB_NAME, data, reason="before-import") is None
    assert len(backup.list_backups(data)) == 1
