"""Issue 15: long work shows a progress window that keeps painting; Cancel is there where
stopping changes nothing (reading bundles, a dry run, a print being sent) and absent where the
work commits (an import)."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from storage.sync import importer
from tests.helpers.registers import FakeClock
from tests.helpers.sync import (
    COUNTY_PASS,
    add_petition,
    export_to,
    link,
    make_county,
    make_township,
    snapshot,
)
from ui.context import AppContext
from ui.sync.import_tab import ImportPanel


def progress_window() -> QProgressDialog | None:
    shown = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QProgressDialog) and w.isVisible()]
    return shown[0] if shown else None


class Watch:
    """Wraps a storage function: at its first progress report, looks at the window on screen
    and (if asked) presses its Cancel button as a clerk would."""

    def __init__(self, qtbot: QtBot, *, press_cancel: bool) -> None:
        self.qtbot, self.press_cancel = qtbot, press_cancel
        self.seen: list[tuple[str, bool]] = []  # (label, has a Cancel button)

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if "progress" in kwargs:  # by name, or else the last positional argument
                progress = kwargs.pop("progress")
            else:
                *args, progress = args  # type: ignore[assignment]

            def watched(done: int, total: int) -> bool:
                if not self.seen:
                    window = progress_window()
                    assert window is not None
                    buttons = [b for b in window.findChildren(QPushButton) if b.isVisible()]
                    self.seen.append((window.labelText(), bool(buttons)))
                    if self.press_cancel and buttons:
                        self.qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
                return bool(progress(done, total))
            return fn(*args, progress=watched, **kwargs)
        return wrapped


@pytest.fixture
def county_with_stick(clock: FakeClock, tmp_path: Path):  # type: ignore[no-untyped-def]
    c = make_county(clock)
    t = make_township(clock)
    link(t, c)
    rng = random.Random(7)
    for i in range(3):
        add_petition(t, rng, i + 1)
    stick = export_to(t, "2026-02", tmp_path, tmp_path / "outbox")
    yield c, stick
    t.close()
    c.close()


def panel_for(qtbot: QtBot, reg: Any, tmp_path: Path) -> ImportPanel:
    panel = ImportPanel(AppContext(reg, tmp_path / "data"))
    qtbot.addWidget(panel)
    panel.resize(1000, 600)
    panel.show()
    return panel


def test_dry_run_shows_progress_and_cancel_stops_it_changing_nothing(
        qtbot: QtBot, county_with_stick: Any, tmp_path: Path, errors: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    c, stick = county_with_stick
    panel = panel_for(qtbot, c, tmp_path)
    panel.set_paths([stick])
    assert panel.dry_button.isEnabled()
    before = snapshot(c, with_ledger=True)
    watch = Watch(qtbot, press_cancel=True)
    monkeypatch.setattr(importer, "import_bundles", watch.wrap(importer.import_bundles))
    panel.passphrase.setText(COUNTY_PASS)

    qtbot.mouseClick(panel.dry_button, Qt.MouseButton.LeftButton)

    assert watch.seen and "试导入" in watch.seen[0][0] and watch.seen[0][1]  # with Cancel
    assert "已取消试导入" in panel.result.text()
    assert progress_window() is None
    assert snapshot(c, with_ledger=True) == before
    assert errors == []  # a cancel is not an error message


def test_import_shows_progress_without_cancel_and_finishes(
        qtbot: QtBot, county_with_stick: Any, tmp_path: Path, errors: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    c, stick = county_with_stick
    panel = panel_for(qtbot, c, tmp_path)
    panel.set_paths([stick])
    watch = Watch(qtbot, press_cancel=True)  # would press Cancel if there were one
    monkeypatch.setattr(importer, "import_bundles", watch.wrap(importer.import_bundles))
    panel.passphrase.setText(COUNTY_PASS)

    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)

    assert watch.seen and "正在导入" in watch.seen[0][0] and not watch.seen[0][1]
    assert "导入完成" in panel.result.text()
    assert c.scalar("SELECT count(*) FROM matters") == 3
    assert progress_window() is None
    assert errors == []


def test_reading_bundles_can_be_cancelled(qtbot: QtBot, county_with_stick: Any,
                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    c, stick = county_with_stick
    panel = panel_for(qtbot, c, tmp_path)
    watch = Watch(qtbot, press_cancel=True)
    real = importer.verify_files
    monkeypatch.setattr(importer, "verify_files",
                        lambda reg, paths, progress: watch.wrap(real)(reg, paths,
                                                                      progress=progress))
    panel.set_paths([stick])
    assert watch.seen and watch.seen[0][1]
    assert "已取消读取" in panel.result.text()
    assert panel.reports == [] and not panel.import_button.isEnabled()


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr("ui.context.QMessageBox.warning",
                        lambda _parent, _title, text: shown.append(text))
    monkeypatch.setattr("ui.print_preview.QMessageBox.warning",
                        lambda _parent, _title, text: shown.append(text))
    return shown


# ----- a big print: building the PDF and sending the pages -------------------------------------

def test_building_a_print_shows_progress_and_cancel_gives_no_document(
        qtbot: QtBot, ctx: AppContext, reg: Any, clock: FakeClock,
        monkeypatch: pytest.MonkeyPatch, messages: list[str]) -> None:
    from tests.helpers import register_data as rd
    from ui import print_preview

    rd.screening_month(reg, clock)
    monkeypatch.setattr(print_preview, "SHOW_PROGRESS_AFTER", 0)
    watch = Watch(qtbot, press_cancel=True)
    monkeypatch.setattr(print_preview, "build_document",
                        watch.wrap(print_preview.build_document))
    changes = reg.conn.total_changes

    assert print_preview.show_document(ctx, "screening-sheet", "2026-02") is None

    assert watch.seen and "正在生成文书" in watch.seen[0][0] and watch.seen[0][1]
    assert messages == []  # cancelled: no error message
    assert progress_window() is None
    assert reg.conn.total_changes == changes


def test_sending_a_print_can_be_cancelled(qtbot: QtBot, ctx: AppContext, reg: Any,
                                          clock: FakeClock, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from tests.helpers import register_data as rd
    from ui import print_preview

    rd.screening_month(reg, clock)
    dialog = print_preview.show_document(ctx, "screening-sheet", "2026-02")
    assert dialog is not None
    qtbot.addWidget(dialog)
    monkeypatch.setattr(print_preview, "SHOW_PROGRESS_AFTER", 0)
    printer = dialog.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(72)
    seen: list[str] = []

    def press_cancel() -> None:
        window = progress_window()
        if window is not None and not seen:
            seen.append(window.labelText())
            button = window.findChildren(QPushButton)[0]
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, press_cancel)  # runs while the window lets Qt paint
    assert dialog.print_to(printer) == 0  # cancelled before the first page went
    assert seen and "正在打印" in seen[0]
    assert progress_window() is None


# ----- the old ledger: checking may be cancelled, importing may not ------------------------------

def test_ledger_check_shows_progress_and_cancel_stays_on_the_columns(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storage import ledger
    from tests.helpers import ledger as lg
    from ui import ledger_import
    from ui.ledger_import import MAPPING, PREVIEW, LedgerImportDialog

    path = lg.write_xlsx(lg.make(30), tmp_path / "台账.xlsx")
    monkeypatch.setattr(ledger_import, "SHOW_PROGRESS_AFTER", 0)
    dialog = LedgerImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(path))
    dialog.go_next()
    assert dialog.stack.currentIndex() == MAPPING
    watch = Watch(qtbot, press_cancel=True)
    real = ledger.preview
    monkeypatch.setattr(ledger, "preview", lambda reg, table, mapping, progress: watch.wrap(
        real)(reg, table, mapping, progress=progress))

    dialog.go_next()

    assert watch.seen and "检查台账" in watch.seen[0][0] and watch.seen[0][1]
    assert dialog.stack.currentIndex() == MAPPING and dialog.preview is None
    monkeypatch.setattr(ledger, "preview", real)
    dialog.go_next()
    assert dialog.stack.currentIndex() == PREVIEW
    watch = Watch(qtbot, press_cancel=True)
    monkeypatch.setattr(ledger, "import_rows", watch.wrap(ledger.import_rows))
    dialog._import()
    assert watch.seen and "导入台账" in watch.seen[0][0] and not watch.seen[0][1]  # no Cancel
    assert ctx.reg.scalar("SELECT count(*) FROM matters WHERE source = 'ledger'") > 0
