"""The assessment at the county, over townships imported from their bundles: each township's
figures equal the ones it computes on itself, the total pools them, and a township whose
bundle for a month of the period has not arrived is named plainly."""

from __future__ import annotations

from datetime import datetime

from storage import statistics
from tests.helpers.county import HUAYUAN, SHIQIAO, County, copy_of
from tests.helpers.registers import FakeClock

MARCH = statistics.parse("2026-03")


def test_township_figures_at_the_county_equal_their_own(two_townships: County,
                                                        clock: FakeClock) -> None:
    c = copy_of(two_townships, clock)
    a = statistics.assess(c.county, MARCH)
    assert [(r.code, r.values["total"]) for r in a.rows] == [(HUAYUAN, 2), (SHIQIAO, 1)]
    for row in a.rows:
        own = statistics.compute(c.townships[row.code], MARCH)
        assert (row.figures.counts, row.figures.rates) == (own.counts, own.rates)
    assert a.total.values["total"] == 3
    # screening read through each township's view: what its own monthly sheet says
    hy = a.rows[0].figures.rates["screening_completeness"]
    assert hy == statistics.compute(c.townships[HUAYUAN], MARCH).rates["screening_completeness"]
    assert a.total.figures.rates["screening_completeness"] == (
        a.rows[0].figures.rates["screening_completeness"]
        + a.rows[1].figures.rates["screening_completeness"])
    assert a.missing == []  # February's bundles are in; March is not over yet


def test_missing_bundles_are_named(two_townships: County, clock: FakeClock) -> None:
    clock.now = datetime(2026, 4, 15, 9, 0)
    c = copy_of(two_townships, clock)
    a = statistics.assess(c.county, statistics.parse("2026-Q1"), with_screening=False)
    assert [(m.name, m.months) for m in a.missing] == [
        (r.name, ["2026-03"]) for r in a.rows]
    assert a.missing[0].text() == f"{a.rows[0].name}：缺2026-03的数据包"
