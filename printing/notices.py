"""Written notices on a petition matter (docs/domain.md §3.3; 《信访工作条例》 Art.23, 31, 34–36).

- 受理告知书 (:class:`AcceptanceNotice`): accepted, handled by whom, the 60-day limit, 查询码.
- 不予受理告知书 (:class:`RejectionNotice`): the reason, the legal basis and the competent organ
  or legal channel the petitioner should turn to.
- 不再受理告知书 (:class:`NoFurtherAcceptanceNotice`): the matter went through 复核 and comes back
  on the same facts and reasons (Art.36 ¶3).
- 延期办理告知书 (:class:`ExtensionNotice`): at most 30 more days, with the reason (Art.34).
- 答复意见书 (:class:`ReplyOpinion`): acceptance; facts found, basis and an opinion per request
  (支持 / 解释说明 / 不予支持); the 30-day 复查 remedy (Art.32, 35).

Every notice is addressed to the petitioner(s), signed by the organ (``station.office_name``)
with a seal area and the date in Chinese form, and numbered "第 X 页 共 Y 页".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from reportlab.platypus import Flowable, HRFlowable, Spacer

from printing.layout import (
    A4_PORTRAIT,
    Output,
    build_pdf,
    chinese_date,
    closing_with_seal,
    para,
    scaled,
    styles,
    title_block,
    write_output,
)
from printing.models import PetitionerInfo, StationInfo
from storage.errors import ValidationError
from storage.i18n import N_, _, full_stop, join_clauses, join_list, numeral
from storage.masking import DEFAULT_POLICY, MaskPolicy

MAX_EXTENSION_DAYS = 30  # 《信访工作条例》 Art.34
HANDLING_DAYS = 60
REVIEW_WINDOW_DAYS = 30  # Art.35


def document_number(year: int, seq: int, word: str) -> str:
    """``document_number(2026, 12, "花信受字")`` → ``〔2026〕花信受字第12号``."""
    return _("〔{year}〕{word}第{seq}号").format(year=year, word=word, seq=seq)


@dataclass(frozen=True, kw_only=True)
class NoticeBase:
    """What every notice names: the organ, the document number, the matter and to whom.

    ``form`` is how the matter came in (来访, 来信, 来电, 网上信访 …); ``summary`` a noun phrase for
    the matter ("春明村一组土地承包经营权调整"), printed as "反映…的问题"; ``issued_on`` the date
    of the notice.
    """

    station: StationInfo
    doc_number: str = ""
    case_number: str
    petitioners: tuple[PetitionerInfo, ...]
    form: str
    received_on: date
    summary: str
    issued_on: date
    policy: MaskPolicy = DEFAULT_POLICY

    def __post_init__(self) -> None:
        if not self.petitioners:
            raise ValidationError(_("告知书至少要有一名信访人"), "petitioners")


@dataclass(frozen=True, kw_only=True)
class AcceptanceNotice(NoticeBase):
    """受理告知书. ``due_on`` is the end of the 60-day handling period, counted by the caller
    with the holiday calendar."""

    accepted_on: date
    handling_unit: str
    due_on: date
    query_code: str = ""


@dataclass(frozen=True, kw_only=True)
class RejectionNotice(NoticeBase):
    """不予受理告知书. ``reason`` completes "经审查，…" ("该事项属于劳动争议，依法应当通过劳动争议
    仲裁程序解决"); ``competent_organ`` and ``legal_channel`` complete "请你依法向{organ}{channel}"
    ("姑苏区劳动人事争议仲裁委员会" + "申请仲裁"); ``channel_note`` may add a limitation period."""

    reason: str
    competent_organ: str
    legal_channel: str
    legal_basis: str = ""  # default: 《信访工作条例》第三十一条
    channel_note: str = ""


@dataclass(frozen=True, kw_only=True)
class NoFurtherAcceptanceNotice(NoticeBase):
    """不再受理告知书: the 复核 organ, its document number and date. When the register does not
    hold the earlier 复核意见 (it was given elsewhere), ``reason`` says what was found instead;
    ``previous_case`` is the number of the earlier matter when it is in the register."""

    review_organ: str = ""
    review_doc_number: str = ""
    review_date: date | None = None
    previous_case: str = ""
    reason: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.review_date is None and not self.reason.strip():
            raise ValidationError(_("不再受理告知书须写明复核意见或不再受理的理由"), "reason")


@dataclass(frozen=True, kw_only=True)
class ExtensionNotice(NoticeBase):
    """延期办理告知书 (Art.34: at most 30 days, the reason told to the petitioner)."""

    accepted_on: date
    original_due: date
    extension_days: int
    new_due: date
    reason: str
    query_code: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 1 <= self.extension_days <= MAX_EXTENSION_DAYS:
            raise ValidationError(_("延长办理期限不得超过30日"), "extension_days")
        if self.new_due <= self.original_due:
            raise ValidationError(_("延长后的办结日期必须晚于原办结日期"), "new_due")


class Outcome(StrEnum):
    """处理意见 on one request (Art.32)."""

    SUPPORT = "支持"
    EXPLAIN = "解释说明"
    REJECT = "不予支持"


@dataclass(frozen=True)
class ReplyItem:
    """One request of the petitioner with the organ's opinion on it."""

    request: str
    outcome: Outcome
    opinion: str


@dataclass(frozen=True, kw_only=True)
class ReplyOpinion(NoticeBase):
    """答复意见书. ``findings`` is what the investigation found (time, place, main facts; blank
    lines separate paragraphs); ``legal_basis`` the laws and policies applied; ``review_organ``
    the organ one level up that takes a 复查 request; ``copies_to`` the 抄送 line."""

    accepted_on: date
    forwarded_by: str = ""
    forwarded_on: date | None = None
    findings: str
    legal_basis: str
    items: tuple[ReplyItem, ...]
    review_organ: str
    copies_to: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.items:
            raise ValidationError(_("答复意见书至少要对一项诉求作出处理意见"), "items")


# ---------------------------------------------------------------------------------------------
# Phrases


def _you(petitioners: Sequence[PetitionerInfo]) -> str:
    return _("你") if len(petitioners) == 1 else _("你们")


def _names(data: NoticeBase) -> str:
    return join_list(data.policy.name(p.name) for p in data.petitioners)


def _matter(summary: str) -> str:
    text = " ".join(summary.split()).rstrip("。；;，,.")
    if text.endswith(("问题", "一事", "事宜", "事项")):
        return text
    return _("{summary}的问题").format(summary=text)


def _came_in(data: NoticeBase) -> str:
    """"你于2026年11月20日通过来访方式反映…的问题（信访件编号：…）"."""
    return _("{you}于{date}通过{form}方式反映{matter}（信访件编号：{case}）").format(
        you=_you(data.petitioners), date=chinese_date(data.received_on), form=data.form,
        matter=_matter(data.summary), case=data.case_number)


def _clause(text: str) -> str:
    return text.strip().rstrip("。；;，,.")


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------------------------------------
# Assembly


def _notice_story(data: NoticeBase, title: str, body: Sequence[Flowable], closing: str,
                  after: Sequence[Flowable] = ()) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = title_block(title, data.doc_number)
    story.append(para(_("{names}：").format(names=_names(data)), s.salutation))
    story.extend(body)
    story.append(closing_with_seal([para(closing, s.closing)], data.station.office_name,
                                   data.issued_on, after))
    return story


def _copies_note() -> Flowable:
    return para(_("本告知书一式两份，一份送达信访人，一份附卷存档。"),
                scaled(styles().small, 10.5, 16, spaceBefore=10))


def _build(data: NoticeBase, title: str, story: list[Flowable]) -> bytes:
    return build_pdf(story, spec=A4_PORTRAIT, title=f"{title} {data.case_number}",
                     author=data.station.office_name, subject=data.case_number)


def acceptance_story(data: AcceptanceNotice) -> list[Flowable]:
    s = styles()
    you = _you(data.petitioners)
    body = [
        para(_("{came_in}，本机关已收悉。经审查，该事项属于本机关职责范围。依据《信访工作条例》"
               "第二十三条的规定，现将有关事项告知如下：").format(came_in=_came_in(data)), s.body),
        para(_("一、本机关已于{accepted}受理该信访事项，交由{unit}具体办理。").format(
            accepted=chinese_date(data.accepted_on), unit=data.handling_unit), s.body),
        para(_("二、本机关将自受理之日起{days}日内办结，即于{due}前作出书面处理意见；情况复杂的，"
               "经本机关负责人批准，可以适当延长办理期限，但延长期限不超过{ext}日，并告知延期理由。"
               ).format(days=HANDLING_DAYS, due=chinese_date(data.due_on),
                        ext=MAX_EXTENSION_DAYS), s.body),
    ]
    if data.query_code:
        body.append(para(_("三、{you}可以凭信访件编号和查询码（{code}）查询办理进度和评价办理结果，"
                           "也可以拨打{phone}咨询。").format(
            you=you, code=data.query_code, phone=data.station.phone), s.body))
    else:
        body.append(para(_("三、{you}可以拨打{phone}咨询办理进度。").format(
            you=you, phone=data.station.phone), s.body))
    return _notice_story(data, _("信访事项受理告知书"), body, _("特此告知。"), [_copies_note()])


def rejection_story(data: RejectionNotice) -> list[Flowable]:
    s = styles()
    you = _you(data.petitioners)
    if data.channel_note:
        channel = _("请{you}依法向{organ}{channel}。{note}").format(
            you=you, organ=data.competent_organ, channel=_clause(data.legal_channel),
            note=full_stop(data.channel_note))
    else:
        channel = _("请{you}依法向{organ}{channel}。").format(
            you=you, organ=data.competent_organ, channel=_clause(data.legal_channel))
    body = [
        para(_("{came_in}，本机关已收悉。").format(came_in=_came_in(data)), s.body),
        para(_("经审查，{reason}。依据{basis}的规定，本机关对该信访事项不予受理。").format(
            reason=_clause(data.reason),
            basis=data.legal_basis or _("《信访工作条例》第三十一条")), s.body),
        para(channel, s.body),
    ]
    return _notice_story(data, _("不予受理信访事项告知书"), body, _("特此告知。"),
                         [_copies_note()])


def _review_found(data: NoFurtherAcceptanceNotice) -> str:
    """"经查，你反映的事项已经…于…作出复核意见（…）。" or the recorded reason."""
    you = _you(data.petitioners)
    if data.review_date is None:
        reason = _clause(data.reason).removesuffix(_("不再受理")).rstrip("，,；; ")
        return _("经查，{reason}。").format(reason=reason)
    refs = [x for x in (data.review_doc_number,
                        _("原信访件编号：{case}").format(case=data.previous_case)
                        if data.previous_case else "") if x]
    return _("经查，{you}反映的事项已经{organ}于{date}作出复核意见{refs}。{you}对复核意见不服，"
             "仍以同一事实和理由提出投诉请求。").format(
        you=you, organ=data.review_organ or _("复核机关"), date=chinese_date(data.review_date),
        refs=_("（{refs}）").format(refs=join_clauses(refs)) if refs else "")


def no_further_acceptance_story(data: NoFurtherAcceptanceNotice) -> list[Flowable]:
    s = styles()
    you = _you(data.petitioners)
    body = [
        para(_("{came_in}，本机关已收悉。").format(came_in=_came_in(data)), s.body),
        para(_("{found}依据《信访工作条例》第三十六条第三款的规定，本机关不再受理。").format(
            found=_review_found(data)), s.body),
        para(_("如有新的事实和理由，{you}可以依法另行提出。").format(you=you), s.body),
    ]
    return _notice_story(data, _("不再受理信访事项告知书"), body, _("特此告知。"),
                         [_copies_note()])


def extension_story(data: ExtensionNotice) -> list[Flowable]:
    s = styles()
    you = _you(data.petitioners)
    body = [
        para(_("{came_in}，本机关已于{accepted}受理，原定于{due}前办结。").format(
            came_in=_came_in(data), accepted=chinese_date(data.accepted_on),
            due=chinese_date(data.original_due)), s.body),
        para(_("因{reason}，该事项不能在规定期限内办结。经本机关负责人批准，依据《信访工作条例》"
               "第三十四条的规定，办理期限延长{days}日，至{due}前办结。").format(
            reason=_clause(data.reason), days=data.extension_days,
            due=chinese_date(data.new_due)), s.body),
    ]
    if data.query_code:
        body.append(para(_("办理期间，{you}可以凭信访件编号和查询码（{code}）查询办理进度，"
                           "也可以拨打{phone}咨询。").format(
            you=you, code=data.query_code, phone=data.station.phone), s.body))
    return _notice_story(data, _("延期办理信访事项告知书"), body, _("特此告知。"),
                         [_copies_note()])


def _ordinal(index: int) -> str:
    """（一）…（十）, then （11）… for longer lists; (1), (2) … in English."""
    return _("（{n}）").format(n=numeral(index + 1))


def _petitioner_lines(data: ReplyOpinion) -> list[Flowable]:
    s = styles()
    out: list[Flowable] = []
    for p in data.petitioners:
        parts = [_("信访人：{name}").format(name=data.policy.name(p.name))]
        if p.id_number:
            parts.append(_("公民身份号码：{id}").format(id=data.policy.id_number(p.id_number)))
        if p.address:
            parts.append(_("住址：{address}").format(address=p.address))
        if p.phone:
            parts.append(_("联系电话：{phone}").format(phone=data.policy.phone(p.phone)))
        out.append(para(full_stop(join_clauses(parts)), s.body_plain))
    out.append(Spacer(0, 4))
    return out


def _reply_acceptance(data: ReplyOpinion) -> list[Flowable]:
    s = styles()
    you = _you(data.petitioners)
    if data.forwarded_by and data.forwarded_on is not None:
        text = _("{you}于{date}通过{form}方式向{via}反映{matter}（信访件编号：{case}），{via}于"
                 "{fwd}转送本机关，本机关于{accepted}依法受理。{you}的诉求是：").format(
            you=you, date=chinese_date(data.received_on), form=data.form, via=data.forwarded_by,
            matter=_matter(data.summary), case=data.case_number,
            fwd=chinese_date(data.forwarded_on), accepted=chinese_date(data.accepted_on))
    else:
        text = _("{came_in}，本机关于{accepted}依法受理。{you}的诉求是：").format(
            came_in=_came_in(data), accepted=chinese_date(data.accepted_on), you=you)
    out: list[Flowable] = [para(_("一、受理情况"), s.heading), para(text, s.body)]
    for i, item in enumerate(data.items):
        item_text = _("{n}{request}。") if i == len(data.items) - 1 else _("{n}{request}；")
        out.append(para(item_text.format(n=_ordinal(i), request=_clause(item.request)), s.body))
    return out


_OUTCOME_TEXT = {
    Outcome.SUPPORT: N_("本机关对该项诉求予以支持。"),
    Outcome.EXPLAIN: N_("本机关对该项诉求作出解释说明。"),
    Outcome.REJECT: N_("本机关对该项诉求不予支持。"),
}


def _reply_findings(data: ReplyOpinion) -> list[Flowable]:
    s = styles()
    you = _you(data.petitioners)
    findings = _paragraphs(data.findings)
    heading = _("二、调查核实情况及处理意见") if findings else _("二、处理意见")
    out: list[Flowable] = [para(heading, s.heading)]
    for i, text in enumerate(findings):
        lead = i == 0 and not text.startswith(("经查", "经调查", "经核实", "经核查"))
        out.append(para(_("经调查核实：{findings}").format(findings=text) if lead else text,
                        s.body))
    out.append(para(_("依据{basis}，本机关对{you}的诉求答复如下：").format(
        basis=_clause(data.legal_basis), you=you), s.body))
    for i, item in enumerate(data.items):
        outcome = _OUTCOME_TEXT[item.outcome]
        if item.opinion.strip():
            text = _("{n}关于“{request}”的诉求。{opinion}{outcome}").format(
                n=_ordinal(i), request=_clause(item.request), opinion=full_stop(item.opinion),
                outcome=_(outcome))
        else:
            text = _("{n}关于“{request}”的诉求。{outcome}").format(
                n=_ordinal(i), request=_clause(item.request), outcome=_(outcome))
        out.append(para(text, s.body))
    return out


def _copies_to(data: ReplyOpinion) -> list[Flowable]:
    if not data.copies_to:
        return []
    s = styles()
    style = scaled(s.body_plain, 14, 24)
    return [Spacer(0, 12),
            HRFlowable(width="100%", thickness=0.7, spaceBefore=0, spaceAfter=2),
            para(_("抄送：{units}。").format(units=join_clauses(data.copies_to)), style),
            HRFlowable(width="100%", thickness=0.7, spaceBefore=2, spaceAfter=0)]


def reply_story(data: ReplyOpinion) -> list[Flowable]:
    s = styles()
    you = _you(data.petitioners)
    title = _("关于{names}信访事项的答复意见").format(names=_names(data))
    remedy = [
        para(_("三、复查权利告知"), s.heading),
        para(_("如{you}对本答复意见不服，可以自收到本答复意见书之日起{days}日内，向{organ}书面提出"
               "复查请求。").format(you=you, days=REVIEW_WINDOW_DAYS, organ=data.review_organ),
             s.body),
    ]
    body = [*_reply_acceptance(data), *_reply_findings(data)]
    story: list[Flowable] = title_block(title, data.doc_number)
    story.extend(_petitioner_lines(data))
    story.extend(body)
    # The remedy paragraph stays on the page of the seal.
    story.append(closing_with_seal(remedy, data.station.office_name, data.issued_on,
                                   _copies_to(data)))
    return story


# ---------------------------------------------------------------------------------------------
# Public renderers


def render_acceptance_notice(data: AcceptanceNotice, out: Output) -> None:
    """受理告知书."""
    write_output(_build(data, _("信访事项受理告知书"), acceptance_story(data)), out)


def render_rejection_notice(data: RejectionNotice, out: Output) -> None:
    """不予受理告知书."""
    write_output(_build(data, _("不予受理信访事项告知书"), rejection_story(data)), out)


def render_no_further_acceptance_notice(data: NoFurtherAcceptanceNotice, out: Output) -> None:
    """不再受理告知书."""
    write_output(_build(data, _("不再受理信访事项告知书"), no_further_acceptance_story(data)),
                 out)


def render_extension_notice(data: ExtensionNotice, out: Output) -> None:
    """延期办理告知书."""
    write_output(_build(data, _("延期办理信访事项告知书"), extension_story(data)), out)


def render_reply_opinion(data: ReplyOpinion, out: Output) -> None:
    """答复意见书."""
    write_output(_build(data, _("信访事项答复意见书"), reply_story(data)), out)


__all__ = [
    "AcceptanceNotice",
    "ExtensionNotice",
    "NoFurtherAcceptanceNotice",
    "NoticeBase",
    "Outcome",
    "RejectionNotice",
    "ReplyItem",
    "ReplyOpinion",
    "document_number",
    "render_acceptance_notice",
    "render_extension_notice",
    "render_no_further_acceptance_notice",
    "render_rejection_notice",
    "render_reply_opinion",
]
