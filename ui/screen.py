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


def show_fitted(widget: QWidget) -> None:
    """Show ``widget`` maximised on a screen smaller than the size it was given (a laptop: the
    clerk needs every pixel), else at that size."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    room = screen.availableGeometry() if screen is not None else None
    if room is not None and (room.width() < 1400 or room.height() < 900):
        widget.showMaximized()
    else:
        widget.show()
