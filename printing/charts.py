"""The charts of the monthly report, drawn with reportlab graphics so that the printed report
matches the 统计报表 page (ui/pages/reports_charts.py draws the same data with Qt Charts): the
monthly trend of 信访总量 beside last year's line, the breakdown by category and by channel."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from printing import fonts
from storage.i18n import _

THIS_YEAR = colors.HexColor("#1f5fa8")
LAST_YEAR = colors.HexColor("#a0a0a0")
PIE_COLOURS = [colors.HexColor(c) for c in ("#1f5fa8", "#e07b39", "#3a9a5b", "#c44e52",
                                            "#8172b2", "#937860", "#da8bc3")]


def _title(d: Drawing, text: str, width: float, height: float) -> None:
    d.add(String(width / 2, height - 12, text, fontName=fonts.register(fonts.HEI),
                 fontSize=10, textAnchor="middle"))


def _top(values: Sequence[int]) -> int:
    top = max([*values, 1])
    step = max(1, -(-top // 4))
    return step * 4 + step


def trend(year: int, this_year: Sequence[int], last_year: Sequence[int], upto: int,
          width: float, height: float = 150) -> Drawing:
    font = fonts.register(fonts.SONG)
    d = Drawing(width, height)
    _title(d, _("信访总量逐月走势"), width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 30, 30, width - 50, height - 60
    chart.data = [list(last_year), list(this_year[:upto])]
    chart.categoryAxis.categoryNames = [str(m) for m in range(1, 13)]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _top([*this_year, *last_year])
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.lines[0].strokeColor = LAST_YEAR
    chart.lines[1].strokeColor = THIS_YEAR
    chart.lines[1].strokeWidth = 1.6
    d.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 120, height - 22
    legend.fontName, legend.fontSize = font, 8
    legend.columnMaximum = 1
    legend.alignment = "right"
    legend.colorNamePairs = [(LAST_YEAR, _("{y}年").format(y=year - 1)),
                             (THIS_YEAR, _("{y}年").format(y=year))]
    d.add(legend)
    return d


def bars(title: str, counts: dict[str, int], width: float, height: float = 150,
         limit: int = 8) -> Drawing:
    font = fonts.register(fonts.SONG)
    d = Drawing(width, height)
    _title(d, title, width, height)
    keys = list(counts)[:limit] or [_("（无）")]
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 70, 10, width - 85, height - 35
    chart.data = [[counts.get(k, 0) for k in reversed(keys)]]
    chart.categoryAxis.categoryNames = list(reversed(keys))
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _top(list(counts.values()))
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.bars[0].fillColor = THIS_YEAR
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    d.add(chart)
    return d


def pie(title: str, counts: dict[str, int], width: float, height: float = 150) -> Drawing:
    font = fonts.register(fonts.SONG)
    d = Drawing(width, height)
    _title(d, title, width, height)
    data = {k: n for k, n in counts.items() if n} or {_("（无）"): 1}
    chart = Pie()
    size = min(width * 0.45, height - 40)
    chart.x, chart.y, chart.width, chart.height = 15, 10, size, size
    chart.data = list(data.values())
    chart.labels = None
    for i in range(len(data)):
        chart.slices[i].fillColor = PIE_COLOURS[i % len(PIE_COLOURS)]
        chart.slices[i].strokeColor = colors.white
    d.add(chart)
    legend = Legend()
    legend.x, legend.y = size + 35, height - 30
    legend.fontName, legend.fontSize = font, 8
    legend.alignment = "right"
    legend.colorNamePairs = [(PIE_COLOURS[i % len(PIE_COLOURS)], f"{k} {n}")
                             for i, (k, n) in enumerate(data.items())] if counts else []
    d.add(legend)
    return d
