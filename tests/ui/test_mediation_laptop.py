"""The mediation page brought to the registration desk's standard (issue 15): its forms open
with the cursor in the first field, every field has an Alt key, Esc asks before a filled form is
thrown away, the party form shows an 18-digit ID number whole, and on a 1366×768 laptop the
list shows 状态 and 最近期限 without scrolling."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from storage import mediation
from storage.mediation import PartyInput
from storage.register import Register
from tests.helpers import register_data as rd
from tests.helpers.keyboard import focused, type_text
from tests.storage.mediation.test_mediation import case_input
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.pages import mediation_dialogs as md


def _shown(qtbot: QtBot, dlg: QWidget) -> None:
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)


def test_forms_start_in_the_first_field_and_every_field_has_an_alt_key(
        qtbot: QtBot, ctx: AppContext, reg: Register) -> None:
    case_file = mediation.mediation_file(reg, rd.mediation_case(reg)["id"])
    for dlg in (md.open_case_dialog(ctx), md.party_dialog(ctx, case_file),
                md.session_dialog(ctx, case_file)):
        _shown(qtbot, dlg)
        first = next(iter(dlg.fields.values()))
        qtbot.waitUntil(lambda first=first: focused() is first)  # type: ignore[misc]
        keys = []
        for label in dlg.findChildren(QLabel):
            if label.buddy() is not None:
                text = label.text()
                assert "&" in text, text
                keys.append(text[text.index("&") + 1].upper())
        assert keys and len(keys) == len(set(keys)), keys
        dlg.close()


def test_alt_key_goes_to_its_field(qtbot: QtBot, ctx: AppContext, reg: Register) -> None:
    case_file = mediation.mediation_file(reg, rd.mediation_case(reg)["id"])
    dlg = md.party_dialog(ctx, case_file)
    _shown(qtbot, dlg)
    caption = next(lb for lb in dlg.findChildren(QLabel) if lb.buddy() is dlg.fields["address"])
    key = caption.text()[caption.text().index("&") + 1]
    qtbot.keyClick(focused(), getattr(Qt.Key, f"Key_{key.upper()}"), Qt.KeyboardModifier.AltModifier)
    assert focused() is dlg.fields["address"]


def test_party_fields_show_a_whole_id_number(qtbot: QtBot, ctx: AppContext,
                                             reg: Register) -> None:
    case_file = mediation.mediation_file(reg, rd.mediation_case(reg)["id"])
    dlg = md.party_dialog(ctx, case_file)
    _shown(qtbot, dlg)
    field = dlg.fields["id_number"]
    assert isinstance(field, QLineEdit)
    field.setText(rd.ID_NUMBER)
    need = field.fontMetrics().horizontalAdvance(rd.ID_NUMBER) + 12
    assert field.width() >= need


def test_esc_asks_before_a_filled_form_is_discarded(qtbot: QtBot, ctx: AppContext,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def question(_parent: QWidget, _title: str, text: str, *_a: object) -> object:
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    dlg = md.open_case_dialog(ctx)
    _shown(qtbot, dlg)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # nothing typed: closes without asking
    qtbot.waitUntil(lambda: not dlg.isVisible())
    assert asked == []
    dlg = md.open_case_dialog(ctx)
    _shown(qtbot, dlg)
    dlg.fields["party_a"].setFocus()
    type_text(qtbot, dlg.fields["party_a"], "张建国")
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert len(asked) == 1 and dlg.isVisible()  # "No": the form stays, as typed
    assert dlg.fields["party_a"].text() == "张建国"  # type: ignore[attr-defined]
    answer[0] = QMessageBox.StandardButton.Yes
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dlg.isVisible())


def test_the_list_shows_status_and_deadline_at_1366(qtbot: QtBot, ctx: AppContext,
                                                    reg: Register,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 1366, 728))
    rd.mediation_case(reg)
    mediation.open_mediation(reg, case_input(reg), [  # a company's long name among the parties
        PartyInput(side="a", name="余刚"),
        PartyInput(side="b", name="苏州市恒通物业管理有限公司", kind="organisation",
                   representative="孙经理")])
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 698)
    window.show()
    qtbot.waitExposed(window)
    page = window.show_page("mediation")
    table = page.table  # type: ignore[union-attr]
    QApplication.processEvents()
    header = table.horizontalHeader()
    for col in (table.columnCount() - 2, table.columnCount() - 1):  # 状态, 最近期限
        right = header.sectionViewportPosition(col) + header.sectionSize(col)
        assert 0 <= header.sectionViewportPosition(col) and right <= table.viewport().width()
        assert header.sectionSize(col) >= header.sectionSizeHint(col)
