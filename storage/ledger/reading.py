"""Reading a station's old 台账 from .xlsx / .xls (python-calamine) or .csv (the standard library,
UTF-8 with or without BOM, else GB18030 — what Excel on a Chinese Windows writes).

Ledgers often start with a title line or two ("花园镇2023年信访台账"); the header is the first of
the opening rows that names at least two known columns, else the first non-empty row. Cells come
back as str, int, float, date or datetime; empty trailing rows are dropped.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from storage.errors import ValidationError
from storage.i18n import _
from storage.ledger.columns import known_headers, normalise_header

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
_MAX_BYTES = 64 * 1024 * 1024
_HEADER_SEARCH = 10

Cell = str | int | float | date | datetime | None


@dataclass(frozen=True)
class Table:
    """One sheet of a ledger: its header and the rows below it, each with its line number in
    the file (as the clerk sees it in Excel), and the SHA-256 of the file's bytes."""

    file_name: str
    sheet: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    digest: str


def _plain(value: object) -> Cell:
    if value is None or isinstance(value, str | int | float | date):
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, time | timedelta):
        return str(value)
    return str(value)


def _header_index(rows: list[list[Cell]], known: frozenset[str]) -> int:
    for i, row in enumerate(rows[:_HEADER_SEARCH]):
        names = {normalise_header(str(c)) for c in row if c not in (None, "")}
        if len(names & known) >= 2:
            return i
    for i, row in enumerate(rows):
        if any(c not in (None, "") for c in row):
            return i
    return 0


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("看不懂这个CSV文件的文字编码（应为UTF-8或GB18030）。"), "file")


def _read_csv(data: bytes) -> tuple[str, list[list[Cell]]]:
    text = _decode(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",\t;")
    except csv.Error:
        dialect = csv.excel
    return "CSV", [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def _read_book(path: Path) -> tuple[str, list[list[Cell]]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        names = book.sheet_names
        # the first sheet with anything on it (a workbook may open on an empty cover sheet)
        for name in names:
            values = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if any(any(c not in (None, "") for c in row) for row in values):
                return name, [[_plain(c) for c in row] for row in values]
    except (CalamineError, OSError, ValueError) as exc:
        raise ValidationError(_("无法读取这个Excel文件：{reason}").format(reason=exc),
                              "file") from None
    return names[0] if names else "", []


def read_table(path: str | Path) -> Table:
    """The ledger's first non-empty sheet (or the CSV); a plain ValidationError for a file that
    cannot be read."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError(_("只能导入 .xlsx、.xls 或 .csv 文件。"), "file")
    try:
        size = p.stat().st_size
        if size > _MAX_BYTES:
            raise ValidationError(_("文件太大（超过64MB），请分成几个文件导入。"), "file")
        data = p.read_bytes()
    except FileNotFoundError:
        raise ValidationError(_("找不到文件：{path}").format(path=p), "file") from None
    except OSError as exc:
        raise ValidationError(_("无法读取文件：{reason}").format(reason=exc.strerror),
                              "file") from None
    sheet, cells = _read_csv(data) if suffix == ".csv" else _read_book(p)
    while cells and all(c in (None, "") for c in cells[-1]):
        cells.pop()
    if not cells:
        raise ValidationError(_("文件里没有数据。"), "file")
    at = _header_index(cells, known_headers())
    headers = tuple("" if c is None else str(c).strip() for c in cells[at])
    width = len(headers)
    rows = tuple((at + 2 + i, tuple(row[:width]) + (None,) * (width - len(row)))
                 for i, row in enumerate(cells[at + 1:])
                 if any(c not in (None, "") for c in row))
    return Table(p.name, sheet, headers, rows, hashlib.sha256(data).hexdigest())
