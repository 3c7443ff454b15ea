"""Screenshots of 文件 → 导入旧台账 at 1366×768, on a small register made on the spot and a
60-row ledger with deliberate errors (README, "The old ledger in"):

    xvfb-run -a -s '-screen 0 1366x768x24' .venv/bin/python scripts/screenshot_ledger.py DIR

Writes ledger-mapping.png, ledger-preview.png and ledger-done.png (the whole screen) into DIR."""
from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from storage.db import open_register
from tests.helpers import ledger as lg
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up
from ui.context import AppContext
from ui.fonts import apply_ui_font, load_fonts
from ui.main_window import MainWindow

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/ledger-shots")
OUT.mkdir(parents=True, exist_ok=True)
app = QApplication(sys.argv)
load_fonts()
apply_ui_font(app)
reg = set_up(open_register(None, clock=FakeClock(datetime(2026, 3, 2, 9, 30)),
                           password_hasher=CHEAP_HASHER))
book = lg.make(60)
book.headers = tuple({"姓名": "来访群众", "问题属地": "涉及村居"}.get(h, h) for h in book.headers)
path = lg.write_xlsx(book, Path(tempfile.mkdtemp()) / "花园镇2023-2025年信访台账.xlsx",
                     title="花园镇信访台账")

ctx = AppContext(reg, None)
window = MainWindow(ctx)
window.resize(1366, 740)
window.move(0, 0)
window.show()
dialog = window.import_ledger()


def shot(name: str) -> None:
    QTest.qWait(400)
    screen = QGuiApplication.primaryScreen()
    screen.grabWindow(0).save(str(OUT / f"{name}.png"))
    print("saved", name)


dialog.path.setText(str(path))
dialog.go_next()
dialog.combos["来访群众"].setCurrentIndex(dialog.combos["来访群众"].findData("name"))
dialog.combos["涉及村居"].setCurrentIndex(dialog.combos["涉及村居"].findData("village"))
shot("ledger-mapping")
dialog.go_next()
dialog.rows.setCurrentCell(6, 0)
dialog.rows.clearSelection()
shot("ledger-preview")
dialog.go_next()
dialog.save_rejected(Path(tempfile.mkdtemp()) / "未导入.xlsx")
shot("ledger-done")
dialog.close()
window.close()
reg.close()
