"""Work on a thread of its own (ui/background.py): a job that outlives the window that started
it ends without a traceback."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from ui.background import Job


def test_a_job_that_outlives_its_window_ends_quietly(qtbot: QtBot) -> None:  # noqa: ARG001
    """A count still running when its page is closed (the 统计报表 page at a million matters)
    finishes without a traceback on the console."""
    window = QWidget()
    go = threading.Event()
    job = Job("slow-count", lambda: go.wait(10), window)
    job.start()
    window.deleteLater()
    QApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    errors: list[BaseException] = []
    hook = threading.excepthook
    threading.excepthook = lambda args: errors.append(args.exc_value)  # type: ignore[assignment]
    try:
        go.set()
        job.wait(10)
    finally:
        threading.excepthook = hook
    assert errors == []
