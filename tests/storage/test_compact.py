"""整理登记库 (storage/compact.py): the register written again, compact — every record, the audit
chain and its anchor as they were, the free pages given back — and every way it can be refused
(in use, no room, cancelled, damaged, foreign, a copy that differs) changing nothing."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from storage import anchor, backup, compact, integrity
from storage.datalock import RegisterInUse
from storage.db import DB_NAME, open_register
from storage.errors import Cancelled, KnownStorageError
from storage.regfile import DamagedRegisterError, ForeignFileError, read_only_uri
from tests.helpers.recovery import copy_demo, damage, demo_register, foreign_database
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up

__all__ = ["demo_register"]


def _scattered(data: Path, demo_file: Path) -> Path:
    """A copy of the demo register with its anchor, and 4 MB of pages left free inside it (what
    a migration that rewrote a table, or deletions, leave)."""
    live = copy_demo(demo_file, data)
    reg = open_register(data, password_hasher=CHEAP_HASHER)
    try:
        anchor.write(data, reg.station_code, anchor.current(reg.conn, reg.station_code))
    finally:
        reg.close()
    conn = sqlite3.connect(live)
    conn.execute("CREATE TABLE scratch (b BLOB)")
    conn.executemany("INSERT INTO scratch VALUES (randomblob(4000))", [()] * 1000)
    conn.commit()
    conn.execute("DROP TABLE scratch")
    conn.commit()
    conn.close()
    return live


def _state(live: Path) -> dict[str, Any]:
    conn = sqlite3.connect(read_only_uri(live), uri=True)
    try:
        return compact.describe(conn)
    finally:
        conn.close()


def test_compaction_keeps_every_record_and_gives_back_the_free_pages(
        tmp_path: Path, demo_register: Path) -> None:
    data = tmp_path / "data"
    live = _scattered(data, demo_register)
    before, size = _state(live), live.stat().st_size
    conn = sqlite3.connect(live)
    shape = compact.layout(conn)
    conn.close()
    assert shape.free >= 4_000_000

    seen: list[tuple[int, int]] = []
    result = compact.compact(data, progress=lambda done, total: seen.append((done, total)))

    assert _state(live) == before  # every table's records, migrations, application id, head
    assert result.size_before == size and result.size_after == live.stat().st_size
    assert result.size_after <= size - 4_000_000
    assert seen and seen[-1][1] == shape.used and all(d <= t for d, t in seen)
    assert not list(data.glob("*.part"))
    assert "审计链头相同" in result.summary() and "信访件200件" in result.summary()
    backup.make_backup(live, data, reason="manual")  # check counts a register without one
    reg = open_register(data, password_hasher=CHEAP_HASHER)
    try:
        assert reg.scalar("PRAGMA journal_mode") == "wal"
        report = integrity.check(reg, data)  # the anchor beside it still matches the chain
    finally:
        reg.close()
    assert report.ok, report.problems


def test_worth_compacting_from_a_twentieth_of_the_file_and_64_mb_free() -> None:
    mb = 1024 * 1024
    assert not compact.Layout(9 * mb, 5 * mb).worth_compacting  # a small register: never
    assert compact.Layout(9_600 * mb, 8_800 * mb).worth_compacting  # m017 at a million
    assert not compact.Layout(9_600 * mb, 9_500 * mb).worth_compacting  # 1 % free
    assert not compact.Layout(1_000 * mb, 940 * mb).worth_compacting  # 6 %, but under 64 MB


def test_a_log_a_killed_process_left_is_in_the_compact_copy(tmp_path: Path,
                                                            demo_register: Path) -> None:
    """The register's last writes still in its write-ahead log (a power cut before the log was
    folded into the file): compaction reads them, and no log is left to replay later."""
    source = tmp_path / "running"
    live = copy_demo(demo_register, source)
    conn = sqlite3.connect(live)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE matters SET summary = '留在日志里' WHERE rowid = 1")
    conn.commit()
    data = tmp_path / "data"  # the files as the cut left them: the register and its log
    data.mkdir()
    shutil.copyfile(live, data / DB_NAME)
    shutil.copyfile(f"{live}-wal", data / f"{DB_NAME}-wal")
    conn.close()
    assert (data / f"{DB_NAME}-wal").stat().st_size > 0

    compact.compact(data)

    assert not (data / f"{DB_NAME}-wal").exists()
    check = sqlite3.connect(data / DB_NAME)
    try:
        assert check.execute("SELECT summary FROM matters WHERE rowid = 1"
                             ).fetchone()[0] == "留在日志里"
    finally:
        check.close()


def test_refused_while_the_register_is_open(tmp_path: Path, demo_register: Path) -> None:
    data = tmp_path / "data"
    live = _scattered(data, demo_register)
    before = live.read_bytes()
    reg = open_register(data, password_hasher=CHEAP_HASHER)
    try:
        with pytest.raises(RegisterInUse, match="正在使用中"):
            compact.compact(data)
    finally:
        reg.close()
    assert live.read_bytes() == before


def test_refused_without_room_on_the_disk(tmp_path: Path, demo_register: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    live = _scattered(data, demo_register)
    before = live.read_bytes()
    real = shutil.disk_usage

    def nearly_full(path: Any) -> Any:
        usage = real(path)
        return usage._replace(free=1_000_000)

    monkeypatch.setattr(compact.shutil, "disk_usage", nearly_full)
    with pytest.raises(KnownStorageError, match="磁盘空间不足.*没有被改动"):
        compact.compact(data)
    assert live.read_bytes() == before
    assert not list(data.glob("*.part"))


def test_a_disk_that_fills_up_while_copying_changes_nothing(
        tmp_path: Path, demo_register: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    live = _scattered(data, demo_register)
    before = live.read_bytes()
    real_connect = sqlite3.connect

    class FillsUp:
        """The register's connection, on a disk that fills up half-way through the copy."""

        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def execute(self, sql: str, params: Any = ()) -> Any:
            if sql.startswith("VACUUM INTO"):
                Path(params[0]).write_bytes(b"\0" * 100_000)
                raise sqlite3.OperationalError("database or disk is full")
            return self.conn.execute(sql, params)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.conn, name)

    def connect(*args: Any, **kw: Any) -> Any:
        conn = real_connect(*args, **kw)
        return FillsUp(conn) if str(args[0]).endswith(DB_NAME) else conn

    monkeypatch.setattr(compact.sqlite3, "connect", connect)
    with pytest.raises(KnownStorageError, match="整理没有完成，登记库没有被改动.*磁盘"):
        compact.compact(data)
    monkeypatch.undo()
    assert live.read_bytes() == before
    assert not list(data.glob("*.part"))


