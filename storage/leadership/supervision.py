"""交办 and 督办 between the county and its townships (docs/domain.md §10.3).

The county registers a petition that belongs to a township (or takes one of the township's
imported matters) and issues a 交办单 with a deadline; it issues a 督办单 on any township matter
(reason, level, deadline). Both are the county's own records, numbered when issued
(〔2026〕姑信交字第3号), addressed to the township in ``to_station``: they travel to it in the
county's signed, encrypted bundle (storage/sync — downward). The township 签收s (registering a
交办 of a new petition as its own matter), reports progress and finally sends its 办理情况反馈;
those are the township's records and travel back in its monthly bundle.

Status of each, on a day: **answered** once a final 反馈 exists (on time if dated on or before
the deadline), **overdue** when the deadline has passed without one, otherwise **pending**;
**withdrawn** if the county took it back. The same functions read a township's register, the
county's, and the county's view of one township.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from storage import petitions, station
from storage.errors import NotFound, PermissionDenied, TransitionError, ValidationError
from storage.i18n import N_, _, pgettext
from storage.leadership.common import (
    day_of,
    document_number,
    next_seq,
    not_future,
    require_own,
    require_township,
    text,
    today,
)
from storage.register import Register, Row
from storage.validation import normalize_phone

#: 督办 levels, from a plain reminder to one the county tracks by name (挂牌)
LEVELS = (N_("一般督办"), N_("重点督办"), N_("挂牌督办"))
REPLY_KINDS = {"received": N_("签收"), "progress": N_("阶段反馈"), "final": N_("办结反馈")}
#: what a final 反馈 says the matter came to
RESULTS = (N_("已答复"), N_("已化解"), N_("已转有权机关"))
#: what the petitioner said of it
PETITIONER_VIEWS = (N_("满意"), N_("基本满意"), N_("不满意"), N_("未表态"))
STATUS_LABELS = {"pending": N_("办理中"), "answered": N_("已反馈"), "overdue": N_("已逾期"),
                 "withdrawn": N_("已撤回")}
ISSUE_ROLES = ("county", "head")
_WORDS = {"交办": "交", "督办": "督"}
FEEDBACK_WORD = "馈"


@dataclass(frozen=True)
class Reply:
    id: str
    kind: str
    replied_on: date
    number: str
    content: str
    result: str
    petitioner_view: str
    handled_by: str
    contact: str
    matter_id: str | None

    @property
    def kind_label(self) -> str:
        return _(REPLY_KINDS[self.kind])


@dataclass(frozen=True)
class Assignment:
    """A 交办单 or 督办单 with the township's replies and its status on ``as_of``."""

    id: str
    version: int
    kind: str
    to_station: str
    township: str
    number: str
    issuer: str
    issued_on: date
    deadline: date
    matter_id: str | None
    matter_number: str
    parent_id: str | None
    petitioner_name: str
    petitioner_phone: str
    petitioner_address: str
    form: str
    received_on: date | None
    summary: str
    request: str
    requirements: str
    reason: str
    level: str
    issued_by: str
    contact: str
    withdrawn: bool
    replies: tuple[Reply, ...]
    as_of: date

    @property
    def final(self) -> Reply | None:
        finals = [r for r in self.replies if r.kind == "final"]
        return finals[-1] if finals else None

    @property
    def received(self) -> Reply | None:
        return next((r for r in self.replies if r.kind == "received"), None)

    @property
    def linked_matter(self) -> str | None:
        """The township's matter this is about: named by the county, or registered at 签收."""
        if self.matter_id:
            return self.matter_id
        return next((r.matter_id for r in self.replies if r.matter_id), None)

    @property
    def status(self) -> str:
        if self.withdrawn:
            return "withdrawn"
        final = self.final
        if final is not None and final.replied_on <= self.as_of:
            return "answered"
        return "overdue" if self.deadline < self.as_of else "pending"

    @property
    def status_label(self) -> str:
        return _(STATUS_LABELS[self.status])

    @property
    def on_time(self) -> bool | None:
        """Answered by the deadline (None while not answered)."""
        final = self.final
        return None if final is None else final.replied_on <= self.deadline

    @property
    def days_left(self) -> int:
        return (self.deadline - self.as_of).days

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def title(self) -> str:
        return _("交办单") if self.kind == "交办" else _("督办单")

    def to_json(self) -> dict[str, Any]:
        final = self.final
        return {"id": self.id, "kind": self.kind, "number": self.number,
                "township_code": self.to_station, "township": self.township,
                "issued_on": self.issued_on.isoformat(), "deadline": self.deadline.isoformat(),
                "status": self.status, "matter_number": self.matter_number,
                "summary": self.summary, "level": self.level, "reason": self.reason,
                "answered_on": final.replied_on.isoformat() if final else None,
                "on_time": self.on_time, "replies": len(self.replies)}


