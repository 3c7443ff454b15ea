"""What each matter's events add up to as of a day, read from ``matter_progress`` (m016: one
row per matter and day with an event the figures read, kept by triggers on ``matter_events``).

``figures.compute`` joins one row per candidate matter (``AS_OF_JOIN``) instead of aggregating
every event of every candidate; ``differing`` is how ``check`` confirms the rows still say what
the events say (a direct edit of the table, or a write with the triggers dropped, would change
the figures), ``rebuild`` how ``check --repair`` writes them again.
"""

from __future__ import annotations

import sqlite3

from storage.migrations.m016_matter_progress import COLUMNS, progress_select

#: what the figures read of a matter's progress, as columns of the row ``AS_OF_JOIN`` joins
COLUMNS_READ = (
    "p.accepted_on, p.not_accepted_on, p.not_reaccepted_on, p.replied_on, p.result,"
    " p.extension, p.rating,"
    # the first decision and the first conclusion: the earliest of three days each (made here,
    # not kept: a smaller row to read; in SQL, not Python: 60,000 rows a month at a million)
    " nullif(min(coalesce(p.accepted_on, '~'), coalesce(p.not_accepted_on, '~'),"
    " coalesce(p.not_reaccepted_on, '~')), '~') AS decided_on,"
    # (an empty day is no conclusion, as the figures always took it)
    " nullif(min(coalesce(nullif(p.replied_on, ''), '~'),"
    " coalesce(nullif(p.not_accepted_on, ''), '~'),"
    " coalesce(nullif(p.not_reaccepted_on, ''), '~')), '~') AS concluded_on")

#: joined to ``matters m``: the matter's progress as of the day given twice as its parameters —
#: the one row with ``day <= D < until`` (one probe of the key: the rows of a matter after it
#: are its later days, a handful), all NULL when it had no event by then
AS_OF_JOIN = (" LEFT JOIN matter_progress p ON p.matter_id = m.id AND p.until > ?"
              " AND p.day <= ?")


def settled(first: str, handling_from: str) -> tuple[str, list[str]]:
    """An SQL condition (and its parameters): no event of the matter can count in a period
    starting ``first`` — concluded before it, accepted too early (before ``handling_from``) for
    its handling deadline to reach it, first decided and first replied to (if at all) before
    it. Over the columns ``COLUMNS_READ`` names, in a query around the one that joined them:
    the rows it leaves out are never made into Python rows (half the 200 days' matters at a
    million)."""
    return ("(concluded_on IS NOT NULL AND concluded_on < ?"
            " AND coalesce(accepted_on, '') < ? AND coalesce(decided_on, '') < ?"
            " AND coalesce(replied_on, '') < ?)", [first, handling_from, first, first])


def differing(conn: sqlite3.Connection, limit: int = 10) -> list[str]:
    """Up to ``limit`` matters whose progress rows are not what their events add up to."""
    kept, derived = f"SELECT {COLUMNS} FROM matter_progress", progress_select("1")
    query = (f"SELECT matter_id FROM ({kept} EXCEPT {derived})"
             f" UNION SELECT matter_id FROM ({derived} EXCEPT {kept}) ORDER BY 1 LIMIT ?")
    return [r[0] for r in conn.execute(query, (limit,))]


def rebuild(conn: sqlite3.Connection) -> int:
    """Write every matter's progress again from its events (inside the caller's transaction);
    the rows written."""
    conn.execute("DELETE FROM matter_progress")
    return conn.execute(f"INSERT INTO matter_progress ({COLUMNS}) {progress_select('1')}"
                        ).rowcount
