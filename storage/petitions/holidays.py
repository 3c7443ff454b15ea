"""Entering the station's holidays moves the deadlines of open matters that they move."""

from __future__ import annotations

from datetime import date

from storage import calendar_store
from storage.petitions.workflow import refresh_due
from storage.register import Register


def set_holiday(reg: Register, day: date, is_workday: bool, note: str = "") -> None:
    """Enter one day of a State Council holiday notice (station head): one transaction."""
    with reg.transaction():
        try:
            calendar_store.store_day(reg, day, is_workday, note)
            _refresh_from(reg, day)
        except BaseException:
            calendar_store.forget(reg)
            raise


def remove_holiday(reg: Register, day: date) -> None:
    with reg.transaction():
        try:
            calendar_store.drop_day(reg, day)
            _refresh_from(reg, day)
        except BaseException:
            calendar_store.forget(reg)
            raise


def _refresh_from(reg: Register, day: date) -> None:
    """Only a deadline falling on or after ``day`` can move (an earlier one was counted over
    days before it)."""
    for (matter_id,) in reg.conn.execute(
            "SELECT id FROM matters WHERE deleted = 0 AND station_code = ? AND due_date >= ?",
            (reg.station_code, day.isoformat())).fetchall():
        refresh_due(reg, matter_id)
