"""Screenshots of the 统计报表 page at 1366×768 under Xvfb: a demo township's month (figures
with 同比/环比), its charts, a quarter, the month's report tab, and the county's assessment of
two townships (built from real bundles, as scripts/screenshot.py does for 交办督办); and the
monthly report PDF with its charts.

    xvfb-run -a -s '-screen 0 1366x768x24' .venv/bin/python scripts/screenshot_reports.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from printing.documents import build_document
    from scripts.desk_shots import OUT, demo_desk, grab

    app, window, reg = demo_desk()

    def shot(name: str, win: Any = window) -> None:
        grab(app, win, name)

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
        grab(app, dialog, "reports-drill")
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
