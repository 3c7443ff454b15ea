"""积案 (backlog, docs/domain.md §10.2): matters listed by the station's rules or by hand, worked
down with a 包案 leader and a plan, and resolved (化解) when 息诉罢访 is confirmed with evidence.

The rules are the station's to see and adjust (``rules`` / ``set_rules``): a matter still
unanswered some days past its handling limit (60 days + extension), a matter with three or more
repeat visits, a matter whose petitioner asked for 复查 or 复核 (did not accept the answer).
``sweep`` lists every open matter that meets an enabled rule and is not listed yet — once: a
matter taken off the list (``exclude``) or resolved is not listed again by the rules. Listing
is stored, not recomputed, so a month's figures do not change when the rules do, and the
county sees exactly what the station listed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from storage import petitions, preferences
from storage.errors import NotFound, TransitionError, ValidationError
from storage.i18n import N_, _
from storage.leadership.common import day_of, not_future, require_township, text, today
from storage.leadership.holdings import holding_of
from storage.register import Register, Row

#: why a matter is on the list, in a word (the rules in full: ``Rules.texts``)
RULE_LABELS = {
    "overdue": N_("超期未答复"),
    "repeat": N_("多次重复来访"),
    "review": N_("申请复查复核"),
    "manual": N_("手工列入"),
}
STATUS_LABELS = {"open": N_("未化解"), "resolved": N_("已化解"), "excluded": N_("已移出")}
#: what 化解 of a 积案 is recorded as (docs/domain.md §10: 案结事了 / 息诉罢访)
OUTCOMES = (N_("息诉罢访"), N_("案结事了"))
_OPEN_STATES = tuple(s for s in petitions.STATUS_LABELS if s not in petitions.TERMINAL)


@dataclass(frozen=True)
class Rules:
    """``overdue_days`` < 0 and ``repeat_visits`` == 0 switch those rules off."""

    overdue_days: int = 0
    repeat_visits: int = 3
    review: bool = True

    def texts(self) -> list[str]:
        """The rules in force, in plain words (shown on the backlog page)."""
        out = []
        if self.overdue_days >= 0:
            out.append(_("办理期限（60日，含延期）届满后{n}日仍未答复").format(n=self.overdue_days)
                       if self.overdue_days else _("办理期限（60日，含延期）届满仍未答复"))
        if self.repeat_visits > 0:
            out.append(_("同一事项重复来访{n}次及以上").format(n=self.repeat_visits))
        if self.review:
            out.append(_("信访人申请复查或复核（不接受处理意见）"))
        return out


def rules(reg: Register) -> Rules:
    return Rules(preferences.BACKLOG_OVERDUE_DAYS.read(reg),
                 preferences.BACKLOG_REPEAT_VISITS.read(reg), preferences.BACKLOG_REVIEW.read(reg))


def set_rules(reg: Register, new: Rules) -> Rules:
    """The station head adjusts the rules (one audited settings change)."""
    if new.overdue_days > 365 or new.overdue_days < -1:
        raise ValidationError(_("超期天数应在0到365之间（-1表示不按超期列入）。"), "overdue_days")
    if not 0 <= new.repeat_visits <= 99:
        raise ValidationError(_("重复来访次数应在0到99之间（0表示不按重复来访列入）。"),
                              "repeat_visits")
    reg.change_settings({preferences.BACKLOG_OVERDUE_DAYS.key: new.overdue_days,
                         preferences.BACKLOG_REPEAT_VISITS.key: new.repeat_visits,
                         preferences.BACKLOG_REVIEW.key: new.review})
    return rules(reg)


# ----- the rules at work -----------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    matter_id: str
    reasons: tuple[str, ...]
    qualified_on: date  # the day the earliest of its rules was met


def _open_matters(reg: Register, where: str, params: tuple[Any, ...]) -> list[Row]:
    marks = ",".join("?" * len(_OPEN_STATES))
    return reg.rows(f"SELECT m.id, m.due_date, m.due_kind, m.status FROM matters m"
                    f" WHERE m.deleted = 0 AND m.station_code = ? AND m.status IN ({marks})"
                    f" {where}", (reg.station_code, *_OPEN_STATES, *params))


def candidates(reg: Register, on: date | None = None) -> list[Candidate]:
    """Open matters that meet an enabled rule on ``on`` (listed or not)."""
    on = on or today(reg)
    active = rules(reg)
    found: dict[str, dict[str, date]] = {}
    if active.overdue_days >= 0:
        # The handling deadline is stored on the matter (with its extension) while it runs.
        limit = (on - timedelta(days=active.overdue_days)).isoformat()
        for r in _open_matters(reg, "AND m.due_kind = 'handling' AND m.due_date < ?", (limit,)):
            met = date.fromisoformat(r["due_date"]) + timedelta(days=active.overdue_days + 1)
            found.setdefault(r["id"], {})["overdue"] = met
    if active.repeat_visits > 0:
        for r in _open_matters(reg, "AND m.repeat_visits >= ?", (active.repeat_visits,)):
            days = [e["occurred_on"] for e in reg.rows(
                "SELECT occurred_on FROM matter_events WHERE matter_id = ? AND deleted = 0"
                " AND kind = 'repeat_visit' ORDER BY occurred_on", (r["id"],))]
            met = date.fromisoformat(days[active.repeat_visits - 1]) \
                if len(days) >= active.repeat_visits else on
            found.setdefault(r["id"], {})["repeat"] = met
    if active.review:
        for r in _open_matters(reg, "AND m.status IN ('review', 'reviewed', 'rereview',"
                                    " 'rereviewed')", ()):
            first = reg.scalar("SELECT min(occurred_on) FROM matter_events WHERE matter_id = ?"
                               " AND deleted = 0 AND kind IN ('request_review',"
                               " 'request_rereview')", (r["id"],))
            found.setdefault(r["id"], {})["review"] = date.fromisoformat(first) if first else on
    return [Candidate(matter_id, tuple(sorted(met)), min(met.values()))
            for matter_id, met in sorted(found.items())]


def _listed(reg: Register) -> set[str]:
    return {r[0] for r in reg.conn.execute(
        "SELECT matter_id FROM backlog_cases WHERE deleted = 0 AND station_code = ?",
        (reg.station_code,))}


def unlisted(reg: Register, on: date | None = None) -> list[Candidate]:
    """Matters the rules would list that are not on the list (nor were ever)."""
    listed = _listed(reg)
    return [c for c in candidates(reg, on) if c.matter_id not in listed]


def sweep(reg: Register, on: date | None = None) -> int:
    """List every matter the rules now meet and that was never listed: one transaction.
    Returns how many were listed (done by whoever opens the backlog, and by the command)."""
    require_township(reg)
    on = on or today(reg)
    new = unlisted(reg, on)
    if not new:
        return 0
    with reg.transaction():
        for c in new:
            reg.insert("backlog_cases", dict(
                matter_id=c.matter_id, listed_on=on.isoformat(), source="rule",
                reasons=json.dumps(list(c.reasons)),
                reason=_("按规则列入：{rules}").format(rules=_("；").join(
                    _(RULE_LABELS[k]) for k in c.reasons))))
    return len(new)


def _matter(reg: Register, matter_id: str) -> Row:
    rows = reg.rows("SELECT * FROM matters WHERE id = ? AND deleted = 0 AND station_code = ?",
                    (matter_id, reg.station_code))
    if not rows:
        raise NotFound(_("找不到该信访件。"))
    return rows[0]


def add(reg: Register, matter_id: str, reason: str, on: date | None = None) -> Row:
    """List a matter by hand, with the reason (a 信访老户, a case handed down as 积案…)."""
    require_township(reg)
    matter = _matter(reg, matter_id)
    reason = text(reason, "reason", _("列入理由"), 500, required=True)
    on = not_future(reg, on or today(reg), "on")
    if reg.scalar("SELECT count(*) FROM backlog_cases WHERE deleted = 0 AND matter_id = ?"
                  " AND status = 'open'", (matter_id,)):
        raise ValidationError(_("{number}已经列为积案。").format(number=matter["number"]),
                              "matter_id")
    with reg.transaction():
        return reg.insert("backlog_cases", dict(matter_id=matter_id, listed_on=on.isoformat(),
                                                source="manual", reasons='["manual"]',
                                                reason=reason))


def _open_entry(reg: Register, backlog_id: str) -> Row:
    rows = reg.rows("SELECT * FROM backlog_cases WHERE id = ? AND deleted = 0"
                    " AND station_code = ?", (backlog_id, reg.station_code))
    if not rows:
        raise NotFound(_("找不到这件积案。"))
    if rows[0]["status"] != "open":
        raise TransitionError(_("这件积案已经“{status}”。").format(
            status=_(STATUS_LABELS[rows[0]["status"]])))
    return rows[0]


def resolve(reg: Register, backlog_id: str, on: date, *, outcome: str, evidence: str,
            confirmed_by: str) -> Row:
    """积案化解: 息诉罢访 (or 案结事了) confirmed by someone, with the evidence (息诉罢访承诺书,
    回访记录, 协议…)."""
    require_township(reg)
    entry = _open_entry(reg, backlog_id)
    not_future(reg, on, "on")
    if on.isoformat() < entry["listed_on"]:
        raise ValidationError(_("化解日期不能早于列入积案的日期（{day}）。").format(
            day=entry["listed_on"]), "on")
    if outcome not in OUTCOMES:
        raise ValidationError(_("化解结果只能是：{choices}。").format(
            choices=_("、").join(_(o) for o in OUTCOMES)), "outcome")
    evidence = text(evidence, "evidence", _("化解依据"), 1000, required=True)
    confirmed_by = text(confirmed_by, "confirmed_by", _("确认人"), 40, required=True)
    with reg.transaction():
        return reg.update("backlog_cases", backlog_id, dict(
            status="resolved", resolved_on=on.isoformat(), outcome=outcome, evidence=evidence,
            confirmed_by=confirmed_by))


def exclude(reg: Register, backlog_id: str, reason: str, on: date | None = None) -> Row:
    """Take a matter off the list (listed by mistake, handed to another organ…): the station
    head, with the reason. The rules do not list it again; the figures stop counting it from
    that day."""
    require_township(reg, roles=("head",))
    entry = _open_entry(reg, backlog_id)
    reason = text(reason, "reason", _("移出理由"), 500, required=True)
    on = not_future(reg, on or today(reg), "on")
    if on.isoformat() < entry["listed_on"]:
        raise ValidationError(_("移出日期不能早于列入积案的日期（{day}）。").format(
            day=entry["listed_on"]), "on")
    with reg.transaction():
        return reg.update("backlog_cases", backlog_id, dict(
            status="excluded", excluded_on=on.isoformat(), excluded_reason=reason))


# ----- the list --------------------------------------------------------------------------------
@dataclass(frozen=True)
class BacklogEntry:
    """One 积案 as the list shows it: age, leader, plan and the last thing done."""

    id: str
    matter_id: str
    number: str
    petitioner: str
    summary: str
    matter_status: str
    received_on: date
    age_days: int
    listed_on: date
    source: str
    reasons: tuple[str, ...]
    status: str
    leader: str
    plan: str
    target_date: date | None
    last_action_on: date | None
    last_action: str
    resolved_on: date | None
    outcome: str

    @property
    def reason_text(self) -> str:
        return _("；").join(_(RULE_LABELS[k]) for k in self.reasons if k in RULE_LABELS)

    @property
    def status_label(self) -> str:
        return _(STATUS_LABELS[self.status])

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "matter_id": self.matter_id, "number": self.number,
                "petitioner": self.petitioner, "summary": self.summary,
                "matter_status": self.matter_status, "received_on": self.received_on.isoformat(),
                "age_days": self.age_days, "listed_on": self.listed_on.isoformat(),
                "source": self.source, "reasons": list(self.reasons), "status": self.status,
                "leader": self.leader, "plan": self.plan,
                "target_date": self.target_date.isoformat() if self.target_date else None,
                "last_action_on": self.last_action_on.isoformat() if self.last_action_on
                else None, "last_action": self.last_action,
                "resolved_on": self.resolved_on.isoformat() if self.resolved_on else None,
                "outcome": self.outcome}


def _last_action(reg: Register, matter_id: str, holding_id: str | None
                 ) -> tuple[date | None, str]:
    """The newest of the matter's timeline events and its 包案 notes."""
    event = reg.rows("SELECT occurred_on, kind, note FROM matter_events WHERE matter_id = ?"
                     " AND deleted = 0 ORDER BY occurred_on DESC, created_at DESC, rowid DESC"
                     " LIMIT 1", (matter_id,))
    best: tuple[date | None, str] = (None, "")
    if event:
        e = event[0]
        kind = str(e["kind"])
        label = _(petitions.EVENT_LABELS.get(kind) or kind)
        best = (date.fromisoformat(e["occurred_on"]),
                f"{label}：{e['note']}" if e["note"] else label)
    if holding_id:
        note = reg.rows("SELECT noted_on, note FROM holding_notes WHERE holding_id = ?"
                        " AND deleted = 0 ORDER BY noted_on DESC, created_at DESC, rowid DESC"
                        " LIMIT 1", (holding_id,))
        if note and (best[0] is None or note[0]["noted_on"] >= best[0].isoformat()):
            best = (date.fromisoformat(note[0]["noted_on"]), note[0]["note"])
    return best


