"""The query planner's statistics kept current (issue 17): the figures and lists choose their
index from ``sqlite_stat1``, and statistics taken when a register held a few hundred matters (or
none) mislead it once it holds a million.

``Register.close`` calls :func:`refresh`: a table ANALYZEd when it holds at least ``FROM`` rows
and has no statistics yet or has grown ``GROWTH``-fold since they were taken — about ten times
in a register's life, each costing what reading that table costs once. Not ``PRAGMA optimize``:
SQLite 3.40 re-analyses a table on every close while one of its partial indexes is empty (a
register without 台账 matters), and its ``analysis_limit`` sample skews the figures the planner
reads (a station code looked as selective as a matter number), where a plain ANALYZE is exact.
"""

from __future__ import annotations

import sqlite3

#: the tables whose statistics steer the statistics, the case list and the search
TABLES = ("matters", "matter_events", "matter_petitioners", "petitioners")
FROM = 1000  # m011: figures of a near-empty register mislead the planner once it fills
GROWTH = 2


def _analysed(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows each table held when last ANALYZEd (the first figure of its indexes' statistics)."""
    try:
        rows = conn.execute("SELECT tbl, stat FROM sqlite_stat1").fetchall()
    except sqlite3.OperationalError:  # never analysed: no sqlite_stat1 table at all
        return {}
    out: dict[str, int] = {}
    for table, stat in rows:
        first = str(stat or "0").split(" ", 1)[0]
        if first.isdigit():
            out[table] = max(out.get(table, 0), int(first))
    return out


def stale(conn: sqlite3.Connection) -> list[str]:
    """The tables of ``TABLES`` whose statistics are missing or outgrown (their size read from
    the largest rowid: the desk never deletes rows, it marks them)."""
    analysed = _analysed(conn)
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    out = []
    for table in (t for t in TABLES if t in present):
        size = int(conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0])
        if size >= FROM and size >= GROWTH * analysed.get(table, 0):
            out.append(table)
    return out


def refresh(conn: sqlite3.Connection) -> list[str]:
    """ANALYZE the stale tables; return their names."""
    tables = stale(conn)
    for table in tables:
        conn.execute(f"ANALYZE {table}")
    return tables


__all__ = ["FROM", "GROWTH", "TABLES", "refresh", "stale"]
