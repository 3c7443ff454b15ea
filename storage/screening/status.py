"""What the station sees of the screening: the grid × period completeness matrix (reported,
zero report, late, missing — a blank is never a zero), outstanding reports per liaison, the
clerk's reminder list, the dispute list with filters, and the home-screen alerts (high-risk
disputes, overdue resolutions)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from storage import station
from storage.i18n import N_, _, join_clauses, join_list
from storage.register import Register, Row
from storage.screening import rules
from storage.screening.periods import Period, periods_between, previous_period


class CellState(StrEnum):
    REPORTED = "reported"  # a report with disputes found or updated
    ZERO = "zero"  # an explicit zero report (零报告)
    MISSING = "missing"  # the due date has passed and nothing was reported
    DUE = "due"  # the period has started, the report is not late yet
    UPCOMING = "upcoming"  # the period has not started
    UNTRACKED = "untracked"  # before screening began for this grid

    @property
    def label(self) -> str:
        return _(CELL_LABELS[self])


CELL_LABELS = {
    CellState.REPORTED: N_("已报（有纠纷）"),
    CellState.ZERO: N_("零报告"),
    CellState.MISSING: N_("未报"),
    CellState.DUE: N_("待报"),
    CellState.UPCOMING: N_("未开始"),
    CellState.UNTRACKED: N_("未纳入"),
}
SHORT_LABELS = {
    CellState.REPORTED: N_("有纠纷"),
    CellState.ZERO: N_("零报告"),
    CellState.MISSING: N_("未报"),
    CellState.DUE: N_("待报"),
    CellState.UPCOMING: "",
    CellState.UNTRACKED: "—",
}
UNASSIGNED = N_("未指定联络员")


@dataclass(frozen=True)
class Cell:
    period: Period
    state: CellState
    late: bool = False
    report_id: str = ""
    reporter: str = ""
    reported_at: str = ""
    new_disputes: int = 0
    updates: int = 0

    @property
    def reported(self) -> bool:
        return self.state in (CellState.REPORTED, CellState.ZERO)

    @property
    def label(self) -> str:
        text = self.state.label
        return _("{state}（迟报）").format(state=text) if self.late else text

    @property
    def short_label(self) -> str:
        """For a matrix cell: "有纠纷", "零报告·迟", "未报"…"""
        text = _(SHORT_LABELS[self.state]) if SHORT_LABELS[self.state] else ""
        return _("{state}·迟").format(state=text) if self.late else text


@dataclass(frozen=True)
class MatrixRow:
    grid: station.Grid
    liaison: str
    cells: tuple[Cell, ...]

    @property
    def missing(self) -> int:
        return sum(c.state is CellState.MISSING for c in self.cells)

    @property
    def due(self) -> int:
        return sum(c.state is CellState.DUE for c in self.cells)

    @property
    def late(self) -> int:
        return sum(c.late for c in self.cells)


@dataclass(frozen=True)
class LiaisonLoad:
    """Outstanding reports of one liaison over the matrix's periods."""

    liaison: str
    grids: int
    missing: int
    due: int
    late: int

    @property
    def outstanding(self) -> int:
        return self.missing + self.due


@dataclass(frozen=True)
class Completeness:
    periods: tuple[Period, ...]
    rows: tuple[MatrixRow, ...]
    liaisons: tuple[LiaisonLoad, ...]

    def count(self, state: CellState) -> int:
        return sum(c.state is state for r in self.rows for c in r.cells)

    @property
    def late(self) -> int:
        return sum(r.late for r in self.rows)

    def cell(self, grid_id: str, period_key: str) -> Cell:
        for r in self.rows:
            if r.grid.id == grid_id:
                for c in r.cells:
                    if c.period.key == period_key:
                        return c
        raise KeyError((grid_id, period_key))


