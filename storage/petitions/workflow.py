"""The life of a petition matter (docs/domain.md §1): states, the transitions allowed between them, and
the statutory deadline that applies in each state.

registered ─受理→ accepted ─转送/交办→ forwarded ─→ handling ─答复→ replied ─→ closed
    │                 └──────── 自办 ──────────────┘                │  └─复查→ review ─→ reviewed ─→ closed
    ├─不予受理→ not_accepted                                          │           └─复核→ rereview ─→ rereviewed ─→ closed
    └─不再受理→ not_reaccepted
Every transition is one transaction: the matter's fields, a timeline event (who, when, what) and
the recomputed due date. A step that is impossible from the current state is refused with the
reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from storage import calendar_store
from storage.deadlines import RULES, Deadline, DeadlineKind, compute_deadline
from storage.errors import TransitionError, ValidationError
from storage.i18n import N_, _
from storage.petitions import petitioners
from storage.register import Register, Row

STATUS_LABELS = {
    "registered": N_("已登记"),
    "accepted": N_("已受理"),
    "not_accepted": N_("不予受理"),
    "not_reaccepted": N_("不再受理"),
    "forwarded": N_("已转送/交办"),
    "handling": N_("办理中"),
    "replied": N_("已答复"),
    "review": N_("复查中"),
    "reviewed": N_("已复查"),
    "rereview": N_("复核中"),
    "rereviewed": N_("已复核"),
    "closed": N_("已办结"),
}
TERMINAL = ("not_accepted", "not_reaccepted", "closed")
# Stored as written (the Chinese words); shown through value_label().
REPLY_RESULTS = (N_("支持"), N_("解释说明"), N_("不予支持"))
REVIEW_RESULTS = (N_("维持"), N_("变更"), N_("撤销并重新办理"))
RATINGS = (N_("满意"), N_("基本满意"), N_("不满意"))
HANDLING_MODES = (N_("转送"), N_("交办"))
REPEAT_KINDS = (N_("初件"), N_("重件"))
_STORED_VALUES = frozenset((*REPLY_RESULTS, *REVIEW_RESULTS, *RATINGS, *HANDLING_MODES,
                            *REPEAT_KINDS))
MAX_EXTENSION = 30

EVENT_LABELS = {
    "registered": N_("登记"),
    "repeat_visit": N_("重复来访"),
    "accept": N_("受理"),
    "not_accept": N_("不予受理"),
    "not_reaccept": N_("不再受理"),
    "forward": N_("转送/交办"),
    "start_handling": N_("开始办理"),
    "extend": N_("延期办理"),
    "reply": N_("答复"),
    "request_review": N_("申请复查"),
    "decide_review": N_("复查意见"),
    "request_rereview": N_("申请复核"),
    "decide_rereview": N_("复核意见"),
    "rate": N_("满意度评价"),
    "close": N_("办结"),
    "mediation_opened": N_("转人民调解"),
    "mediation_resolved": N_("经调解化解"),
    "mediation_voided": N_("调解案件作废"),
    "mediation_unvoided": N_("调解案件撤销作废"),
    "from_screening": N_("来自矛盾纠纷排查"),
    "appointment": N_("领导约访"),  # written by storage/leadership — reception
    "correct": N_("更正"),
    "void": N_("作废"),
    "unvoid": N_("撤销作废"),
    "imported": N_("台账导入"),  # written by storage/petitions — historic
}


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change (extension, rating)


STEPS: dict[str, Step] = {
    "accept": Step(("registered",), "accepted"),
    "not_accept": Step(("registered",), "not_accepted"),
    "not_reaccept": Step(("registered",), "not_reaccepted"),
    "forward": Step(("accepted",), "forwarded"),
    "start_handling": Step(("accepted", "forwarded"), "handling"),
    "extend": Step(("accepted", "forwarded", "handling"), None),
    "reply": Step(("accepted", "forwarded", "handling"), "replied"),
    "request_review": Step(("replied",), "review"),
    "decide_review": Step(("review",), "reviewed"),
    "request_rereview": Step(("reviewed",), "rereview"),
    "decide_rereview": Step(("rereview",), "rereviewed"),
    "rate": Step(("replied", "reviewed", "rereviewed", "closed"), None),
    "close": Step(("replied", "reviewed", "rereviewed"), "closed"),
}


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def value_label(value: str) -> str:
    """A stored reply result, review result, rating, handling mode or 初件/重件 in the
    current language; anything else as stored."""
    return _(value) if value in _STORED_VALUES else value


def allowed_steps(status: str) -> list[str]:
    return [name for name, step in STEPS.items() if status in step.sources]


def _check(reg: Register, matter: Row, step_name: str, on: date) -> None:
    step = STEPS[step_name]
    if matter["status"] not in step.sources:
        raise TransitionError(_("当前状态为“{status}”，不能进行“{step}”。").format(
            status=status_label(matter["status"]), step=_(EVENT_LABELS[step_name])))
    if on > reg.clock().date():
        raise ValidationError(_("日期不能晚于今天。"), "on")
    # a correction (or a ledger import) is dated when it is made, not a step of the matter: a
    # step may come before it
    last = reg.scalar("SELECT max(occurred_on) FROM matter_events WHERE matter_id = ?"
                      " AND deleted = 0 AND kind NOT IN ('correct', 'imported')",
                      (matter["id"],))
    if last and on.isoformat() < last:
        raise ValidationError(_("日期不能早于上一个办理环节（{last}）。").format(last=last), "on")


def current_deadline(reg: Register, matter: Row) -> Deadline | None:
    """The station's next statutory deadline for the matter in its current state."""
    status = matter["status"]
    cal = calendar_store.calendar(reg)
    if status == "registered":
        return compute_deadline(DeadlineKind.ACCEPTANCE_NOTICE,
                                date.fromisoformat(matter["received_on"]),
                                cal)
    if status in ("accepted", "forwarded", "handling"):
        return compute_deadline(DeadlineKind.HANDLING, date.fromisoformat(matter["accepted_on"]),
                                cal, extension_days=matter["extension_days"])
    if status in ("review", "rereview"):
        kind = DeadlineKind.REVIEW_DECISION if status == "review" else \
            DeadlineKind.REREVIEW_DECISION
        started = _last_event_date(reg, matter["id"],
                                   "request_review" if status == "review" else "request_rereview")
        return compute_deadline(kind, started, cal)
    return None


