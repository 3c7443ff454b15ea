"""The data of the monthly dispute-screening sheet (矛盾纠纷排查表, docs/domain.md §5.4), ready to print.

Which disputes: every dispute first found in one of the month's periods (新排查), and every
earlier one still being worked on when the month began or updated during it (上期结转).

As of when: the sheet of an issued (locked) month shows each dispute as it stood when the sheet
was issued — later progress is walked back through the audit log — so a reprint is identical;
the sheet of an open month shows the current state.

Phones are returned in full; the printing layer masks them (``storage.masking``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from storage import codes, station
from storage.i18n import N_, _, join_clauses, join_list, pgettext
from storage.mediation import value_label
from storage.register import Register, Row
from storage.rowimage import ROW_KEY
from storage.screening import rules
from storage.screening.entry import may_cause_labels, parties_of
from storage.screening.periods import (
    Period,
    month_bounds,
    month_key,
    periods_of_month,
)
from storage.screening.status import (
    CellState,
    cell_for,
    grid_liaisons,
    grid_starts,
    report_cells,
)

SHEET_COLUMNS = (
    N_("序号"), N_("排查日期"), N_("村（社区）/网格"), N_("排查人"), N_("纠纷类型"),
    N_("当事人"), N_("涉及人数"), N_("简要情况"), N_("风险等级"), N_("可能引发"),
    N_("化解措施"), N_("责任单位"), N_("责任人"), N_("化解时限"), N_("化解状态"),
    N_("化解日期"), N_("化解方式"), N_("回访情况"), N_("备注"),
)


def sheet_column_titles() -> tuple[str, ...]:
    """The headers of ``SHEET_COLUMNS`` as printed on the sheet: nineteen narrow columns, so
    they have their own (short) translations in the context "排查表列名"."""
    return (
        pgettext("排查表列名", "序号"), pgettext("排查表列名", "排查日期"),
        pgettext("排查表列名", "村（社区）/网格"), pgettext("排查表列名", "排查人"),
        pgettext("排查表列名", "纠纷类型"), pgettext("排查表列名", "当事人"),
        pgettext("排查表列名", "涉及人数"), pgettext("排查表列名", "简要情况"),
        pgettext("排查表列名", "风险等级"), pgettext("排查表列名", "可能引发"),
        pgettext("排查表列名", "化解措施"), pgettext("排查表列名", "责任单位"),
        pgettext("排查表列名", "责任人"), pgettext("排查表列名", "化解时限"),
        pgettext("排查表列名", "化解状态"), pgettext("排查表列名", "化解日期"),
        pgettext("排查表列名", "化解方式"), pgettext("排查表列名", "回访情况"),
        pgettext("排查表列名", "备注"),
    )


@dataclass(frozen=True)
class SheetParty:
    name: str
    phone: str  # in full; mask when printing


@dataclass(frozen=True)
class SheetRow:
    seq: int  # 序号
    dispute_id: str
    screened_on: str  # 排查日期 (first found), ISO
    village: str
    grid: str
    screener: str  # 排查人/联络员
    dispute_type: str
    parties: tuple[SheetParty, ...]
    persons_involved: int
    summary: str  # 简要情况
    place: str
    risk_level: str
    may_cause: tuple[str, ...]  # of 集体访 / 越级访 / 民转刑
    measures: str
    responsible_unit: str
    responsible_person: str  # 责任人/包案领导
    deadline: str  # 化解时限, ISO or ""
    status: str  # 未化解 / 化解中 / 已化解 / 已移交
    transfer_to: str
    resolved_on: str  # 化解日期, ISO or ""
    resolution_way: str
    followup: str  # 回访情况
    remarks: str  # 备注 (composed: carried over, transfer, mediation / matter number, note)
    carried_over: bool
    overdue: bool
    mediation_number: str
    matter_number: str

    @property
    def place_label(self) -> str:
        return f"{self.village}/{self.grid}"

    def parties_text(self, mask_phone: Callable[[str], str] | None = None) -> str:
        """"张三（138****5678）、李四" — pass the printing policy's phone mask."""
        out = []
        for p in self.parties:
            phone = mask_phone(p.phone) if (mask_phone and p.phone) else p.phone
            out.append(_("{name}（{phone}）").format(name=p.name, phone=phone) if phone
                       else p.name)
        return join_list(out)

    def cells(self, mask_phone: Callable[[str], str] | None = None) -> tuple[str, ...]:
        """The row as text, in ``SHEET_COLUMNS`` order."""
        return (str(self.seq), self.screened_on, self.place_label, self.screener,
                self.dispute_type, self.parties_text(mask_phone), str(self.persons_involved),
                self.summary, self.risk_level, join_list(self.may_cause) or _("无"),
                self.measures, self.responsible_unit, self.responsible_person, self.deadline,
                rules.value_label(self.status), self.resolved_on, rules.value_label(self.resolution_way),
                self.followup, self.remarks)


