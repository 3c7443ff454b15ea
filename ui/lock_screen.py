"""What the idle lock puts over every open window: an opaque cover that hides the window's
whole content (names, summaries, the dialog being filled in) until someone signs in again.

A cover is a child of the window it hides, raised above everything in it and kept the window's
size, so a window moved or resized while locked shows nothing either. Only the sign-in dialog,
opened after the covers, is left to see."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from storage.i18n import _


class LockCover(QWidget):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Dark))
        self.setPalette(palette)
        layout = QVBoxLayout(self)
        label = QLabel(_("屏幕已锁定"))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.parent() and event.type() in (QEvent.Type.Resize,
                                                         QEvent.Type.ChildAdded):
            parent = self.parentWidget()
            if parent is not None:
                self.setGeometry(parent.rect())
            self.raise_()  # a widget added while locked still goes under the cover
        return False

    def remove(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            parent.removeEventFilter(self)
        self.hide()
        self.deleteLater()


def cover_all_windows() -> list[LockCover]:
    """Cover every visible top-level window (the main window and any open dialog)."""
    return [LockCover(w) for w in QApplication.topLevelWidgets()
            if w.isVisible() and cover_of(w) is None]


def cover_of(window: QWidget) -> LockCover | None:
    """The window's own cover (not that of a dialog parented to it)."""
    return window.findChild(LockCover, options=Qt.FindChildOption.FindDirectChildrenOnly)


def uncover(covers: list[LockCover]) -> None:
    for cover in covers:
        cover.remove()
