"""m010: failed sign-ins, counted per login name (``storage.logins``): the delay before the next
try grows with each failure, and the fifth locks the account until a head lifts it. Local
state, never synced, outside the audit log (like drafts)."""

from __future__ import annotations

from sqlite_utils import Database

from storage.migrations import MIGRATIONS


@MIGRATIONS(name="m010_hardening_logins")
def m010_hardening_logins(db: Database) -> None:
    db.conn.execute(
        "CREATE TABLE IF NOT EXISTS login_failures ("
        " login TEXT PRIMARY KEY,"
        " failures INTEGER NOT NULL,"
        " last_failed_at TEXT NOT NULL)")
