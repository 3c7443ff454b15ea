"""Importing the rows a preview found good: one transaction for all of them, through the desk's
own write path (``petitions.register_historic``), so that every record has its audit entry and
the identity rules hold. If any row fails now (the register changed since the preview), nothing
is imported and the message names the row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from storage import petitions
from storage.errors import ValidationError
from storage.i18n import _
from storage.ledger.checking import PROGRESS_EVERY, Preview, RowCheck
from storage.ledger.columns import PROBLEM_HEADER
from storage.ledger.reading import Cell
from storage.register import Register


@dataclass(frozen=True)
class Outcome:
    imported: int
    already: int  # rows imported by an earlier import of the same ledger
    rejected: tuple[RowCheck, ...]
    matter_ids: tuple[str, ...]


def import_rows(reg: Register, preview: Preview,
                progress: Callable[[int, int], bool | None] | None = None) -> Outcome:
    """All good rows in one transaction. ``progress(rows written, rows)`` is only told: the
    import cannot be cancelled halfway (its answer is ignored)."""
    reg.require_role("clerk", "head")
    reg.require_writable()
    ids: list[str] = []
    with reg.transaction():
        for index, row in enumerate(preview.good):
            if progress is not None and index % PROGRESS_EVERY == 0:
                progress(index, len(preview.good))
            assert row.historic is not None
            try:
                ids.append(petitions.register_historic(reg, row.historic)["id"])
            except ValidationError as exc:
                raise ValidationError(_("第{line}行：{reason}（没有导入任何一行）").format(
                    line=row.line, reason=exc), exc.field) from None
    return Outcome(len(ids), len(preview.already), tuple(preview.bad), tuple(ids))


def rejected_table(preview: Preview) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    """The rows not imported, as the ledger had them, with a last column saying why: the clerk
    corrects them there and imports that file."""
    headers = tuple(h for h in preview.table.headers)
    if headers and headers[-1] == PROBLEM_HEADER:  # a corrected report imported again
        width = len(headers) - 1
        headers = headers[:width]
    else:
        width = len(headers)
    rows = [(*r.cells[:width], "；".join(r.problems)) for r in preview.bad]
    return (*headers, PROBLEM_HEADER), rows
