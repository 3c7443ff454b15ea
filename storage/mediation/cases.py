"""People's mediation cases (人民调解, docs/domain.md §4): from application to agreement, performance,
follow-up, judicial confirmation and the filed 卷宗.

Every function here is one user action and one transaction. Illegal steps are refused with a
plain reason (``TransitionError`` / ``ValidationError``) and change nothing. Reading, the
dataclasses, the 卷宗 checklist and the deadline list live in ``storage.mediation.model`` and are
re-exported here, so callers need only ``from storage import mediation``.

Rules, with their sources:
* numbered （YYYY）<station short name>人调字第N号, sequenced per year of acceptance;
* an agreement needs parties on both sides and a recorded mediation session ([MedLaw] Art.27,
  29); a written one states the terms and the manner, place and deadline of performance, one
  copy per party plus one for the committee (Art.29; 2002 rules Art.35);
* mediation is finished within one month of acceptance, longer only with both parties' consent
  (2002 rules Art.33; provincial rule Art.36);
* failed mediation is ended and the parties told of 仲裁、行政、司法 routes (Art.26);
* follow-up visits on performance come after an agreement (provincial rule Art.39);
* judicial confirmation: jointly, within 30 days of the agreement taking effect, not for an oral
  agreement, not for marriage, adoption or other personal-status matters (Art.33; [SPC2011]).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from storage import calendar_store, codes, preferences
from storage.deadlines import DeadlineKind, compute_deadline
from storage.errors import TransitionError, ValidationError
from storage.i18n import N_, _
from storage.mediation.model import (  # noqa: F401 - re-exported API
    AGREEMENT_FORM_LABELS,
    APPLICATION_SIDE_LABELS,
    DOCUMENTS,
    ENDED_STATUSES,
    JC_RESULT_LABELS,
    OPEN_STATUSES,
    PARTY_KIND_LABELS,
    PERFORMANCE_LABELS,
    REFERRAL_SOURCES,
    RETENTION,
    ROUTES,
    SATISFACTION,
    SESSION_KIND_LABELS,
    SESSION_RESULT_LABELS,
    SIDE_LABELS,
    SOURCE_GROUPS,
    SOURCE_LABELS,
    STATUS_LABELS,
    STATUS_MATTERS,
    TICKABLE,
    Agreement,
    CaseDeadline,
    CaseSummary,
    ChecklistItem,
    Event,
    FollowUp,
    Mediation,
    MediationFile,
    Party,
    Session,
    agreement_of,
    agreement_row,
    available_actions,
    can_edit,
    case_row,
    checklist,
    deadline_warnings,
    events_of,
    followups_of,
    format_amount,
    get_case,
    list_cases,
    mediation_file,
    parse_amount,
    parties_of,
    sessions_of,
    source_label,
    status_label,
    table_exists,
)
from storage.mediation.writes import (
    CREDIT_CODE,
    LIMITS,
    add_event,
    clean_names,
    current_day,
    matter_event,
    not_before,
    not_future,
    require_editor,
    update_dispute,
)
from storage.register import Register, Row
from storage.validation import (
    check_text,
    cross_check_citizen_id,
    normalize_phone,
    parse_citizen_id,
)
from storage.voiding import (
    HeadConfirmation,
    confirming_head,
    confirming_head_to_undo,
    require_voided,
    required_reason,
    unvoid_values,
    void_values,
)


def committee_name(reg: Register) -> str:
    """The people's mediation committee (setting ``mediation_committee``, else derived from the
    station's office name, e.g. 花园镇人民政府 -> 花园镇人民调解委员会)."""
    from storage import station

    name = preferences.MEDIATION_COMMITTEE.read(reg)
    if name:
        return name
    office = station.station(reg).office_name
    for suffix in ("人民政府", "办事处", "信访工作站"):
        office = office.removesuffix(suffix)
    return _("{office}人民调解委员会").format(office=office)


def followup_days(reg: Register) -> int:
    return preferences.MEDIATION_FOLLOWUP_DAYS.read(reg)


