"""The first moments of the GUI (issue 15: the sign-in window appeared after 3× the time of a
bare window): Qt, the shipped fonts and Qt's own translations, then the sign-in window is
painted at once; only behind it are the register and the rest of the desk loaded (ui/app.py).
This module and ui/login.py import no storage module beyond gettext at their top."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from storage.i18n import current_language
from ui.fonts import apply_ui_font, load_fonts
from ui.qt_language import install_translators

if TYPE_CHECKING:
    from ui.login import LoginDialog

#: Event-loop turns at most spent waiting for the first paint (offscreen and X11 need 1–3).
PAINT_TURNS = 20


class _Painted(QObject):
    seen = False

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.seen = True
        return False


def show_shell(app: QApplication) -> LoginDialog:
    """The sign-in window, without its register yet, on screen (painted) now."""
    from ui.login import LoginDialog

    shell = LoginDialog(None)
    watch = _Painted(shell)
    shell.installEventFilter(watch)
    shell.show()
    for _turn in range(PAINT_TURNS):
        app.processEvents()
        if watch.seen:
            break
    shell.removeEventFilter(watch)
    return shell


def run_gui(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("PetitionDesk")
    app.setOrganizationName("PetitionDesk")
    load_fonts()
    apply_ui_font(app)
    install_translators(app, current_language())  # Qt's buttons in Chinese from the start
    # A demo's first start builds its register first: no sign-in window to wait behind it.
    shell = None if args.demo else show_shell(app)
    from ui import app as desk  # the heavy part, behind the painted window

    return desk.run_gui(args, shell=shell)
