"""Screenshots of the home page at 1366×768 under Xvfb: a demo township's home with this
year's monthly 信访总量 beside last year's line (scrolled so the charts are in view), and the
county's home with the townships compared.

    xvfb-run -a -s '-screen 0 1366x768x24' .venv/bin/python scripts/screenshot_home.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from scripts.desk_shots import demo_desk, grab, settle

    app, window, reg = demo_desk()

    def shot(name: str, win: Any) -> None:
        settle(app)
        page = win.pages["home"]
        win.page_areas[page].ensureWidgetVisible(page.charts)  # the charts sit below the lists
        grab(app, win, name)

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
