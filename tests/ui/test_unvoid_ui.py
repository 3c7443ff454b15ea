"""撤销作废 by keyboard (docs/domain.md §3.6): on a voided matter's detail and a voided mediation
case, the station head's Alt+Z offers 撤销作废 in 作废's place (the reason first); a clerk is not
offered it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from storage import accounts, mediation, petitions
from storage.register import Register
from storage.voiding import HeadConfirmation
from tests.helpers.keyboard import focused, type_text
from tests.storage.mediation.test_mediation import open_case
from tests.ui.test_case_corrections import alt_opens, detail, register
from tests.ui.test_mediation_page import save, show_page, wait_dialog
from ui.context import AppContext
from ui.pages.mediation_dialogs import FormDialog

ALT = Qt.KeyboardModifier.AltModifier
HEAD = HeadConfirmation("head", "head-pass-1")


def test_the_head_undoes_a_matters_void(qtbot: QtBot, ctx: AppContext, reg: Register,
                                        errors: list[str]) -> None:
    m = register(reg)
    petitions.void_matter(reg, m["id"], "误登记", HEAD)
    clerk_view = detail(qtbot, ctx, m["id"])
    assert not clerk_view.record_buttons["unvoid"].isVisible()  # the clerk is not offered it
    clerk_view.close()
    reg.actor = accounts.find_user(reg, "head").actor()
    dlg = detail(qtbot, ctx, m["id"])
    assert dlg.record_buttons["unvoid"].isVisible()
    assert not dlg.record_buttons["void"].isVisible()
    form = alt_opens(qtbot, Qt.Key.Key_Z, dlg)
    assert isinstance(form, FormDialog) and form.fields["reason"].hasFocus()
    type_text(qtbot, focused(), "作废错了")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=3000)
    assert errors == []
    assert dlg.status_label.text() == "已登记" and not dlg.void_banner.isVisible()
    assert dlg.record_buttons["void"].isVisible()
    assert not dlg.record_buttons["unvoid"].isVisible()
    assert petitions.search_ids(reg, "") == [m["id"]]


def test_the_head_undoes_a_cases_void(qtbot: QtBot, ctx: AppContext, reg: Register,
                                      errors: list[str]) -> None:
    case = open_case(reg)
    reg.actor = accounts.find_user(reg, "head").actor()
    mediation.void_case(reg, case["id"], "重复立案")
    page = show_page(qtbot, ctx)
    page.detail.show_case(case["id"])
    assert page.detail.buttons["unvoid"].isVisible()
    assert not page.detail.buttons["void"].isVisible()
    page.detail.buttons["unvoid"].setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_Z, ALT)
    dlg = wait_dialog(qtbot, page.detail)
    type_text(qtbot, focused(), "作废错了")
    save(qtbot, dlg)
    assert errors == []
    assert not mediation.get_case(reg, case["id"]).voided
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)


def test_the_head_undoes_a_screening_reports_void(qtbot: QtBot, ctx: AppContext, reg: Register,
                                                  errors: list[str]) -> None:
    """The grid's period shows 撤销作废 (Alt+X) to the head once its report was voided; the
    reason typed, Enter: the report is back and the button gone. A clerk is not offered it."""
    from storage import screening as sc
    from tests.ui.test_screening import make_page

    reg.actor = accounts.find_user(reg, "head").actor()
    page = make_page(qtbot, ctx)
    entry = page.entry
    assert entry is not None
    grid_id, period = entry.current_grid_id(), entry.current_period()
    assert grid_id is not None
    report = sc.report_zero(reg, grid_id, period.key)
    sc.void_report(reg, report["id"], "报错了网格", HEAD)
    entry.refresh()
    entry.grid_list.setCurrentRow(entry.grid_list.currentRow())
    assert entry.unvoid_btn.isVisibleTo(entry) and entry.unvoid_btn.isEnabled()
    entry.grid_list.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_X, ALT)
    qtbot.waitUntil(lambda: entry.report_dialog is not None and entry.report_dialog.isVisible())
    dlg = entry.report_dialog
    assert dlg is not None
    # the reason field takes the focus once the dialog is active (the window system's turn)
    qtbot.waitUntil(lambda: dlg.fields["reason"].hasFocus(), timeout=3000)
    type_text(qtbot, focused(), "作废错了")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    assert errors == []
    assert sc.find_report(reg, grid_id, period.key) is not None
    assert not entry.unvoid_btn.isVisibleTo(entry)

    sc.void_report(reg, report["id"], "又报错了", HEAD)
    reg.actor = accounts.find_user(reg, "clerk").actor()
    entry.refresh()
    assert not entry.unvoid_btn.isVisibleTo(entry)  # the clerk is not offered it
