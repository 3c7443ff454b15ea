"""One keyboard map without clashes (issue 15): on every page (each tab of it) and in every
dialog, in Chinese and English, at a township and at the county, no Alt key is claimed twice
(the menu bar's 文件(&F) took Alt+F from 选择文件夹(&F)) and no page binds a key of the menus.
The keys are written down in README.md (快捷键) and Help → 快捷键一览."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from tests.helpers.fit import views
from tests.helpers.fit_dialogs import DIALOGS, Records
from tests.helpers.keyboard import focused
from tests.helpers.keymap import clashes, shadowing
from ui.context import AppContext
from ui.main_window import MainWindow


def test_no_page_claims_a_key_twice(qtbot: QtBot, desk: AppContext, language: str) -> None:
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.resize(1366, 698)
    window.show()
    qtbot.waitExposed(window)
    found: list[str] = []
    for key in list(window.pages):
        page = window.show_page(key)
        assert page is not None
        for tab in views(window):
            found += [f"{language} {key}{' / ' + tab if tab else ''}: {c}"
                      for c in clashes(window)]
        found += [f"{language} {key}: {s}" for s in shadowing(window, page)]
    assert not found, "\n".join(found)


def test_no_dialog_claims_a_key_twice(qtbot: QtBot, desk: AppContext, language: str) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    records = Records(desk)
    found: list[str] = []
    for case in DIALOGS:
        if desk.reg.mode not in case.modes:
            continue
        dialog = case.make(desk, records, parent)
        assert dialog is not None, case.name
        dialog.show()
        qtbot.waitExposed(dialog)
        for tab in views(dialog):
            found += [f"{language} {case.name}{' / ' + tab if tab else ''}: {c}"
                      for c in clashes(dialog)]
        dialog.close()
        dialog.deleteLater()
    assert not found, "\n".join(found)


def _window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 698)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def test_alt_f_on_the_sync_page_chooses_the_folder(qtbot: QtBot, ctx: AppContext,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr("ui.sync.widgets.ask_folder",
                        lambda _parent, title: asked.append(title))
    window = _window(qtbot, ctx)
    window.show_page("sync")
    qtbot.keyClick(focused(), Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(asked) == 1)  # the folder dialog, not the 文件 menu
    assert window.menuBar().activeAction() is None


def test_f10_opens_the_menus(qtbot: QtBot, ctx: AppContext) -> None:
    window = _window(qtbot, ctx)
    qtbot.keyClick(focused(), Qt.Key.Key_F10)
    assert window.menuBar().activeAction() is window.menuBar().actions()[0]


def test_the_export_month_is_picked_not_typed(qtbot: QtBot, ctx: AppContext) -> None:
    window = _window(qtbot, ctx)
    page = window.show_page("sync")
    assert page is not None
    month = page.export_panel.period  # type: ignore[attr-defined]
    assert isinstance(month, QComboBox) and not month.isEditable()
    assert month.currentText() == "2026-02"  # the month just ended (the test clock: 2 March)
    month.setFocus()
    qtbot.keyClick(month, Qt.Key.Key_Up)
    assert month.currentText() == "2026-03"
    qtbot.keyClick(month, Qt.Key.Key_Up)  # no month still to come
    assert month.currentText() == "2026-03"
