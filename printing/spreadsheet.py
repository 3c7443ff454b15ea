"""Tables to .xlsx (openpyxl): Chinese headers, column widths that fit, the header row frozen,
numbers as numbers, dates as dates, a rate as a percentage cell with its numerator, denominator
and formula in the cell's note. One generic writer: every list and statistics table that goes
to Excel describes itself as ``Sheet``s and comes here."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from storage.rates import Rate

DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"
_MAX_WIDTH = 60


@dataclass(frozen=True)
class Noted:
    """A value with a note on its cell (e.g. a figure's definition)."""

    value: object
    note: str


@dataclass(frozen=True)
class Percent:
    """A fraction shown as a percentage (a 同比 of +12.5% is 0.125)."""

    fraction: float


@dataclass
class Sheet:
    title: str  # at most 31 characters (Excel's limit)
    headers: Sequence[str]
    rows: list[list[object]]
    heading: str = ""  # a line above the header (what, which period, made when)
    widths: Sequence[float] = ()  # characters; empty: fitted to the content
    notes: list[str] = field(default_factory=list)  # lines below the table


def _width(value: object) -> float:
    if isinstance(value, Noted):
        value = value.value
    if isinstance(value, date | datetime):
        return 11
    if isinstance(value, Rate):
        return 8
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_value(value: object) -> tuple[object, str, str]:
    """(what the cell holds, its number format, its note)."""
    note = ""
    if isinstance(value, Noted):
        note, value = value.note, value.value
    if isinstance(value, Percent):
        return value.fraction, PERCENT_FORMAT, note
    if isinstance(value, Rate):
        detail = f"{value.numerator}/{value.denominator}"
        note = f"{detail}\n{note}" if note else detail
        if value.fraction is None:
            return "—", "", note
        return value.fraction, PERCENT_FORMAT, note
    if isinstance(value, datetime):
        return value, "yyyy-mm-dd hh:mm", note
    if isinstance(value, date):
        return value, DATE_FORMAT, note
    return value, "", note


def _write_sheet(book: Workbook, sheet: Sheet, first: bool) -> None:
    ws = book.active if first else book.create_sheet()
    assert ws is not None
    ws.title = sheet.title[:31]
    header_row = 1
    if sheet.heading:
        ws.append([sheet.heading])
        ws.cell(1, 1).font = Font(bold=True, size=13)
        header_row = 2
    ws.append(list(sheet.headers))
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8E8E8")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, values in enumerate(sheet.rows, start=header_row + 1):
        for c, raw in enumerate(values, start=1):
            value, number_format, note = _cell_value(raw)
            cell = ws.cell(r, c, value)
            if number_format:
                cell.number_format = number_format
            if note:
                cell.comment = Comment(note, "信访工作台", width=320, height=120)
    below = header_row + len(sheet.rows) + 2
    for i, line in enumerate(sheet.notes):
        ws.cell(below + i, 1, line)
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    for c, header in enumerate(sheet.headers, start=1):
        if c <= len(sheet.widths):
            width = sheet.widths[c - 1]
        else:
            width = max([_width(header), *(_width(r[c - 1]) for r in sheet.rows
                                           if c <= len(r))])
        ws.column_dimensions[get_column_letter(c)].width = min(_MAX_WIDTH, width + 2)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    book = Workbook()
    for i, sheet in enumerate(sheets):
        _write_sheet(book, sheet, i == 0)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> Path:
    """Write the workbook next to its final name and move it in place (never half a file)."""
    data = workbook_bytes(sheets)
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    part.replace(path)
    return path
