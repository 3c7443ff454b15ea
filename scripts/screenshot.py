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
from typing import Any

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


COUNTY_PASS = "county-pass-1"


def county_import_window(town: Any, root: Path) -> Any:
    """The county office with the demo township's bundles on a "stick": keys exchanged, bundles
    1 and 3 exported (2 is missing, so the dry run shows the gap), the dry run done."""
    from storage import accounts, station
    from storage.db import open_register
    from storage.sync import export, keys
    from ui.context import AppContext
    from ui.main_window import MainWindow

    county = open_register(root / "county")
    station.set_up_station(county, name="姑苏区信访局", short_name="姑苏", code="320508000000",
                           kind="county", office_name="", phone="", address="", villages=[],
                           head_username="county", head_display_name="审核员",
                           head_password="county-pass-2")
    county.actor = accounts.find_user(county, "county").actor()
    keys.create_receiving_key(county, COUNTY_PASS)
    keys.create_signing_key(town)
    keys.load_upstream(town, keys.own_key_file(county))
    keys.register_station(county, keys.own_key_file(town))
    outbox, stick = root / "outbox", root / "stick"
    stick.mkdir()
    for seq, month in ((1, "2026-09"), (2, "2026-10"), (3, "2026-11")):
        export.make_bundle(town, month, outbox)
        if seq != 2:
            export.copy_to(town, seq, outbox, stick)
        with town.transaction():
            town.insert("petitioners", {"name": f"补录{seq}", "phone": "13900000000"})
    window = MainWindow(AppContext(county, root / "county"))
    window.resize(1400, 860)
    window.move(10, 10)
    window.show()
    window.show_page("sync")
    page = window.pages["sync"]
    page.show_tab(page.import_panel)
    page.import_panel.set_paths([stick])
    page.import_panel.passphrase.setText(COUNTY_PASS)
    page.import_panel.dry_run()
    return window


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

        def shot(name: str, win: MainWindow = window) -> None:
            settle()
            screen = app.primaryScreen()
            path = out / f"{name}{suffix}.png"
            screen.grabWindow(0).copy(win.frameGeometry()).save(str(path))
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
        window.close()
        county = county_import_window(reg, data.parent)
        shot("county-import", county)
        county.close()
        reg.close()
    finally:
        if xvfb is not None:
            xvfb.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
