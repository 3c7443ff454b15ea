"""The rows of a ledger import that were not imported, as .xlsx: the ledger's own columns (so the
clerk corrects the rows there and imports the file again) and a last column 问题 saying why."""

from __future__ import annotations

import os
from pathlib import Path

from printing.spreadsheet import Column, Kind, Sheet, write_workbook
from storage import ledger
from storage.i18n import _

_WIDE = {"summary": 40, "request": 30, "address": 24, "id_number": 20, "number": 20}
_DATES = ("received_on", "closed_on")


def rejected_sheet(preview: ledger.Preview) -> Sheet:
    headers, rows = ledger.rejected_table(preview)
    fields = preview.mapping.fields
    columns = []
    for i, header in enumerate(headers):
        key = fields[i] if i < len(fields) else ""
        if i == len(headers) - 1:
            columns.append(Column(header, 50, note=_("改正本行后，删除或保留本列均可，再导入此文件。")))
        else:
            columns.append(Column(header, _WIDE.get(key, 12),
                                  Kind.DATE if key in _DATES else Kind.TEXT))
    return Sheet(_("未导入的行"), columns, rows)


def write_rejected(path: str | os.PathLike[str], preview: ledger.Preview) -> Path:
    return write_workbook(path, [rejected_sheet(preview)])