@dataclass(frozen=True)
class SheetPeriod:
    key: str
    label: str
    short_label: str
    start: str
    end: str
    due: str


@dataclass(frozen=True)
class SheetCell:
    period_key: str
    short_label: str
    state: str  # CellState value: reported / zero / missing / due / upcoming / untracked
    state_label: str
    late: bool
    reporter: str
    reported_at: str
    new_disputes: int


@dataclass(frozen=True)
class SheetGrid:
    """A grid's reports in the month (the header and 零报告 tick boxes of §5.4)."""

    village: str
    grid: str
    grid_code: str
    liaison: str
    cells: tuple[SheetCell, ...]

    def _labels(self, state: CellState) -> tuple[str, ...]:
        return tuple(c.short_label for c in self.cells if c.state == state.value)

    @property
    def zero_periods(self) -> tuple[str, ...]:
        return self._labels(CellState.ZERO)

    @property
    def reported_periods(self) -> tuple[str, ...]:
        return self._labels(CellState.REPORTED)

    @property
    def missing_periods(self) -> tuple[str, ...]:
        return self._labels(CellState.MISSING)

    @property
    def late_periods(self) -> tuple[str, ...]:
        return tuple(c.short_label for c in self.cells if c.late)

    @property
    def all_zero(self) -> bool:
        """Every period of the month answered with a zero report (tick the 零报告 box). A
        period still to come or still due is not answered yet: while the month runs, its
        zero weeks are listed one by one instead (issue 15)."""
        counted = [c for c in self.cells if c.state != "untracked"]
        return bool(counted) and all(c.state == CellState.ZERO.value for c in counted)


@dataclass(frozen=True)
class ReportCounts:
    expected: int  # grid × period cells that were due
    reported: int  # reports with disputes
    zero: int  # zero reports
    late: int  # reports (of either kind) entered after the due date
    missing: int  # no report after the due date
    due: int  # not in yet, not late yet

    @property
    def on_time(self) -> int:
        return self.reported + self.zero - self.late


@dataclass(frozen=True)
class DisputeTotals:
    total: int
    new: int  # first found this month
    carried_over: int
    resolved_in_month: int  # resolved with a 化解日期 in the month
    active: int  # 未化解 + 化解中 on the sheet
    transferred: int
    overdue: int
    persons_involved: int
    may_collective: int
    may_skip_level: int
    may_criminal: int


