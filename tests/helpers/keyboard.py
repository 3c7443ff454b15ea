"""Typing helpers for GUI tests.

QTest can only synthesise key events for ASCII (it aborts on 张). A clerk types Chinese through
an input method, which delivers the chosen characters to the widget as a QInputMethodEvent
commit — so that is what ``type_text`` sends for non-ASCII text, and plain key clicks otherwise.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    run = ""
    for ch in text:
        if ch.isascii():
            run += ch
            continue
        if run:
            qtbot.keyClicks(widget, run)
            run = ""
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)
    if run:
        qtbot.keyClicks(widget, run)


def type_and_tab(qtbot: QtBot, text: str) -> QWidget:
    """Type into the focused widget, press Tab; returns the widget that has focus now."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    if text:
        type_text(qtbot, widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    now = QApplication.focusWidget()
    assert now is not None
    return now


def focused() -> QWidget:
    """The widget that has keyboard focus (there must be one)."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def show_active(qtbot: QtBot, window: QWidget, size: tuple[int, int] | None = None) -> None:
    """Show ``window`` (kept alive by qtbot) and wait until it is the active window, so that key
    presses reach it as they would a clerk's."""
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
