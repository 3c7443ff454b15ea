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


def store_day(reg: Register, day: date, is_workday: bool, note: str = "") -> None:
    """Write one day of a State Council holiday notice into the station's table and the cached
    calendar. Part of a user action: the caller holds the transaction and moves the stored
    deadlines the day moves (``storage.petitions.set_holiday``)."""
    reg.require_role("head")
    if len(note) > 40:
        raise ValidationError(_("备注最多40个字。"), "note")
    reg.conn.execute(
        "INSERT INTO holidays(day, is_workday, note, entered_by, entered_at) VALUES (?,?,?,?,?)"
        " ON CONFLICT(day) DO UPDATE SET is_workday = excluded.is_workday,"
        " note = excluded.note, entered_by = excluded.entered_by,"
        " entered_at = excluded.entered_at",
        (day.isoformat(), int(is_workday), note.strip(), reg.actor.username, reg.now()))
    _change_cached(reg, lambda cal: cal.set_manual(day, is_workday))


def drop_day(reg: Register, day: date) -> None:
    """Remove a day entered by hand (the library's notice applies again); caller as above."""
    reg.require_role("head")
    reg.conn.execute("DELETE FROM holidays WHERE day = ?", (day.isoformat(),))
    _change_cached(reg, lambda cal: cal.remove_manual(day))


def forget(reg: Register) -> None:
    """Drop the cached calendar: it is rebuilt from the table (after a rolled-back change)."""
    setattr(reg, _CACHE_KEY, None)


def _change_cached(reg: Register, change: Callable[[HolidayCalendar], None]) -> None:
    try:
        change(calendar(reg))
    except BaseException:
        forget(reg)
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
