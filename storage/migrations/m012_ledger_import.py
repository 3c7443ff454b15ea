"""Matters brought in from a station's old 台账 (docs/domain.md §3.8): ``source`` says where a
matter came from ('' = registered at the desk, 'ledger' = imported), ``ledger_key`` is the
ledger row's stable key so that importing the same ledger again adds nothing. Both are
ordinary columns of ``matters`` and travel to the county with it."""

from __future__ import annotations

from sqlite_utils import Database

from storage.migrations import MIGRATIONS


@MIGRATIONS(name="m012_ledger_import")
def m012_ledger_import(db: Database) -> None:
    conn = db.conn
    conn.execute("ALTER TABLE matters ADD COLUMN source TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE matters ADD COLUMN ledger_key TEXT")
    conn.execute("CREATE UNIQUE INDEX idx_matters_ledger_key ON matters(station_code, ledger_key)"
                 " WHERE ledger_key IS NOT NULL")
