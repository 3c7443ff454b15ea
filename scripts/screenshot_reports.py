"""Screenshots of the 统计报表 page at 1366×768 under Xvfb: a demo township's month (figures
with 同比/环比), its charts, a quarter, the month's report tab, and the county's assessment of
two townships (built from real bundles, as scripts/screenshot.py does for 交办督办); and the
monthly report PDF with its charts.

    xvfb-run -a -s '-screen 0 1366x768x24' .venv/bin/python scripts/screenshot_reports.py
"""

from __future__ import annotations

import os
import subprocess
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

    from printing.documents import build_document
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

    def shot(name: str, win: MainWindow = window) -> None:
        settle()
        path = OUT / f"{name}.png"
        app.primaryScreen().grabWindow(0).copy(win.frameGeometry()).save(str(path))
        print(path, win.frameGeometry().width(), win.frameGeometry().height())

    window.show_page("reports")
    page = window.pages["reports"]
    shot("reports-figures")
    page.tabs.setCurrentIndex(1)
    shot("reports-charts")
    page.tabs.setCurrentIndex(3)
    shot("reports-month")
    page.tabs.setCurrentIndex(0)
    page.kind.setCurrentIndex(page.kind.findData("quarter"))
    shot("reports-quarter")
    page.figures.setCurrentCell(0, 0)
    dialog = page.drill(0)
    if dialog is not None:
        dialog.resize(1200, 600)
        dialog.move(40, 60)
        settle()
        path = OUT / "reports-drill.png"
        app.primaryScreen().grabWindow(0).copy(dialog.frameGeometry()).save(str(path))
        print(path)
        dialog.close()
    month = page.month_key()
    pdf = build_document(reg, "monthly-report", month)
    target = Path(tempfile.mkdtemp()) / "report.pdf"
    target.write_bytes(pdf.data)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", "1", "-l", "1",
                    str(target), str(OUT / "monthly-report-charts")], check=True)
    window.close()

    from scripts.screenshot import county_supervision_window

    county = county_supervision_window(Path(tempfile.mkdtemp()))
    county.setGeometry(0, 0, 1366, 768)
    county.show_page("reports")
    cpage = county.pages["reports"]
    cpage.kind.setCurrentIndex(cpage.kind.findData("quarter"))
    cpage.tabs.setCurrentIndex(2)
    shot("reports-county-ranking", county)
    cpage.tabs.setCurrentIndex(1)
    shot("reports-county-charts", county)
    county.close()
    reg.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
