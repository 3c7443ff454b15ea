"""What the settings tabs share: labelled form rows, buttons, tables, and the dialog whose OK
runs one storage action through ``ctx.run`` and closes only if it succeeded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from storage.i18n import _
from ui.context import AppContext
from ui.widgets import ERROR_STYLE

RETIRED = QColor("#767676")  # retired codes and accounts


def action_button(text: str, slot: Callable[[], Any]) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(36)
    button.setAutoDefault(False)
    button.clicked.connect(lambda _c=False: slot())
    return button


def left_aligned(*widgets: QWidget) -> QHBoxLayout:
    """Buttons at their natural size, on the left."""
    row = QHBoxLayout()
    for w in widgets:
        row.addWidget(w)
    row.addStretch(1)
    return row


def wrapped_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def record_table(columns: list[str]) -> QTableWidget:
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



class ActionDialog(QDialog):
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

    def accept(self) -> None:  # Qt override: save or stay open
        if self.ctx.run(self, self.save, topic=self.topic) is not None:
            super().accept()


def passwords_differ(dialog: ActionDialog, pw1: QLineEdit, pw2: QLineEdit) -> bool:
    if pw1.text() == pw2.text():
        return False
    dialog.error.setText(_("两次输入的密码不一致。"))
    pw2.setFocus()
    pw2.selectAll()
    return True
