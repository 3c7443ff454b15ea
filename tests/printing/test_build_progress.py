"""Issue 15: a document reports its layout's progress, and a False answer stops the build with
:class:`Cancelled` — nothing written, the register untouched, the next build whole."""

from __future__ import annotations

import pytest

from printing import documents
from storage.errors import Cancelled
from storage.register import Register
from tests.helpers import register_data as rd
from tests.helpers.registers import FakeClock


def test_progress_is_reported_and_false_cancels(reg: Register, clock: FakeClock) -> None:
    rd.screening_month(reg, clock)
    seen: list[tuple[int, int]] = []

    def follow(done: int, total: int) -> bool:
        seen.append((done, total))
        return True

    whole = documents.build_document(reg, "screening-sheet", "2026-02", progress=follow)
    assert seen and all(0 <= d <= t for d, t in seen) and seen[-1][1] > 0
    changes = reg.conn.total_changes

    with pytest.raises(Cancelled):
        documents.build_document(reg, "screening-sheet", "2026-02",
                                 progress=lambda _d, _t: False)

    assert reg.conn.total_changes == changes
    # the hook does not linger after a cancel: the next build (no progress) is the same PDF
    again = documents.build_document(reg, "screening-sheet", "2026-02")
    assert len(again.data) > 0 and again.filename == whole.filename
