"""The Qt binding must not leak references to None (PySide6 6.12.0 on Python 3.11 loses one per
call that returns nothing: a busy desk aborted with "Fatal Python error: none_dealloc" after
a few hundred saves). Measured, not assumed: pyproject.toml pins the binding accordingly."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel, QListWidget
from pytestqt.qtbot import QtBot


def test_calls_returning_nothing_keep_none_alive(qtbot: QtBot) -> None:
    label = QLabel()
    items = QListWidget()
    qtbot.addWidget(label)
    qtbot.addWidget(items)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("张三")
        items.currentItem()
    after = sys.getrefcount(None)
    # Python itself may take or drop a handful of references meanwhile; a leak costs >= 2000.
    assert before - after < 100
