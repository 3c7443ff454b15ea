"""Shared page layout for every printed document.

- :class:`PageSpec`: A4 portrait with a binding margin on the left (28 mm, as GB/T 9704 official
  documents; a type area of 28 characters of 16 pt per line) and A4 landscape for sheets.
- Chinese line-breaking rules reportlab lacks: no ，。；：？！ or closing bracket at the start of
  a line, no opening bracket at its end, a number kept with its unit (年月日…).
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

import contextlib
import contextvars
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
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
from storage.errors import Cancelled
from storage.i18n import _, current_language
from storage.private import open_private

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


#: Punctuation that must not end a line (避尾): opening brackets, quotes and title marks.
CANNOT_END = "（《“‘〔【「『〈［｛(["
#: A number stays with the unit after it: "2026年8|月10日" would read badly.
UNITS_AFTER_NUMBER = "年月日时分秒号条款项亩元岁组户人件次栋层室期周"


def _frag_line_text(line: Any) -> str:
    return "".join(getattr(w, "text", "") for w in getattr(line, "words", ()))


def _frag_last_width(line: Any) -> float:
    for word in reversed(getattr(line, "words", ())):
        text = getattr(word, "text", "")
        if text:
            return float(pdfmetrics.stringWidth(text[-1], word.fontName, word.fontSize))
    return 0.0


def _frag_tail_width(line: Any, tail: str) -> float:
    """Width of the last ``tail`` characters of a split line, in its last word's font."""
    for word in reversed(getattr(line, "words", ())):
        if getattr(word, "text", ""):
            return float(pdfmetrics.stringWidth(tail, word.fontName, word.fontSize))
    return 0.0


def _first_push(texts: Sequence[str], hard_breaks: Sequence[bool], cannot_start: str) -> int | None:
    """The first line that must give its last character to the next line: it ends with an
    opening bracket, or the next line starts with a closing mark reportlab did not hang."""
    for k in range(len(texts) - 1):
        text, following = texts[k], texts[k + 1]
        if hard_breaks[k] or len(text) < 2:
            continue
        if text[-1] in CANNOT_END or (following and following[0] in cannot_start):
            return k
        if text[-1].isascii() and text[-1].isalnum() and following \
                and following[0] in UNITS_AFTER_NUMBER:
            return k
    return None


_TRAILING_WORD = re.compile(r"[A-Za-z0-9'’]+$")


def _broken_word(texts: Sequence[str], original: str) -> tuple[int, str] | None:
    """The first line that ends inside a Latin word or a number continued on the next line
    ("People's Mediat|ion"), with the part of the word to move down; None if there is none.
    reportlab's CJK splitter looks back only half a line for a space. ``original`` is the
    unsplit text: a line that ended at a space there is whole. A word that fills its whole
    line stays broken (there is nowhere better)."""
    pos = 0
    for k, text in enumerate(texts[:-1]):
        if not text:
            continue
        start = original.find(text, pos)
        if start < 0:
            return None  # the lines are not plain substrings (markup): leave them
        pos = start + len(text)
        if pos >= len(original) or not (original[pos].isascii() and original[pos].isalnum()):
            continue
        tail = _TRAILING_WORD.search(text)
        if tail is not None and tail.start() > 0 and text[:tail.start()].strip():
            return k, tail.group()
    return None


def _narrowed(widths: list[float], steps: int, by: float) -> list[float]:
    out = [widths[j] if j < len(widths) else widths[-1] for j in range(max(len(widths), steps + 2))]
    out[steps] -= by + 0.01
    return out


def _with_kinsoku_frags(split: Callable[..., Any], cannot_start: str) -> Callable[..., Any]:
    """Wrap reportlab's multi-font CJK splitter (``cjkFragSplit``): where a line would end
    with an opening bracket or the next start with a closing mark, narrow that line by its last
    character and split again (rare: a few re-splits of one paragraph)."""

    def cjk_frag_split(frags: Any, max_widths: Any, calc_bounds: Any,
                       encoding: str = "utf8") -> Any:
        widths = list(max_widths) if isinstance(max_widths, list | tuple) else [max_widths]
        result = split(frags, widths, calc_bounds, encoding)
        for _attempt in range(24 + 2 * len(result.lines)):  # a re-split per broken line
            lines = result.lines
            texts = [_frag_line_text(ln) for ln in lines]
            breaks = [bool(getattr(ln, "lineBreak", False)) for ln in lines]
            k = _first_push(texts, breaks, cannot_start)
            if k is not None:
                by = _frag_last_width(lines[k])
            else:
                broken = _broken_word(texts, "".join(getattr(f, "text", "") for f in frags))
                if broken is None:
                    break
                k, tail = broken
                by = _frag_tail_width(lines[k], tail)
            widths = _narrowed(widths, k, by)
            result = split(frags, widths, calc_bounds, encoding)
        return result

    cjk_frag_split.pd_kinsoku = True  # type: ignore[attr-defined]
    return cjk_frag_split


