"""Window sizes that fit the screen: the office PCs include 1366×768 laptops, where a fixed
1000-pixel-tall dialog put its buttons below the taskbar."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

MARGIN = 80  # room for the taskbar and the window's title bar


def fit_on_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` to ``width``×``height``, or smaller where the screen is smaller."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width() - MARGIN // 2)
        height = min(height, room.height() - MARGIN)
    widget.resize(width, height)
