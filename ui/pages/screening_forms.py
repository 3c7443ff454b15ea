"""The two forms of a screened dispute: the new dispute (parties, type, risk, measures) and the
progress of an open one (status, way, date) — used by the entry tab and the dispute ledger."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from storage import codes
from storage import screening as sc
from storage.i18n import N_, _
from storage.validation import parse_date
from ui.context import AppContext
from ui.shortcuts import shortcut

UNCHANGED = N_("（不变）")


def _optional_date(text: str, label: str, field: str) -> date | None:
    return parse_date(text, field=field, label=label) if text.strip() else None


class DisputeForm(QGroupBox):
    """A new dispute, filled in tab order; Enter saves (``submitted``)."""

    submitted = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(_("登记新发现的纠纷（Ctrl+N；Enter 保存）"))
        reg = ctx.reg
        form = QFormLayout(self)
        self.type = QComboBox()
        self.type.addItems(codes.labels(reg, "dispute_type"))
        self.parties = QLineEdit()
        self.parties.setPlaceholderText(_("姓名 电话；姓名 电话（多人用；隔开）"))
        self.persons = QSpinBox()
        self.persons.setRange(1, sc.MAX_PERSONS)
        self.persons.setValue(2)
        self.place = QLineEdit()
        self.summary = QLineEdit()
        self.summary.setPlaceholderText(_("起因、经过、诉求，一两句话"))
        self.risk = QComboBox()
        levels = sc.risk_levels(reg)
        for level in levels:
            self.risk.addItem(level, level)
        meanings = {c.label: c.parent for c in codes.list_codes(reg, "risk_level")}
        for i, level in enumerate(levels):
            self.risk.setItemData(i, meanings.get(level, ""), Qt.ItemDataRole.ToolTipRole)
        self.default_risk = levels.index("黄") if "黄" in levels else max(0, len(levels) - 2)
        self.risk.setCurrentIndex(self.default_risk)
        self.may = {key: QCheckBox(_(label)) for key, label in sc.MAY_CAUSE}
        may_row = QHBoxLayout()
        for box in self.may.values():
            may_row.addWidget(box)
        may_row.addStretch(1)
        self.measures = QLineEdit()
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.unit.addItems([""] + codes.labels(reg, "handling_unit"))
        self.person = QLineEdit()
        self.person.setPlaceholderText(_("包案领导；红、橙色风险必填"))
        self.deadline = QLineEdit()
        self.deadline.setPlaceholderText(_("如 2026-03-31；红、橙色风险必填"))
        for label, widget in ((_("纠纷类型(&T)"), self.type), (_("当事人(&P)"), self.parties),
                              (_("涉及人数"), self.persons), (_("发生地点"), self.place),
                              (_("简要情况(&S)"), self.summary), (_("风险等级(&R)"), self.risk)):
            form.addRow(label, widget)
        form.addRow(_("可能引发"), may_row)
        for label, widget in ((_("化解措施"), self.measures), (_("责任单位"), self.unit),
                              (_("责任人"), self.person), (_("化解时限"), self.deadline)):
            form.addRow(label, widget)
        self.save = QPushButton(_("保存纠纷（Enter）"))
        self.save.setAutoDefault(False)
        self.save.clicked.connect(self.submitted)
        form.addRow("", self.save)
        for keys in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut(self, QKeySequence(keys), self.submitted.emit)
        order = [self.type, self.parties, self.persons, self.place, self.summary, self.risk,
                 *self.may.values(), self.measures, self.unit, self.person, self.deadline,
                 self.save]
        for a, b in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def value(self) -> sc.DisputeInput:
        return sc.DisputeInput(
            type=self.type.currentText(), parties=sc.parse_parties_text(self.parties.text()),
            persons_involved=self.persons.value(), place=self.place.text(),
            summary=self.summary.text(), risk_level=str(self.risk.currentData()),
            may_collective=self.may["may_collective"].isChecked(),
            may_skip_level=self.may["may_skip_level"].isChecked(),
            may_criminal=self.may["may_criminal"].isChecked(),
            measures=self.measures.text(), responsible_unit=self.unit.currentText(),
            responsible_person=self.person.text(),
            deadline=_optional_date(self.deadline.text(), _("化解时限"), "deadline"))

    def clear(self) -> None:
        for w in (self.parties, self.place, self.summary, self.measures, self.person,
                  self.deadline):
            w.clear()
        self.persons.setValue(2)
        self.risk.setCurrentIndex(self.default_risk)
        self.unit.setCurrentIndex(0)
        for box in self.may.values():
            box.setChecked(False)

    def focus_field(self, name: str | None) -> None:
        widget = {"type": self.type, "parties": self.parties, "parties.0.name": self.parties,
                  "persons_involved": self.persons, "place": self.place,
                  "summary": self.summary, "risk_level": self.risk, "measures": self.measures,
                  "responsible_unit": self.unit, "responsible_person": self.person,
                  "deadline": self.deadline}.get(name or "", None)
        if widget is None and name and name.startswith("parties"):
            widget = self.parties
        (widget or self.type).setFocus()


class ProgressForm(QGroupBox):
    """This period's word on the selected open dispute; Enter saves (``submitted``)."""

    submitted = Signal()

    def __init__(self) -> None:
        super().__init__(_("本期进展（Ctrl+U；Enter 保存）"))
        grid = QGridLayout(self)
        self.status = QComboBox()
        self.status.addItem(_(UNCHANGED), None)
        for s in sc.STATUSES:
            self.status.addItem(sc.value_label(s), s)
        self.way = QComboBox()
        for way in sc.RESOLUTION_WAYS:
            self.way.addItem(sc.value_label(way), way)
        self.resolved_on = QLineEdit()
        self.resolved_on.setPlaceholderText(_("化解日期，默认今天"))
        self.transfer = QComboBox()
        self.transfer.setEditable(True)
        self.transfer.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.transfer.addItems([""] + list(sc.TRANSFER_TARGETS))
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("本期做了什么、有何变化"))
        grid.addWidget(QLabel(_("化解状态")), 0, 0)
        grid.addWidget(self.status, 0, 1)
        grid.addWidget(QLabel(_("本期进展")), 0, 2)
        grid.addWidget(self.note, 0, 3)
        grid.addWidget(QLabel(_("化解方式")), 1, 0)
        grid.addWidget(self.way, 1, 1)
        grid.addWidget(QLabel(_("化解日期")), 1, 2)
        grid.addWidget(self.resolved_on, 1, 3)
        grid.addWidget(QLabel(_("移交单位")), 2, 0)
        grid.addWidget(self.transfer, 2, 1)
        self.save = QPushButton(_("保存进展（Enter）"))
        self.save.setAutoDefault(False)
        self.save.clicked.connect(self.submitted)
        grid.addWidget(self.save, 2, 3)
        self.status.currentIndexChanged.connect(self._sync)
        for keys in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut(self, QKeySequence(keys), self.submitted.emit)
        order = [self.status, self.note, self.way, self.resolved_on, self.transfer, self.save]
        for a, b in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(a, b)
        self._sync()

    def _sync(self) -> None:
        status = self.status.currentData()
        for w in (self.way, self.resolved_on):
            w.setEnabled(status == sc.RESOLVED)
        self.transfer.setEnabled(status == sc.TRANSFERRED)

    def value(self, today: date) -> sc.DisputeProgress:
        status = self.status.currentData()
        p = sc.DisputeProgress(note=self.note.text(), status=status)
        if status == sc.RESOLVED:
            p.resolution_way = self.way.currentData()
            p.resolved_on = _optional_date(self.resolved_on.text(), _("化解日期"),
                                           "resolved_on") or today
        if status == sc.TRANSFERRED:
            p.transfer_to = self.transfer.currentText()
        return p

    def clear(self) -> None:
        self.status.setCurrentIndex(0)
        self.note.clear()
        self.resolved_on.clear()
        self.transfer.setCurrentIndex(0)