def _with_kinsoku_word(split: Callable[..., Any], cannot_start: str) -> Callable[..., Any]:
    """The same for reportlab's single-font splitter (``wordSplit``), whose lines are
    ``[extra_space, text]`` pairs."""

    def word_split(word: str, max_widths: Any, font_name: str, font_size: float,
                   encoding: str = "utf8") -> Any:
        widths = list(max_widths) if isinstance(max_widths, list | tuple) else [max_widths]
        lines = split(word, widths, font_name, font_size, encoding)
        for _attempt in range(24 + 2 * len(lines)):  # a re-split per broken line
            texts = [str(line[1]) for line in lines]
            k = _first_push(texts, [False] * len(texts), cannot_start)
            if k is not None:
                by = pdfmetrics.stringWidth(texts[k][-1], font_name, font_size)
            else:
                broken = _broken_word(texts, word)
                if broken is None:
                    break
                k, tail = broken
                by = pdfmetrics.stringWidth(tail, font_name, font_size)
            widths = _narrowed(widths, k, by)
            lines = split(word, widths, font_name, font_size, encoding)
        return lines

    word_split.pd_kinsoku = True  # type: ignore[attr-defined]
    return word_split


def _install_line_rules() -> None:
    """Teach reportlab's CJK wrapping the Chinese rules for punctuation at line ends."""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    current: str = paragraph.ALL_CANNOT_START
    missing = "".join(ch for ch in CANNOT_START if ch not in current)
    if missing:
        paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START = current + missing
    cannot_start = paragraph.ALL_CANNOT_START
    if not getattr(paragraph.cjkFragSplit, "pd_kinsoku", False):
        paragraph.cjkFragSplit = _with_kinsoku_frags(paragraph.cjkFragSplit, cannot_start)
    if not getattr(paragraph.wordSplit, "pd_kinsoku", False):
        paragraph.wordSplit = _with_kinsoku_word(paragraph.wordSplit, cannot_start)


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


#: GB/T 9704 type area: 28 characters of 三号 (16 pt) per line, binding margin 28 mm on the left.
A4_PORTRAIT = PageSpec(A4[0], A4[1], left=28 * mm, right=A4[0] - 28 * mm - 28 * 16,
                       top=25 * mm, bottom=25 * mm)
_LANDSCAPE = landscape(A4)
A4_LANDSCAPE = PageSpec(_LANDSCAPE[0], _LANDSCAPE[1], left=25 * mm, right=15 * mm, top=18 * mm,
                        bottom=18 * mm)


# ---------------------------------------------------------------------------------------------
# Dates


def chinese_date(day: date) -> str:
    """``2026年11月22日`` (the long date of the current language; Arabic numerals, GB/T 9704)."""
    return str(format_date(day, format="long", locale=current_language()))


def chinese_month(year: int, month: int) -> str:
    """``2026年11月``."""
    return str(format_skeleton("yMMMM", date(year, month, 1), locale=current_language()))


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
        heading=_style("pd-heading", hei, 16, 28, alignment=TA_LEFT, firstLineIndent=32,
                       keepWithNext=1),
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
    """A copy of ``style`` at another size (indents that were two characters stay two, unless
    ``firstLineIndent`` is given)."""
    kw.setdefault("firstLineIndent",
                  style.firstLineIndent / style.fontSize * size if style.fontSize else 0)
    return ParagraphStyle(f"{style.name}-{size:g}", parent=style, fontSize=size,
                          leading=leading if leading is not None else size * style.leading / style.fontSize,
                          **kw)


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


