"""The home page's charts over the hand-counted register: this year's monthly 信访总量 beside
last year's line, the same numbers the statistics count, and a click on a month's point lists
the matters behind it (the reports page's drill-down). At the county: all townships' trend and
a bar per township, each bar listing that township's matters."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCharts import QBarSeries, QLineSeries
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from storage import statistics
from storage.register import Register
from tests.helpers.county import HUAYUAN, SHIQIAO
from tests.helpers.registers import FakeClock
from tests.storage.statistics.test_hand_count import HY, build
from tests.ui.test_county_views import cctx, cty
from ui.context import AppContext
from ui.pages.home import HomePage
from ui.pages.reports_drill import DrillDialog

__all__ = ["cctx", "cty"]  # the county fixtures, used by name


def test_the_trend_shows_the_months_and_a_click_lists_the_matters(
        qtbot: QtBot, ctx: AppContext, reg: Register, clock: FakeClock) -> None:
    build(reg, clock)  # today 2026-11-30; HY: September 1, October 3 + a repeat visit
    page = HomePage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 900)
    page.show()
    qtbot.waitExposed(page)
    charts = page.charts
    qtbot.waitUntil(lambda: charts.trend is not None)  # drawn once the page has painted
    qtbot.waitUntil(lambda: charts.trend is not None and charts.trend.isVisible())
    qtbot.wait(100)  # the new chart laid out in its place, as the clerk sees it
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


def test_the_county_sees_all_townships_and_each_townships_bar(qtbot: QtBot,
                                                              cctx: AppContext) -> None:
    reg = cctx.reg
    page = HomePage(cctx)
    qtbot.addWidget(page)
    page.resize(1300, 900)
    page.show()  # the charts are read once they are in view
    charts = page.charts
    qtbot.waitUntil(lambda: charts.townships is not None)
    year, month = reg.clock().date().year, reg.clock().date().month
    hy = statistics.monthly_totals(reg, year, [HUAYUAN])
    sq = statistics.monthly_totals(reg, year, [SHIQIAO])
    assert charts.codes == [HUAYUAN, SHIQIAO]
    assert charts.this_year == [a + b for a, b in zip(hy, sq, strict=True)]
    assert (sum(hy), sum(sq)) == (2, 1)  # the assessment's March: 花园 2, 石桥 1
    assert charts.townships is not None
    bars = next(s for s in charts.townships.chart().series() if isinstance(s, QBarSeries))
    now = bars.barSets()[0]
    assert [now.at(i) for i in range(now.count())] == [sum(hy[:month]), sum(sq[:month])]
    bars.clicked.emit(1, now)  # the clerk clicks 石桥's bar
    dialog = next(d for d in page.findChildren(DrillDialog) if d.isVisible())
    assert dialog.windowTitle() == f"石桥{year}年1至{month}月信访总量"
    assert dialog.model.rowCount() == len(dialog.ids) == sum(sq[:month])


def test_the_window_paints_before_the_charts_read_the_year_and_reads_it_once(
        qtbot: QtBot, ctx: AppContext, reg: Register, clock: FakeClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17: at a million matters the two years' totals took ~1 s each, read twice (the
    home page refreshed when built and again when shown) before the window's first paint —
    Enter → main window 3.9 s. Now: after the paint, once."""
    from ui.main_window import MainWindow

    build(reg, clock)
    years: list[int] = []
    counting = statistics.monthly_totals_by_station

    def counted(r: Register, year: int, stations: object = None) -> dict[str, list[int]]:
        years.append(year)
        return counting(r, year, stations)  # type: ignore[arg-type]

    monkeypatch.setattr(statistics, "monthly_totals_by_station", counted)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.pages["home"]
    assert isinstance(page, HomePage)
    assert years == []  # nothing read yet: the window paints first
    assert page.card_values["overdue"].text() == "2"  # the cards are filled at once
    painted: list[int] = []

    class Watch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt
            if event.type() == QEvent.Type.Paint and obj is window:
                painted.append(len(years))  # how many years were read at the paint
            return False

    watch = Watch()
    window.installEventFilter(watch)
    window.resize(1300, 900)
    window.show()
    qtbot.waitUntil(lambda: page.charts.trend is not None)
    assert painted[0] == 0  # the window painted before the charts read anything
    assert sorted(years) == [2025, 2026]  # once each, for both refreshes asked for
    assert page.charts.refreshes == 1
    assert page.charts.this_year == [0] * 8 + [1, 4, 0, 0]
    page.refresh()  # the clerk comes back to the home page: read again
    qtbot.waitUntil(lambda: page.charts.refreshes == 2)
    assert len(years) == 4


def test_a_register_on_disk_is_read_for_the_charts_on_a_thread_of_its_own(
        qtbot: QtBot, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17: after the window's first paint the two years' totals froze it for 2–5 s at a
    million matters. A register on disk is read on a thread with its own connection; the
    latest refresh's totals are the ones drawn."""
    import threading

    from storage.db import open_register
    from tests.helpers.registers import CHEAP_HASHER, set_up

    reg = set_up(open_register(tmp_path / "reg", clock=clock, password_hasher=CHEAP_HASHER))
    try:
        build(reg, clock)
        threads: list[str] = []
        counting = statistics.monthly_totals_by_station

        go = threading.Event()

        def counted(r: Register, year: int, stations: object = None) -> dict[str, list[int]]:
            threads.append(threading.current_thread().name)
            assert r.conn is not reg.conn  # a connection of its own
            go.wait(10)
            return counting(r, year, stations)  # type: ignore[arg-type]

        monkeypatch.setattr(statistics, "monthly_totals_by_station", counted)
        page = HomePage(AppContext(reg, tmp_path / "reg"))
        qtbot.addWidget(page)
        page.resize(1300, 900)
        page.show()
        qtbot.waitUntil(lambda: page.charts.reading is not None)
        assert page.charts.empty.isVisible() and page.charts.empty.text() == "正在统计信访总量…"
        go.set()
        qtbot.waitUntil(lambda: page.charts.trend is not None)
        assert not page.charts.empty.isVisible()
        assert set(threads) == {"home-charts"}
        assert page.charts.this_year == [0] * 8 + [1, 4, 0, 0]
        assert page.charts.reading is None
        page.charts.refresh()
        page.charts.refresh()  # asked again while the first reading runs: the last one counts
        qtbot.waitUntil(lambda: page.charts.reading is None)
        assert page.charts.generation == 3 and page.charts.this_year == [0] * 8 + [1, 4, 0, 0]
        page.close()
    finally:
        reg.close()
