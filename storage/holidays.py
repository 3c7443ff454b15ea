"""Working days and rest days in mainland China, for deadline counting.

The ``chinese_calendar`` library knows the State Council's yearly holiday notices — statutory
holidays and the make-up working days (调休上班) on Saturdays/Sundays — up to its latest
published year. For a year it does not know (it raises ``NotImplementedError``) the station
head may enter the notice by hand; without such entries we fall back to "Saturday and Sunday
are rest days" and remember the year in ``fallback_years`` so the caller can warn.

Manual entries always win over the library: they also serve to correct it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

import chinese_calendar

from storage.errors import ValidationError
from storage.i18n import _

_ONE_DAY = timedelta(days=1)


def _as_date(day: date) -> date:
    # datetime is a subclass of date; the library and our caches want the plain date.
    return day.date() if isinstance(day, datetime) else day


class HolidayCalendar:
    """Answers "is this a working day?" with the library, manual entries and a weekend fallback.

    Results are cached per date (the app asks for every open case on every redraw).
    """

    def __init__(self, manual: Mapping[date, bool] | None = None) -> None:
        self._manual: dict[date, bool] = {}
        self._manual_years: set[int] = set()
        self._library_years: dict[int, bool] = {}
        self._cache: dict[date, bool] = {}
        self._next_cache: dict[date, date] = {}
        #: Years for which only the weekend rule was available when a date was asked for.
        self.fallback_years: set[int] = set()
        for d, workday in (manual or {}).items():
            self.set_manual(d, workday)

    # -- manual entries -------------------------------------------------------------------

    @property
    def manual(self) -> Mapping[date, bool]:
        """A read-only copy of the manual entries (date -> is_workday)."""
        return dict(self._manual)

    def set_manual(self, day: date, is_workday: bool) -> None:
        """Enter (or correct) one day of a holiday notice: ``is_workday`` False for a rest day."""
        day = _as_date(day)
        self._manual[day] = bool(is_workday)
        self._manual_years.add(day.year)
        self.fallback_years.discard(day.year)
        self._cache.clear()
        self._next_cache.clear()

    def remove_manual(self, day: date) -> None:
        """Drop a manual entry; the library (or the weekend rule) applies to the day again."""
        day = _as_date(day)
        if self._manual.pop(day, None) is None:
            return
        self._manual_years = {entered.year for entered in self._manual}
        self._cache.clear()
        self._next_cache.clear()

    # -- queries -----------------------------------------------------------------------------

    def library_knows_year(self, year: int) -> bool:
        """True when ``chinese_calendar`` has the holiday notice for ``year``."""
        known = self._library_years.get(year)
        if known is None:
            try:
                chinese_calendar.is_workday(date(year, 1, 1))
            except NotImplementedError:
                known = False
            else:
                known = True
            self._library_years[year] = known
        return known

    def knows_year(self, year: int) -> bool:
        """True when the library or the manual entries cover ``year``."""
        return year in self._manual_years or self.library_knows_year(year)

    def years_needing_entry(self, start: date, end: date) -> list[int]:
        """The years between ``start`` and ``end`` (inclusive, either order) nobody covers yet."""
        first, last = sorted((start.year, end.year))
        return [y for y in range(first, last + 1) if not self.knows_year(y)]

    def is_workday(self, day: date) -> bool:
        """True if ``d`` is a working day (make-up Saturdays included, holidays excluded)."""
        day = _as_date(day)
        cached = self._cache.get(day)
        if cached is not None:
            return cached
        result = self._compute(day)
        self._cache[day] = result
        return result

    def _compute(self, day: date) -> bool:
        manual = self._manual.get(day)
        if manual is not None:
            return manual
        if self.library_knows_year(day.year):
            return bool(chinese_calendar.is_workday(day))
        if day.year not in self._manual_years:
            self.fallback_years.add(day.year)
        return day.weekday() < 5

    def next_workday_on_or_after(self, start: date) -> date:
        """``start`` itself if it is a working day, otherwise the first working day after it."""
        start = _as_date(start)
        cached = self._next_cache.get(start)
        if cached is not None:
            return cached
        day = start
        # The longest run of rest days in any notice is 9 (Spring Festival 2026, Feb 15–23);
        # a year of manual "rest" entries could be longer, so we bound the search generously.
        for _i in range(366):
            if self.is_workday(day):
                self._next_cache[start] = day
                return day
            day += _ONE_DAY
        # Only possible if someone entered a whole year of rest days by hand.
        raise ValidationError(
            _("{date}之后一整年都被录入为休息日，请检查节假日设置。").format(date=start.isoformat()),
            field="holidays")
