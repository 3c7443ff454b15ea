"""People's mediation cases (人民调解, domain §4): from application to agreement, performance,
follow-up, judicial confirmation and the filed 卷宗.

Every function here is one user action and one transaction. Illegal steps are refused with a
plain reason (``TransitionError`` / ``ValidationError``) and change nothing. Reading, the
dataclasses, the 卷宗 checklist and the deadline list live in ``storage.mediation_model`` and are
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
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from storage import calendar_store, codes
from storage.deadlines import DeadlineKind, compute_deadline
from storage.errors import TransitionError, ValidationError
from storage.i18n import _, join_list
from storage.mediation_model import (  # noqa: F401 - re-exported API
    AGREEMENT_FORM_LABELS,
    APPLICATION_SIDE_LABELS,
    DOCUMENTS,
    ENDED_STATUSES,
    FOLLOWUP_DAYS_DEFAULT,
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
from storage.register import Register, Row
from storage.validation import (
    check_text,
    cross_check_citizen_id,
    normalize_phone,
    parse_citizen_id,
)

LIMITS = {"title": 60, "facts": 4000, "claims": 1000, "referred_by": 60, "place": 100,
          "name": 40, "org_name": 60, "occupation": 40, "address": 100, "person": 20,
          "text": 4000, "reason": 500, "court": 60, "note": 500, "retention": 10}
MAX_EXTENSION_DAYS = 30  # per extension; court-linked practice (domain §4.2)
_CREDIT_CODE = re.compile(r"^[0-9A-Z]{18}$")


def _today(reg: Register) -> date:
    return reg.clock().date()


def _require_editor(reg: Register) -> None:
    reg.require_role("clerk", "head")
    reg.require_writable()


def _names(values: Iterable[str], *, field: str, label: str) -> list[str]:
    out: list[str] = []
    for v in values:
        name = check_text(v, field=field, label=label, max_len=LIMITS["person"])
        if name and name not in out:
            out.append(name)
    return out


def _not_future(reg: Register, d: date, *, field: str, label: str) -> None:
    if d > _today(reg):
        raise ValidationError(_("{label}不能晚于今天。").format(label=label), field)


def _not_before(d: date, limit: date, *, field: str, label: str, limit_label: str) -> None:
    if d < limit:
        raise ValidationError(_("{label}（{d}）不能早于{limit_label}（{limit}）。").format(
            label=label, d=d.isoformat(), limit_label=limit_label, limit=limit.isoformat()), field)


def _add_event(reg: Register, mediation_id: str, kind: str, on: date, note: str = "",
               data: dict[str, Any] | None = None) -> None:
    reg.insert("mediation_events", dict(
        mediation_id=mediation_id, kind=kind, occurred_on=on.isoformat(),
        actor=reg.actor.username, note=note,
        data=json.dumps(data or {}, ensure_ascii=False)))


def _matter_event(reg: Register, matter_id: str, kind: str, on: date, note: str,
                  data: dict[str, Any]) -> None:
    reg.insert("matter_events", dict(
        matter_id=matter_id, kind=kind, occurred_on=on.isoformat(), actor=reg.actor.username,
        note=note, data=json.dumps(data, ensure_ascii=False)))


def _update_dispute(reg: Register, dispute_id: str, changes: dict[str, Any]) -> None:
    """Write to the screening module's dispute, only the columns it has."""
    if not table_exists(reg, "disputes"):
        return
    cols = set(reg.columns("disputes"))
    reg.update("disputes", dispute_id, {k: v for k, v in changes.items() if k in cols})


def committee_name(reg: Register) -> str:
    """The people's mediation committee (setting ``mediation_committee``, else derived from the
    station's office name, e.g. 花园镇人民政府 -> 花园镇人民调解委员会)."""
    from storage import station

    name = reg.setting("mediation_committee")
    if name:
        return str(name)
    office = station.station(reg).office_name
    for suffix in ("人民政府", "办事处", "信访工作站"):
        office = office.removesuffix(suffix)
    return _("{office}人民调解委员会").format(office=office)


