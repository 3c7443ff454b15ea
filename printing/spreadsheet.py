"""A small, generic .xlsx writer (openpyxl) for every list and table the desk exports.

A workbook is a sequence of :class:`Sheet`; a sheet has :class:`Column` s (Chinese header, width,
kind, an optional note shown as a comment on the header) and rows of plain values. What the
clerk gets in Excel: the header bold and frozen, numbers as numbers, dates as dates, percentages
as numbers formatted ``0.0%``, never a formula (a summary that starts with ``=`` stays text).
The file is written atomically (a ``.part`` file, fsync, rename) and readable by its owner only:
the sheets carry names and ID numbers.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["Cell", "Column", "Kind", "Sheet", "workbook_bytes", "write_workbook"]

_AUTHOR = "信访工作台"
_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
_FORMATS = {"int": "0", "float": "0.00", "date": "yyyy-mm-dd", "percent": "0.0%"}


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    DATE = "date"
    PERCENT = "percent"  # the value is a fraction (0.953 is shown as 95.3%)


@dataclass(frozen=True)
class Column:
    title: str
    width: float = 12
    kind: Kind = Kind.TEXT
    note: str | None = None  # a comment on the header cell (a rate's formula, a field's meaning)


@dataclass(frozen=True)
class Cell:
    """A value with its own note (e.g. the numerator and denominator behind one rate), and its
    own kind where a column mixes them (a statistics table: counts and rates in one column)."""

    value: object
    note: str | None = None
    kind: Kind | None = None


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[object]]
    # lines above the header (the table's title, station, period); the header stays frozen below
    caption: Sequence[str] = field(default_factory=tuple)


def _sheet_title(title: str, taken: set[str]) -> str:
    """Excel allows 31 characters without []:*?/\\ and unique names (case-insensitively)."""
    base = (title.translate(_TITLE_FORBIDDEN).strip("'") or "Sheet")[:31]
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def _typed(value: object, kind: Kind) -> object:
    """The value as Excel should hold it for the column's kind; a value that does not fit the
    kind (a "—" in a rate column) is kept as text rather than dropped."""
    if value is None or value == "":
        return None
    if kind is Kind.DATE:
        if isinstance(value, datetime | date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return value
        return value
    if kind is Kind.INT and isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    if kind in (Kind.FLOAT, Kind.PERCENT) and isinstance(value, int | float) \
            and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _fill_sheet(ws: Worksheet, sheet: Sheet) -> None:
    for line in sheet.caption:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", line)])
    if sheet.caption:
        ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    header_row = len(sheet.caption) + 1
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="E8E8E8")
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for c, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=header_row, column=c, value=column.title)
        cell.font, cell.fill, cell.alignment = bold, grey, centred
        if column.note:
            cell.comment = Comment(column.note, _AUTHOR)
        ws.column_dimensions[get_column_letter(c)].width = column.width
    for r, values in enumerate(sheet.rows, start=header_row + 1):
        for c, column in enumerate(sheet.columns, start=1):
            raw = values[c - 1] if c - 1 < len(values) else None
            note = raw.note if isinstance(raw, Cell) else None
            kind = raw.kind or column.kind if isinstance(raw, Cell) else column.kind
            value = _typed(raw.value if isinstance(raw, Cell) else raw, kind)
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # "=…" from a clerk's text is text, never a formula
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif kind.value in _FORMATS and not isinstance(value, str | type(None)):
                cell.number_format = _FORMATS[kind.value]
            if note:
                cell.comment = Comment(note, _AUTHOR)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The .xlsx file of ``sheets`` (at least one; an empty list gives one empty sheet)."""
    book = Workbook()
    first = book.active
    taken: set[str] = set()
    for i, sheet in enumerate(sheets):
        ws = first if i == 0 else book.create_sheet()
        ws.title = _sheet_title(sheet.title, taken)
        _fill_sheet(ws, sheet)
    book.properties.creator = _AUTHOR
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_workbook(path: str | os.PathLike[str], sheets: Sequence[Sheet]) -> Path:
    """Write ``sheets`` to ``path`` atomically, mode 0600; a failure leaves no partial file and
    an existing file at ``path`` unchanged."""
    target = Path(path)
    data = workbook_bytes(sheets)
    part = target.with_name(target.name + ".part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(part, 0o600)  # O_CREAT's mode does not apply to a .part left by a crash
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return target
