"""Tamper evidence that covers the records (docs/architecture.md §7.1).

From here on every audit entry carries the after-image hash of the row it wrote
(``storage.rowimage``). Records already in an older register get theirs in one go: a seal of
every record of this station, held in ``record_seals`` and chained by one ``seal`` entry
(``storage.seals``). For those records tamper evidence starts with this migration: an edit made
before it is sealed as it stood.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from storage import seals
from storage.clock import iso, system_clock
from storage.migrations import MIGRATIONS


@MIGRATIONS(name="m009_tamper_seal")
def m009_tamper_seal(db: Database) -> None:
    conn = db.conn
    conn.execute(
        f"CREATE TABLE {seals.TABLE} (table_name TEXT NOT NULL, record_id TEXT NOT NULL,"
        " row_hash TEXT NOT NULL, PRIMARY KEY (table_name, record_id))")
    row = conn.execute("SELECT value FROM settings WHERE key = 'station_code'").fetchone()
    station_code = str(json.loads(row[0])) if row else ""
    if station_code:
        seals.seal(conn, station_code, at=iso(system_clock()), actor="system",
                   reason="m009_tamper_seal")
