"""村（社区）与网格: villages and their grids, and which liaison looks after a grid."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
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

from storage import accounts, station
from storage.i18n import _
from ui.context import AppContext
from ui.pages.settings.forms import action_button, left_aligned
from ui.widgets import form_row, heading


class VillagesTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(heading(_("村（社区）和网格")))
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
        self.village_name = form_row(form, _("名称(&N)"), QLineEdit())
        self.village_code = form_row(form, _("12位区划代码(&C)"), QLineEdit())
        self.village_code.setMaxLength(12)
        self.village_code.returnPressed.connect(self.add_village)
        form.addRow("", left_aligned(action_button(_("添加村（社区）(&A)"), self.add_village)))
        return box

    def _grid_box(self) -> QGroupBox:
        box = QGroupBox(_("添加网格"))
        form = QFormLayout(box)
        self.grid_village = form_row(form, _("所属村（社区）(&I)"), QComboBox())
        self.grid_name = form_row(form, _("网格名称(&G)"), QLineEdit())
        self.grid_name.returnPressed.connect(self.add_grid)
        self.grid_liaison = form_row(form, _("联络员(&L)"), QComboBox())
        form.addRow("", left_aligned(action_button(_("添加网格(&D)"), self.add_grid)))
        return box

    def _liaison_box(self) -> QGroupBox:
        box = QGroupBox(_("指定联络员"))
        form = QFormLayout(box)
        self.selected_grid = QLabel(_("请先在左边选中一个网格。"))
        self.selected_grid.setWordWrap(True)
        form.addRow(self.selected_grid)
        self.assign_liaison = form_row(form, _("联络员(&K)"), QComboBox())
        form.addRow("", left_aligned(action_button(_("指定给所选网格(&J)"), self.assign)))
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
        village = item.parent() if item else None
        if not grid_id or item is None or village is None:
            self.selected_grid.setText(_("请先在左边选中一个网格。"))
            return
        self.selected_grid.setText(_("所选网格：{village} {grid}").format(
            village=village.text(0), grid=item.text(0)))
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
        if self.ctx.attempt(self, station.assign_liaison, self.ctx.reg, grid_id,
                            self.assign_liaison.currentData(), topic="station"):
            self.refresh()