def kind_label(kind: str) -> str:
    """交办 or 督办 as a label (its own context: 交办 is also a handling mode of a matter)."""
    labels = {"交办": pgettext("交办督办类别", "交办"), "督办": pgettext("交办督办类别", "督办")}
    return labels.get(kind, kind)


# ----- reading ---------------------------------------------------------------------------------
def _townships(reg: Register) -> dict[str, str]:
    return {r["code"]: r["short_name"] or r["name"] for r in reg.rows(
        "SELECT code, name, short_name FROM stations WHERE deleted = 0")}


def _replies(reg: Register, ids: list[str]) -> dict[str, list[Reply]]:
    out: dict[str, list[Reply]] = {}
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        # Only the addressed township's own replies count (a reply is the township's record).
        for r in reg.rows(
                "SELECT r.* FROM assignment_replies r JOIN assignments a ON a.id = r.assignment_id"
                f" WHERE r.deleted = 0 AND r.station_code = a.to_station"
                f" AND r.assignment_id IN ({','.join('?' * len(part))})"
                " ORDER BY r.replied_on, r.created_at, r.rowid", part):
            out.setdefault(r["assignment_id"], []).append(Reply(
                r["id"], r["kind"], date.fromisoformat(r["replied_on"]), r["number"],
                r["content"], r["result"], r["petitioner_view"], r["handled_by"], r["contact"],
                r["matter_id"]))
    return out


def _assignment(row: Row, replies: list[Reply], names: dict[str, str], on: date) -> Assignment:
    return Assignment(
        row["id"], row["version"], row["kind"], row["to_station"],
        names.get(row["to_station"]) or str(row["to_station"]), row["number"], row["issuer_name"],
        date.fromisoformat(row["issued_on"]), date.fromisoformat(row["deadline"]),
        row["matter_id"], row["matter_number"], row["parent_id"], row["petitioner_name"],
        row["petitioner_phone"], row["petitioner_address"], row["form"],
        day_of(row["received_on"]), row["summary"], row["request"], row["requirements"],
        row["reason"], row["level"], row["issued_by"], row["contact"],
        row["status"] == "withdrawn", tuple(replies), on)


def assignments(reg: Register, *, on: date | None = None, township: str | None = None,
                kind: str | None = None, status: str | None = None,
                issued_until: date | None = None) -> list[Assignment]:
    """Every 交办/督办 this register sees: at the county those it issued, at a township (and in
    the county's view of one) those addressed to it. By deadline."""
    on = on or today(reg)
    sql = "SELECT * FROM assignments WHERE deleted = 0 AND (station_code = ? OR to_station = ?)"
    params: list[Any] = [reg.station_code, reg.station_code]
    if township:
        sql += " AND to_station = ?"
        params.append(township)
    if kind:
        sql += " AND kind = ?"
        params.append(kind)
    if issued_until:
        sql += " AND issued_on <= ?"
        params.append(issued_until.isoformat())
    rows = reg.rows(sql + " ORDER BY deadline, issued_on, number", params)
    replies = _replies(reg, [r["id"] for r in rows])
    names = _townships(reg)
    found = [_assignment(r, replies.get(r["id"], []), names, on) for r in rows]
    return [a for a in found if status is None or a.status == status]


