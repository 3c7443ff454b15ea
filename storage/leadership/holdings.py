"""包案: a leader takes charge of a matter, a mediation case or a screened dispute until it is
resolved (docs/domain.md §10), with a 化解 plan — steps, each with the day it should be done by,
and a target date — and progress notes. Each leader's 包案台账 lists what they hold, its
deadlines and progress; what is overdue shows on the home page."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from storage.errors import NotFound, TransitionError, ValidationError
from storage.i18n import N_, _
from storage.leadership.common import day_of, iso, not_future, require_township, text, today
from storage.leadership.leaders import Leader, leader, leaders
from storage.register import Register, Row
from storage.validation import parse_date

SUBJECT_KINDS = {"matter": N_("信访事项"), "mediation": N_("调解案件"), "dispute": N_("排查纠纷")}
STATUS_LABELS = {"active": N_("包案中"), "resolved": N_("已化解"), "released": N_("已解除包案")}
MAX_STEPS = 20
_DATED_STEP = re.compile(r"^(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)\s*(.+)$")


@dataclass(frozen=True)
class PlanStep:
    """One step of a 化解 plan: what, done by when (optional), and when it was done."""

    text: str
    due: date | None = None
    done_on: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "due": iso(self.due), "done_on": iso(self.done_on)}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> PlanStep:
        return cls(str(value["text"]), day_of(value.get("due")), day_of(value.get("done_on")))

    @property
    def line(self) -> str:
        """The step as the clerk types it: "2026-03-10 约谈双方当事人"."""
        return f"{self.due.isoformat()} {self.text}" if self.due else self.text


@dataclass
class HoldingInput:
    leader_id: str
    subject_kind: str
    subject_id: str
    target_date: date
    plan: str = ""
    steps: list[PlanStep] = field(default_factory=list)
    held_from: date | None = None


@dataclass(frozen=True)
class Holding:
    id: str
    version: int
    leader: Leader
    subject_kind: str
    subject_id: str
    subject_label: str
    held_from: date
    plan: str
    steps: tuple[PlanStep, ...]
    target_date: date
    status: str
    closed_on: date | None
    closing_note: str
    last_note: str = ""
    last_noted_on: date | None = None

    @property
    def kind_label(self) -> str:
        return _(SUBJECT_KINDS[self.subject_kind])

    @property
    def status_label(self) -> str:
        return _(STATUS_LABELS[self.status])

    @property
    def steps_done(self) -> int:
        return sum(1 for s in self.steps if s.done_on is not None)

    def next_step(self) -> PlanStep | None:
        return next((s for s in self.steps if s.done_on is None), None)

    def overdue_items(self, on: date) -> list[str]:
        """What of this 包案 is late on ``on``: the target date, and each step past its day."""
        if self.status != "active":
            return []
        items = [_("第{n}步“{step}”应于{due}完成").format(n=i, step=s.text, due=s.due.isoformat())
                 for i, s in enumerate(self.steps, start=1)
                 if s.done_on is None and s.due is not None and s.due < on]
        if self.target_date < on:
            items.insert(0, _("超过化解目标日期{date}").format(date=self.target_date.isoformat()))
        return items

    def progress_text(self) -> str:
        """"已完成2/3步；03-12 已约谈双方"."""
        parts = []
        if self.steps:
            parts.append(_("已完成{done}/{all}步").format(done=self.steps_done, all=len(self.steps)))
        if self.last_note:
            parts.append(f"{self.last_noted_on.isoformat() if self.last_noted_on else ''} "
                         f"{self.last_note}".strip())
        return _("；").join(parts)


def parse_steps(lines: str) -> list[PlanStep]:
    """The plan's steps typed one per line, each optionally starting with the day it is due:
    "2026-03-10 约谈双方当事人"."""
    steps = []
    for number, raw in enumerate(lines.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        due = None
        m = _DATED_STEP.match(line)
        if m:
            due = parse_date(m.group(1), field="steps", label=_("第{n}步的日期").format(n=number))
            line = m.group(2).strip()
        steps.append(PlanStep(text(line, "steps", _("化解步骤"), 100, required=True), due))
    if len(steps) > MAX_STEPS:
        raise ValidationError(_("化解步骤最多{n}步。").format(n=MAX_STEPS), "steps")
    return steps


# ----- subjects --------------------------------------------------------------------------------
def _subject(reg: Register, kind: str, subject_id: str) -> Row:
    tables = {"matter": ("matters", "number, summary, status"),
              "mediation": ("mediations", "number, title, status"),
              "dispute": ("disputes", "village_id, summary, status")}
    if kind not in tables:
        raise ValidationError(_("包案对象只能是信访事项、调解案件或排查纠纷。"), "subject_kind")
    table, columns = tables[kind]
    rows = reg.rows(f"SELECT id, {columns} FROM {table} WHERE id = ? AND deleted = 0"
                    " AND station_code = ?", (subject_id, reg.station_code))
    if not rows:
        raise NotFound(_("找不到要包案的{kind}。").format(kind=_(SUBJECT_KINDS[kind])))
    return rows[0]


def subject_label(reg: Register, kind: str, subject_id: str) -> str:
    """How the ledger names what is held: "320508102000-2026-00012 反映…", "（2026）花园人调字第3号
    相邻通行纠纷", "春明村：滴水檐争执"."""
    row = _subject(reg, kind, subject_id)
    if kind == "matter":
        return f"{row['number']} {row['summary']}"
    if kind == "mediation":
        return f"{row['number']} {row['title']}"
    village = reg.scalar("SELECT name FROM villages WHERE id = ?", (row["village_id"],)) or ""
    return _("{village}：{summary}").format(village=village, summary=row["summary"])


