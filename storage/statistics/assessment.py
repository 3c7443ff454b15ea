"""The county's assessment (考核) of its townships for a period (docs/domain.md §7.6): townships
× indicators with a rank in each, the county total (pooled: numerators over denominators), and
the townships whose bundles for the period's months have not arrived, named plainly — their
figures are as incomplete as their bundles.

Ranking: competition ranking (1, 1, 3). Fewer is better for volumes, 重件, 集体访 and 越级访 and
for the 同比 change of 信访总量; more is better for the rates. A figure that cannot be computed
("—") ranks after every township that has one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from storage.i18n import _
from storage.rates import Rate
from storage.register import Register
from storage.statistics.compare import YOY, Change, change
from storage.statistics.definitions import ASSESSED, DEFINITIONS
from storage.statistics.figures import Figures, compute, pool
from storage.statistics.periods import Period

TOTAL = "__total__"


@dataclass
class AssessmentRow:
    code: str
    name: str
    figures: Figures
    year_before: Figures
    values: dict[str, int | Rate | Change] = field(default_factory=dict)
    ranks: dict[str, int | None] = field(default_factory=dict)

    def sort_value(self, key: str) -> float | None:
        value = self.values[key]
        if isinstance(value, Change):
            return value.percent if value.percent is not None else value.diff
        if isinstance(value, Rate):
            return value.percent
        return float(value)


@dataclass
class MissingBundles:
    code: str
    name: str
    months: list[str]

    def text(self) -> str:
        return _("{name}：缺{months}的数据包").format(name=self.name,
                                                   months=_("、").join(self.months))


@dataclass
class Assessment:
    period: Period
    rows: list[AssessmentRow]
    total: AssessmentRow
    missing: list[MissingBundles]


def indicator_label(key: str) -> str:
    if key == "total_yoy":
        return _("信访总量同比")
    return DEFINITIONS[key].name


def lower_is_better(key: str) -> bool:
    return True if key == "total_yoy" else DEFINITIONS[key].lower_is_better


def _row(code: str, name: str, figures: Figures, year_before: Figures) -> AssessmentRow:
    row = AssessmentRow(code, name, figures, year_before)
    for key in ASSESSED:
        row.values[key] = change(figures, year_before, "total", YOY) if key == "total_yoy" \
            else figures.value(key)
    return row


def _rank(rows: list[AssessmentRow]) -> None:
    for key in ASSESSED:
        low = lower_is_better(key)
        known = [(r.sort_value(key), r) for r in rows if r.sort_value(key) is not None]
        for r in rows:
            r.ranks[key] = None
        for value, r in known:
            assert value is not None
            better = sum(1 for v, _r in known
                         if v is not None and (v < value if low else v > value))
            r.ranks[key] = better + 1


def _missing(reg: Register, period: Period, names: dict[str, str]) -> list[MissingBundles]:
    if reg.mode != "county":
        return []
    from storage.sync import county

    months = {f"{y:04d}-{m:02d}" for y, m in period.months()}
    out = []
    for h in county.history(reg):
        if h.station_code in names and h.active:
            gone = sorted(months & set(h.missing_months))
            if not h.bundles:
                gone = sorted(months)
            if gone:
                out.append(MissingBundles(h.station_code, names[h.station_code], gone))
    return out


def townships(reg: Register) -> list[tuple[str, str]]:
    """(code, name) of the townships held here (at a station: itself)."""
    if reg.mode != "county":
        from storage import station

        return [(reg.station_code, station.station(reg).name)]
    from storage.sync import county

    return county.station_choices(reg)


def assess(reg: Register, period: Period,
           stations: Sequence[tuple[str, str]] | None = None, *,
           with_screening: bool = True) -> Assessment:
    """Townships × indicators for ``period``; ``stations`` defaults to every township held."""
    chosen = list(stations or townships(reg))
    last_year = period.year_before()
    rows = [_row(code, name, compute(reg, period, (code,), with_screening=with_screening),
                 compute(reg, last_year, (code,), with_screening=with_screening))
            for code, name in chosen]
    _rank(rows)
    # the total pools the townships' figures (the same as computing them together: a test
    # checks it) instead of reading the register twice more
    total = _row(TOTAL, _("全县合计"), pool(period, [r.figures for r in rows]),
                 pool(last_year, [r.year_before for r in rows]))
    return Assessment(period, rows, total, _missing(reg, period, dict(chosen)))
