"""What the screenshot scripts share: a demo township's desk signed in at 1366×768 under Xvfb,
letting Qt settle, and saving a window's frame as docs/screenshots/<name>.png."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def demo_desk(cases: int = 900, seed: int = 3, months: int = 24) -> tuple[Any, Any, Any]:
    """(app, window, register): a demo township (``$CASES`` overrides ``cases``) with the head
    signed in, its main window shown at 1366×768."""
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    from PySide6.QtWidgets import QApplication

    from storage import accounts, demo
    from storage.db import open_register
    from ui.context import AppContext
    from ui.fonts import apply_ui_font, load_fonts
    from ui.main_window import MainWindow

    data = Path(tempfile.mkdtemp()) / "demo"
    demo.build(data, cases=int(os.environ.get("CASES", str(cases))), seed=seed, months=months)
    app = QApplication(sys.argv)
    load_fonts()
    apply_ui_font(app)
    reg = open_register(data)
    accounts.authenticate(reg, "head", "demo1234")
    window = MainWindow(AppContext(reg, data))
    window.setGeometry(0, 0, 1366, 768)
    window.show()
    return app, window, reg


def settle(app: Any) -> None:
    """Let layouts, charts and deferred paints finish (0.8 s of event processing)."""
    for _ in range(40):
        app.processEvents()
        time.sleep(0.02)


def grab(app: Any, widget: Any, name: str) -> Path:
    """Settle, then save the screen's copy of ``widget``'s frame; prints the path and size."""
    settle(app)
    path = OUT / f"{name}.png"
    frame = widget.frameGeometry()
    app.primaryScreen().grabWindow(0).copy(frame).save(str(path))
    print(path, frame.width(), frame.height())
    return path
