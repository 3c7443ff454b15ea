"""The register as a record people can trust (docs/domain.md §3.4–§3.7):

- petitioners who turn out to be one person are merged, never deleted (``merged_into``), so a
  merge can be undone; a person's renames, corrections and merges are their own timeline
  (``petitioner_events``, synced);
- each matter keeps its petitioners as they were registered (name, ID number, phone, address …
  on ``matter_petitioners``), whatever later happens to the person, and which of them are the
  representatives of a collective visit;
- who acted travels by display name (``matters.registered_by_name``, ``actor_name`` on both
  timelines), so the county shows the township's own people, never its own accounts;
- matters, mediation cases, screening reports and disputes can be voided (作废): the row becomes
  a tombstone that keeps its number and says why, when and on whose confirmation.

Older rows are filled in here: every link gets the person's current details as its registered
snapshot (the best that is known), and at a township or liaison laptop the names of its own
accounts. A county register has only its own accounts, so it fills in no names: a township's
record without one shows the login it was made under, never a county user's name.
"""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Database

from storage.migrations import MIGRATIONS
from storage.schema import create_record_table

SNAPSHOT_COLUMNS = ("name", "gender", "ethnic_group", "id_number", "birth_date", "phone",
                    "address", "village_id", "occupation")

VOID_COLUMNS = ("voided INTEGER NOT NULL DEFAULT 0",
                "void_reason TEXT NOT NULL DEFAULT ''",
                "voided_at TEXT",
                "void_confirmed_by TEXT NOT NULL DEFAULT ''")


def _add(conn: sqlite3.Connection, table: str, *columns: str) -> None:
    for column in columns:
        conn.execute(f"ALTER TABLE {table} ADD COLUMN {column}")


def _setting(conn: sqlite3.Connection, key: str) -> str:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return str(json.loads(row[0])) if row else ""


@MIGRATIONS(name="m007_identity")
def m007_identity(db: Database) -> None:
    conn = db.conn
    _add(conn, "petitioners", "merged_into TEXT")
    conn.execute("CREATE INDEX idx_petitioners_merged ON petitioners(merged_into)")
    _add(conn, "matter_petitioners",
         "name TEXT NOT NULL DEFAULT ''", "gender TEXT NOT NULL DEFAULT ''",
         "ethnic_group TEXT NOT NULL DEFAULT ''", "id_number TEXT", "birth_date TEXT",
         "phone TEXT NOT NULL DEFAULT ''", "address TEXT NOT NULL DEFAULT ''",
         "village_id TEXT", "occupation TEXT NOT NULL DEFAULT ''",
         "is_representative INTEGER NOT NULL DEFAULT 0")
    _add(conn, "matters", "registered_by_name TEXT NOT NULL DEFAULT ''", *VOID_COLUMNS)
    _add(conn, "matter_events", "actor_name TEXT NOT NULL DEFAULT ''")
    _add(conn, "mediations", *VOID_COLUMNS)
    _add(conn, "mediation_events", "actor_name TEXT NOT NULL DEFAULT ''")
    _add(conn, "screening_reports", *VOID_COLUMNS,
         "corrections TEXT NOT NULL DEFAULT '[]'")
    _add(conn, "disputes", *VOID_COLUMNS)

    create_record_table(conn, "petitioner_events", """
        petitioner_id TEXT NOT NULL REFERENCES petitioners(id),
        kind TEXT NOT NULL,
        occurred_on TEXT NOT NULL,
        actor TEXT NOT NULL,
        actor_name TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL DEFAULT '{}'
    """, sync_order=45)
    conn.execute("CREATE INDEX idx_pevents_petitioner ON petitioner_events(petitioner_id,"
                 " occurred_on)")

    # The best snapshot older links can have: the person as the register knows them now.
    assignments = ", ".join(
        f"{column} = coalesce((SELECT p.{column} FROM petitioners p"
        f" WHERE p.id = matter_petitioners.petitioner_id), {column})"
        for column in SNAPSHOT_COLUMNS)
    conn.execute(f"UPDATE matter_petitioners SET {assignments}")

    own = _setting(conn, "station_code")
    if own and _setting(conn, "mode") != "county":
        conn.execute(
            "UPDATE matters SET registered_by_name = coalesce((SELECT u.display_name FROM users u"
            " WHERE u.username = matters.registered_by), '') WHERE station_code = ?", (own,))
        for table in ("matter_events", "mediation_events"):
            conn.execute(
                f"UPDATE {table} SET actor_name = coalesce((SELECT u.display_name FROM users u"
                f" WHERE u.username = {table}.actor), '') WHERE station_code = ?", (own,))