def next_number(reg: Register, year: int) -> tuple[str, int]:
    """（2026）花园人调字第7号: sequenced per year of acceptance."""
    from storage import station

    seq = int(reg.scalar("SELECT coalesce(max(seq), 0) + 1 FROM mediations"
                         " WHERE station_code = ? AND year = ?", (reg.station_code, year)))
    short = station.station(reg).short_name
    return _("（{year}）{short}人调字第{n}号").format(year=year, short=short, n=seq), seq


# ----- opening a case ----------------------------------------------------------------------------

@dataclass
class CaseInput:
    """The 受理登记表 (and the application's facts and claims)."""

    source: str
    dispute_type: str
    title: str  # 纠纷名称, e.g. 张三与李四相邻通行纠纷
    facts: str  # 纠纷简要情况
    accepted_on: date
    claims: str = ""  # 申请事项, one per line
    amount: str | int | Decimal = ""
    referred_by: str = ""  # referring police station / court / department
    applied_on: date | None = None
    village_id: str | None = None
    place: str = ""
    mediators: list[str] = field(default_factory=list)
    recorder: str = ""
    matter_id: str | None = None
    dispute_id: str | None = None


@dataclass
class PartyInput:
    side: str  # 'a' or 'b'
    name: str
    kind: str = "person"
    gender: str = ""
    ethnic_group: str = ""
    birth_date: date | None = None
    age: int | None = None
    occupation: str = ""
    phone: str = ""
    address: str = ""
    id_number: str = ""
    representative: str = ""
    representative_title: str = ""
    agent: str = ""


def _check_case(reg: Register, inp: CaseInput, *,
                kept_type: str | None = None) -> dict[str, Any]:
    """The registration checked and normalised. ``kept_type`` is the type a case already has:
    kept as it is even after the table stopped offering it (a retired value stays on old
    records)."""
    if inp.source not in SOURCE_LABELS:
        raise ValidationError(_("请选择案件来源。"), "source")
    if (inp.dispute_type not in codes.labels(reg, "dispute_type")
            and not (kept_type and inp.dispute_type == kept_type)):
        raise ValidationError(_("请从纠纷类型表中选择纠纷类型。"), "dispute_type")
    values: dict[str, Any] = dict(
        source=inp.source, dispute_type=inp.dispute_type,
        title=check_text(inp.title, field="title", label=_("纠纷名称"),
                         max_len=LIMITS["title"], required=True),
        facts=check_text(inp.facts, field="facts", label=_("纠纷简要情况"),
                         max_len=LIMITS["facts"], required=True),
        claims=check_text(inp.claims, field="claims", label=_("申请事项"),
                          max_len=LIMITS["claims"]),
        amount_fen=parse_amount(inp.amount),
        referred_by=check_text(inp.referred_by, field="referred_by", label=_("移交或委托单位"),
                               max_len=LIMITS["referred_by"]),
        place=check_text(inp.place, field="place", label=_("纠纷发生地"),
                         max_len=LIMITS["place"]),
        mediators=clean_names(inp.mediators, field="mediators", label=_("人民调解员")),
        recorder=check_text(inp.recorder, field="recorder", label=_("记录人"),
                            max_len=LIMITS["person"]),
        village_id=inp.village_id or None)
    if inp.source in REFERRAL_SOURCES and not values["referred_by"]:
        raise ValidationError(_("移交或委托调解的案件，请填写移交或委托单位。"), "referred_by")
    if inp.source == "matter" and not inp.matter_id:
        raise ValidationError(_("信访事项转调的案件须关联信访事项。"), "matter_id")
    if inp.source == "dispute" and not inp.dispute_id:
        raise ValidationError(_("排查纠纷转调的案件须关联排查到的纠纷。"), "dispute_id")
    not_future(reg, inp.accepted_on, field="accepted_on", label=_("受理日期"))
    if inp.applied_on is not None:
        not_before(inp.accepted_on, inp.applied_on, field="accepted_on", label=_("受理日期"),
                    limit_label=_("申请日期"))
    if inp.source == "application" and inp.applied_on is None:
        values["applied_on"] = inp.accepted_on.isoformat()
    else:
        values["applied_on"] = inp.applied_on.isoformat() if inp.applied_on else None
    if values["village_id"]:
        reg.get("villages", values["village_id"])
    return values


