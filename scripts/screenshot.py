"""Screenshots of the real window for the README: starts Xvfb when there is no display, opens a
demo register, and grabs the screen (the window system's picture, not a widget render).

    .venv/bin/python scripts/screenshot.py [--out docs/screenshots] [--cases 400] [--lang en]

With ``--lang en`` the window is in English and every file name ends in ``-en``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def start_xvfb() -> subprocess.Popen[bytes] | None:
    if os.environ.get("DISPLAY"):
        return None
    if not shutil.which("Xvfb"):
        sys.exit("Xvfb is not installed: run `bash scripts/system-deps.sh test` first.")
    display = ":97"
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "1440x900x24", "-nolisten", "tcp"])
    time.sleep(1.0)
    os.environ["DISPLAY"] = display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return proc


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--cases", type=int, default=400)
    parser.add_argument("--lang", default="zh_CN")
    args = parser.parse_args()
    suffix = "" if args.lang == "zh_CN" else f"-{args.lang}"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    xvfb = start_xvfb()
    try:
        from PySide6.QtWidgets import QApplication

        from storage import accounts, demo
        from storage.db import open_register
        from storage.i18n import set_language
        from ui.context import AppContext
        from ui.fonts import apply_ui_font, load_fonts
        from ui.main_window import MainWindow

        set_language(args.lang)
        data = Path(tempfile.mkdtemp()) / "demo"
        demo.build(data, cases=args.cases, seed=3, months=24)
        app = QApplication(sys.argv)
        load_fonts()
        apply_ui_font(app)
        reg = open_register(data)
        accounts.authenticate(reg, "head", "demo1234")
        window = MainWindow(AppContext(reg, data))
        window.resize(1400, 860)
        window.move(10, 10)
        window.show()

        def settle() -> None:
            for _ in range(30):
                app.processEvents()
                time.sleep(0.02)

        def shot(name: str) -> None:
            settle()
            screen = app.primaryScreen()
            path = out / f"{name}{suffix}.png"
            screen.grabWindow(0).copy(window.frameGeometry()).save(str(path))
            print(path)

        for key in window.pages:
            window.show_page(key)
            if key == "registration":
                page = window.pages[key]
                page.name.setText("王堃")
                page.id_number.setText("320508198703154512")
                page.phone.setText("13962151234")
                page.summary.setText("反映承包地被邻村占用问题")
                page.lookup_history()
            shot(key)
        reg.close()
    finally:
        if xvfb is not None:
            xvfb.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
