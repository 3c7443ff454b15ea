"""Every storage failure in plain words (issue 14, finding 4): a full disk, a locked register, a
read-only file system — one ``KnownStorageError`` naming what to do, nothing saved by halves.
Disk-full tests run on a tmpfs of a few megabytes (tests/helpers/smalldisk.py; skipped where
it cannot be mounted)."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from storage import accounts, audit, drafts
from storage.db import open_register
from storage.errors import KnownStorageError, plain_storage_errors, storage_failure
from storage.register import Register
from tests.helpers import register_data as rd
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up
from tests.helpers.smalldisk import fill, leftovers, remount_read_only, small_disk


@pytest.mark.parametrize(("exc", "words"), [
    (OSError(errno.ENOSPC, "No space left on device", "/media/u/x"), "磁盘已满"),
    (OSError(errno.EROFS, "Read-only file system", "/media/u"), "只读"),
    (OSError(errno.EACCES, "Permission denied", "/srv/x"), "没有权限"),
    (OSError(errno.EIO, "Input/output error", "/dev/sdb"), "故障"),
    (sqlite3.OperationalError("database or disk is full"), "磁盘已满"),
    (sqlite3.OperationalError("database is locked"), "另一个程序占用"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "只读"),
    (sqlite3.OperationalError("disk I/O error"), "故障"),
    (sqlite3.DatabaseError("database disk image is malformed"), "恢复备份"),
])
def test_each_failure_has_its_plain_words(exc: BaseException, words: str) -> None:
    known = storage_failure(exc)
    assert isinstance(known, KnownStorageError) and words in known.user_text()
    assert "\n" not in known.user_text()


def test_a_bug_is_not_dressed_up_as_a_disk_failure() -> None:
    assert storage_failure(sqlite3.OperationalError("no such table: matterz")) is None
    assert storage_failure(sqlite3.IntegrityError("UNIQUE constraint failed")) is None
    with pytest.raises(sqlite3.OperationalError), plain_storage_errors():
        raise sqlite3.OperationalError("no such column: x")


@pytest.fixture
def on_small_disk(tmp_path: Path) -> Iterator[tuple[Register, Path]]:
    """A set-up register on a 4 MB file system of its own."""
    with small_disk(tmp_path / "disk", "4m") as disk:
        reg = set_up(open_register(disk / "data", clock=FakeClock(),
                                   password_hasher=CHEAP_HASHER))
        rd.register(reg, date(2026, 3, 2))
        reg.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the WAL must grow to write
        try:
            yield reg, disk
        finally:
            reg.close()


def _counts(reg: Register) -> tuple[int, int]:
    return (int(reg.scalar("SELECT count(*) FROM matters")),
            int(reg.scalar("SELECT count(*) FROM audit_log")))


def test_a_save_on_a_full_disk_is_refused_plainly_and_saves_nothing(
        on_small_disk: tuple[Register, Path]) -> None:
    reg, disk = on_small_disk
    before = _counts(reg)
    filler = fill(disk)
    with pytest.raises(KnownStorageError, match="磁盘已满"):
        rd.register(reg, date(2026, 3, 1), summary="磁盘满时登记的一件")
    with pytest.raises(KnownStorageError, match="磁盘已满"):
        drafts.save(reg, "registration:clerk", {"name": "x" * 200_000})
    filler.unlink()
    assert _counts(reg) == before  # the matter, its petitioner and audit entries: all or none
    assert audit.verify(reg.conn).ok
    assert drafts.load(reg, "registration:clerk") is None
    rd.register(reg, date(2026, 3, 1))  # with room again, the same action goes through
    assert _counts(reg)[0] == before[0] + 1
    assert leftovers(disk) == []


def test_a_locked_register_is_refused_plainly_after_the_busy_timeout(
        file_reg: Register) -> None:
    assert file_reg.path is not None
    other = sqlite3.connect(file_reg.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    file_reg.conn.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(KnownStorageError, match="另一个程序占用"):
            rd.register(file_reg, date(2026, 3, 2))
    finally:
        other.execute("ROLLBACK")
        other.close()
    rd.register(file_reg, date(2026, 3, 2))


def test_a_read_only_file_system_is_refused_plainly(tmp_path: Path) -> None:
    """The register's stick or share turned read-only (a write-protect switch, a remount)."""
    with small_disk(tmp_path / "disk", "4m") as disk:
        reg = set_up(open_register(disk / "data", clock=FakeClock(),
                                   password_hasher=CHEAP_HASHER))
        before = _counts(reg)
        reg.close()
        remount_read_only(disk)
        with pytest.raises(KnownStorageError, match="只读|无法打开|故障"):
            reg = open_register(disk / "data", clock=FakeClock(),
                                password_hasher=CHEAP_HASHER)
            try:
                accounts.authenticate(reg, "clerk", "clerk-pass-1")
                rd.register(reg, date(2026, 3, 1))
            finally:
                assert _counts(reg) == before
                reg.close()


def test_opening_a_register_on_a_full_disk_names_the_problem(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "1m") as disk:
        fill(disk)
        with pytest.raises(KnownStorageError):
            open_register(disk / "data", clock=FakeClock(), password_hasher=CHEAP_HASHER)
