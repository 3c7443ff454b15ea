"""Mediation from the first session on: sessions, extensions, the agreement or the end of
mediation, performance, follow-up visits, judicial confirmation, the 卷宗 and closing."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from storage import calendar_store
from storage.deadlines import DeadlineKind, compute_deadline
from storage.errors import TransitionError, ValidationError
from storage.i18n import _, join_list
from storage.mediation.cases import (
    followup_days,
)
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
    LIMITS,
    MAX_EXTENSION_DAYS,
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
)

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


def record_session(reg: Register, mediation_id: str, entered: SessionInput) -> Row:
    """Record a 调解 (人民调解记录) or 调查 session; refused once the mediation has ended."""
    require_editor(reg)
    row = case_row(reg, mediation_id)
    if row["status"] not in OPEN_STATUSES:
        raise TransitionError(_("案件已{status}，不能再记录调解或调查。").format(
            status=status_label(row["status"])))
    if entered.kind not in SESSION_KIND_LABELS:
        raise ValidationError(_("请选择是调解还是调查。"), "kind")
    if entered.result not in SESSION_RESULT_LABELS:
        raise ValidationError(_("请选择本次调解的结果。"), "result")
    not_before(entered.held_on, date.fromisoformat(row["accepted_on"]), field="held_on",
                label=_("日期"), limit_label=_("受理日期"))
    not_future(reg, entered.held_on, field="held_on", label=_("日期"))
    mediators = clean_names(entered.mediators or json.loads(row["mediators"]), field="mediators",
                       label=_("人民调解员"))
    if not mediators:
        raise ValidationError(_("请填写主持本次{kind}的人民调解员。").format(
            kind=_(SESSION_KIND_LABELS[entered.kind])), "mediators")
    recorder = check_text(entered.recorder or row["recorder"], field="recorder", label=_("记录人"),
                          max_len=LIMITS["person"])
    text = {k: check_text(getattr(entered, k), field=k, label=label, max_len=LIMITS["text"])
            for k, label in (("statement_a", _("甲方陈述")), ("statement_b", _("乙方陈述")),
                             ("findings", _("调查核实情况")), ("agreed", _("达成的意见")),
                             ("record", _("记录内容")))}
    parties = parties_of(reg, mediation_id)
    if entered.kind == "mediation":
        if not recorder:
            raise ValidationError(_("请填写记录人。"), "recorder")
        if not ({p.side for p in parties} >= {"a", "b"}):
            raise TransitionError(_("调解需要双方当事人：请先添加甲方和乙方当事人。"))
        if not (text["statement_a"] or text["statement_b"] or text["record"]):
            raise ValidationError(_("请记录双方的陈述或调解经过。"), "statement_a")
    elif not (text["record"] or text["findings"]):
        raise ValidationError(_("请填写调查内容。"), "record")
    if entered.result == "agreed" and not text["agreed"]:
        raise ValidationError(_("请写明双方达成的意见。"), "agreed")
    known = {p.id for p in parties}
    if any(pid not in known for pid in entered.present_party_ids):
        raise ValidationError(_("到场当事人须是本案当事人。"), "present_party_ids")
    with reg.transaction():
        session = reg.insert("mediation_sessions", dict(
            text, mediation_id=mediation_id, kind=entered.kind, held_on=entered.held_on.isoformat(),
            time=check_text(entered.time, field="time", label=_("时间"), max_len=20),
            place=check_text(entered.place, field="place", label=_("地点"), max_len=LIMITS["place"]),
            mediators=json.dumps(mediators, ensure_ascii=False), recorder=recorder,
            participants=check_text(entered.participants, field="participants", label=_("参加人"),
                                    max_len=200),
            present_party_ids=json.dumps(list(entered.present_party_ids)),
            rights_notified=int(entered.rights_notified), result=entered.result))
        if entered.kind == "mediation" and row["status"] == "accepted":
            reg.update("mediations", mediation_id, {"status": "mediating"})
        add_event(reg, mediation_id, entered.kind, entered.held_on, _(SESSION_RESULT_LABELS[entered.result])
                   if entered.kind == "mediation" else "", {"session_id": session["id"]})
    return session


def extend_period(reg: Register, mediation_id: str, *, days: int, agreed_on: date,
                  reason: str, parties_consent: bool) -> Row:
    """Continue mediating past the one-month period: only with both parties' consent, given
    before the period ends, at most 30 days at a time."""
    require_editor(reg)
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
    not_future(reg, agreed_on, field="agreed_on", label=_("同意延长的日期"))
    if agreed_on > due:
        raise TransitionError(_("调解期限已于{due}届满，不能再延长；请记录调解结果。").format(
            due=due.isoformat()))
    new_due = calendar_store.calendar(reg).next_workday_on_or_after(due + timedelta(days=days))
    with reg.transaction():
        case = reg.update("mediations", mediation_id, {
            "period_due": new_due.isoformat(),
            "period_extended_days": row["period_extended_days"] + days})
        add_event(reg, mediation_id, "extension", agreed_on, reason,
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


def sign_agreement(reg: Register, mediation_id: str, entered: AgreementInput) -> Row:
    """Record the agreement (人民调解协议书, or an oral agreement); returns the agreement row."""
    require_editor(reg)
    row = case_row(reg, mediation_id)
    _check_outcome_allowed(row)
    if entered.form not in AGREEMENT_FORM_LABELS:
        raise ValidationError(_("请选择书面协议或口头协议。"), "form")
    parties = parties_of(reg, mediation_id)
    if not ({p.side for p in parties} >= {"a", "b"}):
        raise TransitionError(_("调解协议须有双方当事人：请先添加甲方和乙方当事人。"))
    sessions = [s for s in sessions_of(reg, mediation_id) if s.kind == "mediation"]
    if not sessions:
        raise TransitionError(_("请先记录调解过程（人民调解记录），再记录调解协议。"))
    if not json.loads(row["mediators"]) and not any(s.mediators for s in sessions):
        raise ValidationError(_("请先填写本案的人民调解员。"), "mediators")
    not_before(entered.signed_on, sessions[-1].held_on, field="signed_on", label=_("协议日期"),
                limit_label=_("最后一次调解的日期"))
    not_future(reg, entered.signed_on, field="signed_on", label=_("协议日期"))
    written = entered.form == "written"
    v: dict[str, Any] = dict(
        terms=check_text(entered.terms, field="terms", label=_("协议内容"), max_len=LIMITS["text"],
                         required=True),
        facts=check_text(entered.facts or row["facts"], field="facts",
                         label=_("纠纷主要事实"), max_len=LIMITS["text"], required=written),
        issues=check_text(entered.issues, field="issues", label=_("争议事项"), max_len=LIMITS["text"]),
        responsibilities=check_text(entered.responsibilities, field="responsibilities",
                                    label=_("各方责任"), max_len=LIMITS["text"]),
        performance_manner=check_text(entered.performance_manner, field="performance_manner",
                                      label=_("履行方式"), max_len=LIMITS["reason"],
                                      required=written),
        performance_place=check_text(entered.performance_place, field="performance_place",
                                     label=_("履行地点"), max_len=LIMITS["place"],
                                     required=written),
        amount_fen=parse_amount(entered.amount, label=_("协议涉及金额")))
    if written and entered.performance_deadline is None:
        raise ValidationError(_("书面协议须写明履行期限。"), "performance_deadline")
    if entered.performance_deadline is not None:
        not_before(entered.performance_deadline, entered.signed_on, field="performance_deadline",
                    label=_("履行期限"), limit_label=_("协议日期"))
    copies = (len(parties) + 1 if entered.copies is None else entered.copies) if written else 0
    if written and copies < len(parties) + 1:
        raise ValidationError(_("协议书份数至少应为{n}份：当事人各执一份，调委会留存一份。")
                              .format(n=len(parties) + 1), "copies")
    if entered.status_matter and entered.status_matter not in STATUS_MATTERS:
        raise ValidationError(_("请从列表中选择协议涉及的身份关系。"), "status_matter")
    jc_due = (compute_deadline(DeadlineKind.JUDICIAL_CONFIRMATION, entered.signed_on,
                               calendar_store.calendar(reg)).due if written else None)
    base = entered.performance_deadline or entered.signed_on
    with reg.transaction():
        agreement = reg.insert("mediation_agreements", dict(
            v, mediation_id=mediation_id, form=entered.form, number=row["number"],
            signed_on=entered.signed_on.isoformat(),
            performance_deadline=(entered.performance_deadline.isoformat()
                                  if entered.performance_deadline else None),
            copies=copies, status_matter=entered.status_matter,
            jc_due=jc_due.isoformat() if jc_due else None))
        reg.update("mediations", mediation_id, {
            "status": "agreed", "outcome_on": entered.signed_on.isoformat(),
            "performance_status": "pending",
            "followup_due": (base + timedelta(days=followup_days(reg))).isoformat()})
        add_event(reg, mediation_id, "agreement", entered.signed_on,
                   _(AGREEMENT_FORM_LABELS[entered.form]), {"agreement_id": agreement["id"]})
        if entered.performed_at_signing:
            _performance(reg, mediation_id, "performed", entered.signed_on, _("当场履行"), "")
    return agreement


def _end_links(reg: Register, row: Row, kind: str, on: date, reason: str) -> None:
    """Failed or terminated: the matter's timeline says so; the dispute is open again."""
    if row["matter_id"]:
        matter_event(reg, row["matter_id"], "mediation_failed", on,
                      _("人民调解{kind}（{number}）：{reason}").format(
                          kind=status_label(kind), number=row["number"], reason=reason),
                      {"mediation_id": row["id"], "number": row["number"], "outcome": kind})
    if row["dispute_id"]:
        update_dispute(reg, row["dispute_id"], {"status": "未化解"})