def _check_links(reg: Register, inp: CaseInput) -> None:
    if inp.matter_id:
        reg.get("matters", inp.matter_id)
        other = reg.rows("SELECT number FROM mediations WHERE matter_id = ? AND deleted = 0"
                         " AND status NOT IN ('failed', 'terminated')", (inp.matter_id,))
        if other:
            raise TransitionError(_("该信访事项已转人民调解（{number}），不能重复转调。").format(
                number=other[0]["number"]))
    if inp.dispute_id:
        if not table_exists(reg, "disputes"):
            raise ValidationError(_("本登记库还没有矛盾纠纷排查记录。"), "dispute_id")
        dispute = reg.get("disputes", inp.dispute_id)
        if dispute.get("status") == "已化解":
            raise TransitionError(_("该纠纷已经化解，不需要再调解。"))
        other = reg.rows("SELECT number FROM mediations WHERE dispute_id = ? AND deleted = 0"
                         " AND status NOT IN ('failed', 'terminated')", (inp.dispute_id,))
        if other:
            raise TransitionError(_("该纠纷已转人民调解（{number}），不能重复转调。").format(
                number=other[0]["number"]))


def open_mediation(reg: Register, inp: CaseInput, parties: Sequence[PartyInput] = ()) -> Row:
    """Accept a case (受理登记), with its first parties, in one action; returns the case row.

    A case from a petition matter or a screened dispute is linked both ways: the matter gets a
    'mediation_opened' event, the dispute is marked 化解中 and points to the case."""
    require_editor(reg)
    values = _check_case(reg, inp)
    _check_links(reg, inp)
    if not parties:  # a case is between people: nobody to mediate for, nothing to accept
        raise ValidationError(_("受理调解案件至少要填写一方当事人（申请人）的姓名。"), "party_a")
    today = current_day(reg)
    checked = [_check_party(p, today) for p in parties]
    due = compute_deadline(DeadlineKind.MEDIATION_PERIOD, inp.accepted_on,
                           calendar_store.calendar(reg)).due
    with reg.transaction():
        number, seq = next_number(reg, inp.accepted_on.year)
        values.update(
            number=number, year=inp.accepted_on.year, seq=seq, committee=committee_name(reg),
            matter_id=inp.matter_id, dispute_id=inp.dispute_id,
            accepted_on=inp.accepted_on.isoformat(), registered_by=reg.actor.display_name,
            mediators=json.dumps(values["mediators"], ensure_ascii=False),
            status="accepted", period_due=due.isoformat())
        case = reg.insert("mediations", values)
        for i, p in enumerate(checked):
            _insert_party(reg, case["id"], p, i)
        add_event(reg, case["id"], "accepted", inp.accepted_on, source_label(inp.source),
                   {"source": inp.source, "period_due": due.isoformat()})
        link = {"mediation_id": case["id"], "number": number}
        if inp.matter_id:
            matter_event(reg, inp.matter_id, "mediation_opened", inp.accepted_on,
                          _("转人民调解，案号{number}").format(number=number), link)
        if inp.dispute_id:
            update_dispute(reg, inp.dispute_id, {"mediation_id": case["id"], "status": "化解中"})
    return case


