"""A period's statistics with its comparisons: the figures of the period, of the period before
(环比) and of the same period a year before (同比), each computed as of its own end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from storage import mediation
from storage.i18n import _
from storage.rates import Rate
from storage.register import Register
from storage.statistics.compare import MOM, YOY, Change, change
from storage.statistics.definitions import MAIN
from storage.statistics.figures import Figures, compute
from storage.statistics.periods import Period, parse


@dataclass
class Report:
    period: Period
    stations: tuple[str, ...]
    current: Figures
    previous: Figures  # 环比 base
    year_before: Figures  # 同比 base

    def yoy(self, key: str) -> Change:
        return change(self.current, self.year_before, key, YOY)

    def mom(self, key: str) -> Change:
        return change(self.current, self.previous, key, MOM)


def report(reg: Register, period: Period, stations: Sequence[str] | None = None, *,
           with_screening: bool = True) -> Report:
    st = tuple(stations or (reg.station_code,))
    previous = compute(reg, period.previous(), st, with_screening=with_screening)
    # a year's previous period is the year before: computed once
    year_before = previous if period.previous() == period.year_before() else compute(
        reg, period.year_before(), st, with_screening=with_screening)
    return Report(period, st, compute(reg, period, st, with_screening=with_screening),
                  previous, year_before)


def main_keys() -> tuple[str, ...]:
    return MAIN


# ----- the month as the monthly report and the reports page print it -------------------------
@dataclass
class MonthlyStatistics:
    month: str
    station_code: str
    total_items: int  # 信访总量（件次）: matters registered plus repeat visits in the month
    new_matters: int
    repeat_visits: int
    by_form: dict[str, int]  # 件次 per channel, repeat visits included
    visit_batches: int  # 来访 批次, repeat visits included
    visit_persons: int
    collective_batches: int
    collective_persons: int
    skip_level: int
    first_petitions: int  # 初件, as decided at registration
    repeat_petitions: int  # 重件, as decided at registration
    by_category: dict[str, int]
    by_village: dict[str, int]
    decided: dict[str, int]  # 受理 / 不予受理 / 不再受理 in the month
    replies: dict[str, int]  # 支持 / 解释说明 / 不予支持
    closed: int  # 本月办结: written reply or decision not to (re)accept
    carried_in: int
    open_at_end: int
    overdue_at_end: int
    timely_acceptance: Rate
    on_time_completion: Rate
    rating_participation: Rate
    satisfaction: Rate
    ratings: dict[str, int]
    mediation: Any = None  # storage.mediation.MonthStats
    screening: dict[str, Any] = field(default_factory=dict)
    figures: Figures | None = None


def monthly(reg: Register, month: str, *, station_code: str | None = None) -> MonthlyStatistics:
    """One month as of its end; at the county ``station_code`` selects one township."""
    period = parse(month)
    if period.kind != "month":
        from storage.errors import ValidationError

        raise ValidationError(_("月份格式应为 YYYY-MM，例如 2026-03。"), "month")
    code = station_code or reg.station_code
    f = compute(reg, period, (code,), with_screening=False)
    c = f.counts
    stats = MonthlyStatistics(
        month=period.key, station_code=code, total_items=c["total"],
        new_matters=c["new_matters"], repeat_visits=c["repeat_visits"], by_form=f.by_form,
        visit_batches=c["visit_batches"], visit_persons=c["visit_persons"],
        collective_batches=c["collective_batches"], collective_persons=c["collective_persons"],
        skip_level=c["skip_level"], first_petitions=c["first_petitions"],
        repeat_petitions=c["repeat_petitions"], by_category=f.by_category,
        by_village=f.by_village,
        decided={_("受理"): c["accepted"], _("不予受理"): c["not_accepted"],
                 _("不再受理"): c["not_reaccepted"]},
        replies=f.replies, closed=c["concluded"], carried_in=c["carried_in"],
        open_at_end=c["open_at_end"], overdue_at_end=c["overdue_at_end"],
        timely_acceptance=f.rates["timely_acceptance"],
        on_time_completion=f.rates["on_time_completion"],
        rating_participation=f.rates["rating_participation"],
        satisfaction=f.rates["satisfaction"], ratings=f.ratings, figures=f)
    if code == reg.station_code:
        stats.mediation = mediation.month_stats(reg, period.key)
    return stats
