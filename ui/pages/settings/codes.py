"""分类代码: the classification tables (add, rename, retire or restore a value)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage import codes
from storage.codes import KIND_LABELS, Code
from storage.i18n import _
from ui.context import AppContext
from ui.pages.settings.forms import RETIRED, ActionDialog, action_button, left_aligned
from ui.widgets import form_row


class RenameDialog(ActionDialog):
    topic = "codes"

    def __init__(self, ctx: AppContext, code: Code, parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("改名"), parent)
        self.code = code
        self.form.addRow(_("原名称："), QLabel(code.label))
        self.label = form_row(self.form, _("新名称(&N)"), QLineEdit(code.label))
        self.form.addRow("", QLabel(_("已登记的信访件保留原来的名称。")))
        self.finish_layout()
        self.label.setFocus()
        self.label.selectAll()

    def save(self) -> object:
        codes.rename_code(self.ctx.reg, self.code.id, self.label.text())
        return True



class CodesTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.by_id: dict[str, Code] = {}
        layout = QVBoxLayout(self)
        top = QFormLayout()
        self.kind = form_row(top, _("分类表(&K)"), QComboBox())
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
        row.addWidget(action_button(_("改名(&R)"), self.rename))
        self.toggle_button = action_button(_("停用(&T)"), self.toggle_active)
        row.addWidget(self.toggle_button)
        row.addWidget(QLabel(_("停用的值不再供选择，已登记的信访件不受影响。")))
        row.addStretch(1)
        layout.addLayout(row)

    def _add_box(self) -> QGroupBox:
        box = QGroupBox(_("添加"))
        form = QFormLayout(box)
        self.parent_combo = form_row(form, _("上级分类(&U)"), QComboBox())
        self.parent_caption = form.labelForField(self.parent_combo)
        self.new_label = form_row(form, _("名称(&N)"), QLineEdit())
        self.new_label.returnPressed.connect(self.add)
        form.addRow("", left_aligned(action_button(_("添加(&A)"), self.add)))
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

    def _item(self, code: Code, parent: QTreeWidgetItem | None) -> QTreeWidgetItem:
        meaning = code.parent if self.kind_key == "risk_level" else ""
        state = _("在用") if code.active else _("已停用")
        item = QTreeWidgetItem([code.label, state, meaning])
        item.setData(0, Qt.ItemDataRole.UserRole, code.id)
        if not code.active:
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
        out: list[QTreeWidgetItem] = []
        for index in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(index)
            if top is not None:  # never within the count; the stubs cannot know that
                out.append(top)
                out += [child for row in range(top.childCount())
                        if (child := top.child(row)) is not None]
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
        if self.ctx.attempt(self, codes.set_active, self.ctx.reg, code.id, not code.active,
                            topic="codes"):
            self.refresh()
            self._on_select()