#: Words that suggest a dispute type, tried in order (a prefill the clerk can change).
_TYPE_HINTS = (
    ("劳动争议", ("工资", "劳动", "辞退", "工伤", "务工")),
    ("征地拆迁", ("征地", "拆迁", "征收")),
    ("房屋宅基地", ("宅基地", "房屋", "建房", "围墙")),
    ("婚姻家庭", ("离婚", "婚姻", "赡养", "抚养", "继承", "家暴")),
    ("道路交通事故", ("交通", "车祸", "撞")),
    ("医疗", ("医疗", "医院", "诊所")),
    ("物业", ("物业",)),
    ("环境污染", ("污染", "排污", "异味", "粉尘")),
    ("山林土地", ("承包地", "土地", "山林", "林地", "田埂")),
    ("消费", ("消费", "退货", "商品", "质量")),
    ("合同", ("合同", "欠款", "货款", "借款", "租金")),
    ("损害赔偿", ("赔偿", "损害", "受伤", "咬伤")),
    ("邻里", ("邻居", "邻里", "噪音", "通道", "漏水")),
)


def guess_dispute_type(reg: Register, *texts: str) -> str:
    """The first dispute type whose words occur in ``texts`` and which the table still offers
    (empty when nothing fits)."""
    offered = set(codes.labels(reg, "dispute_type"))
    joined = " ".join(texts)
    for label, words in _TYPE_HINTS:
        if label in offered and any(w in joined for w in words):
            return label
    return ""


def case_input_from_matter(reg: Register, matter_id: str, *,
                           accepted_on: date | None = None) -> tuple[CaseInput, list[PartyInput]]:
    """A case prefilled from a petition matter: its petitioners become the applying side."""
    m = reg.get("matters", matter_id)
    people = reg.rows(
        "SELECT p.* FROM petitioners p JOIN matter_petitioners mp ON mp.petitioner_id = p.id"
        " AND mp.deleted = 0 WHERE mp.matter_id = ? ORDER BY mp.is_main DESC, p.name",
        (matter_id,)) or reg.rows("SELECT * FROM petitioners WHERE id = ?",
                                  (m["petitioner_id"],))
    parties = [PartyInput(side="a", name=p["name"], gender=p["gender"] or "",
                          ethnic_group=p["ethnic_group"] or "",
                          birth_date=date.fromisoformat(p["birth_date"]) if p["birth_date"]
                          else None,
                          occupation=p["occupation"] or "", phone=p["phone"] or "",
                          address=p["address"] or "", id_number=p["id_number"] or "")
               for p in people]
    village = m.get("problem_village_id") or (people[0]["village_id"] if people else None)
    inp = CaseInput(source="matter",
                    dispute_type=guess_dispute_type(reg, m["summary"], m["facts"] or "",
                                                    m["category1"] or "", m["category2"] or ""),
                    title=str(m["summary"])[:LIMITS["title"]],
                    facts=m["facts"] or m["summary"], claims=m["request"] or "",
                    accepted_on=accepted_on or current_day(reg), village_id=village,
                    matter_id=matter_id)
    return inp, parties


def _split_parties(text: str) -> tuple[list[str], list[str]]:
    """"张三与李四" -> (["张三"], ["李四"]); anything else is left for the clerk to enter."""
    parts = re.split(r"\s*(?:与|和|诉|VS|vs|对)\s*", text.strip(), maxsplit=1)
    if len(parts) != 2 or not all(parts):
        return [], []
    a, b = (re.split(r"[、，,]\s*", p) for p in parts)
    return [x for x in a if 0 < len(x) <= 20], [x for x in b if 0 < len(x) <= 20]


