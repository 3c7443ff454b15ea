"""A station's old 台账 made by the tests: ``rows`` good rows in the usual Chinese columns, with
deliberate errors on known lines, written as .xlsx (openpyxl), .xls (xlwt) or .csv."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from tests.helpers.sync import id_number

HEADERS = ("序号", "编号", "姓名", "身份证号", "联系电话", "信访日期", "信访形式", "反映问题",
           "诉求", "内容分类", "问题属地", "人数", "办理情况")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
CATEGORIES = ("劳动和社会保障/劳动关系", "国土资源", "农村农业/惠农补贴", "城乡建设/建设管理",
              "民政/社会救助", "")
FORMS = ("来访", "来信", "电话", "网上信访", "走访")
VILLAGES = ("春明村", "九龙社区", "石桥", "")
KNOWN_NAME = "钱守仁"


@dataclass
class Ledger:
    headers: tuple[str, ...]
    rows: list[list[object]]
    # line in the file (header is line 1) -> a fragment of the expected problem
    errors: dict[int, str] = field(default_factory=dict)

    @property
    def good(self) -> int:
        return len(self.rows) - len(self.errors)


def _fix_check(body: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def _break(row: list[object], kind: int, line: int, rows: list[list[object]],
           today: date) -> str:
    """Make ``row`` wrong in the ``kind``-th way; returns what the problem must say."""
    if kind == 0:
        idn = str(row[3])
        row[3] = idn[:-1] + ("0" if idn[-1] != "0" else "1")
        return "校验不通过"
    if kind == 1:
        row[9] = "外星问题"
        return "不在本站的分类代码表中"
    if kind == 2:
        row[5] = "2023-02-30"
        return "不存在"
    if kind == 3:
        row[7] = ""
        return "缺少概况"
    if kind == 4:
        row[5] = (today + timedelta(days=3)).isoformat()
        return "不能晚于"
    if kind == 5:
        row[10] = "月亮村"
        return "不是本站的村"
    if kind == 6:
        row[6] = "飞鸽传书"
        return "信访形式“飞鸽传书”看不懂"
    if kind == 7:
        row[:] = list(rows[line - 4])  # the row two lines up again (a copied line)
        row[0] = line - 1
        return f"与第{line - 2}行重复"
    if kind == 8:
        row[2], row[3] = "钱守义", KNOWN_ID  # a known person's ID number under another name
        return "已登记为“钱守仁”"
    row[2] = ""
    return "缺少姓名"


def make(rows: int = 1000, *, seed: int = 18, today: date = date(2026, 3, 2),
         error_every: int = 10) -> Ledger:
    rng = random.Random(seed)
    out: list[list[object]] = []
    errors: dict[int, str] = {}
    start = date(2023, 1, 3)
    for i in range(rows):
        line = i + 2
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        received = start + timedelta(days=(i * 1000) // rows)
        row: list[object] = [
            i + 1, f"花信台〔{received.year}〕{i + 1:04d}号", name, id_number(rng),
            "13" + "".join(str(rng.randint(0, 9)) for _ in range(9)), received.isoformat(),
            rng.choice(FORMS), f"反映{name}家第{i + 1}件事：土地承包合同到期后续签问题",
            "要求依法处理" if i % 3 else "", rng.choice(CATEGORIES), rng.choice(VILLAGES),
            rng.choice((1, 1, 1, 2, 6)), "已办结" if i % 7 else ""]
        if i % error_every == error_every - 1 and i > 3:
            errors[line] = _break(row, (i // error_every) % 10, line, out, today)
        out.append(row)
    return Ledger(HEADERS, out, errors)


def write_xlsx(ledger: Ledger, path: Path, *, title: str | None = None) -> Path:
    book = Workbook()
    ws = book.active
    if title:
        ws.append([title])
    ws.append(list(ledger.headers))
    for row in ledger.rows:
        values = list(row)
        if isinstance(values[5], str) and values[5][:4].isdigit():
            try:
                values[5] = date.fromisoformat(values[5])  # a real date cell
            except ValueError:
                pass
        ws.append(values)
    book.save(path)
    return path


def write_xls(ledger: Ledger, path: Path) -> Path:
    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("台账")
    dates = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for c, h in enumerate(ledger.headers):
        ws.write(0, c, h)
    for r, row in enumerate(ledger.rows, start=1):
        for c, v in enumerate(row):
            if c == 5 and isinstance(v, str):
                try:
                    ws.write(r, c, date.fromisoformat(v), dates)
                    continue
                except ValueError:
                    pass
            ws.write(r, c, v)
    book.save(str(path))
    return path


def write_csv(ledger: Ledger, path: Path, encoding: str = "gb18030") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(ledger.headers)
        w.writerows(ledger.rows)
    return path


KNOWN_ID = _fix_check("32050819570315001")