class SealBlock(Flowable):
    """落款: the organ's name and the date, right-aligned (the date four characters from the right
    edge, the organ centred over it), with a dotted circle where the seal goes.

    As GB/T 9704 wants, name and date sit a little below the seal's centre and the seal's top
    comes within a line of the text above. ``rise`` lets the seal reach that far up into the
    space above the block (default 0: the circle never touches the text above).
    """

    def __init__(self, organ: str, when: date | str, *, size: float = 16,
                 diameter: float = 42 * mm, right_indent_chars: float = 4,
                 space_before: float = 4, rise: float = 0,
                 caption: str | None = None) -> None:
        super().__init__()
        self.organ = organ
        self.when = chinese_date(when) if isinstance(when, date) else when
        self.size = size
        self.diameter = diameter
        self.right_indent = right_indent_chars * size
        self.space_before = space_before
        self.leading = size * 1.75
        self.rise = rise
        self.caption = _("盖章处") if caption is None else caption
        self._width = 0.0
        self._height = 0.0

    def _layout(self) -> tuple[float, float, float]:
        """(circle centre y, organ baseline, date baseline) above the block's bottom."""
        radius = self.diameter / 2
        bottom_pad = 2.0
        text_bottom = bottom_pad + self.size * 0.3  # room for the date's descenders
        # the centre sits a little above the organ line; the circle must end above the bottom
        centre = max(radius + bottom_pad, text_bottom + self.leading + self.size * 0.3)
        organ_y = centre - self.size * 0.3
        return centre, organ_y, organ_y - self.leading

    def wrap(self, avail_width: float, _avail_height: float) -> tuple[float, float]:
        self._width = avail_width
        centre, organ_y, _date_y = self._layout()
        top = max(centre + self.diameter / 2 - self.rise, organ_y + self.size * 1.2)
        self._height = self.space_before + top
        return avail_width, self._height

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
        centre_y, organ_y, date_y = self._layout()
        fonts.draw_string(canv, centre_x, organ_y, self.organ, self.size, align="centre")
        fonts.draw_string(canv, centre_x, date_y, self.when, self.size, align="centre")
        canv.saveState()
        canv.setStrokeColor(SEAL_COLOUR)
        canv.setFillColor(SEAL_COLOUR)
        canv.setLineWidth(0.6)
        canv.setDash(1.5, 2.5)
        canv.circle(centre_x, centre_y, self.diameter / 2, stroke=1, fill=0)
        if self.caption:
            caption_size = max(self.size * 0.5, 7)
            caption_y = min(organ_y + self.leading * 0.9, self._height - caption_size)
            fonts.draw_string(canv, centre_x, caption_y, self.caption, caption_size,
                              align="centre")
        canv.restoreState()


def closing_with_seal(closing: Sequence[Flowable], organ: str, when: date | str,
                      after: Sequence[Flowable] = (), **seal_kw: Any) -> KeepTogether:
    """The last paragraph(s), the seal block and what follows it (抄送, notes) kept on one
    page, so a seal or a 抄送 line never stands alone at the top of a page."""
    return KeepTogether([*closing, SealBlock(organ, when, **seal_kw), *after])


def signature_line(items: Sequence[str], style: ParagraphStyle | None = None) -> Paragraph:
    """``信访人签收：＿＿＿＿＿＿　　日期：　　年　月　日`` — items joined with wide spaces."""
    return para("　　".join(items), style or styles().small)


# ---------------------------------------------------------------------------------------------
# Tables


#: Characters that join into one unbreakable token (numbers, codes, masked phones, Latin words).
_WORD_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "-.:/*@_%+#&'")


def _tokens(line: str) -> list[str]:
    """Break opportunities: between any two CJK characters, not inside a run of word chars."""
    out: list[str] = []
    word: list[str] = []
    for ch in line:
        if ch in _WORD_CHARS:
            word.append(ch)
            if ch == "-":  # 0512-|66881234: a hyphen may end a line
                out.append("".join(word))
                word = []
            continue
        if word:
            out.append("".join(word))
            word = []
        out.append(ch)
    if word:
        out.append("".join(word))
    return out


def _carry(current: list[str], token: str, cannot_start: str) -> list[str]:
    """Tokens to take from the end of a full line to the next one, so that the next line does
    not start with a closing mark (or a unit after its number) and this one does not end with
    an opening mark. ``current`` loses them; at least one token always stays."""
    carry: list[str] = []
    if len(current) > 1 and (token[0] in cannot_start or (
            token[0] in UNITS_AFTER_NUMBER and current[-1][-1].isdigit())):
        carry.insert(0, current.pop())
        while len(current) > 1 and carry[0][0] in cannot_start:
            carry.insert(0, current.pop())
    while len(current) > 1 and current[-1][-1] in CANNOT_END:
        carry.insert(0, current.pop())
    return carry


def _split_word(word: str, used: float, limit: float, widths: dict[int, float],
                default: float, lines: list[str], current: list[str]) -> float:
    """A word longer than a line, broken by characters; full lines go to ``lines``, the rest
    stays in ``current``. Returns the width used on the last line."""
    for ch in word:
        cw = widths.get(ord(ch), default)
        if used + cw > limit and current:
            lines.append("".join(current))
            current.clear()
            used = 0.0
        current.append(ch)
        used += cw
    return used