def petitioner_window(reg: Register, matter: Row) -> Deadline | None:
    """The petitioner's own window to ask for 复查/复核 (shown, not a station obligation)."""
    cal = calendar_store.calendar(reg)
    if matter["status"] == "replied" and matter["replied_on"]:
        return compute_deadline(DeadlineKind.REVIEW_REQUEST,
                                date.fromisoformat(matter["replied_on"]), cal)
    if matter["status"] == "reviewed":
        return compute_deadline(DeadlineKind.REREVIEW_REQUEST,
                                _last_event_date(reg, matter["id"], "decide_review"), cal)
    return None


def _last_event_date(reg: Register, matter_id: str, kind: str) -> date:
    value = reg.scalar("SELECT max(occurred_on) FROM matter_events WHERE matter_id = ?"
                       " AND kind = ? AND deleted = 0", (matter_id, kind))
    return date.fromisoformat(value)


def due_fields(reg: Register, matter: Row) -> dict[str, Any]:
    """The deadline columns stored on a matter (so lists can sort and colour 100,000 rows),
    for ``matter`` as it will be once saved — written in the same update as the change that
    moves the deadline, so one action makes one version and one audit entry."""
    deadline = current_deadline(reg, matter)
    return {"due_kind": deadline.kind.value if deadline else "",
            "due_date": deadline.due.isoformat() if deadline else None}


def refresh_due(reg: Register, matter_id: str) -> Row:
    """Recompute a stored deadline whose inputs changed outside a transition (the calendar)."""
    return reg.update("matters", matter_id, due_fields(reg, reg.get("matters", matter_id)))


