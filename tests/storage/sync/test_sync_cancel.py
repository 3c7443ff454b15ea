"""Issue 15: a dry run can be cancelled from its progress callback; cancelling changes nothing,
and a real import (whose commit must not be cut) ignores a request to stop."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from storage.errors import Cancelled
from storage.sync import importer
from tests.helpers.sync import (
    add_petition,
    export_to,
    snapshot,
    unlock,
)


def test_cancelling_a_dry_run_changes_nothing(pair, tmp_path: Path) -> None:
    t, c = pair
    rng = random.Random(5)
    for i in range(4):
        add_petition(t, rng, i + 1)
    stick = export_to(t, "2026-02", tmp_path, tmp_path / "outbox")
    key = unlock(c)
    before = snapshot(c, with_ledger=True)
    calls: list[tuple[int, int]] = []

    def stop(done: int, total: int) -> bool:
        calls.append((done, total))
        return False

    with pytest.raises(Cancelled):
        importer.import_bundles(c, [stick], key, dry_run=True, progress=stop)

    assert calls  # it was asked, and stopped at the first answer
    assert snapshot(c, with_ledger=True) == before
    # the register is usable afterwards and the bundle still imports in full
    reports = importer.import_bundles(c, [stick], key, progress=stop)
    assert [r.status for r in reports] == ["imported"]
    assert snapshot(c, with_ledger=True) != before
