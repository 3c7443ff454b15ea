"""Sign-in dialog (also used to unlock the screen after idle time)."""

from __future__ import annotations

from PySide6.QtWidgets import (
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
from storage.sync import signkey
from ui.widgets import ERROR_STYLE


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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("登录"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            _("退出") if locked_user else _("取消"))
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password if locked_user or self.username.text() else self.username).setFocus()

    def try_login(self) -> None:
        try:
            self.user = accounts.authenticate(self.reg, self.username.text(),
                                              self.password.text())
            # the password just typed opens this account's slot of the signing key
            signkey.sign_in(self.reg, self.user.username, self.user.role, self.password.text())
        except PetitionDeskError as exc:
            self.error.setText(exc.user_text())
            self.password.selectAll()
            self.password.setFocus()
            return
        self.accept()
