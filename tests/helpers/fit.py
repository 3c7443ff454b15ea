"""Does a window fit a small laptop screen? (issue 15)

``problems(window, room)`` lays ``window`` out in a work area of ``room`` (the screen less its
taskbar) and lists, in words, what a clerk could not reach there: a minimum size larger than the
room, or a visible button, message, field or list that lies outside the window (or outside the
part of it that holds it: a page clipped by its stack, a label cut by its group box). Widgets
inside a scroll area only need their scroll area in view: the clerk scrolls to them.

``views(window)`` shows every tab of every tab widget in turn, so that each is checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStatusBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

#: The window manager's title bar: the work area must hold it too.
TITLE_BAR = 30
#: Pixels a widget may overhang its container (frames, focus rings).
SLACK = 2

CHECKED = (QAbstractButton, QLabel, QLineEdit, QComboBox, QAbstractSpinBox, QTextEdit,
           QPlainTextEdit, QAbstractItemView, QStatusBar)


def minimum_size(window: QWidget) -> QSize:
    """The smallest size Qt lets ``window`` take (what the clerk cannot shrink below)."""
    size = window.minimumSizeHint().expandedTo(window.minimumSize())
    layout = window.layout()
    if layout is not None:
        size = size.expandedTo(layout.minimumSize())
    return size


def _name(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, (QAbstractButton, QLabel)):
        text = widget.text()
    elif isinstance(widget, QLineEdit):
        text = widget.placeholderText() or widget.objectName()
    text = " ".join(text.split())[:40]
    return f"{type(widget).__name__}({text or widget.objectName()!r})"


def _scroll_area_of(parent: QWidget) -> QAbstractScrollArea | None:
    """The scroll area whose viewport ``parent`` is, if it is one."""
    area = parent.parentWidget()
    if isinstance(area, QAbstractScrollArea) and area.viewport() is parent:
        return area
    return None


def _clipped_by(widget: QWidget, window: QWidget) -> QWidget | None:
    """The first container (up to ``window``) that ``widget`` does not lie inside, else None."""
    current = widget
    rect = QRect(QPoint(0, 0), widget.size())
    while current is not window:
        parent = current.parentWidget()
        if parent is None:
            return None
        area = _scroll_area_of(parent)
        if area is not None:  # scrolled into view on demand: the area itself must be in view
            current, rect = area, QRect(QPoint(0, 0), area.size())
            continue
        rect = rect.translated(current.pos())
        if not parent.rect().adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(rect):
            return parent
        current = parent
    return None


def problems(window: QWidget, room: QSize) -> list[str]:
    """What a clerk cannot reach in ``window`` on a work area of ``room``."""
    found: list[str] = []
    usable = QSize(room.width(), room.height() - TITLE_BAR)
    least = minimum_size(window)
    if least.width() > usable.width() or least.height() > usable.height():
        found.append(f"minimum size {least.width()}×{least.height()} exceeds "
                     f"{usable.width()}×{usable.height()}")
    if window.width() > usable.width() or window.height() > usable.height():
        window.resize(window.size().boundedTo(usable))
    QApplication.processEvents()
    if window.width() > usable.width() or window.height() > usable.height():
        found.append(f"window is {window.width()}×{window.height()}")
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, CHECKED) or not widget.isVisibleTo(window):
            continue
        if widget.window() is not window:
            continue
        if isinstance(widget, QLabel) and not widget.text() and widget.pixmap().isNull():
            continue
        clip = _clipped_by(widget, window)
        if clip is not None:
            where = widget.mapTo(window, QPoint(0, 0))
            found.append(f"{_name(widget)} at {where.x()},{where.y()} "
                         f"{widget.width()}×{widget.height()} outside {_name(clip)}")
    return found


def views(window: QWidget) -> Iterator[str]:
    """Show each tab of each tab widget in ``window`` in turn (yielding its name); the first
    yield is the window as it opened."""
    yield ""
    seen: set[int] = set()
    while True:
        pending = [t for t in window.findChildren(QTabWidget)
                   if t.isVisibleTo(window) and id(t) not in seen]
        if not pending:
            return
        tabs = pending[0]
        seen.add(id(tabs))
        start = tabs.currentIndex()
        for index in range(tabs.count()):
            if index == start or not tabs.isTabEnabled(index):
                continue
            tabs.setCurrentIndex(index)
            QApplication.processEvents()
            yield tabs.tabText(index)
        tabs.setCurrentIndex(start)
