"""The statistics and the case list to .xlsx, read back cell by cell: Chinese headers, the
header frozen, numbers as numbers, dates as dates, rates as percentages with their formula
and numerator/denominator in the cell's note."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from printing import spreadsheet, statistics_xlsx
from storage import petitions, statistics
from storage.register import Register
from tests.helpers.registers import FakeClock
from tests.storage.statistics.test_hand_count import HY, SQ, build

OCT = statistics.parse("2026-10")


def test_statistics_workbook_reads_back_cell_by_cell(reg: Register, clock: FakeClock,
                                                     tmp_path: Path) -> None:
    build(reg, clock)
    report = statistics.report(reg, OCT, (HY,), with_screening=False)
    assessment = statistics.assess(reg, OCT, [(HY, "花园镇"), (SQ, "石桥镇")],
                                   with_screening=False)
    path = spreadsheet.write_workbook(tmp_path / "统计.xlsx", statistics_xlsx.statistics_sheets(
        report, "花园镇信访工作站", date(2026, 11, 30), assessment))
    book = load_workbook(path)
    assert book.sheetnames == ["统计指标", "按信访形式", "按内容分类", "按问题属地", "乡镇考核"]
    ws = book["统计指标"]
    assert ws["A1"].value == "花园镇信访工作站 2026年10月信访统计（制表日期：2026-11-30）"
    assert [c.value for c in ws[3]] == ["指标", "单位", "本期", "上年同期", "同比增减", "同比%",
                                        "同比说明", "上期", "环比增减", "环比%", "环比说明", "口径"]
    assert ws.freeze_panes == "A4"  # caption, note, header
    rows = {r[0].value: r for r in ws.iter_rows(min_row=4) if r[0].value}
    total = rows["信访总量"]
    assert [c.value for c in total[2:11]] == [4, 2, 2, 1, None, 1, 3, 3, None]
    assert isinstance(total[2].value, int) and total[5].number_format == "0.0%"
    assert "本期登记的信访件" in total[2].comment.text
    assert total[2].number_format == "0"
    timely = rows["及时受理率"]
    assert timely[2].value == 1 / 3 and timely[2].number_format == "0.0%"
    assert timely[2].comment.text.startswith("1/3\n受理告知期限在本期内")
    assert timely[3].value == 1.0 and timely[4].value == -66.7
    on_time = rows["按期办结率"]
    assert (on_time[2].value, on_time[2].comment.text.split("\n")[0]) == ("—", "0/0")
    assert on_time[6].value == "本期无可计算的基数"
    forms = book["按信访形式"]
    assert [[c.value for c in r] for r in forms.iter_rows(min_row=2)] == [
        ["信访形式", "本期", "上年同期", "同比增减"], ["来访", 3, 1, 2], ["来电", 1, 0, 1],
        ["来信", 0, 1, -1], ["合计", 4, 2, 2]]
    ranking = book["乡镇考核"]
    header = [c.value for c in ranking[4]]
    assert header[:5] == ["乡镇", "信访总量", "名次", "信访总量同比", "名次"]
    lines = {r[0].value: [c.value for c in r] for r in ranking.iter_rows(min_row=5)
             if r[0].value}
    assert lines["花园镇"][1:5] == [4, 2, 1.0, 2]
    assert lines["石桥镇"][1:5] == [1, 1, 0.0, 1]
    assert lines["全县合计"][1:3] == [5, None]  # the total has no rank
    assert ranking["A2"].value == "各乡镇本期数据包均已收到。"


def test_case_list_keeps_dates_as_dates(reg: Register, clock: FakeClock,
                                        tmp_path: Path) -> None:
    build(reg, clock)
    ids = petitions.search_ids(reg, "")
    path = spreadsheet.write_workbook(tmp_path / "cases.xlsx",
                                      [statistics_xlsx.case_list_sheet(reg, ids, "信访件清单")])
    ws = load_workbook(path).active
    assert ws is not None
    assert [c.value for c in ws[2]][:5] == ["编号", "信访人", "身份证号", "形式", "信访日期"]
    data = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert len(data) == len(ids) == 8
    assert all(r[4].__class__.__name__ == "datetime" for r in data)
    assert ws.cell(3, 5).number_format == "yyyy-mm-dd"
    zhang = [r for r in data if r[1] == "张伟"]
    assert zhang and all("*" in r[2] and r[2] != "11010519491231002X" for r in zhang)
