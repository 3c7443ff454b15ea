"""The 统计报表 page over the hand-counted register: the period chosen as a clerk would, the
figures with their 同比/环比 and formula tooltips, the drill-down listing the matters behind a
figure (the case list), the charts, a quarter, and Excel out."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCharts import QChartView
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from storage.register import Register
from tests.helpers.registers import FakeClock
from tests.storage.statistics.test_hand_count import build
from ui.context import AppContext
from ui.pages.reports import ReportsPage
from ui.pages.reports_drill import DrillDialog


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext, reg: Register, clock: FakeClock) -> ReportsPage:
    build(reg, clock)
    clock.now = datetime(2026, 11, 30, 9, 0)
    p = ReportsPage(ctx)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    return p


def rows(page: ReportsPage) -> dict[str, list[str]]:
    t = page.figures
    return {t.item(r, 0).text(): [t.item(r, c).text() for c in range(1, 4)]
            for r in range(t.rowCount())}


def test_october_with_yoy_mom_tooltips_and_drill_down(qtbot: QtBot, page: ReportsPage) -> None:
    assert page.month.date() == QDate(2026, 10, 1)  # last month by default
    assert page.period_label.text() == "2026年10月（2026-10-01至2026-10-31）"
    shown = rows(page)
    assert shown["信访总量"] == ["4件次", "+2（+100.0%）", "+3（+300.0%）"]
    assert shown["及时受理率"][0] == "33.3%（1/3）"
    assert shown["及时受理率"][1] == "-66.7个百分点（-66.7%）"
    assert shown["按期办结率"] == ["—", "—（本期无可计算的基数）", "—（本期无可计算的基数）"]
    assert shown["信访形式：来访"][0] == "3"
    timely = next(r for r in range(page.figures.rowCount())
                  if page.figures.item(r, 0).text() == "及时受理率")
    assert page.figures.item(timely, 1).toolTip().startswith("受理告知期限在本期内")
    assert "分子/分母：1/3" in page.figures.item(timely, 1).toolTip()
    assert "上期末未办结 1 + 本期登记 3 = 本期办结 1 + 期末未办结 3" in page.note.text()
    # the clerk moves to 期末未办结 and presses Enter: its three matters, as the case list shows
    row = next(r for r in range(page.figures.rowCount())
               if page.figures.item(r, 0).text() == "期末未办结")
    page.figures.setFocus()
    page.figures.setCurrentCell(row, 0)
    qtbot.keyClick(page.figures, Qt.Key.Key_Return)
    dialogs = page.findChildren(DrillDialog)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.windowTitle() == "期末未办结"
    assert dialog.model.rowCount() == 3
    listed = {dialog.model.data(dialog.model.index(r, 1)) for r in range(3)}
    assert listed == {"王五", "孙七", "张伟"}
    # charts: trend, categories, channels
    assert len(page.findChildren(QChartView)) == 3
    assert not page.tabs.isTabVisible(page.ranking_tab)  # a station: no county assessment


def test_a_quarter_and_excel(page: ReportsPage, tmp_path: Path) -> None:
    page.kind.setFocus()
    page.kind.setCurrentIndex(page.kind.findData("quarter"))
    assert page.period_label.text().startswith("2026年第4季度")
    assert rows(page)["信访总量"][0] == "4件次"
    assert not page.buttons[("monthly-report", "preview")].isEnabled()  # the month's documents
    page.kind.setCurrentIndex(page.kind.findData("range"))
    page.month.setDate(QDate(2026, 9, 1))
    page.until.setDate(QDate(2026, 10, 31))
    assert page.period_label.text() == "2026-09-01至2026-10-31"
    assert rows(page)["信访总量"][0] == "5件次"
    saved = page.save_xlsx(tmp_path / "range.xlsx")
    assert saved is not None
    book = load_workbook(saved)
    assert book["统计指标"]["C4"].value == 5


def test_a_register_on_disk_is_counted_off_the_gui_thread(qtbot: QtBot, tmp_path: Path) -> None:
    """A county's year at a million matters takes seconds: the page counts a register on disk
    on a thread of its own ("正在统计…", the documents greyed), shows the same figures as
    counting at once, and a later choice's figures win over an earlier count still running."""
    from storage.db import open_register
    from tests.helpers.registers import CHEAP_HASHER, set_up

    clock = FakeClock()
    reg = set_up(open_register(tmp_path / "data", clock=clock, password_hasher=CHEAP_HASHER))
    build(reg, clock)
    clock.now = datetime(2026, 11, 30, 9, 0)
    p = ReportsPage(AppContext(reg, tmp_path / "data"))
    qtbot.addWidget(p)
    p.show()
    assert p.counting is not None and "正在统计" in p.counting_label.text()
    assert not any(b.isEnabled() for b in p.buttons.values())
    qtbot.waitUntil(lambda: p.counting is None, timeout=20_000)
    assert p.counting_label.text() == ""
    assert rows(p)["信访总量"] == ["4件次", "+2（+100.0%）", "+3（+300.0%）"]  # as counted at once
    assert p.buttons[("monthly-report", "preview")].isEnabled()
    # two choices in a row: the first count's figures never reach the page
    p.month.setDate(QDate(2026, 9, 1))
    first = p.generation
    p.month.setDate(QDate(2026, 10, 1))
    assert p.generation == first + 1
    qtbot.waitUntil(lambda: p.counting is None, timeout=20_000)
    assert p.period_label.text() == "2026年10月（2026-10-01至2026-10-31）"
    assert rows(p)["信访总量"][0] == "4件次"
    from ui.background import Job

    for job in p.findChildren(Job):
        job.wait()
    reg.close()