def wrap_plain(text: str, font: str, size: float, avail: float,
               chain: Sequence[str] = ()) -> list[str] | None:
    """``text`` broken into lines no wider than ``avail`` points in ``font`` at ``size``, by the
    same Chinese rules as paragraphs (no closing mark at a line start, no opening mark at a
    line end, a number kept with its unit, words and numbers never split unless longer than a
    line). None if ``font`` lacks a character, unless a fallback ``chain`` has it: then the
    lines are measured as the per-run fallback will set them (for a paragraph).

    Tables of plain multi-line strings lay out several times faster than tables of paragraphs,
    which is what keeps a 1,000-row sheet close to a bare reportlab table.
    """
    from reportlab.platypus import paragraph

    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    covered = fonts.coverage(font)
    face = pdfmetrics.getFont(font).face
    widths: dict[int, float] = face.charWidths
    default = float(face.defaultWidth)
    missing = {ch for ch in text if ord(ch) not in covered and ch != "\n"}
    if missing:
        if not chain:
            return None
        widths = dict(widths)
        for ch in missing:
            fallback = fonts.font_for(ch, chain) or font
            widths[ord(ch)] = pdfmetrics.stringWidth(ch, fonts.register(fallback), 1000)
    cannot_start: str = paragraph.ALL_CANNOT_START  # reportlab's list plus CANNOT_START
    limit = avail * 1000.0 / size  # compare in font units: no multiplication per character

    def width(token: str) -> float:
        return sum(widths.get(ord(ch), default) for ch in token)

    lines: list[str] = []
    for hard in text.split("\n"):
        if width(hard) <= limit:
            lines.append(hard)
            continue
        current: list[str] = []
        used = 0.0
        for token in _tokens(hard):
            w = width(token)
            if used + w <= limit or token == " ":
                current.append(token)
                used += w
                continue
            carry = _carry(current, token, cannot_start)
            if current:
                lines.append("".join(current).rstrip())
            current = carry
            used = sum(width(t) for t in current)
            if used + w > limit and current:  # the carried marks and the token do not fit
                lines.append("".join(current).rstrip())
                current, used = [], 0.0
            if used + w > limit and len(token) > 1:
                used = _split_word(token, used, limit, widths, default, lines, current)
            else:
                current.append(token)
                used += w
        lines.append("".join(current).rstrip())
    return lines


_wrapped: dict[tuple[str, str, float, float], str | None] = {}
_WRAP_CACHE_SIZE = 20_000


def _plain(text: str, font: str, size: float, avail: float) -> str | None:
    """:func:`wrap_plain` joined into one multi-line string, remembered: sheets repeat the same
    village, status, type and unit in every other row."""
    key = (text, font, size, avail)
    try:
        return _wrapped[key]
    except KeyError:
        pass
    lines = wrap_plain(text, font, size, avail)
    value = None if lines is None else "\n".join(lines)
    if len(_wrapped) >= _WRAP_CACHE_SIZE:
        _wrapped.clear()
    _wrapped[key] = value
    return value


def clear_wrap_cache() -> None:
    """Forget the wrapped cells (benchmarks time a cold sheet)."""
    _wrapped.clear()


def _cell(text: str, style: ParagraphStyle, avail: float) -> str | Paragraph:
    """Plain (pre-wrapped, multi-line) text when the style's own font has every character —
    cheap to lay out — otherwise a wrapping paragraph with per-run font fallback. The table
    must set the style's font, size and leading for the cell (``_cell_commands``)."""
    if style.fontName in (fonts.SONG, fonts.HEI):
        plain = _plain(text, style.fontName, style.fontSize, avail)
        if plain is not None:
            return plain
        # A rare character: a paragraph for the per-run fallback, broken where the plain
        # text would be (reportlab's own CJK wrap would split "（138****5678）" anywhere).
        lines = wrap_plain(text, style.fontName, style.fontSize, avail, chain_for(style))
        if lines is not None:
            return para("\n".join(lines), style)
    return para(text, style)