def record_failure(reg: Register, mediation_id: str, *, on: date, reason: str,
                   routes: Sequence[str]) -> Row:
    """调解不成: the mediation ends; the parties were told which routes remain (Art.26)."""
    require_editor(reg)
    row = case_row(reg, mediation_id)
    _check_outcome_allowed(row)
    reason = check_text(reason, field="reason", label=_("调解不成的原因"),
                        max_len=LIMITS["reason"], required=True)
    chosen = [r for r in ROUTES if r in routes]
    if not chosen or len(chosen) != len(set(routes)):
        raise ValidationError(_("请选择已告知当事人的其他解决途径（仲裁、行政、司法）。"),
                              "routes")
    not_before(on, date.fromisoformat(row["accepted_on"]), field="on", label=_("日期"),
                limit_label=_("受理日期"))
    not_future(reg, on, field="on", label=_("日期"))
    with reg.transaction():
        case = reg.update("mediations", mediation_id, {
            "status": "failed", "outcome_on": on.isoformat(), "closed_on": on.isoformat(),
            "failure_reason": reason, "routes": json.dumps(chosen, ensure_ascii=False)})
        add_event(reg, mediation_id, "failed", on, reason, {"routes": chosen})
        _end_links(reg, row, "failed", on, reason)
    return case


