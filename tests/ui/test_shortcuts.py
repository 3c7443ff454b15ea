"""Shortcuts meant for part of a window stay there. PySide6 ignores a ``context`` passed to the
QShortcut constructor (the shortcut then fires window-wide: Enter in the case search opened the
first case), and two window-wide shortcuts on one key cancel each other out (Ctrl+F did nothing
on the mediation page)."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction, QKeySequence, QScreen, QShortcut
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.helpers import register_data as rd
from tests.helpers.keyboard import show_active
from ui import print_preview
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.screen import fit_on_screen


def _window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    show_active(qtbot, window, (1300, 800))
    for key in window.pages:  # every page built and shown once
        window.show_page(key)
    return window


def test_no_page_shortcut_is_window_wide(qtbot: QtBot, ctx: AppContext) -> None:
    window = _window(qtbot, ctx)
    wide = [(key, s.key().toString()) for key, page in window.pages.items()
            for s in page.findChildren(QShortcut)
            if s.context() == Qt.ShortcutContext.WindowShortcut
            and s.key().matches(QKeySequence("Return")) == QKeySequence.SequenceMatch.ExactMatch]
    assert wide == []  # Enter on a list must not fire from the search box above it
    table = window.pages["cases"].table  # type: ignore[attr-defined]
    assert {s.context() for s in table.findChildren(QShortcut)} == {
        Qt.ShortcutContext.WidgetShortcut}


def test_no_key_is_bound_twice_window_wide(qtbot: QtBot, ctx: AppContext) -> None:
    window = _window(qtbot, ctx)
    keys: Counter[str] = Counter()
    for s in window.findChildren(QShortcut):
        if s.context() in (Qt.ShortcutContext.WindowShortcut,
                           Qt.ShortcutContext.ApplicationShortcut):
            keys[s.key().toString()] += 1
    for a in window.findChildren(QAction):
        for seq in a.shortcuts():
            keys[seq.toString()] += 1
    assert [k for k, n in keys.items() if k and n > 1] == []


def test_ctrl_f_on_the_mediation_page_searches_mediation_cases(qtbot: QtBot,
                                                               ctx: AppContext) -> None:
    window = _window(qtbot, ctx)
    page = window.show_page("mediation")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.search.hasFocus())  # type: ignore[union-attr]
    window.show_page("home")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    cases = window.pages["cases"]
    qtbot.waitUntil(lambda: window.current is cases)


def test_windows_fit_a_small_screen(qtbot: QtBot, ctx: AppContext,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A 1366×768 laptop: the main window and the print preview keep their buttons on screen
    (the preview asked for 1000 pixels of height)."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 1366, 728))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.height() <= 728 - 80 and window.width() <= 1366
    matter = rd.register(ctx.reg, rd.TODAY)
    dialog = print_preview.show_document(ctx, "receipt", matter["id"])
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.height() <= 728 - 80
    big = QWidget()
    qtbot.addWidget(big)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 1920, 1200))
    fit_on_screen(big, 900, 1000)
    assert (big.width(), big.height()) == (900, 1000)  # a big screen gets the size asked for
