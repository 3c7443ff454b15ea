"""The main window's sidebar: every page in its place under Ctrl+1…9, each built the first time
it is shown, and each speaking the Page protocol itself; the home page's alerts come from both
the screening and the mediation modules."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from storage.register import Register
from tests.helpers.keyboard import show_active
from tests.storage.mediation.test_mediation import open_case
from ui.context import AppContext
from ui.main_window import PAGES, MainWindow
from ui.pages.home import HomePage
from ui.pages.page import Page

CTRL = Qt.KeyboardModifier.ControlModifier
DIGITS = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5, Qt.Key.Key_6,
          Qt.Key.Key_7, Qt.Key.Key_8, Qt.Key.Key_9]


def test_every_page_implements_the_page_protocol() -> None:
    for spec in PAGES:
        key, page_class = spec.key, spec.load()
        assert issubclass(page_class, Page), key
        assert page_class.TITLE == spec.title_id, key  # the sidebar's title is the page's
        assert page_class.refresh is not Page.refresh, key
        assert page_class.focus_first is not Page.focus_first, key


def test_pages_are_built_when_first_shown_and_keep_their_keys(qtbot: QtBot,
                                                              ctx: AppContext) -> None:
    window = MainWindow(ctx)
    show_active(qtbot, window, (1300, 800))
    assert list(window.pages) == [spec.key for spec in PAGES]  # the clerk sees all nine
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == [spec.load().title() for spec in PAGES]
    assert window.pages.built() == ["home"]
    for index, key in enumerate(window.pages):
        qtbot.keyClick(window, DIGITS[index], CTRL)
        assert window.current is window.pages[key]
        assert window.nav.currentRow() == index
    assert window.pages.built() == list(window.pages)
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)  # back home: the same page, not a second one
    assert window.current is window.pages["home"]
    assert window.stack.count() == len(PAGES)


def test_the_window_imports_a_page_module_when_the_page_is_first_shown() -> None:
    """Issue 15: building the window imports only the home page's module; the others (and the
    printing code, reportlab) come when their page is first shown."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from storage.db import open_register\n"
        "from tests.helpers.registers import CHEAP_HASHER, set_up\n"
        "from ui.context import AppContext\n"
        "from ui.main_window import MainWindow\n"
        "reg = set_up(open_register(None, password_hasher=CHEAP_HASHER))\n"
        "w = MainWindow(AppContext(reg, None))\n"
        "from ui.pages.registry import PAGES\n"
        "pages = [spec.module for spec in PAGES if spec.module in sys.modules]\n"
        "print(pages, 'reportlab' in sys.modules)\n"
        "w.show_page('reports')\n"
        "print('ui.pages.reports' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert out.stdout.split("\n")[:2] == ["['ui.pages.home'] False", "True"], out.stdout


def test_page_availability_follows_the_register(ctx: AppContext) -> None:
    """The registry's rule is the page's own (no registration at the county)."""
    for spec in PAGES:
        assert spec.available(ctx) == spec.load().available(ctx), spec.key


def test_home_lists_mediation_deadlines_beside_the_disputes(qtbot: QtBot, ctx: AppContext,
                                                           reg: Register) -> None:
    """The mediation module's alerts vanished when it became a package (the page looked the
    function up by name and skipped it silently)."""
    open_case(reg, accepted_on=date(2026, 2, 5))  # the 30-day period ends 5 March: 3 days left
    page = HomePage(ctx)
    show_active(qtbot, page)
    lines = [page.alert_list.item(i).text() for i in range(page.alert_list.count())]
    assert any("还有3天" in line for line in lines), lines


def test_the_empty_due_list_says_why_while_a_matter_waits(qtbot: QtBot, ctx: AppContext,
                                                          reg: Register) -> None:
    """Issue 15: the list was empty with no word while the 待受理 card counted a matter."""
    from tests.helpers import register_data as rd

    rd.register(reg, date(2026, 3, 2))  # its 15 days run to mid-March: not due this week
    page = HomePage(ctx)
    show_active(qtbot, page)
    assert page.card_values["pending"].text() == "1"
    assert page.due_list.count() == 1
    note = page.due_list.item(0)
    assert "待受理的1件" in note.text()
    assert not note.flags() & Qt.ItemFlag.ItemIsEnabled  # a note, not a matter to open


def test_the_due_list_says_how_many_more_are_due_than_it_shows(
        qtbot: QtBot, ctx: AppContext, reg: Register, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17: at a million matters 3,440 were due and the list stopped at 200 without a
    word; now a last line says how many there are and where to see them all."""
    from tests.helpers import register_data as rd
    from ui.pages import home

    monkeypatch.setattr(home, "DUE_LIST_LIMIT", 2)
    for name in ("赵一", "钱二", "孙三"):  # 15 days to accept: overdue by 2 March
        rd.register(reg, date(2026, 2, 2), people=[rd.petitioner(name, id_number="", phone="")],
                    summary=f"反映{name}家门前道路破损")
    page = HomePage(ctx)
    show_active(qtbot, page)
    assert page.card_values["overdue"].text() == "3"
    assert page.due_list.count() == 3  # two matters and the note
    note = page.due_list.item(2)
    assert note.text() == "以上是最早到期的2件，共3件；全部在“信访件”页按期限筛选查看（Ctrl+F）。"
    assert not note.flags() & Qt.ItemFlag.ItemIsEnabled
    monkeypatch.setattr(home, "DUE_LIST_LIMIT", 200)
    page.refresh()
    assert page.due_list.count() == 3  # all three, no note
    assert all(page.due_list.item(i).flags() & Qt.ItemFlag.ItemIsEnabled for i in range(3))
