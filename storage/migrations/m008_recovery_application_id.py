"""m008: the register says what it is in its own header (``PRAGMA application_id`` = "PDSK"), so
opening can tell a register from another program's database by reading 100 bytes
(``storage.regfile``) — without scanning the file and without ever initialising a foreign one."""

from __future__ import annotations

from sqlite_utils import Database

from storage.migrations import MIGRATIONS
from storage.regfile import APPLICATION_ID


@MIGRATIONS(name="m008_recovery_application_id")
def m008_recovery_application_id(db: Database) -> None:
    db.conn.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
