"""The home page's charts: this year's monthly 信访总量 beside last year's line (this station; at
the county all townships together) and, at the county, the townships compared this year to date.
The same chart widgets as the 统计报表 page (reports_charts) and the same counting
(storage.statistics): the year's series per station is read once per refresh, two grouped
queries a year; clicking a point or a bar lists the matters behind it, as the reports page does.

Those queries read every matter of two years (0.1–1 s a year at a million matters, seconds from
a cold disk; issue 17), so the page asks for them with ``refresh_soon``: they are read once the
box has been painted (after the window's first paint, and only when in view), once for all the
refreshes asked for meanwhile (building the window refreshed the home page twice), and — for a
register on disk — on a thread with a connection of its own, the window usable meanwhile.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCharts import QBarSeries, QBarSet, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QWidget

from storage import statistics
from storage.db import connect
from storage.errors import PetitionDeskError
from storage.i18n import _
from storage.register import Register
from storage.sync import county
from ui.background import Job
from ui.context import AppContext, show_error
from ui.pages import reports_charts as charts

if TYPE_CHECKING:  # the drill-down (and the case list it shows) load when a chart is clicked
    from ui.pages.reports_drill import DrillDialog

#: The home page shows the charts lower than the reports page: the lists come first.
HEIGHT = 220
#: Each station's monthly totals of this year and of the year before.
Totals = tuple[dict[str, list[int]], dict[str, list[int]]]


class HomeCharts(QGroupBox):
    """Attributes: ``trend`` and ``townships`` (the chart views; ``townships`` only at the
    county), ``this_year`` / ``last_year`` (the trend's 12 numbers each), ``codes``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(_("信访总量走势（点击图中的点或柱，列出其中的信访件）"), parent)
        self.ctx = ctx
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(4, 4, 4, 4)
        self.empty = QLabel()
        self.row.addWidget(self.empty)
        self.trend: QChartView | None = None
        self.townships: QChartView | None = None
        self.this_year: list[int] = []
        self.last_year: list[int] = []
        self.codes: list[str] = []
        self.year = self.upto = 0
        self.pending = False  # a refresh asked for and not yet run
        self.scheduled = False  # … and its timer started (the box has been painted)
        self.refreshes = 0  # how many times the register was read (tests)
        self.generation = 0  # of the latest refresh: an older reading's totals are dropped
        self.reading: Job | None = None  # the thread reading the totals, while it runs

    def stations(self) -> list[str]:
        reg = self.ctx.reg
        if reg.mode == "county":
            return [code for code, _name in county.station_choices(reg)]
        return [reg.station_code]

    def refresh_soon(self) -> None:
        """Read the register again once this box has been painted (the window's first paint
        comes first; a timer of 0 ms ran before it) — when it is in view, and once for all
        the refreshes asked for meanwhile."""
        self.pending = True
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if self.pending and not self.scheduled:
            self.scheduled = True
            QTimer.singleShot(0, self, self._refresh_pending)

    def _refresh_pending(self) -> None:
        self.scheduled = False
        if self.pending:
            self.refresh()

    def refresh(self) -> None:
        """Read the register — on a thread with a connection of its own when the register is a
        file (two years of matters: seconds at a million matters from a cold disk, issue 17;
        the window stays usable meanwhile) — and draw the charts when the totals are in."""
        self.pending = False
        self.refreshes += 1
        self.generation += 1
        reg = self.ctx.reg
        today = reg.clock().date()
        year, codes = today.year, self.stations()
        if not codes or reg.path is None:
            self._draw(self.generation, year, today.month, codes, self._read(reg, year, codes))
            return
        generation, upto, path, clock = self.generation, today.month, Path(reg.path), reg.clock

        def read() -> tuple[int, int, int, list[str], Totals]:
            conn = connect(path)
            try:
                return generation, year, upto, codes, self._read(Register(conn, path, clock),
                                                                 year, codes)
            finally:
                conn.close()

        job = Job("home-charts", read, self)
        job.done.connect(self._drawn)  # a method of this box: delivered on the GUI thread
        self.reading = job.start()
        if self.trend is None:  # the first time: say why the box is still empty
            self.empty.setText(_("正在统计信访总量…"))
            self.empty.show()

    @staticmethod
    def _read(reg: Register, year: int, codes: list[str]) -> Totals:
        """Each station's year and the year before, once: the trend is their sum, the
        townships' bars their parts."""
        if not codes:
            return {}, {}
        return (statistics.monthly_totals_by_station(reg, year, codes),
                statistics.monthly_totals_by_station(reg, year - 1, codes))

    def _drawn(self, read: tuple[int, int, int, list[str], Totals] | None,
               error: BaseException | None) -> None:
        if error is not None or read is None:  # logged by the job; the charts stay as they were
            self.reading = None
            self.empty.setVisible(not self.codes)  # no longer "正在统计…"
            return
        self._draw(*read)

    def _draw(self, generation: int, year: int, upto: int, codes: list[str],
              totals: Totals) -> None:
        if generation != self.generation:
            return  # a later refresh is under way: its totals are drawn instead
        self.reading = None
        for view in (self.trend, self.townships):
            if view is not None:
                self.row.removeWidget(view)
                view.hide()  # at once: deleteLater alone leaves the old chart drawn until idle
                view.setParent(None)
                view.deleteLater()
        self.trend = self.townships = None
        reg = self.ctx.reg
        self.year, self.upto, self.codes = year, upto, codes
        self.empty.setVisible(not self.codes)
        if not self.codes:
            self.empty.setText(_("还没有任何乡镇的数据。"))
            return
        now, before = totals
        self.this_year = [sum(v[m] for v in now.values()) for m in range(12)]
        self.last_year = [sum(v[m] for v in before.values()) for m in range(12)]
        self.trend = charts.trend_chart(self.year, self.this_year, self.last_year, self.upto)
        self._fit(self.trend)
        lines = [s for s in self.trend.chart().series() if isinstance(s, QLineSeries)]
        for line, y in zip(lines, (self.year - 1, self.year), strict=True):
            line.clicked.connect(lambda point, y=y: self.drill_month(y, _index(point)))
        self.row.addWidget(self.trend, 3)
        if reg.mode != "county":
            return
        short = county.short_names(reg)
        self.townships = charts.townships_chart(
            [short.get(c, c) for c in self.codes],
            [sum(now[c][:self.upto]) for c in self.codes],
            [sum(before[c][:self.upto]) for c in self.codes])
        self.townships.chart().setTitle(_("各乡镇{y}年1至{m}月信访总量（与上年同期）").format(
            y=self.year, m=self.upto))
        self._fit(self.townships)
        for series in self.townships.chart().series():
            if isinstance(series, QBarSeries):
                series.clicked.connect(self._bar_clicked)
        self.row.addWidget(self.townships, 2)

    @staticmethod
    def _fit(view: QChartView) -> None:
        """Lower than on the reports page: three value ticks (six overlap and show as "…")
        and no axis titles."""
        view.setMinimumHeight(HEIGHT)
        view.setMaximumHeight(HEIGHT)
        for axis in view.chart().axes():
            axis.setTitleVisible(False)
            if isinstance(axis, QValueAxis):  # 0..5 steps: 0..6 steps in three whole ticks
                axis.setRange(0, axis.max() * 6 / 5)
                axis.setTickCount(3)

    def _bar_clicked(self, index: int, bars: QBarSet) -> None:
        last_year = bars.label() != _("本期")
        self.drill_township(index, self.year - 1 if last_year else self.year)

    # ----- drill-down --------------------------------------------------------------------
    def drill_month(self, year: int, month: int) -> DrillDialog | None:
        """The matters of 信访总量 in ``year``-``month`` (all stations shown)."""
        if not 1 <= month <= 12:
            return None
        return self._drill(_("{y}年{m}月信访总量").format(y=year, m=month),
                           statistics.month(year, month), self.codes)

    def drill_township(self, index: int, year: int) -> DrillDialog | None:
        """The matters of township ``index``'s bar: January to this month of ``year``."""
        if not 0 <= index < len(self.codes):
            return None
        code = self.codes[index]
        last = date(year, self.upto, monthrange(year, self.upto)[1])
        name = county.short_names(self.ctx.reg).get(code, code)
        return self._drill(_("{name}{y}年1至{m}月信访总量").format(name=name, y=year, m=self.upto),
                           statistics.span(date(year, 1, 1), last), [code])

    def _drill(self, title: str, period: statistics.Period,
               stations: list[str]) -> DrillDialog | None:
        try:
            figures = statistics.compute(self.ctx.reg, period, stations, with_screening=False)
        except PetitionDeskError as exc:
            show_error(self, exc)
            return None
        from ui.pages.reports_drill import DrillDialog

        dialog = DrillDialog(self.ctx, title, statistics.MATTERS,
                             figures.members.get("total", []), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog


def _index(point: QPointF) -> int:
    """The month (1–12) of a point clicked on the category axis (index positions 0–11)."""
    return int(round(point.x())) + 1
