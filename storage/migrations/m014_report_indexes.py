"""Indexes the monthly figures read by, so that a month costs the months around it and not the
whole register (issue 17; ``bench/bench_scale.py`` measures the prints):

- ``idx_matters_station_concluded``: the older matters that can still count in a period — open,
  or concluded (replied or closed) since its start — found without walking every matter ever
  received (``statistics.figures.candidates``);
- ``idx_matters_station_received_deleted`` in place of m011's ``idx_matters_station_received``
  (its prefix): with ``deleted`` in the index, counting a station's year by month (the trend
  chart, 信访总量 of each month) reads the index alone, not 100,000 rows of the table (a partial
  index ``WHERE deleted = 0`` would not do: SQLite still reads ``deleted`` from the row);
- ``idx_events_repeat_visits``: a period's repeat visits (信访总量, the trend chart) without
  reading every event. Partial (``kind = 'repeat_visit'``) so that the planner can take it only
  for those: m011 explains why an index on every event's kind misleads it.

Then the planner's statistics for each (``ANALYZE`` of each index: a full ANALYZE of a
million matters takes long, and ``Register.close`` keeps the rest current with
``PRAGMA optimize``)."""

from __future__ import annotations

from sqlite_utils import Database

from storage.migrations import MIGRATIONS

INDEXES = (
    ("idx_matters_station_concluded",
     "CREATE INDEX IF NOT EXISTS idx_matters_station_concluded"
     " ON matters(station_code, coalesce(replied_on, closed_on))"),
    ("idx_matters_station_received_deleted",
     "CREATE INDEX IF NOT EXISTS idx_matters_station_received_deleted"
     " ON matters(station_code, received_on, deleted)"),
    ("idx_events_repeat_visits",
     "CREATE INDEX IF NOT EXISTS idx_events_repeat_visits"
     " ON matter_events(occurred_on, matter_id) WHERE kind = 'repeat_visit'"),
)


@MIGRATIONS(name="m014_report_indexes")
def m014_report_indexes(db: Database) -> None:
    db.conn.execute("DROP INDEX IF EXISTS idx_matters_station_received")
    for _name, sql in INDEXES:
        db.conn.execute(sql)
    if db.conn.execute("SELECT count(*) FROM matters").fetchone()[0] >= 1000:
        for name, _sql in INDEXES:
            db.conn.execute(f"ANALYZE {name}")
