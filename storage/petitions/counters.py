"""The home page's counters and deadline list, each a range of an index (migration m013), not a
scan of every matter: today's registrations from the received-date index, 待受理 from the
status index, due within a week and overdue from the deadline index (``search.DUE_KEY``:
matters without a deadline sort after every date, so a date range never meets them)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from storage.petitions.search import DUE_KEY
from storage.register import Register

DUE_WEEK_DAYS = 7


def home_counts(reg: Register) -> dict[str, int]:
    today = reg.clock().date()
    week = (today + timedelta(days=DUE_WEEK_DAYS)).isoformat()
    q = reg.scalar
    return {
        "today": int(q("SELECT count(*) FROM matters m WHERE m.received_on = ?"
                       " AND m.deleted = 0", (today.isoformat(),))),
        "pending": int(q("SELECT count(*) FROM matters m WHERE m.status = 'registered'"
                         " AND m.deleted = 0")),
        "week": int(q(f"SELECT count(*) FROM matters m WHERE {DUE_KEY} BETWEEN ? AND ?"
                      " AND m.deleted = 0", (today.isoformat(), week))),
        "overdue": int(q(f"SELECT count(*) FROM matters m WHERE {DUE_KEY} < ?"
                         " AND m.deleted = 0", (today.isoformat(),))),
    }


def due_soon(reg: Register, limit: int = 200) -> list[dict[str, Any]]:
    """Matters overdue or due within a week, soonest first, with the petitioner as registered
    on the matter (docs/domain.md §3.4)."""
    today = reg.clock().date()
    return reg.rows(
        "SELECT m.id, m.number, m.status, m.due_date, m.summary,"
        " coalesce(nullif(mp.name, ''), p.name) AS name FROM matters m"
        " JOIN petitioners p ON p.id = m.petitioner_id LEFT JOIN matter_petitioners mp"
        " ON mp.matter_id = m.id AND mp.is_main = 1 AND mp.deleted = 0"
        f" WHERE {DUE_KEY} <= ? AND m.deleted = 0 ORDER BY {DUE_KEY}, m.number, m.id LIMIT ?",
        ((today + timedelta(days=DUE_WEEK_DAYS)).isoformat(), limit))