def terminate(reg: Register, mediation_id: str, *, on: date, reason: str) -> Row:
    """终止调解: a party refuses or withdraws (Art.17, 23), or the dispute is reported to the
    police (Art.25)."""
    require_editor(reg)
    row = case_row(reg, mediation_id)
    _check_outcome_allowed(row)
    reason = check_text(reason, field="reason", label=_("终止原因"), max_len=LIMITS["reason"],
                        required=True)
    not_before(on, date.fromisoformat(row["accepted_on"]), field="on", label=_("日期"),
                limit_label=_("受理日期"))
    not_future(reg, on, field="on", label=_("日期"))
    with reg.transaction():
        case = reg.update("mediations", mediation_id, {
            "status": "terminated", "outcome_on": on.isoformat(), "closed_on": on.isoformat(),
            "termination_reason": reason})
        add_event(reg, mediation_id, "terminated", on, reason)
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
    add_event(reg, mediation_id, "performance", on, note,
               {"status": status, "evidence": evidence})
    if status != "performed":
        return
    if row["matter_id"]:
        reg.update("matters", row["matter_id"], {"resolved_by_mediation": 1})
        matter_event(reg, row["matter_id"], "mediation_resolved", on,
                      _("经人民调解达成协议并履行完毕（{number}）").format(number=row["number"]),
                      {"mediation_id": mediation_id, "number": row["number"]})
    if row["dispute_id"]:
        update_dispute(reg, row["dispute_id"], {
            "status": "已化解", "resolution_way": "人民调解", "resolved_on": on.isoformat(),
            "mediation_id": mediation_id})