# ----- liaisons of grids ----------------------------------------------------------------------
def grid_liaisons(reg: Register, grids: Iterable[station.Grid]) -> dict[str, str]:
    """grid id -> the liaison's name: the assigned one, else the liaisons of the village."""
    users = reg.rows("SELECT id, display_name, role, village_ids FROM users"
                     " WHERE deleted = 0 AND active = 1")
    names = {u["id"]: u["display_name"] for u in users}
    by_village: dict[str, list[str]] = {}
    for u in users:
        if u["role"] == "liaison":
            for vid in json.loads(u["village_ids"] or "[]"):
                by_village.setdefault(vid, []).append(u["display_name"])
    out: dict[str, str] = {}
    for g in grids:
        if g.liaison_id and g.liaison_id in names:
            out[g.id] = names[g.liaison_id]
        else:
            out[g.id] = join_list(by_village.get(g.village_id, []))
    if reg.mode == "county":
        # The stations' accounts never travel to the county, but every report carries the
        # name of the person who filed it: the latest one stands for the grid's liaison.
        # One pass: with max(), SQLite takes the bare reporter_name from the row of the max.
        for r in reg.rows(
                "SELECT grid_id, reporter_name, max(reported_at) FROM screening_reports"
                " WHERE station_code = ? AND deleted = 0 AND reporter_name != ''"
                " GROUP BY grid_id", (reg.station_code,)):
            if r["grid_id"] in out and not out[r["grid_id"]]:
                out[r["grid_id"]] = r["reporter_name"]
    return out


# ----- the matrix -----------------------------------------------------------------------------
def default_periods(reg: Register, count: int = 8, last: Period | None = None) -> list[Period]:
    """The ``count`` periods up to and including ``last`` (default: the current one)."""
    p = last or rules.current_period(reg)
    out = [p]
    while len(out) < count:
        p = previous_period(p)
        out.append(p)
    return out[::-1]


def grid_starts(reg: Register, grids: list[station.Grid]) -> dict[str, date]:
    """From when each grid is expected to report: tracking start or the grid's creation, but
    never after its first report."""
    start = rules.tracking_start(reg)
    rows = {r["id"]: r for r in reg.rows(
        "SELECT g.id, g.created_at, (SELECT min(period_start) FROM screening_reports s"
        " WHERE s.grid_id = g.id AND s.deleted = 0) AS first FROM grids g WHERE g.deleted = 0")}
    out: dict[str, date] = {}
    for g in grids:
        r = rows.get(g.id)
        created = date.fromisoformat(str(r["created_at"])[:10]) if r else start
        day = max(start, created)
        if r and r["first"]:
            day = min(day, date.fromisoformat(r["first"]))
        out[g.id] = day
    return out


def report_cells(reg: Register, grid_ids: list[str],
                  periods: list[Period]) -> dict[tuple[str, str], Row]:
    if not grid_ids or not periods:
        return {}
    marks = ",".join("?" * len(periods))
    rows = reg.rows(
        "SELECT s.*, (SELECT count(*) FROM disputes d WHERE d.report_id = s.id AND d.deleted = 0)"
        " AS new_disputes, (SELECT count(*) FROM dispute_updates u WHERE u.report_id = s.id"
        " AND u.deleted = 0) AS updates FROM screening_reports s WHERE s.deleted = 0"
        f" AND s.period IN ({marks})", [p.key for p in periods])
    wanted = set(grid_ids)
    return {(r["grid_id"], r["period"]): r for r in rows if r["grid_id"] in wanted}


def cell_for(report: Row | None, period: Period, *, today: date, grace: int,
             grid_start: date) -> Cell:
    """The state of one grid in one period (the rule the matrix and the sheet share)."""
    if report is not None:
        late = str(report["reported_at"])[:10] > str(report["due_on"])
        return Cell(period, CellState.ZERO if report["is_zero"] else CellState.REPORTED, late,
                    report["id"], report["reporter_name"], report["reported_at"],
                    int(report.get("new_disputes") or 0), int(report.get("updates") or 0))
    if period.end < grid_start:
        return Cell(period, CellState.UNTRACKED)
    if period.start > today:
        return Cell(period, CellState.UPCOMING)
    if today > period.due(grace):
        return Cell(period, CellState.MISSING)
    return Cell(period, CellState.DUE)


