"""The monthly 矛盾纠纷排查表 (from storage.screening) and the statistics report (from
storage.petitions.statistics), read back; a 1,000-row sheet paginates with its header on every page;
the plain-text table cells wrap by the Chinese rules."""

from __future__ import annotations

import io
import random
import re
from dataclasses import replace

import pdfplumber
import pytest

from printing import documents, fonts, screening_sheet
from printing.layout import A4_LANDSCAPE, wrap_plain
from storage import screening as sc
from storage import statistics
from storage.masking import DEFAULT_POLICY
from storage.register import Register
from tests.helpers import register_data as rd
from tests.helpers.pdf import Pdf
from tests.helpers.registers import FakeClock


def table_cells(pdf: Pdf) -> list[str]:
    """Every table cell's text, white space removed (lines of a wrapped cell joined)."""
    with pdfplumber.open(io.BytesIO(pdf.data)) as doc:
        return [re.sub(r"\s+", "", c or "") for page in doc.pages
                for table in page.extract_tables() for row in table for c in row]


@pytest.fixture
def february(reg: Register, clock: FakeClock) -> Register:
    rd.screening_month(reg, clock)
    rd.build_matters(reg)
    return reg


def test_screening_sheet_from_the_register(february: Register) -> None:
    reg = february
    sheet = sc.monthly_sheet(reg, 2026, 2)
    pdf = Pdf(documents.build_document(reg, "screening-sheet", "2026-02").data)
    assert all(w > h for w, h in pdf.page_sizes)  # landscape
    text = pdf.flat_text
    for expected in ("2026年2月矛盾纠纷排查表", "填报单位：花园镇信访工作站", "统计月份：2026年2月",
                     "每周", "零报告网格", "全月零报告", "未报送网格", "填表人", "审核人（站长）"):
        assert expected in text, expected
    cells = table_cells(pdf)
    for expected in ("纠纷类型", "风险等级", "化解状态", "征地补偿款分配有意见，拟集体上访",
                     "镇村干部入户解释政策", "镇综治中心", "刘副镇长", "集体访",
                     "排水沟走向争执，院内积水", "吉𠮷（138****5678）王堃", "2月6日", "春明村一组"):
        assert expected in cells, expected
    for title in sheet.columns:
        assert re.sub(r"\s+", "", title) in cells, title
    # counts in the header, as the sheet's data has them
    assert f"本月列入排查表的纠纷{sheet.totals.total}件" in text
    assert sheet.totals.total == 3
    # phones masked, names kept (with a glyph for the rare ones)
    assert rd.MOBILE not in text and "138****5678" in text and "0512-6512345" not in text
    for name in ("吉𠮷", "王堃", "张喆", "李赟", "陈玥", "刘䶮"):
        assert name in text, name
        for ch in name:
            assert pdf.glyph_fonts(ch), ch
    # the zero-report and missing lists are the sheet's
    assert [f"{g.village}{g.grid}" for g in sheet.zero_report_grids] == ["春明村二组"]
    assert sheet.missing_grids
    assert f"零报告网格（{len(sheet.zero_report_grids)}个）" in text
    assert f"未报送网格（{len(sheet.missing_grids)}个）" in text
    for g in sheet.missing_grids:
        assert "、".join(g.missing_periods) in cells and g.grid in cells


def test_monthly_report_shows_the_statistics(february: Register) -> None:
    reg = february
    stats = statistics.monthly(reg, "2026-02")
    pdf = Pdf(documents.build_document(reg, "monthly-report", "2026-02").data)
    text = pdf.flat_text
    for expected in ("2026年2月信访工作统计月报", "区划代码：320508102000", "一、信访总量",
                     f"{stats.total_items}件次", "二、内容分类", "农村农业", "三、问题属地", "春明村",
                     "四、办理情况", "五、考核指标", "及时受理率", "按期办结率", "参评率", "满意率",
                     "统计口径", "六、人民调解", "调解成功率", "七、矛盾纠纷排查", "列入排查表的纠纷3件",
                     "填报人", "审核人", "信访总量逐月走势", "按信访形式", "2025年"):
        assert expected in text, expected
    with pdfplumber.open(io.BytesIO(pdf.data)) as doc:
        tables = [[[re.sub(r"\s+", "", c or "") for c in row] for row in table]
                  for page in doc.pages for table in page.extract_tables()]
    rows = [row for table in tables for row in table]
    rates = {row[0]: row[1:4] for row in rows if len(row) == 5}
    for label, rate in (("及时受理率", stats.timely_acceptance),
                        ("按期办结率", stats.on_time_completion),
                        ("参评率", stats.rating_participation), ("满意率", stats.satisfaction)):
        assert rates[label][:2] == [str(rate.numerator), str(rate.denominator)], label
        expected = "—" if rate.percent is None else f"{rate.percent:.1f}%"
        assert rates[label][2] == expected
    handling = next(t for t in tables if t[0] == ["项目", "件数"])
    decided = {row[0]: row[1] for row in handling[1:]}
    assert decided["受理"] == str(stats.decided["受理"]) == "1"
    assert decided["不予受理"] == "1" and decided["不再受理"] == "1"
    assert decided["本月办结"] == str(stats.closed)


def _generated_rows(n: int) -> list[tuple[str, ...]]:
    rng = random.Random(7)
    phrases = ("宅基地边界围墙砌筑发生争执", "排水沟走向争执，院内积水", "承包地界址不清",
               "工资拖欠三个月", "噪音扰民，多次协商未果", "赡养费用分担有分歧")
    out = []
    for i in range(1, n + 1):
        summary = f"纠纷摘要第{i}号：" + "，".join(rng.sample(phrases, rng.randint(1, 3)))
        out.append((str(i), "2月6日", "春明村\n一组", "赵德福", "邻里",
                    f"张三（138****{i % 10000:04d}）\n李四", "2", summary, "黄", "无",
                    "村调委会上门调解", "镇司法所", "王站长", "2月20日", "化解中", "", "", "",
                    "上期结转" if i % 3 else ""))
    return out