def case_input_from_dispute(reg: Register, dispute_id: str, *, accepted_on: date | None = None
                            ) -> tuple[CaseInput, list[PartyInput]]:
    """A case prefilled from a screened dispute (type, parties, summary, village)."""
    if not table_exists(reg, "disputes"):
        raise ValidationError(_("本登记库还没有矛盾纠纷排查记录。"), "dispute_id")
    d = reg.get("disputes", dispute_id)
    parties_text = str(d.get("parties") or "")
    try:
        details = [p for p in json.loads(d.get("party_details") or "[]") if p.get("name")]
    except (ValueError, AttributeError):
        details = []
    if details:  # the screening's parties: the first against the others
        side_a = [str(details[0]["name"])]
        side_b = [str(p["name"]) for p in details[1:]]
        phones = {str(p["name"]): str(p.get("phone") or "") for p in details}
    else:
        side_a, side_b = _split_parties(parties_text)
        phones = {}
    dtype = str(d.get("type") or d.get("dispute_type") or "")
    summary = str(d.get("summary") or "")
    title = (_("{parties}{type}纠纷").format(parties=parties_text, type=dtype)
             if parties_text and dtype else summary)
    village = d.get("village_id")
    if not village and d.get("grid_id"):
        village = reg.scalar("SELECT village_id FROM grids WHERE id = ?", (d["grid_id"],))
    inp = CaseInput(source="dispute", dispute_type=dtype if dtype in codes.labels(
        reg, "dispute_type") else "", title=title[:LIMITS["title"]], facts=summary,
        accepted_on=accepted_on or current_day(reg), village_id=village,
        place=str(d.get("place") or ""), dispute_id=dispute_id)
    parties = ([PartyInput(side="a", name=n, phone=phones.get(n, "")) for n in side_a]
               + [PartyInput(side="b", name=n, phone=phones.get(n, "")) for n in side_b])
    return inp, parties


def open_mediation_from_matter(reg: Register, matter_id: str, *,
                               parties: Sequence[PartyInput] | None = None,
                               **changes: Any) -> Row:
    """Open a case from a petition matter (访调对接); ``changes`` override the prefilled
    ``CaseInput`` fields (e.g. dispute_type, mediators, accepted_on)."""
    inp, prefilled = case_input_from_matter(reg, matter_id,
                                            accepted_on=changes.pop("accepted_on", None))
    return open_mediation(reg, replace(inp, **changes),
                          prefilled if parties is None else parties)


def open_mediation_from_dispute(reg: Register, dispute_id: str, *,
                                parties: Sequence[PartyInput] | None = None,
                                **changes: Any) -> Row:
    """Open a case from a dispute found in the grid screening."""
    inp, prefilled = case_input_from_dispute(reg, dispute_id,
                                             accepted_on=changes.pop("accepted_on", None))
    return open_mediation(reg, replace(inp, **changes),
                          prefilled if parties is None else parties)


def linkable_matters(reg: Register, limit: int = 200) -> list[Row]:
    """Petition matters that may be sent to mediation: not closed, not already in mediation."""
    return reg.rows(
        "SELECT m.id, m.number, m.summary, m.received_on, m.status, p.name AS petitioner"
        " FROM matters m JOIN petitioners p ON p.id = m.petitioner_id"
        " WHERE m.deleted = 0 AND m.station_code = ? AND m.resolved_by_mediation = 0"
        " AND m.closed_on IS NULL AND NOT EXISTS (SELECT 1 FROM mediations x"
        "  WHERE x.matter_id = m.id AND x.deleted = 0"
        "  AND x.status NOT IN ('failed', 'terminated'))"
        " ORDER BY m.received_on DESC LIMIT ?", (reg.station_code, limit))


def linkable_disputes(reg: Register, limit: int = 200) -> list[Row]:
    """Screened disputes not yet resolved and not already in mediation."""
    if not table_exists(reg, "disputes"):
        return []
    return reg.rows(
        "SELECT d.* FROM disputes d WHERE d.deleted = 0 AND d.status IN ('未化解', '化解中')"
        " AND NOT EXISTS (SELECT 1 FROM mediations x WHERE x.dispute_id = d.id"
        "  AND x.deleted = 0 AND x.status NOT IN ('failed', 'terminated'))"
        " ORDER BY d.created_at DESC LIMIT ?", (limit,))


_EDITABLE = ("dispute_type", "title", "facts", "claims", "amount", "referred_by", "place",
             "village_id", "mediators", "recorder")


