"""Indexes the statistics read by (docs/domain.md §7.4; bench/bench_statistics.py measures
them): the matters of some townships received in a period, the 积案 and mediation cases of a
township by date; then ANALYZE so that the planner knows their shape.

No index on matter_events(kind, occurred_on): the planner took it for "this matter's first
event of a kind" (``WHERE matter_id = ? AND kind = ?``, min(occurred_on)) instead of
idx_events_matter and walked every event of that kind per matter — quadratic. The events are
read through their matters (idx_events_matter)."""

from __future__ import annotations

from sqlite_utils import Database

from storage.migrations import MIGRATIONS

INDEXES = (
    ("idx_matters_station_received",
     "CREATE INDEX IF NOT EXISTS idx_matters_station_received"
     " ON matters(station_code, received_on)"),
    ("idx_backlog_station_listed",
     "CREATE INDEX IF NOT EXISTS idx_backlog_station_listed"
     " ON backlog_cases(station_code, listed_on)"),
    ("idx_mediations_station_accepted",
     "CREATE INDEX IF NOT EXISTS idx_mediations_station_accepted"
     " ON mediations(station_code, accepted_on)"),
)


@MIGRATIONS(name="m011_figures_indexes")
def m011_figures_indexes(db: Database) -> None:
    for _name, sql in INDEXES:
        db.conn.execute(sql)
    # statistics for the planner only where there is something to describe: figures of an
    # empty register would outlive it and mislead the planner once the tables fill
    if db.conn.execute("SELECT count(*) FROM matters").fetchone()[0] >= 1000:
        db.conn.execute("ANALYZE")