def find_subject(reg: Register, kind: str, ref: str) -> str:
    """A subject's id from what a clerk can type: a matter's 00012 or full number; a mediation
    case's number or year and sequence (2026-3); a dispute's id or words of its summary that
    name one dispute only."""
    ref = ref.strip()
    if not ref:
        raise ValidationError(_("请填写编号。"), "subject_id")
    if kind == "matter":
        rows = reg.rows("SELECT id FROM matters WHERE deleted = 0 AND station_code = ?"
                        " AND (id = ? OR number = ? OR number LIKE ?) ORDER BY number DESC",
                        (reg.station_code, ref, ref, f"%-{ref.zfill(5)}"))
    elif kind == "mediation":
        year_seq = re.fullmatch(r"(\d{4})\D+(\d+)\D*", ref)
        rows = reg.rows("SELECT id FROM mediations WHERE deleted = 0 AND station_code = ?"
                        " AND (id = ? OR number = ? OR (year = ? AND seq = ?))",
                        (reg.station_code, ref, ref, int(year_seq.group(1)) if year_seq else 0,
                         int(year_seq.group(2)) if year_seq else 0))
    else:
        rows = reg.rows("SELECT id FROM disputes WHERE deleted = 0 AND station_code = ?"
                        " AND (id = ? OR summary LIKE ?)", (reg.station_code, ref, f"%{ref}%"))
        if len(rows) > 1:
            raise ValidationError(_("有{n}件排查纠纷符合“{ref}”，请多写几个字。").format(
                n=len(rows), ref=ref), "subject_id")
    if not rows:
        raise NotFound(_("找不到{kind}“{ref}”。").format(kind=_(SUBJECT_KINDS.get(kind, kind)),
                                                      ref=ref))
    return str(rows[0]["id"])


# ----- reading ---------------------------------------------------------------------------------
def _holding(row: Row, who: Leader, last: Row | None) -> Holding:
    return Holding(
        row["id"], row["version"], who, row["subject_kind"], row["subject_id"],
        row["subject_label"], date.fromisoformat(row["held_from"]), row["plan"],
        tuple(PlanStep.from_json(s) for s in json.loads(row["steps"] or "[]")),
        date.fromisoformat(row["target_date"]), row["status"], day_of(row["closed_on"]),
        row["closing_note"], last["note"] if last else "",
        day_of(last["noted_on"]) if last else None)


def holdings(reg: Register, *, leader_id: str | None = None, status: str | None = "active",
             subject: tuple[str, str] | None = None) -> list[Holding]:
    """包案 of this station, the latest progress note with each; by target date."""
    sql = "SELECT * FROM case_holdings WHERE deleted = 0 AND station_code = ?"
    params: list[Any] = [reg.station_code]
    if leader_id:
        sql += " AND leader_id = ?"
        params.append(leader_id)
    if status:
        sql += " AND status = ?"
        params.append(status)
    if subject:
        sql += " AND subject_kind = ? AND subject_id = ?"
        params.extend(subject)
    rows = reg.rows(sql + " ORDER BY target_date, held_from", params)
    people = {x.id: x for x in leaders(reg, active_only=False)}
    notes: dict[str, Row] = {}
    if rows:
        for note in reg.rows(
                "SELECT holding_id, noted_on, note FROM holding_notes WHERE deleted = 0"
                " AND station_code = ? ORDER BY noted_on, created_at, rowid", (reg.station_code,)):
            notes[note["holding_id"]] = note
    return [_holding(r, people[r["leader_id"]], notes.get(r["id"])) for r in rows
            if r["leader_id"] in people]


