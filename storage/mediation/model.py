"""People's mediation cases (人民调解, docs/domain.md §4): the records as read by the app, the printing
code and the statistics — dataclasses, labels, who may see what, the 卷宗 checklist (§4.3) and
the deadlines of every open case. The write operations are in ``storage.mediation``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from storage.deadlines import DUE_SOON_DAYS, Urgency, urgency
from storage.errors import NotFound, PermissionDenied, TransitionError, ValidationError
from storage.i18n import N_, _
from storage.register import Register, Row

# ----- codes and their labels -----------------------------------------------------------------

STATUS_LABELS = {
    "accepted": N_("已受理"),
    "mediating": N_("调解中"),
    "agreed": N_("已达成协议"),
    "closed": N_("已结案"),
    "failed": N_("调解不成"),
    "terminated": N_("已终止"),
}
OPEN_STATUSES = ("accepted", "mediating")  # mediation still going on
ENDED_STATUSES = ("closed", "failed", "terminated")

SOURCE_LABELS = {
    "application": N_("当事人申请"),
    "initiative": N_("人民调解委员会主动调解"),
    "police": N_("公安机关移交"),
    "court": N_("审判机关委托"),
    "government": N_("政府部门指定"),
    "matter": N_("信访事项转调"),
    "dispute": N_("矛盾纠纷排查转调"),
}
REFERRAL_SOURCES = ("police", "court", "government")
#: How the statistics group sources (docs/domain.md §4.4: 主动调解 / 申请调解 / 接受委托移送调解).
SOURCE_GROUPS = {
    "application": N_("申请调解"),
    "initiative": N_("主动调解"),
    "matter": N_("主动调解"),
    "dispute": N_("主动调解"),
    "police": N_("接受委托移送调解"),
    "court": N_("接受委托移送调解"),
    "government": N_("接受委托移送调解"),
}

SIDE_LABELS = {"a": N_("甲方"), "b": N_("乙方")}
APPLICATION_SIDE_LABELS = {"a": N_("申请人"), "b": N_("被申请人")}
PARTY_KIND_LABELS = {"person": N_("自然人"), "organisation": N_("法人或其他组织")}

SESSION_KIND_LABELS = {"investigation": N_("调查"), "mediation": N_("调解")}
SESSION_RESULT_LABELS = {"continue": N_("继续调解"), "agreed": N_("达成一致"),
                         "failed": N_("未能达成一致")}

AGREEMENT_FORM_LABELS = {"written": N_("书面协议"), "oral": N_("口头协议")}
PERFORMANCE_LABELS = {"pending": N_("待履行"), "partial": N_("部分履行"),
                      "performed": N_("履行完毕"), "breached": N_("拒不履行")}
#: Matters a court does not accept for judicial confirmation ([SPC2011]).
STATUS_MATTERS = (N_("婚姻关系"), N_("收养关系"), N_("身份关系"))
JC_RESULT_LABELS = {"pending": N_("法院审查中"), "confirmed": N_("确认有效"),
                    "rejected": N_("不予确认"), "not_accepted": N_("不予受理"),
                    "withdrawn": N_("撤回申请")}
#: Routes the parties are told of when mediation fails ([MedLaw] Art.26).
ROUTES = (N_("仲裁"), N_("行政"), N_("司法"))
SATISFACTION = (N_("满意"), N_("基本满意"), N_("不满意"))
RETENTION = (N_("永久"), N_("长期"), N_("短期"))
_STORED_LABELS = frozenset((*STATUS_MATTERS, *ROUTES, *SATISFACTION, *RETENTION))


def value_label(value: str) -> str:
    """A value stored in Chinese from one of the lists above (a route, a satisfaction rating,
    a retention period, a status matter) in the current language; anything else as stored."""
    return _(value) if value in _STORED_LABELS else value

#: Days after the performance deadline (or the oral agreement) by which a follow-up is due.


def status_label(code: str) -> str:
    return _(STATUS_LABELS.get(code, code))


def source_label(code: str) -> str:
    return _(SOURCE_LABELS.get(code, code))


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _list(value: str | None) -> tuple[str, ...]:
    return tuple(json.loads(value or "[]"))


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def format_amount(amount: Decimal) -> str:
    """12000 -> "12,000.00元"."""
    return _("{amount}元").format(amount=f"{amount:,.2f}")


def parse_amount(text: str | int | Decimal, *, field: str = "amount",
                 label: str = N_("涉及金额")) -> int:
    """Read an amount in yuan ("12000", "1,200.50", "1.2万", "３０００元") into fen."""
    if isinstance(text, int | Decimal):
        value = Decimal(text)
    else:
        import unicodedata

        s = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("，", "")
        s = s.removesuffix("元").strip()
        factor = Decimal(1)
        if s.endswith("万"):
            factor, s = Decimal(10000), s[:-1].strip()
        if not s:
            return 0
        try:
            value = Decimal(s) * factor
        except ArithmeticError:
            raise ValidationError(_("{label}“{text}”不是金额，请填写数字，例如 12000 或 1.2万。")
                                  .format(label=_(label), text=text), field) from None
    if not value.is_finite() or value < 0:
        raise ValidationError(_("{label}不能是负数。").format(label=_(label)), field)
    if value > Decimal("1e12"):
        raise ValidationError(_("{label}太大了，请核对。").format(label=_(label)), field)
    return int((value * 100).quantize(Decimal(1)))


# ----- the records ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Party:
    """A party with the fields of the 人民调解申请书 (docs/domain.md §4.3)."""

    id: str
    side: str  # 'a' (申请人 / 甲方) or 'b' (被申请人 / 乙方)
    kind: str  # 'person' or 'organisation'
    name: str  # 姓名 or 名称
    gender: str
    ethnic_group: str
    birth_date: date | None
    age: int | None  # typed when the birth date is unknown
    occupation: str  # 职业或职务
    phone: str
    address: str  # 单位或住址
    id_number: str  # citizen ID; for an organisation its 统一社会信用代码
    representative: str  # 法定代表人 / 负责人 of an organisation
    representative_title: str
    agent: str  # 委托代理人 (needs a 授权委托书)
    sort: int
    version: int = 1  # for update_party's expected_version: a stale form is refused

    @property
    def is_person(self) -> bool:
        return self.kind == "person"

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return self.age
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    def side_label(self, source: str = "") -> str:
        labels = APPLICATION_SIDE_LABELS if source == "application" else SIDE_LABELS
        return _(labels[self.side])


@dataclass(frozen=True)
class Session:
    """One 调解 (人民调解记录) or 调查 (人民调解调查记录) session."""

    id: str
    kind: str
    held_on: date
    time: str
    place: str
    mediators: tuple[str, ...]
    recorder: str
    participants: str  # 参加人: invited helpers, not the mediator, parties or recorder
    present_party_ids: tuple[str, ...]
    rights_notified: bool
    statement_a: str
    statement_b: str
    findings: str  # 调查情况 / 核实情况
    agreed: str  # what was agreed at this session
    record: str  # anything else said, or the Q&A of an investigation
    result: str  # continue / agreed / failed

    @property
    def kind_label(self) -> str:
        return _(SESSION_KIND_LABELS[self.kind])

    @property
    def result_label(self) -> str:
        return _(SESSION_RESULT_LABELS.get(self.result, self.result))


@dataclass(frozen=True)
class Agreement:
    """人民调解协议书 (written) or 口头协议登记表 (oral); judicial confirmation on it."""

    id: str
    form: str
    number: str
    signed_on: date  # effective date (all signed / oral agreement reached)
    facts: str  # 纠纷主要事实
    issues: str  # 争议事项
    responsibilities: str  # 各方责任
    terms: str  # 协议内容
    performance_manner: str
    performance_place: str
    performance_deadline: date | None
    copies: int
    amount: Decimal
    status_matter: str  # '' or one of STATUS_MATTERS
    jc_due: date | None
    jc_applied_on: date | None
    jc_court: str
    jc_result: str
    jc_decided_on: date | None
    jc_case_number: str
    jc_note: str

    @property
    def form_label(self) -> str:
        return _(AGREEMENT_FORM_LABELS[self.form])

    @property
    def jc_result_label(self) -> str:
        return _(JC_RESULT_LABELS[self.jc_result]) if self.jc_result else ""

    @property
    def copies_text(self) -> str:
        return _("本协议一式{n}份，当事人各执一份，调委会留存一份。").format(n=self.copies)


@dataclass(frozen=True)
class FollowUp:
    """人民调解回访记录."""

    id: str
    visited_on: date
    visitor: str
    visited_persons: str
    performance: str  # 履行情况
    satisfaction: str
    lawsuit: str  # any lawsuit over performance and its outcome
    risk: str  # mis-mediation, escalation or remaining risk
    measures: str
    next_due: date | None


@dataclass(frozen=True)
class Event:
    id: str
    kind: str
    occurred_on: date
    actor: str  # the display name recorded with the step (else the login it was taken under)
    note: str
    data: dict[str, Any]
    created_at: str


@dataclass(frozen=True)
class Mediation:
    """The case itself: registration (受理登记表), outcome, performance and filing."""

    id: str
    version: int
    number: str  # （2026）花园人调字第1号
    year: int
    seq: int
    committee: str
    source: str
    referred_by: str
    matter_id: str | None
    dispute_id: str | None
    dispute_type: str
    title: str
    facts: str
    claims: tuple[str, ...]
    amount: Decimal
    village_id: str | None
    village_name: str
    place: str
    applied_on: date | None
    accepted_on: date
    registered_by: str
    mediators: tuple[str, ...]
    recorder: str
    status: str
    period_due: date
    period_extended_days: int
    outcome_on: date | None
    failure_reason: str
    routes: tuple[str, ...]
    termination_reason: str
    performance_status: str
    performed_on: date | None
    followup_due: date | None
    closed_on: date | None
    filed_by: str
    filed_on: date | None
    retention: str
    file_note: str
    docs_ticked: frozenset[str]
    # 作废 (docs/domain.md §3.6): the case was registered by mistake; it stays to be read.
    voided: bool = False
    void_reason: str = ""
    voided_at: str = ""
    void_confirmed_by: str = ""

    @property
    def status_label(self) -> str:
        return _("已作废") if self.voided else status_label(self.status)

    @property
    def source_label(self) -> str:
        return source_label(self.source)

    @property
    def performance_label(self) -> str:
        return _(PERFORMANCE_LABELS[self.performance_status]) if self.performance_status else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED_STATUSES


@dataclass(frozen=True)
class ChecklistItem:
    """One line of the 卷宗 contents list (docs/domain.md §4.3)."""

    no: int
    key: str
    title: str
    required: bool  # 必须 (or needed because of what the file holds)
    present: bool
    derived: bool  # presence follows from the data (True) or from the user's tick (False)
    tickable: bool  # the user may tick it by hand
    note: str = ""

    @property
    def missing(self) -> bool:
        return self.required and not self.present


@dataclass(frozen=True)
class MediationFile:
    """Everything the printed documents of one case need, in one bundle."""

    case: Mediation
    parties: tuple[Party, ...]
    sessions: tuple[Session, ...]
    agreement: Agreement | None
    followups: tuple[FollowUp, ...]
    events: tuple[Event, ...]
    checklist: tuple[ChecklistItem, ...]
    station_name: str
    matter_number: str
    dispute_summary: str

    def side(self, side: str) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.side == side)

    @property
    def parties_a(self) -> tuple[Party, ...]:
        return self.side("a")

    @property
    def parties_b(self) -> tuple[Party, ...]:
        return self.side("b")

    @property
    def mediation_sessions(self) -> tuple[Session, ...]:
        return tuple(s for s in self.sessions if s.kind == "mediation")

    @property
    def investigations(self) -> tuple[Session, ...]:
        return tuple(s for s in self.sessions if s.kind == "investigation")

    @property
    def dates(self) -> tuple[date, date | None]:
        """调解日期 from–to for the 卷宗 cover: acceptance to outcome."""
        return self.case.accepted_on, self.case.outcome_on

    @property
    def missing_documents(self) -> tuple[ChecklistItem, ...]:
        return tuple(i for i in self.checklist if i.missing)


# ----- rows -> records --------------------------------------------------------------------------

def _case(row: Row) -> Mediation:
    return Mediation(
        id=row["id"], version=row["version"], number=row["number"], year=row["year"], seq=row["seq"],
        committee=row["committee"], source=row["source"], referred_by=row["referred_by"],
        matter_id=row["matter_id"], dispute_id=row["dispute_id"], dispute_type=row["dispute_type"],
        title=row["title"], facts=row["facts"],
        claims=tuple(x for x in row["claims"].split("\n") if x.strip()),
        amount=fen_to_yuan(row["amount_fen"]), village_id=row["village_id"],
        village_name=row.get("village_name") or "", place=row["place"],
        applied_on=_d(row["applied_on"]), accepted_on=date.fromisoformat(row["accepted_on"]),
        registered_by=row["registered_by"], mediators=_list(row["mediators"]),
        recorder=row["recorder"], status=row["status"],
        period_due=date.fromisoformat(row["period_due"]),
        period_extended_days=row["period_extended_days"], outcome_on=_d(row["outcome_on"]),
        failure_reason=row["failure_reason"], routes=_list(row["routes"]),
        termination_reason=row["termination_reason"], performance_status=row["performance_status"],
        performed_on=_d(row["performed_on"]), followup_due=_d(row["followup_due"]),
        closed_on=_d(row["closed_on"]), filed_by=row["filed_by"], filed_on=_d(row["filed_on"]),
        retention=row["retention"], file_note=row["file_note"],
        docs_ticked=frozenset(_list(row["docs_ticked"])), voided=bool(row.get("voided")),
        void_reason=row.get("void_reason") or "", voided_at=row.get("voided_at") or "",
        void_confirmed_by=row.get("void_confirmed_by") or "")


def _party(row: Row) -> Party:
    return Party(row["id"], row["side"], row["kind"], row["name"], row["gender"], row["ethnic_group"],
                 _d(row["birth_date"]), row["age"], row["occupation"], row["phone"], row["address"],
                 row["id_number"], row["representative"], row["representative_title"], row["agent"],
                 row["sort"], row["version"])


def _session(row: Row) -> Session:
    return Session(row["id"], row["kind"], date.fromisoformat(row["held_on"]), row["time"], row["place"],
                   _list(row["mediators"]), row["recorder"], row["participants"],
                   _list(row["present_party_ids"]), bool(row["rights_notified"]), row["statement_a"],
                   row["statement_b"], row["findings"], row["agreed"], row["record"], row["result"])


def _agreement(row: Row) -> Agreement:
    return Agreement(
        row["id"], row["form"], row["number"], date.fromisoformat(row["signed_on"]), row["facts"],
        row["issues"], row["responsibilities"], row["terms"], row["performance_manner"],
        row["performance_place"], _d(row["performance_deadline"]), row["copies"],
        fen_to_yuan(row["amount_fen"]), row["status_matter"], _d(row["jc_due"]),
        _d(row["jc_applied_on"]), row["jc_court"], row["jc_result"], _d(row["jc_decided_on"]),
        row["jc_case_number"], row["jc_note"])


def _followup(row: Row) -> FollowUp:
    return FollowUp(row["id"], date.fromisoformat(row["visited_on"]), row["visitor"],
                    row["visited_persons"], row["performance"], row["satisfaction"], row["lawsuit"],
                    row["risk"], row["measures"], _d(row["next_due"]))


def _event(row: Row) -> Event:
    return Event(row["id"], row["kind"], date.fromisoformat(row["occurred_on"]),
                 row.get("actor_name") or row["actor"], row["note"],
                 json.loads(row["data"] or "{}"), row["created_at"])


# ----- who may see what -------------------------------------------------------------------------

def can_edit(reg: Register) -> bool:
    """Clerks and station heads keep mediation files; liaisons and county reviewers read."""
    return reg.actor.role in ("clerk", "head") and reg.mode != "county"


def _visible_clause(reg: Register, alias: str = "m") -> tuple[str, list[Any]]:
    """Liaisons read the cases of their own villages only."""
    if reg.actor.role != "liaison":
        return "", []
    ids = list(reg.actor.village_ids)
    if not ids:
        return " AND 0", []
    return f" AND {alias}.village_id IN ({','.join('?' * len(ids))})", ids


def check_visible(reg: Register, case_row: Row) -> None:
    if reg.actor.role == "liaison" and case_row["village_id"] not in reg.actor.village_ids:
        raise PermissionDenied(_("信访联络员只能查看本村（社区）的调解案件。"))


_CASE_SQL = ("SELECT m.*, coalesce(v.name, '') AS village_name FROM mediations m"
             " LEFT JOIN villages v ON v.id = m.village_id")


def case_row(reg: Register, mediation_id: str, *, include_voided: bool = False) -> Row:
    """The case to act on (a voided one is refused), or with ``include_voided`` to read."""
    rows = reg.rows(_CASE_SQL + " WHERE m.id = ? AND (m.deleted = 0 OR m.voided = 1)",
                    (mediation_id,))
    if not rows:
        raise NotFound(_("找不到该调解案件（可能已被删除）。"))
    if rows[0]["voided"] and not include_voided:
        raise TransitionError(_("调解案件{number}已作废，不能再办理或更改。").format(
            number=rows[0]["number"]))
    check_visible(reg, rows[0])
    return rows[0]


def get_case(reg: Register, mediation_id: str) -> Mediation:
    """The case to read: live or voided."""
    return _case(case_row(reg, mediation_id, include_voided=True))


def parties_of(reg: Register, mediation_id: str) -> list[Party]:
    return [_party(r) for r in reg.rows(
        "SELECT * FROM mediation_parties WHERE mediation_id = ? AND deleted = 0"
        " ORDER BY side, sort, created_at", (mediation_id,))]


def sessions_of(reg: Register, mediation_id: str) -> list[Session]:
    return [_session(r) for r in reg.rows(
        "SELECT * FROM mediation_sessions WHERE mediation_id = ? AND deleted = 0"
        " ORDER BY held_on, time, created_at", (mediation_id,))]


def agreement_row(reg: Register, mediation_id: str) -> Row | None:
    rows = reg.rows("SELECT * FROM mediation_agreements WHERE mediation_id = ? AND deleted = 0",
                    (mediation_id,))
    return rows[0] if rows else None


def agreement_of(reg: Register, mediation_id: str) -> Agreement | None:
    row = agreement_row(reg, mediation_id)
    return None if row is None else _agreement(row)


def followups_of(reg: Register, mediation_id: str) -> list[FollowUp]:
    return [_followup(r) for r in reg.rows(
        "SELECT * FROM mediation_followups WHERE mediation_id = ? AND deleted = 0"
        " ORDER BY visited_on, created_at", (mediation_id,))]


def events_of(reg: Register, mediation_id: str) -> list[Event]:
    return [_event(r) for r in reg.rows(
        "SELECT * FROM mediation_events WHERE mediation_id = ? AND deleted = 0"
        " ORDER BY occurred_on, created_at, rowid", (mediation_id,))]


# ----- the 卷宗 checklist (docs/domain.md §4.3) ----------------------------------------------------------

#: (key, title, 必须) in the order of the contents list; keys are stored in ``docs_ticked``.
DOCUMENTS: tuple[tuple[str, str, bool], ...] = (
    ("application", N_("人民调解申请书或人民调解受理登记表"), True),
    ("rights_notice", N_("当事人权利义务告知书"), True),
    ("identity", N_("当事人身份证明"), True),
    ("power_of_attorney", N_("授权委托书"), False),
    ("investigation", N_("人民调解调查记录"), False),
    ("evidence", N_("证据材料"), False),
    ("record", N_("人民调解记录"), True),
    ("agreement", N_("人民调解协议书"), True),
    ("performance_proof", N_("履行凭证（收条、汇款单等）"), False),
    ("followup", N_("人民调解回访记录"), False),
    ("judicial", N_("司法确认材料"), False),
    ("explanation", N_("卷宗情况说明"), False),
    ("back_cover", N_("封底"), True),
)
#: Documents the user may tick by hand (the others follow from the data alone).
TICKABLE = frozenset({"rights_notice", "identity", "power_of_attorney", "evidence",
                      "performance_proof", "explanation"})


def checklist(case: Mediation, parties: list[Party] | tuple[Party, ...],
              sessions: list[Session] | tuple[Session, ...], agreement: Agreement | None,
              followups: list[FollowUp] | tuple[FollowUp, ...],
              events: list[Event] | tuple[Event, ...]) -> list[ChecklistItem]:
    """Which of the thirteen documents are in the file and which are required and missing."""
    ticked = case.docs_ticked
    has_agent = any(p.agent for p in parties)
    ids_known = bool(parties) and all(p.id_number for p in parties)
    proofs = any(e.kind == "performance" and e.data.get("evidence") for e in events)
    derived: dict[str, tuple[bool, str]] = {
        "application": (True, _("申请书") if case.source == "application" else _("受理登记表")),
        "rights_notice": (any(s.rights_notified for s in sessions),
                          _("调解记录中已记载告知")),
        "identity": (ids_known, _("各方当事人证件号码已登记")),
        "power_of_attorney": (False, ""),
        "investigation": (any(s.kind == "investigation" for s in sessions), ""),
        "evidence": (False, ""),
        "record": (any(s.kind == "mediation" for s in sessions), ""),
        "agreement": (agreement is not None,
                      agreement.form_label if agreement is not None else ""),
        "performance_proof": (proofs, _("履行记录中已注明凭证")),
        "followup": (bool(followups), ""),
        "judicial": (agreement is not None and agreement.jc_applied_on is not None, ""),
        "explanation": (bool(case.file_note), _("已填写情况说明")),
        "back_cover": (case.filed_on is not None, _("已立卷归档")),
    }
    items: list[ChecklistItem] = []
    for no, (key, title, must) in enumerate(DOCUMENTS, start=1):
        required = must
        note = ""
        if key == "agreement" and case.status in ("failed", "terminated"):
            required, note = False, _("未达成协议，不需要")
        if key == "agreement" and agreement is not None and agreement.form == "oral":
            title = N_("人民调解口头协议登记表")
        if key == "power_of_attorney" and has_agent:
            required, note = True, _("有委托代理人")
        if key == "judicial" and agreement is not None and agreement.jc_applied_on:
            required = True
        if key == "record" and case.status == "terminated" and not any(
                s.kind == "mediation" for s in sessions):
            required, note = False, _("调解开始前已终止")
        by_data, data_note = derived[key]
        present = by_data or key in ticked
        if by_data and data_note:
            note = note or data_note
        items.append(ChecklistItem(no, key, _(title), required, present, by_data,
                                   key in TICKABLE, note))
    return items


# ----- the whole file ----------------------------------------------------------------------------

def mediation_file(reg: Register, mediation_id: str) -> MediationFile:
    """The case with parties, sessions, agreement, follow-ups, timeline and checklist."""
    from storage import station

    case = get_case(reg, mediation_id)
    parties = tuple(parties_of(reg, mediation_id))
    sessions = tuple(sessions_of(reg, mediation_id))
    agreement = agreement_of(reg, mediation_id)
    followups = tuple(followups_of(reg, mediation_id))
    events = tuple(events_of(reg, mediation_id))
    matter_number = ""
    if case.matter_id:
        matter_number = str(reg.scalar("SELECT number FROM matters WHERE id = ?",
                                       (case.matter_id,)) or "")
    dispute_summary = ""
    if case.dispute_id and table_exists(reg, "disputes"):
        row = reg.rows("SELECT * FROM disputes WHERE id = ?", (case.dispute_id,))
        if row:
            dispute_summary = str(row[0].get("summary") or "")
    try:
        station_name = station.station(reg).name
    except ValidationError:
        station_name = ""
    return MediationFile(case, parties, sessions, agreement, followups, events,
                         tuple(checklist(case, parties, sessions, agreement, followups, events)),
                         station_name, matter_number, dispute_summary)


def table_exists(reg: Register, name: str) -> bool:
    return bool(reg.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                           (name,)))


# ----- deadlines of open cases --------------------------------------------------------------------

DEADLINE_LABELS = {
    "period": N_("调解期限届满"),
    "performance": N_("协议履行期限"),
    "followup": N_("应回访"),
    "judicial": N_("申请司法确认期限"),
}


@dataclass(frozen=True)
class CaseDeadline:
    mediation_id: str
    number: str
    title: str
    kind: str  # period / performance / followup / judicial
    due: date
    days_left: int
    urgency: Urgency

    @property
    def label(self) -> str:
        return _(DEADLINE_LABELS[self.kind])

    @property
    def text(self) -> str:  # what the home page shows
        return self.message

    @property
    def message(self) -> str:
        if self.days_left < 0:
            when = _("已超过{n}天").format(n=-self.days_left)
        elif self.days_left == 0:
            when = _("今天到期")
        else:
            when = _("还有{n}天").format(n=self.days_left)
        return _("{number}：{label}为{due}，{when}。").format(
            number=self.number, label=self.label, due=self.due.isoformat(), when=when)


@dataclass(frozen=True)
class CaseSummary:
    """One line of the mediation list."""

    id: str
    number: str
    title: str
    dispute_type: str
    source: str
    status: str
    accepted_on: date
    village_name: str
    parties: str
    deadlines: tuple[CaseDeadline, ...]
    station_code: str = ""
    year: int = 0
    seq: int = 0

    @property
    def short_number(self) -> str:
        """The case number without the station's name (the same on every line of a list, and
        the widest part of it): （2026）第7号 for （2026）花园人调字第7号."""
        if not (self.year and self.seq):
            return self.number
        return _("（{year}）第{n}号").format(year=self.year, n=self.seq)

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def next_deadline(self) -> CaseDeadline | None:
        return min(self.deadlines, key=lambda d: d.due) if self.deadlines else None


_LIST_SQL = (
    "SELECT m.id, m.number, m.title, m.dispute_type, m.source, m.status, m.accepted_on,"
    " m.period_due, m.performance_status, m.followup_due, m.village_id, m.seq, m.year,"
    " m.station_code, coalesce(v.name, '') AS village_name,"
    " a.form, a.performance_deadline, a.status_matter, a.jc_due, a.jc_applied_on,"
    " (SELECT group_concat(p.name, '、') FROM mediation_parties p"
    "   WHERE p.mediation_id = m.id AND p.deleted = 0) AS party_names"
    " FROM mediations m LEFT JOIN villages v ON v.id = m.village_id"
    " LEFT JOIN mediation_agreements a ON a.mediation_id = m.id AND a.deleted = 0"
    " WHERE m.deleted = 0")


def _deadlines(row: Row, today: date) -> tuple[CaseDeadline, ...]:
    found: list[tuple[str, date]] = []
    if row["status"] in OPEN_STATUSES:
        found.append(("period", date.fromisoformat(row["period_due"])))
    if row["form"] and row["status"] in ("agreed", "closed"):
        if row["performance_deadline"] and row["performance_status"] in ("pending", "partial"):
            found.append(("performance", date.fromisoformat(row["performance_deadline"])))
        if (row["form"] == "written" and not row["status_matter"] and not row["jc_applied_on"]
                and row["jc_due"] and date.fromisoformat(row["jc_due"]) >= today):
            found.append(("judicial", date.fromisoformat(row["jc_due"])))
    if row["followup_due"] and row["status"] in ("agreed", "closed"):
        found.append(("followup", date.fromisoformat(row["followup_due"])))
    return tuple(CaseDeadline(row["id"], row["number"], row["title"], kind, due, (due - today).days,
                              urgency(due, today)) for kind, due in found)


def list_cases(reg: Register, *, today: date, status: str | None = None,
               dispute_type: str | None = None, followup_due: bool = False,
               deadline_within: int | None = None, text: str = "",
               year: int | None = None, station_code: str | None = None
               ) -> list[CaseSummary]:
    """The mediation list, newest first. ``followup_due``: only cases whose follow-up is due
    within ``DUE_SOON_DAYS``; ``deadline_within``: only cases with any deadline that close.
    ``station_code``: that station's cases only; by default the register's own station's, and
    at the county every township's (the county holds none of its own)."""
    if station_code is None:
        station_code = "" if reg.mode == "county" else reg.station_code
    sql = _LIST_SQL
    params: list[Any] = []
    if station_code:
        sql += " AND m.station_code = ?"
        params.append(station_code)
    clause, extra = _visible_clause(reg)
    sql += clause
    params += extra
    if status == "open":
        sql += " AND m.status IN ('accepted', 'mediating', 'agreed')"
    elif status:
        sql += " AND m.status = ?"
        params.append(status)
    if dispute_type:
        sql += " AND m.dispute_type = ?"
        params.append(dispute_type)
    if year:
        sql += " AND m.year = ?"
        params.append(year)
    if text.strip():
        like = f"%{text.strip()}%"
        sql += (" AND (m.number LIKE ? OR m.title LIKE ? OR EXISTS (SELECT 1 FROM"
                " mediation_parties p WHERE p.mediation_id = m.id AND p.deleted = 0"
                " AND p.name LIKE ?))")
        params += [like, like, like]
    sql += " ORDER BY m.accepted_on DESC, m.year DESC, m.seq DESC"
    out: list[CaseSummary] = []
    for r in reg.rows(sql, params):
        deadlines = _deadlines(r, today)
        if followup_due and not any(d.kind == "followup" and d.days_left <= DUE_SOON_DAYS
                                    for d in deadlines):
            continue
        if deadline_within is not None and not any(d.days_left <= deadline_within
                                                   for d in deadlines):
            continue
        out.append(CaseSummary(r["id"], r["number"], r["title"], r["dispute_type"], r["source"],
                               r["status"], date.fromisoformat(r["accepted_on"]),
                               r["village_name"], r["party_names"] or "", deadlines,
                               r["station_code"], r["year"] or 0, r["seq"] or 0))
    return out


