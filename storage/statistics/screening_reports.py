"""排查上报完整率 of a period: of the grid × screening-period reports due in the months the
period touches, those received (zero reports included) — each township's own sheet rules
(storage.screening.monthly_sheet), at the county through the township's read-only view."""

from __future__ import annotations

from collections.abc import Sequence

from storage import screening
from storage.rates import Rate
from storage.register import Register
from storage.statistics.periods import Period


def _view(reg: Register, code: str) -> Register:
    if code == reg.station_code:
        return reg
    from storage.sync import county

    return county.township_view(reg, code)


def completeness(reg: Register, period: Period, stations: Sequence[str]) -> tuple[Rate, list[str]]:
    """The rate, and the grids (``station/grid name``) with a report missing."""
    received = expected = 0
    missing: list[str] = []
    for code in stations:
        view = _view(reg, code)
        for y, m in period.months():
            sheet = screening.monthly_sheet(view, y, m)
            counts = sheet.reports
            received += counts.reported + counts.zero
            expected += counts.expected
            missing.extend(f"{y}-{m:02d} {g.village}{g.grid}" for g in sheet.missing_grids)
    return Rate(received, expected), missing
