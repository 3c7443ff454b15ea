"""Shared page layout for every printed document.

- :class:`PageSpec`: A4 portrait with a binding margin on the left (28 mm, as GB/T 9704 official
  documents: a 156 mm type area, 28 characters of 16 pt per line) and A4 landscape for sheets.
- Paragraph styles (:func:`styles`): title in Hei, body in Song with CJK wrapping, first-line
  indent of two characters; every text goes through :func:`printing.fonts.markup`, so rare
  characters fall back per run.
- Building blocks: :func:`title_block` (title + document number), :func:`para`,
  :class:`SealBlock` (落款 organ and date with a dotted circle for the seal),
  :func:`field_grid` (label/value form tables), :func:`data_table` (tables that split across
  pages with the header row repeated) and :func:`table_sheet` (a landscape sheet: title, header
  block, repeated-header table).
- :func:`render` builds a story into a path or a binary stream; page numbers
  "第 X 页 共 Y 页" come from a canvas that holds every page until the total is known.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from io import BytesIO
from pathlib import Path
from typing import IO, Any, Literal

from babel.dates import format_date, format_skeleton
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from printing import fonts
from storage.i18n import _, current_language

Output = str | os.PathLike[str] | IO[bytes]
PageHook = Callable[[Canvas, BaseDocTemplate], None]
Align = Literal["left", "centre", "right"]

GRID_COLOUR = colors.black
HEADER_FILL = colors.Color(0.9, 0.9, 0.9)
SEAL_COLOUR = colors.Color(0.55, 0.55, 0.55)


# ---------------------------------------------------------------------------------------------
# Line-breaking rules

#: Chinese punctuation that must not start a line (GB/T 15834 避头). reportlab's list is made
#: for Japanese and lacks ，；：！？ and the closing quotes and title marks; a character in this
#: set hangs at the end of the previous line instead.
CANNOT_START = "，；：！？》〉”’…—·％）］｝】〕」』"


def _install_line_rules() -> None:
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    current: str = paragraph.ALL_CANNOT_START
    missing = "".join(ch for ch in CANNOT_START if ch not in current)
    if missing:
        paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START = current + missing


_install_line_rules()


# ---------------------------------------------------------------------------------------------
# Page geometry


@dataclass(frozen=True)
class PageSpec:
    """Page size and margins in points. The left margin is the binding edge."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float

    @property
    def size(self) -> tuple[float, float]:
        return (self.width, self.height)

    @property
    def frame_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.height - self.top - self.bottom

    def frame(self, ident: str = "body") -> Frame:
        return Frame(self.left, self.bottom, self.frame_width, self.frame_height, id=ident,
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


A4_PORTRAIT = PageSpec(A4[0], A4[1], left=28 * mm, right=26 * mm, top=25 * mm, bottom=25 * mm)
A4_LANDSCAPE = PageSpec(*landscape(A4), left=25 * mm, right=15 * mm, top=18 * mm, bottom=18 * mm)


# ---------------------------------------------------------------------------------------------
# Dates


def _babel_locale() -> str:
    return "zh_CN" if current_language() == "zh_CN" else current_language()


def chinese_date(d: date) -> str:
    """``2026年11月22日`` (the long date of the current language; Arabic numerals, GB/T 9704)."""
    return str(format_date(d, format="long", locale=_babel_locale()))


def chinese_month(year: int, month: int) -> str:
    """``2026年11月``."""
    return str(format_skeleton("yMMMM", date(year, month, 1), locale=_babel_locale()))


def blank_date() -> str:
    """A date to be filled in by hand: ``　　　　年　　月　　日``."""
    return _("　　　　年　　月　　日")


# ---------------------------------------------------------------------------------------------
# Styles


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    doc_number: ParagraphStyle
    salutation: ParagraphStyle
    body: ParagraphStyle
    body_plain: ParagraphStyle
    heading: ParagraphStyle
    closing: ParagraphStyle
    small: ParagraphStyle
    note: ParagraphStyle
    cell: ParagraphStyle
    cell_centre: ParagraphStyle
    cell_label: ParagraphStyle
    cell_header: ParagraphStyle
    cell_strong: ParagraphStyle


def _style(name: str, font: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK",
                          allowWidows=0, allowOrphans=0, **kw)


@cache
def styles() -> Styles:
    """The house styles (sizes follow GB/T 9704: title 二号 22 pt, body 三号 16 pt)."""
    fonts.register(fonts.SONG)
    fonts.register(fonts.HEI)
    song, hei = fonts.SONG, fonts.HEI
    return Styles(
        title=_style("pd-title", hei, 22, 32, alignment=TA_CENTER, spaceAfter=6),
        subtitle=_style("pd-subtitle", hei, 16, 24, alignment=TA_CENTER, spaceAfter=4),
        doc_number=_style("pd-docnumber", song, 14, 22, alignment=TA_CENTER, spaceAfter=14),
        salutation=_style("pd-salutation", song, 16, 28, alignment=TA_LEFT),
        body=_style("pd-body", song, 16, 28, alignment=TA_JUSTIFY, firstLineIndent=32),
        body_plain=_style("pd-bodyplain", song, 16, 28, alignment=TA_JUSTIFY),
        heading=_style("pd-heading", hei, 16, 28, alignment=TA_LEFT, firstLineIndent=32),
        closing=_style("pd-closing", song, 16, 28, alignment=TA_LEFT, firstLineIndent=32),
        small=_style("pd-small", song, 10.5, 15, alignment=TA_LEFT),
        note=_style("pd-note", song, 9, 12, alignment=TA_LEFT, textColor=colors.Color(.25, .25, .25)),
        cell=_style("pd-cell", song, 10.5, 14, alignment=TA_LEFT),
        cell_centre=_style("pd-cellc", song, 10.5, 14, alignment=TA_CENTER),
        cell_label=_style("pd-celll", song, 10.5, 14, alignment=TA_CENTER),
        cell_header=_style("pd-cellh", hei, 10.5, 14, alignment=TA_CENTER),
        cell_strong=_style("pd-cells", hei, 12, 16, alignment=TA_LEFT),
    )


def scaled(style: ParagraphStyle, size: float, leading: float | None = None,
           **kw: Any) -> ParagraphStyle:
    """A copy of ``style`` at another size (indents that were two characters stay two)."""
    indent = style.firstLineIndent / style.fontSize * size if style.fontSize else 0
    return ParagraphStyle(f"{style.name}-{size:g}", parent=style, fontSize=size,
                          leading=leading if leading is not None else size * style.leading / style.fontSize,
                          firstLineIndent=indent, **kw)


def chain_for(style: ParagraphStyle) -> fonts.Chain:
    """The fallback chain that starts with the style's own font."""
    return fonts.TITLE if style.fontName == fonts.HEI else fonts.BODY


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain ``text`` (escaped; line breaks kept) with per-run font fallback."""
    return Paragraph(fonts.markup(text, chain_for(style)), style)


def rich(parts: Sequence[tuple[str, fonts.Chain]], style: ParagraphStyle) -> Paragraph:
    """A paragraph mixing faces, e.g. ``[("查询码：", BODY), ("7F3K-92QD", TITLE)]``."""
    return Paragraph("".join(fonts.markup(text, chain) for text, chain in parts), style)


# ---------------------------------------------------------------------------------------------
# Document parts


def title_block(title: str, doc_number: str = "", subtitle: str = "") -> list[Flowable]:
    """Title in Hei, an optional subtitle and an optional document number line
    (``〔2026〕花信受字第12号``)."""
    s = styles()
    out: list[Flowable] = [para(title, s.title)]
    if subtitle:
        out.append(para(subtitle, s.subtitle))
    if doc_number:
        out.append(para(doc_number, s.doc_number))
    else:
        out.append(Spacer(0, 10))
    return out


class SealBlock(Flowable):  # type: ignore[misc]
    """落款: the organ's name and the date, right-aligned (the date four characters from the right
    edge, the organ centred over it, GB/T 9704), with a dotted circle where the seal goes."""

    def __init__(self, organ: str, when: date | str, *, size: float = 16,
                 diameter: float = 42 * mm, right_indent_chars: float = 4,
                 space_before: float = 18, caption: str | None = None) -> None:
        super().__init__()
        self.organ = organ
        self.when = chinese_date(when) if isinstance(when, date) else when
        self.size = size
        self.diameter = diameter
        self.right_indent = right_indent_chars * size
        self.space_before = space_before
        self.caption = _("盖章处") if caption is None else caption
        self.leading = size * 1.75
        self._width = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._width = availWidth
        text_height = self.leading * 2
        return availWidth, self.space_before + max(text_height, self.diameter) + 4

    def draw(self) -> None:
        canv: Canvas = self.canv
        width = self._width
        date_w = fonts.string_width(self.when, self.size)
        organ_w = fonts.string_width(self.organ, self.size)
        date_right = width - self.right_indent
        centre_x = date_right - date_w / 2
        # A long organ name would run past the right edge if centred over the date.
        centre_x = min(centre_x, width - organ_w / 2)
        centre_x = max(centre_x, organ_w / 2, date_w / 2)
        block_h = max(self.leading * 2, self.diameter)
        mid_y = 4 + block_h / 2
        organ_y = mid_y + self.leading * 0.15
        date_y = organ_y - self.leading
        fonts.draw_string(canv, centre_x, organ_y, self.organ, self.size, align="centre")
        fonts.draw_string(canv, centre_x, date_y, self.when, self.size, align="centre")
        canv.saveState()
        canv.setStrokeColor(SEAL_COLOUR)
        canv.setFillColor(SEAL_COLOUR)
        canv.setLineWidth(0.6)
        canv.setDash(1.5, 2.5)
        canv.circle(centre_x, mid_y + self.size * 0.3, self.diameter / 2, stroke=1, fill=0)
        if self.caption:
            fonts.draw_string(canv, centre_x, mid_y + self.diameter / 2 - self.size * 0.55 - 8,
                              self.caption, max(self.size * 0.5, 7), align="centre")
        canv.restoreState()


def closing_with_seal(closing: Sequence[Flowable], organ: str, when: date | str,
                      **seal_kw: Any) -> KeepTogether:
    """The last paragraph(s) kept on one page with the seal block, so a seal never stands
    alone at the top of a page."""
    return KeepTogether([*closing, SealBlock(organ, when, **seal_kw)])


def signature_line(items: Sequence[str], style: ParagraphStyle | None = None) -> Paragraph:
    """``信访人签收：＿＿＿＿＿＿　　日期：　　年　月　日`` — items joined with wide spaces."""
    return para("　　".join(items), style or styles().small)


# ---------------------------------------------------------------------------------------------
# Tables


def _cell(text: str, style: ParagraphStyle, avail: float) -> str | Paragraph:
    """A plain string when it fits on one line in the style's own font (cheap to lay out),
    otherwise a wrapping paragraph with per-run font fallback."""
    if "\n" not in text and style.fontName == fonts.SONG:
        song = fonts.coverage(fonts.SONG)
        if all(ord(ch) in song for ch in text) and \
                pdfmetrics.stringWidth(text, fonts.SONG, style.fontSize) <= avail:
            return text
    return para(text, style)


@dataclass(frozen=True)
class Field:
    """One label/value pair of a form grid. ``strong`` sets the value in Hei."""

    label: str
    value: str
    strong: bool = False


def field_grid(rows: Sequence[Sequence[Field]], *, width: float, label_width: float = 24 * mm,
               pairs: int = 2, size: float = 10.5, min_row_height: float = 0) -> Table:
    """A ruled form: each row holds 1..``pairs`` label/value pairs; the last value of a short
    row spans to the right edge (``反映事项`` over the whole width)."""
    s = styles()
    label_style = scaled(s.cell_label, size)
    value_style = scaled(s.cell, size)
    strong_style = scaled(s.cell_strong, size + 1)
    value_width = (width - pairs * label_width) / pairs
    col_widths = [label_width, value_width] * pairs
    data: list[list[Any]] = []
    cmds: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, GRID_COLOUR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    for r, row in enumerate(rows):
        if not 1 <= len(row) <= pairs:
            raise ValueError(f"a form row holds 1..{pairs} fields, not {len(row)}")
        cells: list[Any] = []
        for i, f in enumerate(row):
            span_to = 2 * pairs - 1 if i == len(row) - 1 else 2 * i + 1
            avail = sum(col_widths[2 * i + 1:span_to + 1]) - 8
            cells.append(para(f.label, label_style))
            cells.append(para(f.value, strong_style) if f.strong
                         else _cell(f.value, value_style, avail))
            if span_to > 2 * i + 1:
                cells.extend([""] * (span_to - 2 * i - 1))
                cmds.append(("SPAN", (2 * i + 1, r), (span_to, r)))
        data.append(cells)
    cmds.extend([("FONTNAME", (0, 0), (-1, -1), fonts.SONG),
                 ("FONTSIZE", (0, 0), (-1, -1), size),
                 ("LEADING", (0, 0), (-1, -1), value_style.leading)])
    row_heights = [min_row_height] * len(data) if min_row_height else None
    return Table(data, colWidths=col_widths, style=TableStyle(cmds), minRowHeights=row_heights,
                 hAlign="CENTER")


@dataclass(frozen=True)
class Column:
    """A column of a data table: its header, a relative width and the alignment of its cells."""

    title: str
    weight: float = 1.0
    align: Align = "left"


def data_table(columns: Sequence[Column], rows: Iterable[Sequence[str]], *, width: float,
               size: float = 9, repeat_header: bool = True,
               extra_style: Sequence[tuple[Any, ...]] = ()) -> Table:
    """A ruled table that splits across pages by row (and inside an over-tall row) with the
    header row repeated on every page. Cells wrap; nothing is clipped."""
    s = styles()
    total = sum(c.weight for c in columns)
    col_widths = [width * c.weight / total for c in columns]
    header_style = scaled(s.cell_header, size)
    cell_styles = {
        "left": scaled(s.cell, size),
        "centre": scaled(s.cell_centre, size),
        "right": scaled(s.cell, size, alignment=TA_RIGHT),
    }
    pad = 3.0
    data: list[list[Any]] = [[para(c.title, header_style) for c in columns]]
    per_col = [(cell_styles[c.align], w - 2 * pad) for c, w in zip(columns, col_widths, strict=True)]
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"row has {len(row)} cells, the table {len(columns)} columns")
        data.append([_cell(str(v), st, avail) for v, (st, avail) in zip(row, per_col, strict=True)])
    cmds: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOUR),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 1), (-1, -1), fonts.SONG),
        ("FONTSIZE", (0, 1), (-1, -1), size),
        ("LEADING", (0, 1), (-1, -1), cell_styles["left"].leading),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for i, c in enumerate(columns):
        if c.align != "left":
            cmds.append(("ALIGN", (i, 1), (i, -1), "CENTER" if c.align == "centre" else "RIGHT"))
    cmds.extend(extra_style)
    return Table(data, colWidths=col_widths, repeatRows=1 if repeat_header else 0,
                 splitByRow=1, splitInRow=1, style=TableStyle(cmds), hAlign="CENTER")


def info_line(pairs: Sequence[tuple[str, str]], style: ParagraphStyle | None = None) -> Paragraph:
    """A header line such as ``填报单位：花园镇信访工作站　　统计月份：2026年11月``."""
    text = "　　".join(f"{label}：{value}" for label, value in pairs)
    return para(text, style or scaled(styles().small, 11))


def table_sheet(*, title: str, columns: Sequence[Column], rows: Iterable[Sequence[str]],
                width: float = A4_LANDSCAPE.frame_width, info: Sequence[tuple[str, str]] = (),
                before: Sequence[Flowable] = (), after: Sequence[Flowable] = (),
                size: float = 9) -> list[Flowable]:
    """A sheet (landscape by default): title, a header line of label/value pairs, any header
    flowables (e.g. counts), then the data table whose header row repeats on every page, then
    trailing flowables (e.g. lists of grids with zero reports)."""
    s = styles()
    story: list[Flowable] = [para(title, scaled(s.title, 18, 26, spaceAfter=4))]
    if info:
        story.append(info_line(info))
        story.append(Spacer(0, 4))
    story.extend(before)
    story.append(data_table(columns, rows, width=width, size=size))
    story.extend(after)
    return story


# ---------------------------------------------------------------------------------------------
# Rendering


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds every page until ``save`` so the footer can say "第 X 页 共 Y 页"."""

    def __init__(self, *args: Any, page_numbers: bool = True, footer_size: float = 10.5,
                 footer_y: float = 12 * mm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._page_numbers = page_numbers
        self._footer_size = footer_size
        self._footer_y = footer_y

    def showPage(self) -> None:  # noqa: N802 - reportlab API
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self._page_numbers:
                self._draw_page_number(total)
            super().showPage()
        super().save()

    def _draw_page_number(self, total: int) -> None:
        text = _("第 {page} 页 共 {pages} 页").format(page=self.getPageNumber(), pages=total)
        width = self._pagesize[0]
        fonts.draw_string(self, width / 2, self._footer_y, text, self._footer_size, align="centre")


def build_pdf(story: Sequence[Flowable], *, spec: PageSpec = A4_PORTRAIT, title: str = "",
              author: str = "", subject: str = "", page_numbers: bool = True,
              templates: Sequence[PageTemplate] | None = None,
              on_page: PageHook | None = None) -> bytes:
    """Lay ``story`` out on ``spec`` pages and return the PDF bytes."""
    buf = BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=spec.size, leftMargin=spec.left, rightMargin=spec.right,
        topMargin=spec.top, bottomMargin=spec.bottom, title=title, author=author,
        subject=subject, creator=_("信访工作台"), lang="zh-CN")
    if templates is None:
        kw: dict[str, Any] = {"onPage": on_page} if on_page else {}
        templates = [PageTemplate(id="page", frames=[spec.frame()], pagesize=spec.size, **kw)]
    doc.addPageTemplates(list(templates))
    footer_y = min(12 * mm, spec.bottom / 2)
    doc.build(list(story), canvasmaker=partial(NumberedCanvas, page_numbers=page_numbers,
                                               footer_y=footer_y))
    return buf.getvalue()


def write_output(data: bytes, out: Output) -> None:
    """Write PDF bytes to a binary stream, or atomically to a path (``*.part`` then rename)."""
    if isinstance(out, str | os.PathLike):
        path = Path(out)
        part = path.with_name(path.name + ".part")
        with open(part, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(part, path)
    else:
        out.write(data)


def render(story: Sequence[Flowable], out: Output, **kw: Any) -> None:
    """:func:`build_pdf` then :func:`write_output`."""
    write_output(build_pdf(story, **kw), out)
