"""Statistics periods (docs/domain.md §7.5): a month ``2026-10``, a quarter ``2026-Q3``, a year
``2026`` or any date range ``2026-01-01..2026-03-31``; the previous period (环比) and the same
period a year before (同比). Pure date logic."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from storage.errors import ValidationError
from storage.i18n import _

MONTH, QUARTER, YEAR, RANGE = "month", "quarter", "year", "range"
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|～|~|至)\s*(\d{4}-\d{2}-\d{2})$")


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Period:
    kind: str
    first: date
    last: date

    @property
    def key(self) -> str:
        if self.kind == MONTH:
            return f"{self.first.year:04d}-{self.first.month:02d}"
        if self.kind == QUARTER:
            return f"{self.first.year:04d}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == YEAR:
            return f"{self.first.year:04d}"
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    def label(self) -> str:
        y = self.first.year
        if self.kind == MONTH:
            return _("{y}年{m}月").format(y=y, m=self.first.month)
        if self.kind == QUARTER:
            return _("{y}年第{q}季度").format(y=y, q=(self.first.month - 1) // 3 + 1)
        if self.kind == YEAR:
            return _("{y}年").format(y=y)
        return _("{a}至{b}").format(a=self.first.isoformat(), b=self.last.isoformat())

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """环比: the period just before, of the same kind (a range: as many days just before)."""
        if self.kind == MONTH:
            before = self.first - timedelta(days=1)
            return month(before.year, before.month)
        if self.kind == QUARTER:
            before = self.first - timedelta(days=1)
            return quarter(before.year, (before.month - 1) // 3 + 1)
        if self.kind == YEAR:
            return year(self.first.year - 1)
        last = self.first - timedelta(days=1)
        return Period(RANGE, last - timedelta(days=self.days - 1), last)

    def year_before(self) -> Period:
        """同比: the same period one year earlier."""
        if self.kind == RANGE:
            return Period(RANGE, _shift_year(self.first, -1), _shift_year(self.last, -1))
        if self.kind == MONTH:
            return month(self.first.year - 1, self.first.month)
        if self.kind == QUARTER:
            return quarter(self.first.year - 1, (self.first.month - 1) // 3 + 1)
        return year(self.first.year - 1)

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        out = []
        y, m = self.first.year, self.first.month
        while (y, m) <= (self.last.year, self.last.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


def month(y: int, m: int) -> Period:
    return Period(MONTH, date(y, m, 1), _month_end(y, m))


def quarter(y: int, q: int) -> Period:
    return Period(QUARTER, date(y, 3 * q - 2, 1), _month_end(y, 3 * q))


def year(y: int) -> Period:
    return Period(YEAR, date(y, 1, 1), date(y, 12, 31))


def span(first: date, last: date) -> Period:
    if last < first:
        raise ValidationError(_("结束日期不能早于开始日期。"), "period")
    return Period(RANGE, first, last)


def parse(text: str) -> Period:
    """``2026-10`` · ``2026-Q3`` · ``2026`` · ``2026-01-01..2026-03-31``; anything else is
    refused in plain words."""
    value = text.strip()
    try:
        if found := _MONTH.match(value):
            y, m = int(found[1]), int(found[2])
            if 1 <= m <= 12:
                return month(y, m)
        elif found := _QUARTER.match(value):
            return quarter(int(found[1]), int(found[2]))
        elif found := _YEAR.match(value):
            return year(int(found[1]))
        elif found := _RANGE.match(value):
            return span(date.fromisoformat(found[1]), date.fromisoformat(found[2]))
    except ValueError:
        pass
    raise ValidationError(_("统计期间应写成 2026-10（月）、2026-Q3（季度）、2026（年）或"
                            " 2026-01-01..2026-03-31（日期范围）。"), "period")
