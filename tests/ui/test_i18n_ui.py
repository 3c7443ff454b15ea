"""The main window in English (the Qt half of tests/test_i18n.py).

A station set up with ASCII data, so that every CJK character left on screen is a piece of UI
text that escaped translation: page titles, labels, buttons, group boxes, tabs, check boxes,
table headers, menus and the window title of every main page. Items of combo boxes, lists and
tables are data (seeded code tables such as content categories stay Chinese) and are not
checked, except the navigation list, which holds the page titles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
)

from storage import accounts, station
from storage.db import open_register
from storage.i18n import DEFAULT_LANGUAGE, set_language
from storage.register import Register
from tests.helpers.registers import CHEAP_HASHER, STATION_CODE, FakeClock
from ui.context import AppContext

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
PAGE_TITLES = ["Home", "Registration", "Petitions", "People's mediation", "Dispute screening",
               "Leadership",
               "Statistics", "Data exchange", "Settings"]


@pytest.fixture
def reg(clock: FakeClock) -> Iterator[Register]:
    """A fresh station whose own data is ASCII, signed in as the station head."""
    r = open_register(None, clock=clock, password_hasher=CHEAP_HASHER)
    station.set_up_station(
        r, name="Huayuan Station", short_name="HY", code=STATION_CODE, kind="township",
        office_name="Huayuan Town", phone="0512-66881234", address="1 Renmin Road",
        villages=[station.VillageSpec("Chunming", "320508102200", ["G1", "G2"])],
        head_username="head", head_display_name="Wang", head_password="head-pass-1")
    accounts.create_user(r, "clerk", "Li", "clerk", "clerk-pass-1")
    accounts.authenticate(r, "head", "head-pass-1")
    yield r
    r.close()


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language(DEFAULT_LANGUAGE)


def _static_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of every piece of UI text under ``root`` that is not data."""
    out: list[tuple[str, str]] = []

    def add(widget: QWidget, text: str) -> None:
        if text:
            out.append((f"{type(widget).__name__} {widget.objectName()}".strip(), text))

    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLabel):
            add(widget, widget.text())
        elif isinstance(widget, QAbstractButton):
            add(widget, widget.text())
        elif isinstance(widget, QGroupBox):
            add(widget, widget.title())
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                add(widget, widget.tabText(i))
        elif isinstance(widget, QLineEdit):
            add(widget, widget.placeholderText())
        elif isinstance(widget, QTableView | QTreeView) and widget.model() is not None:
            header_view = (widget.horizontalHeader() if isinstance(widget, QTableView)
                           else widget.header())
            for c in range(header_view.count()):
                header = widget.model().headerData(c, Qt.Orientation.Horizontal,
                                                   Qt.ItemDataRole.DisplayRole)
                add(widget, str(header) if header is not None else "")
        elif isinstance(widget, QMenu):
            add(widget, widget.title())
            for action in widget.actions():
                add(widget, action.text())
        add(widget, widget.toolTip())
    return out


@pytest.mark.usefixtures("english")
def test_main_window_in_english_shows_no_chinese(ctx: AppContext) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(ctx)
    window.show()
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == PAGE_TITLES
    assert window.windowTitle() == "Petition Desk — Huayuan Station"
    found: list[str] = []
    for i in range(window.nav.count()):
        window.nav.setCurrentRow(i)
        page = window.stack.currentWidget()
        found += [f"{titles[i]}: {where}: {text!r}" for where, text in _static_texts(page)
                  if CJK.search(text)]
    found += [f"window: {where}: {text!r}" for where, text in _static_texts(window)
              if CJK.search(text)]
    assert sorted(set(found)) == []


@pytest.mark.usefixtures("english")
def test_registration_labels_read_english(ctx: AppContext) -> None:
    from ui.pages.registration import RegistrationPage

    page = RegistrationPage(ctx)
    forms = [page.form.itemText(i) for i in range(page.form.count())]
    assert forms == ["Visit", "Letter", "Phone call", "Online", "Filed by liaison"]
    assert [page.gender.itemText(i) for i in range(page.gender.count())] == \
        ["", "Male", "Female"]
    page.form.setCurrentIndex(forms.index("Letter"))
    assert page.values()["form"] == "来信"  # stored in Chinese, shown in English
