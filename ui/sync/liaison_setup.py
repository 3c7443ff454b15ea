"""First run on a liaison's own laptop: set the empty register up from the starter file the
township made (instead of the station set-up wizard). The set-up wizard can offer it as
"用联络员启动文件设置本机": ``LiaisonSetupDialog(reg).exec()``; afterwards the liaison is signed in.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from storage.errors import PetitionDeskError, ValidationError
from storage.i18n import _
from storage.register import Actor, Register
from storage.sync import liaison
from ui.sync import widgets as w
from ui.widgets import ERROR_STYLE


class LiaisonSetupDialog(QDialog):
    def __init__(self, reg: Register, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.actor: Actor | None = None
        self.setWindowTitle(_("用联络员启动文件设置本机"))
        col = QVBoxLayout(self)
        col.addWidget(w.note(_("请选择乡镇给的启动文件（.pdstart），输入站长当面告诉您的口令，"
                               "并为本机的账号设置一个密码。")))
        form = QFormLayout()
        self.file = QLineEdit()
        pick = w.button(_("浏览(&B)…"), self._browse)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(pick)
        holder = QWidget()
        holder.setLayout(row)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        for text, widget, buddy in (
                (_("启动文件(&F)："), holder, self.file),
                (_("启动文件口令(&P)："), self.passphrase, self.passphrase),
                (_("本机登录密码(&W)："), self.password, self.password),
                (_("再输入一遍(&G)："), self.again, self.again)):
            caption = QLabel(text)
            caption.setBuddy(buddy)
            form.addRow(caption, widget)
        col.addLayout(form)
        self.error = w.note(style=ERROR_STYLE)
        col.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.set_up)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)

    def _browse(self) -> None:
        files = w.ask_files(self, _("选择启动文件"), _("启动文件 (*.pdstart)"))
        if files:
            self.file.setText(str(files[0]))

    def set_up(self) -> None:
        try:
            if self.password.text() != self.again.text():
                raise ValidationError(_("两次输入的密码不一致。"), "password")
            self.actor = liaison.set_up_from_starter(self.reg, Path(self.file.text().strip()),
                                                     self.passphrase.text(), self.password.text())
        except PetitionDeskError as exc:
            self.error.setText(exc.user_text())
            return
        self.accept()