def holding(reg: Register, holding_id: str) -> Holding:
    found = [h for h in holdings(reg, status=None) if h.id == holding_id]
    if not found:
        raise NotFound(_("找不到这条包案记录。"))
    return found[0]


def holding_of(reg: Register, kind: str, subject_id: str) -> Holding | None:
    """The active 包案 of a matter, case or dispute, if a leader holds it."""
    found = holdings(reg, subject=(kind, subject_id))
    return found[0] if found else None


def notes_of(reg: Register, holding_id: str) -> list[Row]:
    return reg.rows("SELECT * FROM holding_notes WHERE holding_id = ? AND deleted = 0"
                    " ORDER BY noted_on, created_at, rowid", (holding_id,))


# ----- writing ---------------------------------------------------------------------------------
def _check_plan(plan: str, steps: list[PlanStep], held_from: date, target: date) -> str:
    plan = text(plan, "plan", _("化解方案"), 2000)
    if target < held_from:
        raise ValidationError(_("化解目标日期不能早于包案日期。"), "target_date")
    for i, s in enumerate(steps, start=1):
        if s.due is not None and s.due > target:
            raise ValidationError(_("第{n}步的日期晚于化解目标日期。").format(n=i), "steps")
    if not plan and not steps:
        raise ValidationError(_("请填写化解方案或至少一个化解步骤。"), "plan")
    return plan


def hold(reg: Register, inp: HoldingInput) -> Holding:
    """Give the subject a 包案领导 with a plan; refused if a leader holds it already."""
    require_township(reg)
    who = leader(reg, inp.leader_id)
    if not who.active:
        raise ValidationError(_("{name}已不在领导名单中。").format(name=who.name), "leader_id")
    label = subject_label(reg, inp.subject_kind, inp.subject_id)
    held_from = not_future(reg, inp.held_from or today(reg), "held_from")
    plan = _check_plan(inp.plan, inp.steps, held_from, inp.target_date)
    existing = holding_of(reg, inp.subject_kind, inp.subject_id)
    if existing is not None:
        raise ValidationError(_("{subject}已由{leader}包案。").format(
            subject=label, leader=existing.leader.label), "subject_id")
    with reg.transaction():
        row = reg.insert("case_holdings", dict(
            leader_id=who.id, subject_kind=inp.subject_kind, subject_id=inp.subject_id,
            subject_label=label, held_from=held_from.isoformat(), plan=plan,
            steps=json.dumps([s.to_json() for s in inp.steps], ensure_ascii=False),
            target_date=inp.target_date.isoformat()))
    return holding(reg, row["id"])


def _active(reg: Register, holding_id: str) -> Holding:
    found = holding(reg, holding_id)
    if found.status != "active":
        raise TransitionError(_("这条包案已经“{status}”，不能再修改。").format(
            status=found.status_label))
    return found


def change_plan(reg: Register, holding_id: str, *, plan: str, steps: list[PlanStep],
                target_date: date, leader_id: str | None = None) -> Holding:
    """A new plan, target date or leader (steps already done keep their day)."""
    require_township(reg)
    current = _active(reg, holding_id)
    done = {s.text: s.done_on for s in current.steps if s.done_on}
    steps = [PlanStep(s.text, s.due, s.done_on or done.get(s.text)) for s in steps]
    plan = _check_plan(plan, steps, current.held_from, target_date)
    changes: dict[str, Any] = dict(
        plan=plan, steps=json.dumps([s.to_json() for s in steps], ensure_ascii=False),
        target_date=target_date.isoformat())
    if leader_id and leader_id != current.leader.id:
        if not leader(reg, leader_id).active:
            raise ValidationError(_("这位领导已不在领导名单中。"), "leader_id")
        changes["leader_id"] = leader_id
    with reg.transaction():
        reg.update("case_holdings", holding_id, changes, expected_version=current.version)
    return holding(reg, holding_id)


def complete_step(reg: Register, holding_id: str, number: int, on: date) -> Holding:
    """Step ``number`` (from 1) of the plan was done on ``on``."""
    require_township(reg)
    current = _active(reg, holding_id)
    not_future(reg, on, "on")
    if not 1 <= number <= len(current.steps):
        raise ValidationError(_("没有第{n}步。").format(n=number), "step")
    steps = list(current.steps)
    steps[number - 1] = PlanStep(steps[number - 1].text, steps[number - 1].due, on)
    with reg.transaction():
        reg.update("case_holdings", holding_id, {"steps": json.dumps(
            [s.to_json() for s in steps], ensure_ascii=False)}, expected_version=current.version)
        reg.insert("holding_notes", dict(
            holding_id=holding_id, noted_on=on.isoformat(), by_name=reg.actor.display_name,
            note=_("完成第{n}步：{step}").format(n=number, step=steps[number - 1].text)))
    return holding(reg, holding_id)


