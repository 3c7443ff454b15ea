"""Documents of how the work is led (docs/domain.md §10):

- 信访事项交办单 / 督办单 (the county's, numbered when issued: 〔2026〕姑信交字第3号), with the
  county's seal area;
- 信访事项办理情况反馈表 (the township's 反馈, numbered when sent: 〔2026〕花信馈字第1号), with the
  township's seal area;
- 约访通知书 (a leader invites a petitioner; numbered at first print by printing/docnumbers.py),
  with the station's seal area and a line for the petitioner's signature;
- 领导包案台账 (landscape: every 包案 of one leader or all, with deadlines and progress).

Renderers take the storage face's dataclasses; the register is read by the ``*_document``
functions that ``printing/documents.py`` calls, and masking follows the station's policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.platypus import Flowable, Spacer

from printing import docnumbers
from printing.layout import (
    A4_LANDSCAPE,
    A4_PORTRAIT,
    Column,
    Field,
    build_pdf,
    chinese_date,
    closing_with_seal,
    data_table,
    field_grid,
    para,
    scaled,
    signature_line,
    styles,
    table_sheet,
    title_block,
)
from storage import codes, leadership, station
from storage.errors import NotFound, ValidationError
from storage.i18n import N_, _
from storage.masking import MaskPolicy
from storage.register import Register

WIDTH = A4_PORTRAIT.frame_width
LABEL_WIDTH = 30.0 * 2.835  # 30 mm in points


def _organ(reg: Register, code: str) -> str:
    """The organ that signs for ``code`` (its office name, else its name, else the code)."""
    try:
        st = station.station(reg, code)
    except ValidationError:  # a township the county holds no records of yet: its code names it
        return code
    return st.office_name or st.name


def _day(value: date | None) -> str:
    return chinese_date(value) if value else ""


# ----- 交办单 / 督办单 ------------------------------------------------------------------------------
def assignment_story(reg: Register, item: leadership.Assignment, policy: MaskPolicy
                     ) -> list[Flowable]:
    s = styles()
    title = _("信访事项交办单") if item.kind == "交办" else _("信访事项督办单")
    story: list[Flowable] = title_block(title, item.number)
    township = _organ(reg, item.to_station)
    story.append(para(_("{township}：").format(township=township), s.salutation))
    if item.kind == "交办":
        lead = _("现将{name}反映的问题交由你单位办理。请按照《信访工作条例》的规定依法及时办理，"
                 "并于{deadline}前将办理情况书面反馈我局。").format(
            name=policy.name(item.petitioner_name) or _("信访人"),
            deadline=chinese_date(item.deadline))
    else:
        lead = _("你单位办理的{number}信访事项，经审查需要督办。请高度重视，认真查办，并于{deadline}"
                 "前将办理情况书面反馈我局。").format(
            number=item.matter_number or item.number, deadline=chinese_date(item.deadline))
    story.append(para(lead, s.body))
    story.append(Spacer(0, 6))
    rows: list[list[Field]] = [
        [Field(_("承办单位"), township),
         Field(_("办理期限"), chinese_date(item.deadline), strong=True)],
        [Field(_("交办日期") if item.kind == "交办" else _("督办日期"),
               chinese_date(item.issued_on)),
         Field(_("信访件编号"), item.matter_number or "—")],
        [Field(_("信访人"), policy.name(item.petitioner_name)),
         Field(_("联系电话"), policy.phone(item.petitioner_phone) if item.petitioner_phone
               else "")],
    ]
    if item.petitioner_address:
        rows.append([Field(_("住址"), item.petitioner_address)])
    rows.append([Field(_("信访形式"), codes.form_label(item.form) if item.form else ""),
                 Field(_("信访日期"), _day(item.received_on))])
    rows.append([Field(_("反映问题"), item.summary)])
    if item.request:
        rows.append([Field(_("诉求"), item.request)])
    if item.kind == "督办":
        rows.append([Field(_("督办级别"), item.level), Field(_("原交办单"), _parent(reg, item))])
        rows.append([Field(_("督办事由"), item.reason)])
    rows.append([Field(_("办理要求"), item.requirements or _(
        "依法依规办理，做好信访人的解释疏导工作，按期反馈办理结果（附答复意见书等材料）。"))])
    rows.append([Field(_("联系人"), item.contact or item.issued_by)])
    story.append(field_grid(rows, width=WIDTH, label_width=LABEL_WIDTH))
    story.append(closing_with_seal([Spacer(0, 8)], item.issuer, item.issued_on))
    return story


def _parent(reg: Register, item: leadership.Assignment) -> str:
    if not item.parent_id:
        return "—"
    try:
        return leadership.assignment(reg, item.parent_id).number
    except NotFound:
        return "—"


# ----- 反馈 ------------------------------------------------------------------------------------
def feedback_story(reg: Register, item: leadership.Assignment, answer: leadership.Reply,
                   policy: MaskPolicy) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = title_block(_("信访事项办理情况反馈表"), answer.number)
    township = _organ(reg, item.to_station)
    story.append(para(_("{issuer}：").format(issuer=item.issuer), s.salutation))
    story.append(para(_("你局{number}{title}收悉。现将办理情况反馈如下：").format(
        number=item.number, title=item.title), s.body))
    story.append(Spacer(0, 6))
    matter = _matter_number(reg, item.linked_matter) or item.matter_number or "—"
    rows: list[list[Field]] = [
        [Field(_("交办单号"), item.number), Field(_("办理期限"), chinese_date(item.deadline))],
        [Field(_("信访人"), policy.name(item.petitioner_name)),
         Field(_("信访件编号"), matter)],
        [Field(_("反映问题"), item.summary)],
        [Field(_("反馈类别"), answer.kind_label),
         Field(_("反馈日期"), chinese_date(answer.replied_on))],
        [Field(_("办理情况"), answer.content)],
    ]
    if answer.kind == "final":
        rows.append([Field(_("办理结果"), _(answer.result)),
                     Field(_("信访人意见"), _(answer.petitioner_view))])
    rows.append([Field(_("承办人"), answer.handled_by), Field(_("联系电话"), answer.contact)])
    story.append(field_grid(rows, width=WIDTH, label_width=LABEL_WIDTH))
    story.append(closing_with_seal([Spacer(0, 8)], township, answer.replied_on))
    return story


def _matter_number(reg: Register, matter_id: str | None) -> str:
    if not matter_id:
        return ""
    return str(reg.scalar("SELECT number FROM matters WHERE id = ?", (matter_id,)) or "")


# ----- 约访通知书 --------------------------------------------------------------------------------
def appointment_story(reg: Register, item: leadership.Appointment, doc_number: str,
                      issued_on: date, policy: MaskPolicy) -> list[Flowable]:
    s = styles()
    st = station.station(reg)
    story: list[Flowable] = title_block(_("约访通知书"), doc_number)
    story.append(para(_("{name}：").format(name=policy.name(item.petitioner_name)),
                      s.salutation))
    body = [
        para(_("关于你反映的{summary}（信访件编号：{number}），为当面听取你的意见和诉求，"
               "{leader}定于{day}{time}在{place}与你面谈。").format(
            summary=item.matter_summary.rstrip("。"), number=item.matter_number,
            leader=item.leader.label, day=chinese_date(item.day), time=item.time_text,
            place=item.place), s.body),
    ]
    if item.purpose:
        body.append(para(_("面谈事项：{purpose}").format(purpose=item.purpose), s.body))
    body.append(para(_("请你按时到达，并携带本人身份证件和有关材料。如不能按时前来，请提前与我们联系，"
                       "联系电话：{phone}。").format(phone=st.phone or "—"), s.body))
    story.extend(body)
    after = [Spacer(0, 10), signature_line([_("信访人签收：＿＿＿＿＿＿＿＿"),
                                            _("签收日期：　　年　　月　　日")]),
             para(_("本通知书一式两份，一份送达信访人，一份附卷存档。"),
                  scaled(s.small, 10.5, 16, spaceBefore=6))]
    story.append(closing_with_seal([para(_("特此通知。"), s.closing)],
                                   st.office_name or st.name, issued_on, after))
    return story


# ----- 包案台账 ---------------------------------------------------------------------------------
LEDGER_COLUMNS = (
    Column(N_("序号"), 0.45, "centre"), Column(N_("包案领导"), 1.3), Column(N_("类别"), 0.8),
    Column(N_("包案事项"), 2.4), Column(N_("包案日期"), 1.1, "centre", whole=True),
    Column(N_("化解目标日期"), 1.1, "centre", whole=True), Column(N_("化解方案"), 2.0),
    Column(N_("下一步"), 1.6), Column(N_("进展情况"), 1.8),
    Column(N_("状态"), 0.8, "centre", whole=True), Column(N_("逾期情况"), 2.0))


def ledger_columns() -> list[Column]:
    """The ledger's columns with their titles in the current language."""
    return [Column(_(c.title), c.weight, c.align, c.whole) for c in LEDGER_COLUMNS]


