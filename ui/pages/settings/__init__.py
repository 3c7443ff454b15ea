"""Settings, for the station head: the station, villages and grids, user accounts, the
classification tables, holidays for years the library does not know yet, and the station's other
settings (collective-visit threshold, masking, idle lock, language). Everyone else sees a plain
note that only the head may change settings, and can change their own password there.

Every change goes through ``ctx.run`` to storage, which checks the role and the values; a
refusal leaves what was typed in place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage import accounts, calendar_store, codes, petitions, station
from storage.codes import KIND_LABELS, Code
from storage.i18n import LANGUAGES, N_, _
from storage.petitions import collective_threshold
from storage.register import ROLE_LABELS
from ui.context import AppContext

IDLE_LOCK_DEFAULT = 15  # minutes; same default as ui/app.py
ERROR_STYLE = "color: #b00020;"
BANNER_STYLE = ("background: #fff3cd; color: #5c3c00; border: 1px solid #e0b000;"
                " padding: 8px;")
RETIRED = QColor("#767676")


def _row(form: QFormLayout, label: str, widget: QWidget) -> Any:
    caption = QLabel(label)
    caption.setBuddy(widget)
    form.addRow(caption, widget)
    return widget


def _button(text: str, slot: Callable[[], Any]) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(36)
    button.setAutoDefault(False)
    button.clicked.connect(lambda _c=False: slot())
    return button


def _left(*widgets: QWidget) -> QHBoxLayout:
    """Buttons at their natural size, on the left."""
    row = QHBoxLayout()
    for w in widgets:
        row.addWidget(w)
    row.addStretch(1)
    return row


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.15)
    font.setBold(True)
    label.setFont(font)
    return label


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(int(table.fontMetrics().height() * 1.8))
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


# ----- small dialogs ----------------------------------------------------------------------------

class _ActionDialog(QDialog):
    """OK runs ``self.save()`` through ctx.run; the dialog closes only if it succeeded."""

    topic = "settings"  # what ctx.changed announces after a successful save

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setVerticalSpacing(10)
        self.layout_.addLayout(self.form)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.layout_.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("确定(&O)"))
        ok.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.buttons)

    def save(self) -> object:
        raise NotImplementedError

    def accept(self) -> None:  # noqa: D102 - Qt override: save or stay open
        if self.ctx.run(self, self.save, topic=self.topic) is not None:
            super().accept()


def _passwords_differ(dialog: _ActionDialog, pw1: QLineEdit, pw2: QLineEdit) -> bool:
    if pw1.text() == pw2.text():
        return False
    dialog.error.setText(_("两次输入的密码不一致。"))
    pw2.setFocus()
    pw2.selectAll()
    return True


class PasswordDialog(_ActionDialog):
    """Set a new password (the head for anyone; everyone for themselves)."""

    topic = "users"

    def __init__(self, ctx: AppContext, user: accounts.User, parent: QWidget | None = None
                 ) -> None:
        super().__init__(ctx, _("设置新密码 — {name}").format(name=user.display_name), parent)
        self.user = user
        self.pw1 = _row(self.form, _("新密码(&P)"), QLineEdit())
        self.pw2 = _row(self.form, _("再输一次(&W)"), QLineEdit())
        for w in (self.pw1, self.pw2):
            w.setEchoMode(QLineEdit.EchoMode.Password)
        self.finish_layout()
        self.pw1.setFocus()

    def save(self) -> object:
        accounts.set_password(self.ctx.reg, self.user.id, self.pw1.text())
        return True

    def accept(self) -> None:  # noqa: D102 - a mismatch is shown in the dialog, not a box
        if _passwords_differ(self, self.pw1, self.pw2):
            return
        super().accept()


class UserDialog(_ActionDialog):
    """Add an account (``user`` None) or change name, role, active and villages."""

    topic = "users"

    def __init__(self, ctx: AppContext, user: accounts.User | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("新增用户") if user is None else _("修改用户"), parent)
        self.user = user
        self.saved: accounts.User | None = None
        self.username = _row(self.form, _("登录名(&U)"), QLineEdit(user.username if user else ""))
        self.username.setReadOnly(user is not None)
        self.username.setPlaceholderText(_("字母、数字或下划线，如 liwj"))
        self.display_name = _row(self.form, _("姓名(&X)"),
                                 QLineEdit(user.display_name if user else ""))
        self.role = _row(self.form, _("角色(&R)"), QComboBox())
        for key, label in ROLE_LABELS.items():
            self.role.addItem(_(label), key)
        self.role.setCurrentIndex(self.role.findData(user.role if user else "clerk"))
        self.pw1 = self.pw2 = None
        self.active: QCheckBox | None = None
        if user is None:
            self.pw1 = _row(self.form, _("密码(&P)"), QLineEdit())
            self.pw2 = _row(self.form, _("再输一次密码(&W)"), QLineEdit())
            for w in (self.pw1, self.pw2):
                w.setEchoMode(QLineEdit.EchoMode.Password)
        else:
            self.active = QCheckBox(_("账号可以使用(&A)"))
            self.active.setChecked(user.active)
            self.form.addRow("", self.active)
        self.villages = _row(self.form, _("负责的村（社区）(&V)"), QListWidget())
        self.villages.setMaximumHeight(self.villages.fontMetrics().height() * 8)
        chosen = set(user.village_ids) if user else set()
        for v in station.villages(ctx.reg):
            item = QListWidgetItem(v.name)
            item.setData(Qt.ItemDataRole.UserRole, v.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if v.id in chosen
                               else Qt.CheckState.Unchecked)
            self.villages.addItem(item)
        self.form.addRow("", _note(_("信访联络员只能看到、录入所负责村（社区）的数据。"
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

    def accept(self) -> None:  # noqa: D102 - password mismatch shown in the dialog
        if self.pw1 is not None and self.pw2 is not None and \
                _passwords_differ(self, self.pw1, self.pw2):
            return
        super().accept()


class RenameDialog(_ActionDialog):
    topic = "codes"

    def __init__(self, ctx: AppContext, code: Code, parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("改名"), parent)
        self.code = code
        self.form.addRow(_("原名称："), QLabel(code.label))
        self.label = _row(self.form, _("新名称(&N)"), QLineEdit(code.label))
        self.form.addRow("", QLabel(_("已登记的信访件保留原来的名称。")))
        self.finish_layout()
        self.label.setFocus()
        self.label.selectAll()

    def save(self) -> object:
        codes.rename_code(self.ctx.reg, self.code.id, self.label.text())
        return True


# ----- tabs -------------------------------------------------------------------------------------

class StationTab(QWidget):
    FIELDS = (("name", N_("名称(&M)")), ("short_name", N_("简称(&S)")),
              ("office_name", N_("登记机关名称(&O)")), ("phone", N_("联系电话(&T)")),
              ("address", N_("地址(&A)")))

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setVerticalSpacing(10)
        self.code = _row(form, _("12位区划代码"), QLabel())
        self.edits: dict[str, QLineEdit] = {}
        for key, label in self.FIELDS:
            edit = _row(form, _(label), QLineEdit())
            edit.returnPressed.connect(self.save)
            self.edits[key] = edit
        layout.addLayout(form)
        note = QLabel(_("这些信息印在回执和告知书上。区划代码设定后不能修改。"))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.message = QLabel()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addWidget(_button(_("保存工作站信息(&V)"), self.save))
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def refresh(self) -> None:
        st = station.station(self.ctx.reg)
        self.code.setText(st.code)
        if any(e.isModified() for e in self.edits.values()):
            return  # keep what the head is typing
        for key, edit in self.edits.items():
            edit.setText(getattr(st, key))

    def save(self) -> None:
        values = {k: e.text().strip() for k, e in self.edits.items()}
        if self.ctx.run(self, lambda: station.update_station(self.ctx.reg, **values) or True,
                        topic="station"):
            for e in self.edits.values():
                e.setModified(False)
            self.message.setText(_("已保存。"))


class VillagesTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(_heading(_("村（社区）和网格")))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([_("名称"), _("编号"), _("联络员")])
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._on_select)
        left.addWidget(self.tree)
        layout.addLayout(left, 3)
        right = QVBoxLayout()
        right.addWidget(self._village_box())
        right.addWidget(self._grid_box())
        right.addWidget(self._liaison_box())
        right.addStretch(1)
        layout.addLayout(right, 2)

    def _village_box(self) -> QGroupBox:
        box = QGroupBox(_("添加村（社区）"))
        form = QFormLayout(box)
        self.village_name = _row(form, _("名称(&N)"), QLineEdit())
        self.village_code = _row(form, _("12位区划代码(&C)"), QLineEdit())
        self.village_code.setMaxLength(12)
        self.village_code.returnPressed.connect(self.add_village)
        form.addRow("", _left(_button(_("添加村（社区）(&A)"), self.add_village)))
        return box

    def _grid_box(self) -> QGroupBox:
        box = QGroupBox(_("添加网格"))
        form = QFormLayout(box)
        self.grid_village = _row(form, _("所属村（社区）(&I)"), QComboBox())
        self.grid_name = _row(form, _("网格名称(&G)"), QLineEdit())
        self.grid_name.returnPressed.connect(self.add_grid)
        self.grid_liaison = _row(form, _("联络员(&L)"), QComboBox())
        form.addRow("", _left(_button(_("添加网格(&D)"), self.add_grid)))
        return box

    def _liaison_box(self) -> QGroupBox:
        box = QGroupBox(_("指定联络员"))
        form = QFormLayout(box)
        self.selected_grid = QLabel(_("请先在左边选中一个网格。"))
        self.selected_grid.setWordWrap(True)
        form.addRow(self.selected_grid)
        self.assign_liaison = _row(form, _("联络员(&K)"), QComboBox())
        form.addRow("", _left(_button(_("指定给所选网格(&J)"), self.assign)))
        return box

    def _liaisons(self, combo: QComboBox) -> None:
        current = combo.currentData()
        combo.clear()
        combo.addItem(_("（暂不指定）"), None)
        for u in accounts.list_users(self.ctx.reg):
            if u.role == "liaison" and u.active:
                combo.addItem(u.display_name, u.id)
        combo.setCurrentIndex(max(0, combo.findData(current)))

    def refresh(self) -> None:
        reg = self.ctx.reg
        names = {u.id: u.display_name for u in accounts.list_users(reg)}
        self.tree.clear()
        village_items: dict[str, QTreeWidgetItem] = {}
        for v in station.villages(reg):
            item = QTreeWidgetItem([v.name, v.code, ""])
            self.tree.addTopLevelItem(item)
            village_items[v.id] = item
        for g in station.grids(reg):
            child = QTreeWidgetItem([g.name, g.code, names.get(g.liaison_id or "", "")])
            child.setData(0, Qt.ItemDataRole.UserRole, g.id)
            village_items[g.village_id].addChild(child)
        self.tree.expandAll()
        current = self.grid_village.currentData()
        self.grid_village.clear()
        for v in station.villages(reg):
            self.grid_village.addItem(v.name, v.id)
        self.grid_village.setCurrentIndex(max(0, self.grid_village.findData(current)))
        self._liaisons(self.grid_liaison)
        self._liaisons(self.assign_liaison)
        self.village_code.setPlaceholderText(reg.station_code[:9] + "201")

    def _on_select(self, item: QTreeWidgetItem | None) -> None:
        grid_id = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        if not grid_id or item is None or item.parent() is None:
            self.selected_grid.setText(_("请先在左边选中一个网格。"))
            return
        self.selected_grid.setText(_("所选网格：{village} {grid}").format(
            village=item.parent().text(0), grid=item.text(0)))
        liaison = station.grids(self.ctx.reg)
        current = next((g.liaison_id for g in liaison if g.id == grid_id), None)
        self.assign_liaison.setCurrentIndex(max(0, self.assign_liaison.findData(current)))

    def add_village(self) -> None:
        if self.ctx.run(self, station.add_village, self.ctx.reg, self.village_name.text(),
                        self.village_code.text(), topic="station"):
            self.village_name.clear()
            self.village_code.clear()
            self.refresh()
            self.village_name.setFocus()

    def add_grid(self) -> None:
        village_id = self.grid_village.currentData()
        if not village_id:
            return
        if self.ctx.run(self, station.add_grid, self.ctx.reg, village_id, self.grid_name.text(),
                        self.grid_liaison.currentData(), topic="station"):
            self.grid_name.clear()
            self.refresh()

    def assign(self) -> None:
        item = self.tree.currentItem()
        grid_id = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        if not grid_id:
            self.selected_grid.setText(_("请先在左边选中一个网格。"))
            self.tree.setFocus()
            return
        if self.ctx.run(self, lambda: station.assign_liaison(
                self.ctx.reg, grid_id, self.assign_liaison.currentData()) or True,
                topic="station"):
            self.refresh()


class UsersTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.users: list[accounts.User] = []
        layout = QVBoxLayout(self)
        self.table = _table([_("登录名"), _("姓名"), _("角色"), _("状态"), _("负责的村（社区）")])
        self.table.doubleClicked.connect(lambda _i: self.edit_user())
        self.table.activated.connect(lambda _i: self.edit_user())
        layout.addWidget(self.table)
        row = QHBoxLayout()
        row.addWidget(_button(_("新增用户(&N)"), self.add_user))
        row.addWidget(_button(_("修改所选用户(&E)"), self.edit_user))
        row.addWidget(_button(_("重设密码(&R)"), self.reset_password))
        row.addStretch(1)
        layout.addLayout(row)

    def refresh(self) -> None:
        reg = self.ctx.reg
        villages = {v.id: v.name for v in station.villages(reg)}
        selected = self.selected()
        self.users = accounts.list_users(reg)
        self.table.setRowCount(len(self.users))
        for r, u in enumerate(self.users):
            cells = [u.username, u.display_name, u.role_label,
                     _("在用") if u.active else _("已停用"),
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

    def reset_password(self) -> None:
        user = self.selected()
        if user is not None:
            PasswordDialog(self.ctx, user, self).exec()


class CodesTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.by_id: dict[str, Code] = {}
        layout = QVBoxLayout(self)
        top = QFormLayout()
        self.kind = _row(top, _("分类表(&K)"), QComboBox())
        for key, label in KIND_LABELS.items():
            self.kind.addItem(_(label), key)
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        layout.addLayout(top)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([_("名称"), _("状态"), _("说明")])
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._on_select)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self._add_box())
        row = QHBoxLayout()
        row.addWidget(_button(_("改名(&R)"), self.rename))
        self.toggle_button = _button(_("停用(&T)"), self.toggle_active)
        row.addWidget(self.toggle_button)
        row.addWidget(QLabel(_("停用的值不再供选择，已登记的信访件不受影响。")))
        row.addStretch(1)
        layout.addLayout(row)

    def _add_box(self) -> QGroupBox:
        box = QGroupBox(_("添加"))
        form = QFormLayout(box)
        self.parent_combo = _row(form, _("上级分类(&U)"), QComboBox())
        self.parent_caption = form.labelForField(self.parent_combo)
        self.new_label = _row(form, _("名称(&N)"), QLineEdit())
        self.new_label.returnPressed.connect(self.add)
        form.addRow("", _left(_button(_("添加(&A)"), self.add)))
        return box

    @property
    def kind_key(self) -> str:
        return str(self.kind.currentData())

    def refresh(self) -> None:
        items = codes.list_codes(self.ctx.reg, self.kind_key, include_inactive=True)
        self.by_id = {c.id: c for c in items}
        current = self.selected()
        self.tree.clear()
        two_level = self.kind_key == "content_category"
        tops: dict[str, QTreeWidgetItem] = {}
        for c in items:
            if two_level and c.parent:
                continue
            tops[c.code] = self._item(c, None)
        for c in items:
            if two_level and c.parent in tops:
                self._item(c, tops[c.parent])
        self.tree.setRootIsDecorated(two_level)
        self._fill_parents(items if two_level else [])
        self._select(current.id if current else None)

    def _item(self, c: Code, parent: QTreeWidgetItem | None) -> QTreeWidgetItem:
        meaning = c.parent if self.kind_key == "risk_level" else ""
        item = QTreeWidgetItem([c.label, _("在用") if c.active else _("已停用"), meaning])
        item.setData(0, Qt.ItemDataRole.UserRole, c.id)
        if not c.active:
            for col in range(3):
                item.setForeground(col, QBrush(RETIRED))
        if parent is None:
            self.tree.addTopLevelItem(item)
        else:
            parent.addChild(item)
        return item

    def _fill_parents(self, items: list[Code]) -> None:
        keep = self.parent_combo.currentData()
        self.parent_combo.clear()
        self.parent_combo.addItem(_("（作为一级分类）"), "")
        for c in items:
            if not c.parent:
                self.parent_combo.addItem(c.label, c.code)
        self.parent_combo.setCurrentIndex(max(0, self.parent_combo.findData(keep)))
        visible = bool(items)
        self.parent_combo.setVisible(visible)
        if self.parent_caption is not None:
            self.parent_caption.setVisible(visible)

    def _select(self, code_id: str | None) -> None:
        if code_id is None:
            return
        for item in self._all_items():
            if item.data(0, Qt.ItemDataRole.UserRole) == code_id:
                self.tree.setCurrentItem(item)
                return

    def _all_items(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            out.append(top)
            out += [top.child(j) for j in range(top.childCount())]
        return out

    def selected(self) -> Code | None:
        item = self.tree.currentItem()
        return self.by_id.get(item.data(0, Qt.ItemDataRole.UserRole)) if item else None

    def _on_select(self, *_args: object) -> None:
        code = self.selected()
        self.toggle_button.setText(_("恢复使用(&T)") if code and not code.active
                                   else _("停用(&T)"))
        if code and self.kind_key == "content_category":
            first = code.parent or code.code
            self.parent_combo.setCurrentIndex(max(0, self.parent_combo.findData(first)))

    def add(self) -> None:
        parent = self.parent_combo.currentData() if self.kind_key == "content_category" else ""
        label = self.new_label.text()
        code = self.ctx.run(self, lambda: codes.add_code(self.ctx.reg, self.kind_key, label,
                                                         parent=parent or ""), topic="codes")
        if code is not None:
            self.new_label.clear()
            self.refresh()
            self._select(code.id)

    def rename_dialog(self, code: Code) -> RenameDialog:
        return RenameDialog(self.ctx, code, self)

    def rename(self) -> None:
        code = self.selected()
        if code is not None and self.rename_dialog(code).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def toggle_active(self) -> None:
        code = self.selected()
        if code is None:
            return
        if self.ctx.run(self, lambda: codes.set_active(self.ctx.reg, code.id, not code.active)
                        or True, topic="codes"):
            self.refresh()
            self._on_select()


class HolidaysTab(QWidget):
    KINDS = ((N_("休息日"), False), (N_("调休上班"), True))

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.days: list[tuple[date, bool, str]] = []
        layout = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        layout.addWidget(self.banner)
        top = QFormLayout()
        top.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.year = _row(top, _("年份(&Y)"), QSpinBox())
        self.year.setMinimumWidth(140)
        self.year.setRange(2000, 2100)
        self.year.valueChanged.connect(lambda _v: self.load_year())
        layout.addLayout(top)
        self.known = QLabel()
        self.known.setWordWrap(True)
        layout.addWidget(self.known)
        self.table = _table([_("日期"), _("类型"), _("备注")])
        layout.addWidget(self.table, 1)
        box = QGroupBox(_("录入一天（按国务院办公厅放假通知）"))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.day = _row(form, _("日期(&D)"), QDateEdit())
        self.day.setDisplayFormat(_("yyyy年M月d日"))
        self.day.setCalendarPopup(True)
        self.kind = _row(form, _("类型(&L)"), QComboBox())
        for label, workday in self.KINDS:
            self.kind.addItem(_(label), workday)
        self.note = _row(form, _("备注(&B)"), QLineEdit())
        self.note.setPlaceholderText(_("如：春节、国庆节"))
        self.note.setMinimumWidth(360)
        self.day.setMinimumWidth(220)
        self.kind.setMinimumWidth(220)
        self.note.returnPressed.connect(self.add)
        row = QHBoxLayout()
        row.addWidget(_button(_("添加这一天(&A)"), self.add))
        row.addWidget(_button(_("删除所选日期(&X)"), self.remove))
        row.addStretch(1)
        form.addRow("", row)
        layout.addWidget(box)
        self._year_set = False

    def refresh(self) -> None:
        today = self.ctx.reg.clock().date()
        missing = calendar_store.years_needing_entry(self.ctx.reg, today)
        self.banner.setVisible(bool(missing))
        self.banner.setText(_(
            "{years}年的法定节假日安排尚未录入，期限暂只按周六、周日休息推算。"
            "请按国务院办公厅的放假通知，逐日录入放假的日子和调休上班的周末。").format(
                years=_("、").join(str(y) for y in missing)))
        if not self._year_set:
            self._year_set = True
            self.year.setValue(missing[0] if missing else today.year)
        self.load_year()

    def load_year(self) -> None:
        year = self.year.value()
        cal = calendar_store.calendar(self.ctx.reg)
        self.known.setText(
            _("程序已内置{year}年的节假日安排；在这里录入的日期会覆盖内置安排。").format(year=year)
            if cal.library_knows_year(year) else
            _("程序没有{year}年的节假日安排，请在下面录入。").format(year=year))
        self.days = calendar_store.manual_days(self.ctx.reg, year)
        self.table.setRowCount(len(self.days))
        for r, (day, workday, note) in enumerate(self.days):
            kind = _("调休上班") if workday else _("休息日")
            for c, text in enumerate((day.strftime("%Y-%m-%d"), kind, note)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if self.day.date().year() != year:
            self.day.setDate(QDate(year, 1, 1))

    def add(self) -> None:
        day = _pydate(self.day.date())
        if self.ctx.run(self, lambda: petitions.set_holiday(
                self.ctx.reg, day, bool(self.kind.currentData()), self.note.text()) or True,
                topic="calendar"):
            self.note.clear()
            if day.year != self.year.value():
                self.year.setValue(day.year)
            self.refresh()
            self.day.setFocus()

    def remove(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.days):
            return
        day = self.days[row][0]
        if self.ctx.run(self, lambda: petitions.remove_holiday(self.ctx.reg, day) or True,
                        topic="calendar"):
            self.refresh()


class OtherTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setVerticalSpacing(12)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.threshold = _row(form, _("集体访人数(&J)"), QSpinBox())
        self.threshold.setRange(2, 999)
        self.threshold.setSuffix(_(" 人及以上"))
        self.mask_ids = QCheckBox(_("遮盖公民身份号码（如 110105********002X）(&I)"))
        self.mask_phones = QCheckBox(_("遮盖电话号码（如 138****5678）(&P)"))
        self.mask_names = QCheckBox(_("遮盖姓名（如 王*英）(&N)"))
        masks = QVBoxLayout()
        for box in (self.mask_ids, self.mask_phones, self.mask_names):
            masks.addWidget(box)
        form.addRow(_("打印件和屏幕上"), masks)
        self.idle = _row(form, _("无人操作自动锁屏(&L)"), QSpinBox())
        self.idle.setRange(1, 240)
        for spin in (self.threshold, self.idle):
            spin.setMinimumWidth(200)
        self.idle.setSuffix(_(" 分钟后"))
        self.language = _row(form, _("界面语言(&Y)"), QComboBox())
        self.language.setMinimumWidth(200)
        for key, label in LANGUAGES.items():
            self.language.addItem(label, key)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("锁屏时间和界面语言在下次启动程序后生效。")))
        self.message = QLabel()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addWidget(_button(_("保存这些设置(&V)"), self.save))
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def refresh(self) -> None:
        reg = self.ctx.reg
        self.threshold.setValue(collective_threshold(reg))
        self.mask_ids.setChecked(bool(reg.setting("mask_id_numbers", True)))
        self.mask_phones.setChecked(bool(reg.setting("mask_phones", True)))
        self.mask_names.setChecked(bool(reg.setting("mask_names", False)))
        self.idle.setValue(int(reg.setting("idle_lock_minutes", IDLE_LOCK_DEFAULT)))
        self.language.setCurrentIndex(max(0, self.language.findData(
            reg.setting("language", "zh_CN"))))
        self.message.clear()

    def values(self) -> dict[str, Any]:
        return {"collective_threshold": self.threshold.value(),
                "mask_id_numbers": self.mask_ids.isChecked(),
                "mask_phones": self.mask_phones.isChecked(),
                "mask_names": self.mask_names.isChecked(),
                "idle_lock_minutes": self.idle.value(),
                "language": self.language.currentData()}

    def _save(self) -> bool:
        self.ctx.reg.change_settings(self.values())
        return True

    def save(self) -> None:
        if self.ctx.run(self, self._save, topic="settings"):
            self.message.setText(_("已保存。"))


# ----- the page ---------------------------------------------------------------------------------

class SettingsPage(QWidget):
    """Tabs for the station head; a plain note (and one's own password) for everyone else."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = _("设置")
        self.setStyleSheet("QTreeWidget::item, QListWidget::item { padding: 4px 2px; }")
        layout = QVBoxLayout(self)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)
        self.stack.addWidget(self._notice_page())
        self.tabs = QTabWidget()
        self.station_tab = StationTab(ctx)
        self.villages_tab = VillagesTab(ctx)
        self.users_tab = UsersTab(ctx)
        self.codes_tab = CodesTab(ctx)
        self.holidays_tab = HolidaysTab(ctx)
        self.other_tab = OtherTab(ctx)
        for i, (tab, label) in enumerate((
                (self.station_tab, _("工作站信息")), (self.villages_tab, _("村（社区）与网格")),
                (self.users_tab, _("用户")), (self.codes_tab, _("分类代码")),
                (self.holidays_tab, _("节假日")), (self.other_tab, _("其他设置")))):
            self.tabs.addTab(tab, _("{label}(&{key})").format(label=label, key=i + 1))
        self.stack.addWidget(self.tabs)
        self.tabs.currentChanged.connect(lambda _i: self._refresh_tab())
        self.refresh()

    def _notice_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.notice = _heading(_("只有站长可以修改设置。"))
        layout.addWidget(self.notice)
        layout.addWidget(QLabel(_("如需修改工作站信息、用户、分类代码或节假日，请联系站长。")))
        row = QHBoxLayout()
        row.addWidget(_button(_("修改我的密码(&P)"), self.change_own_password))
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    @property
    def is_head(self) -> bool:
        return self.ctx.reg.actor.role == "head"

    def refresh(self) -> None:
        self.stack.setCurrentIndex(1 if self.is_head else 0)
        if self.is_head:
            self._refresh_tab()

    def _refresh_tab(self) -> None:
        tab = self.tabs.currentWidget()
        if self.is_head and tab is not None:
            tab.refresh()  # type: ignore[attr-defined]

    def focus_first(self) -> None:
        (self.tabs.tabBar() if self.is_head else self.stack.currentWidget()).setFocus()

    def change_own_password(self) -> None:
        user = accounts.find_user(self.ctx.reg, self.ctx.reg.actor.username)
        PasswordDialog(self.ctx, user, self).exec()
