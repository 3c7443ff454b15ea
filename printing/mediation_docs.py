"""People's mediation documents (docs/domain.md §4.3, 司法部 人民调解文书格式 as reconstructed there):

- 人民调解申请书 (:func:`application_story`): the parties, the dispute, the requests, the
  declaration that the committee explained the rules, the applicant's signature.
- 人民调解受理登记表 (:func:`registration_story`).
- 人民调解记录 / 人民调解调查记录, one per session (:func:`record_story`).
- 人民调解协议书, or the 口头协议登记表 for an oral agreement (:func:`agreement_story`).
- 人民调解回访记录, one per visit (:func:`followup_story`).
- 卷宗 cover and its contents list of the thirteen documents, present or missing
  (:func:`cover_story`).

Every renderer takes the :class:`storage.mediation.model.MediationFile` of one case (plain
frozen dataclasses) and a :class:`MaskPolicy`; ID numbers and phones are masked by the policy.
The agreement kept in the 卷宗 may carry full ID numbers (docs/domain.md §8.3): pass a policy built with
``full_ids=True`` (:func:`printing.sources.mask_policy`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from printing import fonts
from printing.layout import (
    A4_PORTRAIT,
    GRID_COLOUR,
    HEADER_FILL,
    Column,
    Field,
    SealBlock,
    Section,
    VoidMark,
    blank_date,
    build_pdf,
    chinese_date,
    data_table,
    field_grid,
    para,
    scaled,
    styles,
)
from storage.errors import ValidationError
from storage.i18n import _, full_stop, join_clauses, join_list, join_sentences, numeral
from storage.masking import MaskPolicy
from storage.mediation import (
    Agreement,
    FollowUp,
    MediationFile,
    Party,
    Session,
    format_amount,
    value_label,
)
from storage.validation import gender_label

WIDTH = A4_PORTRAIT.frame_width
FORM_SIZE = 11.0  # 五号 and a little: the forms are filled in and signed by hand
LABEL_WIDTH = 29 * mm  # six characters (纠纷简要情况) at FORM_SIZE
TEXT_SIZE = 13.0  # between 四号 and 小四: an ordinary agreement and its signatures fit one page


def _form_style() -> Any:
    return scaled(styles().body_plain, FORM_SIZE, 17)


def _title(text: str, number: str = "") -> list[Flowable]:
    s = styles()
    out: list[Flowable] = [para(text, scaled(s.title, 20, 30, spaceAfter=4))]
    out.append(para(number, scaled(s.doc_number, 12, 18, spaceAfter=10)) if number
               else Spacer(0, 8))
    return out


def _age(party: Party, day: date) -> str:
    age = party.age_on(day)
    return _("{n}岁").format(n=age) if age is not None else ""


def _cell_para(text: str, *, size: float = FORM_SIZE, label: bool = False) -> Paragraph:
    s = styles()
    style = scaled(s.cell_label if label else s.cell, size, size * 1.45)
    return para(text, style)


def _ruled(data: list[list[Any]], widths: Sequence[float],
           extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    cmds: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, GRID_COLOUR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.SONG),
        ("FONTSIZE", (0, 0), (-1, -1), FORM_SIZE),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        *extra,
    ]
    return Table(data, colWidths=list(widths), style=TableStyle(cmds), hAlign="CENTER")


def party_table(party: Party, side_label: str, policy: MaskPolicy, day: date, *,
                with_id: bool = False) -> Table:
    """One party as the 申请书 lists it: a side label down the left, then 姓名 性别 / 民族 年龄 /
    职业或职务 联系方式 / 单位或住址 (an organisation: 名称, 法定代表人 and 住所)."""
    side_w = 20 * mm
    label_w = 24 * mm
    value_w = (WIDTH - side_w - 2 * label_w) / 2
    widths = [side_w, label_w, value_w, label_w, value_w]
    lab = _cell_para

    def pair(label: str, value: str) -> list[Any]:
        return [lab(label, label=True), lab(value)]

    if party.is_person:
        rows: list[list[Any]] = [
            [lab(side_label, label=True), *pair(_("姓名"), policy.name(party.name)),
             *pair(_("性别"), gender_label(party.gender))],
            ["", *pair(_("民族"), party.ethnic_group), *pair(_("年龄"), _age(party, day))],
            ["", *pair(_("职业或职务"), party.occupation),
             *pair(_("联系方式"), policy.phone(party.phone))],
        ]
        if with_id:
            rows.append(["", *pair(_("公民身份号码"), policy.id_number(party.id_number)), "", ""])
        rows.append(["", *pair(_("单位或住址"), party.address), "", ""])
    else:
        rep = (_("{name}（{title}）").format(name=party.representative, title=party.representative_title)
               if party.representative_title else party.representative)
        rows = [
            [lab(side_label, label=True), *pair(_("名称"), party.name), "", ""],
            ["", *pair(_("法定代表人"), rep), *pair(_("联系方式"), policy.phone(party.phone))],
            ["", *pair(_("信用代码"), party.id_number), "", ""],
            ["", *pair(_("住所"), party.address), "", ""],
        ]
    if party.agent:
        rows.append(["", *pair(_("委托代理人"), party.agent), "", ""])
    extra: list[tuple[Any, ...]] = [("SPAN", (0, 0), (0, len(rows) - 1))]
    for r, row in enumerate(rows):
        if row[3] == "":
            extra.append(("SPAN", (2, r), (4, r)))
    return _ruled(rows, widths, extra)


def _party_name(party: Party, policy: MaskPolicy) -> str:
    return policy.name(party.name)


def _names(parties: Sequence[Party], policy: MaskPolicy) -> str:
    return join_list(_party_name(p, policy) for p in parties) or "＿＿＿＿"


def _signature_rows(labels: Sequence[str], *, height: float = 12 * mm) -> Table:
    """``甲方（签名、盖章或按指印）：＿＿＿＿＿＿　　　年　月　日`` — one line per signer, with
    room to sign."""
    style = _form_style()
    data = [[para(label, style), para(_("＿＿＿＿＿＿＿＿＿＿＿＿"), style),
             para(blank_date(), style)] for label in labels]
    table = Table(data, colWidths=[WIDTH * 0.24, WIDTH * 0.40, WIDTH * 0.36],
                  rowHeights=[height] * len(data), hAlign="CENTER")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("FONTNAME", (0, 0), (-1, -1), fonts.SONG),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _seal(committee: str, when: date | None) -> SealBlock:
    return SealBlock(committee, when if when is not None else blank_date(), size=12,
                     diameter=36 * mm, right_indent_chars=3, space_before=8,
                     caption=_("人民调解委员会（印章）"))


# ----- 申请书 ------------------------------------------------------------------------------------

def application_story(case_file: MediationFile, policy: MaskPolicy) -> list[Flowable]:
    """人民调解申请书 (only for a case the parties applied for)."""
    c = case_file.case
    if c.source != "application":
        raise ValidationError(_("本案来源是“{source}”，没有当事人申请书；请打印受理登记表。").format(
            source=c.source_label), "kind")
    day = c.applied_on or c.accepted_on
    s = styles()
    text = scaled(s.body, 12, 21)
    heading = scaled(s.heading, 12, 21, firstLineIndent=0)
    story = _title(_("人民调解申请书"))
    for side, label in (("a", _("申请人")), ("b", _("被申请人"))):
        for p in case_file.side(side):
            story.append(party_table(p, label, policy, day))
            story.append(Spacer(0, 4))
    story.append(Spacer(0, 6))
    story.append(para(_("纠纷简要情况："), heading))
    story.extend(para(line, text) for line in _lines(c.facts))
    story.append(para(_("申请事项："), heading))
    claims = c.claims or (_("请求调解处理{title}。").format(title=c.title),)
    story.extend(para(f"{i}. {claim}", scaled(text, 12, 21, firstLineIndent=24))
                 for i, claim in enumerate(claims, start=1))
    story.append(Spacer(0, 8))
    story.append(para(_("{committee}已将申请人民调解的相关规定告知我，现自愿申请{committee}"
                        "调解。").format(committee=c.committee), text))
    story.append(Spacer(0, 14))
    story.append(KeepTogether([
        para(_("申请人（签名、盖章或按指印）：＿＿＿＿＿＿＿＿"),
             scaled(s.body_plain, 12, 21, leftIndent=WIDTH * 0.38)),
        Spacer(0, 10),
        para(chinese_date(day), scaled(s.body_plain, 12, 21, leftIndent=WIDTH * 0.38)),
    ]))
    return story


def _lines(text: str) -> list[str]:
    out = [line.strip() for line in text.splitlines() if line.strip()]
    return out or [""]


# ----- 受理登记表 --------------------------------------------------------------------------------

def _parties_table(case_file: MediationFile, policy: MaskPolicy, day: date) -> Table:
    columns = [Column(_("方"), 1.0, "centre"), Column(_("姓名或名称"), 1.6),
               Column(_("性别"), 0.7, "centre"), Column(_("年龄"), 0.8, "centre"),
               Column(_("联系方式"), 1.8), Column(_("单位或住址"), 3.2)]
    rows = [(p.side_label(case_file.case.source), _party_name(p, policy), gender_label(p.gender),
             _age(p, day),
             policy.phone(p.phone), p.address) for p in case_file.parties]
    if not rows:
        rows = [("", "", "", "", "", "")]
    return data_table(columns, rows, width=WIDTH, size=FORM_SIZE - 0.5, repeat_header=False)


def registration_story(case_file: MediationFile, policy: MaskPolicy) -> list[Flowable]:
    """人民调解受理登记表."""
    c = case_file.case
    source = (_("{source}（{by}）").format(source=c.source_label, by=c.referred_by)
              if c.referred_by else c.source_label)
    if case_file.matter_number:
        source = _("{source}，信访件编号{number}").format(source=source, number=case_file.matter_number)
    accepted = _("{date}，本人民调解委员会经当事人同意，调解{a}与{b}之间的纠纷。").format(
        date=chinese_date(c.accepted_on), a=_names(case_file.parties_a, policy),
        b=_names(case_file.parties_b, policy))
    period = (_("{date}（经当事人同意延长{n}日）").format(date=chinese_date(c.period_due),
                                                   n=c.period_extended_days)
              if c.period_extended_days else chinese_date(c.period_due))
    rows = [
        [Field(_("纠纷名称"), c.title)],
        [Field(_("纠纷类型"), c.dispute_type), Field(_("案件来源"), source)],
        [Field(_("受理日期"), chinese_date(c.accepted_on)), Field(_("调解期限"), period)],
        [Field(_("纠纷发生地"), c.place or c.village_name)],
        [Field(_("纠纷简要情况"), c.facts)],
        [Field(_("申请事项"), "\n".join(f"{i}. {x}" for i, x in enumerate(c.claims, 1))
               if c.claims else "—")],
        [Field(_("涉及金额"), format_amount(c.amount) if c.amount else "—")],
        [Field(_("受理情况"), accepted)],
        [Field(_("人民调解员"), join_list(c.mediators) or "—"),
         Field(_("记录人"), c.recorder or "—")],
        [Field(_("登记人"), c.registered_by or "—"), Field(_("登记日期"),
                                                           chinese_date(c.accepted_on))],
    ]
    signs = [[Field(_("当事人签名"), ""), Field(_("登记人签名"), "")]]
    story = _title(_("人民调解受理登记表"), c.number)
    story.append(para(_("当事人基本情况"), scaled(styles().cell_strong, 12, 18, spaceAfter=3)))
    story.append(_parties_table(case_file, policy, c.accepted_on))
    story.append(Spacer(0, 6))
    story.append(field_grid(rows, width=WIDTH, label_width=LABEL_WIDTH, size=FORM_SIZE,
                            min_row_height=24))
    story.append(field_grid(signs, width=WIDTH, label_width=LABEL_WIDTH, size=FORM_SIZE,
                            min_row_height=44))
    story.append(_seal(c.committee, c.accepted_on))
    return story


# ----- 调解记录 / 调查记录 -------------------------------------------------------------------------

def _present(case_file: MediationFile, session: Session, policy: MaskPolicy) -> str:
    chosen = [p for p in case_file.parties if p.id in session.present_party_ids] or list(case_file.parties)
    return join_list(_("{side}{name}").format(side=p.side_label(case_file.case.source),
                                              name=_party_name(p, policy)) for p in chosen)


def _block(label: str, text: str) -> list[Flowable]:
    s = styles()
    head = scaled(s.heading, 12, 20, firstLineIndent=0, spaceBefore=4)
    body = scaled(s.body, 12, 20)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    return [para(label, head), *(para(line, body) for line in lines)]


def record_story(case_file: MediationFile, session: Session, policy: MaskPolicy) -> list[Flowable]:
    """人民调解记录 of a mediation session, or 人民调解调查记录 of an investigation."""
    c = case_file.case
    investigation = session.kind == "investigation"
    when = chinese_date(session.held_on) + (f" {session.time}" if session.time else "")
    if investigation:
        rows = [[Field(_("时间"), when), Field(_("地点"), session.place or "—")],
                [Field(_("事由"), c.title)],
                [Field(_("调查人"), join_list(session.mediators)),
                 Field(_("记录人"), session.recorder or "—")],
                [Field(_("被调查人及参加人"), session.participants or _present(case_file, session, policy))]]
    else:
        rows = [[Field(_("时间"), when), Field(_("地点"), session.place or "—")],
                [Field(_("事由"), c.title)],
                [Field(_("当事人"), _present(case_file, session, policy))],
                [Field(_("参加人"), session.participants or _("无"))],
                [Field(_("人民调解员"), join_list(session.mediators)),
                 Field(_("记录人"), session.recorder or "—")]]
    title = _("人民调解调查记录") if investigation else _("人民调解记录")
    story = _title(title, c.number)
    story.append(field_grid(rows, width=WIDTH, label_width=LABEL_WIDTH, size=FORM_SIZE,
                            min_row_height=22))
    story.append(Spacer(0, 6))
    side_a = _("申请人") if c.source == "application" else _("甲方")
    side_b = _("被申请人") if c.source == "application" else _("乙方")
    if not investigation:
        notified = (_("人民调解员向当事人告知了人民调解的性质、原则和效力，以及当事人在调解活动中"
                      "享有的权利和承担的义务，核实了到场人员的身份。") if session.rights_notified
                    else _("本次调解未记录权利义务告知情况。"))
        story.extend(_block(_("一、告知权利义务及核实身份"), notified))
        story.extend(_block(_("二、{side}陈述").format(side=side_a), session.statement_a or _("（无）")))
        story.extend(_block(_("三、{side}陈述").format(side=side_b), session.statement_b or _("（无）")))
        n = 4
        if session.findings:
            story.extend(_block(_("四、调查核实情况"), session.findings))
            n = 5
        if session.record:
            story.extend(_block(_("{n}、调解经过").format(n=numeral(n)), session.record))
            n += 1
        outcome = session.result_label
        if session.agreed:
            outcome = _("{result}：{agreed}").format(result=outcome, agreed=session.agreed)
        if session.result == "failed" and c.status == "failed" and c.failure_reason:
            outcome = _("{result}。调解不成的原因：{reason}。已告知当事人可以依法通过{routes}等途径"
                        "解决。").format(
                result=outcome, reason=c.failure_reason.rstrip("。."),
                routes=join_list(value_label(r) for r in c.routes) or _("仲裁、行政、司法"))
        story.extend(_block(_("{n}、调解结果").format(n=numeral(n)), outcome))
        signers = [_("当事人签名："), _("人民调解员签名："), _("记录人签名：")]
    else:
        story.extend(_block(_("调查内容"), session.record or _("（无）")))
        story.extend(_block(_("调查核实情况"), session.findings))
        signers = [_("被调查人签名："), _("调查人签名："), _("记录人签名：")]
    story.append(Spacer(0, 6))
    story.append(KeepTogether([
        para(_("以上记录已向当事人宣读（或经当事人阅看），确认无误。"),
             scaled(styles().body, 12, 20)),
        Spacer(0, 4),
        _signature_rows(signers, height=11 * mm),
        _seal(c.committee, session.held_on),
    ]))
    return story


# ----- 协议书 ----------------------------------------------------------------------------------------

def _party_line(party: Party, label: str, policy: MaskPolicy, day: date) -> str:
    """"甲方：张三，男，汉族，1980年5月1日出生，农民，住…，联系电话…，公民身份号码…。"."""
    bits: list[str] = [_party_name(party, policy)]
    if party.is_person:
        bits += [x for x in (gender_label(party.gender), party.ethnic_group) if x]
        if party.birth_date is not None:
            bits.append(_("{date}出生").format(date=chinese_date(party.birth_date)))
        elif party.age is not None:
            bits.append(_age(party, day))
        if party.occupation:
            bits.append(party.occupation)
        if party.address:
            bits.append(_("住{address}").format(address=party.address))
        if party.id_number:
            bits.append(_("公民身份号码{id}").format(id=policy.id_number(party.id_number)))
    else:
        if party.address:
            bits.append(_("住所地{address}").format(address=party.address))
        if party.representative:
            bits.append(_("法定代表人（负责人）{name}").format(name=party.representative))
            if party.representative_title:
                bits.append(party.representative_title)
        if party.id_number:
            bits.append(_("统一社会信用代码{code}").format(code=party.id_number))
    if party.phone:
        bits.append(_("联系电话{phone}").format(phone=policy.phone(party.phone)))
    line = _("{label}：{text}。").format(label=label, text=join_clauses(bits))
    if party.agent:
        line = join_sentences(line, _("委托代理人：{agent}。").format(agent=party.agent))
    return line


def _performance(agreement: Agreement) -> str:
    parts = []
    if agreement.performance_manner:
        parts.append(_("履行方式：{x}").format(x=agreement.performance_manner.rstrip("。；")))
    if agreement.performance_place:
        parts.append(_("履行地点：{x}").format(x=agreement.performance_place.rstrip("。；")))
    if agreement.performance_deadline is not None:
        parts.append(_("履行期限：{x}前履行完毕").format(x=chinese_date(agreement.performance_deadline)))
    return full_stop(_("；").join(parts)) if parts else ""


def agreement_story(case_file: MediationFile, policy: MaskPolicy) -> list[Flowable]:
    """人民调解协议书 ([MedLaw] Art.29; 2002 rules Art.35), or the 口头协议登记表."""
    a = case_file.agreement
    c = case_file.case
    if a is None:
        raise ValidationError(_("调解案件{number}尚未达成调解协议。").format(number=c.number),
                              "kind")
    s = styles()
    text = scaled(s.body, TEXT_SIZE, 22)
    plain = scaled(s.body_plain, TEXT_SIZE, 22)
    head = scaled(s.heading, TEXT_SIZE, 22, firstLineIndent=0, spaceBefore=4)
    oral = a.form == "oral"
    story = _title(_("人民调解口头协议登记表") if oral else _("人民调解协议书"),
                   _("编号：{number}").format(number=a.number))
    for side in ("a", "b"):
        for p in case_file.side(side):
            story.append(para(_party_line(p, p.side_label(), policy, a.signed_on), plain))
    story.append(Spacer(0, 6))
    story.append(para(_("一、纠纷主要事实、争议事项"), head))
    story.extend(para(line, text) for line in _lines(a.facts or c.facts))
    story.extend(para(line, text) for line in _lines(a.issues) if line)
    if a.responsibilities:
        story.append(para(_("二、各方当事人的责任"), head))
        story.extend(para(line, text) for line in _lines(a.responsibilities))
    n = 3 if a.responsibilities else 2
    story.append(para(_("{n}、经调解，各方当事人自愿达成如下协议").format(n=numeral(n)), head))
    story.extend(para(line, text) for line in _lines(a.terms))
    perf = _performance(a)
    if perf:
        story.append(para(_("{n}、履行方式、地点、期限").format(n=numeral(n + 1)), head))
        story.append(para(perf, text))
    closing: list[Flowable] = [Spacer(0, 6)]
    if oral:
        closing.append(para(_("以上口头协议于{date}达成，自达成之日起生效。").format(
            date=chinese_date(a.signed_on)), text))
    else:
        closing.append(para(join_sentences(
            _("本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起"
              "生效。"), a.copies_text), text))
        if not a.status_matter:
            closing.append(para(_("各方当事人认为有必要的，可以自本协议生效之日起三十日内共同向"
                                  "人民法院申请司法确认。"), text))
    # The last paragraphs, the signatures and the seal stay on one page: a signature page on
    # its own could be attached to any text.
    story.append(KeepTogether([*closing, Spacer(0, 8),
                               signature_block(case_file, policy, a.signed_on)]))
    return story


def signature_block(case_file: MediationFile, policy: MaskPolicy, signed_on: date) -> Table:
    """当事人 (each by side and name) and 人民调解员 / 记录人 lines on the left, the committee's
    seal and the date on the right."""
    style = scaled(styles().body_plain, 12, 18)
    small = scaled(styles().small, 9.5, 13)
    rows: list[list[Any]] = [[para(_("当事人（签名、盖章或按指印）："), small), ""]]
    for p in case_file.parties:
        rows.append([para(_("{side}　{name}：").format(side=p.side_label(),
                                                     name=_party_name(p, policy)), style),
                     para("＿＿＿＿＿＿＿＿", style)])
    rows.append([para(_("人民调解员（签名）："), style), para("＿＿＿＿＿＿＿＿", style)])
    rows.append([para(_("记录人（签名）："), style), para("＿＿＿＿＿＿＿＿", style)])
    # The label column grows for a long name or an English label, up to 2/3 of the lines.
    labels = [_("人民调解员（签名）："), _("记录人（签名）："),
              *(_("{side}　{name}：").format(side=p.side_label(), name=_party_name(p, policy))
                for p in case_file.parties)]
    label_w = min(WIDTH * 0.40, max(WIDTH * 0.30, *(
        fonts.string_width(t, style.fontSize) + 4 for t in labels)))
    lines = Table(rows, colWidths=[label_w, WIDTH * 0.57 - label_w],
                  rowHeights=[6 * mm] + [8.5 * mm] * (len(rows) - 1), hAlign="LEFT")
    lines.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("SPAN", (0, 0), (1, 0)),
                               ("FONTNAME", (0, 0), (-1, -1), fonts.SONG),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    seal = _seal(case_file.case.committee, signed_on)
    outer = Table([[lines, seal]], colWidths=[WIDTH * 0.58, WIDTH * 0.42], hAlign="CENTER")
    outer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("FONTNAME", (0, 0), (-1, -1), fonts.SONG),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return outer


# ----- 回访记录 ----------------------------------------------------------------------------------------

def followup_story(case_file: MediationFile, visit: FollowUp, policy: MaskPolicy) -> list[Flowable]:
    """人民调解回访记录."""
    c, a = case_file.case, case_file.agreement
    rows = [
        [Field(_("当事人"), join_list(_("{side}{name}").format(
            side=p.side_label(c.source), name=_party_name(p, policy)) for p in case_file.parties))],
        [Field(_("被回访人"), visit.visited_persons or _names(case_file.parties, policy))],
        [Field(_("回访事由"), c.title)],
        [Field(_("调解协议编号"), a.number if a is not None else c.number)],
        [Field(_("协议日期"), chinese_date(a.signed_on) if a is not None else "—"),
         Field(_("回访时间"), chinese_date(visit.visited_on))],
        [Field(_("回访人"), visit.visitor)],
        [Field(_("履行情况"), visit.performance)],
        [Field(_("满意程度"), value_label(visit.satisfaction) or "—")],
        [Field(_("诉讼情况"), visit.lawsuit or _("未因履行协议提起诉讼"))],
        [Field(_("风险情况"), visit.risk or _("未发现错调、激化或其他风险"))],
        [Field(_("采取措施"), visit.measures or _("无"))],
        [Field(_("下次回访"), chinese_date(visit.next_due) if visit.next_due else _("不再回访"))],
    ]
    story = _title(_("人民调解回访记录"), c.number)
    story.append(field_grid(rows, width=WIDTH, label_width=LABEL_WIDTH, size=FORM_SIZE,
                            min_row_height=26))
    story.append(Spacer(0, 10))
    story.append(_signature_rows([_("回访人签名："), _("被回访人签名：")], height=12 * mm))
    story.append(_seal(c.committee, visit.visited_on))
    return story


# ----- 卷宗 ----------------------------------------------------------------------------------------

def cover_story(case_file: MediationFile) -> list[Flowable]:
    """The 卷宗 cover, then the contents list (卷内目录) with every document present or missing."""
    c = case_file.case
    s = styles()
    first, last = case_file.dates
    span = _("{first}至{last}").format(first=chinese_date(first),
                                       last=chinese_date(last) if last else _("（调解中）"))
    cover_rows = [
        (_("人民调解委员会"), c.committee), (_("卷　　名"), c.title),
        (_("卷　　号"), c.number), (_("纠纷类型"), c.dispute_type),
        (_("人民调解员"), join_list(c.mediators) or "—"), (_("调解日期"), span),
        (_("调解结果"), c.status_label), (_("立 卷 人"), c.filed_by or ""),
        (_("立卷日期"), chinese_date(c.filed_on) if c.filed_on else ""),
        (_("保管期限"), value_label(c.retention)), (_("备　　注"), c.file_note),
    ]
    label = scaled(s.body_plain, 15, 22, alignment=TA_CENTER)
    value = scaled(s.body_plain, 15, 22)
    data = [[para(k, label), para(v, value)] for k, v in cover_rows]
    table = Table(data, colWidths=[46 * mm, WIDTH - 50 * mm], hAlign="CENTER",
                  rowHeights=[16 * mm] * len(data))
    table.setStyle(TableStyle([
        ("LINEBELOW", (1, 0), (1, -1), 0.7, GRID_COLOUR),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.SONG),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    story: list[Flowable] = [
        Section(numbered=False),  # a cover carries no page number
        Spacer(0, 12 * mm),
        para(c.committee, scaled(s.title, 20, 30)),
        Spacer(0, 6 * mm),
        para(_("人民调解卷宗"), scaled(s.title, 30, 42)),
        Spacer(0, 18 * mm),
        table,
        PageBreak(),
        Section(),
        *_title(_("卷内目录"), c.number),
    ]
    rows = []
    for item in case_file.checklist:
        present = _("有") if item.present else (_("缺") if item.required else _("无"))
        rows.append((str(item.no), item.title, _("必须") if item.required else _("按需"),
                     present, item.note))
    missing = [i for i, item in enumerate(case_file.checklist, start=1) if item.missing]
    extra: list[tuple[Any, ...]] = []
    for r in missing:
        extra += [("FONTNAME", (3, r), (3, r), fonts.HEI), ("BACKGROUND", (3, r), (3, r),
                                                             HEADER_FILL)]
    story.append(data_table(
        [Column(_("序号"), 0.6, "centre"), Column(_("材料名称"), 3.4),
         Column(_("必须／按需"), 1.3, "centre"), Column(_("在卷情况"), 1.1, "centre"),
         Column(_("说明"), 2.4)], rows, width=WIDTH, size=FORM_SIZE, extra_style=extra))
    story.append(Spacer(0, 8))
    n_missing = len(missing)
    summary = (_("卷内必备材料齐全。") if not n_missing else
               _("卷内缺少必备材料{n}份：{names}。").format(
                   n=n_missing, names=join_list(i.title for i in case_file.checklist if i.missing)))
    story.append(para(summary, scaled(s.body_plain, 12, 20)))
    return story


# ----- building ------------------------------------------------------------------------------------

def _pick(items: Sequence[Any], index: int | None, what: str) -> list[Any]:
    if index is None:
        return list(items)
    if not 1 <= index <= len(items):
        raise ValidationError(_("没有第{n}份{what}（共{total}份）。").format(
            n=index, what=what, total=len(items)), "index")
    return [items[index - 1]]


def records_story(case_file: MediationFile, policy: MaskPolicy, *, investigations: bool = False,
                  index: int | None = None) -> list[Flowable]:
    """Every 调解记录 (or 调查记录) of the case, each on its own page."""
    sessions = case_file.investigations if investigations else case_file.mediation_sessions
    what = _("调查记录") if investigations else _("调解记录")
    if not sessions:
        raise ValidationError(_("调解案件{number}还没有{what}。").format(
            number=case_file.case.number, what=what), "kind")
    return _pages([record_story(case_file, s, policy) for s in _pick(sessions, index, what)])


def followups_story(case_file: MediationFile, policy: MaskPolicy, *, index: int | None = None
                    ) -> list[Flowable]:
    if not case_file.followups:
        raise ValidationError(_("调解案件{number}还没有回访记录。").format(number=case_file.case.number),
                              "kind")
    return _pages([followup_story(case_file, v, policy) for v in _pick(case_file.followups, index, _("回访记录"))])


def _pages(parts: Sequence[list[Flowable]]) -> list[Flowable]:
    """Several documents in one PDF, each from a new page and numbered on its own."""
    out: list[Flowable] = []
    for i, part in enumerate(parts):
        if i:
            out.append(PageBreak())
        out.append(Section())
        out.extend(part)
    return out


def build(story: Sequence[Flowable], title: str, case_file: MediationFile) -> bytes:
    case = case_file.case
    void = VoidMark(_("本案已于{when}作废：{reason}（{name}确认）").format(
        when=chinese_date(date.fromisoformat(case.voided_at[:10])) if case.voided_at else "",
        reason=case.void_reason, name=case.void_confirmed_by)) if case.voided else None
    return build_pdf(list(story), spec=A4_PORTRAIT, title=f"{title} {case.number}",
                     author=case.committee, subject=case.number, void=void)


__all__ = [
    "agreement_story",
    "application_story",
    "build",
    "cover_story",
    "followup_story",
    "followups_story",
    "record_story",
    "records_story",
    "registration_story",
]
