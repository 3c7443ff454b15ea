"""Screenshots of the desk on a big register at 1366×768 under Xvfb (issue 17): the home page and
the case list, first page and scrolled a few pages, each timed. Signing in writes (sessions,
audit), so give it a copy of a bulk register (``bench/bulkcache.py``), never the cached one.

    cp -r bench/.cache/bulk-1000000-s1-… /tmp/copy
    xvfb-run -a -s '-screen 0 1366x768x24' .venv/bin/python scripts/screenshot_scale.py /tmp/copy
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    from PySide6.QtWidgets import QApplication

    from scripts.desk_shots import grab, settle
    from storage import accounts
    from storage.db import open_register
    from ui.context import AppContext
    from ui.fonts import apply_ui_font, load_fonts
    from ui.main_window import MainWindow

    data = Path(sys.argv[1])
    suffix = sys.argv[2] if len(sys.argv) > 2 else "1m"
    app = QApplication(sys.argv)
    load_fonts()
    apply_ui_font(app)
    from storage import db

    conn = db.connect(data / db.DB_NAME)  # an older copy brought up to date without a backup
    db.migrate(conn, None)
    conn.close()
    reg = open_register(data, check_after_crash=False)
    accounts.authenticate(reg, "head", "demo1234")
    t0 = time.perf_counter()
    window = MainWindow(AppContext(reg, data))
    window.setGeometry(0, 0, 1366, 768)
    window.show()
    app.processEvents()
    print(f"main window built and shown: {time.perf_counter() - t0:.2f} s")
    charts = window.pages["home"].charts  # type: ignore[attr-defined]
    while charts.trend is None or charts.reading is not None:  # read on a thread
        app.processEvents()
        time.sleep(0.01)
    print(f"home charts drawn: {time.perf_counter() - t0:.2f} s")
    grab(app, window, f"scale-home-{suffix}")
    t0 = time.perf_counter()
    page = window.show_page("cases")
    app.processEvents()
    print(f"case list shown: {time.perf_counter() - t0:.2f} s")
    grab(app, window, f"scale-cases-{suffix}")
    assert page is not None
    bar = page.table.verticalScrollBar()  # type: ignore[attr-defined]
    for _page in range(5):
        t0 = time.perf_counter()
        bar.setValue(bar.maximum())
        app.processEvents()
        print(f"scrolled: {page.model.rowCount()} rows, {time.perf_counter() - t0:.3f} s")  # type: ignore[attr-defined]
        settle(app)
    grab(app, window, f"scale-cases-scrolled-{suffix}")
    window.close()
    reg.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
