"""Tamper evidence that covers the records (issue 14, finding 3; docs/architecture.md §7.1).

A register is built through storage, closed, and changed behind the program's back with plain
SQLite (or plain bytes) — what anyone who can copy the file could do. `check` must find each
change: 7 direct edits of records and 6 manipulations of the log. Before tamper evidence covered
the records, `check` found none of the first 7 and none of the last 6 (the log agreed with
itself)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from storage import accounts, anchor, audit, backup, integrity, rowimage
from storage.db import DB_NAME, open_register
from storage.ids import new_id
from storage.register import Register
from tests.helpers import register_data as rd
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up


@dataclass(frozen=True)
class Base:
    data_dir: Path
    matter_id: str
    petitioner_id: str
    event_id: str
    clerk_id: str


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    data_dir = tmp_path_factory.mktemp("tamper") / "data"
    reg = set_up(open_register(data_dir, clock=FakeClock(), password_hasher=CHEAP_HASHER))
    try:
        matters = rd.build_matters(reg)
        mid = str(matters.accepted["id"])
        event = reg.scalar("SELECT id FROM matter_events WHERE matter_id = ? LIMIT 1", (mid,))
        backup.make_backup(reg.conn, data_dir, reason="manual")
        base = Base(data_dir, mid, str(matters.accepted["petitioner_id"]), str(event),
                    accounts.find_user(reg, "clerk").id)
    finally:
        reg.close()
    return base


@pytest.fixture
def data_dir(base: Base, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(base.data_dir, target)
    return target


def run_check(data_dir: Path) -> integrity.CheckReport:
    reg = open_register(data_dir, password_hasher=CHEAP_HASHER)
    try:
        return integrity.check(reg, data_dir)
    finally:
        reg.close()


@pytest.fixture
def sql(data_dir: Path) -> Iterator[Callable[..., None]]:
    """Plain SQLite on the closed register, the append-only triggers dropped as anyone could."""
    conn = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")

    def run(statement: str, *params: object) -> None:
        conn.execute(statement, params)

    yield run
    conn.close()


def test_the_untouched_register_passes(data_dir: Path) -> None:
    report = run_check(data_dir)
    assert report.problems == []
    assert report.records_checked > 50


# ----- 7 direct edits of records ------------------------------------------------------------

def found(report: integrity.CheckReport, *words: str) -> bool:
    return any(all(w in p for w in words) for p in report.problems)


def test_an_edited_summary_is_found(data_dir: Path, sql: Callable[..., None],
                                    base: Base) -> None:
    sql("UPDATE matters SET summary = '无' WHERE id = ?", base.matter_id)
    assert found(run_check(data_dir), "信访事项", base.matter_id, "改动过")


def test_an_edited_id_number_is_found(data_dir: Path, sql: Callable[..., None],
                                      base: Base) -> None:
    sql("UPDATE petitioners SET id_number = '110101199003070038' WHERE id = ?",
        base.petitioner_id)
    assert found(run_check(data_dir), "信访人", base.petitioner_id, "改动过")


def test_a_clerk_made_head_is_found(data_dir: Path, sql: Callable[..., None],
                                    base: Base) -> None:
    sql("UPDATE users SET role = 'head' WHERE id = ?", base.clerk_id)
    assert found(run_check(data_dir), "账号", base.clerk_id, "改动过")


def test_a_replaced_password_hash_is_found(data_dir: Path, sql: Callable[..., None],
                                           base: Base) -> None:
    sql("UPDATE users SET password_hash = (SELECT password_hash FROM users"
        " WHERE username = 'head') WHERE id = ?", base.clerk_id)
    assert found(run_check(data_dir), "账号", base.clerk_id, "改动过")


def test_a_hard_delete_is_found(data_dir: Path, sql: Callable[..., None], base: Base) -> None:
    sql("DELETE FROM matter_events WHERE id = ?", base.event_id)
    assert found(run_check(data_dir), base.event_id, "消失")


def test_an_edit_made_to_look_like_the_programs_is_found(
        data_dir: Path, sql: Callable[..., None], base: Base) -> None:
    """Version bumped, bookkeeping filled in — only the audit entry is missing."""
    sql("UPDATE matters SET status = 'closed', version = version + 1,"
        " updated_at = '2026-03-02T11:00:00', updated_by = 'clerk' WHERE id = ?", base.matter_id)
    assert found(run_check(data_dir), base.matter_id, "改动过")


def test_an_edit_stays_found_after_the_program_writes_the_record_again(
        data_dir: Path, base: Base) -> None:
    """The next save takes the edited row as it finds it; its entry's image of the row before
    differs from the image the previous entry left, so the edit is not laundered."""
    conn = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    conn.execute("UPDATE petitioners SET id_number = '110101199003070038' WHERE id = ?",
                 (base.petitioner_id,))
    conn.close()
    reg = open_register(data_dir, password_hasher=CHEAP_HASHER)
    try:
        accounts.authenticate(reg, "clerk", "clerk-pass-1")
        with reg.transaction():
            reg.update("petitioners", base.petitioner_id, {"occupation": "农民"})
        assert found(integrity.check(reg, data_dir), "信访人", base.petitioner_id, "改动过")
    finally:
        reg.close()


def test_a_damaged_page_is_found(data_dir: Path) -> None:
    """Silent corruption: one digit of an address changes in the table's page, nothing else."""
    path = data_dir / DB_NAME
    conn = sqlite3.connect(path)
    root, page_size = conn.execute(
        "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master"
        " WHERE name = 'petitioners'").fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    at = data.index("一组8号".encode(), start, start + page_size)
    data[at + len("一组".encode())] = ord("6")
    path.write_bytes(bytes(data))
    report = run_check(data_dir)
    assert found(report, "信访人", "改动过")