def followup_days(reg: Register) -> int:
    return int(reg.setting("mediation_followup_days", FOLLOWUP_DAYS_DEFAULT))


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
        mediators=_names(inp.mediators, field="mediators", label=_("人民调解员")),
        recorder=check_text(inp.recorder, field="recorder", label=_("记录人"),
                            max_len=LIMITS["person"]),
        village_id=inp.village_id or None)
    if inp.source in REFERRAL_SOURCES and not values["referred_by"]:
        raise ValidationError(_("移交或委托调解的案件，请填写移交或委托单位。"), "referred_by")
    if inp.source == "matter" and not inp.matter_id:
        raise ValidationError(_("信访事项转调的案件须关联信访事项。"), "matter_id")
    if inp.source == "dispute" and not inp.dispute_id:
        raise ValidationError(_("排查纠纷转调的案件须关联排查到的纠纷。"), "dispute_id")
    _not_future(reg, inp.accepted_on, field="accepted_on", label=_("受理日期"))
    if inp.applied_on is not None:
        _not_before(inp.accepted_on, inp.applied_on, field="accepted_on", label=_("受理日期"),
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
    _require_editor(reg)
    values = _check_case(reg, inp)
    _check_links(reg, inp)
    today = _today(reg)
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
        _add_event(reg, case["id"], "accepted", inp.accepted_on, source_label(inp.source),
                   {"source": inp.source, "period_due": due.isoformat()})
        link = {"mediation_id": case["id"], "number": number}
        if inp.matter_id:
            _matter_event(reg, inp.matter_id, "mediation_opened", inp.accepted_on,
                          _("转人民调解，案号{number}").format(number=number), link)
        if inp.dispute_id:
            _update_dispute(reg, inp.dispute_id, {"mediation_id": case["id"], "status": "化解中"})
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
                    accepted_on=accepted_on or _today(reg), village_id=village,
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
        accepted_on=accepted_on or _today(reg), village_id=village,
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


def update_case(reg: Register, mediation_id: str, *, expected_version: int | None = None,
                **changes: Any) -> Row:
    """Correct the registration (type, title, facts, claims, amount, mediators…) while the
    mediation is going on."""
    _require_editor(reg)
    row = case_row(reg, mediation_id)
    if row["status"] not in OPEN_STATUSES:
        raise TransitionError(_("案件已{status}，登记内容不能再修改。").format(
            status=status_label(row["status"])))
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
    with reg.transaction():
        return reg.update("mediations", mediation_id, values, expected_version=expected_version)


# ----- parties -----------------------------------------------------------------------------------

def _check_party(p: PartyInput, today: date) -> dict[str, Any]:
    if p.side not in SIDE_LABELS:
        raise ValidationError(_("请选择当事人是甲方还是乙方。"), "side")
    if p.kind not in PARTY_KIND_LABELS:
        raise ValidationError(_("请选择当事人是自然人还是单位。"), "kind")
    person = p.kind == "person"
    v: dict[str, Any] = dict(
        side=p.side, kind=p.kind,
        name=check_text(p.name, field="name", label=_("姓名") if person else _("名称"),
                        max_len=LIMITS["name" if person else "org_name"], required=True),
        gender=p.gender.strip() if person else "",
        ethnic_group=check_text(p.ethnic_group, field="ethnic_group", label=_("民族"),
                                max_len=10) if person else "",
        birth_date=p.birth_date.isoformat() if person and p.birth_date else None,
        age=p.age if person else None,
        occupation=check_text(p.occupation, field="occupation", label=_("职业或职务"),
                              max_len=LIMITS["occupation"]),
        phone=str(normalize_phone(p.phone)) if p.phone.strip() else "",
        address=check_text(p.address, field="address", label=_("单位或住址"),
                           max_len=LIMITS["address"]),
        id_number="",
        representative=check_text(p.representative, field="representative",
                                  label=_("法定代表人或负责人"), max_len=LIMITS["person"],
                                  required=not person),
        representative_title=check_text(p.representative_title, field="representative_title",
                                        label=_("职务"), max_len=LIMITS["person"]),
        agent=check_text(p.agent, field="agent", label=_("委托代理人"),
                         max_len=LIMITS["person"]))
    if v["gender"] not in ("", "男", "女"):
        raise ValidationError(_("性别只能是男或女。"), "gender")
    if p.birth_date is not None and p.birth_date > today:
        raise ValidationError(_("出生日期不能晚于今天。"), "birth_date")
    if p.age is not None and not 0 <= p.age <= 150:
        raise ValidationError(_("年龄应在0到150岁之间。"), "age")
    id_text = p.id_number.strip().upper()
    if id_text and person:
        cid = parse_citizen_id(id_text, today=today, field="id_number")
        problems = cross_check_citizen_id(cid, v["gender"], p.birth_date)
        if problems:
            raise ValidationError("".join(problems), "id_number")
        v.update(id_number=cid.number, gender=cid.gender, birth_date=cid.birth_date.isoformat())
    elif id_text:
        if not _CREDIT_CODE.match(id_text):
            raise ValidationError(_("统一社会信用代码应为18位数字或大写字母。"), "id_number")
        v["id_number"] = id_text
    return v


def _insert_party(reg: Register, mediation_id: str, values: dict[str, Any], sort: int) -> Row:
    return reg.insert("mediation_parties", dict(values, mediation_id=mediation_id, sort=sort))


def _check_parties_editable(row: Row) -> None:
    if row["status"] not in OPEN_STATUSES:
        raise TransitionError(_("案件已{status}，不能再更改当事人。").format(
            status=status_label(row["status"])))


def _check_duplicate(reg: Register, mediation_id: str, v: dict[str, Any],
                     exclude_id: str | None = None) -> None:
    for other in parties_of(reg, mediation_id):
        if other.id == exclude_id:
            continue
        same = (v["id_number"] and other.id_number == v["id_number"]) or (
            not v["id_number"] and not other.id_number and other.name == v["name"]
            and other.side == v["side"])
        if same:
            raise ValidationError(_("{name}已经是本案当事人（{side}）。").format(
                name=other.name, side=other.side_label()), "name")


def add_party(reg: Register, mediation_id: str, p: PartyInput) -> Row:
    _require_editor(reg)
    row = case_row(reg, mediation_id)
    _check_parties_editable(row)
    v = _check_party(p, _today(reg))
    _check_duplicate(reg, mediation_id, v)
    sort = int(reg.scalar("SELECT count(*) FROM mediation_parties WHERE mediation_id = ?",
                          (mediation_id,)))
    side = SIDE_LABELS[v["side"]]
    with reg.transaction():
        party = _insert_party(reg, mediation_id, v, sort)
        _add_event(reg, mediation_id, "party_added", _today(reg),
                   _("{side}：{name}").format(side=_(side), name=v["name"]))
    return party


def update_party(reg: Register, party_id: str, p: PartyInput, *,
                 expected_version: int | None = None) -> Row:
    """Correct a party; ``expected_version`` (the version the form was opened on) refuses the
    save when someone else changed the party meanwhile, instead of silently overwriting it."""
    _require_editor(reg)
    current = reg.get("mediation_parties", party_id)
    row = case_row(reg, current["mediation_id"])
    _check_parties_editable(row)
    v = _check_party(p, _today(reg))
    _check_duplicate(reg, current["mediation_id"], v, exclude_id=party_id)
    with reg.transaction():
        party = reg.update("mediation_parties", party_id, v, expected_version=expected_version)
        _add_event(reg, row["id"], "party_updated", _today(reg), v["name"])
    return party


def _present_at_session(reg: Register, mediation_id: str, party_id: str) -> bool:
    rows = reg.rows("SELECT present_party_ids FROM mediation_sessions "
                     "WHERE mediation_id = ? AND deleted = 0", (mediation_id,))
    return any(party_id in json.loads(r["present_party_ids"] or "[]") for r in rows)


def remove_party(reg: Register, party_id: str) -> None:
    """Remove a party entered by mistake. A party recorded as present at a session stays:
    the 调解笔录 already names them, so removing them would leave the record pointing at no one."""
    _require_editor(reg)
    current = reg.get("mediation_parties", party_id)
    row = case_row(reg, current["mediation_id"])
    _check_parties_editable(row)
    if _present_at_session(reg, row["id"], party_id):
        raise TransitionError(_("{name}已记录为调解到场当事人，不能删除；如登记有误，请修改其信息。")
                              .format(name=current["name"]))
    with reg.transaction():
        reg.delete("mediation_parties", party_id)
        _add_event(reg, row["id"], "party_removed", _today(reg), current["name"])


# ----- sessions ----------------------------------------------------------------------------------

@dataclass
class SessionInput:
    held_on: date
    kind: str = "mediation"
    time: str = ""
    place: str = ""
    mediators: list[str] = field(default_factory=list)  # default: the case's mediators
    recorder: str = ""  # default: the case's recorder
    participants: str = ""
    present_party_ids: list[str] = field(default_factory=list)
    rights_notified: bool = False
    statement_a: str = ""
    statement_b: str = ""
    findings: str = ""
    agreed: str = ""
    record: str = ""
    result: str = "continue"


def record_session(reg: Register, mediation_id: str, s: SessionInput) -> Row:
    """Record a 调解 (人民调解记录) or 调查 session; refused once the mediation has ended."""
    _require_editor(reg)
    row = case_row(reg, mediation_id)
    if row["status"] not in OPEN_STATUSES:
        raise TransitionError(_("案件已{status}，不能再记录调解或调查。").format(
            status=status_label(row["status"])))
    if s.kind not in SESSION_KIND_LABELS:
        raise ValidationError(_("请选择是调解还是调查。"), "kind")
    if s.result not in SESSION_RESULT_LABELS:
        raise ValidationError(_("请选择本次调解的结果。"), "result")
    _not_before(s.held_on, date.fromisoformat(row["accepted_on"]), field="held_on",
                label=_("日期"), limit_label=_("受理日期"))
    _not_future(reg, s.held_on, field="held_on", label=_("日期"))
    mediators = _names(s.mediators or json.loads(row["mediators"]), field="mediators",
                       label=_("人民调解员"))
    if not mediators:
        raise ValidationError(_("请填写主持本次{kind}的人民调解员。").format(
            kind=_(SESSION_KIND_LABELS[s.kind])), "mediators")
    recorder = check_text(s.recorder or row["recorder"], field="recorder", label=_("记录人"),
                          max_len=LIMITS["person"])
    text = {k: check_text(getattr(s, k), field=k, label=label, max_len=LIMITS["text"])
            for k, label in (("statement_a", _("甲方陈述")), ("statement_b", _("乙方陈述")),
                             ("findings", _("调查核实情况")), ("agreed", _("达成的意见")),
                             ("record", _("记录内容")))}
    parties = parties_of(reg, mediation_id)
    if s.kind == "mediation":
        if not recorder:
            raise ValidationError(_("请填写记录人。"), "recorder")
        if not ({p.side for p in parties} >= {"a", "b"}):
            raise TransitionError(_("调解需要双方当事人：请先添加甲方和乙方当事人。"))
        if not (text["statement_a"] or text["statement_b"] or text["record"]):
            raise ValidationError(_("请记录双方的陈述或调解经过。"), "statement_a")
    elif not (text["record"] or text["findings"]):
        raise ValidationError(_("请填写调查内容。"), "record")
    if s.result == "agreed" and not text["agreed"]:
        raise ValidationError(_("请写明双方达成的意见。"), "agreed")
    known = {p.id for p in parties}
    if any(pid not in known for pid in s.present_party_ids):
        raise ValidationError(_("到场当事人须是本案当事人。"), "present_party_ids")
    with reg.transaction():
        session = reg.insert("mediation_sessions", dict(
            text, mediation_id=mediation_id, kind=s.kind, held_on=s.held_on.isoformat(),
            time=check_text(s.time, field="time", label=_("时间"), max_len=20),
            place=check_text(s.place, field="place", label=_("地点"), max_len=LIMITS["place"]),
            mediators=json.dumps(mediators, ensure_ascii=False), recorder=recorder,
            participants=check_text(s.participants, field="participants", label=_("参加人"),
                                    max_len=200),
            present_party_ids=json.dumps(list(s.present_party_ids)),
            rights_notified=int(s.rights_notified), result=s.result))
        if s.kind == "mediation" and row["status"] == "accepted":
            reg.update("mediations", mediation_id, {"status": "mediating"})
        _add_event(reg, mediation_id, s.kind, s.held_on, _(SESSION_RESULT_LABELS[s.result])
                   if s.kind == "mediation" else "", {"session_id": session["id"]})
    return session


def extend_period(reg: Register, mediation_id: str, *, days: int, agreed_on: date,
                  reason: str, parties_consent: bool) -> Row:
    """Continue mediating past the one-month period: only with both parties' consent, given
    before the period ends, at most 30 days at a time."""
    _require_editor(reg)
    row = case_row(reg, mediation_id)
    if row["status"] not in OPEN_STATUSES:
        raise TransitionError(_("案件已{status}，不需要延长调解期限。").format(
            status=status_label(row["status"])))
    if not parties_consent:
        raise TransitionError(_("延长调解期限须经双方当事人同意。"))
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError(_("每次延长1到{max}日。").format(max=MAX_EXTENSION_DAYS), "days")
    reason = check_text(reason, field="reason", label=_("延长理由"), max_len=LIMITS["reason"],
                        required=True)
    due = date.fromisoformat(row["period_due"])
    _not_future(reg, agreed_on, field="agreed_on", label=_("同意延长的日期"))
    if agreed_on > due:
        raise TransitionError(_("调解期限已于{due}届满，不能再延长；请记录调解结果。").format(
            due=due.isoformat()))
    new_due = calendar_store.calendar(reg).next_workday_on_or_after(due + timedelta(days=days))
    with reg.transaction():
        case = reg.update("mediations", mediation_id, {
            "period_due": new_due.isoformat(),
            "period_extended_days": row["period_extended_days"] + days})
        _add_event(reg, mediation_id, "extension", agreed_on, reason,
                   {"days": days, "from": due.isoformat(), "to": new_due.isoformat()})
    return case


# ----- outcome -------------------------------------------------------------------------------------

@dataclass
class AgreementInput:
    signed_on: date
    terms: str
    form: str = "written"
    facts: str = ""  # default: the case's facts
    issues: str = ""
    responsibilities: str = ""
    performance_manner: str = ""
    performance_place: str = ""
    performance_deadline: date | None = None
    copies: int | None = None  # default: one per party plus one for the committee
    amount: str | int | Decimal = ""
    status_matter: str = ""
    performed_at_signing: bool = False  # 当场履行


def _check_outcome_allowed(row: Row) -> None:
    if row["status"] == "agreed":
        raise TransitionError(_("本案已经达成调解协议。"))
    if row["status"] not in OPEN_STATUSES:
        raise TransitionError(_("案件已{status}，不能再记录调解结果。").format(
            status=status_label(row["status"])))


def sign_agreement(reg: Register, mediation_id: str, a: AgreementInput) -> Row:
    """Record the agreement (人民调解协议书, or an oral agreement); returns the agreement row."""
    _require_editor(reg)
    row = case_row(reg, mediation_id)
    _check_outcome_allowed(row)
    if a.form not in AGREEMENT_FORM_LABELS:
        raise ValidationError(_("请选择书面协议或口头协议。"), "form")
    parties = parties_of(reg, mediation_id)
    if not ({p.side for p in parties} >= {"a", "b"}):
        raise TransitionError(_("调解协议须有双方当事人：请先添加甲方和乙方当事人。"))
    sessions = [s for s in sessions_of(reg, mediation_id) if s.kind == "mediation"]
    if not sessions:
        raise TransitionError(_("请先记录调解过程（人民调解记录），再记录调解协议。"))
    if not json.loads(row["mediators"]) and not any(s.mediators for s in sessions):
        raise ValidationError(_("请先填写本案的人民调解员。"), "mediators")
    _not_before(a.signed_on, sessions[-1].held_on, field="signed_on", label=_("协议日期"),
                limit_label=_("最后一次调解的日期"))
    _not_future(reg, a.signed_on, field="signed_on", label=_("协议日期"))
    written = a.form == "written"
    v: dict[str, Any] = dict(
        terms=check_text(a.terms, field="terms", label=_("协议内容"), max_len=LIMITS["text"],
                         required=True),
        facts=check_text(a.facts or row["facts"], field="facts",
                         label=_("纠纷主要事实"), max_len=LIMITS["text"], required=written),
        issues=check_text(a.issues, field="issues", label=_("争议事项"), max_len=LIMITS["text"]),
        responsibilities=check_text(a.responsibilities, field="responsibilities",
                                    label=_("各方责任"), max_len=LIMITS["text"]),
        performance_manner=check_text(a.performance_manner, field="performance_manner",
                                      label=_("履行方式"), max_len=LIMITS["reason"],
                                      required=written),
        performance_place=check_text(a.performance_place, field="performance_place",
                                     label=_("履行地点"), max_len=LIMITS["place"],
                                     required=written),
        amount_fen=parse_amount(a.amount, label=_("协议涉及金额")))
    if written and a.performance_deadline is None:
        raise ValidationError(_("书面协议须写明履行期限。"), "performance_deadline")
    if a.performance_deadline is not None:
        _not_before(a.performance_deadline, a.signed_on, field="performance_deadline",
                    label=_("履行期限"), limit_label=_("协议日期"))
    copies = (len(parties) + 1 if a.copies is None else a.copies) if written else 0
    if written and copies < len(parties) + 1:
        raise ValidationError(_("协议书份数至少应为{n}份：当事人各执一份，调委会留存一份。")
                              .format(n=len(parties) + 1), "copies")
    if a.status_matter and a.status_matter not in STATUS_MATTERS:
        raise ValidationError(_("请从列表中选择协议涉及的身份关系。"), "status_matter")
    jc_due = (compute_deadline(DeadlineKind.JUDICIAL_CONFIRMATION, a.signed_on,
                               calendar_store.calendar(reg)).due if written else None)
    base = a.performance_deadline or a.signed_on
    with reg.transaction():
        agreement = reg.insert("mediation_agreements", dict(
            v, mediation_id=mediation_id, form=a.form, number=row["number"],
            signed_on=a.signed_on.isoformat(),
            performance_deadline=(a.performance_deadline.isoformat()
                                  if a.performance_deadline else None),
            copies=copies, status_matter=a.status_matter,
            jc_due=jc_due.isoformat() if jc_due else None))
        reg.update("mediations", mediation_id, {
            "status": "agreed", "outcome_on": a.signed_on.isoformat(),
            "performance_status": "pending",
            "followup_due": (base + timedelta(days=followup_days(reg))).isoformat()})
        _add_event(reg, mediation_id, "agreement", a.signed_on,
                   _(AGREEMENT_FORM_LABELS[a.form]), {"agreement_id": agreement["id"]})
        if a.performed_at_signing:
            _performance(reg, mediation_id, "performed", a.signed_on, _("当场履行"), "")
    return agreement


def _end_links(reg: Register, row: Row, kind: str, on: date, reason: str) -> None:
    """Failed or terminated: the matter's timeline says so; the dispute is open again."""
    if row["matter_id"]:
        _matter_event(reg, row["matter_id"], "mediation_failed", on,
                      _("人民调解{kind}（{number}）：{reason}").format(
                          kind=status_label(kind), number=row["number"], reason=reason),
                      {"mediation_id": row["id"], "number": row["number"], "outcome": kind})
    if row["dispute_id"]:
        _update_dispute(reg, row["dispute_id"], {"status": "未化解"})


def record_failure(reg: Register, mediation_id: str, *, on: date, reason: str,
                   routes: Sequence[str]) -> Row:
    """调解不成: the mediation ends; the parties were told which routes remain (Art.26)."""
    _require_editor(reg)
    row = case_row(reg, mediation_id)
    _check_outcome_allowed(row)
    reason = check_text(reason, field="reason", label=_("调解不成的原因"),
                        max_len=LIMITS["reason"], required=True)
    chosen = [r for r in ROUTES if r in routes]
    if not chosen or len(chosen) != len(set(routes)):
        raise ValidationError(_("请选择已告知当事人的其他解决途径（仲裁、行政、司法）。"),
                              "routes")
    _not_before(on, date.fromisoformat(row["accepted_on"]), field="on", label=_("日期"),
                limit_label=_("受理日期"))
    _not_future(reg, on, field="on", label=_("日期"))
    with reg.transaction():
        case = reg.update("mediations", mediation_id, {
            "status": "failed", "outcome_on": on.isoformat(), "closed_on": on.isoformat(),
            "failure_reason": reason, "routes": json.dumps(chosen, ensure_ascii=False)})
        _add_event(reg, mediation_id, "failed", on, reason, {"routes": chosen})
        _end_links(reg, row, "failed", on, reason)
    return case


def terminate(reg: Register, mediation_id: str, *, on: date, reason: str) -> Row:
    """终止调解: a party refuses or withdraws (Art.17, 23), or the dispute is reported to the
    police (Art.25)."""
    _require_editor(reg)
    row = case_row(reg, mediation_id)
    _check_outcome_allowed(row)
    reason = check_text(reason, field="reason", label=_("终止原因"), max_len=LIMITS["reason"],
                        required=True)
    _not_before(on, date.fromisoformat(row["accepted_on"]), field="on", label=_("日期"),
                limit_label=_("受理日期"))
    _not_future(reg, on, field="on", label=_("日期"))
    with reg.transaction():
        case = reg.update("mediations", mediation_id, {
            "status": "terminated", "outcome_on": on.isoformat(), "closed_on": on.isoformat(),
            "termination_reason": reason})
        _add_event(reg, mediation_id, "terminated", on, reason)
        _end_links(reg, row, "terminated", on, reason)
    return case


# ----- performance, follow-up, judicial confirmation ---------------------------------------------

def _require_agreement(reg: Register, row: Row, what: str) -> Row:
    agreement = agreement_row(reg, row["id"])
    if agreement is None or row["status"] not in ("agreed", "closed"):
        raise TransitionError(_("尚未达成调解协议，不能{what}。").format(what=what))
    return agreement


def _performance(reg: Register, mediation_id: str, status: str, on: date, note: str,
                 evidence: str) -> None:
    row = case_row(reg, mediation_id)
    changes: dict[str, Any] = {"performance_status": status}
    if status == "performed":
        changes["performed_on"] = on.isoformat()
    reg.update("mediations", mediation_id, changes)
    _add_event(reg, mediation_id, "performance", on, note,
               {"status": status, "evidence": evidence})
    if status != "performed":
        return
    if row["matter_id"]:
        reg.update("matters", row["matter_id"], {"resolved_by_mediation": 1})
        _matter_event(reg, row["matter_id"], "mediation_resolved", on,
                      _("经人民调解达成协议并履行完毕（{number}）").format(number=row["number"]),
                      {"mediation_id": mediation_id, "number": row["number"]})
    if row["dispute_id"]:
        _update_dispute(reg, row["dispute_id"], {
            "status": "已化解", "resolution_way": "人民调解", "resolved_on": on.isoformat(),
            "mediation_id": mediation_id})


def record_performance(reg: Register, mediation_id: str, *, on: date, status: str,
                       note: str = "", evidence: str = "") -> Row:
    """Track performance of the agreement. Once performed in full, a linked petition matter is
    marked resolved by mediation and a linked dispute 已化解 (人民调解), in the same action."""
    _require_editor(reg)
    row = case_row(reg, mediation_id)
    agreement = _require_agreement(reg, row, _("记录履行情况"))
    if row["status"] == "closed":
        raise TransitionError(_("案件已结案，不能再记录履行情况。"))
    if row["performance_status"] == "performed":
        raise TransitionError(_("协议已经履行完毕。"))
    if status not in ("partial", "performed", "breached"):
        raise ValidationError(_("请选择履行情况。"), "status")
    _not_before(on, date.fromisoformat(agreement["signed_on"]), field="on", label=_("日期"),
                limit_label=_("协议日期"))
    _not_future(reg, on, field="on", label=_("日期"))
    note = check_text(note, field="note", label=_("说明"), max_len=LIMITS["note"],
                      required=status == "breached")
    evidence = check_text(evidence, field="evidence", label=_("履行凭证"),
                          max_len=LIMITS["note"])
    with reg.transaction():
        _performance(reg, mediation_id, status, on, note, evidence)
    return reg.get("mediations", mediation_id)


@dataclass
class FollowUpInput:
    visited_on: date
    visitor: str
    performance: str  # 履行情况
    visited_persons: str = ""
    satisfaction: str = ""
    lawsuit: str = ""
    risk: str = ""
    measures: str = ""
    next_due: date | None = None


def record_followup(reg: Register, mediation_id: str, f: FollowUpInput) -> Row:
    """人民调解回访记录: only after an agreement, on or after the day it took effect."""
    _require_editor(reg)
    row = case_row(reg, mediation_id)
    agreement = _require_agreement(reg, row, _("回访"))
    _not_before(f.visited_on, date.fromisoformat(agreement["signed_on"]), field="visited_on",
                label=_("回访日期"), limit_label=_("协议日期"))
    _not_future(reg, f.visited_on, field="visited_on", label=_("回访日期"))
    if f.satisfaction and f.satisfaction not in SATISFACTION:
        raise ValidationError(_("请从列表中选择满意程度。"), "satisfaction")
    if f.next_due is not None and f.next_due <= f.visited_on:
        raise ValidationError(_("下次回访日期应晚于本次回访日期。"), "next_due")
    values = dict(
        visitor=check_text(f.visitor, field="visitor", label=_("回访人"),
                           max_len=LIMITS["person"], required=True),
        performance=check_text(f.performance, field="performance", label=_("履行情况"),
                               max_len=LIMITS["text"], required=True),
        visited_persons=check_text(f.visited_persons, field="visited_persons",
                                   label=_("被回访人"), max_len=100),
        lawsuit=check_text(f.lawsuit, field="lawsuit", label=_("诉讼情况"),
                           max_len=LIMITS["note"]),
        risk=check_text(f.risk, field="risk", label=_("风险情况"), max_len=LIMITS["note"]),
        measures=check_text(f.measures, field="measures", label=_("采取的措施"),
                            max_len=LIMITS["note"]))
    with reg.transaction():
        followup = reg.insert("mediation_followups", dict(
            values, mediation_id=mediation_id, visited_on=f.visited_on.isoformat(),
            satisfaction=f.satisfaction,
            next_due=f.next_due.isoformat() if f.next_due else None))
        reg.update("mediations", mediation_id,
                   {"followup_due": f.next_due.isoformat() if f.next_due else None})
        _add_event(reg, mediation_id, "followup", f.visited_on, f.satisfaction,
                   {"followup_id": followup["id"]})
    return followup


def apply_judicial_confirmation(reg: Register, mediation_id: str, *, applied_on: date,
                                court: str, joint: bool) -> Row:
    """Record the parties' joint application to the court for judicial confirmation."""
    _require_editor(reg)
    row = case_row(reg, mediation_id)
    agreement = _require_agreement(reg, row, _("申请司法确认"))
    if agreement["form"] != "written":
        raise TransitionError(_("口头协议不能申请司法确认，须先制作书面调解协议书。"))
    if agreement["status_matter"]:
        matter = str(agreement["status_matter"])
        raise TransitionError(_("涉及{what}的协议，人民法院不受理司法确认申请。").format(
            what=_(matter)))
    if agreement["jc_applied_on"] and agreement["jc_result"] != "withdrawn":
        raise TransitionError(_("已经申请过司法确认。"))
    if not joint:
        raise TransitionError(_("司法确认须由双方当事人共同申请。"))
    court = check_text(court, field="court", label=_("受理法院"), max_len=LIMITS["court"],
                       required=True)
    signed = date.fromisoformat(agreement["signed_on"])
    _not_before(applied_on, signed, field="applied_on", label=_("申请日期"),
                limit_label=_("协议生效日期"))
    _not_future(reg, applied_on, field="applied_on", label=_("申请日期"))
    due = date.fromisoformat(agreement["jc_due"])
    if applied_on > due:
        raise TransitionError(_("已超过协议生效之日起30日的申请期限（最后一日为{due}），"
                                "不能再申请司法确认。").format(due=due.isoformat()))
    with reg.transaction():
        result = reg.update("mediation_agreements", agreement["id"], {
            "jc_applied_on": applied_on.isoformat(), "jc_court": court, "jc_result": "pending",
            "jc_decided_on": None, "jc_case_number": "", "jc_note": ""})
        _add_event(reg, mediation_id, "judicial_applied", applied_on, court)
    return result


def record_judicial_result(reg: Register, mediation_id: str, *, result: str, decided_on: date,
                           case_number: str = "", note: str = "") -> Row:
    """The court's decision: 确认有效, 不予确认 or 不予受理 (with the reason), or 撤回申请."""
    _require_editor(reg)
    row = case_row(reg, mediation_id)
    agreement = _require_agreement(reg, row, _("记录司法确认结果"))
    if agreement["jc_result"] != "pending":
        raise TransitionError(_("没有待法院决定的司法确认申请。"))
    if result not in JC_RESULT_LABELS or result == "pending":
        raise ValidationError(_("请选择司法确认的结果。"), "result")
    _not_before(decided_on, date.fromisoformat(agreement["jc_applied_on"]), field="decided_on",
                label=_("决定日期"), limit_label=_("申请日期"))
    _not_future(reg, decided_on, field="decided_on", label=_("决定日期"))
    note = check_text(note, field="note", label=_("理由"), max_len=LIMITS["note"],
                      required=result in ("rejected", "not_accepted"))
    with reg.transaction():
        out = reg.update("mediation_agreements", agreement["id"], {
            "jc_result": result, "jc_decided_on": decided_on.isoformat(),
            "jc_case_number": check_text(case_number, field="case_number", label=_("案号"),
                                         max_len=40),
            "jc_note": note})
        _add_event(reg, mediation_id, "judicial_result", decided_on,
                   _(JC_RESULT_LABELS[result]), {"result": result})
    return out


# ----- the 卷宗 and closing --------------------------------------------------------------------------

def set_documents(reg: Register, mediation_id: str, ticked: Iterable[str],
                  file_note: str | None = None) -> Row:
    """Tick the documents the data cannot show (告知书, 身份证明, 证据材料…); ``ticked`` is the
    full set of ticked keys."""
    _require_editor(reg)
    case_row(reg, mediation_id)
    keys = sorted(set(ticked))
    bad = [k for k in keys if k not in TICKABLE]
    if bad:
        raise ValidationError(_("这些材料由系统根据记录判断，不能手工勾选：{names}").format(
            names=join_list(_(t) for k, t, _m in DOCUMENTS if k in bad)), "docs")
    changes: dict[str, Any] = {"docs_ticked": json.dumps(keys)}
    if file_note is not None:
        changes["file_note"] = check_text(file_note, field="file_note", label=_("卷宗情况说明"),
                                          max_len=LIMITS["text"])
    with reg.transaction():
        return reg.update("mediations", mediation_id, changes)


def close_case(reg: Register, mediation_id: str, *, closed_on: date, filed_by: str,
               retention: str, ticked: Iterable[str] | None = None,
               file_note: str | None = None) -> Row:
    """结案 and 立卷归档. An agreed case closes once the agreement is performed (or a party
    refuses to perform, leaving the court route of Art.32); failed and terminated cases are
    filed. Refused while a required document of the 卷宗 is missing."""
    _require_editor(reg)
    row = case_row(reg, mediation_id)
    if row["filed_on"]:
        raise TransitionError(_("案件已经结案归档。"))
    if row["status"] in OPEN_STATUSES:
        raise TransitionError(_("调解尚未结束：请先记录调解协议、调解不成或终止调解。"))
    if row["status"] == "agreed" and row["performance_status"] not in ("performed", "breached"):
        raise TransitionError(_("协议尚未履行完毕，不能结案；请先记录履行情况。"))
    earliest = date.fromisoformat(row["performed_on"] or row["outcome_on"])
    _not_before(closed_on, earliest, field="closed_on", label=_("结案日期"),
                limit_label=_("履行完毕或调解结束的日期"))
    _not_future(reg, closed_on, field="closed_on", label=_("结案日期"))
    filed_by = check_text(filed_by, field="filed_by", label=_("立卷人"),
                          max_len=LIMITS["person"], required=True)
    if retention not in RETENTION:
        raise ValidationError(_("请选择保管期限。"), "retention")
    with reg.transaction():
        if ticked is not None or file_note is not None:
            set_documents(reg, mediation_id, row_ticked(row) if ticked is None else ticked,
                          file_note)
        changes: dict[str, Any] = {"filed_by": filed_by, "filed_on": closed_on.isoformat(),
                                   "retention": retention}
        if row["status"] == "agreed":
            changes.update(status="closed", closed_on=closed_on.isoformat())
        case = reg.update("mediations", mediation_id, changes)
        missing = mediation_file(reg, mediation_id).missing_documents
        if missing:
            raise ValidationError(_("卷宗缺少必备材料：{names}。请补齐或勾选后再结案。").format(
                names=join_list(i.title for i in missing)), "docs")
        _add_event(reg, mediation_id, "closed", closed_on, filed_by, {"retention": retention})
    return case


def row_ticked(row: Row) -> list[str]:
    return list(json.loads(row["docs_ticked"]))


def generate_demo(reg: Register, rng: random.Random, *, start: date, months: int,
                  count: int) -> dict[str, int]:
    """Demo cases in every state (see ``storage.mediation_demo``)."""
    from storage import mediation_demo

    return mediation_demo.generate_demo(reg, rng, start=start, months=months, count=count)


def home_alerts(reg: Register) -> list[CaseDeadline]:
    """Mediation deadlines for the home page: overdue or due within a week."""
    return deadline_warnings(reg, _today(reg))