@dataclass(frozen=True)
class ScreeningSheet:
    station_code: str
    station_name: str
    office_name: str
    year: int
    month: int
    cadence: str
    cadence_label: str
    periods: tuple[SheetPeriod, ...]
    rows: tuple[SheetRow, ...]
    by_type: tuple[tuple[str, int], ...]  # every dispute type, in code order, zeros included
    by_risk: tuple[tuple[str, int], ...]  # every risk level, most serious first
    by_status: tuple[tuple[str, int], ...]  # 未化解 / 化解中 / 已化解 / 已移交
    totals: DisputeTotals
    reports: ReportCounts
    grids: tuple[SheetGrid, ...]
    zero_report_grids: tuple[SheetGrid, ...]  # grids with at least one zero report
    missing_grids: tuple[SheetGrid, ...]  # grids that did not report in at least one period
    locked: bool
    issued_at: str | None
    issued_by: str
    as_of: str  # the moment the dispute states are shown at
    generated_at: str

    @property
    def month_key(self) -> str:
        return month_key(self.year, self.month)

    @property
    def title(self) -> str:
        return _("{year}年{month}月矛盾纠纷排查表").format(year=self.year, month=self.month)

    @property
    def columns(self) -> tuple[str, ...]:
        return sheet_column_titles()

    @property
    def span_label(self) -> str:
        if not self.periods:
            return ""
        return _("排查周期：{first}至{last}（{n}期）").format(
            first=self.periods[0].start, last=self.periods[-1].end, n=len(self.periods))


# ----- as of a moment -------------------------------------------------------------------------
def rows_as_of(reg: Register, table: str, rows: list[Row], at: str | None) -> list[Row]:
    """Each row as it stood at ``at`` (ISO timestamp), by walking back the audit log's later
    changes; rows created after ``at`` (or deleted before it) are dropped. ``None``: as is."""
    if at is None:
        return [r for r in rows if not r["deleted"]]
    out = []
    for row in rows:
        if str(row["updated_at"]) <= at:
            if not row["deleted"]:
                out.append(row)
            continue
        state: dict[str, Any] | None = dict(row)
        for entry in reg.rows("SELECT action, before FROM audit_log WHERE table_name = ?"
                              " AND record_id = ? AND at > ? ORDER BY seq DESC",
                              (table, row["id"], at)):
            if state is None:
                break
            if entry["action"] == "insert":
                state = None
            elif entry["action"] == "update":
                state.update(_values(entry["before"]))
            elif entry["action"] == "delete":
                state.update(_values(entry["before"]))
                state["deleted"] = 0
        if state is not None and not state["deleted"]:
            out.append(state)
    return out


def _values(before: str | None) -> dict[str, Any]:
    """An entry's values before, without the row image it also holds (storage/rowimage.py)."""
    values: dict[str, Any] = json.loads(before or "{}")
    values.pop(ROW_KEY, None)
    return values


# ----- building the sheet ---------------------------------------------------------------------
def _select_disputes(reg: Register, key: str, periods: list[Period],
                     as_of: str | None) -> list[tuple[Row, bool]]:
    """(dispute, carried_over) for the month, in the order they were found."""
    first = periods[0].start.isoformat() if periods else f"{key}-01"
    keys = [p.key for p in periods]
    marks = ",".join("?" * len(keys)) or "''"
    candidates = reg.rows(
        "SELECT * FROM disputes WHERE station_code = ? AND found_month <= ?"
        " ORDER BY found_on, created_at", (reg.station_code, key))
    updated = {r["dispute_id"] for r in reg.rows(
        f"SELECT DISTINCT dispute_id FROM dispute_updates WHERE deleted = 0 AND period IN ({marks})",
        keys)}
    out = []
    for d in rows_as_of(reg, "disputes", candidates, as_of):
        if d["found_month"] == key:
            out.append((d, False))
            continue
        closed_on = (d["resolved_on"] if d["status"] == rules.RESOLVED else
                     d["transferred_on"] if d["status"] == rules.TRANSFERRED else None)
        if d["id"] in updated or closed_on is None or closed_on >= first:
            out.append((d, True))
    return out


