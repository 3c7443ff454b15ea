"""Screenshots of the home page at 1366×768 under Xvfb: a demo township's home with this
year's monthly 信访总量 beside last year's line (scrolled so the charts are in view), and the
county's home with the townships compared.

    xvfb-run -a -s '-screen 0 1366x768x24' .venv/bin/python scripts/screenshot_home.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    from PySide6.QtWidgets import QApplication

    from storage import accounts, demo
    from storage.db import open_register
    from ui.context import AppContext
    from ui.fonts import apply_ui_font, load_fonts
    from ui.main_window import MainWindow

    data = Path(tempfile.mkdtemp()) / "demo"
    demo.build(data, cases=int(os.environ.get("CASES", "900")), seed=3, months=24)
    app = QApplication(sys.argv)
    load_fonts()
    apply_ui_font(app)
    reg = open_register(data)
    accounts.authenticate(reg, "head", "demo1234")
    window = MainWindow(AppContext(reg, data))
    window.setGeometry(0, 0, 1366, 768)
    window.show()

    def settle() -> None:
        for _ in range(40):
            app.processEvents()
            time.sleep(0.02)

    def shot(name: str, win: MainWindow) -> None:
        settle()
        page = win.pages["home"]
        area = win.page_areas[page]
        area.ensureWidgetVisible(page.charts)  # the charts sit below the lists
        settle()
        path = OUT / f"{name}.png"
        app.primaryScreen().grabWindow(0).copy(win.frameGeometry()).save(str(path))
        print(path, win.frameGeometry().width(), win.frameGeometry().height())

    window.show_page("home")
    shot("home-charts", window)
    window.close()

    from scripts.screenshot import county_supervision_window

    county = county_supervision_window(Path(tempfile.mkdtemp()))
    county.setGeometry(0, 0, 1366, 768)
    county.show()
    county.show_page("home")
    shot("home-charts-county", county)
    county.close()
    reg.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