def _checked_changes(reg: Register, row: Row, changes: dict[str, Any]) -> dict[str, Any]:
    """The case columns ``changes`` make, checked as when the case was opened."""
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    current = CaseInput(
        source=row["source"], dispute_type=row["dispute_type"], title=row["title"],
        facts=row["facts"], accepted_on=date.fromisoformat(row["accepted_on"]),
        claims=row["claims"], amount=Decimal(row["amount_fen"]) / 100,
        referred_by=row["referred_by"], place=row["place"], village_id=row["village_id"],
        mediators=list(json.loads(row["mediators"])), recorder=row["recorder"],
        applied_on=date.fromisoformat(row["applied_on"]) if row["applied_on"] else None,
        matter_id=row["matter_id"], dispute_id=row["dispute_id"])
    values = _check_case(reg, replace(current, **changes), kept_type=row["dispute_type"])
    values["mediators"] = json.dumps(values["mediators"], ensure_ascii=False)
    values.pop("source")
    return values


def update_case(reg: Register, mediation_id: str, *, expected_version: int | None = None,
                **changes: Any) -> Row:
    """Correct the registration (type, title, facts, claims, amount, mediators…) while the
    mediation is going on."""
    require_editor(reg)
    row = case_row(reg, mediation_id)
    if row["status"] not in OPEN_STATUSES:
        raise TransitionError(_("案件已{status}，登记内容不能再修改。").format(
            status=status_label(row["status"])))
    values = _checked_changes(reg, row, changes)
    with reg.transaction():
        return reg.update("mediations", mediation_id, values, expected_version=expected_version)


#: What the timeline and the audit say a 更正 changed (labels of _EDITABLE).
CORRECTION_LABELS = {
    "dispute_type": N_("纠纷类型"), "title": N_("案由"), "facts": N_("纠纷简要情况"),
    "claims": N_("申请事项"), "amount_fen": N_("涉及金额（分）"), "referred_by": N_("移送单位"),
    "place": N_("地点"), "village_id": N_("村（社区）"), "mediators": N_("调解员"),
    "recorder": N_("记录人"),
}


def correct_case(reg: Register, mediation_id: str, reason: str, **changes: Any) -> Row:
    """更正 the registration of a case in any state (also ended or closed), with a required
    reason: the timeline shows each field with its value before (the audit keeps them too)."""
    require_editor(reg)
    row = case_row(reg, mediation_id)
    values = _checked_changes(reg, row, changes)
    diff = {k: v for k, v in values.items() if row.get(k) != v}
    if not diff:
        raise ValidationError(_("没有需要更正的内容。"), "changes")
    reason = required_reason(reason, _("更正原因"))
    with reg.transaction():
        updated = reg.update("mediations", mediation_id, diff)
        add_event(reg, mediation_id, "corrected", current_day(reg), reason,
                  {"changes": {k: [row[k], v] for k, v in diff.items()}})
    return updated


def void_case(reg: Register, mediation_id: str, reason: str,
              confirmation: HeadConfirmation | None = None) -> Row:
    """作废 a case registered by mistake (reason, the station head's confirmation): it keeps
    its number, leaves the lists and the monthly figures, prints marked 作废 and reaches the
    county voided. A screened dispute it came from is free to be mediated again."""
    require_editor(reg)
    row = case_row(reg, mediation_id)
    reason = required_reason(reason, _("作废原因"))
    head = confirming_head(reg, confirmation)
    today = current_day(reg)
    with reg.transaction():
        add_event(reg, mediation_id, "voided", today, reason, {"confirmed_by": head})
        if row["matter_id"]:
            matter_event(reg, row["matter_id"], "mediation_voided", today,
                         _("调解案件{number}已作废：{reason}").format(number=row["number"],
                                                                 reason=reason),
                         {"mediation_id": mediation_id, "number": row["number"]})
        if row["dispute_id"]:
            dispute = reg.rows("SELECT mediation_id FROM disputes WHERE id = ? AND deleted = 0",
                               (row["dispute_id"],)) if table_exists(reg, "disputes") else []
            if dispute and dispute[0]["mediation_id"] == mediation_id:
                update_dispute(reg, row["dispute_id"], {"mediation_id": None})
        reg.delete("mediations", mediation_id, void_values(reg, reason, head))
    return reg.get("mediations", mediation_id, include_deleted=True)


