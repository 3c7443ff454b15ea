"""Every page at 1366×768, the size of most office laptops (issue 15): a demo township (and,
with ``--county``, a county that imported it) under Xvfb; the window fills the screen as it
does when maximised. Look at each PNG: nothing below the bottom edge, nothing cut.

    xvfb-run -a -s '-screen 0 1366x768x24' .venv/bin/python scripts/screenshot_laptop.py \\
        [--out docs/screenshots] [--lang en] [--only cases,mediation]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--lang", default="zh_CN")
    parser.add_argument("--only", default="", help="page keys, comma-separated")
    args = parser.parse_args()
    suffix = "" if args.lang == "zh_CN" else f"-{args.lang}"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from scripts.desk_shots import demo_desk, settle
    from storage.i18n import set_language

    set_language(args.lang)
    app, window, reg = demo_desk(cases=args.cases)
    room = app.primaryScreen().availableGeometry()
    window.move(0, 0)
    window.resize(room.width(), room.height())  # as when maximised

    def shot(name: str) -> None:
        settle(app)
        path = out / f"laptop-{name}{suffix}.png"
        app.primaryScreen().grabWindow(0).save(str(path))
        print(path)

    wanted = [k for k in args.only.split(",") if k]
    for key in window.pages:
        if wanted and key not in wanted:
            continue
        window.show_page(key)
        shot(key)
    window.close()
    reg.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
