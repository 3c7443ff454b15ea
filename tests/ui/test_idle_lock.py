"""The idle lock hides every window's content until sign-in (issue 14, finding 7: the lock
showed a small dialog over a main window that still showed names and summaries); the sign-in
dialog slows down and locks; a head lifts the lock in the users tab."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from storage import accounts, logins
from tests.helpers.keyboard import type_text
from tests.helpers.registers import FakeClock
from ui.app import IdleLock
from ui.context import AppContext
from ui.lock_screen import cover_of
from ui.login import LoginDialog
from ui.pages.settings.users import UsersTab


def hidden_under_a_cover(window: QWidget) -> bool:
    """Every point of the window belongs to its lock cover (nothing else can be seen)."""
    cover = cover_of(window)
    if cover is None or not cover.isVisible() or cover.geometry() != window.rect():
        return False
    points = [QPoint(x, y) for x in (2, window.width() // 2, window.width() - 3)
              for y in (2, window.height() // 2, window.height() - 3)]
    return all(window.childAt(p) is not None and (window.childAt(p) is cover
                                                  or cover.isAncestorOf(window.childAt(p)))
               for p in points)


def test_the_idle_lock_covers_the_window_and_an_open_dialog(
        qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    window = QMainWindow()
    window.setCentralWidget(QLabel("张三 反映宅基地纠纷"))
    window.resize(800, 600)
    dialog = QDialog(window)
    QVBoxLayout(dialog).addWidget(QLabel("身份证号 11010519491231002X"))
    dialog.resize(300, 200)
    for w in (window, dialog):
        qtbot.addWidget(w)
        w.show()
    seen: list[bool] = []

    def sign_in(self: LoginDialog) -> int:
        seen.extend(hidden_under_a_cover(w) for w in (window, dialog))
        window.resize(1000, 700)  # moved or resized while locked: still nothing to see
        seen.append(hidden_under_a_cover(window))
        assert not hidden_under_a_cover(self)  # the sign-in dialog itself is not covered
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(LoginDialog, "exec", sign_in)
    lock = IdleLock(ctx, 10)
    lock.lock()
    assert seen == [True, True, True]
    qtbot.waitUntil(lambda: cover_of(window) is None)
    assert cover_of(dialog) is None and not lock.locked


def test_the_sign_in_dialog_slows_down_and_then_locks(qtbot: QtBot, ctx: AppContext,
                                                      clock: FakeClock) -> None:
    dialog = LoginDialog(ctx.reg, locked_user="clerk")
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(logins.LOCK_AFTER):
        clock.advance(seconds=logins.MAX_DELAY_SECONDS)
        dialog.password.clear()
        type_text(qtbot, dialog.password, "wrong")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.job is None)  # checked on a worker thread
    assert "已被锁定" in dialog.error.text()
    dialog.password.clear()
    type_text(qtbot, dialog.password, "clerk-pass-1")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.job is None)
    assert dialog.user is None and "锁定" in dialog.error.text()

    ctx.reg.actor = accounts.find_user(ctx.reg, "head").actor()
    tab = UsersTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    row = [u.username for u in tab.users].index("clerk")
    assert "锁定" in tab.table.item(row, 3).text()
    tab.table.selectRow(row)
    tab.lift_lock()
    assert "锁定" not in tab.table.item(row, 3).text()
    dialog.password.clear()
    type_text(qtbot, dialog.password, "clerk-pass-1")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.user is not None)
    assert dialog.user is not None and dialog.user.username == "clerk"


def test_signing_in_opens_the_sealed_signing_key(qtbot: QtBot, ctx: AppContext) -> None:
    """The clerk types nothing more to export: the password of the sign-in opens the key."""
    from storage.sync import keys, signkey

    reg = ctx.reg
    reg.actor = accounts.find_user(reg, "head").actor()
    keys.create_signing_key(reg)
    private = keys.signing_private(reg)
    signkey.forget(reg)  # as after a restart
    assert signkey.is_locked(reg)
    dialog = LoginDialog(reg)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.username, "head")
    type_text(qtbot, dialog.password, "head-pass-1")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.user is not None)  # checked on a worker thread
    assert keys.signing_private(reg) == private
