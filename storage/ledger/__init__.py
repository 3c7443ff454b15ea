"""A station's old 台账 brought into the register (docs/domain.md §3.8): read (.xlsx/.xls/.csv),
columns recognised or mapped (and the mapping remembered), every row checked in a preview with
its problems in plain words, the good rows imported in one transaction, the rest handed back as
a table to correct and import again. Importing the same ledger twice adds nothing."""

from __future__ import annotations

from storage.ledger.checking import DEFAULT_FORM, Preview, RowCheck, preview, row_key
from storage.ledger.columns import (
    BY_KEY,
    FIELDS,
    IGNORE,
    PROBLEM_HEADER,
    ColumnMap,
    Field,
    field_key,
    field_label,
    recognise,
    remember,
    remembered,
    resolve,
    signature,
    unrecognised,
)
from storage.ledger.importing import Outcome, import_rows, rejected_table
from storage.ledger.reading import SUFFIXES, Cell, Table, read_table

__all__ = [
    "BY_KEY",
    "DEFAULT_FORM",
    "FIELDS",
    "IGNORE",
    "PROBLEM_HEADER",
    "SUFFIXES",
    "Cell",
    "ColumnMap",
    "Field",
    "Outcome",
    "Preview",
    "RowCheck",
    "Table",
    "field_key",
    "field_label",
    "import_rows",
    "preview",
    "read_table",
    "recognise",
    "rejected_table",
    "remember",
    "remembered",
    "resolve",
    "row_key",
    "signature",
    "unrecognised",
]
