"""更正 and 作废 of a mediation case and of a screening report, by keyboard (docs/domain.md §3.6):
Alt+U corrects an ended case's registration (the reason first), Alt+Z voids a case or a grid's
report (a clerk types the head's login and password); the voided record leaves the list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from storage import mediation, station
from storage import screening as sc
from storage.register import Register
from tests.helpers.keyboard import focused, show_active, type_text
from tests.storage.mediation.test_mediation import agreed_case, open_case
from tests.storage.screening.test_screening import W10, dispute_input
from tests.ui.test_mediation_page import save, show_page, tab_to, wait_dialog
from ui.context import AppContext
from ui.pages.mediation_dialogs import FormDialog
from ui.pages.screening import ScreeningPage

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def head_confirms(qtbot: QtBot, dlg: FormDialog, reason: str) -> None:
    """The reason, then the head's login and password, typed at the clerk's desk."""
    assert dlg.fields["reason"].hasFocus()
    type_text(qtbot, focused(), reason)
    type_text(qtbot, tab_to(qtbot, dlg, "head_username"), "head")
    type_text(qtbot, tab_to(qtbot, dlg, "head_password"), "head-pass-1")


def test_an_ended_case_is_corrected_with_a_reason(qtbot: QtBot, ctx: AppContext,
                                                  reg: Register, errors: list[str]) -> None:
    case = agreed_case(reg)
    page = show_page(qtbot, ctx)
    assert not page.detail.buttons["edit"].isVisible()  # 修改 is for open cases
    assert page.detail.buttons["correct"].isVisible()
    qtbot.keyClick(focused(), Qt.Key.Key_U, ALT)
    dlg = wait_dialog(qtbot, page.detail)
    type_text(qtbot, focused(), "案由写错")
    title = tab_to(qtbot, dlg, "title")
    qtbot.keyClick(title, Qt.Key.Key_A, CTRL)
    type_text(qtbot, title, "张建国与李秀英通道纠纷")
    save(qtbot, dlg)
    assert errors == []
    assert mediation.get_case(reg, case["id"]).title == "张建国与李秀英通道纠纷"
    t = page.detail.timeline
    last = [t.item(t.rowCount() - 1, c).text() for c in range(t.columnCount())]
    assert last[1:] == ["更正登记", "案由写错", "李文静"]


def test_a_clerk_voids_a_case_with_the_heads_login(qtbot: QtBot, ctx: AppContext,
                                                   reg: Register, errors: list[str]) -> None:
    kept = open_case(reg, title="另一件纠纷")
    case = open_case(reg)
    page = show_page(qtbot, ctx)
    page.select(case["id"])
    assert page.table.rowCount() == 2
    qtbot.keyClick(focused(), Qt.Key.Key_Z, ALT)
    dlg = wait_dialog(qtbot, page.detail)
    head_confirms(qtbot, dlg, "同一纠纷重复立案")
    save(qtbot, dlg)
    assert errors == []
    assert mediation.get_case(reg, case["id"]).voided
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert page.selected_id() == kept["id"]


def test_a_clerk_voids_a_grids_report_and_the_week_can_be_reported_again(
        qtbot: QtBot, ctx: AppContext, reg: Register, errors: list[str]) -> None:
    grid = station.grids(reg)[0]
    sc.add_dispute(reg, grid.id, W10, dispute_input())
    page = ScreeningPage(ctx)
    show_active(qtbot, page, (1366, 740))
    entry = page.entry
    entry.period.setCurrentIndex(entry.period.findData(W10))
    entry.grid_list.setFocus()
    entry.grid_list.setCurrentRow(0)
    assert entry.void_btn.isEnabled()
    qtbot.keyClick(focused(), Qt.Key.Key_Z, ALT)
    qtbot.waitUntil(lambda: entry.report_dialog is not None and entry.report_dialog.isVisible(),
                    timeout=3000)
    dlg = entry.report_dialog
    assert dlg is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
    head_confirms(qtbot, dlg, "报错了网格")
    save(qtbot, dlg)
    assert errors == []
    assert sc.find_report(reg, grid.id, W10) is None
    assert not entry.void_btn.isEnabled()
    assert "未报" in entry.grid_list.item(0).text()
    assert sc.monthly_sheet(reg, 2026, 3).rows == ()


def test_a_report_is_corrected_with_a_reason(qtbot: QtBot, ctx: AppContext, reg: Register,
                                             errors: list[str]) -> None:
    grid = station.grids(reg)[0]
    sc.report_zero(reg, grid.id, W10, reporter="赵德福")
    page = ScreeningPage(ctx)
    show_active(qtbot, page, (1366, 740))
    entry = page.entry
    entry.period.setCurrentIndex(entry.period.findData(W10))
    entry.grid_list.setFocus()
    entry.grid_list.setCurrentRow(0)
    qtbot.keyClick(focused(), Qt.Key.Key_K, ALT)
    qtbot.waitUntil(lambda: entry.report_dialog is not None and entry.report_dialog.isVisible(),
                    timeout=3000)
    dlg = entry.report_dialog
    assert dlg is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
    type_text(qtbot, focused(), "排查人写错")
    who = tab_to(qtbot, dlg, "reporter_name")
    qtbot.keyClick(who, Qt.Key.Key_A, CTRL)
    type_text(qtbot, who, "钱德禄")
    save(qtbot, dlg)
    assert errors == []
    assert sc.find_report(reg, grid.id, W10)["reporter_name"] == "钱德禄"  # type: ignore[index]
    assert "排查人：赵德福→钱德禄" in entry.corrections.text()