def test_a_row_inserted_behind_the_programs_back_is_found(
        data_dir: Path, sql: Callable[..., None]) -> None:
    rid = new_id()
    sql("INSERT INTO villages (id, station_code, version, created_at, updated_at, updated_by,"
        " deleted, name, code) VALUES (?, '320508102000', 1, '2026-03-02T09:00:00',"
        " '2026-03-02T09:00:00', 'head', 0, '新村', '320508102299')", rid)
    assert found(run_check(data_dir), rid, "没有任何记载")


# ----- 6 manipulations of the log ---------------------------------------------------------------

def test_newest_entries_cut_off_are_found(data_dir: Path, sql: Callable[..., None]) -> None:
    sql("DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)")
    report = run_check(data_dir)
    assert report.audit_broken_at is None  # the shortened chain agrees with itself
    assert found(report, "最新部分被删去")


def test_newest_entries_of_non_records_cut_off_are_found(data_dir: Path) -> None:
    """The records cannot tell when the cut entries changed no record (here: a preference):
    the anchor outside the log can."""
    reg = open_register(data_dir, password_hasher=CHEAP_HASHER)
    try:
        accounts.authenticate(reg, "head", "head-pass-1")
        reg.change_settings({"idle_lock_minutes": 7})
    finally:
        reg.close()
    conn = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    conn.close()
    report = run_check(data_dir)
    assert found(report, "最新部分被删去")


def test_a_cut_tail_with_a_rewritten_anchor_file_is_found_by_the_backups(
        data_dir: Path, sql: Callable[..., None]) -> None:
    """Whoever rewrites the anchor file as well is still contradicted by each backup's sidecar
    (and by the bundles at the county and the printed report, which they cannot reach)."""
    sql("DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)")
    conn = sqlite3.connect(data_dir / DB_NAME)
    anchor.write(data_dir, "320508102000", anchor.current(conn, "320508102000"))
    conn.close()
    report = run_check(data_dir)
    assert not found(report, anchor.FILE_NAME)
    assert found(report, "最新部分被删去", "备份register-")


def test_a_wiped_log_is_found(data_dir: Path, sql: Callable[..., None]) -> None:
    sql("DELETE FROM audit_log")
    report = run_check(data_dir)
    assert report.audit_entries == 0
    assert found(report, "已被清空")
    assert found(report, "没有任何记载")


