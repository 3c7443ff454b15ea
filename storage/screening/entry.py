"""Entering a grid's screening: the report of a period (a zero report, or the disputes found),
new disputes, and the later periods' updates of a dispute that lives across weeks.

Rules kept here, each refused with a plain message and nothing saved:

* one live report per grid and period (a UNIQUE index backs it). A second zero report, or a zero
  report after disputes, is refused; a new dispute in a zero-reported period is refused unless the
  caller confirms turning the zero report into a report with disputes (``replace_zero``);
* a dispute is entered once: a new entry that looks like an open dispute of the same grid (same
  type, a party in common) is refused — update that one instead — unless ``allow_similar``;
* later periods *update* the dispute (one ``dispute_updates`` row per dispute and period, merged
  if the same period is updated twice); the dispute is never entered again;
* liaisons only for their own grids; nothing dated in a locked month changes.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from storage import codes, station
from storage.errors import NotFound, TransitionError, ValidationError
from storage.i18n import N_, _
from storage.register import Register, Row
from storage.screening import rules
from storage.screening.periods import Period, parse_period
from storage.validation import check_text, normalize_phone
from storage.voiding import (
    HeadConfirmation,
    confirming_head,
    confirming_head_to_undo,
    require_voided,
    required_reason,
    unvoid_values,
    void_values,
)

LIMITS = {"name": 20, "place": 100, "summary": 300, "measures": 500, "unit": 40,
          "person": 20, "transfer_to": 60, "followup": 200, "remarks": 200, "note": 300,
          "reason": 200}
MAX_PARTIES = 20
MAX_PERSONS = 99999


@dataclass
class PartyInput:
    name: str
    phone: str = ""


@dataclass
class DisputeInput:
    """A dispute as first found (or as corrected with ``edit_dispute``)."""

    type: str
    parties: list[PartyInput]
    summary: str
    risk_level: str
    persons_involved: int = 2
    place: str = ""
    may_collective: bool = False
    may_skip_level: bool = False
    may_criminal: bool = False
    measures: str = ""
    responsible_unit: str = ""
    responsible_person: str = ""
    deadline: date | None = None
    status: str = rules.OPEN
    transfer_to: str = ""
    resolved_on: date | None = None
    resolution_way: str = ""
    followup: str = ""
    remarks: str = ""
    found_on: date | None = None  # default: the report's screening date


@dataclass
class DisputeProgress:
    """What a later period says about a dispute; ``None`` leaves a field as it is."""

    note: str = ""
    status: str | None = None
    risk_level: str | None = None
    measures: str | None = None
    responsible_unit: str | None = None
    responsible_person: str | None = None
    deadline: date | None = None
    transfer_to: str | None = None
    resolved_on: date | None = None
    resolution_way: str | None = None
    followup: str | None = None
    persons_involved: int | None = None
    may_collective: bool | None = None
    may_skip_level: bool | None = None
    may_criminal: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Party:
    name: str
    phone: str


# ----- reading --------------------------------------------------------------------------------
def find_report(reg: Register, grid_id: str, period_key: str) -> Row | None:
    rows = reg.rows("SELECT * FROM screening_reports WHERE grid_id = ? AND period = ?"
                    " AND deleted = 0", (grid_id, period_key))
    return rows[0] if rows else None


def find_voided_report(reg: Register, grid_id: str, period_key: str) -> Row | None:
    """The grid's latest voided report of the period (what 撤销作废 would bring back), or None."""
    rows = reg.rows("SELECT * FROM screening_reports WHERE grid_id = ? AND period = ?"
                    " AND deleted = 1 AND voided = 1 ORDER BY updated_at DESC LIMIT 1",
                    (grid_id, period_key))
    return rows[0] if rows else None


def dispute(reg: Register, dispute_id: str) -> Row:
    return reg.get("disputes", dispute_id)


def parties_text(names: list[str]) -> str:
    """"张三与李四、王五": the first party against the others (how mediation reads sides)."""
    if len(names) < 2:
        return "".join(names)
    return names[0] + "与" + "、".join(names[1:])


_PARTY_SPLIT = re.compile(r"[；;，,、\n]+")
_PARTY_RE = re.compile(r"^(?P<name>[^\d\s（(]+?)\s*[（(]?(?P<phone>[\d\-+ ]*(?:转\d+)?)[）)]?$")