def assignment(reg: Register, ref: str, *, on: date | None = None) -> Assignment:
    """One 交办/督办 by its id or number."""
    ref = ref.strip()
    found = [a for a in assignments(reg, on=on) if ref in (a.id, a.number)]
    if not found:
        raise NotFound(_("找不到交办/督办单“{ref}”。").format(ref=ref))
    return found[0]


def reply_by_ref(reg: Register, ref: str) -> tuple[Assignment, Reply]:
    """A 反馈 (and the 交办/督办 it answers) by its id or number."""
    ref = ref.strip()
    for a in assignments(reg):
        for r in a.replies:
            if ref in (r.id, r.number) and r.kind != "received":
                return a, r
    raise NotFound(_("找不到反馈“{ref}”。").format(ref=ref))


@dataclass
class TownshipSummary:
    """One township's line of the county's overview."""

    code: str
    name: str
    issued: int = 0
    pending: int = 0
    answered: int = 0
    overdue: int = 0
    on_time: int = 0
    items: list[Assignment] = field(default_factory=list)


def per_township(reg: Register, on: date | None = None) -> list[TownshipSummary]:
    """At the county: every township it has issued to, with counts by status."""
    out: dict[str, TownshipSummary] = {}
    for a in assignments(reg, on=on):
        if a.withdrawn:
            continue
        s = out.setdefault(a.to_station, TownshipSummary(a.to_station, a.township))
        s.issued += 1
        setattr(s, a.status, getattr(s, a.status) + 1)
        s.on_time += int(bool(a.on_time))
        s.items.append(a)
    return [out[k] for k in sorted(out)]


def home_alerts(reg: Register, on: date | None = None) -> list[str]:
    """Unanswered 交办/督办 with their deadlines, the most urgent first."""
    lines = []
    for a in assignments(reg, on=on):
        if a.status not in ("pending", "overdue"):
            continue
        left = a.days_left
        when = _("逾期{n}天").format(n=-left) if left < 0 else _("剩{n}天").format(n=left)
        lines.append(_("【{kind}】{number} {summary}，{township}，期限{deadline}（{when}）").format(
            kind=a.kind_label, number=a.number, summary=a.summary,
            township=a.township if reg.mode == "county" else a.issuer,
            deadline=a.deadline.isoformat(), when=when))
    return lines


# ----- the county issues -----------------------------------------------------------------------
def _require_county(reg: Register) -> None:
    require_own(reg, roles=ISSUE_ROLES)
    if reg.mode != "county":
        raise PermissionDenied(_("只有县信访局才能交办或督办。"))


def _check_township(reg: Register, code: str) -> str:
    code = code.strip()
    if not (len(code) == 12 and code.isdigit() and code[:6] == reg.station_code[:6]
            and code != reg.station_code):
        raise ValidationError(_("请选择本县的乡镇（12位区划代码）。"), "to_station")
    return code


def _deadline(deadline: date, issued_on: date) -> date:
    if deadline <= issued_on:
        raise ValidationError(_("办理期限应晚于交办日期。"), "deadline")
    if (deadline - issued_on).days > 366:
        raise ValidationError(_("办理期限不能超过一年。"), "deadline")
    return deadline


def _issuer(reg: Register) -> str:
    st = station.station(reg)
    return st.office_name or st.name