def record_performance(reg: Register, mediation_id: str, *, on: date, status: str,
                       note: str = "", evidence: str = "") -> Row:
    """Track performance of the agreement. Once performed in full, a linked petition matter is
    marked resolved by mediation and a linked dispute 已化解 (人民调解), in the same action."""
    require_editor(reg)
    row = case_row(reg, mediation_id)
    agreement = _require_agreement(reg, row, _("记录履行情况"))
    if row["status"] == "closed":
        raise TransitionError(_("案件已结案，不能再记录履行情况。"))
    if row["performance_status"] == "performed":
        raise TransitionError(_("协议已经履行完毕。"))
    if status not in ("partial", "performed", "breached"):
        raise ValidationError(_("请选择履行情况。"), "status")
    not_before(on, date.fromisoformat(agreement["signed_on"]), field="on", label=_("日期"),
                limit_label=_("协议日期"))
    not_future(reg, on, field="on", label=_("日期"))
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


def record_followup(reg: Register, mediation_id: str, visit: FollowUpInput) -> Row:
    """人民调解回访记录: only after an agreement, on or after the day it took effect."""
    require_editor(reg)
    row = case_row(reg, mediation_id)
    agreement = _require_agreement(reg, row, _("回访"))
    not_before(visit.visited_on, date.fromisoformat(agreement["signed_on"]), field="visited_on",
                label=_("回访日期"), limit_label=_("协议日期"))
    not_future(reg, visit.visited_on, field="visited_on", label=_("回访日期"))
    if visit.satisfaction and visit.satisfaction not in SATISFACTION:
        raise ValidationError(_("请从列表中选择满意程度。"), "satisfaction")
    if visit.next_due is not None and visit.next_due <= visit.visited_on:
        raise ValidationError(_("下次回访日期应晚于本次回访日期。"), "next_due")
    values = dict(
        visitor=check_text(visit.visitor, field="visitor", label=_("回访人"),
                           max_len=LIMITS["person"], required=True),
        performance=check_text(visit.performance, field="performance", label=_("履行情况"),
                               max_len=LIMITS["text"], required=True),
        visited_persons=check_text(visit.visited_persons, field="visited_persons",
                                   label=_("被回访人"), max_len=100),
        lawsuit=check_text(visit.lawsuit, field="lawsuit", label=_("诉讼情况"),
                           max_len=LIMITS["note"]),
        risk=check_text(visit.risk, field="risk", label=_("风险情况"), max_len=LIMITS["note"]),
        measures=check_text(visit.measures, field="measures", label=_("采取的措施"),
                            max_len=LIMITS["note"]))
    with reg.transaction():
        followup = reg.insert("mediation_followups", dict(
            values, mediation_id=mediation_id, visited_on=visit.visited_on.isoformat(),
            satisfaction=visit.satisfaction,
            next_due=visit.next_due.isoformat() if visit.next_due else None))
        reg.update("mediations", mediation_id,
                   {"followup_due": visit.next_due.isoformat() if visit.next_due else None})
        add_event(reg, mediation_id, "followup", visit.visited_on, visit.satisfaction,
                   {"followup_id": followup["id"]})
    return followup


