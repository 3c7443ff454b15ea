"""Screenshots of the real window for the README: starts Xvfb when there is no display, opens a
demo register, and grabs the screen (the window system's picture, not a widget render).

    .venv/bin/python scripts/screenshot.py [--out docs/screenshots] [--cases 400] [--lang en]
        [--only county-supervision]

With ``--lang en`` the window is in English and every file name ends in ``-en``. The county's
交办督办 screen (``county-supervision.png``) is taken at 1366×768:
``xvfb-run -a -s '-screen 0 1366x768x24' .venv/bin/python scripts/screenshot.py --only
county-supervision``.
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
    from storage.sync import export, keys, signkey
    from ui.context import AppContext
    from ui.main_window import MainWindow

    county = open_register(root / "county")
    station.set_up_station(county, name="姑苏区信访局", short_name="姑苏", code="320508000000",
                           kind="county", office_name="", phone="", address="", villages=[],
                           head_username="county", head_display_name="审核员",
                           head_password="county-pass-2")
    county.actor = accounts.find_user(county, "county").actor()
    keys.create_receiving_key(county, COUNTY_PASS)
    signkey.sign_in(town, "head", "head", "demo1234")  # the demo's head, as at sign-in
    if not keys.has_signing_key(town):
        keys.create_signing_key(town)
    # the demo township already sent its first bundle to the demo's own county
    keys.load_upstream(town, keys.own_key_file(county), replace=True)
    keys.register_station(county, keys.own_key_file(town))
    outbox, stick = root / "outbox", root / "stick"
    stick.mkdir()
    for n, month in enumerate(("2026-09", "2026-10", "2026-11")):
        made = export.make_bundle(town, month, outbox)
        if n != 1:
            export.copy_to(town, made.seq, outbox, stick)
        with town.transaction():
            town.insert("petitioners", {"name": f"补录{made.seq}", "phone": "13900000000"})
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


class Clock:
    """A settable clock: the scene is set in early March and looked at on 25 March."""

    def __init__(self) -> None:
        from datetime import datetime

        self.now = datetime(2026, 3, 2, 9, 0)

    def __call__(self) -> Any:
        return self.now


def county_supervision_window(root: Path) -> Any:
    """The county's 交办督办 screen: two townships with their orders answered on time, late,
    in progress and overdue, after real bundles went down and came back."""
    import random
    from datetime import date, timedelta

    from storage import leadership, petitions, station
    from storage.db import open_register
    from storage.sync import downward, export, importer, keys, signkey
    from ui.context import AppContext
    from ui.main_window import MainWindow

    clock = Clock()
    county = open_register(root / "county-s", clock=clock)
    station.set_up_station(county, name="姑苏区信访局", short_name="姑苏", code="320508000000",
                           kind="county", office_name="姑苏区信访局", phone="0512-65000000",
                           address="", villages=[], head_username="county",
                           head_display_name="督查科 王科", head_password="county-pass-2")
    signkey.sign_in(county, "county", "head", "county-pass-2")  # as at sign-in
    keys.create_receiving_key(county, COUNTY_PASS)
    keys.create_signing_key(county)
    towns = {}
    for code, name, village in (("320508102000", "花园镇", "春明村"),
                                ("320508103000", "石桥镇", "石桥村")):
        town = open_register(root / code, clock=clock)
        station.set_up_station(town, name=f"{name}信访工作站", short_name=name[:2], code=code,
                               kind="township", office_name=f"{name}人民政府", phone="",
                               address="", villages=[station.VillageSpec(village,
                                                                         code[:9] + "200")],
                               head_username="head", head_display_name="站长",
                               head_password="head-pass-1")
        signkey.sign_in(town, "head", "head", "head-pass-1")  # as at sign-in
        keys.create_signing_key(town)
        keys.create_receiving_key(town, COUNTY_PASS)
        keys.load_upstream(town, keys.own_key_file(county))
        keys.register_station(county, keys.own_key_file(town))
        for i, (who, what) in enumerate((("周建国", "反映宅基地边界被邻居占用"),
                                         ("陈秀英", "反映低保待遇被取消"),
                                         ("刘明", "反映企业拖欠工资"))):
            petitions.register(town, petitions.RegistrationInput(
                form="来访", received_on=date(2026, 2, 10 + i), summary=f"{what}（{name}）",
                petitioners=[petitions.PetitionerInput(name=who, phone=f"1391234000{i}")]))
        towns[code] = town
    stick = root / "stick-s"
    stick.mkdir()
    for code, town in towns.items():
        export.export(town, "2026-02", stick, root / code / "outbox")
    importer.import_bundles(county, [stick], keys.unlock_receiving_key(county, COUNTY_PASS))
    rng = random.Random(4)
    for code in towns:
        for days, what in ((10, "反映村道路灯长期不亮"), (15, "反映农田灌溉渠堵塞"),
                           (20, "反映小区物业乱收费")):
            leadership.issue_assignment(county, leadership.AssignmentInput(
                to_station=code, deadline=clock.now.date() + timedelta(days=days),
                summary=what, petitioner_name=rng.choice(("顾明华", "沈桂英", "吴志强")),
                petitioner_phone="13962001234", requirements="查明情况，依法答复信访人"))
        matter = county.scalar("SELECT id FROM matters WHERE station_code = ? LIMIT 1", (code,))
        leadership.issue_supervision(county, leadership.SupervisionInput(
            deadline=clock.now.date() + timedelta(days=8), reason="信访人多次到县反映",
            level="重点督办", matter_id=matter))
    sent = downward.export_down(county, stick, root / "county-s" / "outbox")
    clock.now += timedelta(days=6)
    huayuan = towns["320508102000"]
    importer.import_bundles(huayuan, [p for r in sent for p in r.written],
                            keys.unlock_receiving_key(huayuan, COUNTY_PASS))
    orders = leadership.assignments(huayuan)
    for a, kind in zip(orders, ("final", "progress", "final", "final"), strict=False):
        leadership.reply(huayuan, a.id, leadership.ReplyInput(
            kind, "已会同村委会现场查看，协调有关部门处理，并当面答复信访人", result="已答复",
            petitioner_view="满意"))
    back = root / "stick-back"
    back.mkdir()
    export.export(huayuan, "2026-03", back, root / "320508102000" / "outbox")
    clock.now += timedelta(days=7)
    importer.import_bundles(county, [back], keys.unlock_receiving_key(county, COUNTY_PASS))
    leadership.issue_assignment(county, leadership.AssignmentInput(
        to_station="320508103000", deadline=clock.now.date() + timedelta(days=15),
        summary="反映集贸市场占道经营", petitioner_name="钱美华"))
    for town in towns.values():
        town.close()
    window = MainWindow(AppContext(county, root / "county-s"))
    window.resize(1366, 768)
    window.move(0, 0)
    window.show()
    page = window.show_page("leadership")
    tab = page.county_tab  # type: ignore[union-attr]
    tab.refresh()
    tab.table.setFocus()
    tab.table.selectRow(0)
    return window


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--cases", type=int, default=400)
    parser.add_argument("--lang", default="zh_CN")
    parser.add_argument("--only", choices=["county-supervision"],
                        help="only the county's 交办督办 screen (no demo register is built)")
    args = parser.parse_args()
    suffix = "" if args.lang == "zh_CN" else f"-{args.lang}"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    xvfb = start_xvfb()
    try:
        from PySide6.QtWidgets import QApplication

        from scripts.desk_shots import demo_desk, settle
        from storage.i18n import set_language
        from ui.fonts import apply_ui_font, load_fonts
        from ui.main_window import MainWindow

        set_language(args.lang)
        if args.only:
            app = QApplication(sys.argv)
            load_fonts()
            apply_ui_font(app)
            window = county_supervision_window(Path(tempfile.mkdtemp()))
            settle(app)
            path = out / f"county-supervision{suffix}.png"
            app.primaryScreen().grabWindow(0).copy(window.frameGeometry()).save(str(path))
            print(path)
            window.close()
            return 0
        app, window, reg = demo_desk(cases=args.cases)
        data = Path(reg.path).parent
        window.resize(1400, 860)
        window.move(10, 10)

        def shot(name: str, win: MainWindow = window) -> None:
            settle(app)
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
