"""The one source of "now" for the core, so tests and the demo generator can move time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Local wall-clock time, second precision (what a clerk reads on the wall)."""
    return datetime.now().replace(microsecond=0)


def iso(ts: datetime) -> str:
    return ts.isoformat(timespec="seconds")


def today(clock: Clock) -> date:
    return clock().date()