def _insert(reg: Register, kind: str, issued_on: date, values: dict[str, Any]) -> Assignment:
    with reg.transaction():
        seq = next_seq(reg, "assignments", issued_on.year, "AND kind = ?", (kind,))
        row = reg.insert("assignments", dict(
            values, kind=kind, year=issued_on.year, seq=seq,
            number=document_number(reg, _WORDS[kind], issued_on.year, seq),
            issuer_name=_issuer(reg), issued_on=issued_on.isoformat(),
            issued_by=reg.actor.display_name))
    return assignment(reg, row["id"])


@dataclass
class AssignmentInput:
    """A 交办: a petition the county received (or a township matter it hands down)."""

    to_station: str
    deadline: date
    summary: str
    request: str = ""
    requirements: str = ""
    petitioner_name: str = ""
    petitioner_phone: str = ""
    petitioner_address: str = ""
    form: str = "来信"
    received_on: date | None = None
    matter_id: str | None = None
    contact: str = ""
    issued_on: date | None = None


def township_matter(reg: Register, matter_id: str) -> Row:
    """A township's matter as the county holds it (imported)."""
    rows = reg.rows("SELECT * FROM matters WHERE id = ? AND deleted = 0", (matter_id,))
    person = petitions.main_petitioner(reg, matter_id) if rows else None
    if person is None:
        raise NotFound(_("找不到该乡镇信访件（请先导入该乡镇的数据包）。"))
    # the petitioner as registered on the matter (what the township printed), not as now
    return dict(rows[0], petitioner_name=person["name"], petitioner_phone=person["phone"],
                petitioner_address=person["address"])


def find_township_matter(reg: Register, ref: str) -> str:
    """A township matter's id by its id or full number (320508102000-2026-00012)."""
    rows = reg.rows("SELECT id FROM matters WHERE deleted = 0 AND (id = ? OR number = ?)",
                    (ref.strip(), ref.strip()))
    if not rows:
        raise NotFound(_("找不到信访件“{ref}”（请写完整编号）。").format(ref=ref))
    return str(rows[0]["id"])


def issue_assignment(reg: Register, inp: AssignmentInput) -> Assignment:
    """County: issue a 交办单."""
    _require_county(reg)
    issued_on = not_future(reg, inp.issued_on or today(reg), "issued_on")
    values: dict[str, Any] = dict(
        deadline=_deadline(inp.deadline, issued_on).isoformat(),
        requirements=text(inp.requirements, "requirements", _("办理要求"), 500),
        contact=text(inp.contact, "contact", _("联系人及电话"), 60))
    if inp.matter_id:
        m = township_matter(reg, inp.matter_id)
        values.update(
            to_station=m["station_code"], matter_id=m["id"], matter_number=m["number"],
            petitioner_name=m["petitioner_name"], petitioner_phone=m["petitioner_phone"],
            petitioner_address=m["petitioner_address"], form=m["form"],
            received_on=m["received_on"],
            summary=text(inp.summary or m["summary"], "summary", _("主要内容"), 200,
                         required=True),
            request=text(inp.request or m["request"], "request", _("诉求"), 1000))
    else:
        received = not_future(reg, inp.received_on or issued_on, "received_on")
        phone = inp.petitioner_phone.strip()
        values.update(
            to_station=_check_township(reg, inp.to_station),
            petitioner_name=text(inp.petitioner_name, "petitioner_name", _("信访人"), 20,
                                 required=True),
            petitioner_phone=normalize_phone(phone, field="petitioner_phone").number
            if phone else "",
            petitioner_address=text(inp.petitioner_address, "petitioner_address", _("住址"),
                                    100),
            form=text(inp.form, "form", _("信访形式"), 10, required=True),
            received_on=received.isoformat(),
            summary=text(inp.summary, "summary", _("主要内容"), 200, required=True),
            request=text(inp.request, "request", _("诉求"), 1000))
    return _insert(reg, "交办", issued_on, values)


@dataclass
class SupervisionInput:
    """A 督办 on a township matter, or on an earlier 交办 (``parent_id``)."""

    deadline: date
    reason: str
    level: str = LEVELS[0]
    requirements: str = ""
    matter_id: str | None = None
    parent_id: str | None = None
    contact: str = ""
    issued_on: date | None = None


