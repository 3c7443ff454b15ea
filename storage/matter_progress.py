"""What each matter's events add up to as of a day, read from ``matter_progress`` (m016: one
row per matter and day with an event the figures read, kept by triggers on ``matter_events``).

``figures.compute`` reads one row per candidate matter here instead of aggregating every event
of every candidate; ``verify`` is how ``check`` confirms the rows still say what the events say
(a direct edit of the table, or a write with the triggers dropped, would change the figures).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from storage.migrations.m016_matter_progress import COLUMNS, progress_select

#: the columns ``figures`` reads, in the order of the old aggregate of events
_READ = ("decided_on", "accepted_on", "not_accepted_on", "not_reaccepted_on", "replied_on",
         "result", "extension", "rated")


def as_of(conn: sqlite3.Connection, cand: str, params: Sequence[Any], *, first: str,
          last: str, handling_from: str) -> list[sqlite3.Row]:
    """For each matter of ``cand`` (a ``WITH cand(id) AS (...) `` prefix and its parameters)
    that had an event by ``last``: its progress as of ``last``, and ``settled`` — concluded
    before ``first``, accepted before ``handling_from``, first decided and first replied to
    (if at all) before ``first``: no event of it counts in the period."""
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    return cur.execute(
        f"{cand}SELECT p.matter_id, {', '.join('p.' + c for c in _READ)},"
        " p.concluded_on < ? AND coalesce(p.accepted_on, '') < ?"
        " AND coalesce(p.decided_on, '') < ? AND coalesce(p.replied_on, '') < ? AS settled"
        " FROM cand CROSS JOIN matter_progress p ON p.matter_id = cand.id"
        # the matter's last day with an event by the end: one probe of the primary key
        " AND p.day = (SELECT max(q.day) FROM matter_progress q WHERE q.matter_id = cand.id"
        " AND q.day <= ?)", [*params, first, handling_from, first, first, last]).fetchall()


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
