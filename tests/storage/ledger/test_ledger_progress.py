"""Issue 15: checking a ledger reports its progress and stops (changing nothing) when told;
importing reports its progress but, being one transaction, is not stopped halfway."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import ledger
from storage.errors import Cancelled
from storage.register import Register
from tests.helpers import ledger as lg


def test_checking_stops_when_told_and_importing_only_reports(reg: Register,
                                                             tmp_path: Path) -> None:
    small = lg.make(120)
    table = ledger.read_table(lg.write_xlsx(small, tmp_path / "台账.xlsx"))
    mapping = ledger.resolve(table.headers)
    changes = reg.conn.total_changes
    asked: list[tuple[int, int]] = []

    def stop(done: int, total: int) -> bool:
        asked.append((done, total))
        return False

    with pytest.raises(Cancelled):
        ledger.preview(reg, table, mapping, stop)
    assert asked == [(0, 120)] and reg.conn.total_changes == changes

    preview = ledger.preview(reg, table, mapping, lambda _d, _t: True)
    told: list[tuple[int, int]] = []
    outcome = ledger.import_rows(reg, preview, lambda d, t: told.append((d, t)) or False)
    assert outcome.imported == len(preview.good) > 0  # a False answer does not cut the transaction
    assert told and told[0] == (0, len(preview.good))
