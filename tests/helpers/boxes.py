"""Answering the message boxes a flow brings up, the way a clerk does: by the button's text."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot


def answer_boxes(qtbot: QtBot, answers: list[str], seen: list[str]) -> Callable[[], None]:
    """Answer the next message boxes, in order, by clicking the button with each text."""
    def step() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, step)
            return
        seen.append(box.text())
        wanted = answers.pop(0)
        # "OK" is Qt's own button: its text depends on whether Qt's zh_CN catalogue is loaded
        ok = box.button(QMessageBox.StandardButton.Ok)
        button = ok if wanted == "OK" and ok is not None else next(
            (b for b in box.buttons() if b.text().replace("&", "") == wanted), None)
        if button is None:  # never leave a modal box open: the test would hang, not fail
            seen.append(f"no button {wanted!r} among {[b.text() for b in box.buttons()]}")
            box.reject()
            return
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        if answers:
            QTimer.singleShot(20, step)
    return step
