"""Petition statistics (docs/domain.md §7): periods, every figure of a period as of its end,
同比/环比, the county's assessment of its townships. Code outside this package imports only
from here.

* ``periods``      — month / quarter / year / date range; previous period and year before;
* ``definitions``  — each figure's name, unit, formula and ranking direction, written once;
* ``figures``      — the figures of a period for one or more stations, with the records behind;
* ``screening_reports`` — 排查上报完整率 from the townships' monthly sheets;
* ``compare``      — 同比 / 环比 as change and percentage, or "—" with the reason;
* ``report``       — a period with its two bases; the month as the monthly report prints it;
* ``assessment``   — townships × indicators with ranks, the county total, missing bundles;
* ``export``       — all of it as plain data (``--json``).
"""

from storage.rates import Rate
from storage.statistics.assessment import (
    TOTAL,
    Assessment,
    AssessmentRow,
    MissingBundles,
    assess,
    indicator_label,
    lower_is_better,
    townships,
)
from storage.statistics.compare import MOM, YOY, Change, change
from storage.statistics.definitions import (
    ASSESSED,
    BACKLOG,
    DEFINITIONS,
    MAIN,
    MATTERS,
    MEDIATIONS,
    SCREENING,
    Definition,
    definition,
)
from storage.statistics.export import assessment_data, change_data, figures_data, report_data
from storage.statistics.figures import Figures, compute, monthly_totals, pool
from storage.statistics.periods import (
    MONTH,
    QUARTER,
    RANGE,
    YEAR,
    Period,
    month,
    parse,
    quarter,
    span,
    year,
)
from storage.statistics.report import MonthlyStatistics, Report, monthly, report

__all__ = [
    "ASSESSED",
    "BACKLOG",
    "DEFINITIONS",
    "MAIN",
    "MATTERS",
    "MEDIATIONS",
    "MOM",
    "MONTH",
    "QUARTER",
    "RANGE",
    "SCREENING",
    "TOTAL",
    "YEAR",
    "YOY",
    "Assessment",
    "AssessmentRow",
    "Change",
    "Definition",
    "Figures",
    "MissingBundles",
    "MonthlyStatistics",
    "Period",
    "Rate",
    "Report",
    "assess",
    "assessment_data",
    "change_data",
    "figures_data",
    "report_data",
    "change",
    "compute",
    "definition",
    "indicator_label",
    "lower_is_better",
    "month",
    "monthly_totals",
    "monthly",
    "parse",
    "pool",
    "quarter",
    "report",
    "span",
    "townships",
    "year",
]
