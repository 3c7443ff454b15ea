"""First run and sign-in, from the keyboard."""

from __future__ import annotations

import time
from typing import Literal

from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWizard
from pytestqt.qtbot import QtBot

from storage import accounts, station
from storage.db import open_register
from tests.helpers.keyboard import type_text
from tests.helpers.registers import CHEAP_HASHER, FakeClock
from ui.login import LoginDialog
from ui.setup_wizard import SetupWizard


def test_set_up_wizard_creates_the_station(qtbot: QtBot, clock: FakeClock) -> None:
    reg = open_register(None, clock=clock, password_hasher=CHEAP_HASHER)
    try:
        wizard = SetupWizard(reg)
        qtbot.addWidget(wizard)
        wizard.show()
        type_text(qtbot, wizard.name, "石桥镇信访工作站")
        type_text(qtbot, wizard.short_name, "石桥")
        type_text(qtbot, wizard.code, "320508103000")
        type_text(qtbot, wizard.office, "石桥镇人民政府")
        wizard.next()
        wizard.set_villages([("东风村", "320508103200", "一组，二组"),
                             ("新街社区", "320508103001", "")])
        wizard.next()
        type_text(qtbot, wizard.head_name, "周站长")
        type_text(qtbot, wizard.pw1, "secret-99")
        type_text(qtbot, wizard.pw2, "secret-98")
        wizard.button(QWizard.WizardButton.FinishButton).click()
        assert "不一致" in wizard.error.text()
        assert not reg.is_set_up
        wizard.pw2.clear()
        type_text(qtbot, wizard.pw2, "secret-99")
        wizard.button(QWizard.WizardButton.FinishButton).click()
        assert reg.is_set_up, wizard.error.text()
        assert station.station(reg).name == "石桥镇信访工作站"
        assert [g.name for g in station.grids(reg)] == ["一组", "二组", "第一网格"]
        assert reg.actor.role == "head"
    finally:
        reg.close()


def test_wizard_refuses_a_bad_area_code_and_keeps_what_was_typed(qtbot: QtBot,
                                                                  clock: FakeClock) -> None:
    """Issue 15: each page is checked as the clerk leaves it (not only at 完成), the refusal
    shows on that page, and it goes once the field is put right."""
    reg = open_register(None, clock=clock, password_hasher=CHEAP_HASHER)
    try:
        wizard = SetupWizard(reg)
        qtbot.addWidget(wizard)
        wizard.show()
        type_text(qtbot, wizard.name, "石桥镇信访工作站")
        type_text(qtbot, wizard.short_name, "石桥")
        type_text(qtbot, wizard.code, "3205081030")  # 10 digits
        wizard.next()
        assert wizard.currentId() == 0  # stays on the page with the wrong field
        assert "12位" in wizard.p1.error.text()
        assert wizard.name.text() == "石桥镇信访工作站"
        type_text(qtbot, wizard.code, "00")  # put right: the old refusal goes
        assert wizard.p1.error.text() == ""
        wizard.next()
        assert wizard.currentId() == 1
        assert not reg.is_set_up
    finally:
        reg.close()


def test_the_password_rule_is_shown_before_a_password_is_refused(qtbot: QtBot,
                                                                 clock: FakeClock) -> None:
    reg = open_register(None, clock=clock, password_hasher=CHEAP_HASHER)
    try:
        wizard = SetupWizard(reg)
        qtbot.addWidget(wizard)
        wizard.show()
        texts = [w.text() for w in wizard.p3.findChildren(QLabel)]
        assert "密码至少需要6个字符。" in texts
    finally:
        reg.close()


def test_a_county_has_its_own_wording_and_no_villages_page(qtbot: QtBot,
                                                           clock: FakeClock) -> None:
    reg = open_register(None, clock=clock, password_hasher=CHEAP_HASHER)
    try:
        wizard = SetupWizard(reg)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.kind.setCurrentIndex(wizard.kind.findData("county"))
        assert "工作站" not in wizard.p1.title() and "县级" in wizard.p1.title()
        type_text(qtbot, wizard.name, "姑苏区信访局")
        type_text(qtbot, wizard.short_name, "姑苏")
        type_text(qtbot, wizard.code, "320508000000")
        wizard.next()
        assert wizard.currentId() == 2  # straight to the account: no villages at a county
        assert wizard.p3.title().startswith("第二步")
        type_text(qtbot, wizard.head_name, "审核员")
        type_text(qtbot, wizard.pw1, "secret-99")
        type_text(qtbot, wizard.pw2, "secret-99")
        wizard.button(QWizard.WizardButton.FinishButton).click()
        assert reg.is_set_up and reg.mode == "county"
        assert station.villages(reg) == []
    finally:
        reg.close()


def test_login_by_keyboard(qtbot: QtBot, reg) -> None:  # type: ignore[no-untyped-def]
    dialog = LoginDialog(reg)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.username, "head")
    type_text(qtbot, dialog.password, "wrong")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "不正确" in dialog.error.text())  # checked on a worker thread
    assert dialog.result() == 0
    dialog.password.clear()
    type_text(qtbot, dialog.password, "head-pass-1")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.user is not None)
    assert dialog.user is not None and dialog.user.role == "head"
    assert reg.actor.username == "head"
    assert accounts.find_user(reg, "head").active


class SlowHasher(PasswordHasher):
    """Argon2 as slow as at a station (half a second), to see the window go on meanwhile."""

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        time.sleep(0.5)
        return super().verify(hash, password)


def test_the_password_is_checked_off_the_gui_thread(qtbot: QtBot, reg) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: Enter froze the sign-in window while Argon2 ran; now it says it is checking,
    and the hash is computed once (on the worker), not again by authenticate."""
    real = reg.password_hasher
    slow = SlowHasher(time_cost=1, memory_cost=8, parallelism=1)
    calls: list[float] = []
    original = slow.verify
    slow.verify = lambda h, p: calls.append(time.monotonic()) or original(h, p)  # type: ignore[method-assign]
    reg.password_hasher = slow
    try:
        dialog = LoginDialog(reg)
        qtbot.addWidget(dialog)
        dialog.show()
        type_text(qtbot, dialog.username, "head")
        type_text(qtbot, dialog.password, "head-pass-1")
        started = time.monotonic()
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        assert time.monotonic() - started < 0.3  # the GUI thread did not wait for the hash
        assert dialog.checking.isVisible() and not dialog.buttons.isEnabled()
        qtbot.waitUntil(lambda: dialog.user is not None, timeout=5000)
        assert not dialog.checking.isVisible()
        assert len(calls) == 1  # hashed once
        assert reg.actor.username == "head"
        assert reg.password_hasher is slow  # put back
    finally:
        reg.password_hasher = real