class FastTable(Table):
    """A Table that sets each plain-text cell as one PDF text object (reportlab makes one per
    line); the output looks the same and long sheets build in about half the time.

    It also splits more cleanly: rows go whole to the next page, and only a row taller than
    ``in_row_limit`` (one that could never fit a page) is split inside. reportlab, allowed to
    split inside rows at all, would also put a repeated header and the top of the next row in
    the last few centimetres of a page.
    """

    in_row_limit = 380.0  # points: about 13 cm, less than any frame's height minus its header
    min_split_height = 72.0  # the top part of a split row gets at least an inch

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        self._calc(availWidth, availHeight)
        result: list[Any] = (self._splitRows(availHeight, doInRowSplit=False)
                             if self.splitByRow else [])
        if result or not self.splitInRow or not self._stuck_row_too_tall(availHeight):
            return result
        return list(self._splitRows(availHeight, doInRowSplit=True))

    def _listCellGeom(self, V: Any, w: float, s: Any, W: Any = None, H: Any = None,  # noqa: N802, N803
                      aH: float = 72000) -> Any:  # noqa: N803
        """A plain-text cell is as tall as its lines at its leading (reportlab assumes 1.2 ×
        the font size here, and so made the top part of a split row too short for its text)."""
        if isinstance(V, str):
            return self._elementWidth(V, s), len(V.split("\n")) * (s.leading or 1.2 * s.fontsize)
        return super()._listCellGeom(V, w, s, W=W, H=H, aH=aH)

    def _splitCell(self, value: Any, style: Any, oldHeight: float,  # noqa: N802, N803
                   newHeight: float, width: float) -> Any:  # noqa: N803
        """Split a plain-text cell by whole lines at its own leading (reportlab counts lines
        of 1.2 × the font size, so with a larger leading the top part ran off the page)."""
        if not isinstance(value, str) or style.valign != "TOP":
            return super()._splitCell(value, style, oldHeight, newHeight, width)
        lines = value.split("\n")
        leading = style.leading or 1.2 * style.fontsize
        room = newHeight - style.topPadding - style.bottomPadding - style.fontsize
        fit = int(room // leading) + 1 if room >= 0 else 0
        if len(lines) <= fit:
            return (value, "")
        if fit < 1:
            return ("", value) if len(lines) > 1 else []
        return ("\n".join(lines[:fit]), "\n".join(lines[fit:]))

    def _stuck_row_too_tall(self, avail: float) -> bool:
        """Whether the row that does not fit into ``avail`` is too tall for any page."""
        heights: list[float] = list(self._rowHeights)
        repeat = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        used = sum(heights[:repeat])
        for h in heights[repeat:]:
            if used + h > avail:
                # split only where a worthwhile part of it fits, not in the last few lines
                return h > self.in_row_limit and avail - used >= self.min_split_height
            used += h
        return False

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: tuple[float, float],  # noqa: N802
                  size: tuple[float, float]) -> None:
        if (not isinstance(cellval, str) or not cellval or cellstyle.direction
                or cellstyle.shaping or cellstyle.href or cellstyle.destination
                or cellstyle.valign not in ("TOP", "MIDDLE", "BOTTOM")
                or cellstyle.alignment not in ("LEFT", "CENTRE", "CENTER", "RIGHT")):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        font = pdfmetrics.getFont(cellstyle.fontname)
        if not getattr(font, "_dynamicFont", False):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        canv = self.canv
        cur: Any = getattr(self, "_curcellstyle", None)
        if cur is not cellstyle:
            if cur is None or cellstyle.color != cur.color:
                canv.setFillColor(cellstyle.color)
            if cur is None or cellstyle.leading != cur.leading or \
                    cellstyle.fontname != cur.fontname or cellstyle.fontsize != cur.fontsize:
                canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        colpos, rowpos = pos
        colwidth, rowheight = size
        lines = cellval.split("\n")
        leading, fontsize = cellstyle.leading, cellstyle.fontsize
        if cellstyle.valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - fontsize
        elif cellstyle.valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + len(lines) * leading - fontsize
        else:
            y = rowpos + (cellstyle.bottomPadding + rowheight - cellstyle.topPadding
                          + len(lines) * leading) / 2.0 - fontsize
        just = cellstyle.alignment
        left = colpos + cellstyle.leftPadding
        right = colpos + colwidth - cellstyle.rightPadding
        centre = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding) * 0.5
        doc = canv._doc
        escape_pdf = canv._escape
        size_tf = f"{fontsize:g} Tf"
        code = ["BT"]
        current = -1
        for line in lines:
            if line:
                if just == "LEFT":
                    x = left
                else:
                    w = font.stringWidth(line, fontsize)
                    x = right - w if just == "RIGHT" else centre - w / 2.0
                code.append(f"1 0 0 1 {x:.3f} {y:.3f} Tm")
                for subset, chunk in font.splitString(line, doc):
                    if subset != current:
                        code.append(f"{font.getSubsetInternalName(subset, doc)} {size_tf}")
                        current = subset
                    code.append(f"({escape_pdf(chunk)}) Tj")
            y -= leading
        code.append("ET")
        canv._code.append(" ".join(code))


