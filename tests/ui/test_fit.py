"""Every page and every dialog fits a clerk's laptop (issue 15): at 1366×768 and 1280×720, in
Chinese and English, on a township and on a county register, no window asks for more room than
the screen's work area and no visible button, message, field or list lies outside its window.

The dialogs are listed in tests/helpers/fit_dialogs.py (add new ones there); the page states
worth checking beyond "as opened" (a refused save showing its message) are in ``SCENARIOS``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.helpers.fit import TITLE_BAR, problems, views
from tests.helpers.fit_dialogs import DIALOGS, Records
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.pages.page import Page

#: Screens (width, height) and the work area a taskbar leaves of them.
SCREENS = {"1366x768": QSize(1366, 768 - 40), "1280x720": QSize(1280, 720 - 40)}


def _enter_on_empty_registration(qtbot: QtBot, page: Page) -> None:
    """Enter on an empty registration form: the refusal must be on screen."""
    page.focus_first()
    target = QApplication.focusWidget() or page
    qtbot.keyClick(target, Qt.Key.Key_Return)


#: (page key, what the clerk does first) — states of a page worth checking beyond "as opened".
SCENARIOS: list[tuple[str, Callable[[QtBot, Page], None]]] = [
    ("registration", _enter_on_empty_registration),
]


@pytest.fixture(params=list(SCREENS))
def room(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> QSize:
    size = SCREENS[request.param]
    monkeypatch.setattr(QScreen, "availableGeometry",
                        lambda _self: QRect(0, 0, size.width(), size.height()))
    return size


def _check(window: QWidget, room: QSize, where: str, page: Page | None = None) -> list[str]:
    out: list[str] = []
    for tab in views(window):
        here = f"{where}{' / ' + tab if tab else ''}"
        out += [f"{here}: {p}" for p in problems(window, room)]
        if page is not None and isinstance(window, MainWindow):
            # The window scrolls a page that does not fit; at these sizes none should need to.
            area, need = window.page_areas[page], page.minimumSizeHint()
            if need.width() > area.width() or need.height() > area.height():
                out.append(f"{here}: page needs {need.width()}×{need.height()}, "
                           f"has {area.width()}×{area.height()}")
    return out


def test_every_page_fits(qtbot: QtBot, desk: AppContext, room: QSize, language: str) -> None:
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.resize(room.width(), room.height() - TITLE_BAR)  # maximised, as it opens on a laptop
    window.show()
    qtbot.waitExposed(window)
    found: list[str] = []
    for key in list(window.pages):
        page = window.show_page(key)
        assert page is not None
        found += _check(window, room, f"{language} page {key}", page)
    for key, act in SCENARIOS:
        scenario_page = window.show_page(key)
        if scenario_page is None:
            continue
        act(qtbot, scenario_page)
        found += problems(window, room)
    assert not found, "\n".join(found)


def test_every_dialog_fits(qtbot: QtBot, desk: AppContext, room: QSize, language: str) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    records = Records(desk)
    found: list[str] = []
    opened: list[str] = []
    for case in DIALOGS:
        if desk.reg.mode not in case.modes:
            continue
        dialog = case.make(desk, records, parent)
        assert dialog is not None, case.name
        opened.append(case.name)
        dialog.show()
        qtbot.waitExposed(dialog)
        found += _check(dialog, room, f"{language} {case.name}")
        dialog.close()
        dialog.deleteLater()
    assert opened
    assert not found, "\n".join(found)