def unvoid_case(reg: Register, mediation_id: str, reason: str) -> Row:
    """撤销作废 (the station head, with the reason): the case is live again where it stood and
    takes its screened dispute back. Refused while that dispute or petition matter has gone to
    another mediation case since: the two would be one dispute mediated twice."""
    confirming_head_to_undo(reg)
    row = require_voided(reg, "mediations", mediation_id, _("该调解案件"))
    reason = required_reason(reason, _("撤销作废原因"))
    for column in ("matter_id", "dispute_id"):
        if row[column] and reg.scalar(
                f"SELECT count(*) FROM mediations WHERE {column} = ? AND deleted = 0"
                " AND status NOT IN ('failed', 'terminated')", (row[column],)):
            raise TransitionError(_("该案件来源的纠纷或信访件已另案调解，不能撤销作废。"))
    today = current_day(reg)
    with reg.transaction():
        reg.revive("mediations", mediation_id, unvoid_values())
        add_event(reg, mediation_id, "unvoided", today, reason,
                  {"void_reason": row["void_reason"]})
        if row["matter_id"]:
            matter_event(reg, row["matter_id"], "mediation_unvoided", today,
                         _("调解案件{number}撤销作废：{reason}").format(number=row["number"],
                                                                   reason=reason),
                         {"mediation_id": mediation_id, "number": row["number"]})
        if row["dispute_id"] and table_exists(reg, "disputes") and reg.rows(
                "SELECT id FROM disputes WHERE id = ? AND deleted = 0 AND mediation_id IS NULL",
                (row["dispute_id"],)):
            update_dispute(reg, row["dispute_id"], {"mediation_id": mediation_id})
    return reg.get("mediations", mediation_id)


# ----- parties -----------------------------------------------------------------------------------

def _check_party(party: PartyInput, today: date) -> dict[str, Any]:
    if party.side not in SIDE_LABELS:
        raise ValidationError(_("请选择当事人是甲方还是乙方。"), "side")
    if party.kind not in PARTY_KIND_LABELS:
        raise ValidationError(_("请选择当事人是自然人还是单位。"), "kind")
    person = party.kind == "person"
    v: dict[str, Any] = dict(
        side=party.side, kind=party.kind,
        name=check_text(party.name, field="name", label=_("姓名") if person else _("名称"),
                        max_len=LIMITS["name" if person else "org_name"], required=True),
        gender=party.gender.strip() if person else "",
        ethnic_group=check_text(party.ethnic_group, field="ethnic_group", label=_("民族"),
                                max_len=10) if person else "",
        birth_date=party.birth_date.isoformat() if person and party.birth_date else None,
        age=party.age if person else None,
        occupation=check_text(party.occupation, field="occupation", label=_("职业或职务"),
                              max_len=LIMITS["occupation"]),
        phone=str(normalize_phone(party.phone)) if party.phone.strip() else "",
        address=check_text(party.address, field="address", label=_("单位或住址"),
                           max_len=LIMITS["address"]),
        id_number="",
        representative=check_text(party.representative, field="representative",
                                  label=_("法定代表人或负责人"), max_len=LIMITS["person"],
                                  required=not person),
        representative_title=check_text(party.representative_title, field="representative_title",
                                        label=_("职务"), max_len=LIMITS["person"]),
        agent=check_text(party.agent, field="agent", label=_("委托代理人"),
                         max_len=LIMITS["person"]))
    if v["gender"] not in ("", "男", "女"):
        raise ValidationError(_("性别只能是男或女。"), "gender")
    if party.birth_date is not None and party.birth_date > today:
        raise ValidationError(_("出生日期不能晚于今天。"), "birth_date")
    if party.age is not None and not 0 <= party.age <= 150:
        raise ValidationError(_("年龄应在0到150岁之间。"), "age")
    id_text = party.id_number.strip().upper()
    if id_text and person:
        cid = parse_citizen_id(id_text, today=today, field="id_number")
        problems = cross_check_citizen_id(cid, v["gender"], party.birth_date)
        if problems:
            raise ValidationError("".join(problems), "id_number")
        v.update(id_number=cid.number, gender=cid.gender, birth_date=cid.birth_date.isoformat())
    elif id_text:
        if not CREDIT_CODE.match(id_text):
            raise ValidationError(_("统一社会信用代码应为18位数字或大写字母。"), "id_number")
        v["id_number"] = id_text
    return v