def side_by_side(cells: Sequence[Flowable], widths: Sequence[float],
                 valign: Literal["TOP", "MIDDLE", "BOTTOM"] = "TOP") -> Table:
    """Flowables next to each other without rules (e.g. a note beside the seal)."""
    return Table([list(cells)], colWidths=list(widths), style=TableStyle([
        ("VALIGN", (0, 0), (-1, -1), valign),
        ("FONTNAME", (0, 0), (-1, -1), fonts.SONG),  # never reportlab's default Helvetica
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))


#: What the wrapping keeps in one piece (see _WORD_CHARS): words, numbers, dates, masked
#: phones, with a bracket or comma that may not be parted from them. A hyphen may end a line,
#: so it ends a word here too.
_LATIN_WORD = re.compile(r"[(\[（]?[A-Za-z0-9.:/*@_%+#&'’]+-?[)\]）,;:]?")
_HAS_LATIN = re.compile(r"[A-Za-z0-9]")


def latin_word_width(text: str, font: str, size: float) -> float:
    """Points taken by the longest run of Latin letters and digits in ``text`` (0 if none):
    the narrowest a cell can be without breaking an English word."""
    return max((pdfmetrics.stringWidth(w, font, size) for w in _LATIN_WORD.findall(text)),
               default=0.0)


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
    # A label column wide enough for its longest Latin word ("Registration"): Chinese labels
    # break between any two characters, English ones only between words.
    label_width = max([label_width, *(latin_word_width(f.label, label_style.fontName, size) + 9
                                      for row in rows for f in row)])
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
            cells.append(_cell(f.label, label_style, label_width - 8))
            cells.append(para(f.value, strong_style) if f.strong
                         else _cell(f.value, value_style, avail))
            if span_to > 2 * i + 1:
                cells.extend([""] * (span_to - 2 * i - 1))
                cmds.append(("SPAN", (2 * i + 1, r), (span_to, r)))
        data.append(cells)
    cmds.extend([("FONTNAME", (0, 0), (-1, -1), fonts.SONG),
                 ("FONTSIZE", (0, 0), (-1, -1), size),
                 ("LEADING", (0, 0), (-1, -1), value_style.leading)])
    cmds.extend(("ALIGN", (2 * i, 0), (2 * i, -1), "CENTER") for i in range(pairs))
    row_heights = [min_row_height] * len(data) if min_row_height else None
    return FastTable(data, colWidths=col_widths, style=TableStyle(cmds), minRowHeights=row_heights,
                 hAlign="CENTER")


@dataclass(frozen=True)
class Column:
    """A column of a data table: its header, a relative width and the alignment of its cells.
    A ``whole`` column (short figures such as "17 visit(s), 21 person-visit(s)") takes room from
    its neighbours to keep each cell on one line, as far as _fit_words allows."""

    title: str
    weight: float = 1.0
    align: Align = "left"
    whole: bool = False


def _fit_words(widths: list[float], columns: Sequence[Column], rows: list[list[str]],
               header_style: ParagraphStyle, size: float, pad: float) -> list[float]:
    """Column widths that break no English word ("Female", "Registration"): a column whose
    header or cells hold a Latin word (or, if ``whole``, a cell) wider than the column takes the
    room from columns with room to spare. Chinese text breaks between any two characters and
    changes nothing."""
    needs = []
    for i, c in enumerate(columns):
        need = latin_word_width(c.title, header_style.fontName, size)
        for row in rows:
            if c.whole:
                need = max(need, pdfmetrics.stringWidth(row[i], fonts.SONG, size))
            elif _HAS_LATIN.search(row[i]):
                need = max(need, latin_word_width(row[i], fonts.SONG, size))
        needs.append(need + 2 * pad + 1 if need else 0.0)
    extra = sum(max(0.0, n - w) for w, n in zip(widths, needs, strict=True))
    # A column gives at most a quarter of its width: its Chinese text needs room too.
    slack = [max(0.0, w - max(n, 0.75 * w)) for w, n in zip(widths, needs, strict=True)]
    if extra <= 0 or sum(slack) <= 0:
        return widths
    take = min(1.0, extra / sum(slack))  # share of the slack given away
    give = min(1.0, sum(slack) / extra)  # share of each column's shortfall met
    return [w + (n - w) * give if n > w else w - sl * take
            for w, n, sl in zip(widths, needs, slack, strict=True)]


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
    texts = [[str(v) for v in row] for row in rows]
    for row in texts:
        if len(row) != len(columns):
            raise ValueError(f"row has {len(row)} cells, the table {len(columns)} columns")
    col_widths = _fit_words(col_widths, columns, texts, header_style, size, pad)
    data: list[list[Any]] = [[_cell(c.title, header_style, w - 2 * pad)
                              for c, w in zip(columns, col_widths, strict=True)]]
    per_col = [(cell_styles[c.align], w - 2 * pad) for c, w in zip(columns, col_widths, strict=True)]
    for row in texts:
        data.append([_cell(v, st, avail) for v, (st, avail) in zip(row, per_col, strict=True)])
    cmds: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOUR),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, 0), header_style.fontName),
        ("FONTSIZE", (0, 0), (-1, 0), size),
        ("LEADING", (0, 0), (-1, 0), header_style.leading),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        # Top-aligned rows: a row split across pages keeps its 序号 on the first part.
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
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
    return FastTable(data, colWidths=col_widths, repeatRows=1 if repeat_header else 0,
                     splitByRow=1, splitInRow=1, style=TableStyle(cmds), hAlign="CENTER")