def parse_parties_text(text: str) -> list[PartyInput]:
    """One line as typed at the desk: "张三 13812345678；李四、王五（0512-6512345）" — names
    separated by ；，、 each optionally followed by a phone. The phones are checked on saving."""
    out = []
    for chunk in _PARTY_SPLIT.split(text.strip()):
        chunk = chunk.strip()
        if not chunk:
            continue
        m = _PARTY_RE.match(chunk)
        if m is None:
            raise ValidationError(_("看不懂当事人“{text}”：请写成“姓名 电话”，多人用；隔开。")
                                  .format(text=chunk), "parties")
        out.append(PartyInput(m.group("name").strip(), m.group("phone").strip()))
    return out


def format_parties(parties: list[Party]) -> str:
    """The inverse of ``parse_parties_text`` (for editing a dispute)."""
    return "；".join(f"{p.name} {p.phone}".strip() for p in parties)


def parties_of(row: Row) -> list[Party]:
    try:
        data = json.loads(row.get("party_details") or "[]")
    except ValueError:
        data = []
    if not data:
        text = str(row.get("parties", "")).replace("与", "、")
        return [Party(n, "") for n in text.split("、") if n]
    return [Party(str(p.get("name", "")), str(p.get("phone", ""))) for p in data]


def may_cause_labels(row: Row) -> list[str]:
    return [_(label) for col, label in rules.MAY_CAUSE if row.get(col)]


def report_disputes(reg: Register, report_id: str) -> list[Row]:
    """Disputes first found in this report."""
    return reg.rows("SELECT * FROM disputes WHERE report_id = ? AND deleted = 0"
                    " ORDER BY found_on, created_at", (report_id,))


def report_updates(reg: Register, report_id: str) -> list[Row]:
    return reg.rows("SELECT * FROM dispute_updates WHERE report_id = ? AND deleted = 0"
                    " ORDER BY created_at", (report_id,))


def dispute_history(reg: Register, dispute_id: str) -> list[Row]:
    return reg.rows("SELECT * FROM dispute_updates WHERE dispute_id = ? AND deleted = 0"
                    " ORDER BY period, created_at", (dispute_id,))


def carried_disputes(reg: Register, grid_id: str, period: Period) -> list[Row]:
    """Disputes of the grid found before ``period`` that were still being worked on, plus any
    already updated in it: what the liaison reports progress on."""
    return reg.rows(
        "SELECT * FROM disputes d WHERE d.grid_id = ? AND d.deleted = 0 AND d.found_on < ?"
        " AND (d.status IN (?, ?) OR EXISTS (SELECT 1 FROM dispute_updates u"
        "      WHERE u.dispute_id = d.id AND u.period = ? AND u.deleted = 0))"
        " ORDER BY d.found_on, d.created_at",
        (grid_id, period.start.isoformat(), rules.OPEN, rules.IN_PROGRESS, period.key))


def similar_open_disputes(reg: Register, grid_id: str, type_: str,
                          names: list[str]) -> list[Row]:
    """Open disputes of the same grid and type with a party in common."""
    wanted = {n.strip() for n in names if n.strip()}
    out = []
    for row in reg.rows("SELECT * FROM disputes WHERE grid_id = ? AND type = ? AND deleted = 0"
                        " AND status IN (?, ?)", (grid_id, type_, rules.OPEN, rules.IN_PROGRESS)):
        if wanted & {p.name for p in parties_of(row)}:
            out.append(row)
    return out


# ----- checking -------------------------------------------------------------------------------
def _period(reg: Register, period_key: str | None) -> Period:
    period = rules.current_period(reg) if period_key is None else parse_period(period_key)
    if period.cadence != rules.cadence(reg):
        raise ValidationError(_("本站的排查周期是“{cadence}”，不能按其他周期填报。").format(
            cadence=rules.cadence_label(rules.cadence(reg))), "period")
    if period.start > rules.today(reg):
        raise ValidationError(_("{period}还没有开始，不能提前填报。").format(
            period=period.label), "period")
    return period


def _screened_on(reg: Register, period: Period, screened_on: date | None) -> date:
    day = screened_on or min(rules.today(reg), period.end)
    if not period.contains(day):
        raise ValidationError(_("排查日期应在{period}之内。").format(period=period.label),
                              "screened_on")
    if day > rules.today(reg):
        raise ValidationError(_("排查日期不能晚于今天。"), "screened_on")
    return day


def _reporter(reg: Register, grid: station.Grid, reporter: str | None) -> tuple[str, str]:
    """(user id, name) of the person who screened: a liaison is always themselves; the clerk
    entering a paper report names the liaison (default: the grid's liaison)."""
    if reg.actor.role == "liaison":
        return reg.actor.user_id, reg.actor.display_name
    if reporter and reporter.strip():
        name = check_text(reporter, field="reporter", label=_("排查人"), max_len=LIMITS["name"])
        uid = reg.scalar("SELECT id FROM users WHERE display_name = ? AND deleted = 0", (name,))
        return str(uid or ""), name
    for user_id, name in grid_liaison_users(reg, grid):
        return user_id, name
    return reg.actor.user_id, reg.actor.display_name