def _apply(reg: Register, matter_id: str, step_name: str, on: date, *, note: str = "",
           changes: dict[str, Any] | None = None, data: dict[str, Any] | None = None) -> Row:
    reg.require_role("clerk", "head")
    reg.require_writable()
    note = note.strip()
    if len(note) > 2000:
        raise ValidationError(_("说明太长（最多2000字）。"), "note")
    with reg.transaction():
        matter = live_matter(reg, matter_id)
        _check(reg, matter, step_name, on)
        step = STEPS[step_name]
        updates = dict(changes or {})
        if step.target:
            updates["status"] = step.target
        if step.target in TERMINAL:
            updates["closed_on"] = on.isoformat()
        # the event first: a review deadline runs from the request event being recorded here
        reg.insert("matter_events", dict(
            matter_id=matter_id, kind=step_name, occurred_on=on.isoformat(),
            actor=reg.actor.username, note=note,
            data=json.dumps(data or {}, ensure_ascii=False)))
        updates.update(due_fields(reg, {**matter, **updates}))
        return reg.update("matters", matter_id, updates)


def _required(value: str, label: str, field: str, choices: tuple[str, ...] = ()) -> str:
    value = value.strip()
    if not value:
        raise ValidationError(_("请填写{label}。").format(label=label), field)
    if choices and value not in choices:
        raise ValidationError(_("{label}只能是：{choices}。").format(
            label=label, choices=_("、").join(value_label(c) for c in choices)), field)
    return value


def accept(reg: Register, matter_id: str, on: date, note: str = "") -> Row:
    return _apply(reg, matter_id, "accept", on, note=note,
                  changes={"accepted_on": on.isoformat()})


def not_accept(reg: Register, matter_id: str, on: date, reason: str,
               legal_channel: str = "") -> Row:
    """不予受理: the reason, and for matters of another legal channel (§2.1) which one."""
    reason = _required(reason, _("不予受理的理由"), "reason")
    return _apply(reg, matter_id, "not_accept", on, note=reason,
                  changes={"decision_reason": reason, "legal_channel": legal_channel.strip()},
                  data={"legal_channel": legal_channel.strip()})


def not_reaccept(reg: Register, matter_id: str, on: date, reason: str) -> Row:
    reason = _required(reason, _("不再受理的理由"), "reason")
    return _apply(reg, matter_id, "not_reaccept", on, note=reason,
                  changes={"decision_reason": reason})


def forward(reg: Register, matter_id: str, on: date, mode: str, unit: str,
            note: str = "") -> Row:
    mode = _required(mode, _("转送方式"), "mode", HANDLING_MODES)
    unit = _required(unit, _("承办单位"), "unit")
    return _apply(reg, matter_id, "forward", on, note=note,
                  changes={"handling_mode": mode, "handling_unit": unit},
                  data={"mode": mode, "unit": unit})


def start_handling(reg: Register, matter_id: str, on: date, unit: str = "",
                   note: str = "") -> Row:
    changes = {"handling_unit": unit.strip()} if unit.strip() else {}
    return _apply(reg, matter_id, "start_handling", on, note=note, changes=changes)


def extend(reg: Register, matter_id: str, on: date, days: int, reason: str) -> Row:
    """延期: at most 30 days in all, with the reason the petitioner must be told (Art.34),
    approved before the handling period runs out (docs/domain.md §7.4) — an extension dated
    after the deadline would move a deadline already missed, and a month already reported."""
    reason = _required(reason, _("延期理由"), "reason")
    matter = live_matter(reg, matter_id)
    deadline = current_deadline(reg, matter) if matter["status"] in STEPS["extend"].sources \
        else None
    if deadline is not None and on > deadline.due:
        raise ValidationError(_(
            "办理期限已于{due}届满，不能再延期：延期须在期限届满前批准。").format(
                due=deadline.due.isoformat()), "on")
    total = matter["extension_days"] + days
    if days <= 0:
        raise ValidationError(_("延长天数应大于0。"), "days")
    if total > MAX_EXTENSION:
        raise ValidationError(_("延期合计不得超过{max}日（已延期{done}日）。").format(
            max=MAX_EXTENSION, done=matter["extension_days"]), "days")
    return _apply(reg, matter_id, "extend", on, note=reason,
                  changes={"extension_days": total, "extension_reason": reason},
                  data={"days": days})


def reply(reg: Register, matter_id: str, on: date, result: str, note: str = "") -> Row:
    result = _required(result, _("答复意见"), "result", REPLY_RESULTS)
    return _apply(reg, matter_id, "reply", on, note=note,
                  changes={"reply_result": result, "replied_on": on.isoformat()},
                  data={"result": result})


