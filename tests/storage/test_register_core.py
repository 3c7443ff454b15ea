"""The one write path (versions, tombstones, audit entries), the hash-chained audit log, and the
file register: pragmas, refusing newer databases, backups before migrating, restore."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage import audit, backup, restore
from storage.db import DB_NAME, open_register
from storage.errors import KnownStorageError, NewerDatabaseError, NotFound
from storage.migrations import MIGRATIONS
from storage.register import Register
from storage.rowimage import row_hash
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up


def audit_rows(reg: Register, record_id: str) -> list[dict[str, object]]:
    rows = reg.rows("SELECT * FROM audit_log WHERE record_id = ? ORDER BY seq", (record_id,))
    for r in rows:
        for key in ("before", "after"):
            r[key] = None if r[key] is None else json.loads(str(r[key]))
    return rows


def new_village(reg: Register, name: str = "新村", code: str = "320508102250") -> dict[str, object]:
    with reg.transaction():
        return reg.insert("villages", {"name": name, "code": code, "sort": 9})


# ----- versions, no-ops, tombstones -----------------------------------------------------------

def test_insert_starts_at_version_one_with_bookkeeping(reg: Register) -> None:
    row = new_village(reg)
    assert row["version"] == 1
    assert row["deleted"] == 0
    assert row["station_code"] == reg.station_code == "320508102000"
    assert row["updated_by"] == "clerk"
    assert row["created_at"] == row["updated_at"] == "2026-03-02T09:00:00"
    assert len(str(row["id"])) == 26  # a ULID


def test_update_bumps_version_and_records_before_and_after(reg: Register,
                                                           clock: FakeClock) -> None:
    row = new_village(reg)
    clock.advance(hours=1)
    with reg.transaction():
        changed = reg.update("villages", str(row["id"]), {"name": "新丰村", "sort": 9})
    assert changed["version"] == 2
    assert changed["name"] == "新丰村"
    assert changed["updated_at"] == "2026-03-02T10:00:00"
    assert changed["created_at"] == "2026-03-02T09:00:00"
    entries = audit_rows(reg, str(row["id"]))
    assert [e["action"] for e in entries] == ["insert", "update"]
    # Only what really changed is recorded (sort was already 9).
    assert entries[1]["before"] == {"name": "新村", "@row": row_hash(row, reg.defaults("villages"))}
    # ... plus the hash of the whole row as written (its after-image, storage/rowimage.py)
    assert entries[1]["after"] == {"name": "新丰村", "@row": row_hash(changed, reg.defaults("villages"))}
    assert entries[1]["actor"] == "clerk"
    assert entries[1]["at"] == "2026-03-02T10:00:00"
    assert entries[0]["before"] is None
    assert entries[0]["after"] == {"name": "新村", "code": "320508102250", "sort": 9,
                                   "@row": row_hash(row, reg.defaults("villages"))}


def test_no_op_update_bumps_nothing(reg: Register, clock: FakeClock) -> None:
    row = new_village(reg)
    before = reg.scalar("SELECT count(*) FROM audit_log")
    clock.advance(hours=1)
    with reg.transaction():
        same = reg.update("villages", str(row["id"]), {"name": "新村", "code": "320508102250"})
    assert same["version"] == 1
    assert same["updated_at"] == row["updated_at"]
    assert reg.scalar("SELECT count(*) FROM audit_log") == before


def test_bookkeeping_columns_cannot_be_changed_through_update(reg: Register) -> None:
    row = new_village(reg)
    with reg.transaction():
        after = reg.update("villages", str(row["id"]), {"version": 99, "deleted": 1,
                                                         "station_code": "999999999999"})
    assert after["version"] == 1
    assert after["deleted"] == 0
    assert after["station_code"] == "320508102000"


def test_delete_leaves_a_tombstone(reg: Register, clock: FakeClock) -> None:
    row = new_village(reg)
    clock.advance(minutes=5)
    with reg.transaction():
        reg.delete("villages", str(row["id"]))
    with pytest.raises(NotFound):
        reg.get("villages", str(row["id"]))
    stone = reg.get("villages", str(row["id"]), include_deleted=True)
    assert stone["deleted"] == 1
    assert stone["version"] == 2
    assert stone["updated_at"] == "2026-03-02T09:05:00"
    last = audit_rows(reg, str(row["id"]))[-1]
    assert last["action"] == "delete"
    assert last["after"] == {"@row": row_hash(stone, reg.defaults("villages"))}
    assert last["before"] == {"name": "新村", "code": "320508102250", "sort": 9,
                              "@row": row_hash(row, reg.defaults("villages"))}


def test_stale_version_is_refused(reg: Register) -> None:
    from storage.errors import ConcurrentChange

    row = new_village(reg)
    with reg.transaction():
        reg.update("villages", str(row["id"]), {"name": "甲"}, expected_version=1)
    with pytest.raises(ConcurrentChange), reg.transaction():
        reg.update("villages", str(row["id"]), {"name": "乙"}, expected_version=1)
    assert reg.get("villages", str(row["id"]))["name"] == "甲"


def test_writes_outside_a_transaction_are_refused(reg: Register) -> None:
    n = reg.scalar("SELECT count(*) FROM villages")
    with pytest.raises(RuntimeError, match="transaction"):
        reg.insert("villages", {"name": "野村", "code": "320508102251"})
    row = new_village(reg)
    with pytest.raises(RuntimeError):
        reg.update("villages", str(row["id"]), {"name": "x"})
    with pytest.raises(RuntimeError):
        reg.delete("villages", str(row["id"]))
    assert reg.scalar("SELECT count(*) FROM villages") == n + 1
    assert reg.get("villages", str(row["id"]))["name"] == "新村"


def test_a_failed_action_rolls_back_record_and_audit_entry(reg: Register) -> None:
    rows_before = reg.scalar("SELECT count(*) FROM villages")
    audit_before = reg.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(ZeroDivisionError), reg.transaction():
        reg.insert("villages", {"name": "半村", "code": "320508102252"})
        _ = 1 / 0
    assert reg.scalar("SELECT count(*) FROM villages") == rows_before
    assert reg.scalar("SELECT count(*) FROM audit_log") == audit_before
    assert audit.verify(reg.conn).ok


# ----- the audit chain ------------------------------------------------------------------------

def test_chain_verifies_and_head_is_the_last_hash(reg: Register) -> None:
    new_village(reg)
    report = audit.verify(reg.conn)
    assert report.ok
    assert report.entries == reg.scalar("SELECT count(*) FROM audit_log") > 10
    assert report.head == audit.head(reg.conn) == reg.scalar(
        "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")


def test_audit_log_refuses_update_and_delete(reg: Register) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        reg.conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        reg.conn.execute("DELETE FROM audit_log WHERE seq = 1")


def test_altered_entry_breaks_the_chain_where_it_was_altered(reg: Register) -> None:
    row = new_village(reg)
    with reg.transaction():
        reg.update("villages", str(row["id"]), {"name": "改名村"})
    new_village(reg, "后来村", "320508102253")
    target = reg.scalar("SELECT seq FROM audit_log WHERE record_id = ? AND action = 'update'",
                        (row["id"],))
    total = reg.scalar("SELECT count(*) FROM audit_log")
    # Someone with the file bypasses the trigger and rewrites history.
    reg.conn.execute("DROP TRIGGER audit_log_no_update")
    reg.conn.execute("UPDATE audit_log SET after = ? WHERE seq = ?",
                     ('{"name":"别的村"}', target))
    report = audit.verify(reg.conn)
    assert not report.ok
    assert report.broken_at == target
    assert report.entries < total  # verification stopped at the altered entry


def test_recomputed_hash_still_breaks_the_link_to_the_next_entry(reg: Register) -> None:
    new_village(reg)
    reg.conn.execute("DROP TRIGGER audit_log_no_update")
    seq, prev = reg.conn.execute(
        "SELECT seq, prev_hash FROM audit_log ORDER BY seq LIMIT 1 OFFSET 3").fetchone()
    entry = dict(zip(audit._FIELDS, reg.conn.execute(
        f"SELECT {', '.join(audit._FIELDS)} FROM audit_log WHERE seq = ?", (seq,)).fetchone(),
        strict=True))
    entry["actor"] = "mallory"
    # A careful forger recomputes this entry's hash: the next entry no longer links to it.
    reg.conn.execute("UPDATE audit_log SET actor = ?, hash = ? WHERE seq = ?",
                     ("mallory", audit.entry_hash(prev, entry), seq))
    report = audit.verify(reg.conn)
    assert report.broken_at == reg.scalar(
        "SELECT min(seq) FROM audit_log WHERE seq > ?", (seq,))


def test_removed_entry_breaks_the_chain_at_the_next_one(reg: Register) -> None:
    new_village(reg)
    reg.conn.execute("DROP TRIGGER audit_log_no_delete")
    reg.conn.execute("DELETE FROM audit_log WHERE seq = 5")
    assert audit.verify(reg.conn).broken_at == 6


# ----- the file register ------------------------------------------------------------------------

def test_file_register_uses_wal_and_full_sync(file_reg: Register) -> None:
    assert file_reg.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert file_reg.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert file_reg.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert file_reg.path is not None and file_reg.path.name == DB_NAME
    # A second connection (e.g. another process) sees WAL as the file's mode.
    other = sqlite3.connect(str(file_reg.path))
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()


def test_newer_database_is_refused_and_left_alone(tmp_path: Path, clock: FakeClock) -> None:
    data = tmp_path / "data"
    reg = set_up(open_register(data, clock=clock, password_hasher=CHEAP_HASHER))
    reg.conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES (?, ?, ?)",
        (MIGRATIONS.name, "m999_from_the_future", "2030-01-01 00:00:00"))
    reg.close()
    size = (data / DB_NAME).stat().st_size
    with pytest.raises(NewerDatabaseError, match="更新版本"):
        open_register(data, clock=clock)
    assert (data / DB_NAME).stat().st_size == size
    assert not (data / backup.BACKUP_DIR).exists()


def test_backup_is_taken_before_migrating(tmp_path: Path, clock: FakeClock,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    set_up(open_register(data, clock=clock, password_hasher=CHEAP_HASHER)).close()
    assert backup.list_backups(data) == []

    def m999_add_table(db: Database) -> None:
        db.conn.execute("CREATE TABLE m999_new (x INTEGER)")

    monkeypatch.setattr(MIGRATIONS, "_migrations", [
        *MIGRATIONS._migrations, Migrations._Migration("m999_add_table", m999_add_table)])
    reg = open_register(data, clock=clock)
    try:
        assert reg.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'm999_new'") == 1
    finally:
        reg.close()
    backups = backup.list_backups(data)
    assert [b.reason for b in backups] == ["before-migration"]
    inside = backup.extract(backups[0].path, tmp_path / "inside.sqlite3")
    assert inside["counts"]["users"] == 3
    old = sqlite3.connect(str(tmp_path / "inside.sqlite3"))
    try:
        # The backup is the register as it was: set up, without the new table.
        assert old.execute("SELECT count(*) FROM sqlite_master WHERE name = 'm999_new'"
                           ).fetchone()[0] == 0
        assert old.execute("SELECT count(*) FROM users").fetchone()[0] == 3
    finally:
        old.close()
    # Opening again migrates nothing and takes no further backup.
    open_register(data, clock=clock).close()
    assert len(backup.list_backups(data)) == 1


def test_restore_brings_back_the_backup_and_keeps_the_replaced_file(
        tmp_path: Path, clock: FakeClock) -> None:
    data = tmp_path / "data"
    reg = set_up(open_register(data, clock=clock, password_hasher=CHEAP_HASHER))
    taken = backup.make_backup(reg.conn, data, reason="manual")
    row = new_village(reg, "备份后新增村", "320508102260")
    reg.close()

    result = restore.restore(taken, data)
    assert result.checksum_verified and result.set_aside is not None
    saved = result.set_aside / DB_NAME
    reg = open_register(data, clock=clock)
    try:
        with pytest.raises(NotFound):
            reg.get("villages", str(row["id"]))
        assert reg.is_set_up
        assert audit.verify(reg.conn).ok
        assert reg.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        reg.close()
    # The register it replaced was kept, with the village in it.
    kept = sqlite3.connect(str(saved))
    try:
        assert kept.execute("SELECT count(*) FROM villages WHERE id = ?",
                            (row["id"],)).fetchone()[0] == 1
    finally:
        kept.close()


def test_restore_refuses_a_file_that_is_not_a_register(tmp_path: Path,
                                                       clock: FakeClock) -> None:
    data = tmp_path / "data"
    set_up(open_register(data, clock=clock, password_hasher=CHEAP_HASHER)).close()
    live_bytes = (data / DB_NAME).read_bytes()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(KnownStorageError):
        restore.restore(junk, data)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(str(other)).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(KnownStorageError, match="不是完好的"):
        restore.restore(other, data)
    assert (data / DB_NAME).read_bytes() == live_bytes


def test_preferences_change_as_the_head_with_an_audit_entry(reg: Register) -> None:
    from storage import accounts
    from storage.errors import PermissionDenied

    with pytest.raises(PermissionDenied):  # the fixture's actor is a clerk
        reg.change_settings({"collective_threshold": 8})
    reg.actor = accounts.find_user(reg, "head").actor()
    reg.change_settings({"mask_phones": False})
    assert reg.change_settings({"collective_threshold": 8, "mask_phones": False}) == {
        "collective_threshold": 8}
    assert reg.setting("collective_threshold") == 8
    entry = reg.rows("SELECT actor, before, after FROM audit_log WHERE table_name = 'settings'"
                     " ORDER BY seq")
    assert [(e["actor"], json.loads(e["after"])) for e in entry] == [
        ("head", {"mask_phones": False}), ("head", {"collective_threshold": 8})]
    assert reg.change_settings({"collective_threshold": 8}) == {}  # nothing new, no entry
    assert reg.scalar("SELECT count(*) FROM audit_log WHERE table_name = 'settings'") == 2
    assert audit.verify(reg.conn).ok
