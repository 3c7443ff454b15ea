"""The charts of the 统计报表 page (Qt Charts): the monthly trend of 信访总量 beside last year's
line, the breakdown by category and by channel, and the townships compared at the county. The
printed report draws the same data with reportlab (printing/charts.py)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy

from storage.i18n import _

THIS_YEAR = QColor("#1f5fa8")
LAST_YEAR = QColor("#a0a0a0")
HEIGHT = 300


def _view(chart: QChart) -> QChartView:
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(HEIGHT)
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return view


def _value_axis(top: float) -> QValueAxis:
    axis = QValueAxis()
    step = max(1, -(-int(top) // 4))  # whole numbers on the ticks
    axis.setRange(0, step * 5)
    axis.setTickCount(6)
    axis.setLabelFormat("%d")
    return axis


def trend_chart(year: int, this_year: Sequence[int], last_year: Sequence[int],
                upto: int = 12) -> QChartView:
    """Months 1..12: this year's line up to month ``upto``, last year's whole line."""
    chart = QChart()
    chart.setTitle(_("信访总量逐月走势"))
    axis_x = QBarCategoryAxis()
    axis_x.append([str(m) for m in range(1, 13)])
    axis_x.setTitleText(_("月"))
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    axis_y = _value_axis(max([*this_year, *last_year, 1]))
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    for label, values, colour, count in ((str(year - 1), last_year, LAST_YEAR, 12),
                                         (str(year), this_year, THIS_YEAR, upto)):
        line = QLineSeries()
        line.setName(_("{y}年").format(y=label))
        for m, v in enumerate(values[:count]):
            line.append(QPointF(m + 0.0, float(v)))  # category axis: index positions
        line.setColor(colour)
        line.setPointsVisible(True)
        chart.addSeries(line)
        line.attachAxis(axis_x)
        line.attachAxis(axis_y)
    return _view(chart)


def bars_chart(title: str, counts: dict[str, int], before: dict[str, int] | None = None,
               *, limit: int = 8) -> QChartView:
    """A horizontal bar per key (the largest ``limit``), with last year's bar when given."""
    chart = QChart()
    chart.setTitle(title)
    keys = list(counts)[:limit] or [_("（无）")]
    series = QHorizontalBarSeries()
    now = QBarSet(_("本期"))
    now.append([float(counts.get(k, 0)) for k in reversed(keys)])
    now.setColor(THIS_YEAR)
    series.append(now)
    if before is not None:
        old = QBarSet(_("上年同期"))
        old.append([float(before.get(k, 0)) for k in reversed(keys)])
        old.setColor(LAST_YEAR)
        series.append(old)
    chart.addSeries(series)
    axis_y = QBarCategoryAxis()
    axis_y.append(list(reversed(keys)))  # the largest at the top
    axis_y.setTruncateLabels(False)  # category names are short; "…" told nothing
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_y)
    axis_x = _value_axis(max([*counts.values(), *(before or {}).values(), 1]))
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_x)
    return _view(chart)


def pie_chart(title: str, counts: dict[str, int]) -> QChartView:
    chart = QChart()
    chart.setTitle(title)
    series = QPieSeries()
    total = sum(counts.values())
    for key, n in counts.items():
        part = series.append(f"{key} {n}", float(n))
        part.setLabelVisible(total > 0 and n / total >= 0.05)
    chart.addSeries(series)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    return _view(chart)


def townships_chart(names: Sequence[str], now: Sequence[int],
                    before: Sequence[int]) -> QChartView:
    """信访总量 of each township, this period beside the same period last year."""
    chart = QChart()
    chart.setTitle(_("各乡镇信访总量（本期与上年同期）"))
    series = QBarSeries()
    for label, values, colour in ((_("本期"), now, THIS_YEAR), (_("上年同期"), before, LAST_YEAR)):
        bars = QBarSet(label)
        bars.append([float(v) for v in values])
        bars.setColor(colour)
        series.append(bars)
    chart.addSeries(series)
    axis_x = QBarCategoryAxis()
    axis_x.append(list(names) or [_("（无）")])
    axis_x.setTruncateLabels(False)
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_x)
    axis_y = _value_axis(max([*now, *before, 1]))
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_y)
    return _view(chart)
