"""The screening page driven the way a liaison uses it: keyboard only."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
)
from pytestqt.qtbot import QtBot

from storage import accounts
from storage import screening as sc
from storage.register import Register
from tests.helpers.keyboard import focused, type_and_tab
from tests.helpers.registers import FakeClock
from ui.context import AppContext
from ui.pages.screening import ScreeningPage
from ui.pages.screening_views import COLOURS, LATE_COLOUR, MatterDialog

CTRL = Qt.KeyboardModifier.ControlModifier


def act_as(reg: Register, username: str) -> None:
    reg.actor = accounts.find_user(reg, username).actor()


def make_page(qtbot: QtBot, ctx: AppContext) -> ScreeningPage:
    page = ScreeningPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    page.refresh()
    page.focus_first()
    assert page.entry is not None
    qtbot.waitUntil(page.entry.grid_list.hasFocus)
    return page



def cell(table: QTableWidget, row: int, col: int) -> QTableWidgetItem:
    item = table.item(row, col)
    assert item is not None, (row, col)
    return item


def headers(table: QTableWidget) -> list[str]:
    out = []
    for j in range(table.columnCount()):
        item = table.horizontalHeaderItem(j)
        assert item is not None
        out.append(item.text())
    return out


def test_a_liaison_enters_the_week_for_each_grid_with_the_keyboard(
        qtbot: QtBot, ctx: AppContext, clock: FakeClock) -> None:
    reg = ctx.reg
    clock.now = datetime(2026, 3, 6, 16, 0)  # Friday of week 10
    act_as(reg, "liaison")
    page = make_page(qtbot, ctx)
    entry = page.entry
    assert entry is not None
    assert entry.current_period().key == "2026-W10"
    # Only the liaison's two grids (春明村) are offered.
    assert [entry.grid_list.item(i).text().split()[:2] for i in range(2)] == [
        ["春明村", "一组"], ["春明村", "二组"]]
    assert entry.grid_list.count() == 2 and entry.grid_list.currentRow() == 0

    # 一组: nothing found — one key.
    qtbot.keyClick(entry.grid_list, Qt.Key.Key_0, CTRL)
    assert "零报告已保存" in entry.message.text(), entry.message.text()
    assert entry.grid_list.currentRow() == 1  # moved on to the grid still to report
    assert focused() is entry.grid_list

    # 二组: a dispute, typed field by field in tab order, Enter saves.
    qtbot.keyClick(entry.grid_list, Qt.Key.Key_N, CTRL)
    assert focused() is entry.form.type
    qtbot.keyClick(entry.form.type, Qt.Key.Key_Down)  # 婚姻家庭 -> 邻里
    assert entry.form.type.currentText() == "邻里"
    type_and_tab(qtbot, "")  # -> 当事人
    assert focused() is entry.form.parties
    type_and_tab(qtbot, "张三 13812345678；李四")  # -> 涉及人数
    assert focused() is entry.form.persons
    type_and_tab(qtbot, "")  # -> 地点
    type_and_tab(qtbot, "春明村二组村东头")  # -> 简要情况
    assert focused() is entry.form.summary
    type_and_tab(qtbot, "排水沟走向争执，院内积水")  # -> 风险等级 (黄)
    assert focused() is entry.form.risk
    type_and_tab(qtbot, "")  # keep 黄 -> 集体访
    for _box in range(3):  # 集体访 / 越级访 / 民转刑: not ticked
        type_and_tab(qtbot, "")
    assert focused() is entry.form.measures
    type_and_tab(qtbot, "村调委会上门调解")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert "纠纷已保存" in entry.message.text(), entry.message.text()

    rows = reg.rows("SELECT * FROM disputes")
    assert len(rows) == 1
    d = rows[0]
    assert (d["type"], d["parties"], d["risk_level"], d["status"], d["screener"]) == (
        "邻里", "张三与李四", "黄", "未化解", "赵德福")
    assert d["place"] == "春明村二组村东头" and d["measures"] == "村调委会上门调解"
    assert entry.form.parties.text() == ""  # ready for the next one
    texts = [entry.grid_list.item(i).text() for i in range(2)]
    assert "零报告" in texts[0] and "已报（新发现1件）" in texts[1]

    # The matrix shows the week: zero report and reported, both on time.
    matrix = page.show_matrix()
    matrix.refresh()
    w10 = headers(matrix.table).index("第10周")
    cell_a, cell_b = cell(matrix.table, 0, w10), cell(matrix.table, 1, w10)
    assert matrix.table.rowCount() == 2  # the liaison sees their grids
    assert (cell_a.text(), cell_b.text()) == ("零报告", "有纠纷")
    assert "赵德福" in cell_b.toolTip() and "新发现纠纷1件" in cell_b.toolTip()
    assert cell_a.background().color().name() == COLOURS[sc.CellState.ZERO]
    assert cell_b.background().color().name() == COLOURS[sc.CellState.REPORTED]


def test_the_next_week_updates_the_open_dispute_instead_of_entering_it_again(
        qtbot: QtBot, ctx: AppContext, clock: FakeClock) -> None:
    reg = ctx.reg
    clock.now = datetime(2026, 3, 6, 16, 0)
    act_as(reg, "liaison")
    gid = sc.entry_grids(reg)[1].id
    d = sc.add_dispute(reg, gid, "2026-W10", sc.DisputeInput(
        type="邻里", parties=[sc.PartyInput("张三"), sc.PartyInput("李四")],
        summary="排水沟走向争执", risk_level="黄"))
    sc.report_zero(reg, sc.entry_grids(reg)[0].id, "2026-W10")
    clock.now = datetime(2026, 3, 13, 16, 0)  # Friday of week 11
    page = make_page(qtbot, ctx)
    entry = page.entry
    assert entry is not None and entry.current_period().key == "2026-W11"
    qtbot.keyClick(entry.grid_list, Qt.Key.Key_Down)
    assert entry.open_list.count() == 1  # the dispute from week 10 is carried over
    qtbot.keyClick(entry.grid_list, Qt.Key.Key_U, CTRL)
    assert focused() is entry.progress.status
    qtbot.keyClick(entry.progress.status, Qt.Key.Key_Down)
    qtbot.keyClick(entry.progress.status, Qt.Key.Key_Down)
    assert entry.progress.status.currentText() == "化解中"
    type_and_tab(qtbot, "")  # -> 本期进展
    assert focused() is entry.progress.note
    type_and_tab(qtbot, "镇司法所介入调解")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert "进展已保存" in entry.message.text(), entry.message.text()
    assert reg.scalar("SELECT count(*) FROM disputes") == 1
    assert sc.dispute(reg, d["id"])["status"] == "化解中"
    history = sc.dispute_history(reg, d["id"])
    assert [(h["period"], h["note"]) for h in history] == [("2026-W11", "镇司法所介入调解")]
    # That counts as 二组's report of week 11; 一组 still has to report.
    qtbot.keyClick(entry.grid_list, Qt.Key.Key_Up)
    entry.grid_list.setFocus()
    qtbot.keyClick(entry.grid_list, Qt.Key.Key_0, CTRL)
    m = sc.completeness(reg, [sc.parse_period("2026-W11")])
    assert [c.state for r in m.rows[:2] for c in r.cells] == [sc.CellState.ZERO,
                                                                sc.CellState.REPORTED]


def test_a_refused_entry_says_why_and_saves_nothing(qtbot: QtBot, ctx: AppContext,
                                                    clock: FakeClock) -> None:
    reg = ctx.reg
    clock.now = datetime(2026, 3, 6, 16, 0)
    act_as(reg, "liaison")
    page = make_page(qtbot, ctx)
    entry = page.entry
    assert entry is not None
    qtbot.keyClick(entry.grid_list, Qt.Key.Key_N, CTRL)
    type_and_tab(qtbot, "")
    type_and_tab(qtbot, "张三")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert "简要情况" in entry.message.text()
    assert focused() is entry.form.summary
    assert reg.scalar("SELECT count(*) FROM screening_reports") == 0
    # A second zero report for the same grid and week is refused, not counted twice.
    entry.grid_list.setFocus()
    qtbot.keyClick(entry.grid_list, Qt.Key.Key_0, CTRL)
    entry.grid_list.setCurrentRow(0)
    qtbot.keyClick(entry.grid_list, Qt.Key.Key_0, CTRL)
    assert "不能重复填报" in entry.message.text()
    assert reg.scalar("SELECT count(*) FROM screening_reports") == 1


def test_the_clerk_sees_every_grid_and_the_missing_ones_in_red(
        qtbot: QtBot, ctx: AppContext, clock: FakeClock) -> None:
    reg = ctx.reg
    clock.now = datetime(2026, 3, 6, 16, 0)
    grids = sc.entry_grids(reg)
    sc.report_zero(reg, grids[0].id, "2026-W10")
    clock.now = datetime(2026, 3, 10, 9, 0)  # Tuesday: week 10 is overdue
    sc.report_zero(reg, grids[1].id, "2026-W10")  # late
    page = make_page(qtbot, ctx)
    matrix = page.show_matrix()
    matrix.refresh()
    assert matrix.table.rowCount() == 4
    col = headers(matrix.table).index("第10周")
    texts = [cell(matrix.table, i, col).text() for i in range(4)]
    assert texts == ["零报告", "零报告·迟", "未报", "未报"]
    assert "零报告（迟报）" in cell(matrix.table, 1, col).toolTip()
    assert cell(matrix.table, 1, col).background().color().name() == LATE_COLOUR
    assert cell(matrix.table, 2, col).background().color().name() == \
        COLOURS[sc.CellState.MISSING]
    reminders = [matrix.reminders.item(i).text() for i in range(matrix.reminders.count())]
    assert any(r.startswith("九龙社区东片") and "第10周" in r for r in reminders)
    assert not any(r.startswith("春明村一组") for r in reminders)


def test_disputes_tab_filters_and_registers_a_matter(qtbot: QtBot, ctx: AppContext,
                                                     clock: FakeClock) -> None:
    reg = ctx.reg
    clock.now = datetime(2026, 3, 6, 16, 0)
    grids = sc.entry_grids(reg)
    red = sc.add_dispute(reg, grids[0].id, "2026-W10", sc.DisputeInput(
        type="征地拆迁", parties=[sc.PartyInput("王五", "13912345678"), sc.PartyInput("赵六")],
        summary="征地补偿款分配有意见", risk_level="红", responsible_person="王副镇长",
        deadline=datetime(2026, 3, 20).date(), persons_involved=30))
    sc.add_dispute(reg, grids[2].id, "2026-W10", sc.DisputeInput(
        type="邻里", parties=[sc.PartyInput("张三"), sc.PartyInput("李四")],
        summary="排水沟", risk_level="蓝"))
    page = make_page(qtbot, ctx)
    page.tabs.setCurrentWidget(page.disputes)
    tab = page.disputes
    tab.refresh()
    assert tab.table.rowCount() == 2
    tab.risk.setCurrentIndex(tab.risk.findData("红"))
    assert tab.table.rowCount() == 1 and tab.current_id() == red["id"]
    assert "征地补偿款分配有意见" in tab.detail.text()
    dialog = MatterDialog(ctx, sc.dispute(reg, red["id"]), tab)
    qtbot.addWidget(dialog)
    dialog.save()
    assert dialog.matter is not None
    assert sc.dispute(reg, red["id"])["matter_id"] == dialog.matter["id"]
    tab.refresh()
    assert "信访事项" in tab.detail.text()
    assert cell(tab.table, 0, 9).text() == "信访件"


def test_month_is_issued_and_reopened_by_the_head(qtbot: QtBot, ctx: AppContext,
                                                  clock: FakeClock,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    reg = ctx.reg
    clock.now = datetime(2026, 3, 6, 16, 0)
    sc.report_zero(reg, sc.entry_grids(reg)[0].id, "2026-W10")
    clock.now = datetime(2026, 4, 2, 9, 0)
    act_as(reg, "head")
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    page = make_page(qtbot, ctx)
    assert page.month is not None
    tab = page.month
    page.tabs.setCurrentWidget(tab)
    tab.month.setCurrentIndex(tab.month.findData("2026-03"))
    tab.refresh()
    assert "尚未出具" in tab.state.text()
    # the grids as a table: 春明村一组 zero-reported W10 (issue 15: a long paragraph before)
    rows = {"".join(tab.grid_table.item(r, c).text() for c in (0, 1)):  # type: ignore[union-attr]
            tab.grid_table.item(r, 2).text() for r in range(tab.grid_table.rowCount())}  # type: ignore[union-attr]
    assert rows["春明村一组"] == "第10周"
    previews: list[str] = []
    monkeypatch.setattr("ui.print_preview.show_document",
                        lambda _ctx, kind, month, _parent: previews.append(f"{kind} {month}"))
    tab.issue_btn.click()
    assert sc.is_locked(reg, "2026-03") and "已出具并锁定" in tab.state.text()
    assert previews == ["screening-sheet 2026-03"]  # issued to be printed: the preview opens
    tab.reason.setFocus()
    tab.reason.setText("补录石桥村第12周")
    qtbot.keyClick(tab.reason, Qt.Key.Key_Return)
    assert not sc.is_locked(reg, "2026-03")
    item = tab.history.item(1)
    assert item is not None and "补录石桥村第12周" in item.text()