def apply_judicial_confirmation(reg: Register, mediation_id: str, *, applied_on: date,
                                court: str, joint: bool) -> Row:
    """Record the parties' joint application to the court for judicial confirmation."""
    require_editor(reg)
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
    not_before(applied_on, signed, field="applied_on", label=_("申请日期"),
                limit_label=_("协议生效日期"))
    not_future(reg, applied_on, field="applied_on", label=_("申请日期"))
    due = date.fromisoformat(agreement["jc_due"])
    if applied_on > due:
        raise TransitionError(_("已超过协议生效之日起30日的申请期限（最后一日为{due}），"
                                "不能再申请司法确认。").format(due=due.isoformat()))
    with reg.transaction():
        result = reg.update("mediation_agreements", agreement["id"], {
            "jc_applied_on": applied_on.isoformat(), "jc_court": court, "jc_result": "pending",
            "jc_decided_on": None, "jc_case_number": "", "jc_note": ""})
        add_event(reg, mediation_id, "judicial_applied", applied_on, court)
    return result


def record_judicial_result(reg: Register, mediation_id: str, *, result: str, decided_on: date,
                           case_number: str = "", note: str = "") -> Row:
    """The court's decision: 确认有效, 不予确认 or 不予受理 (with the reason), or 撤回申请."""
    require_editor(reg)
    row = case_row(reg, mediation_id)
    agreement = _require_agreement(reg, row, _("记录司法确认结果"))
    if agreement["jc_result"] != "pending":
        raise TransitionError(_("没有待法院决定的司法确认申请。"))
    if result not in JC_RESULT_LABELS or result == "pending":
        raise ValidationError(_("请选择司法确认的结果。"), "result")
    not_before(decided_on, date.fromisoformat(agreement["jc_applied_on"]), field="decided_on",
                label=_("决定日期"), limit_label=_("申请日期"))
    not_future(reg, decided_on, field="decided_on", label=_("决定日期"))
    note = check_text(note, field="note", label=_("理由"), max_len=LIMITS["note"],
                      required=result in ("rejected", "not_accepted"))
    with reg.transaction():
        out = reg.update("mediation_agreements", agreement["id"], {
            "jc_result": result, "jc_decided_on": decided_on.isoformat(),
            "jc_case_number": check_text(case_number, field="case_number", label=_("案号"),
                                         max_len=40),
            "jc_note": note})
        add_event(reg, mediation_id, "judicial_result", decided_on,
                   _(JC_RESULT_LABELS[result]), {"result": result})
    return out


# ----- the 卷宗 and closing --------------------------------------------------------------------------

def set_documents(reg: Register, mediation_id: str, ticked: Iterable[str],
                  file_note: str | None = None) -> Row:
    """Tick the documents the data cannot show (告知书, 身份证明, 证据材料…); ``ticked`` is the
    full set of ticked keys."""
    require_editor(reg)
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
    require_editor(reg)
    row = case_row(reg, mediation_id)
    if row["filed_on"]:
        raise TransitionError(_("案件已经结案归档。"))
    if row["status"] in OPEN_STATUSES:
        raise TransitionError(_("调解尚未结束：请先记录调解协议、调解不成或终止调解。"))
    if row["status"] == "agreed" and row["performance_status"] not in ("performed", "breached"):
        raise TransitionError(_("协议尚未履行完毕，不能结案；请先记录履行情况。"))
    earliest = date.fromisoformat(row["performed_on"] or row["outcome_on"])
    not_before(closed_on, earliest, field="closed_on", label=_("结案日期"),
                limit_label=_("履行完毕或调解结束的日期"))
    not_future(reg, closed_on, field="closed_on", label=_("结案日期"))
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
        add_event(reg, mediation_id, "closed", closed_on, filed_by, {"retention": retention})
    return case


def row_ticked(row: Row) -> list[str]:
    return list(json.loads(row["docs_ticked"]))


def home_alerts(reg: Register) -> list[CaseDeadline]:
    """Mediation deadlines for the home page: overdue or due within a week."""
    return deadline_warnings(reg, current_day(reg))