def backlog(reg: Register, *, status: str | None = "open", on: date | None = None
            ) -> list[BacklogEntry]:
    """The 积案 list (open ones by default), oldest matter first."""
    on = on or today(reg)
    sql = ("SELECT b.*, m.number, m.summary, m.received_on, m.status AS matter_status"
           " FROM backlog_cases b JOIN matters m ON m.id = b.matter_id"
           " WHERE b.deleted = 0 AND b.station_code = ?")
    params: list[Any] = [reg.station_code]
    if status:
        sql += " AND b.status = ?"
        params.append(status)
    out = []
    for r in reg.rows(sql + " ORDER BY m.received_on, m.number", params):
        held = holding_of(reg, "matter", r["matter_id"])
        last_on, last = _last_action(reg, r["matter_id"], held.id if held else None)
        received = date.fromisoformat(r["received_on"])
        # the name the matter was registered (and its receipt printed) under, not today's
        person = petitions.main_petitioner(reg, r["matter_id"])
        out.append(BacklogEntry(
            r["id"], r["matter_id"], r["number"], person["name"] if person else "", r["summary"],
            petitions.status_label(r["matter_status"]), received, (on - received).days,
            date.fromisoformat(r["listed_on"]), r["source"], tuple(json.loads(r["reasons"])),
            r["status"], held.leader.label if held else "",
            (held.plan or _("、").join(s.text for s in held.steps)) if held else "",
            held.target_date if held else None, last_on, last, day_of(r["resolved_on"]),
            r["outcome"]))
    return out
