"""Keyboard shortcuts bound to part of a window.

PySide6 (6.12 checked) ignores the ``context`` argument of ``QShortcut(keys, parent, slot,
context)``: such a shortcut stays window-wide, so an Enter meant for a list fired from the search
box too. The context is therefore set after construction, here, in one place.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def shortcut(parent: QWidget, keys: str | QKeySequence, slot: Callable[[], object], *,
             context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut
             ) -> QShortcut:
    """``keys`` call ``slot`` while the focus is in ``parent`` (and, by default, its children:
    forms side by side do not clash)."""
    sc_ = QShortcut(QKeySequence(keys), parent)
    sc_.setContext(context)
    sc_.activated.connect(slot)
    return sc_
