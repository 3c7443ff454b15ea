"""Settings, driven from the keyboard: the station head adds a user and a classification value,
enters a holiday and changes settings; a clerk sees only the note that settings are the head's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from storage import accounts, calendar_store, codes, station
from storage.errors import PermissionDenied
from storage.register import Register
from tests.helpers.keyboard import focused, show_active
from tests.helpers.registers import FakeClock
from ui.context import AppContext
from ui.pages.settings import SettingsPage
from ui.pages.settings.users import UserDialog

ALT = Qt.KeyboardModifier.AltModifier



def alt(qtbot, key: str) -> None:
    qtbot.keyClick(focused(), key, ALT)
    qtbot.wait(150)  # a mnemonic "clicks" its button after a short animation


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Latin text as key presses; Chinese as the input method commits it."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def open_page(qtbot, ctx: AppContext) -> SettingsPage:
    page = SettingsPage(ctx)
    show_active(qtbot, page)
    page.focus_first()
    return page


def with_dialog(qtbot, owner: QWidget, open_it: Callable[[], None],
                fill: Callable[[QDialog], None]) -> None:
    """``open_it`` opens a modal dialog; ``fill`` types into it once it is active."""
    seen: list[QDialog] = []
    failure: list[BaseException] = []

    def handle(tries: int = 0) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or QApplication.activeWindow() is not dialog:
            if tries < 100:
                QTimer.singleShot(20, lambda: handle(tries + 1))
            else:
                failure.append(AssertionError("no dialog opened"))
            return
        seen.append(dialog)
        try:
            fill(dialog)
        except BaseException as exc:  # re-raised once the dialog is closed
            failure.append(exc)
        if dialog.isVisible():
            dialog.done(0)

    QTimer.singleShot(0, handle)
    open_it()
    qtbot.waitUntil(lambda: bool(seen or failure), timeout=5000)
    owner.activateWindow()  # the window manager's job on a desktop; offscreen has none
    qtbot.waitUntil(lambda: QApplication.activeWindow() is owner)
    if failure:
        raise failure[0]


def sign_in_head(reg: Register) -> None:
    accounts.authenticate(reg, "head", "head-pass-1")


def test_head_adds_a_user_by_keyboard(qtbot, ctx: AppContext, reg: Register,
                                      errors: list[str]) -> None:
    sign_in_head(reg)
    page = open_page(qtbot, ctx)
    assert page.tabs.isVisible()
    alt(qtbot, "3")
    assert page.tabs.currentWidget() is page.users_tab
    assert page.users_tab.table.rowCount() == 3

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, UserDialog)
        assert focused() is dialog.username
        type_text(qtbot, focused(), "wangfang")
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        type_text(qtbot, focused(), "王芳")
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)  # role: 接访员 is offered first
        assert focused() is dialog.role and dialog.role.currentData() == "clerk"
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        type_text(qtbot, focused(), "secret-77")
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        type_text(qtbot, focused(), "secret-78")
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
        # Mismatch: said in the dialog, nothing saved, the rest kept.
        assert dialog.isVisible() and "不一致" in dialog.error.text()
        assert dialog.display_name.text() == "王芳"
        qtbot.keyClick(focused(), Qt.Key.Key_Backspace)
        type_text(qtbot, focused(), "secret-77")
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
        assert not dialog.isVisible()

    with_dialog(qtbot, page, lambda: alt(qtbot, "n"), fill)
    assert errors == []
    user = accounts.find_user(reg, "wangfang")
    assert (user.display_name, user.role, user.active) == ("王芳", "clerk", True)
    names = [page.users_tab.table.item(r, 1).text()
             for r in range(page.users_tab.table.rowCount())]
    assert "王芳" in names
    accounts.authenticate(reg, "wangfang", "secret-77")


def test_head_edits_a_user_and_a_refusal_keeps_the_dialog(qtbot, ctx: AppContext,
                                                          reg: Register,
                                                          errors: list[str]) -> None:
    sign_in_head(reg)
    page = open_page(qtbot, ctx)
    page.tabs.setCurrentWidget(page.users_tab)
    dialog = page.users_tab.user_dialog()
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.username, "clerk")  # taken
    type_text(qtbot, dialog.display_name, "重名")
    type_text(qtbot, dialog.pw1, "secret-77")
    type_text(qtbot, dialog.pw2, "secret-77")
    dialog.accept()
    assert errors == ["登录名“clerk”已被使用。"]
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.display_name.text() == "重名"

    clerk = accounts.find_user(reg, "clerk")
    edit = page.users_tab.user_dialog(clerk)
    qtbot.addWidget(edit)
    assert edit.username.isReadOnly() and edit.pw1 is None
    edit.villages.item(0).setCheckState(Qt.CheckState.Checked)
    assert edit.active is not None
    edit.active.setChecked(False)
    edit.accept()
    changed = accounts.get_user(reg, clerk.id)
    assert not changed.active and changed.village_ids == (station.villages(reg)[0].id,)


def test_head_adds_retires_and_restores_a_classification_value(qtbot, ctx: AppContext,
                                                               reg: Register,
                                                               errors: list[str]) -> None:
    sign_in_head(reg)
    page = open_page(qtbot, ctx)
    alt(qtbot, "4")
    tab = page.codes_tab
    assert tab.kind_key == "content_category"
    assert tab.tree.topLevelItemCount() == 17
    # Pick 承办单位 from the list of tables with the keyboard.
    alt(qtbot, "k")
    while tab.kind_key != "handling_unit":
        qtbot.keyClick(focused(), Qt.Key.Key_Down)
    assert not tab.parent_combo.isVisible()
    alt(qtbot, "n")
    assert focused() is tab.new_label
    type_text(qtbot, focused(), "镇退役军人服务站")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert errors == []
    assert "镇退役军人服务站" in codes.labels(reg, "handling_unit")
    assert tab.selected() is not None and tab.selected().label == "镇退役军人服务站"
    assert tab.new_label.text() == ""

    # Retire it (no longer offered) and bring it back.
    alt(qtbot, "t")
    assert "镇退役军人服务站" not in codes.labels(reg, "handling_unit")
    assert tab.tree.currentItem().text(1) == "已停用"
    assert tab.toggle_button.text() == "恢复使用(&T)"
    alt(qtbot, "t")
    assert "镇退役军人服务站" in codes.labels(reg, "handling_unit")

    # Content categories are two-level: a second-level value under 国土资源.
    tab.kind.setCurrentIndex(tab.kind.findData("content_category"))
    assert tab.parent_combo.isVisible()
    tab.parent_combo.setCurrentIndex(tab.parent_combo.findData("国土资源"))
    type_text(qtbot, tab.new_label, "宅基地纠纷")
    qtbot.keyClick(tab.new_label, Qt.Key.Key_Return)
    assert "宅基地纠纷" in codes.categories(reg)["国土资源"]
    assert tab.tree.currentItem().parent().text(0) == "国土资源"

    # An empty name is refused in plain words.
    qtbot.keyClick(tab.new_label, Qt.Key.Key_Return)
    assert errors == ["名称不能为空。"]


def test_rename_a_value(qtbot, ctx: AppContext, reg: Register) -> None:
    sign_in_head(reg)
    page = open_page(qtbot, ctx)
    page.tabs.setCurrentWidget(page.codes_tab)
    tab = page.codes_tab
    tab.kind.setCurrentIndex(tab.kind.findData("purpose"))
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))
    old = tab.selected()
    assert old is not None
    dialog = tab.rename_dialog(old)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.label, "检举控告")
    dialog.accept()
    tab.refresh()
    assert "检举控告" in codes.labels(reg, "purpose")
    assert old.label not in codes.labels(reg, "purpose")


def test_clerk_cannot_change_settings(qtbot, ctx: AppContext, reg: Register) -> None:
    assert reg.actor.role == "clerk"
    page = open_page(qtbot, ctx)
    assert not page.tabs.isVisible()
    assert page.notice.isVisible()
    assert page.notice.text() == "只有站长可以修改设置。"
    # Alt+3 does not reach the hidden users tab, and storage refuses anyway.
    alt(qtbot, "3")
    assert not page.tabs.isVisible()
    with pytest.raises(PermissionDenied):
        codes.add_code(reg, "handling_unit", "镇某办")
    with pytest.raises(PermissionDenied):
        accounts.create_user(reg, "x1", "某人", "clerk", "secret-77")
    # Saving the other settings checks the role too (the tab is never shown to a clerk).
    with pytest.raises(PermissionDenied):
        page.other_tab._save()
    assert reg.setting("collective_threshold") is None

    # The head signs in on the same screen: the tabs appear.
    sign_in_head(reg)
    page.refresh()
    assert page.tabs.isVisible()


def test_holidays_for_an_unknown_year(qtbot, ctx: AppContext, reg: Register,
                                      clock: FakeClock, errors: list[str]) -> None:
    sign_in_head(reg)
    clock.now = clock.now.replace(month=11, day=20)
    page = open_page(qtbot, ctx)
    alt(qtbot, "5")
    tab = page.holidays_tab
    assert tab.banner.isVisible() and "2027年" in tab.banner.text()
    assert tab.year.value() == 2027
    assert "没有2027年" in tab.known.text()
    alt(qtbot, "d")
    assert focused() is tab.day.findChild(QWidget) or focused() is tab.day
    alt(qtbot, "b")
    type_text(qtbot, focused(), "元旦")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert errors == []
    assert calendar_store.manual_days(reg, 2027) == [(date(2027, 1, 1), False, "元旦")]
    assert tab.table.rowCount() == 1
    assert tab.table.item(0, 1).text() == "休息日"
    assert not tab.banner.isVisible()  # 2027 is no longer unknown
    tab.table.selectRow(0)
    alt(qtbot, "x")
    assert calendar_store.manual_days(reg, 2027) == []


def test_other_settings_and_station(qtbot, ctx: AppContext, reg: Register,
                                    errors: list[str]) -> None:
    sign_in_head(reg)
    page = open_page(qtbot, ctx)
    alt(qtbot, "6")
    other = page.other_tab
    assert other.threshold.value() == 5 and other.mask_ids.isChecked()
    alt(qtbot, "j")
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, focused(), "8")
    alt(qtbot, "p")  # un-ticks 遮盖电话号码
    alt(qtbot, "v")
    assert errors == []
    assert reg.setting("collective_threshold") == 8
    assert reg.setting("mask_phones") is False
    assert reg.setting("mask_id_numbers") is True
    assert other.message.text() == "已保存。"

    alt(qtbot, "1")
    alt(qtbot, "t")
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, focused(), "0512-66889999")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert station.station(reg).phone == "0512-66889999"

    # A village with a wrong code is refused; what was typed stays for correcting.
    alt(qtbot, "2")
    vt = page.villages_tab
    alt(qtbot, "n")
    type_text(qtbot, focused(), "新河村")
    alt(qtbot, "c")
    type_text(qtbot, focused(), "3205081022")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert errors and "12位" in errors[-1]
    assert vt.village_name.text() == "新河村"
    type_text(qtbot, vt.village_code, "05")
    qtbot.keyClick(vt.village_code, Qt.Key.Key_Return)
    assert [v.name for v in station.villages(reg)][-1] == "新河村"
    assert vt.village_name.text() == ""
