"""The station's holiday calendar: the library's holiday notices plus the days the station head
entered by hand (for a year the library does not know yet, or to correct it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from storage.errors import ValidationError
from storage.holidays import HolidayCalendar
from storage.i18n import _
from storage.register import Register

_CACHE_KEY = "_holiday_calendar"


def calendar(reg: Register) -> HolidayCalendar:
    """The calendar for this register, built once and kept until an entry changes."""
    cal = getattr(reg, _CACHE_KEY, None)
    if cal is None:
        manual = {date.fromisoformat(r["day"]): bool(r["is_workday"])
                  for r in reg.rows("SELECT day, is_workday FROM holidays")}
        cal = HolidayCalendar(manual)
        setattr(reg, _CACHE_KEY, cal)
    return cal


def set_day(reg: Register, day: date, is_workday: bool, note: str = "") -> None:
    """Enter one day of a State Council holiday notice (station head)."""
    reg.require_role("head")
    if len(note) > 40:
        raise ValidationError(_("备注最多40个字。"), "note")
    with reg.transaction():
        reg.conn.execute(
            "INSERT INTO holidays(day, is_workday, note, entered_by, entered_at) VALUES (?,?,?,?,?)"
            " ON CONFLICT(day) DO UPDATE SET is_workday = excluded.is_workday,"
            " note = excluded.note, entered_by = excluded.entered_by,"
            " entered_at = excluded.entered_at",
            (day.isoformat(), int(is_workday), note.strip(), reg.actor.username, reg.now()))
        _recompute(reg, day, lambda cal: cal.set_manual(day, is_workday))


def remove_day(reg: Register, day: date) -> None:
    reg.require_role("head")
    with reg.transaction():
        reg.conn.execute("DELETE FROM holidays WHERE day = ?", (day.isoformat(),))
        _recompute(reg, day, lambda cal: cal.remove_manual(day))


def _recompute(reg: Register, day: date, change: Callable[[HolidayCalendar], None]) -> None:
    """Apply ``change`` to the calendar and move the stored deadlines it moves, in the same
    transaction. Only a deadline falling on or after ``day`` can move (an earlier one was
    counted over days before it). If anything fails the cached calendar is dropped, so it is
    rebuilt from the rolled-back table."""
    from storage import workflow  # workflow reads this module's calendar

    try:
        change(calendar(reg))
        for (matter_id,) in reg.conn.execute(
                "SELECT id FROM matters WHERE deleted = 0 AND station_code = ? AND due_date >= ?",
                (reg.station_code, day.isoformat())).fetchall():
            workflow.refresh_due(reg, matter_id)
    except BaseException:
        setattr(reg, _CACHE_KEY, None)
        raise


def manual_days(reg: Register, year: int) -> list[tuple[date, bool, str]]:
    return [(date.fromisoformat(r["day"]), bool(r["is_workday"]), r["note"]) for r in reg.rows(
        "SELECT day, is_workday, note FROM holidays WHERE day LIKE ? ORDER BY day",
        (f"{year}-%",))]


def years_needing_entry(reg: Register, today: date) -> list[int]:
    """Years whose deadlines the station will compute soon but whose holidays are unknown:
    this year and, from November on (when the next notice is usually published), next year."""
    cal = calendar(reg)
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    return [y for y in years if not cal.knows_year(y)]
