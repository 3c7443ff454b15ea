"""What the tabs of the 包案督办 page share: a message line, forms that refresh the tab when
saved, table captions with Alt keys, scroll areas, overdue rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QWidget,
)

from ui.context import AppContext
from ui.pages.leadership_forms import Form
from ui.sync import widgets as w
from ui.widgets import NOTE_STYLE, OVERDUE_BG


def captioned(text: str, table: QTableWidget) -> QLabel:
    """A table's caption whose Alt key puts the cursor in the table."""
    label = QLabel(text)
    label.setBuddy(table)
    return label


def stretch(table: QTableWidget, column: int) -> None:
    """``column`` (a summary) takes the width the others leave; the rest fit their content."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)


def selected_row(table: QTableWidget) -> int:
    """The row chosen in ``table`` (-1 when none is): the selection, not the cursor, which
    can rest on a row nobody chose."""
    model = table.selectionModel()
    rows = model.selectedRows() if model is not None else []
    return rows[0].row() if rows else -1


def focus_table(table: QTableWidget) -> None:
    """The cursor into ``table``, its first row chosen if none is."""
    table.setFocus()
    if selected_row(table) < 0 and table.rowCount():
        table.selectRow(0)


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row


def mark_rows(table: QTableWidget, late: Sequence[bool]) -> None:
    for r, is_late in enumerate(late):
        if is_late:
            for c in range(table.columnCount()):
                item = table.item(r, c)
                if item is not None:
                    item.setBackground(OVERDUE_BG)


def ask_save_path(parent: QWidget | None, title: str, name: str, pattern: str) -> Path | None:
    """Where to save a file (replaced in tests)."""
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, str(Path.home() / name), pattern)
    return Path(chosen) if chosen else None


class Tab(QWidget):
    """A tab of the page: a message line and a way to open forms that refresh it when saved."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.message = w.note()

    def say(self, text: str, style: str = NOTE_STYLE) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)

    def open_form(self, form: Form, done: Callable[[Any], None] | None = None) -> Form:
        def finished(result: int) -> None:
            if result and done is not None:
                done(form.result_value)
            self.refresh()

        form.finished.connect(finished)
        form.open()
        return form

    def refresh(self) -> None:
        raise NotImplementedError

    def focus_first(self) -> None:
        raise NotImplementedError