@pytest.mark.slow
def test_a_thousand_row_sheet_repeats_its_header_on_every_page(february: Register) -> None:
    sheet = sc.monthly_sheet(february, 2026, 2)
    pdf = Pdf(screening_sheet.build_sheet(sheet, DEFAULT_POLICY, rows=_generated_rows(1000)))
    header = [re.sub(r"\s+", "", t) for t in sheet.columns]
    seqs: list[int] = []
    data_pages = 0
    with pdfplumber.open(io.BytesIO(pdf.data)) as doc:
        total = len(doc.pages)
        assert total > 20
        for number, page in enumerate(doc.pages, start=1):
            text = re.sub(r"\s+", "", page.extract_text() or "")
            assert f"第{number}页共{total}页" in text
            for table in page.extract_tables():
                first = [re.sub(r"[\s]", "", c or "") for c in table[0]]
                if "简要情况" not in first:
                    continue
                data_pages += 1
                assert [c.replace("/", "") for c in first] == \
                    [c.replace("/", "") for c in header]  # the header, first on the page
                assert len(table) > 1  # never a header with nothing under it
                seqs += [int(row[0]) for row in table[1:] if row[0]]
    assert data_pages >= total - 1  # every page but the lists at the end
    assert seqs == list(range(1, 1001))  # every row once, in order: none lost, none doubled


def test_an_over_tall_row_splits_inside_and_others_do_not(february: Register) -> None:
    sheet = sc.monthly_sheet(february, 2026, 2)
    rows = _generated_rows(30)
    long_text = "，".join(f"第{i}项措施已落实" for i in range(1, 160))  # taller than a page
    rows[5] = (*rows[5][:10], long_text, *rows[5][11:])
    pdf = Pdf(screening_sheet.build_sheet(sheet, DEFAULT_POLICY, rows=rows))
    total = sum(screening_sheet.WEIGHTS)
    x0 = A4_LANDSCAPE.left + A4_LANDSCAPE.frame_width * sum(screening_sheet.WEIGHTS[:10]) / total
    x1 = x0 + A4_LANDSCAPE.frame_width * screening_sheet.WEIGHTS[10] / total
    pieces: list[tuple[int, str]] = []  # (page, text) of the 化解措施 column only
    seqs: list[int] = []
    with pdfplumber.open(io.BytesIO(pdf.data)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            column = re.sub(r"\s+", "", page.crop((x0, 0, x1, page.height - A4_LANDSCAPE.bottom)).extract_text() or "")
            pieces.append((number, column.replace("化解措施", "", 1)))
            x_seq = A4_LANDSCAPE.left + A4_LANDSCAPE.frame_width * screening_sheet.WEIGHTS[0] / total
            first = page.crop((A4_LANDSCAPE.left, 0, x_seq, page.height - A4_LANDSCAPE.bottom)).extract_text() or ""
            seqs += [int(n) for n in re.findall(r"^\d+$", first, flags=re.M)]
    joined = "".join(text for _page, text in pieces)  # a line split over pages joins again
    items = [int(n) for n in re.findall(r"第(\d+)项措施已落实", joined)]
    assert items == list(range(1, 160))  # all of it, in order: no line lost or doubled
    assert len({page for page, text in pieces if "项措施" in text}) >= 3  # over several pages
    assert seqs.count(6) == 1  # the row's number once: the continuation parts have none
    assert sorted(set(seqs)) == list(range(1, 31))


@pytest.mark.parametrize(("text", "width", "expected"), [
    ("张三（13812345678）同意调解", 80, ["张三（13812345678）", "同意调解"]),
    ("甲乙丙丁戊己庚，辛", 8 * 7, ["甲乙丙丁戊己", "庚，辛"]),  # no comma at a line start
    ("甲乙丙丁戊（己庚）", 8 * 6, ["甲乙丙丁戊", "（己庚）"]),  # no opening bracket at a line end
    ("合计2026年", 8 * 4.5, ["合计", "2026年"]),  # a number stays with its unit
    ("一\n二", 100, ["一", "二"]),
    ("0512-66881234", 8 * 4, ["0512-", "66881234"]),
])
def test_plain_cells_wrap_by_the_chinese_rules(text: str, width: float,
                                                expected: list[str]) -> None:
    fonts.register(fonts.SONG)
    assert wrap_plain(text, fonts.SONG, 8, width) == expected


def test_a_rare_character_needs_the_fallback_chain() -> None:
    fonts.register(fonts.SONG)
    assert wrap_plain("吉𠮷", fonts.SONG, 8, 100) is None
    assert wrap_plain("吉𠮷（13812345678）", fonts.SONG, 8, 60, fonts.BODY) == \
        ["吉𠮷", "（13812345678）"]


def test_sheet_rows_print_as_the_storage_rows(february: Register) -> None:
    sheet = sc.monthly_sheet(february, 2026, 2)
    row = sheet.rows[0]
    cells = screening_sheet.row_cells(row, 2026, DEFAULT_POLICY)
    assert len(cells) == len(sheet.columns)
    assert cells[1] == "2月6日" and cells[2] == f"{row.village}\n{row.grid}"
    assert cells[5] == "吉𠮷（138****5678）\n王堃"
    overdue = screening_sheet.row_cells(replace(row, overdue=True), 2026, DEFAULT_POLICY)
    assert overdue[14] == f"{row.status}\n逾期"
    assert screening_sheet.short_date("2025-12-03", 2026) == "2025年12月3日"
