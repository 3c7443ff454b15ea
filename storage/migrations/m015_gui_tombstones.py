"""The tombstoned (deleted) matters by station, a partial index holding only them (issue 17):
the case list with nothing typed and nothing chosen says how many matters the register holds —
every matter counted from an index, less these — instead of "more than 1,000" (a count of the
live matters themselves reads every row: 0.2 s at a million)."""

from __future__ import annotations

from sqlite_utils import Database

from storage.migrations import MIGRATIONS


@MIGRATIONS(name="m015_gui_tombstones")
def m015_gui_tombstones(db: Database) -> None:
    db.conn.execute("CREATE INDEX IF NOT EXISTS idx_matters_tombstones ON matters(station_code)"
                    " WHERE deleted = 1")