def ledger_table(rows: Sequence[leadership.LedgerRow]) -> list[list[str]]:
    """The ledger as rows of text (the PDF, the screen and the Excel file show the same)."""
    return [[str(i), r.leader, r.kind, r.subject, r.held_from, r.target_date, r.plan,
             r.next_step, r.progress, r.status, r.overdue] for i, r in enumerate(rows, start=1)]


def ledger_story(station_name: str, who: str, rows: Sequence[leadership.LedgerRow],
                 made_on: date) -> list[Flowable]:
    overdue = sum(1 for r in rows if r.overdue)
    story = table_sheet(
        title=_("领导包案台账"), columns=ledger_columns(), rows=ledger_table(rows),
        info=[(_("单位"), station_name), (_("包案领导"), who),
              (_("制表日期"), chinese_date(made_on)),
              (_("合计"), _("{n}件，其中逾期{m}件").format(n=len(rows), m=overdue))],
        size=8.5)
    return story


def build_ledger(station_name: str, who: str, rows: Sequence[leadership.LedgerRow],
                 made_on: date) -> bytes:
    return build_pdf(ledger_story(station_name, who, rows, made_on), spec=A4_LANDSCAPE,
                     title=_("领导包案台账"), author=station_name, subject=who)


# ----- the monthly report's section ------------------------------------------------------------
def leadership_section(figures: leadership.LeadershipFigures) -> list[Flowable]:
    """八、领导包案与积案化解: the figures of storage/leadership — figures, as on screen."""
    found = leadership.figure_rows(figures)
    rows = [(section if i == 0 or found[i - 1][0] != section else "", item, value)
            for i, (section, item, value) in enumerate(found)]
    return [
        para(_("八、领导包案、积案化解与交办督办"), scaled(styles().heading, 13, 20,
                                                     firstLineIndent=0, spaceBefore=10,
                                                     spaceAfter=4)),
        data_table([Column(_("类别"), 1.2), Column(_("项目"), 2.0), Column(_("数量"), 2.6)],
                   rows, width=WIDTH, size=10.5),
        para(_("积案总数＝上月末未化解的积案＋本月新列入的积案；本月化解率＝本月化解÷积案总数；"
               "交办件如期办结率＝期限在本月届满的交办督办件中，在期限内反馈办结的所占比例。"),
             scaled(styles().small, 9.5, 14, spaceBefore=4)),
    ]