def completeness(reg: Register, periods: list[Period] | None = None, *,
                 grid_ids: list[str] | None = None) -> Completeness:
    """Grid × period matrix over ``periods`` (default: the last 8, the current one included)."""
    periods = sorted(periods) if periods else default_periods(reg)
    grids = [g for g in station.grids(reg) if grid_ids is None or g.id in grid_ids]
    liaisons = grid_liaisons(reg, grids)
    starts = grid_starts(reg, grids)
    reports = report_cells(reg, [g.id for g in grids], periods)
    today, grace = rules.today(reg), rules.grace_days(reg)
    rows = []
    for g in grids:
        cells = tuple(cell_for(reports.get((g.id, p.key)), p, today=today, grace=grace,
                               grid_start=starts[g.id]) for p in periods)
        rows.append(MatrixRow(g, liaisons[g.id], cells))
    loads: dict[str, list[MatrixRow]] = {}
    for r in rows:
        loads.setdefault(r.liaison or _(UNASSIGNED), []).append(r)
    liaison_loads = tuple(sorted(
        (LiaisonLoad(name, len(rs), sum(r.missing for r in rs), sum(r.due for r in rs),
                     sum(r.late for r in rs)) for name, rs in loads.items()),
        key=lambda x: (-x.missing, -x.due, x.liaison)))
    return Completeness(tuple(periods), tuple(rows), liaison_loads)


# ----- reminders ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reminder:
    """A grid whose reports are outstanding: overdue ones, and the one due now."""

    grid: station.Grid
    liaison: str
    missing: tuple[Period, ...]
    due: Period | None
    due_on: date | None

    @property
    def text(self) -> str:
        parts = []
        if self.missing:
            parts.append(_("未报{n}期：{periods}").format(
                n=len(self.missing), periods=join_list(p.short_label for p in self.missing)))
        if self.due is not None and self.due_on is not None:
            parts.append(_("{period}应于{due}前报送").format(period=self.due.short_label,
                                                        due=self.due_on.isoformat()))
        return _("{village}{grid}（{liaison}）：{what}").format(
            village=self.grid.village_name, grid=self.grid.name,
            liaison=self.liaison or _(UNASSIGNED), what=_("；").join(parts))


def reminders(reg: Register, *, lookback: int = 8) -> list[Reminder]:
    """For the clerk: every grid with a missing report in the last ``lookback`` periods or a
    report due now, most overdue first."""
    grace = rules.grace_days(reg)
    out = []
    for row in completeness(reg, default_periods(reg, lookback)).rows:
        missing = tuple(c.period for c in row.cells if c.state is CellState.MISSING)
        due_cells = [c.period for c in row.cells if c.state is CellState.DUE]
        # Only a period that has ended is worth a reminder; the running one is not late yet.
        due = next((p for p in due_cells if p.end < rules.today(reg)), None)
        if missing or due:
            out.append(Reminder(row.grid, row.liaison, missing, due,
                                due.due(grace) if due else None))
    out.sort(key=lambda r: (-len(r.missing), r.missing[0].start if r.missing else date.max,
                            r.grid.village_name, r.grid.name))
    return out


# ----- disputes -------------------------------------------------------------------------------
def _with_place(reg: Register, rows: list[Row]) -> list[Row]:
    grids = {g.id: g for g in station.grids(reg)}
    today = rules.today(reg)
    for r in rows:
        g = grids.get(r["grid_id"])
        r["village_name"] = g.village_name if g else ""
        r["grid_name"] = g.name if g else ""
        r["overdue_days"] = overdue_days(r, today)
    return rows


def overdue_days(row: Row, today: date) -> int:
    """Days past the resolution deadline of a dispute still being worked on (0 if not)."""
    if row["status"] not in rules.ACTIVE_STATUSES or not row.get("deadline"):
        return 0
    return max(0, (today - date.fromisoformat(row["deadline"])).days)


