"""The home page's charts over the hand-counted register: this year's monthly 信访总量 beside
last year's line, the same numbers the statistics count, and a click on a month's point lists
the matters behind it (the reports page's drill-down)."""

from __future__ import annotations

from PySide6.QtCharts import QLineSeries
from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from storage import statistics
from storage.register import Register
from tests.helpers.registers import FakeClock
from tests.storage.statistics.test_hand_count import HY, build
from ui.context import AppContext
from ui.pages.home import HomePage
from ui.pages.reports_drill import DrillDialog


def test_the_trend_shows_the_months_and_a_click_lists_the_matters(
        qtbot: QtBot, ctx: AppContext, reg: Register, clock: FakeClock) -> None:
    build(reg, clock)  # today 2026-11-30; HY: September 1, October 3 + a repeat visit
    page = HomePage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 900)
    page.show()
    qtbot.waitExposed(page)
    charts = page.charts
    assert charts.this_year == [0] * 8 + [1, 4, 0, 0]
    assert charts.last_year == [0] * 9 + [2, 0, 0]
    assert charts.this_year == statistics.monthly_totals(reg, 2026, [HY])  # one counting
    assert charts.townships is None  # a station: no townships compared
    assert charts.trend is not None
    lines = [s for s in charts.trend.chart().series() if isinstance(s, QLineSeries)]
    assert [line.name() for line in lines] == ["2025年", "2026年"]
    assert [p.y() for p in lines[1].points()] == [0] * 8 + [1, 4, 0]  # up to November
    assert [p.y() for p in lines[0].points()] == [0] * 9 + [2, 0, 0]
    # the clerk clicks October's point of this year's line
    at = charts.trend.chart().mapToPosition(QPointF(9, 4), lines[1])
    pos = charts.trend.mapFromScene(at)
    qtbot.mouseClick(charts.trend.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(round(pos.x()), round(pos.y())))
    dialogs = page.findChildren(DrillDialog)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.windowTitle() == "2026年10月信访总量"
    names = {dialog.model.data(dialog.model.index(r, 1)) for r in range(dialog.model.rowCount())}
    assert names == {"赵六", "孙七", "张伟"}  # the repeat visit's matter once
    # last year's October, through the same drill-down
    old = charts.drill_month(2025, 10)
    assert old is not None and old.windowTitle() == "2025年10月信访总量"
    assert {old.model.data(old.model.index(r, 1)) for r in range(2)} == {"张伟", "李娜"}
