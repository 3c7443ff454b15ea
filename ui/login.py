"""Sign-in dialog (also used to unlock the screen after idle time). The password is checked on
a thread of its own (ui/password_check.py) while the dialog says so; the register itself is used
only on the GUI thread."""

from __future__ import annotations

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

from storage import accounts, station
from storage.errors import PetitionDeskError
from storage.i18n import _
from storage.register import Register
from ui import password_check
from ui.background import Job
from ui.widgets import ERROR_STYLE, NOTE_STYLE


class LoginDialog(QDialog):
    def __init__(self, reg: Register, parent: QWidget | None = None, *,
                 locked_user: str | None = None, hint: str = "") -> None:
        super().__init__(parent)
        self.reg = reg
        self.user: accounts.User | None = None
        self.setWindowTitle(_("信访工作台 — 登录") if locked_user is None else _("屏幕已锁定"))
        layout = QVBoxLayout(self)
        try:
            name = station.station(reg).name
        except PetitionDeskError:
            name = ""
        title = QLabel(f"<h2>{name}</h2>")
        layout.addWidget(title)
        if locked_user:
            layout.addWidget(QLabel(_("长时间未操作，屏幕已锁定。请输入密码继续。")))
        if hint:
            layout.addWidget(QLabel(hint))
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
        self._pending = ("", "")  # the login name and password being checked
        buttons = self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("登录"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            _("退出") if locked_user else _("取消"))
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password if locked_user or self.username.text() else self.username).setFocus()

    def try_login(self) -> None:
        """Enter: the password is verified on a worker thread; the answer comes back here."""
        if self.job is not None:
            return  # already checking
        username, password = self.username.text(), self.password.text()
        stored = accounts.stored_hash(self.reg, username)
        hasher = self.reg.password_hasher
        self._busy(True)
        self._pending = (username, password)
        self.job = Job("sign-in", lambda: password_check.check(hasher, stored, password), self)
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

    def _checked(self, checked: password_check.Checked | None,
                 error: BaseException | None) -> None:
        username, password = self._pending
        self.job = None
        self._busy(False)
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
        self.accept()

    def done(self, result: int) -> None:  # Qt override: a check under way finishes first
        if self.job is not None:
            self.job.wait()
        super().done(result)
