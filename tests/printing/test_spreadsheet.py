"""printing.spreadsheet: a workbook written and read back cell by cell — headers, kinds (numbers
as numbers, dates as dates, percentages formatted), the frozen header, notes, no formulas from
text, an atomic 0600 file."""

from __future__ import annotations

import os
import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from printing import spreadsheet as xs
from printing.spreadsheet import Cell, Column, Kind, Sheet

COLUMNS = (
    Column("编号", 16),
    Column("信访日期", 12, Kind.DATE),
    Column("人数", 6, Kind.INT),
    Column("金额", 10, Kind.FLOAT),
    Column("及时受理率", 10, Kind.PERCENT, note="及时受理数 ÷ 应受理数"),
    Column("概况", 40),
)
ROWS = (
    ("DZ-2025-0001", date(2025, 3, 1), 3, 1.5, 0.953, "反映拖欠工资问题"),
    ("DZ-2025-0002", "2025-03-02", 1, 2, Cell(1.0, "7/7"), "=HYPERLINK(\"x\")"),
    ("DZ-2025-0003", None, None, None, "—", "含\x07控制字符"),
    ("DZ-2025-0004", datetime(2025, 3, 4, 9, 30), 12.0, 0, 0, ""),
)


def _sheet() -> Sheet:
    return Sheet("信访事项", COLUMNS, ROWS, caption=("某某镇信访事项清单", "2025年3月"))


def test_round_trip_cell_by_cell(tmp_path: Path) -> None:
    path = xs.write_workbook(tmp_path / "out.xlsx", [_sheet(), Sheet("空表", COLUMNS, ())])
    book = load_workbook(path)
    assert book.sheetnames == ["信访事项", "空表"]
    ws = book["信访事项"]
    assert ws["A1"].value == "某某镇信访事项清单" and ws["A2"].value == "2025年3月"
    assert [c.value for c in ws[3]] == [c.title for c in COLUMNS]
    assert ws.freeze_panes == "A4"
    assert ws["E3"].comment is not None and "及时受理数" in ws["E3"].comment.text
    assert ws.column_dimensions["F"].width == 40
    got = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert got == [
        ["DZ-2025-0001", datetime(2025, 3, 1), 3, 1.5, 0.953, "反映拖欠工资问题"],
        ["DZ-2025-0002", datetime(2025, 3, 2), 1, 2.0, 1.0, "=HYPERLINK(\"x\")"],
        ["DZ-2025-0003", None, None, None, "—", "含控制字符"],
        ["DZ-2025-0004", datetime(2025, 3, 4, 9, 30), 12, 0.0, 0.0, None],
    ]
    assert ws["B4"].is_date and ws["B4"].number_format == "yyyy-mm-dd"
    assert ws["C4"].data_type == "n" and ws["C4"].number_format == "0"
    assert ws["E4"].number_format == "0.0%"
    assert ws["F5"].data_type == "s"  # text, not a formula
    assert ws["E5"].comment is not None and ws["E5"].comment.text.startswith("7/7")
    assert load_workbook(path)["空表"].max_row == 1


def test_file_is_private_and_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.xlsx"
    xs.write_workbook(path, [_sheet()])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.read_bytes()

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        xs.write_workbook(path, [Sheet("别的", COLUMNS, ())])
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_sheet_titles_made_valid_and_unique() -> None:
    import io

    data = xs.workbook_bytes([Sheet("a/b:c" + "长" * 40, COLUMNS[:1], ()),
                              Sheet("a/b:c" + "长" * 40, COLUMNS[:1], ())])
    names = load_workbook(io.BytesIO(data)).sheetnames
    assert len(set(names)) == 2 and all(len(n) <= 31 and "/" not in n for n in names)
