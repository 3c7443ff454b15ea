"""用户: accounts, roles and the villages a liaison covers; new passwords."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage import accounts, logins, station
from storage.i18n import _
from storage.register import ROLE_LABELS
from storage.sync import signkey
from ui.context import AppContext
from ui.pages.settings.forms import (
    RETIRED,
    ActionDialog,
    action_button,
    passwords_differ,
    record_table,
    wrapped_label,
)
from ui.widgets import form_row


class PasswordDialog(ActionDialog):
    """Set a new password (the head for anyone; everyone for themselves)."""

    topic = "users"

    def __init__(self, ctx: AppContext, user: accounts.User, parent: QWidget | None = None
                 ) -> None:
        super().__init__(ctx, _("设置新密码 — {name}").format(name=user.display_name), parent)
        self.user = user
        self.pw1 = form_row(self.form, _("新密码(&P)"), QLineEdit())
        self.pw2 = form_row(self.form, _("再输一次(&W)"), QLineEdit())
        for w in (self.pw1, self.pw2):
            w.setEchoMode(QLineEdit.EchoMode.Password)
        self.finish_layout()
        self.pw1.setFocus()

    def save(self) -> object:
        accounts.set_password(self.ctx.reg, self.user.id, self.pw1.text())
        # the account's slot of the signing key follows its new password (when the key is open)
        signkey.sign_in(self.ctx.reg, self.user.username, self.user.role, self.pw1.text())
        return True

    def accept(self) -> None:  # a mismatch is shown in the dialog, not a box
        if passwords_differ(self, self.pw1, self.pw2):
            return
        super().accept()


class UserDialog(ActionDialog):
    """Add an account (``user`` None) or change name, role, active and villages."""

    topic = "users"

    def __init__(self, ctx: AppContext, user: accounts.User | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("新增用户") if user is None else _("修改用户"), parent)
        self.user = user
        self.saved: accounts.User | None = None
        self.username = form_row(self.form, _("登录名(&U)"), QLineEdit(user.username if user else ""))
        self.username.setReadOnly(user is not None)
        self.username.setPlaceholderText(_("字母、数字或下划线，如 liwj"))
        self.display_name = form_row(self.form, _("姓名(&X)"),
                                 QLineEdit(user.display_name if user else ""))
        self.role = form_row(self.form, _("角色(&R)"), QComboBox())
        for key, label in ROLE_LABELS.items():
            self.role.addItem(_(label), key)
        self.role.setCurrentIndex(self.role.findData(user.role if user else "clerk"))
        self.pw1 = self.pw2 = None
        self.active: QCheckBox | None = None
        if user is None:
            self.pw1 = form_row(self.form, _("密码(&P)"), QLineEdit())
            self.pw2 = form_row(self.form, _("再输一次密码(&W)"), QLineEdit())
            for w in (self.pw1, self.pw2):
                w.setEchoMode(QLineEdit.EchoMode.Password)
        else:
            self.active = QCheckBox(_("账号可以使用(&A)"))
            self.active.setChecked(user.active)
            self.form.addRow("", self.active)
        self.villages = form_row(self.form, _("负责的村（社区）(&V)"), QListWidget())
        self.villages.setMaximumHeight(self.villages.fontMetrics().height() * 8)
        chosen = set(user.village_ids) if user else set()
        for v in station.villages(ctx.reg):
            item = QListWidgetItem(v.name)
            item.setData(Qt.ItemDataRole.UserRole, v.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if v.id in chosen
                               else Qt.CheckState.Unchecked)
            self.villages.addItem(item)
        self.form.addRow("", wrapped_label(_("信访联络员只能看到、录入所负责村（社区）的数据。"
                                     "用上下键选村，空格键勾选。")))
        self.finish_layout()
        (self.display_name if user else self.username).setFocus()

    def village_ids(self) -> tuple[str, ...]:
        return tuple(str(self.villages.item(i).data(Qt.ItemDataRole.UserRole))
                     for i in range(self.villages.count())
                     if self.villages.item(i).checkState() == Qt.CheckState.Checked)

    def save(self) -> object:
        reg = self.ctx.reg
        if self.user is None:
            assert self.pw1 is not None
            self.saved = accounts.create_user(
                reg, self.username.text(), self.display_name.text(), self.role.currentData(),
                self.pw1.text(), village_ids=self.village_ids())
        else:
            assert self.active is not None
            self.saved = accounts.update_user(
                reg, self.user.id, display_name=self.display_name.text(),
                role=self.role.currentData(), active=self.active.isChecked(),
                village_ids=self.village_ids())
        return self.saved

    def accept(self) -> None:  # password mismatch shown in the dialog
        if self.pw1 is not None and self.pw2 is not None and \
                passwords_differ(self, self.pw1, self.pw2):
            return
        super().accept()



class UsersTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.users: list[accounts.User] = []
        layout = QVBoxLayout(self)
        self.table = record_table([_("登录名"), _("姓名"), _("角色"), _("状态"), _("负责的村（社区）")])
        self.table.doubleClicked.connect(lambda _i: self.edit_user())
        self.table.activated.connect(lambda _i: self.edit_user())
        layout.addWidget(self.table)
        row = QHBoxLayout()
        row.addWidget(action_button(_("新增用户(&N)"), self.add_user))
        row.addWidget(action_button(_("修改所选用户(&E)"), self.edit_user))
        row.addWidget(action_button(_("重设密码(&R)"), self.reset_password))
        row.addWidget(action_button(_("解除锁定(&L)"), self.lift_lock))
        row.addStretch(1)
        layout.addLayout(row)

    def refresh(self) -> None:
        reg = self.ctx.reg
        villages = {v.id: v.name for v in station.villages(reg)}
        selected = self.selected()
        self.users = accounts.list_users(reg)
        self.table.setRowCount(len(self.users))
        for r, u in enumerate(self.users):
            locked = logins.is_locked(reg, u.username, head=u.role == "head")
            cells = [u.username, u.display_name, u.role_label,
                     _("密码错误过多，已锁定") if locked else _("在用") if u.active
                     else _("已停用"),
                     _("、").join(villages.get(v, "") for v in u.village_ids)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not u.active:
                    item.setForeground(QBrush(RETIRED))
                self.table.setItem(r, c, item)
            if selected and u.id == selected.id:
                self.table.selectRow(r)

    def selected(self) -> accounts.User | None:
        row = self.table.currentRow()
        return self.users[row] if 0 <= row < len(self.users) else None

    def user_dialog(self, user: accounts.User | None = None) -> UserDialog:
        """Built, not shown (tests fill it); the buttons ``exec()`` it."""
        return UserDialog(self.ctx, user, self)

    def add_user(self) -> None:
        if self.user_dialog().exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def edit_user(self) -> None:
        user = self.selected()
        if user is None:
            return
        if self.user_dialog(user).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def lift_lock(self) -> None:
        """A head lets an account locked by wrong passwords sign in again."""
        user = self.selected()
        if user is not None and self.ctx.attempt(self, logins.lift_lock, self.ctx.reg,
                                                 user.username, topic="users"):
            self.refresh()

    def reset_password(self) -> None:
        user = self.selected()
        if user is not None:
            PasswordDialog(self.ctx, user, self).exec()