def _within_window(reg: Register, matter: Row, on: date) -> None:
    window = petitioner_window(reg, matter)
    if window is not None and on > window.due:
        raise TransitionError(_(
            "申请已超过30日的期限（应在{due}前提出），依法不再受理。").format(
                due=window.due.isoformat()))


def request_review(reg: Register, matter_id: str, on: date, note: str = "") -> Row:
    _within_window(reg, live_matter(reg, matter_id), on)
    return _apply(reg, matter_id, "request_review", on, note=note,
                  changes={"review_stage": "复查"})


def decide_review(reg: Register, matter_id: str, on: date, result: str, note: str = "") -> Row:
    result = _required(result, _("复查意见"), "result", REVIEW_RESULTS)
    return _apply(reg, matter_id, "decide_review", on, note=note, data={"result": result})


def request_rereview(reg: Register, matter_id: str, on: date, note: str = "") -> Row:
    _within_window(reg, live_matter(reg, matter_id), on)
    return _apply(reg, matter_id, "request_rereview", on, note=note,
                  changes={"review_stage": "复核"})


def decide_rereview(reg: Register, matter_id: str, on: date, result: str,
                    note: str = "") -> Row:
    result = _required(result, _("复核意见"), "result", REVIEW_RESULTS)
    return _apply(reg, matter_id, "decide_rereview", on, note=note, data={"result": result})


def rate(reg: Register, matter_id: str, on: date, rating: str, note: str = "") -> Row:
    rating = _required(rating, _("满意度评价"), "rating", RATINGS)
    return _apply(reg, matter_id, "rate", on, note=note, changes={"rating": rating},
                  data={"rating": rating})


def close(reg: Register, matter_id: str, on: date, note: str = "") -> Row:
    return _apply(reg, matter_id, "close", on, note=note)


def record_repeat_visit(reg: Register, matter_id: str, on: date, *, form: str, summary: str,
                        people: list[Row], representatives: list[bool] | None = None,
                        visitors_count: int = 1) -> Row:
    """A visit about a matter still open: counted on that matter as 重复访, no new matter.
    The event keeps its own date, channel (``form``) and number of people, so that the month
    it happened in can count it. People not yet on the matter join it as they are now.
    Runs inside the registration transaction."""
    matter = live_matter(reg, matter_id)
    if matter["status"] in TERMINAL:
        raise TransitionError(_("该信访件已经“{status}”，不能再作为重复来访附加；请登记为新件。"
                                ).format(status=status_label(matter["status"])))
    known = {r["petitioner_id"] for r in reg.rows(
        "SELECT petitioner_id FROM matter_petitioners WHERE matter_id = ? AND deleted = 0",
        (matter_id,))}
    flags = representatives or [False] * len(people)
    for person, representative in zip(people, flags, strict=True):
        if person["id"] not in known:
            reg.insert("matter_petitioners", dict(
                matter_id=matter_id, petitioner_id=person["id"], is_main=0,
                is_representative=int(representative),
                **petitioners.snapshot(person)))
    # 初件/重件 is decided once, at registration (docs/domain.md §7.4): a repeat visit is an
    # item of its own month and never rewrites a month already reported
    reg.update("matters", matter_id, {"repeat_visits": matter["repeat_visits"] + 1})
    reg.insert("matter_events", dict(
        matter_id=matter_id, kind="repeat_visit", occurred_on=on.isoformat(),
        actor=reg.actor.username, note=summary,
        data=json.dumps({"form": form, "visitors_count": visitors_count,
                         "petitioners": [p["id"] for p in people]}, ensure_ascii=False)))
    return reg.get("matters", matter_id)


def live_matter(reg: Register, matter_id: str) -> Row:
    """The matter to act on; a voided one is refused in plain words."""
    rows = reg.rows("SELECT number, voided FROM matters WHERE id = ?", (matter_id,))
    if rows and rows[0]["voided"]:
        raise TransitionError(_("信访件{number}已作废，不能再办理或更改。").format(
            number=rows[0]["number"]))
    return reg.get("matters", matter_id)


def limit_text(kind: str) -> str:
    """Plain words for a deadline kind, e.g. '受理告知（15日）'."""
    rule = RULES[DeadlineKind(kind)]
    return _(rule.label)
