"""Small widgets shared by the sync panels: buttons, headings, read-only tables, and the
passphrase prompt. Dialog calls live in functions tests can replace."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from storage.i18n import _
from ui.widgets import NOTE_STYLE


def button(text: str, slot: Callable[[], Any]) -> QPushButton:
    b = QPushButton(text)
    b.setMinimumHeight(34)
    b.setAutoDefault(False)
    b.clicked.connect(lambda _c=False: slot())
    return b


def note(text: str = "", style: str = NOTE_STYLE) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


def table(headers: Sequence[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(list(headers))
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def fill(table: QTableWidget, rows: Sequence[Sequence[Any]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))


def cell(table: QTableWidget, row: int, col: int) -> str:
    item = table.item(row, col)
    return "" if item is None else item.text()


def pump() -> None:
    """Let the progress bar repaint while storage works on the GUI thread."""
    QApplication.processEvents()


# ----- dialogs (replaced in tests) -------------------------------------------------------------
def ask_passphrase(parent: QWidget | None, prompt: str) -> str | None:
    text, ok = QInputDialog.getText(parent, _("口令"), prompt, QLineEdit.EchoMode.Password)
    return text if ok else None


def ask_folder(parent: QWidget | None, title: str) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, title)
    return Path(chosen) if chosen else None


def ask_files(parent: QWidget | None, title: str, pattern: str) -> list[Path]:
    files, _f = QFileDialog.getOpenFileNames(parent, title, "", pattern)
    return [Path(f) for f in files]


def when(stamp: str | None) -> str:
    """"2026-12-02T09:20:38" as "2026-12-02 09:20" ("-" when there is none)."""
    return stamp.replace("T", " ")[:16] if stamp else "-"


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)