def forge_entry(conn: sqlite3.Connection, table: str, record_id: str,
                after: dict[str, object]) -> None:
    prev_seq, prev = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC"
                                  " LIMIT 1").fetchone()
    entry = {"entry_id": new_id(), "station_code": "320508102000", "at": "2026-03-02T12:00:00",
             "actor": "head", "action": "update", "table_name": table, "record_id": record_id,
             "before": None, "after": audit.canonical_json(after)}
    conn.execute(
        "INSERT INTO audit_log(entry_id, station_code, at, actor, action, table_name, record_id,"
        " before, after, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [*entry.values(), prev, audit.entry_hash(prev, entry)])


def test_a_correctly_hashed_forged_entry_is_found(data_dir: Path, base: Base) -> None:
    """The perfect forgery: the record edited and an entry appended that links, hashes right and
    states the edited row's after-image. Only the head kept outside the log tells."""
    conn = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    conn.execute("UPDATE matters SET summary = '无' WHERE id = ?", (base.matter_id,))
    row = rowimage.read_row(conn, "matters", base.matter_id)
    assert row is not None
    forge_entry(conn, "matters", base.matter_id,
                {"summary": "无", rowimage.ROW_KEY: rowimage.row_hash(
                    row, rowimage.column_defaults(conn, "matters"))})
    conn.close()
    report = run_check(data_dir)
    assert report.audit_broken_at is None
    assert not found(report, "改动过")  # the records agree with the forged log…
    assert found(report, "多出1条")  # …but the log has an entry the program never wrote


def test_an_edited_entry_is_found(data_dir: Path, sql: Callable[..., None]) -> None:
    sql("UPDATE audit_log SET actor = 'nobody' WHERE seq = 5")
    report = run_check(data_dir)
    assert report.audit_broken_at == 5
    assert found(report, "第5条", "被改动过")


def test_a_removed_entry_in_the_middle_is_found(data_dir: Path,
                                                sql: Callable[..., None]) -> None:
    sql("DELETE FROM audit_log WHERE seq = 40")
    report = run_check(data_dir)
    assert report.audit_broken_at == 41


def test_a_log_rehashed_from_the_start_is_found(data_dir: Path) -> None:
    """An old entry changed and every later hash recomputed: the chain verifies again, the
    records agree, and the head differs from the anchor's."""
    conn = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_update")
    rows = conn.execute("SELECT seq, entry_id, station_code, at, actor, action, table_name,"
                        " record_id, before, after FROM audit_log ORDER BY seq").fetchall()
    prev = audit.GENESIS
    for seq, *values in rows:
        entry = dict(zip(("entry_id", "station_code", "at", "actor", "action", "table_name",
                          "record_id", "before", "after"), values, strict=True))
        if seq == 3:
            entry["actor"] = "nobody"
        digest = audit.entry_hash(prev, entry)
        conn.execute("UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                     (entry["actor"], prev, digest, seq))
        prev = digest
    conn.close()
    report = run_check(data_dir)
    assert report.audit_broken_at is None
    assert found(report, "被改写过")


# ----- the paper anchor, secrets, plain words ------------------------------------------------

def test_the_printed_head_is_checked(data_dir: Path) -> None:
    reg = open_register(data_dir, password_hasher=CHEAP_HASHER)
    try:
        head = anchor.current(reg.conn, reg.station_code)
        assert integrity.paper_head(reg.conn, reg.station_code, head.seq, head.short)
        assert not integrity.paper_head(reg.conn, reg.station_code, head.seq, "0" * 12)
        assert not integrity.paper_head(reg.conn, reg.station_code, head.seq + 1, head.short)
    finally:
        reg.close()


def test_no_secret_enters_the_log(reg: Register) -> None:
    """Making accounts, setting and resetting passwords and the rehash at sign-in: no password
    hash in any entry, yet the entries still prove the hashes (the after-image)."""
    clerk = accounts.find_user(reg, "clerk")
    accounts.set_password(reg, clerk.id, "another-pass-2")
    accounts.authenticate(reg, "head", "head-pass-1")
    accounts.set_password(reg, clerk.id, "third-pass-3")
    hashes = [r[0] for r in reg.conn.execute("SELECT password_hash FROM users")]
    keys = [r[0] for r in reg.conn.execute("SELECT value FROM settings")]
    for before, after in reg.conn.execute("SELECT before, after FROM audit_log"):
        text = f"{before} {after}"
        assert "$argon2" not in text
        assert not any(h in text for h in hashes)
        assert not any(len(k) > 40 and k.strip('"') in text for k in keys)
    updates = [json.loads(a) for (a,) in reg.conn.execute(
        "SELECT after FROM audit_log WHERE table_name = 'users' AND action = 'update'")]
    assert updates and all(u["password_hash"] == rowimage.WITHHELD for u in updates)
    assert integrity.verify_records(reg.conn, reg.station_code).ok


def test_a_restore_resets_the_anchor_and_keeps_the_old_one(data_dir: Path) -> None:
    """Going back to a backup on purpose is not a cut tail: the anchor follows the restored
    chain, and the replaced register's anchor is kept beside it."""
    from storage import restore

    reg = open_register(data_dir, password_hasher=CHEAP_HASHER)
    try:
        accounts.authenticate(reg, "head", "head-pass-1")
        reg.change_settings({"idle_lock_minutes": 9})  # an entry the backup lacks
    finally:
        reg.close()
    result = restore.restore(backup.list_backups(data_dir)[0].path, data_dir)
    assert run_check(data_dir).problems == []
    assert result.set_aside is not None and (result.set_aside / anchor.FILE_NAME).exists()

