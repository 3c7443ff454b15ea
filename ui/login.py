"""Sign-in dialog (also used to unlock the screen after idle time). The password is checked on
a thread of its own (ui/password_check.py) while the dialog says so; the register itself is used
only on the GUI thread.

The dialog can be shown before the register is open (``LoginDialog(None)``, then ``attach``):
ui/start.py paints it first and opens the register behind it (issue 15: the window took 3× a
bare window's time to appear). This module therefore imports no storage module at its top."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from storage.i18n import _
from ui import password_check
from ui.background import Job
from ui.widgets import ERROR_STYLE, NOTE_STYLE

if TYPE_CHECKING:
    from storage.accounts import User
    from storage.register import Register
    from storage.sync import signkey


class LoginDialog(QDialog):
    def __init__(self, reg: Register | None, parent: QWidget | None = None, *,
                 locked_user: str | None = None, hint: str = "") -> None:
        super().__init__(parent)
        self.reg: Register | None = None
        self.user: User | None = None
        self.setWindowTitle(_("信访工作台 — 登录") if locked_user is None else _("屏幕已锁定"))
        layout = QVBoxLayout(self)
        self.title = QLabel("<h2>\u3000</h2>")  # the station's name once the register is open
        layout.addWidget(self.title)
        if locked_user:
            layout.addWidget(QLabel(_("长时间未操作，屏幕已锁定。请输入密码继续。")))
        self.hint = QLabel(hint)
        self.hint.setVisible(bool(hint))
        layout.addWidget(self.hint)
        form = QFormLayout()
        self.username = QLineEdit(locked_user or "")
        self.username.setReadOnly(locked_user is not None)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        user_label = QLabel(_("登录名(&U)"))
        user_label.setBuddy(self.username)
        pass_label = QLabel(_("密码(&P)"))
        pass_label.setBuddy(self.password)
        form.addRow(user_label, self.username)
        form.addRow(pass_label, self.password)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.checking = QLabel(_("正在核对密码，请稍候…"))
        self.checking.setStyleSheet(NOTE_STYLE)
        self.checking.hide()
        layout.addWidget(self.checking)
        self.job: Job | None = None
        # the login name and password being checked, and what the signing key's slot needs
        self._pending: tuple[str, str, signkey.SignInWork | None] = ("", "", None)
        buttons = self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("登录"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            _("退出") if locked_user else _("取消"))
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password if locked_user or self.username.text() else self.username).setFocus()
        self.buttons.setEnabled(False)  # until the register is there
        if reg is not None:
            self.attach(reg)

    def attach(self, reg: Register, hint: str = "") -> None:
        """The register is open: its station's name, and signing in can start."""
        from storage import station
        from storage.errors import PetitionDeskError

        self.reg = reg
        try:
            name = station.station(reg).name
        except PetitionDeskError:
            name = ""
        self.title.setText(f"<h2>{name}</h2>")
        if hint:
            self.hint.setText(hint)
            self.hint.show()
        self.buttons.setEnabled(True)

    def try_login(self) -> None:
        """Enter: the password is verified on a worker thread; the answer comes back here."""
        from storage import accounts
        from storage.sync import signkey

        if self.job is not None or self.reg is None:
            return  # already checking, or the register is still being opened
        username, password = self.username.text(), self.password.text()
        stored = accounts.stored_hash(self.reg, username)
        hasher = self.reg.password_hasher
        # the signing key's slot is opened with the same password, on the same worker
        work = signkey.prepare(self.reg, username, str(self.reg.scalar(
            "SELECT role FROM users WHERE username = ? AND deleted = 0", (username.strip(),))))
        self._busy(True)
        self._pending = (username, password, work)

        def check() -> tuple[password_check.Checked, signkey.Derived | None]:
            checked = password_check.check(hasher, stored, password)
            return checked, signkey.derive(work, password) if checked.ok else None

        self.job = Job("sign-in", check, self)
        self.job.done.connect(self._checked)  # a method of the dialog: delivered on its thread
        self.job.start()

    def _busy(self, busy: bool) -> None:
        self.checking.setVisible(busy)
        self.buttons.setEnabled(not busy)
        self.password.setReadOnly(busy)
        if busy:
            self.error.clear()
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QApplication.restoreOverrideCursor()

    def _checked(self, result: tuple[password_check.Checked, signkey.Derived | None] | None,
                 error: BaseException | None) -> None:
        from storage import accounts
        from storage.errors import PetitionDeskError
        from storage.sync import signkey

        username, password, work = self._pending
        checked, derived = result if result is not None else (None, None)
        self.job = None
        self._busy(False)
        if not self.isVisible():  # closed (Esc, 取消) while checking: nobody signs in
            return
        assert self.reg is not None
        real = self.reg.password_hasher
        if checked is not None:  # the same rules as ever, without hashing a second time
            self.reg.password_hasher = password_check.Prepared(real, checked)  # type: ignore[assignment]
        try:
            if error is not None:
                raise error
            self.user = accounts.authenticate(self.reg, username, password)
        except PetitionDeskError as exc:
            self.error.setText(exc.user_text())
            self.password.selectAll()
            self.password.setFocus()
            return
        finally:
            self.reg.password_hasher = real
        if derived is not None and work is not None:
            signkey.apply(self.reg, work, derived)
        self.accept()

    def done(self, result: int) -> None:  # Qt override: a check under way finishes first
        if self.job is not None:
            self.job.wait()
        super().done(result)