def test_cancelled_changes_nothing(tmp_path: Path, demo_register: Path) -> None:
    data = tmp_path / "data"
    live = _scattered(data, demo_register)
    before = live.read_bytes()
    with pytest.raises(Cancelled):
        compact.compact(data, progress=lambda _done, _total: False)
    assert live.read_bytes() == before
    assert not list(data.glob("*.part"))


def test_a_failing_progress_window_is_no_cancel(tmp_path: Path, demo_register: Path) -> None:
    """What the progress callback raised comes out as itself (a bug stays a bug), not as 已取消."""
    data = tmp_path / "data"
    live = _scattered(data, demo_register)
    before = live.read_bytes()

    def broken(_done: int, _total: int) -> None:
        raise AttributeError("no such attribute")

    with pytest.raises(AttributeError):
        compact.compact(data, progress=broken)
    assert live.read_bytes() == before
    assert not list(data.glob("*.part"))


def test_a_copy_that_differs_from_the_register_is_thrown_away(
        tmp_path: Path, demo_register: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    live = _scattered(data, demo_register)
    before = live.read_bytes()
    real = compact.describe
    calls: list[int] = []

    def one_record_short(conn: sqlite3.Connection) -> dict[str, Any]:
        found = real(conn)
        calls.append(1)
        if len(calls) == 2:  # the copy's description
            found["counts"]["matters"] -= 1
        return found

    monkeypatch.setattr(compact, "describe", one_record_short)
    with pytest.raises(KnownStorageError, match="不一致.*没有被改动"):
        compact.compact(data)
    assert live.read_bytes() == before
    assert not list(data.glob("*.part"))


@pytest.mark.parametrize("how", ["truncate", "garbage", "empty"])
def test_a_damaged_register_is_refused_and_left_as_it_was(tmp_path: Path, demo_register: Path,
                                                          how: str) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    damage(live, how)
    before = live.read_bytes()
    with pytest.raises(DamagedRegisterError):
        compact.compact(data)
    assert live.read_bytes() == before
    assert not list(data.glob("*.part"))


def test_another_programs_database_and_an_empty_folder_are_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with pytest.raises(KnownStorageError, match="没有登记库文件"):
        compact.compact(data)
    foreign_database(data / DB_NAME)
    before = (data / DB_NAME).read_bytes()
    with pytest.raises(ForeignFileError):
        compact.compact(data)
    assert (data / DB_NAME).read_bytes() == before


def test_a_copy_a_kill_left_behind_is_swept_at_the_next_open(tmp_path: Path,
                                                             demo_register: Path) -> None:
    data = tmp_path / "data"
    copy_demo(demo_register, data)
    part = data / (DB_NAME + compact.PART_SUFFIX)
    part.write_bytes(b"half a copy")
    open_register(data, password_hasher=CHEAP_HASHER).close()
    assert not part.exists()


def test_the_window_goes_on_with_the_same_user_after_compacting(
        tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers.county import add_matter

    data = tmp_path / "data"
    reg = set_up(open_register(data, clock=clock, password_hasher=CHEAP_HASHER))
    try:
        add_matter(reg, 1, "整理前登记的事项")
        actor = reg.actor
        seen: list[str] = []

        def meanwhile(_done: int, _total: int) -> None:
            assert compact.rewriting(reg)
            if not seen:  # what a timer of the window would meet while the file is rewritten
                with pytest.raises(KnownStorageError, match="正在整理") as away:
                    add_matter(reg, 9, "整理期间")
                seen.append(str(away.value))

        result = compact.compact_open(reg, meanwhile)
        assert seen and not compact.rewriting(reg)
        assert result.counts["matters"] == 1
        assert reg.actor == actor
        add_matter(reg, 2, "整理后登记的事项")  # the reopened connection writes, audited
        assert reg.scalar("SELECT count(*) FROM matters") == 2
        # refused (no room): the register is open again all the same
        usage = shutil.disk_usage(tmp_path)._replace(free=0)
        monkeypatch.setattr(compact.shutil, "disk_usage", lambda _p: usage)
        with pytest.raises(KnownStorageError, match="磁盘空间不足"):
            compact.compact_open(reg)
        add_matter(reg, 3, "拒绝整理后登记的事项")
        assert reg.scalar("SELECT count(*) FROM matters") == 3
        backup.make_backup(reg.conn, data, reason="manual")
        report = integrity.check(reg, data)
        assert report.ok, report.problems
    finally:
        reg.close()


def test_a_folder_whose_name_has_a_hash_or_a_percent_sign(tmp_path: Path,
                                                          demo_register: Path) -> None:
    """The copy (and a backup) is opened read-only by URI: "#" and "%" in the path are the
    path's own (before: "data folder a#1" opened "a" beside it and was refused)."""
    for name in ("站#1", "b%20c"):
        data = tmp_path / name / "data"
        live = _scattered(data, demo_register)
        before = _state(live)
        compact.compact(data)
        assert _state(live) == before
        # the backups and their check open files read-only the same way
        backup.check_file(backup.make_backup(live, data, reason="manual"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b%20c", "站#1"]  # nothing beside


def test_a_register_that_cannot_be_opened_again_says_so_and_closes_quietly(
        tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Compacted, but opening it again is refused (another program took the folder in the
    gap): one plain message that says it was compacted and to restart; closing raises nothing."""
    import storage.db

    data = tmp_path / "data"
    reg = set_up(open_register(data, clock=clock, password_hasher=CHEAP_HASHER))

    def refused(*_a: Any, **_k: Any) -> Any:
        raise RegisterInUse("登记库正被另一个程序独占")

    monkeypatch.setattr(storage.db, "open_register", refused)
    with pytest.raises(compact.NotReopened, match="(?s)登记库已整理，但没能重新打开.*关闭程序后再打开"):
        compact.compact_open(reg)
    assert compact.rewriting(reg)
    reg.close()  # the window's exit: no traceback


def test_a_township_view_reads_on_after_the_county_compacted(tmp_path: Path,
                                                            clock: FakeClock) -> None:
    """The county's pages keep their township views (统计报表 of one township) while the register
    is compacted and opened anew: a view reads through the register's current connection."""
    from storage.sync.county import TownshipView
    from tests.helpers.county import add_matter

    data = tmp_path / "data"
    reg = set_up(open_register(data, clock=clock, password_hasher=CHEAP_HASHER))
    try:
        add_matter(reg, 1, "整理前登记的事项")
        view = TownshipView(reg, reg.station_code)
        compact.compact_open(reg)
        assert view.conn is reg.conn
        assert view.scalar("SELECT count(*) FROM matters") == 1
    finally:
        reg.close()
