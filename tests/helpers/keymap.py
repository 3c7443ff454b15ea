"""What keys a window answers to, for the keyboard-map test (tests/ui/test_keymap.py).

``mnemonics(window)`` lists the Alt+letter keys of what is visible in ``window`` (buttons,
check boxes, captions with a buddy, group boxes, tabs, the menu bar) with what each belongs to;
``shadowing(window, page)`` the shortcuts of a page that take a key of the window's menus.
"""

from __future__ import annotations

import re
from collections import defaultdict

from PySide6.QtCore import Qt
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QMenuBar,
    QTabBar,
    QWidget,
)

_MNEMONIC = re.compile(r"(?<!&)&([^&\s])")


def key_of(text: str) -> str | None:
    """The Alt key of a caption ("保存(&S)" → "S"), None if it has none."""
    m = _MNEMONIC.search(text)
    return m.group(1).upper() if m else None


def _visible(widget: QWidget, window: QWidget) -> bool:
    return widget.window() is window and widget.isVisibleTo(window)


def mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Alt key → the captions that claim it, among what ``window`` shows now."""
    found: dict[str, list[str]] = defaultdict(list)

    def add(text: str, what: str) -> None:
        key = key_of(text)
        if key is not None:
            found[key].append(f"{what}({text})")

    for widget in window.findChildren(QWidget):
        if not _visible(widget, window):
            continue
        if isinstance(widget, QAbstractButton):  # enabled or not: it claims its key
            add(widget.text(), type(widget).__name__)
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            add(widget.text(), "QLabel")
        elif isinstance(widget, QGroupBox):
            add(widget.title(), "QGroupBox")
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                if widget.isTabVisible(i):
                    add(widget.tabText(i), "tab")
        elif isinstance(widget, QMenuBar):
            for action in widget.actions():
                add(action.text(), "menu")
    return found


def clashes(window: QWidget) -> list[str]:
    """Alt keys claimed twice in what ``window`` shows now."""
    return [f"Alt+{key}: {' / '.join(owners)}" for key, owners in sorted(mnemonics(window).items())
            if len(owners) > 1]


def window_keys(window: QWidget) -> set[str]:
    """The key sequences of the window's menus (and its own shortcuts)."""
    keys = set()
    for action in window.actions():
        keys |= {s.toString() for s in action.shortcuts()}
    bar = window.findChild(QMenuBar)
    if bar is not None:
        for menu_action in bar.actions():
            menu = menu_action.menu()
            if menu is not None:
                for action in menu.actions():  # type: ignore[attr-defined]
                    keys |= {s.toString() for s in action.shortcuts()}
    return keys - {""}


def shadowing(window: QWidget, page: QWidget) -> list[str]:
    """Shortcuts of ``page`` that take a key the window's menus use."""
    reserved = window_keys(window)
    out = []
    for sc in page.findChildren(QShortcut):
        key = sc.key().toString()
        if key in reserved and sc.context() != Qt.ShortcutContext.WidgetShortcut:
            out.append(f"{key}: a shortcut on {type(sc.parent()).__name__}")
    for widget in [page, *page.findChildren(QWidget)]:
        for action in widget.actions():
            for seq in action.shortcuts():
                if seq.toString() in reserved:
                    out.append(f"{seq.toString()}: action {action.text()!r}")
    return out


__all__ = ["clashes", "key_of", "mnemonics", "shadowing", "window_keys"]
