"""Matters from the old 台账 travel to the county like any other record, marked as such, with
their original numbers and dates (docs/domain.md §3.8)."""

from __future__ import annotations

from pathlib import Path

from storage import ledger
from tests.helpers import ledger as lg
from tests.helpers.registers import FakeClock
from tests.helpers.sync import export_to, import_files, link, make_county, make_township, unlock


def test_imported_matters_reach_the_county_marked_as_from_the_ledger(clock: FakeClock,
                                                                     tmp_path: Path) -> None:
    c = make_county(clock)
    t = make_township(clock)
    link(t, c)
    small = lg.make(12, error_every=1000)
    for row in small.rows:  # this township has its own villages and codes
        row[9] = row[10] = ""
    table = ledger.read_table(lg.write_csv(small, tmp_path / "台账.csv"))
    assert ledger.import_rows(t, ledger.preview(t, table, ledger.resolve(table.headers))
                              ).imported == 12
    import_files(c, [export_to(t, "2026-02", tmp_path, tmp_path / "out")], unlock(c))
    got = c.rows("SELECT number, received_on, status, source, ledger_key FROM matters"
                 " WHERE station_code = ? ORDER BY number", (t.station_code,))
    assert [(g["number"], g["received_on"]) for g in got] == sorted(
        (str(r[1]), str(r[5])) for r in small.rows)
    assert {g["source"] for g in got} == {"ledger"} and all(g["ledger_key"] for g in got)
    assert {g["status"] for g in got} <= {"closed", "handling"}
