"""登记回执: the registration receipt, two parts on one A4 page (docs/domain.md §3.3).

The upper part is the stub the station keeps (存根, signed by the petitioner on receipt), the
lower part the petitioner's copy (信访人联, with the station's seal). A dashed cut line with
a pair of scissors and "沿此线剪开" separates them. Each part carries the 信访件编号, the 查询码, the registration date
and office, the petitioner (ID number and phone masked by the policy), a short summary, the next
step with its statutory deadline, the station's phone and the clerk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    KeepInFrame,
    PageTemplate,
    Spacer,
)

from printing import fonts
from printing.layout import (
    A4_PORTRAIT,
    Field,
    Output,
    SealBlock,
    VoidMark,
    blank_date,
    build_pdf,
    chinese_date,
    field_grid,
    para,
    scaled,
    side_by_side,
    signature_line,
    styles,
    write_output,
)
from printing.models import PetitionerInfo, StationInfo
from storage.i18n import _
from storage.masking import DEFAULT_POLICY, MaskPolicy

SUMMARY_LIMIT = 160  # characters; the receipt is a half page, the full text stays in the register


@dataclass(frozen=True, kw_only=True)
class ReceiptData:
    """What a 登记回执 prints.

    ``next_step`` says what happens now ("本站将审查是否受理，并书面告知您"), ``deadline`` the date
    by which it must happen and ``deadline_rule`` the statutory period it comes from
    ("《信访工作条例》第二十三条：15日内"). ``people`` > 1 for a group visit.
    """

    station: StationInfo
    case_number: str
    query_code: str
    registered_at: date | datetime
    petitioner: PetitionerInfo
    form: str
    summary: str
    next_step: str
    deadline: date | None = None
    deadline_rule: str = ""
    clerk: str
    people: int = 1
    policy: MaskPolicy = field(default=DEFAULT_POLICY)
    void: VoidMark | None = None  # the matter was voided: every copy printed says so


def _short(text: str, limit: int = SUMMARY_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "……"


def _registered(when: date | datetime) -> str:
    if isinstance(when, datetime):
        return f"{chinese_date(when.date())} {when:%H:%M}"
    return chinese_date(when)


def _next_step(data: ReceiptData) -> str:
    text = data.next_step.rstrip("。")
    if data.deadline is not None and data.deadline_rule:
        return _("{step}（{rule}，{date}前）").format(
            step=text, rule=data.deadline_rule, date=chinese_date(data.deadline))
    if data.deadline is not None:
        return _("{step}（{date}前）").format(step=text, date=chinese_date(data.deadline))
    return text


def _fields(data: ReceiptData) -> list[list[Field]]:
    p, policy = data.petitioner, data.policy
    name = policy.name(p.name)
    if data.people > 1:
        name = _("{name}等{n}人").format(name=name, n=data.people)
    return [
        [Field(_("信访件编号"), data.case_number, strong=True),
         Field(_("查询码"), data.query_code, strong=True)],
        [Field(_("登记日期"), _registered(data.registered_at)),
         Field(_("登记机关"), data.station.office_name or data.station.name)],  # as set up
        [Field(_("信访人"), name), Field(_("信访形式"), data.form)],
        [Field(_("证件号码"), policy.id_number(p.id_number) or "—"),
         Field(_("联系电话"), policy.phone(p.phone) or "—")],
        [Field(_("反映事项"), _short(data.summary))],
        [Field(_("下一步办理"), _next_step(data))],
        # a station set up without a phone prints no dangling "电话：" for the petitioner
        [Field(_("查询方式"), _("凭信访件编号和查询码向本站查询办理进度，电话：{phone}").format(
            phone=data.station.phone) if data.station.phone.strip()
            else _("凭信访件编号和查询码向本站查询办理进度。"))],
        [Field(_("接待人"), data.clerk), Field(_("接待人签名"), "")],
    ]


def _part(data: ReceiptData, *, stub: bool, width: float) -> list[Flowable]:
    s = styles()
    label = _("第一联　存根（工作站留存）") if stub else _("第二联　信访人联（交信访人）")
    story: list[Flowable] = [
        para(_("信访事项登记回执"), scaled(s.title, 18, 24, spaceAfter=2)),
        para(label, scaled(s.small, 10.5, 14, alignment=TA_CENTER, spaceAfter=6)),
        field_grid(_fields(data), width=width, label_width=25 * mm, min_row_height=20),
        Spacer(0, 6),
    ]
    if stub:
        story.append(signature_line(
            [_("信访人签收：＿＿＿＿＿＿＿＿"), _("签收日期：{date}").format(date=blank_date())],
            scaled(s.small, 11, 16)))
    else:
        day = data.registered_at.date() if isinstance(data.registered_at, datetime) \
            else data.registered_at
        note = para(_("温馨提示：本回执是信访事项已经登记的凭证，请妥善保管。"
                      "查询码用于查询办理进度和评价，请勿告知他人。"), scaled(s.small, 9.5, 14))
        seal = SealBlock(data.station.name, day, size=10.5, diameter=32 * mm,
                         right_indent_chars=2, space_before=0)
        story.append(side_by_side([note, seal], [width * 0.55, width * 0.45]))
    return story


def _cut_line(canvas: Canvas, _doc: BaseDocTemplate) -> None:
    width, height = A4
    y = height / 2
    label = _("沿此线剪开")
    canvas.saveState()
    canvas.setStrokeColor(colors.Color(.35, .35, .35))
    canvas.setLineWidth(0.6)
    canvas.setDash(4, 3)
    canvas.line(8 * mm, y, width - 8 * mm, y)
    canvas.setDash()
    label_w = fonts.string_width(label, 8)
    canvas.setFillColor(colors.white)
    canvas.rect(width / 2 - label_w / 2 - 3, y - 5, label_w + 6, 10, stroke=0, fill=1)
    canvas.rect(12 * mm - 3, y - 6, 18, 12, stroke=0, fill=1)
    canvas.setFillColor(colors.Color(.35, .35, .35))
    fonts.draw_string(canvas, width / 2, y - 3, label, 8, align="centre")
    _scissors(canvas, 12 * mm, y)
    canvas.restoreState()


def _scissors(canvas: Canvas, x: float, y: float) -> None:
    """✂ drawn as lines, pointing along the cut: no font on the machine or in the PDF needs
    the glyph (only Hanazono has it, and loading 22 MB for one sign slows the first receipt)."""
    canvas.setLineWidth(0.8)
    canvas.circle(x + 1.8, y + 2.6, 1.8, stroke=1, fill=0)
    canvas.circle(x + 1.8, y - 2.6, 1.8, stroke=1, fill=0)
    canvas.line(x + 3.3, y + 1.6, x + 12, y - 1.8)
    canvas.line(x + 3.3, y - 1.6, x + 12, y + 1.8)


def build_receipt(data: ReceiptData) -> bytes:
    """The receipt as PDF bytes."""
    spec = A4_PORTRAIT
    width, height = A4
    gap = 9 * mm  # from the cut line to each part
    edge = 12 * mm  # from the paper edge to each part
    half = height / 2 - gap - edge
    upper = Frame(spec.left, height / 2 + gap, spec.frame_width, half, id="stub",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    lower = Frame(spec.left, edge, spec.frame_width, half, id="copy",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    template = PageTemplate(id="receipt", frames=[upper, lower], onPage=_cut_line, pagesize=A4)
    story: list[Flowable] = [
        # Shrink rather than spill: each part must stay on its own half of the sheet.
        KeepInFrame(spec.frame_width, half, _part(data, stub=True, width=spec.frame_width),
                    mode="shrink", vAlign="TOP"),
        FrameBreak(),
        KeepInFrame(spec.frame_width, half, _part(data, stub=False, width=spec.frame_width),
                    mode="shrink", vAlign="TOP"),
    ]
    return build_pdf(story, spec=spec, templates=[template], page_numbers=False,
                     title=_("信访事项登记回执") + " " + data.case_number, author=data.station.name,
                     void=data.void)


def render_receipt(data: ReceiptData, out: Output) -> None:
    """Write the two-part receipt to ``out`` (a path or a binary stream)."""
    write_output(build_receipt(data), out)
