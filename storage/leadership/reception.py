"""Leaders meeting petitioners (docs/domain.md §10.1): the calendar of 领导接访日 (a leader at the
reception room on a fixed day) and 下访 (a leader going down to a village), and 约访 — a
petitioner invited to meet a leader about a matter, with a printed 约访通知书 and the outcome
recorded on the matter's timeline."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from storage import petitions
from storage.errors import NotFound, TransitionError, ValidationError
from storage.i18n import N_, _
from storage.leadership.common import not_future, require_own, require_township, text, today
from storage.leadership.leaders import Leader, leader, leaders
from storage.register import Register, Row

RECEPTION_KINDS = {"接访": N_("领导接访日"), "下访": N_("领导下访")}
RECEPTION_STATUS = {"planned": N_("已安排"), "held": N_("已开展"), "cancelled": N_("已取消")}
APPOINTMENT_STATUS = {"scheduled": N_("已约"), "held": N_("已接谈"), "missed": N_("未到"),
                      "cancelled": N_("已取消")}
#: the event kind written on the matter's timeline when a 约访's outcome is recorded
TIMELINE_EVENT = "appointment"


# ----- reception days and 下访 -----------------------------------------------------------------
@dataclass(frozen=True)
class Reception:
    id: str
    version: int
    leader: Leader
    kind: str
    day: date
    time_text: str
    place: str
    topic: str
    status: str
    batches: int
    persons: int
    matters_handled: int
    note: str

    @property
    def kind_label(self) -> str:
        return _(RECEPTION_KINDS[self.kind])

    @property
    def status_label(self) -> str:
        return _(RECEPTION_STATUS[self.status])


@dataclass
class ReceptionInput:
    leader_id: str
    kind: str
    day: date
    time_text: str = ""
    place: str = ""
    topic: str = ""


def _people(reg: Register) -> dict[str, Leader]:
    return {x.id: x for x in leaders(reg, active_only=False)}


def _reception(row: Row, people: dict[str, Leader]) -> Reception:
    return Reception(row["id"], row["version"], people[row["leader_id"]], row["kind"],
                     date.fromisoformat(row["day"]), row["time_text"], row["place"], row["topic"],
                     row["status"], row["batches"], row["persons"], row["matters_handled"],
                     row["note"])


def receptions(reg: Register, first: date, last: date) -> list[Reception]:
    """Reception days and 下访 from ``first`` to ``last``, by day."""
    people = _people(reg)
    return [_reception(r, people) for r in reg.rows(
        "SELECT * FROM receptions WHERE deleted = 0 AND station_code = ? AND day BETWEEN ? AND ?"
        " ORDER BY day, time_text", (reg.station_code, first.isoformat(), last.isoformat()))
        if r["leader_id"] in people]


def reception(reg: Register, reception_id: str) -> Reception:
    rows = reg.rows("SELECT * FROM receptions WHERE id = ? AND deleted = 0 AND station_code = ?",
                    (reception_id, reg.station_code))
    if not rows:
        raise NotFound(_("找不到这次接访安排。"))
    return _reception(rows[0], _people(reg))


def plan_reception(reg: Register, inp: ReceptionInput) -> Reception:
    """Put a 领导接访日 or a 下访 on the calendar (past days too: recorded afterwards)."""
    require_own(reg)
    who = leader(reg, inp.leader_id)
    if inp.kind not in RECEPTION_KINDS:
        raise ValidationError(_("只能安排领导接访日或领导下访。"), "kind")
    values = dict(leader_id=who.id, kind=inp.kind, day=inp.day.isoformat(),
                  time_text=text(inp.time_text, "time_text", _("时间"), 20),
                  place=text(inp.place, "place", _("地点"), 60, required=True),
                  topic=text(inp.topic, "topic", _("内容"), 200))
    with reg.transaction():
        row = reg.insert("receptions", values)
    return reception(reg, row["id"])


def plan_weekly(reg: Register, leader_ids: list[str], weekday: int, first: date, last: date,
                *, time_text: str, place: str) -> int:
    """A fixed reception weekday (e.g. every Friday) for ``leader_ids`` in turn, from ``first``
    to ``last``: one transaction. Returns the days planned."""
    require_own(reg)
    if not leader_ids:
        raise ValidationError(_("请至少选择一位领导。"), "leader_ids")
    if not 0 <= weekday <= 6 or last < first or (last - first).days > 400:
        raise ValidationError(_("请选择一年以内的起止日期和星期几。"), "weekday")
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    count = 0
    with reg.transaction():
        while day <= last:
            plan_reception(reg, ReceptionInput(leader_ids[count % len(leader_ids)], "接访", day,
                                               time_text, place))
            count += 1
            day += timedelta(days=7)
    return count


def record_reception(reg: Register, reception_id: str, *, batches: int, persons: int,
                     matters_handled: int = 0, note: str = "") -> Reception:
    """The day was held: how many 批次 / 人次 were received and matters dealt with."""
    require_own(reg)
    current = reception(reg, reception_id)
    if current.day > today(reg):
        raise ValidationError(_("还没到{day}，不能登记接访结果。").format(
            day=current.day.isoformat()), "day")
    if batches < 0 or persons < batches or matters_handled < 0:
        raise ValidationError(_("人次不能少于批次，数字不能为负。"), "persons")
    with reg.transaction():
        reg.update("receptions", reception_id, dict(
            status="held", batches=batches, persons=persons, matters_handled=matters_handled,
            note=text(note, "note", _("情况"), 500)), expected_version=current.version)
    return reception(reg, reception_id)


def cancel_reception(reg: Register, reception_id: str, note: str) -> Reception:
    require_own(reg)
    current = reception(reg, reception_id)
    with reg.transaction():
        reg.update("receptions", reception_id, dict(
            status="cancelled", note=text(note, "note", _("取消原因"), 200, required=True)),
            expected_version=current.version)
    return reception(reg, reception_id)


# ----- 约访 ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Appointment:
    id: str
    version: int
    matter_id: str
    matter_number: str
    matter_summary: str
    leader: Leader
    day: date
    time_text: str
    place: str
    petitioner_name: str
    purpose: str
    status: str
    outcome: str

    @property
    def status_label(self) -> str:
        return _(APPOINTMENT_STATUS[self.status])


@dataclass
class AppointmentInput:
    matter_id: str
    leader_id: str
    day: date
    time_text: str
    place: str
    purpose: str = ""


def _appointment(row: Row, people: dict[str, Leader]) -> Appointment:
    return Appointment(row["id"], row["version"], row["matter_id"], row["number"],
                       row["summary"], people[row["leader_id"]], date.fromisoformat(row["day"]),
                       row["time_text"], row["place"], row["petitioner_name"], row["purpose"],
                       row["status"], row["outcome"])


_APPOINTMENTS = ("SELECT a.*, m.number, m.summary FROM appointments a JOIN matters m"
                 " ON m.id = a.matter_id WHERE a.deleted = 0 AND a.station_code = ?")


def appointments(reg: Register, *, first: date | None = None, last: date | None = None,
                 matter_id: str | None = None) -> list[Appointment]:
    sql, params = _APPOINTMENTS, [reg.station_code]
    if first and last:
        sql += " AND a.day BETWEEN ? AND ?"
        params += [first.isoformat(), last.isoformat()]
    if matter_id:
        sql += " AND a.matter_id = ?"
        params.append(matter_id)
    people = _people(reg)
    return [_appointment(r, people) for r in reg.rows(sql + " ORDER BY a.day, a.time_text",
                                                      params) if r["leader_id"] in people]


def appointment(reg: Register, appointment_id: str) -> Appointment:
    rows = reg.rows(_APPOINTMENTS + " AND a.id = ?", (reg.station_code, appointment_id))
    if not rows:
        raise NotFound(_("找不到这次约访。"))
    return _appointment(rows[0], _people(reg))


def make_appointment(reg: Register, inp: AppointmentInput) -> Appointment:
    """约访: invite the matter's petitioner to meet a leader on a day, at a place."""
    require_township(reg)
    who = leader(reg, inp.leader_id)
    rows = reg.rows("SELECT id FROM matters WHERE id = ? AND deleted = 0 AND station_code = ?",
                    (inp.matter_id, reg.station_code))
    person = petitions.main_petitioner(reg, inp.matter_id) if rows else None
    if person is None:
        raise NotFound(_("找不到该信访件。"))
    if inp.day < today(reg):
        raise ValidationError(_("约访日期不能早于今天。"), "day")
    values = dict(matter_id=inp.matter_id, leader_id=who.id, day=inp.day.isoformat(),
                  time_text=text(inp.time_text, "time_text", _("时间"), 20, required=True),
                  place=text(inp.place, "place", _("地点"), 60, required=True),
                  purpose=text(inp.purpose, "purpose", _("约访事由"), 200),
                  petitioner_name=person["name"])
    with reg.transaction():
        row = reg.insert("appointments", values)
    return appointment(reg, row["id"])


