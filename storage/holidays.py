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


def _as_date(d: date) -> date:
    # datetime is a subclass of date; the library and our caches want the plain date.
    return d.date() if isinstance(d, datetime) else d


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

    def set_manual(self, d: date, is_workday: bool) -> None:
        """Enter (or correct) one day of a holiday notice: ``is_workday`` False for a rest day."""
        d = _as_date(d)
        self._manual[d] = bool(is_workday)
        self._manual_years.add(d.year)
        self.fallback_years.discard(d.year)
        self._cache.clear()
        self._next_cache.clear()

    def remove_manual(self, d: date) -> None:
        """Drop a manual entry; the library (or the weekend rule) applies to the day again."""
        d = _as_date(d)
        if self._manual.pop(d, None) is None:
            return
        self._manual_years = {day.year for day in self._manual}
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

    def is_workday(self, d: date) -> bool:
        """True if ``d`` is a working day (make-up Saturdays included, holidays excluded)."""
        d = _as_date(d)
        cached = self._cache.get(d)
        if cached is not None:
            return cached
        result = self._compute(d)
        self._cache[d] = result
        return result

    def _compute(self, d: date) -> bool:
        manual = self._manual.get(d)
        if manual is not None:
            return manual
        if self.library_knows_year(d.year):
            return bool(chinese_calendar.is_workday(d))
        if d.year not in self._manual_years:
            self.fallback_years.add(d.year)
        return d.weekday() < 5

    def next_workday_on_or_after(self, d: date) -> date:
        """``d`` itself if it is a working day, otherwise the first working day after it."""
        d = _as_date(d)
        cached = self._next_cache.get(d)
        if cached is not None:
            return cached
        day = d
        # The longest run of rest days in any notice is 9 (Spring Festival 2026, Feb 15–23);
        # a year of manual "rest" entries could be longer, so we bound the search generously.
        for _i in range(366):
            if self.is_workday(day):
                self._next_cache[d] = day
                return day
            day += _ONE_DAY
        # Only possible if someone entered a whole year of rest days by hand.
        raise ValidationError(
            _("{date}之后一整年都被录入为休息日，请检查节假日设置。").format(date=d.isoformat()),
            field="holidays")