def _insert_party(reg: Register, mediation_id: str, values: dict[str, Any], sort: int) -> Row:
    return reg.insert("mediation_parties", dict(values, mediation_id=mediation_id, sort=sort))


def _check_parties_editable(row: Row) -> None:
    if row["status"] not in OPEN_STATUSES:
        raise TransitionError(_("案件已{status}，不能再更改当事人。").format(
            status=status_label(row["status"])))


def _check_duplicate(reg: Register, mediation_id: str, values: dict[str, Any],
                     exclude_id: str | None = None) -> None:
    for other in parties_of(reg, mediation_id):
        if other.id == exclude_id:
            continue
        same = (values["id_number"] and other.id_number == values["id_number"]) or (
            not values["id_number"] and not other.id_number and other.name == values["name"]
            and other.side == values["side"])
        if same:
            raise ValidationError(_("{name}已经是本案当事人（{side}）。").format(
                name=other.name, side=other.side_label()), "name")


def add_party(reg: Register, mediation_id: str, entered: PartyInput) -> Row:
    require_editor(reg)
    row = case_row(reg, mediation_id)
    _check_parties_editable(row)
    v = _check_party(entered, current_day(reg))
    _check_duplicate(reg, mediation_id, v)
    sort = int(reg.scalar("SELECT count(*) FROM mediation_parties WHERE mediation_id = ?",
                          (mediation_id,)))
    side = SIDE_LABELS[v["side"]]
    with reg.transaction():
        party = _insert_party(reg, mediation_id, v, sort)
        add_event(reg, mediation_id, "party_added", current_day(reg),
                   _("{side}：{name}").format(side=_(side), name=v["name"]))
    return party


def update_party(reg: Register, party_id: str, entered: PartyInput, *,
                 expected_version: int | None = None) -> Row:
    """Correct a party; ``expected_version`` (the version the form was opened on) refuses the
    save when someone else changed the party meanwhile, instead of silently overwriting it."""
    require_editor(reg)
    current = reg.get("mediation_parties", party_id)
    row = case_row(reg, current["mediation_id"])
    _check_parties_editable(row)
    v = _check_party(entered, current_day(reg))
    _check_duplicate(reg, current["mediation_id"], v, exclude_id=party_id)
    with reg.transaction():
        party = reg.update("mediation_parties", party_id, v, expected_version=expected_version)
        add_event(reg, row["id"], "party_updated", current_day(reg), v["name"])
    return party


def _present_at_session(reg: Register, mediation_id: str, party_id: str) -> bool:
    rows = reg.rows("SELECT present_party_ids FROM mediation_sessions "
                     "WHERE mediation_id = ? AND deleted = 0", (mediation_id,))
    return any(party_id in json.loads(r["present_party_ids"] or "[]") for r in rows)


def remove_party(reg: Register, party_id: str) -> None:
    """Remove a party entered by mistake. A party recorded as present at a session stays:
    the 调解笔录 already names them, so removing them would leave the record pointing at no one."""
    require_editor(reg)
    current = reg.get("mediation_parties", party_id)
    row = case_row(reg, current["mediation_id"])
    _check_parties_editable(row)
    if _present_at_session(reg, row["id"], party_id):
        raise TransitionError(_("{name}已记录为调解到场当事人，不能删除；如登记有误，请修改其信息。")
                              .format(name=current["name"]))
    with reg.transaction():
        reg.delete("mediation_parties", party_id)
        add_event(reg, row["id"], "party_removed", current_day(reg), current["name"])


