"""Screening periods (排查周期): the calendar of the weekly / half-monthly / monthly grid report.

Pure date logic, no register. The cadence is local practice (docs/domain.md §5.2); the station chooses
it (``storage.screening.rules.cadence``). Every period has a stable key stored with the report:

* weekly — ISO weeks, Monday to Sunday: ``2026-W10``;
* half-monthly — 1st–15th and 16th–end of month: ``2026-03-1`` / ``2026-03-2``;
* monthly — ``2026-03``.

A period belongs to exactly one month (the month whose sheet counts it): for a week that is the
month of its Thursday — the ISO rule, so a week counts where most of its days are.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from storage.errors import ValidationError
from storage.i18n import N_, _

WEEKLY = "weekly"
HALF_MONTHLY = "half_monthly"
MONTHLY = "monthly"
CADENCES = (WEEKLY, HALF_MONTHLY, MONTHLY)
CADENCE_LABELS = {WEEKLY: N_("每周"), HALF_MONTHLY: N_("每半月"), MONTHLY: N_("每月")}

_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
_HALF_RE = re.compile(r"^(\d{4})-(\d{2})-([12])$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def parse_month(key: str) -> tuple[int, int]:
    """``"2026-03"`` -> (2026, 3); refuses anything else with a plain message."""
    m = _MONTH_RE.match(key.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValidationError(_("月份应写成 2026-03 的样子。"), "month")
    return int(m.group(1)), int(m.group(2))


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, order=True)
class Period:
    """One screening period; ordered by start date."""

    start: date
    end: date
    cadence: str
    key: str

    @property
    def month(self) -> str:
        """The month (``YYYY-MM``) whose sheet counts this period."""
        anchor = self.start + timedelta(days=3) if self.cadence == WEEKLY else self.start
        return month_key(anchor.year, anchor.month)

    def due(self, grace_days: int) -> date:
        """Last day on which the report is on time (e.g. the Monday after the week)."""
        return self.end + timedelta(days=grace_days)

    @property
    def label(self) -> str:
        """e.g. "2026年第10周（3月2日—3月8日）", "2026年3月上半月", "2026年3月"."""
        if self.cadence == WEEKLY:
            year, week, _wd = self.start.isocalendar()
            return _("{year}年第{week}周（{m1}月{d1}日—{m2}月{d2}日）").format(
                year=year, week=week, m1=self.start.month, d1=self.start.day,
                m2=self.end.month, d2=self.end.day)
        if self.cadence == HALF_MONTHLY:
            half = _("上半月") if self.start.day == 1 else _("下半月")
            return _("{year}年{month}月{half}").format(year=self.start.year,
                                                      month=self.start.month, half=half)
        return _("{year}年{month}月").format(year=self.start.year, month=self.start.month)

    @property
    def short_label(self) -> str:
        """A column header: "第10周", "3月上", "3月"."""
        if self.cadence == WEEKLY:
            return _("第{week}周").format(week=self.start.isocalendar()[1])
        if self.cadence == HALF_MONTHLY:
            return (_("{month}月上") if self.start.day == 1 else _("{month}月下")).format(
                month=self.start.month)
        return _("{month}月").format(month=self.start.month)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def period_containing(cadence: str, day: date) -> Period:
    if cadence == WEEKLY:
        start = day - timedelta(days=day.weekday())
        year, week, _wd = start.isocalendar()
        return Period(start, start + timedelta(days=6), WEEKLY, f"{year:04d}-W{week:02d}")
    if cadence == HALF_MONTHLY:
        first, last = month_bounds(day.year, day.month)
        if day.day <= 15:
            return Period(first, first.replace(day=15), HALF_MONTHLY,
                          f"{month_key(day.year, day.month)}-1")
        return Period(first.replace(day=16), last, HALF_MONTHLY,
                      f"{month_key(day.year, day.month)}-2")
    if cadence == MONTHLY:
        first, last = month_bounds(day.year, day.month)
        return Period(first, last, MONTHLY, month_key(day.year, day.month))
    raise ValidationError(_("未知的排查周期“{cadence}”。").format(cadence=cadence), "cadence")


def parse_period(key: str) -> Period:
    """The period a stored key names; a malformed key is refused."""
    key = key.strip()
    m = _WEEK_RE.match(key)
    if m:
        try:
            start = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            raise ValidationError(_("排查周期“{key}”不存在。").format(key=key),
                                  "period") from None
        return period_containing(WEEKLY, start)
    m = _HALF_RE.match(key)
    if m and 1 <= int(m.group(2)) <= 12:
        day = 1 if m.group(3) == "1" else 16
        return period_containing(HALF_MONTHLY, date(int(m.group(1)), int(m.group(2)), day))
    m = _MONTH_RE.match(key)
    if m and 1 <= int(m.group(2)) <= 12:
        return period_containing(MONTHLY, date(int(m.group(1)), int(m.group(2)), 1))
    raise ValidationError(_("排查周期“{key}”的写法不对。").format(key=key), "period")


def next_period(period: Period) -> Period:
    return period_containing(period.cadence, period.end + timedelta(days=1))


def previous_period(period: Period) -> Period:
    return period_containing(period.cadence, period.start - timedelta(days=1))


def periods_between(cadence: str, first: date, last: date) -> list[Period]:
    """Every period that overlaps ``first``..``last``, oldest first."""
    out: list[Period] = []
    if last < first:
        return out
    p = period_containing(cadence, first)
    while p.start <= last:
        out.append(p)
        p = next_period(p)
    return out


def periods_of_month(cadence: str, year: int, month: int) -> list[Period]:
    """The periods a month's sheet counts (for weeks: those whose Thursday is in the month)."""
    first, last = month_bounds(year, month)
    key = month_key(year, month)
    return [p for p in periods_between(cadence, first - timedelta(days=6),
                                       last + timedelta(days=6)) if p.month == key]
