"""排查上报完整率 of a period: of the grid × screening-period reports due in the months the
period touches, those received (zero reports included) — each township's own sheet rules
(storage.screening.monthly_sheet), at the county through the township's read-only view."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class ReportLine:
    """One grid × screening period behind 排查上报完整率 (the drill-down's row)."""

    station: str  # the township's short name at the county, else ""
    month: str  # YYYY-MM
    grid: str  # village and grid name
    period: str  # the screening period's short label
    state: str  # CellState value: reported / zero / missing / due
    state_label: str
    late: bool
    reporter: str
    reported_at: str


def report_lines(reg: Register, period: Period, stations: Sequence[str]) -> list[ReportLine]:
    """The grid reports the rate counts — the same sheets as ``completeness`` — missing ones
    first, then late, zero and reported; periods not due yet or untracked are left out."""
    from storage.sync import county

    short = county.short_names(reg) if len(stations) > 1 or stations[0] != reg.station_code \
        else {}
    lines: list[ReportLine] = []
    for code in stations:
        view = _view(reg, code)
        for y, m in period.months():
            for g in screening.monthly_sheet(view, y, m).grids:
                for c in g.cells:
                    if c.state in ("upcoming", "untracked"):
                        continue
                    lines.append(ReportLine(short.get(code, code) if short else "",
                                            f"{y}-{m:02d}", f"{g.village}{g.grid}",
                                            c.short_label, c.state, c.state_label, c.late,
                                            c.reporter, c.reported_at))
    order = {"missing": 0, "due": 1, "zero": 3, "reported": 3}
    return sorted(lines, key=lambda x: (order.get(x.state, 3) - (1 if x.late else 0),
                                        x.station, x.month, x.grid, x.period))
