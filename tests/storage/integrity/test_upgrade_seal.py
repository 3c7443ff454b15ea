"""A register from before m009 (entries without row images, no anchor file) is sealed in one go
when opened: `check` passes right after, tamper evidence covers its records from then on, and an
edit made before the upgrade is sealed as it stood (docs/architecture.md §7.1)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from storage import anchor, integrity, rowimage, seals
from storage.db import DB_NAME, open_register
from storage.register import Register
from tests.helpers import register_data as rd
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up


def old_register(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Written as the program did before m009 (entries without row images, secrets in them,
    no anchor file), and m009 not yet applied; returns a matter's id. (The schema is today's:
    the code that writes needs the later migrations' tables.)"""
    def old_style(_table: str, values: Mapping[str, Any] | None, _row: Mapping[str, Any],
                  _defaults: Mapping[str, Any]) -> dict[str, Any]:
        return dict(values or {})

    with monkeypatch.context() as m:
        m.setattr(rowimage, "with_image", old_style)
        reg = set_up(open_register(data_dir, clock=FakeClock(), password_hasher=CHEAP_HASHER))
        matter_id = str(rd.build_matters(reg).accepted["id"])
        reg.conn.execute(f"DROP TABLE {seals.TABLE}")
        reg.conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_tamper_seal'")
        reg.close()
    (data_dir / anchor.FILE_NAME).unlink()
    return matter_id


def test_an_older_register_is_sealed_and_checked_from_then_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "data"
    matter_id = old_register(data_dir, monkeypatch)
    # edited behind the program's back before the upgrade: no longer provable
    with sqlite3.connect(data_dir / DB_NAME) as conn:
        conn.execute("UPDATE matters SET request = '无' WHERE id = ?", (matter_id,))
    conn.close()

    reg = open_register(data_dir, password_hasher=CHEAP_HASHER)  # applies m009
    try:
        report = integrity.check(reg, data_dir)
        assert report.problems == []
        sealed = reg.scalar(f"SELECT count(*) FROM {seals.TABLE}")
        assert sealed == report.records_checked > 50
        assert reg.rows("SELECT record_id FROM audit_log WHERE action = ?",
                        (seals.ACTION,)) == [{"record_id": "m009_tamper_seal"}]
    finally:
        reg.close()

    with sqlite3.connect(data_dir / DB_NAME) as conn:  # after it: found
        conn.execute("UPDATE matters SET summary = '无' WHERE id = ?", (matter_id,))
    conn.close()
    reg = open_register(data_dir, password_hasher=CHEAP_HASHER)
    try:
        assert any(matter_id in p for p in integrity.check(reg, data_dir).problems)
    finally:
        reg.close()


def test_an_edited_seal_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "data"
    matter_id = old_register(data_dir, monkeypatch)
    open_register(data_dir, password_hasher=CHEAP_HASHER).close()
    with sqlite3.connect(data_dir / DB_NAME) as conn:
        conn.execute("UPDATE matters SET summary = '无' WHERE id = ?", (matter_id,))
        row = rowimage.read_row(conn, "matters", matter_id)
        assert row is not None
        conn.execute(f"UPDATE {seals.TABLE} SET row_hash = ? WHERE record_id = ?",
                     (rowimage.row_hash(row, rowimage.column_defaults(conn, "matters")), matter_id))
    conn.close()
    reg = open_register(data_dir, password_hasher=CHEAP_HASHER)
    try:
        assert any("封存" in p for p in integrity.check(reg, data_dir).problems)
    finally:
        reg.close()


def test_a_column_added_with_a_default_changes_no_image(reg: Register) -> None:
    """What a later migration usually does (m012 added two such columns to ``matters``)."""
    before = integrity.verify_records(reg.conn, reg.station_code)
    reg.conn.execute("ALTER TABLE villages ADD COLUMN remark TEXT NOT NULL DEFAULT ''")
    reg.conn.execute("ALTER TABLE villages ADD COLUMN area REAL")
    after = integrity.verify_records(reg.conn, reg.station_code)
    assert before.ok and after.ok and after.checked == before.checked