# ----- from the register -----------------------------------------------------------------------
def assignment_pdf(reg: Register, ref: str, policy: MaskPolicy) -> tuple[str, str, bytes]:
    """(title, number, PDF) of the 交办单 or 督办单 ``ref`` (its id or number)."""
    item = leadership.assignment(reg, ref)
    title = _("信访事项交办单") if item.kind == "交办" else _("信访事项督办单")
    data = build_pdf(assignment_story(reg, item, policy), spec=A4_PORTRAIT,
                     title=f"{title} {item.number}", author=item.issuer, subject=item.number)
    return title, item.number, data


def feedback_pdf(reg: Register, ref: str, policy: MaskPolicy) -> tuple[str, str, bytes]:
    """(title, number, PDF) of the 反馈 ``ref`` (its id or number; or the latest 反馈 on the
    交办/督办 whose id or number ``ref`` is)."""
    try:
        item, answer = leadership.reply_by_ref(reg, ref)
    except NotFound:
        item = leadership.assignment(reg, ref)
        answers = [r for r in item.replies if r.kind != "received"]
        if not answers:
            raise NotFound(_("{number}还没有反馈。").format(number=item.number)) from None
        answer = answers[-1]
    title = _("信访事项办理情况反馈表")
    data = build_pdf(feedback_story(reg, item, answer, policy), spec=A4_PORTRAIT,
                     title=f"{title} {answer.number}", author=_organ(reg, item.to_station),
                     subject=answer.number)
    return title, answer.number, data


def appointment_pdf(reg: Register, ref: str, policy: MaskPolicy) -> tuple[str, str, bytes]:
    """(title, number, PDF) of the 约访通知书 of appointment ``ref`` (its id); its number is
    given at first print and kept."""
    item = leadership.appointment(reg, ref)
    made_on = reg.clock().date()
    number = docnumbers.number_for(reg, "appointment", item.id, made_on.year)
    title = _("约访通知书")
    data = build_pdf(appointment_story(reg, item, number, made_on, policy), spec=A4_PORTRAIT,
                     title=f"{title} {item.matter_number}", author=station.station(reg).name,
                     subject=number)
    return title, number, data


def ledger_pdf(reg: Register, ref: str) -> tuple[str, str, bytes]:
    """(title, whose, PDF) of the 包案台账 of leader ``ref`` (id or name; empty or "all": every
    leader's)."""
    who, rows = ledger_rows(reg, ref)
    data = build_ledger(station.station(reg).name, who, rows, reg.clock().date())
    return _("领导包案台账"), who, data


def ledger_rows(reg: Register, ref: str) -> tuple[str, list[leadership.LedgerRow]]:
    """(whose ledger, its rows) for leader ``ref`` (id or name; empty or "all": everyone)."""
    if ref.strip() in ("", "all"):
        return _("全部领导"), leadership.ledger(reg)
    person = leadership.find_leader(reg, ref)
    return person.label, leadership.ledger(reg, leader_id=person.id)


__all__ = ["appointment_pdf", "assignment_pdf", "build_ledger", "feedback_pdf", "ledger_columns",
           "ledger_pdf", "ledger_rows", "ledger_table"]
