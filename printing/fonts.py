"""The shipped CJK fonts, registered with reportlab lazily, and per-character-run fallback.

A fresh machine has no Chinese font, so every PDF embeds (as subsets) the fonts shipped in
``assets/fonts/``: AR PL UMing (Song/Ming, body), WenQuanYi Micro Hei (Hei, titles) and
Hanazono Mincho A/B for the rare characters the first two lack (``𠮷`` U+20BB7 and other Ext-B).

Text goes through :func:`split_runs`: each character is set in the first font of a *chain* that
has a glyph for it, so ``吉𠮷`` prints as ``吉`` in UMing and ``𠮷`` in HanaMinA instead of a blank
box. Which font covers which characters is read once per process from each font's cmap with
fontTools (a frozenset of code points); a font is registered with reportlab (which parses the
whole file) only when a run first needs it, so documents without rare characters never load the
50 MB of Hanazono.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from printing import fontcache

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"

SONG = "PD-Song"
HEI = "PD-Hei"
HANAMIN_A = "PD-HanaMinA"
HANAMIN_B = "PD-HanaMinB"

FONT_FILES: dict[str, str] = {
    SONG: "uming-cn.ttf",
    HEI: "wqy-microhei.ttf",
    HANAMIN_A: "HanaMinA.ttf",
    HANAMIN_B: "HanaMinB.ttf",
}

Chain = tuple[str, ...]
#: Body text: Song first, then the two Hanazono files for rare characters.
BODY: Chain = (SONG, HANAMIN_A, HANAMIN_B)
#: Titles and headings: Hei first; a character Hei lacks falls back to Song before Hanazono.
TITLE: Chain = (HEI, SONG, HANAMIN_A, HANAMIN_B)

_lock = threading.RLock()
_coverage: dict[str, frozenset[int]] = {}
_registered: set[str] = set()
_em_spaces: dict[str, str] = {}

# Zero-width joiners, variation selectors and combining marks stay with the preceding run.
_ATTACHING = frozenset({0x200C, 0x200D}) | frozenset(range(0xFE00, 0xFE10)) | frozenset(
    range(0xE0100, 0xE01F0))
_IGNORED = frozenset("\n\r\t")


def font_path(font: str) -> Path:
    """The file behind a registered font name (``SONG``, ``HEI``, ``HANAMIN_A``, ``HANAMIN_B``)."""
    try:
        return FONT_DIR / FONT_FILES[font]
    except KeyError:
        raise ValueError(f"unknown font {font!r}") from None


#: The fonts every document sets text in: their coverage is read from reportlab's own parse of
#: the file (which registering them does anyway), not parsed a second time with fontTools.
EVERY_DOCUMENT: Chain = (SONG, HEI)


def coverage(font: str) -> frozenset[int]:
    """The code points ``font`` has a glyph for (its best cmap), read once per process."""
    cached = _coverage.get(font)
    if cached is not None:
        return cached
    with _lock:
        cached = _coverage.get(font)
        if cached is None:
            cached = _read_coverage(font)
            _coverage[font] = cached
        return cached


def _read_coverage(font: str) -> frozenset[int]:
    if font in EVERY_DOCUMENT:
        return reportlab_coverage(register(font))
    # a fallback font (Hanazono) is looked up without registering it: reportlab would parse
    # the whole 20-30 MB file, fontTools reads only its cmap
    return fonttools_coverage(font)


def reportlab_coverage(font: str) -> frozenset[int]:
    """The code points of the registered ``font`` by reportlab's parse of its cmap: those
    mapped to a glyph other than .notdef (reportlab keeps a format-4 segment's unmapped code
    points as glyph 0; fontTools' best cmap leaves them out)."""
    cmap: dict[int, int] = pdfmetrics.getFont(font).face.charToGlyph
    return frozenset(cp for cp, glyph in cmap.items() if glyph)


def fonttools_coverage(font: str) -> frozenset[int]:
    """The code points of ``font``'s best cmap as fontTools reads it."""
    from fontTools.ttLib import TTFont as FontToolsFont  # only for the Hanazono fallbacks

    tt = FontToolsFont(str(font_path(font)), lazy=True)
    try:
        return frozenset(tt.getBestCmap() or {})
    finally:
        tt.close()


def register(font: str) -> str:
    """Register ``font`` with reportlab (once per process) and return its name."""
    if font in _registered:
        return font
    with _lock:
        if font not in _registered:
            # the two every document uses from the parse kept between processes; the
            # Hanazono fallbacks (rarely needed, 50 MB) parsed when a run needs them
            pdfmetrics.registerFont(fontcache.load(font, font_path(font))
                                    if font in EVERY_DOCUMENT
                                    else TTFont(font, str(font_path(font))))
            _registered.add(font)
    return font


def warm_up(chain: Sequence[str] = (SONG, HEI)) -> None:
    """Read the cmaps of and register the fonts every document uses, e.g. from a worker
    thread at start-up, so that the first printout does not pay for it (about 0.5 s)."""
    for font in chain:
        coverage(font)
        register(font)


def is_registered(font: str) -> bool:
    return font in _registered


def _is_attaching(ch: str) -> bool:
    cp = ord(ch)
    return cp in _ATTACHING or unicodedata.category(ch) in ("Mn", "Me")


def font_for(ch: str, chain: Sequence[str] = BODY) -> str | None:
    """The first font of ``chain`` that has a glyph for ``ch``, or None if none has."""
    cp = ord(ch)
    for font in chain:
        if cp in coverage(font):
            return font
    return None


def split_runs(text: str, chain: Sequence[str] = BODY) -> list[tuple[str, str]]:
    """Split ``text`` into ``(font, run)`` pairs, each run set in the first font of ``chain``
    that covers its characters. Fonts that are used get registered with reportlab.

    A character no font has stays in the chain's first font (it will print as that font's
    "missing" glyph; :func:`missing_glyphs` finds such characters before printing).
    """
    runs: list[tuple[str, str]] = []
    current_font: str | None = None
    current: list[str] = []
    primary = coverage(chain[0])
    for ch in text:
        if current_font is not None and ord(ch) >= 0x300 and _is_attaching(ch):
            font = current_font
        elif ord(ch) in primary or ch in _IGNORED:
            font = chain[0]
        else:
            font = font_for(ch, chain) or chain[0]
        if font != current_font:
            if current:
                runs.append((current_font or chain[0], "".join(current)))
            current_font, current = font, []
        current.append(ch)
    if current:
        runs.append((current_font or chain[0], "".join(current)))
    for font in {f for f, _ in runs}:
        register(font)
    return runs


def _ideographic_space(font: str) -> str:
    """reportlab collapses U+3000 like any white space, which destroys blanks such as
    ``　　年　　月　　日``; no-break spaces survive, so one ideographic space becomes as many
    no-break spaces of ``font`` as make up one em."""
    cached = _em_spaces.get(font)
    if cached is None:
        nbsp = pdfmetrics.stringWidth("\xa0", font, 1000)
        cached = "\xa0" * max(1, round(1000 / nbsp)) if nbsp > 0 else "\xa0\xa0"
        _em_spaces[font] = cached
    return cached


def markup(text: str, chain: Sequence[str] = BODY) -> str:
    """reportlab Paragraph markup for ``text``: XML-escaped, every run wrapped in
    ``<font name="...">``, line breaks as ``<br/>``, ideographic spaces kept."""
    parts = []
    for font, run in split_runs(text, chain):
        escaped = escape(run).replace("\r\n", "\n").replace("\n", "<br/>")
        if "\u3000" in escaped:
            escaped = escaped.replace("\u3000", _ideographic_space(font))
        parts.append(f'<font name="{font}">{escaped}</font>')
    return "".join(parts)


def missing_glyphs(text: str, chain: Sequence[str] = BODY) -> set[str]:
    """Characters of ``text`` that no font of ``chain`` has a glyph for (whitespace control
    characters excluded)."""
    return {ch for ch in set(text) if ch not in _IGNORED and font_for(ch, chain) is None
            and not _is_attaching(ch)}


def string_width(text: str, size: float, chain: Sequence[str] = BODY) -> float:
    """Width in points of ``text`` set at ``size`` with per-run fallback."""
    return sum(pdfmetrics.stringWidth(run, font, size) for font, run in split_runs(text, chain))


def draw_string(canvas: Canvas, x: float, y: float, text: str, size: float,
                chain: Sequence[str] = BODY,
                align: Literal["left", "centre", "right"] = "left") -> float:
    """Draw one line of ``text`` on ``canvas`` with per-run fallback; returns its width.

    ``align`` says what ``x`` is: the left end, the centre or the right end of the line.
    """
    runs = split_runs(text, chain)
    widths = [pdfmetrics.stringWidth(run, font, size) for font, run in runs]
    total = sum(widths)
    if align == "centre":
        x -= total / 2
    elif align == "right":
        x -= total
    for (font, run), width in zip(runs, widths, strict=True):
        canvas.setFont(font, size)
        canvas.drawString(x, y, run)
        x += width
    return total


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode CMap writes code points as 4 hex digits, so ``𠮷`` (U+20BB7) comes
    out as ``<20BB7>`` and text extraction, search and copy yield ``₻`` (U+20BB). The CMap
    destination must be UTF-16BE: here characters outside the BMP become surrogate pairs."""
    def utf16(cp: int) -> str:
        return chr(cp).encode("utf-16-be", "surrogatepass").hex().upper() if cp else "0000"

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(cp)}>" for i, cp in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


# Installed at import: the fix only changes the ToUnicode stream of subsets with non-BMP
# characters; BMP entries are byte-for-byte what reportlab writes.
ttfonts.makeToUnicodeCMap = _to_unicode_cmap
