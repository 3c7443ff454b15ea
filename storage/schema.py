"""Schema helpers shared by every migration.

Every *record table* has the same bookkeeping columns (docs/architecture.md §3): a ULID ``id`` made once at the
station, the station's 12-digit area code, a ``version`` bumped on every change, timestamps,
``updated_by`` and a ``deleted`` tombstone. Migrations create record tables through
``create_record_table`` so that the write path, the audit log and the sync bundle can treat all of
them alike; the ``_record_tables`` catalogue lists them and says which ones travel in bundles.
"""

from __future__ import annotations

import sqlite3

RECORD_COLUMNS = """
    id TEXT PRIMARY KEY,
    station_code TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
"""

BOOKKEEPING = ("id", "station_code", "version", "created_at", "updated_at", "updated_by", "deleted")


def create_record_table(conn: sqlite3.Connection, name: str, columns: str, *,
                        synced: bool = True, sync_order: int = 100) -> None:
    """Create a record table with the bookkeeping columns plus ``columns`` (SQL column defs).

    ``sync_order`` orders tables inside a bundle so that parents precede children.
    """
    conn.execute(f"CREATE TABLE {name} ({RECORD_COLUMNS}, {columns})")
    conn.execute(f"CREATE INDEX idx_{name}_updated ON {name}(updated_at)")
    conn.execute(
        "INSERT INTO _record_tables(name, synced, sync_order) VALUES (?, ?, ?)",
        (name, int(synced), sync_order),
    )


def record_tables(conn: sqlite3.Connection, *, synced_only: bool = False) -> list[str]:
    sql = "SELECT name FROM _record_tables"
    if synced_only:
        sql += " WHERE synced = 1"
    sql += " ORDER BY sync_order, name"
    return [row[0] for row in conn.execute(sql)]


def table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