def record_outcome(reg: Register, appointment_id: str, status: str, outcome: str,
                   on: date | None = None) -> Appointment:
    """How the 约访 went (接谈 held, the petitioner did not come, or cancelled); the same
    transaction writes it on the matter's timeline."""
    require_township(reg)
    current = appointment(reg, appointment_id)
    if current.status != "scheduled":
        raise TransitionError(_("这次约访的结果已经登记。"))
    if status not in ("held", "missed", "cancelled"):
        raise ValidationError(_("约访结果只能是已接谈、未到或已取消。"), "status")
    on = not_future(reg, on or today(reg), "on")
    if status != "cancelled" and current.day > on:
        raise ValidationError(_("约访日期（{day}）还没到。").format(day=current.day.isoformat()),
                              "on")
    outcome = text(outcome, "outcome", _("接谈情况"), 1000, required=status == "held")
    data: dict[str, Any] = {"leader": current.leader.label, "status": status,
                            "appointment_id": current.id}
    with reg.transaction():
        reg.update("appointments", appointment_id, dict(status=status, outcome=outcome),
                   expected_version=current.version)
        reg.insert("matter_events", dict(
            matter_id=current.matter_id, kind=TIMELINE_EVENT, occurred_on=on.isoformat(),
            actor=reg.actor.username,
            note=_("{leader}约访{status}：{outcome}").format(
                leader=current.leader.label, status=_(APPOINTMENT_STATUS[status]),
                outcome=outcome) if outcome else _("{leader}约访{status}").format(
                leader=current.leader.label, status=_(APPOINTMENT_STATUS[status])),
            data=json.dumps(data, ensure_ascii=False)))
    return appointment(reg, appointment_id)


# ----- the month's calendar --------------------------------------------------------------------
@dataclass(frozen=True)
class CalendarEntry:
    day: date
    text: str  # "领导接访日：周国平（党委书记） 上午8:30-11:30 镇信访接待室"
    status: str  # its status, as a label
    kind: str  # 'reception', 'visit' or 'appointment'
    ref: str  # the record's id


def month_calendar(reg: Register, year: int, month: int) -> list[CalendarEntry]:
    """Everything leaders do with petitioners in a month: reception days, 下访 and 约访."""
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    out = [CalendarEntry(r.day, _("{kind}：{leader} {time} {place}").format(
        kind=r.kind_label, leader=r.leader.label, time=r.time_text, place=r.place),
        r.status_label, "reception" if r.kind == "接访" else "visit", r.id)
        for r in receptions(reg, first, last)]
    out += [CalendarEntry(a.day, _("约访：{leader}约{name} {time} {place}").format(
        leader=a.leader.label, name=a.petitioner_name, time=a.time_text, place=a.place),
        a.status_label, "appointment", a.id)
        for a in appointments(reg, first=first, last=last)]
    return sorted(out, key=lambda e: (e.day, e.kind != "reception", e.text))
