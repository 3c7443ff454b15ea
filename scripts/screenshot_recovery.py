"""Screenshots of the restore offer on a truncated register and of what the desk says after
restoring, as the clerk sees them at start-up (issue 14): run at 1366×768 under Xvfb,

    xvfb-run -a -s '-screen 0 1366x768x24' .venv/bin/python scripts/screenshot_recovery.py

writes docs/screenshots/restore-offer.png and restore-done.png."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")


def main() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from storage import backup, demo
    from storage.db import DB_NAME
    from tests.helpers.registers import CHEAP_HASHER
    from ui import app as ui_app
    from ui.fonts import apply_ui_font, load_fonts

    out = ROOT / "docs" / "screenshots"
    qapp = QApplication(sys.argv)
    load_fonts()
    apply_ui_font(qapp)
    data = Path(tempfile.mkdtemp()) / "data"
    demo.build(data, cases=200, seed=1, months=6, password_hasher=CHEAP_HASHER)
    backup.make_backup(data / DB_NAME, data, reason="daily")
    with open(data / DB_NAME, "r+b") as f:
        f.truncate(2_000_000)
    names = iter(["restore-offer.png", "restore-done.png"])

    def shoot() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(100, shoot)
            return
        QApplication.processEvents()
        name = next(names)
        screen = QApplication.primaryScreen()
        screen.grabWindow(0).save(str(out / name))
        print("wrote", out / name, screen.size().toTuple())
        box.defaultButton().click() if box.defaultButton() else box.buttons()[0].click()
        if name == "restore-offer.png":
            QTimer.singleShot(300, shoot)

    QTimer.singleShot(600, shoot)
    reg = ui_app.open_or_explain(data)
    assert reg is not None
    reg.close()


if __name__ == "__main__":
    main()