def deadline_warnings(reg: Register, today: date,
                      within_days: int = DUE_SOON_DAYS) -> list[CaseDeadline]:
    """Every mediation deadline that is overdue or falls within ``within_days``, soonest first:
    mediation period ending, performance due, follow-up due, judicial-confirmation window
    closing."""
    found = [d for s in list_cases(reg, today=today, deadline_within=within_days,
                                   station_code=reg.station_code)
             for d in s.deadlines if d.days_left <= within_days]
    return sorted(found, key=lambda d: (d.due, d.number))


def available_actions(case_file: MediationFile, today: date, *, editable: bool,
                      head: bool = False) -> set[str]:
    """The steps that make sense for the case now (the buttons the detail view offers); a
    voided case offers only the station head's 撤销作废. The operations in
    ``storage.mediation`` check the same rules again and say why not."""
    c, a = case_file.case, case_file.agreement
    if not editable:
        return set()
    if c.voided:
        return {"unvoid"} if head else set()
    acts = {"documents", "void"}
    if c.is_open:  # "edit": correct the registration and the parties (update_case…)
        acts |= {"edit", "party", "session", "extend", "agreement", "fail", "terminate"}
    else:  # an ended case's registration changes only as a 更正, with a reason
        acts.add("correct")
    if a is not None and c.status == "agreed" and c.performance_status != "performed":
        acts.add("performance")
    if a is not None and c.status in ("agreed", "closed"):
        acts.add("followup")
        if (a.form == "written" and not a.status_matter and a.jc_due is not None
                and today <= a.jc_due and a.jc_result in ("", "withdrawn")):
            acts.add("judicial")
        if a.jc_result == "pending":
            acts.add("judicial_result")
    if c.filed_on is None and (c.status in ("failed", "terminated") or (
            c.status == "agreed" and c.performance_status in ("performed", "breached"))):
        acts.add("close")
    return acts