def list_disputes(reg: Register, *, status: str | None = None, risk_level: str | None = None,
                  dispute_type: str | None = None, village_id: str | None = None,
                  grid_id: str | None = None, text: str = "", active_only: bool = False,
                  overdue_only: bool = False, month: str | None = None,
                  limit: int = 2000) -> list[Row]:
    """Disputes with their village and grid names, newest first; a liaison sees their grids."""
    sql = "SELECT * FROM disputes WHERE deleted = 0 AND station_code = ?"
    params: list[Any] = [reg.station_code]
    for column, value in (("status", status), ("risk_level", risk_level),
                          ("type", dispute_type), ("village_id", village_id),
                          ("grid_id", grid_id), ("found_month", month)):
        if value:
            sql += f" AND {column} = ?"
            params.append(value)
    if active_only or overdue_only:
        sql += " AND status IN (?, ?)"
        params += list(rules.ACTIVE_STATUSES)
    if overdue_only:
        sql += " AND deadline IS NOT NULL AND deadline < ?"
        params.append(rules.today(reg).isoformat())
    if text.strip():
        sql += " AND (parties LIKE ? OR summary LIKE ? OR place LIKE ? OR party_details LIKE ?)"
        like = f"%{text.strip()}%"
        params += [like] * 4
    if reg.actor.role == "liaison":
        mine = [g.id for g in rules.entry_grids(reg)]
        sql += f" AND grid_id IN ({','.join('?' * len(mine))})" if mine else " AND 0"
        params += mine
    sql += " ORDER BY found_on DESC, created_at DESC LIMIT ?"
    params.append(limit)
    return _with_place(reg, reg.rows(sql, params))


@dataclass(frozen=True)
class DisputeAlert:
    """One line for the home screen: a high-risk dispute and/or an overdue resolution."""

    dispute_id: str
    village: str
    grid: str
    dispute_type: str
    parties: str
    summary: str
    risk_level: str
    status: str
    deadline: str | None
    responsible_person: str
    high_risk: bool
    overdue_days: int

    @property
    def text(self) -> str:
        bits = []
        if self.high_risk:
            bits.append(_("{level}色风险").format(level=self.risk_level))
        if self.overdue_days:
            bits.append(_("超过化解时限{n}天").format(n=self.overdue_days))
        return _("{village}{grid} {type}纠纷（{parties}）：{why}").format(
            village=self.village, grid=self.grid, type=self.dispute_type,
            parties=self.parties, why=join_clauses(bits))


def home_alerts(reg: Register) -> list[DisputeAlert]:
    """Disputes still being worked on that are high-risk (the alert levels, default 红/橙) or
    past their resolution deadline; the most serious level first, then the most overdue."""
    levels = rules.alert_levels(reg)
    order = {level: i for i, level in enumerate(rules.risk_levels(reg))}
    today = rules.today(reg).isoformat()
    marks = ",".join("?" * len(levels)) or "''"
    rows = reg.rows(
        "SELECT * FROM disputes WHERE deleted = 0 AND station_code = ? AND status IN (?, ?)"
        f" AND (risk_level IN ({marks}) OR (deadline IS NOT NULL AND deadline < ?))",
        [reg.station_code, *rules.ACTIVE_STATUSES, *levels, today])
    alerts = [DisputeAlert(r["id"], r["village_name"], r["grid_name"], r["type"],
                           r["parties"], r["summary"], r["risk_level"], r["status"],
                           r["deadline"], r["responsible_person"], r["risk_level"] in levels,
                           r["overdue_days"]) for r in _with_place(reg, rows)]
    alerts.sort(key=lambda a: (not a.high_risk, order.get(a.risk_level, 99), -a.overdue_days,
                               a.village, a.grid))
    return alerts


def periods_span(reg: Register, first: date, last: date) -> list[Period]:
    return periods_between(rules.cadence(reg), first, last)
