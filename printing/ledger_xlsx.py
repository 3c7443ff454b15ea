"""The 包案台账 as an Excel workbook (openpyxl): the same columns and rows as the printed ledger,
Chinese headers, widths that fit them, the header row frozen, dates as dates. Excel output lives
in this one module so that it can follow whatever library the rest of the program settles on."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from printing.leadership_docs import ledger_columns, ledger_table
from storage import leadership
from storage.i18n import _

_DATE_COLUMNS = (4, 5)  # 包案日期, 化解目标日期 (0-based)
_WIDTHS = (6, 16, 10, 40, 12, 12, 36, 24, 30, 10, 24)


def ledger_workbook(station_name: str, who: str, rows: Sequence[leadership.LedgerRow],
                    made_on: date) -> bytes:
    """The .xlsx bytes of the ledger."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("包案台账")
    sheet.append([_("领导包案台账")])
    sheet.append([_("{station}　包案领导：{who}　制表日期：{day}").format(
        station=station_name, who=who, day=made_on.isoformat())])
    sheet["A1"].font = Font(bold=True, size=14)
    header = [c.title for c in ledger_columns()]
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8E8E8")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for values in ledger_table(rows):
        line: list[object] = [int(values[0]), *values[1:]]
        for i in _DATE_COLUMNS:
            line[i] = date.fromisoformat(str(line[i])) if line[i] else None
        sheet.append(line)
    for row in sheet.iter_rows(min_row=4):
        for i, cell in enumerate(row):
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if i in _DATE_COLUMNS:
                cell.number_format = "yyyy-mm-dd"
    for i, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