def info_line(pairs: Sequence[tuple[str, str]], style: ParagraphStyle | None = None) -> Paragraph:
    """A header line such as ``填报单位：花园镇信访工作站　　统计月份：2026年11月``."""
    text = "　　".join(_("{label}：{value}").format(label=label, value=value)
                     for label, value in pairs)
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


class Section(Flowable):
    """An invisible mark: a new document starts on this page (several 调解记录 in one PDF each
    count their own pages, "第 1 页 共 1 页"); ``numbered=False`` leaves the pages of the part
    without a page number (a 卷宗 cover). Put it first on its page, after a ``PageBreak``."""

    def __init__(self, numbered: bool = True) -> None:
        super().__init__()
        self.numbered = numbered

    def wrap(self, _avail_width: float, _avail_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        self.canv._pd_section = self.numbered  # read by NumberedCanvas.showPage


@dataclass(frozen=True)
class VoidMark:
    """A document of a record that was voided (作废, docs/domain.md §3.6): every page carries a
    large 作废 across it and, at the top, when and why."""

    note: str  # e.g. "本件已于2026年3月5日作废：重复登记（站长王站长确认）"
    word: str = ""  # the word across the page; "" = 作废 in the current language


VOID_RED = colors.Color(0.75, 0.05, 0.05)


def draw_void_mark(canvas: Canvas, mark: VoidMark) -> None:
    """The mark on the current page, over whatever is printed."""
    width, height = canvas._pagesize
    word = mark.word or _("作废")
    canvas.saveState()
    canvas.setFillColor(VOID_RED)
    canvas.setStrokeColor(VOID_RED)
    canvas.setFillAlpha(0.28)
    canvas.setStrokeAlpha(0.5)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(30)
    # about a third of the page across for 作废, whatever the page and the word
    size = min(width, height) * 0.44 / max(2, len(word))
    fonts.draw_string(canvas, 0, -size * 0.35, word, size, chain=fonts.TITLE, align="centre")
    box_w = fonts.string_width(word, size, fonts.TITLE) + size * 0.5
    canvas.setLineWidth(size * 0.06)
    canvas.roundRect(-box_w / 2, -size * 0.65, box_w, size * 1.3, size * 0.12, stroke=1, fill=0)
    canvas.restoreState()
    if mark.note:
        canvas.saveState()
        canvas.setFillColor(VOID_RED)
        fonts.draw_string(canvas, width / 2, height - 9 * mm, mark.note, 10.5,
                          chain=fonts.TITLE, align="centre")
        canvas.restoreState()


class NumberedCanvas(Canvas):
    """Holds every page until ``save`` so the footer can say "第 X 页 共 Y 页"; pages are counted
    per :class:`Section` when the story has any. With ``void`` every page is marked 作废."""

    def __init__(self, *args: Any, page_numbers: bool = True, footer_size: float = 10.5,
                 footer_y: float = 12 * mm, void: VoidMark | None = None,
                 **kwargs: Any) -> None:
        # Start on an embedded font: otherwise reportlab lists Helvetica (not embedded) in every
        # page's resources, which preflight and PDF/A checks reject.
        if not kwargs.get("initialFontName"):
            kwargs["initialFontName"] = fonts.register(fonts.SONG)
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._page_numbers = page_numbers
        self._void = void
        self._footer_size = footer_size
        self._footer_y = footer_y
        self._pd_section: bool | None = None

    def showPage(self) -> None:  # noqa: N802 - reportlab API
        self._pages.append(dict(self.__dict__))
        self._startPage()
        self._pd_section = None

    def _numbering(self) -> list[tuple[int, int, bool]]:
        """(page within its section, pages in the section, numbered) for every page."""
        starts = [i for i, st in enumerate(self._pages) if st.get("_pd_section") is not None]
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        out: list[tuple[int, int, bool]] = []
        for k, first in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else len(self._pages)
            flag = self._pages[first].get("_pd_section")
            numbered = True if flag is None else bool(flag)
            out.extend((i - first + 1, end - first, numbered) for i in range(first, end))
        return out

    def save(self) -> None:
        numbering = self._numbering()
        for state, (page, total, numbered) in zip(self._pages, numbering, strict=True):
            self.__dict__.update(state)
            if self._page_numbers and numbered:
                self._draw_page_number(page, total)
            if self._void is not None:
                draw_void_mark(self, self._void)
            super().showPage()
        super().save()

    def _draw_page_number(self, page: int, total: int) -> None:
        text = _("第 {page} 页 共 {pages} 页").format(page=page, pages=total)
        width = self._pagesize[0]
        fonts.draw_string(self, width / 2, self._footer_y, text, self._footer_size, align="centre")


#: ``progress(done, total)`` for the PDF being laid out (flowables placed of all); False asks to
#: stop. Set by :func:`reporting_progress` so that every document maker reports it without
#: each passing it down.
Progress = Callable[[int, int], bool | None]
_progress: contextvars.ContextVar[Progress | None] = contextvars.ContextVar("pdf_progress",
                                                                          default=None)


@contextlib.contextmanager
def reporting_progress(progress: Progress | None) -> Iterator[None]:
    """Inside the block, :func:`build_pdf` reports to ``progress`` and raises
    :class:`~storage.errors.Cancelled` when it answers False (a PDF being built is only
    bytes in memory: stopping it changes nothing)."""
    token = _progress.set(progress)
    try:
        yield
    finally:
        _progress.reset(token)


def _reportlab_callback(progress: Progress) -> Callable[[str, int], None]:
    total = 0

    def on_progress(kind: str, value: int) -> None:
        nonlocal total
        if kind == "SIZE_EST":
            total = value
        elif kind in ("PROGRESS", "PAGE") and progress(
                min(value, total) if kind == "PROGRESS" else 0, total) is False:
            raise Cancelled
    return on_progress


def build_pdf(story: Sequence[Flowable], *, spec: PageSpec = A4_PORTRAIT, title: str = "",
              author: str = "", subject: str = "", page_numbers: bool = True,
              templates: Sequence[PageTemplate] | None = None,
              on_page: PageHook | None = None, void: VoidMark | None = None) -> bytes:
    """Lay ``story`` out on ``spec`` pages and return the PDF bytes; ``void`` marks every page
    作废."""
    buf = BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=spec.size, leftMargin=spec.left, rightMargin=spec.right,
        topMargin=spec.top, bottomMargin=spec.bottom, title=title, author=author,
        subject=subject, creator=_("信访工作台"), lang="zh-CN",
        initialFontName=fonts.register(fonts.SONG))
    if templates is None:
        kw: dict[str, Any] = {"onPage": on_page} if on_page else {}
        templates = [PageTemplate(id="page", frames=[spec.frame()], pagesize=spec.size, **kw)]
    doc.addPageTemplates(list(templates))
    footer_y = min(12 * mm, spec.bottom / 2)
    progress = _progress.get()
    if progress is not None:
        doc.setProgressCallBack(_reportlab_callback(progress))
    doc.build(list(story), canvasmaker=partial(NumberedCanvas, page_numbers=page_numbers,
                                               footer_y=footer_y, void=void))
    return buf.getvalue()


def write_output(data: bytes, out: Output) -> None:
    """Write PDF bytes to a binary stream, or atomically to a path (``*.part`` then rename)."""
    if isinstance(out, str | os.PathLike):
        path = Path(out)
        part = path.with_name(path.name + ".part")
        try:
            with open_private(part) as f:  # a printout holds personal data: 0600
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(part, path)
        except BaseException:
            # a full disk or a refused rename leaves no half-written .pdf.part behind
            with contextlib.suppress(OSError):
                part.unlink(missing_ok=True)
            raise
    else:
        out.write(data)


def render(story: Sequence[Flowable], out: Output, **kw: Any) -> None:
    """:func:`build_pdf` then :func:`write_output`."""
    write_output(build_pdf(story, **kw), out)