def add_note(reg: Register, holding_id: str, on: date, note: str) -> Holding:
    """A progress note (约谈、走访、协调会…)."""
    require_township(reg)
    _active(reg, holding_id)
    not_future(reg, on, "on")
    note = text(note, "note", _("进展情况"), 500, required=True)
    with reg.transaction():
        reg.insert("holding_notes", dict(holding_id=holding_id, noted_on=on.isoformat(),
                                         note=note, by_name=reg.actor.display_name))
    return holding(reg, holding_id)


def close(reg: Register, holding_id: str, on: date, *, resolved: bool, note: str) -> Holding:
    """The 包案 ends: resolved (化解), or released (解除, e.g. handed to another organ)."""
    require_township(reg)
    current = _active(reg, holding_id)
    not_future(reg, on, "on")
    if on < current.held_from:
        raise ValidationError(_("日期不能早于包案日期。"), "on")
    note = text(note, "note", _("说明"), 500, required=True)
    with reg.transaction():
        reg.update("case_holdings", holding_id, dict(
            status="resolved" if resolved else "released", closed_on=on.isoformat(),
            closing_note=note), expected_version=current.version)
    return holding(reg, holding_id)


# ----- the 台账 and what is late ----------------------------------------------------------------
@dataclass(frozen=True)
class LedgerRow:
    """One line of a leader's 包案台账, as the screen, the PDF and the Excel file show it."""

    leader: str
    kind: str
    subject: str
    held_from: str
    target_date: str
    plan: str
    next_step: str
    progress: str
    status: str
    overdue: str


def ledger(reg: Register, *, leader_id: str | None = None, include_closed: bool = False,
           on: date | None = None) -> list[LedgerRow]:
    """The 包案台账: every 包案 (of one leader, or all), by leader and target date."""
    on = on or today(reg)
    rows = holdings(reg, leader_id=leader_id, status=None if include_closed else "active")
    order = {x.id: i for i, x in enumerate(leaders(reg, active_only=False))}
    rows.sort(key=lambda h: (order.get(h.leader.id, 0), h.status != "active", h.target_date))
    out = []
    for h in rows:
        step = h.next_step()
        out.append(LedgerRow(
            h.leader.label, h.kind_label, h.subject_label, h.held_from.isoformat(),
            h.target_date.isoformat(),
            h.plan or _("、").join(s.text for s in h.steps),
            (f"{step.due.isoformat()} {step.text}" if step and step.due else step.text)
            if step else "",
            h.progress_text(), h.status_label, _("；").join(h.overdue_items(on))))
    return out


@dataclass(frozen=True)
class LeaderOverdue:
    leader: Leader
    items: list[tuple[Holding, list[str]]]


def overdue_by_leader(reg: Register, on: date | None = None) -> list[LeaderOverdue]:
    """Each leader with the 包案 whose target date or a plan step has passed."""
    on = on or today(reg)
    found: dict[str, LeaderOverdue] = {}
    for h in holdings(reg):
        late = h.overdue_items(on)
        if late:
            found.setdefault(h.leader.id, LeaderOverdue(h.leader, [])).items.append((h, late))
    return list(found.values())


def _briefly(holding: Holding, late: list[str]) -> str:
    """"00012 反映春明村…（超过化解目标日期2026-03-20等2项）": enough to find it in the 台账."""
    subject = holding.subject_label
    if holding.subject_kind == "matter":  # the full number is long: its last part names it
        number, _space, summary = subject.partition(" ")
        subject = f"{number.rsplit('-', 1)[-1]} {summary}"
    subject = subject if len(subject) <= 20 else subject[:19] + "…"
    more = _("等{n}项").format(n=len(late)) if len(late) > 1 else ""
    return _("{subject}（{late}{more}）").format(subject=subject, late=late[0], more=more)


def home_alerts(reg: Register, on: date | None = None) -> list[str]:
    """"王建华（副镇长）包案逾期2件：00012 反映…（超过化解目标日期2026-03-20等2项）；…"."""
    return [_("{leader}包案逾期{n}件：{items}").format(
        leader=group.leader.label, n=len(group.items),
        items=_("；").join(_briefly(h, late) for h, late in group.items))
            for group in overdue_by_leader(reg, on)]
