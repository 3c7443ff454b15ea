"""Printing benchmark (not a test): a registration receipt after the first, and a 1,000-row
矛盾纠纷排查表 next to its floor measured in the same run — a bare reportlab Table of the same
rows (same page, fonts, size and column widths, header repeated) — as a ratio.

    python bench/bench_printing.py [--receipts 20] [--rows 1000] [--rounds 3]

Targets (issue 3): a receipt in at most 150 ms after the first; the sheet within 1.2 × the
bare table.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from printing import documents, fonts, screening_sheet
from printing.layout import A4_LANDSCAPE, clear_wrap_cache
from storage import (
    accounts,
    petitions,
    screening,
    station,
)
from storage.db import open_register
from storage.masking import DEFAULT_POLICY
from storage.register import Register

T = TypeVar("T")
PHRASES = ("宅基地边界围墙砌筑发生争执", "排水沟走向争执，院内积水", "承包地界址不清，双方各执一词",
           "工资拖欠三个月共计8500元", "噪音扰民，多次协商未果", "赡养费用分担有分歧",
           "征地补偿款分配有意见", "物业费收取标准有争议", "交通事故赔偿数额未谈拢")
MEASURES = ("村调委会上门调解", "镇司法所介入调解，讲清法律规定", "网格员持续跟踪",
            "约请双方到村委会面对面协商", "向包案领导汇报，制定化解方案")
NAMES = "张王李赵刘陈杨黄吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华堃喆赟玥"


def clock() -> datetime:
    return datetime(2026, 3, 2, 9, 0)


def set_up() -> Register:
    reg = open_register(None, clock=clock)
    station.set_up_station(
        reg, name="花园镇信访工作站", short_name="花园", code="320508102000", kind="township",
        office_name="花园镇人民政府", phone="0512-66881234", address="花园镇人民路1号",
        villages=[station.VillageSpec("春明村", "320508102200", ["一组", "二组"])],
        head_username="head", head_display_name="王站长", head_password="head-pass-1")
    accounts.create_user(reg, "clerk", "李文静", "clerk", "clerk-pass-1")
    accounts.authenticate(reg, "clerk", "clerk-pass-1")
    return reg


def register_matter(reg: Register) -> str:
    row = petitions.register(reg, petitions.RegistrationInput(
        form="来访", received_on=date(2026, 3, 2), summary="反映春明村一组二轮承包地被收回另行发包",
        request="要求恢复承包经营权", petitioners=[petitions.PetitionerInput(
            name="王堃", id_number="11010519491231002X", phone="13812345678",
            address="花园镇春明村一组8号")]))
    return str(row["id"])


def sheet_rows(n: int) -> list[tuple[str, ...]]:
    """``n`` rows as the sheet prints them, varied like a real month (no two summaries
    alike), deterministic."""
    rng = random.Random(2026)
    rows = []
    for i in range(1, n + 1):
        a = rng.choice(NAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        b = rng.choice(NAMES) + rng.choice(GIVEN)
        summary = "，".join(rng.sample(PHRASES, rng.randint(1, 3))) + f"（第{i}件）"
        rows.append((str(i), f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
                     f"春明村\n{rng.choice('一二三四五')}组", "赵德福",
                     rng.choice(("邻里", "婚姻家庭", "房屋宅基地", "劳动争议", "山林土地")),
                     f"{a}（138****{rng.randint(0, 9999):04d}）\n{b}",
                     str(rng.randint(2, 40)), summary, rng.choice("红橙黄蓝"),
                     rng.choice(("无", "集体访", "越级访")), rng.choice(MEASURES),
                     rng.choice(("镇司法所", "镇综治中心", "村（社区）委员会")),
                     rng.choice(("王站长", "刘副镇长")), f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
                     rng.choice(("未化解", "化解中", "已化解")), "", "", "",
                     "上期结转" if i % 4 == 0 else ""))
    return rows


def bare_table(rows: list[tuple[str, ...]], titles: list[str]) -> bytes:
    """The floor: reportlab's own Table of the same rows, nothing of ours."""
    buf = BytesIO()
    spec = A4_LANDSCAPE
    doc = SimpleDocTemplate(buf, pagesize=spec.size, leftMargin=spec.left,
                            rightMargin=spec.right, topMargin=spec.top, bottomMargin=spec.bottom)
    total = sum(screening_sheet.WEIGHTS)
    widths = [spec.frame_width * w / total for w in screening_sheet.WEIGHTS]
    table = Table([titles, *rows], colWidths=widths, repeatRows=1, style=TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.SONG),
        ("FONTSIZE", (0, 0), (-1, -1), screening_sheet.SIZE),
        ("LEADING", (0, 0), (-1, -1), screening_sheet.SIZE * 4 / 3),
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    doc.build([table])
    return buf.getvalue()


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=20)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    reg = set_up()
    matter_id = register_matter(reg)
    first, _doc = timed(lambda: documents.build_document(reg, "receipt", matter_id))
    times = [timed(lambda: documents.build_document(reg, "receipt", matter_id))[0]
             for _ in range(args.receipts)]
    median, worst = statistics.median(times), max(times)
    print(f"receipt first (fonts loaded, cmaps read) {first * 1000:.0f} ms")
    print(f"receipt after the first: median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms "
          f"of {args.receipts} (target <= 150 ms) = {median / 0.150:.2f} x target")

    sheet = screening.monthly_sheet(reg, 2026, 2)
    rows = sheet_rows(args.rows)
    titles = list(sheet.columns)
    bare_table(rows[:50], titles)  # warm both paths (font objects, imports)
    screening_sheet.build_sheet(sheet, DEFAULT_POLICY, rows=rows[:50])
    ours: list[float] = []
    floor: list[float] = []
    pages = 0
    for _ in range(args.rounds):
        t, _data = timed(lambda: bare_table(rows, titles))
        floor.append(t)
        clear_wrap_cache()  # a cold sheet: no cell already wrapped
        t, data = timed(lambda: screening_sheet.build_sheet(sheet, DEFAULT_POLICY, rows=rows))
        ours.append(t)
        pages = len(re.findall(rb"/Type /Page[^s]", data))
    o, f = statistics.median(ours), statistics.median(floor)
    print(f"floor   bare reportlab Table of the same {args.rows} rows: {f:.2f} s "
          f"(median of {args.rounds})")
    print(f"sheet   {args.rows}-row 矛盾纠纷排查表, {pages} pages: {o:.2f} s = {o / f:.2f} x floor "
          f"(target <= 1.2 x) [header block, wrapped cells, repeated header, page numbers, "
          f"grid lists, seal]")
    reg.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
