"""文件 → 导入旧台账, driven as a clerk would: type the path, Enter; pick the field of the column
the desk did not recognise with the arrow keys, Enter; look at the problems, Alt+I to import;
Alt+S to save the rows not imported. The choice is remembered; nothing is imported twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from storage import ledger
from tests.helpers import ledger as lg
from tests.helpers.keyboard import focused, show_active, type_text
from ui import ledger_import
from ui.context import AppContext
from ui.ledger_import import DONE, MAPPING, PREVIEW, LedgerImportDialog
from ui.main_window import MainWindow

ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture(autouse=True)
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the dialog would show in a box (a modal box would stop the test)."""
    found: list[str] = []
    monkeypatch.setattr(ledger_import, "show_error",
                        lambda _parent, exc: found.append(exc.user_text()))
    monkeypatch.setattr("ui.context.show_error",
                        lambda _parent, exc: found.append(exc.user_text()))
    return found


def _ledger(tmp_path: Path) -> tuple[lg.Ledger, Path]:
    small = lg.make(30)
    small.headers = tuple({"姓名": "来访群众"}.get(h, h) for h in small.headers)
    return small, lg.write_xlsx(small, tmp_path / "2023年台账.xlsx")


def test_clerk_imports_a_ledger_from_the_file_menu(qtbot: QtBot, ctx: AppContext,
                                                   tmp_path: Path, shown: list[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    small, path = _ledger(tmp_path)
    window = MainWindow(ctx)
    show_active(qtbot, window, (1366, 768))
    file_menu = window.menuBar().actions()[0].menu()
    assert window.import_ledger_action in file_menu.actions()
    assert window.import_ledger_action.isEnabled()
    window.import_ledger_action.trigger()
    dialog = window.findChild(LedgerImportDialog)
    assert isinstance(dialog, LedgerImportDialog)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.width() <= 1366 and dialog.height() <= 768 - 40

    assert focused() is dialog.path
    type_text(qtbot, dialog.path, str(path))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    assert dialog.stack.currentIndex() == MAPPING
    combo = focused()
    assert isinstance(combo, QComboBox) and list(dialog.combos) == ["来访群众"]
    while combo.currentData() != "name":
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    assert dialog.stack.currentIndex() == PREVIEW
    assert dialog.rows.rowCount() == 30
    assert f"可导入{small.good}行" in dialog.counts.text() and "有问题3行" in dialog.counts.text()
    qtbot.keyClick(dialog, Qt.Key.Key_P, ALT)  # only the rows with problems
    qtbot.waitUntil(dialog.only_problems.isChecked)  # a mnemonic clicks after a moment
    visible = [r for r in range(30) if not dialog.rows.isRowHidden(r)]
    assert [int(dialog.rows.item(r, 0).text()) for r in visible] == sorted(small.errors)
    assert "校验不通过" in dialog.rows.item(visible[0], 4).text()

    qtbot.keyClick(dialog, Qt.Key.Key_I, ALT)
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == DONE)
    assert f"已导入{small.good}行" in dialog.summary.text()
    target = tmp_path / "改正.xlsx"
    monkeypatch.setattr(ledger_import, "ask_save_path", lambda _parent, _name: target)
    assert focused() is dialog.save_rejected_button
    qtbot.keyClick(dialog, Qt.Key.Key_S, ALT)
    qtbot.waitUntil(target.exists)
    ws = load_workbook(target).active
    assert ws.max_row == 4 and ws.cell(1, ws.max_column).value == "问题"
    assert ledger.remembered(ctx.reg, small.headers) == {
        "来访群众": "name"}
    assert ctx.reg.scalar("SELECT count(*) FROM matters WHERE source = 'ledger'") == small.good
    assert not shown


def test_second_time_remembers_the_column_and_imports_nothing_twice(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path, shown: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    small, path = _ledger(tmp_path)
    for attempt in range(2):
        dialog = LedgerImportDialog(ctx)
        show_active(qtbot, dialog)
        qtbot.keyClick(dialog.path, Qt.Key.Key_Return)  # nothing typed yet
        assert shown.pop() == "请先选择台账文件。"
        monkeypatch.setattr(ledger_import, "ask_open_path", lambda _parent: path)
        qtbot.keyClick(dialog, Qt.Key.Key_O, ALT)  # 浏览…: the chosen file is read at once
        qtbot.waitUntil(lambda d=dialog: d.stack.currentIndex() == MAPPING)
        if attempt == 0:
            dialog.combos["来访群众"].setCurrentIndex(dialog.combos["来访群众"].findData("name"))
        else:
            assert dialog.combos["来访群众"].currentData() == "name"
        qtbot.keyClick(dialog, Qt.Key.Key_N, ALT)
        qtbot.waitUntil(lambda d=dialog: d.stack.currentIndex() == PREVIEW)
        if attempt == 0:
            qtbot.keyClick(dialog, Qt.Key.Key_I, ALT)
            qtbot.waitUntil(lambda d=dialog: d.outcome is not None)
            assert dialog.outcome is not None and dialog.outcome.imported == small.good
        else:
            assert f"已导入过{small.good}行" in dialog.counts.text()
            assert not dialog.next.isEnabled()  # nothing left to import
        dialog.close()
    assert not shown