def grid_liaison_users(reg: Register, grid: station.Grid) -> list[tuple[str, str]]:
    """(id, name) of the grid's liaison: the one assigned to it, else those of its village."""
    users = reg.rows("SELECT id, display_name, role, village_ids FROM users"
                     " WHERE deleted = 0 AND active = 1 ORDER BY username")
    assigned = [(u["id"], u["display_name"]) for u in users if u["id"] == grid.liaison_id]
    return assigned or [(u["id"], u["display_name"]) for u in users
                        if u["role"] == "liaison" and grid.village_id in json.loads(u["village_ids"])]


def _text(value: str, key: str, label: str, *, required: bool = False, limit: str = "") -> str:
    return check_text(value, field=key, label=label, max_len=LIMITS[limit or key],
                      required=required)


def _parties(parties: list[PartyInput]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for i, p in enumerate(parties):
        if not p.name.strip() and not p.phone.strip():
            continue
        name = check_text(p.name, field=f"parties.{i}.name", label=_("当事人姓名"),
                          max_len=LIMITS["name"], required=True)
        phone = ""
        if p.phone.strip():
            try:
                phone = normalize_phone(p.phone, field=f"parties.{i}.phone").number
            except ValidationError as exc:
                raise ValidationError(str(exc), f"parties.{i}.phone") from None
        out.append({"name": name, "phone": phone})
    if not out:
        raise ValidationError(_("请至少填写一名当事人。"), "parties.0.name")
    if len(out) > MAX_PARTIES:
        raise ValidationError(_("当事人最多填写{n}名，其余请写在简要情况里。").format(
            n=MAX_PARTIES), "parties")
    names = [p["name"] for p in out]
    if len(set(names)) != len(names):
        raise ValidationError(_("同一当事人填写了两次。"), "parties")
    return out


def _check_state(reg: Register, state: dict[str, Any], *, on: date) -> None:
    """Rules that hold for a dispute's whole state, after any change."""
    status = state["status"]
    if status not in rules.STATUSES:
        raise ValidationError(_("化解状态只能是未化解、化解中、已化解或已移交。"), "status")
    found = date.fromisoformat(state["found_on"])
    if state.get("deadline") and state["deadline"] < state["found_on"]:
        raise ValidationError(_("化解时限不能早于排查日期。"), "deadline")
    if status == rules.RESOLVED:
        if not state.get("resolved_on"):
            raise ValidationError(_("已化解的纠纷请填写化解日期。"), "resolved_on")
        resolved = date.fromisoformat(state["resolved_on"])
        if resolved > on or resolved < found:
            raise ValidationError(_("化解日期应在排查日期（{found}）和今天之间。").format(
                found=found.isoformat()), "resolved_on")
        if state.get("resolution_way") not in rules.RESOLUTION_WAYS:
            raise ValidationError(_("请选择化解方式：人民调解、行政调解、司法或其他。"),
                                  "resolution_way")
    if status == rules.TRANSFERRED and not state.get("transfer_to"):
        raise ValidationError(_("已移交的纠纷请填写移交单位。"), "transfer_to")
    if status in rules.ACTIVE_STATUSES and state["risk_level"] in rules.alert_levels(reg):
        if not state.get("responsible_person"):
            raise ValidationError(_("{level}色风险的纠纷必须落实责任人（包案领导）。").format(
                level=state["risk_level"]), "responsible_person")
        if not state.get("deadline"):
            raise ValidationError(_("{level}色风险的纠纷必须确定化解时限。").format(
                level=state["risk_level"]), "deadline")


def _normalise_closing(state: dict[str, Any], on: date) -> None:
    """Keep the outcome columns consistent with the status."""
    if state["status"] != rules.RESOLVED:
        state["resolved_on"] = None
        state["resolution_way"] = ""
    if state["status"] == rules.TRANSFERRED:
        state["transferred_on"] = state.get("transferred_on") or on.isoformat()
    else:
        state["transferred_on"] = None
        state["transfer_to"] = ""


def _facts(reg: Register, inp: DisputeInput, *, current_type: str = "",
           current_risk: str = "") -> dict[str, Any]:
    types = codes.labels(reg, "dispute_type")
    if inp.type not in types and inp.type != current_type:
        raise ValidationError(_("请选择纠纷类型。"), "type")
    levels = rules.risk_levels(reg)
    if inp.risk_level not in levels and inp.risk_level != current_risk:
        raise ValidationError(_("请选择风险等级。"), "risk_level")
    parties = _parties(inp.parties)
    if not len(parties) <= inp.persons_involved <= MAX_PERSONS:
        raise ValidationError(_("涉及人数不能少于当事人人数（{n}人）。").format(n=len(parties)),
                              "persons_involved")
    return dict(
        type=inp.type, parties=parties_text([p["name"] for p in parties]),
        party_details=json.dumps(parties, ensure_ascii=False),
        persons_involved=inp.persons_involved,
        place=_text(inp.place, "place", _("发生地点")),
        summary=_text(inp.summary, "summary", _("简要情况"), required=True),
        risk_level=inp.risk_level,
        may_collective=int(inp.may_collective), may_skip_level=int(inp.may_skip_level),
        may_criminal=int(inp.may_criminal),
        measures=_text(inp.measures, "measures", _("化解措施")),
        responsible_unit=_text(inp.responsible_unit, "responsible_unit", _("责任单位"),
                               limit="unit"),
        responsible_person=_text(inp.responsible_person, "responsible_person",
                                 _("责任人（包案领导）"), limit="person"),
        deadline=inp.deadline.isoformat() if inp.deadline else None,
        followup=_text(inp.followup, "followup", _("回访情况")),
        remarks=_text(inp.remarks, "remarks", _("备注")),
    )


# ----- writing --------------------------------------------------------------------------------
def _duplicate_message(reg: Register, grid: station.Grid, period: Period, existing: Row) -> str:
    when = str(existing["reported_at"])[:16].replace("T", " ")
    if existing["is_zero"]:
        return _("{village}{grid}的{period}已于{when}由{who}报过零报告，不能重复填报。").format(
            village=grid.village_name, grid=grid.name, period=period.label, when=when,
            who=existing["reporter_name"])
    n = reg.scalar("SELECT count(*) FROM disputes WHERE report_id = ? AND deleted = 0",
                   (existing["id"],))
    return _("{village}{grid}的{period}已于{when}由{who}报告（发现纠纷{n}件），"
             "不能再报零报告。如有新情况，请在该报告中登记或更新纠纷。").format(
        village=grid.village_name, grid=grid.name, period=period.label, when=when,
        who=existing["reporter_name"], n=n)


def _insert_report(reg: Register, grid: station.Grid, period: Period, *, is_zero: bool,
                   screened_on: date, reporter: str | None, note: str) -> Row:
    uid, name = _reporter(reg, grid, reporter)
    try:
        return reg.insert("screening_reports", dict(
            grid_id=grid.id, village_id=grid.village_id, period=period.key, cadence=period.cadence,
            period_start=period.start.isoformat(), period_end=period.end.isoformat(),
            month=period.month, due_on=period.due(rules.grace_days(reg)).isoformat(),
            is_zero=int(is_zero), screened_on=screened_on.isoformat(), reported_at=reg.now(),
            reporter_id=uid, reporter_name=name, note=note))
    except sqlite3.IntegrityError:
        # Someone else (another desk, a bundle) saved this grid's report a moment ago.
        existing = find_report(reg, grid.id, period.key)
        if existing is None:
            raise
        raise ValidationError(_duplicate_message(reg, grid, period, existing), "period") from None


def report_zero(reg: Register, grid_id: str, period_key: str | None = None, *,
                screened_on: date | None = None, reporter: str | None = None,
                note: str = "") -> Row:
    """零报告: the grid was screened in the period and no new dispute was found."""
    g = rules.require_grid(reg, grid_id)
    period = _period(reg, period_key)
    rules.require_open_month(reg, period.month)
    day = _screened_on(reg, period, screened_on)
    note = _text(note, "note", _("说明"))
    existing = find_report(reg, g.id, period.key)
    if existing is not None:
        raise ValidationError(_duplicate_message(reg, g, period, existing), "period")
    with reg.transaction():
        return _insert_report(reg, g, period, is_zero=True, screened_on=day, reporter=reporter,
                              note=note)


def _report_for_disputes(reg: Register, grid: station.Grid, period: Period, *, screened_on: date,
                         reporter: str | None, replace_zero: bool) -> Row:
    """The period's report, created if needed; a zero report is turned into a report with
    disputes only when the caller confirmed it."""
    existing = find_report(reg, grid.id, period.key)
    if existing is None:
        return _insert_report(reg, grid, period, is_zero=False, screened_on=screened_on,
                              reporter=reporter, note="")
    if existing["is_zero"]:
        if not replace_zero:
            raise ValidationError(_(
                "{village}{grid}的{period}已报零报告。如确实发现了纠纷，请确认把零报告改为"
                "有纠纷的报告。").format(village=grid.village_name, grid=grid.name,
                                         period=period.label), "replace_zero")
        return reg.update("screening_reports", existing["id"], {"is_zero": 0})
    return existing


def add_dispute(reg: Register, grid_id: str, period_key: str | None, inp: DisputeInput, *,
                screened_on: date | None = None, reporter: str | None = None,
                replace_zero: bool = False, allow_similar: bool = False) -> Row:
    """Record a dispute found in the grid's screening of the period (creating the report)."""
    g = rules.require_grid(reg, grid_id)
    period = _period(reg, period_key)
    rules.require_open_month(reg, period.month)
    found = _screened_on(reg, period, inp.found_on or screened_on)
    values = _facts(reg, inp)
    values.update(status=inp.status, transfer_to=_text(inp.transfer_to, "transfer_to",
                                                       _("移交单位")),
                  resolved_on=inp.resolved_on.isoformat() if inp.resolved_on else None,
                  resolution_way=inp.resolution_way, found_on=found.isoformat())
    _normalise_closing(values, found)
    _check_state(reg, values, on=rules.today(reg))
    if not allow_similar:
        similar = similar_open_disputes(reg, g.id, inp.type,
                                        [p.name for p in inp.parties])
        if similar:
            s = similar[0]
            raise ValidationError(_(
                "{grid}已有一件未了结的{type}纠纷（当事人：{parties}，{found}首次排查）。"
                "同一纠纷请在本期更新它的进展，不要重复登记。").format(
                grid=g.name, type=s["type"], parties=s["parties"], found=s["found_on"]),
                "duplicate")
    with reg.transaction():
        report = _report_for_disputes(reg, g, period, screened_on=found, reporter=reporter,
                                      replace_zero=replace_zero)
        return reg.insert("disputes", dict(
            values, grid_id=g.id, village_id=g.village_id, report_id=report["id"],
            found_period=period.key, found_month=period.month,
            screener=report["reporter_name"], mediation_id=None, matter_id=None))


_PROGRESS_TEXT = {"measures": (N_("化解措施"), "measures"),
                  "responsible_unit": (N_("责任单位"), "unit"),
                  "responsible_person": (N_("责任人（包案领导）"), "person"),
                  "transfer_to": (N_("移交单位"), "transfer_to"),
                  "followup": (N_("回访情况"), "followup")}


def _progress_changes(reg: Register, dispute: Row, progress: DisputeProgress) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if progress.status is not None:
        changes["status"] = progress.status
    if progress.risk_level is not None:
        if progress.risk_level not in rules.risk_levels(reg) and progress.risk_level != dispute["risk_level"]:
            raise ValidationError(_("请选择风险等级。"), "risk_level")
        changes["risk_level"] = progress.risk_level
    for key, (label, limit) in _PROGRESS_TEXT.items():
        value = getattr(progress, key)
        if value is not None:
            changes[key] = _text(value, key, _(label), limit=limit)
    if progress.deadline is not None:
        changes["deadline"] = progress.deadline.isoformat()
    if progress.resolved_on is not None:
        changes["resolved_on"] = progress.resolved_on.isoformat()
    if progress.resolution_way is not None:
        changes["resolution_way"] = progress.resolution_way
    if progress.persons_involved is not None:
        if not 1 <= progress.persons_involved <= MAX_PERSONS:
            raise ValidationError(_("涉及人数不正确。"), "persons_involved")
        changes["persons_involved"] = progress.persons_involved
    for key, _label in rules.MAY_CAUSE:
        value = getattr(progress, key)
        if value is not None:
            changes[key] = int(value)
    changes.update(progress.extra)
    return changes


def apply_progress(reg: Register, dispute: Row, progress: DisputeProgress, *, period: Period,
                   report_id: str | None) -> Row:
    """Apply ``progress`` to dispute ``d`` and record it in the period's update row (merged
    with an earlier update of the same period). Inside the caller's transaction; the caller
    has checked permission and the month lock."""
    on = min(rules.today(reg), period.end)
    note = _text(progress.note, "note", _("本期进展"))
    changes = _progress_changes(reg, dispute, progress)
    state = {k: dispute[k] for k in dispute}
    state.update(changes)
    if state["status"] == rules.RESOLVED and not state.get("resolved_on"):
        state["resolved_on"] = on.isoformat()
    if state["status"] == rules.TRANSFERRED and dispute["status"] != rules.TRANSFERRED:
        state["transferred_on"] = on.isoformat()
    _normalise_closing(state, on)
    _check_state(reg, state, on=rules.today(reg))
    diff = {k: v for k, v in state.items() if dispute.get(k) != v}
    if not diff and not note:
        raise ValidationError(_("没有填写任何进展或变化。"), "note")
    record_update(reg, dispute, diff, note=note, period=period, report_id=report_id, on=on)
    return reg.update("disputes", dispute["id"], diff) if diff else dispute


def record_update(reg: Register, before: Row, diff: dict[str, Any], *, note: str,
                  period: Period, report_id: str | None, on: date) -> None:
    """Write the period's history row of a dispute: the fields that changed (before, after)
    and the note, merged into an earlier row of the same period if there is one."""
    status = diff.get("status", before["status"])
    existing = reg.rows("SELECT * FROM dispute_updates WHERE dispute_id = ? AND period = ?"
                        " AND deleted = 0", (before["id"], period.key))
    if existing:
        u = existing[0]
        merged = json.loads(u["changes"])
        for k, v in diff.items():
            merged[k] = [merged[k][0] if k in merged else before.get(k), v]
        merged = {k: v for k, v in merged.items() if v[0] != v[1]}
        reg.update("dispute_updates", u["id"], dict(
            changes=json.dumps(merged, ensure_ascii=False), status=status,
            note="\n".join(x for x in (u["note"], note) if x), updated_on=on.isoformat(),
            report_id=u["report_id"] or report_id, by_name=reg.actor.display_name))
    else:
        reg.insert("dispute_updates", dict(
            dispute_id=before["id"], report_id=report_id, period=period.key,
            month=period.month, updated_on=on.isoformat(), by_name=reg.actor.display_name,
            status=status, note=note,
            changes=json.dumps({k: [before.get(k), v] for k, v in diff.items()},
                               ensure_ascii=False)))


def update_dispute(reg: Register, dispute_id: str, progress: DisputeProgress, *,
                   period_key: str | None = None, in_report: bool = True,
                   screened_on: date | None = None, reporter: str | None = None) -> Row:
    """A later period's word on a dispute: status, measures, risk, resolution… ``in_report``:
    part of the grid's report for the period (the report is created if missing, so the period
    counts as reported); otherwise a change the station recorded itself."""
    d = dispute(reg, dispute_id)
    g = rules.require_grid(reg, d["grid_id"])
    period = _period(reg, period_key)
    if period.end < date.fromisoformat(d["found_on"]):
        raise ValidationError(_("这件纠纷是{found}才排查发现的，不能在更早的周期里更新。")
                              .format(found=d["found_on"]), "period")
    rules.require_open_month(reg, period.month)
    with reg.transaction():
        report_id = None
        if in_report:
            report = find_report(reg, g.id, period.key)
            if report is None:
                day = _screened_on(reg, period, screened_on)
                report = _insert_report(reg, g, period, is_zero=False, screened_on=day,
                                        reporter=reporter, note="")
            report_id = report["id"]
        return apply_progress(reg, d, progress, period=period, report_id=report_id)


def edit_dispute(reg: Register, dispute_id: str, inp: DisputeInput) -> Row:
    """Correct what was entered when the dispute was found (its status and outcome change
    only through ``update_dispute``). Refused once the month it was found in is locked."""
    d = dispute(reg, dispute_id)
    rules.require_grid(reg, d["grid_id"])
    rules.require_open_month(reg, d["found_month"])
    values = _facts(reg, inp, current_type=d["type"], current_risk=d["risk_level"])
    if inp.found_on is not None:
        period = parse_period(d["found_period"])
        if not period.contains(inp.found_on) or inp.found_on > rules.today(reg):
            raise ValidationError(_("排查日期应在{period}之内。").format(period=period.label),
                                  "found_on")
        values["found_on"] = inp.found_on.isoformat()
    state = {k: d[k] for k in d}
    state.update(values)
    _check_state(reg, state, on=rules.today(reg))
    with reg.transaction():
        return reg.update("disputes", dispute_id, values, expected_version=d["version"])


def withdraw_report(reg: Register, report_id: str, reason: str) -> None:
    """Take back a report entered by mistake (wrong grid or period). Only a report that holds
    no dispute and no update; the reason is kept in the audit log."""
    report = reg.get("screening_reports", report_id)
    rules.require_grid(reg, report["grid_id"])
    rules.require_open_month(reg, report["month"])
    reason = _text(reason, "reason", _("撤回理由"), required=True)
    if report_disputes(reg, report_id) or report_updates(reg, report_id):
        raise TransitionError(_("该报告里已登记纠纷或进展，不能撤回；请逐件更正。"))
    with reg.transaction():
        reg.update("screening_reports", report_id,
                   {"note": "\n".join(x for x in (report["note"],
                                                  _("撤回：{reason}").format(reason=reason)) if x)})
        reg.delete("screening_reports", report_id)


def void_report(reg: Register, report_id: str, reason: str,
                confirmation: HeadConfirmation | None = None) -> Row:
    """作废 a report entered by mistake (wrong grid, wrong period, entered twice), with the
    disputes first found in it: a reason and the station head's confirmation, in a month not
    yet locked. The report and its disputes become tombstones that say why — they leave the
    matrix, the ledger and the monthly sheet, the grid's period can be reported again, and the
    county receives them voided. A dispute that has lived on (later progress, sent to
    mediation or registered as a petition matter) is refused: correct it instead."""
    report = get_report(reg, report_id)
    rules.require_grid(reg, report["grid_id"])
    rules.require_open_month(reg, report["month"])
    reason = required_reason(reason, _("作废原因"))
    found = report_disputes(reg, report_id)
    found_ids = {d["id"] for d in found}
    for d in found:
        if d["mediation_id"] or d["matter_id"]:
            raise TransitionError(_("该报告中的纠纷“{summary}”已转人民调解或登记为信访事项，"
                                    "不能作废整份报告。").format(summary=d["summary"]))
        later = reg.scalar("SELECT count(*) FROM dispute_updates WHERE dispute_id = ?"
                           " AND deleted = 0 AND (report_id IS NULL OR report_id != ?)",
                           (d["id"], report_id))
        if later:
            raise TransitionError(_("该报告中的纠纷“{summary}”在以后的周期里已有进展，"
                                    "不能作废整份报告；请逐件更正。").format(summary=d["summary"]))
    if any(u["dispute_id"] not in found_ids for u in report_updates(reg, report_id)):
        raise TransitionError(_("该报告里记有其他纠纷的进展，不能整份作废；请逐件更正。"))
    head = confirming_head(reg, confirmation)
    values = void_values(reg, reason, head)
    with reg.transaction():
        for update in report_updates(reg, report_id):
            reg.delete("dispute_updates", update["id"])
        for d in found:
            reg.delete("disputes", d["id"], values)
        reg.delete("screening_reports", report_id, values)
    return reg.get("screening_reports", report_id, include_deleted=True)


def unvoid_report(reg: Register, report_id: str, reason: str) -> Row:
    """撤销作废 of a report (the station head, with the reason), in a month not yet locked: the
    report and the disputes voided with it are live again, and the progress entries the void
    withdrew are written again (as new entries, so they reach the county). Refused when the
    grid's period has been reported again since: correct that report instead. The undo is kept
    on the report beside its corrections."""
    head = confirming_head_to_undo(reg)
    report = require_voided(reg, "screening_reports", report_id, _("该排查报告"))
    rules.require_open_month(reg, report["month"])
    reason = required_reason(reason, _("撤销作废原因"))
    if reg.scalar("SELECT count(*) FROM screening_reports WHERE grid_id = ? AND period = ?"
                  " AND deleted = 0", (report["grid_id"], report["period"])):
        raise TransitionError(_("该网格这一期已经重新上报，不能撤销作废；请更正新报告。"))
    disputes = reg.rows("SELECT id FROM disputes WHERE report_id = ? AND deleted = 1"
                        " AND voided = 1 AND voided_at = ?", (report_id, report["voided_at"]))
    withdrawn = reg.rows("SELECT * FROM dispute_updates WHERE report_id = ? AND deleted = 1"
                         " AND updated_at >= ? ORDER BY created_at, rowid",
                         (report_id, report["voided_at"]))
    history = json.loads(report["corrections"] or "[]")
    history.append({"at": reg.now(), "by": head, "reason": reason, "unvoid": True,
                    "changes": {}})
    bookkeeping = {"id", "station_code", "version", "created_at", "updated_at", "updated_by",
                   "deleted"}
    with reg.transaction():
        reg.revive("screening_reports", report_id,
                   dict(unvoid_values(), corrections=json.dumps(history, ensure_ascii=False)))
        for d in disputes:
            reg.revive("disputes", d["id"], unvoid_values())
        for update in withdrawn:
            reg.insert("dispute_updates", {k: v for k, v in update.items()
                                           if k not in bookkeeping})
    return reg.get("screening_reports", report_id)


#: What a report's 更正 may change, with their labels.
REPORT_FIELDS = {"screened_on": N_("排查日期"), "reporter_name": N_("排查人"),
                 "note": N_("说明")}


def correct_report(reg: Register, report_id: str, reason: str, *,
                   screened_on: date | None = None, reporter_name: str | None = None,
                   note: str | None = None) -> Row:
    """更正 a report of a month not yet locked (its screening date, who screened, its note),
    with a required reason; the report keeps each correction with the values before (and the
    audit log keeps them too)."""
    report = get_report(reg, report_id)
    rules.require_grid(reg, report["grid_id"])
    rules.require_open_month(reg, report["month"])
    changes: dict[str, Any] = {}
    if screened_on is not None:
        changes["screened_on"] = _screened_on(reg, parse_period(report["period"]),
                                              screened_on).isoformat()
    if reporter_name is not None:
        changes["reporter_name"] = check_text(reporter_name, field="reporter", label=_("排查人"),
                                              max_len=LIMITS["name"], required=True)
    if note is not None:
        changes["note"] = _text(note, "note", _("说明"))
    diff = {k: v for k, v in changes.items() if report[k] != v}
    if not diff:
        raise ValidationError(_("没有需要更正的内容。"), "changes")
    reason = required_reason(reason, _("更正原因"))
    history = json.loads(report["corrections"] or "[]")
    history.append({"at": reg.now(), "by": reg.actor.display_name, "reason": reason,
                    "changes": {k: [report[k], v] for k, v in diff.items()}})
    with reg.transaction():
        return reg.update("screening_reports", report_id,
                          dict(diff, corrections=json.dumps(history, ensure_ascii=False)))


def describe_corrections(report: Row) -> list[str]:
    """The report's corrections, one line each: 2026-03-05 王站长：排查日期 …→…（理由）."""
    out = []
    for entry in json.loads(report.get("corrections") or "[]"):
        if entry.get("unvoid"):
            out.append(_("{day} {who}撤销作废：{reason}").format(
                day=str(entry.get("at", ""))[:10], who=entry.get("by", ""),
                reason=entry.get("reason", "")))
            continue
        bits = [_("{field}：{before}→{after}").format(
            field=_(REPORT_FIELDS.get(str(k), str(k))), before=v[0] or "—", after=v[1] or "—")
            for k, v in dict(entry.get("changes") or {}).items()]
        out.append(_("{day} {who}更正（{changes}）：{reason}").format(
            day=str(entry.get("at", ""))[:10], who=entry.get("by", ""),
            changes=_("；").join(bits), reason=entry.get("reason", "")))
    return out


FIELD_LABELS = {"status": N_("化解状态"), "risk_level": N_("风险等级"),
                "deadline": N_("化解时限"), "resolved_on": N_("化解日期"),
                "resolution_way": N_("化解方式"), "transfer_to": N_("移交单位"),
                "measures": N_("化解措施"), "responsible_unit": N_("责任单位"),
                "responsible_person": N_("责任人"), "followup": N_("回访情况"),
                "persons_involved": N_("涉及人数")}


def describe_update(row: Row) -> str:
    """One history line: "2026-W11 2026-03-13 赵德福：再次上门（化解状态：未化解→化解中）"."""
    changes = json.loads(row["changes"] or "{}")
    def shown(key: str, value: Any) -> str:
        if not value:
            return "—"
        return rules.value_label(str(value)) if key in ("status", "resolution_way") else str(value)

    bits = [_("{field}：{before}→{after}").format(field=_(FIELD_LABELS[k]),
                                                 before=shown(k, v[0]), after=shown(k, v[1]))
            for k, v in changes.items() if k in FIELD_LABELS]
    text = _("{period} {day} {who}：{note}").format(
        period=row["period"], day=row["updated_on"], who=row["by_name"], note=row["note"])
    return _("{text}（{changes}）").format(text=text, changes=_("；").join(bits)) if bits else text


def report_status_text(reg: Register, report: Row | None) -> str:
    if report is None:
        return _("未报")
    n = reg.scalar("SELECT count(*) FROM disputes WHERE report_id = ? AND deleted = 0",
                   (report["id"],))
    return _("零报告") if report["is_zero"] else _("已报（新发现{n}件）").format(n=n)


def get_report(reg: Register, report_id: str) -> Row:
    try:
        return reg.get("screening_reports", report_id)
    except NotFound:
        raise NotFound(_("找不到该排查报告（可能已被撤回）。")) from None