def _linked_numbers(reg: Register, table: str, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    try:
        rows = reg.rows(f"SELECT id, number FROM {table} WHERE id IN"
                        f" ({','.join('?' * len(ids))})", list(ids))
    except sqlite3.OperationalError:  # that module's tables are not in this register
        return {}
    return {r["id"]: r["number"] for r in rows}


def _mediation_followups(reg: Register, ids: set[str], as_of: str | None) -> dict[str, str]:
    """The latest follow-up visit (回访) of each linked mediation case, as one line."""
    if not ids:
        return {}
    try:
        rows = reg.rows(
            "SELECT mediation_id, visited_on, performance, satisfaction, created_at"
            " FROM mediation_followups WHERE deleted = 0 AND mediation_id IN"
            f" ({','.join('?' * len(ids))}) ORDER BY visited_on, created_at", list(ids))
    except sqlite3.OperationalError:
        return {}
    out: dict[str, str] = {}
    for r in rows:
        if as_of is None or str(r["created_at"]) <= as_of:
            bits = join_clauses(x for x in (r["performance"], value_label(r["satisfaction"]))
                                if x)
            out[r["mediation_id"]] = (
                _("{day}回访：{what}").format(day=r["visited_on"], what=bits) if bits
                else _("{day}回访").format(day=r["visited_on"]))
    return out


def _remarks(dispute: Row, carried: bool, mediation_no: str, matter_no: str) -> str:
    bits = []
    if carried:
        bits.append(_("上期结转"))
    if dispute["status"] == rules.TRANSFERRED and dispute["transfer_to"]:
        bits.append(_("移交{target}").format(target=dispute["transfer_to"]))
    if mediation_no:
        bits.append(_("转人民调解{number}").format(number=mediation_no))
    if matter_no:
        bits.append(_("登记为信访事项{number}").format(number=matter_no))
    if dispute["remarks"]:
        bits.append(dispute["remarks"])
    return _("；").join(bits)


def _sheet_rows(reg: Register, chosen: list[tuple[Row, bool]], as_of: str | None,
                today: date) -> list[SheetRow]:
    grids = {g.id: g for g in station.grids(reg)}
    mediations = _linked_numbers(reg, "mediations",
                                 {d["mediation_id"] for d, _c in chosen if d["mediation_id"]})
    matters = _linked_numbers(reg, "matters",
                              {d["matter_id"] for d, _c in chosen if d["matter_id"]})
    followups = _mediation_followups(reg, set(mediations), as_of)
    rows = []
    for i, (d, carried) in enumerate(chosen, start=1):
        g = grids.get(d["grid_id"])
        med_no = mediations.get(d["mediation_id"] or "", "")
        matter_no = matters.get(d["matter_id"] or "", "")
        overdue = bool(d["status"] in rules.ACTIVE_STATUSES and d["deadline"]
                       and d["deadline"] < today.isoformat())
        rows.append(SheetRow(
            seq=i, dispute_id=d["id"], screened_on=d["found_on"],
            village=g.village_name if g else "", grid=g.name if g else "",
            screener=d["screener"], dispute_type=d["type"],
            parties=tuple(SheetParty(p.name, p.phone) for p in parties_of(d)),
            persons_involved=int(d["persons_involved"]), summary=d["summary"], place=d["place"],
            risk_level=d["risk_level"], may_cause=tuple(may_cause_labels(d)),
            measures=d["measures"], responsible_unit=d["responsible_unit"],
            responsible_person=d["responsible_person"], deadline=d["deadline"] or "",
            status=d["status"], transfer_to=d["transfer_to"],
            resolved_on=d["resolved_on"] or "", resolution_way=d["resolution_way"],
            followup=d["followup"] or followups.get(d["mediation_id"] or "", ""),
            remarks=_remarks(d, carried, med_no, matter_no), carried_over=carried,
            overdue=overdue, mediation_number=med_no, matter_number=matter_no))
    return rows


def _counts(labels: list[str], values: list[str]) -> tuple[tuple[str, int], ...]:
    order = list(labels) + sorted({v for v in values if v not in labels})
    return tuple((label, values.count(label)) for label in order)


def _sheet_grids(reg: Register, periods: list[Period]) -> list[SheetGrid]:
    grids = station.grids(reg)
    liaisons = grid_liaisons(reg, grids)
    starts = grid_starts(reg, grids)
    reports = report_cells(reg, [g.id for g in grids], periods)
    today, grace = rules.today(reg), rules.grace_days(reg)
    out = []
    for g in grids:
        cells = []
        for p in periods:
            c = cell_for(reports.get((g.id, p.key)), p, today=today, grace=grace,
                         grid_start=starts[g.id])
            cells.append(SheetCell(p.key, p.short_label, c.state.value, c.label, c.late,
                                   c.reporter, c.reported_at, c.new_disputes))
        out.append(SheetGrid(g.village_name, g.name, g.code, liaisons[g.id], tuple(cells)))
    return out


def _report_counts(grids: list[SheetGrid]) -> ReportCounts:
    cells = [c for g in grids for c in g.cells]

    def n(state: CellState) -> int:
        return sum(c.state == state.value for c in cells)

    expected = sum(c.state not in (CellState.UNTRACKED.value, CellState.UPCOMING.value)
                   for c in cells)
    return ReportCounts(expected, n(CellState.REPORTED), n(CellState.ZERO),
                        sum(c.late for c in cells), n(CellState.MISSING), n(CellState.DUE))


def _totals(rows: list[SheetRow], year: int, month: int) -> DisputeTotals:
    first, last = (d.isoformat() for d in month_bounds(year, month))
    return DisputeTotals(
        total=len(rows), new=sum(not r.carried_over for r in rows),
        carried_over=sum(r.carried_over for r in rows),
        resolved_in_month=sum(r.status == rules.RESOLVED and first <= r.resolved_on <= last
                              for r in rows),
        active=sum(r.status in rules.ACTIVE_STATUSES for r in rows),
        transferred=sum(r.status == rules.TRANSFERRED for r in rows),
        overdue=sum(r.overdue for r in rows),
        persons_involved=sum(r.persons_involved for r in rows),
        may_collective=sum(_("集体访") in r.may_cause for r in rows),
        may_skip_level=sum(_("越级访") in r.may_cause for r in rows),
        may_criminal=sum(_("民转刑") in r.may_cause for r in rows))


def monthly_sheet(reg: Register, year: int, month: int) -> ScreeningSheet:
    """Everything the monthly 矛盾纠纷排查表 prints, for ``year``-``month``."""
    key = month_key(year, month)
    periods = periods_of_month(rules.cadence(reg), year, month)
    lock = rules.month_lock(reg, key)
    as_of = lock.issued_at if lock is not None and lock.locked else None
    st = station.station(reg)
    # Overdue as of the moment shown: the issue date for an issued month, else today.
    today = date.fromisoformat(as_of[:10]) if as_of else rules.today(reg)
    chosen = _select_disputes(reg, key, periods, as_of)
    rows = _sheet_rows(reg, chosen, as_of, today)
    grids = _sheet_grids(reg, periods)
    grace = rules.grace_days(reg)
    return ScreeningSheet(
        station_code=st.code, station_name=st.name, office_name=st.office_name,
        year=year, month=month, cadence=rules.cadence(reg),
        cadence_label=rules.cadence_label(rules.cadence(reg)),
        periods=tuple(SheetPeriod(p.key, p.label, p.short_label, p.start.isoformat(),
                                  p.end.isoformat(), p.due(grace).isoformat())
                      for p in periods),
        rows=tuple(rows),
        by_type=_counts(codes.labels(reg, "dispute_type"), [r.dispute_type for r in rows]),
        by_risk=_counts(rules.risk_levels(reg), [r.risk_level for r in rows]),
        by_status=_counts(list(rules.STATUSES), [r.status for r in rows]),
        totals=_totals(rows, year, month),
        reports=_report_counts(grids),
        grids=tuple(grids),
        zero_report_grids=tuple(g for g in grids if g.zero_periods),
        missing_grids=tuple(g for g in grids if g.missing_periods),
        locked=bool(lock and lock.locked), issued_at=lock.issued_at if lock else None,
        issued_by=lock.issued_by if lock else "", as_of=as_of or reg.now(),
        generated_at=reg.now())