def issue_supervision(reg: Register, inp: SupervisionInput) -> Assignment:
    """County: issue a 督办单 on a township matter (or on an earlier 交办 that is late)."""
    _require_county(reg)
    issued_on = not_future(reg, inp.issued_on or today(reg), "issued_on")
    if inp.level not in LEVELS:
        raise ValidationError(_("督办级别只能是：{choices}。").format(
            choices=_("、").join(_(x) for x in LEVELS)), "level")
    values: dict[str, Any] = dict(
        deadline=_deadline(inp.deadline, issued_on).isoformat(),
        reason=text(inp.reason, "reason", _("督办事由"), 500, required=True), level=inp.level,
        requirements=text(inp.requirements, "requirements", _("办理要求"), 500),
        contact=text(inp.contact, "contact", _("联系人及电话"), 60))
    if inp.parent_id:
        parent = assignment(reg, inp.parent_id)
        if parent.withdrawn:
            raise TransitionError(_("该交办单已撤回。"))
        values.update(to_station=parent.to_station, parent_id=parent.id,
                      matter_id=parent.linked_matter, matter_number=parent.matter_number
                      or parent.number, petitioner_name=parent.petitioner_name,
                      summary=parent.summary, form=parent.form,
                      received_on=parent.received_on.isoformat() if parent.received_on
                      else None)
    elif inp.matter_id:
        m = township_matter(reg, inp.matter_id)
        values.update(to_station=m["station_code"], matter_id=m["id"],
                      matter_number=m["number"], petitioner_name=m["petitioner_name"],
                      summary=m["summary"], form=m["form"], received_on=m["received_on"])
    else:
        raise ValidationError(_("请选择要督办的乡镇信访件。"), "matter_id")
    return _insert(reg, "督办", issued_on, values)


def withdraw(reg: Register, assignment_id: str) -> Assignment:
    """County: take back a 交办/督办 issued by mistake (the township sees it withdrawn)."""
    _require_county(reg)
    current = assignment(reg, assignment_id)
    if current.withdrawn:
        raise TransitionError(_("该单已经撤回。"))
    with reg.transaction():
        reg.update("assignments", assignment_id, {"status": "withdrawn"},
                   expected_version=current.version)
    return assignment(reg, assignment_id)


# ----- the township answers --------------------------------------------------------------------
def _addressed(reg: Register, assignment_id: str) -> Assignment:
    found = assignment(reg, assignment_id)
    if found.to_station != reg.station_code:
        raise PermissionDenied(_("这份交办/督办单不是发给本站的。"))
    if found.withdrawn:
        raise TransitionError(_("县信访局已撤回这份{title}，不需要再办理。").format(
            title=found.title))
    return found


def _insert_reply(reg: Register, a: Assignment, kind: str, on: date, values: dict[str, Any]
                  ) -> Reply:
    with reg.transaction():
        numbered: dict[str, Any] = {}
        if kind != "received":
            seq = next_seq(reg, "assignment_replies", on.year, "AND kind != 'received'")
            numbered = dict(year=on.year, seq=seq,
                            number=document_number(reg, FEEDBACK_WORD, on.year, seq))
        row = reg.insert("assignment_replies", dict(values, **numbered, assignment_id=a.id,
                                                    kind=kind, replied_on=on.isoformat()))
    return next(r for r in assignment(reg, a.id).replies if r.id == row["id"])


