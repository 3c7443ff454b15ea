"""Drill-down of 排查上报完整率 on the 统计报表 page: Enter on the figure lists the grid
screening reports behind it — missing first, then late, zero and reported — counted from the
same monthly sheets as the rate (the March register of the screening sheet tests)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from storage import statistics
from storage.register import Register
from tests.storage.screening.test_screening_sheet import march
from ui.context import AppContext
from ui.pages.reports import ReportsPage
from ui.pages.reports_drill import DrillDialog

__all__ = ["march"]  # the fixture, used by name


@pytest.mark.usefixtures("march")
def test_report_lines_are_what_the_rate_counts(reg: Register) -> None:
    period = statistics.parse("2026-03")
    lines = statistics.report_lines(reg, period, [reg.station_code])
    rate = statistics.compute(reg, period).rates["screening_completeness"]
    assert (rate.numerator, rate.denominator) == (8, 16)
    assert len(lines) == 16
    assert sum(x.state in ("reported", "zero") for x in lines) == rate.numerator
    assert [x.state for x in lines[:8]] == ["missing"] * 8  # missing first, then the late one
    assert (lines[8].grid, lines[8].period, lines[8].late) == ("春明村二组", "第11周", True)
    assert {(x.grid, x.period) for x in lines if x.state == "missing"} == {
        ("春明村一组", "第13周"), *(("九龙社区东片", f"第{w}周") for w in (11, 12, 13)),
        *(("石桥村一组", f"第{w}周") for w in (10, 11, 12, 13))}
    assert all(x.station == "" for x in lines)  # a station's own lines need no 乡镇


@pytest.mark.usefixtures("march")
def test_enter_on_screening_completeness_lists_the_grid_reports(qtbot: QtBot,
                                                               ctx: AppContext) -> None:
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    assert page.month.date() == QDate(2026, 3, 1)
    row = next(r for r in range(page.figures.rowCount())
               if page.figures.item(r, 0).text() == "排查上报完整率")
    assert page.figures.item(row, 1).text() == "50.0%（8/16）"
    page.figures.setFocus()
    page.figures.setCurrentCell(row, 0)
    qtbot.keyClick(page.figures, Qt.Key.Key_Return)
    dialogs = page.findChildren(DrillDialog)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    table = dialog.table
    assert isinstance(table, QTableWidget)
    assert table.rowCount() == 16
    header = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert header == ["月份", "网格", "排查期", "上报情况", "报告人", "上报时间"]
    first = [table.item(0, c).text() for c in range(4)]
    assert first[:2] == ["2026-03", "九龙社区东片"] and first[3] == "未报"
    late = [table.item(8, c).text() for c in range(4)]
    assert late == ["2026-03", "春明村二组", "第11周", "零报告（迟报）"]
    assert dialog.summary.text() == "排查上报完整率：应报 16 份，已报 3，零报告 5，迟报 1，未报 8"
    assert not dialog.export.isEnabled()