def receive(reg: Register, assignment_id: str, on: date | None = None,
            matter_id: str | None = None) -> Reply:
    """签收: the township has it (and, for a 交办 of a new petition, its matter number)."""
    require_township(reg)
    a = _addressed(reg, assignment_id)
    if a.received is not None:
        raise TransitionError(_("这份{title}已经签收。").format(title=a.title))
    on = not_future(reg, on or today(reg), "on")
    if matter_id and not reg.scalar("SELECT count(*) FROM matters WHERE id = ? AND deleted = 0"
                                    " AND station_code = ?", (matter_id, reg.station_code)):
        raise NotFound(_("找不到该信访件。"))
    return _insert_reply(reg, a, "received", on, {"matter_id": matter_id,
                                                    "handled_by": reg.actor.display_name})


def register_as_matter(reg: Register, assignment_id: str, on: date | None = None) -> Row:
    """签收 a 交办 of a petition the township does not have yet: registered as the township's
    own matter (form as the county received it, the 交办单's number in the facts), in the same
    transaction as the 签收."""
    require_township(reg)
    a = _addressed(reg, assignment_id)
    if a.linked_matter:
        raise TransitionError(_("这份交办单已经对应信访件，不需要再登记。"))
    on = not_future(reg, on or today(reg), "on")
    forms = {r["code"] for r in reg.rows("SELECT code FROM codes WHERE kind = 'form'"
                                         " AND deleted = 0 AND station_code = ?",
                                         (reg.station_code,))}
    inp = petitions.RegistrationInput(
        form=a.form if a.form in forms else "来信", received_on=on,
        petitioners=[petitions.PetitionerInput(name=a.petitioner_name,
                                               phone=a.petitioner_phone,
                                               address=a.petitioner_address)],
        summary=a.summary, request=a.request,
        facts=_("{issuer}{number}交办（{issued}），要求{deadline}前反馈办理情况。{req}").format(
            issuer=a.issuer, number=a.number, issued=a.issued_on.isoformat(),
            deadline=a.deadline.isoformat(), req=a.requirements).strip())
    with reg.transaction():
        matter = petitions.register(reg, inp)
        receive(reg, assignment_id, on, matter["id"])
    return matter


@dataclass
class ReplyInput:
    kind: str  # 'progress' or 'final'
    content: str
    on: date | None = None
    result: str = ""
    petitioner_view: str = ""
    handled_by: str = ""
    contact: str = ""


def reply(reg: Register, assignment_id: str, inp: ReplyInput) -> Reply:
    """阶段反馈 or 办理情况反馈 (final, with the result and what the petitioner said)."""
    require_township(reg)
    a = _addressed(reg, assignment_id)
    if inp.kind not in ("progress", "final"):
        raise ValidationError(_("反馈只能是阶段反馈或办结反馈。"), "kind")
    if a.final is not None:
        raise TransitionError(_("这份{title}已经反馈办结。").format(title=a.title))
    on = not_future(reg, inp.on or today(reg), "on")
    if on < a.issued_on:
        raise ValidationError(_("反馈日期不能早于交办日期（{day}）。").format(
            day=a.issued_on.isoformat()), "on")
    values: dict[str, Any] = dict(
        content=text(inp.content, "content", _("办理情况"), 2000, required=True),
        handled_by=text(inp.handled_by or reg.actor.display_name, "handled_by", _("承办人"), 20,
                        required=True),
        contact=text(inp.contact, "contact", _("联系电话"), 40), matter_id=a.linked_matter)
    if inp.kind == "final":
        if inp.result not in RESULTS:
            raise ValidationError(_("办理结果只能是：{choices}。").format(
                choices=_("、").join(_(x) for x in RESULTS)), "result")
        if inp.petitioner_view not in PETITIONER_VIEWS:
            raise ValidationError(_("信访人意见只能是：{choices}。").format(
                choices=_("、").join(_(x) for x in PETITIONER_VIEWS)), "petitioner_view")
        values.update(result=inp.result, petitioner_view=inp.petitioner_view)
    with reg.transaction():
        if a.received is None:  # a 反馈 without a 签收 first: the 签收 is implied, same day
            receive(reg, assignment_id, on)
        return _insert_reply(reg, a, inp.kind, on, values)
