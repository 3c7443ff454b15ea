"""Reading printed PDFs back: text, embedded fonts and which glyph each character got."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pdfplumber
import pypdf
from fontTools.ttLib import TTFont

from printing import fonts

#: PostScript names of the shipped fonts, as they appear after the subset tag.
BASE_NAMES = {
    "UMingCN": fonts.SONG,
    "WenQuanYiMicroHei": fonts.HEI,
    "HanaMinA": fonts.HANAMIN_A,
    "HanaMinB": fonts.HANAMIN_B,
}
_SUBSET = re.compile(r"^[A-Z]{6}\+(.+)$")
_BFCHAR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


@dataclass(frozen=True)
class EmbeddedFont:
    base_font: str  # e.g. AAAAAA+UMingCN
    has_font_file: bool
    # character → whether the subset's glyph for it has an outline
    glyphs: dict[str, bool]

    @property
    def family(self) -> str:
        m = _SUBSET.match(self.base_font)
        return m.group(1) if m else self.base_font

    @property
    def is_subset(self) -> bool:
        return bool(_SUBSET.match(self.base_font))


def _to_unicode(data: bytes) -> dict[int, str]:
    text = data.decode("latin-1")
    body = text[text.find("beginbfchar"):text.find("endbfchar")]
    out: dict[int, str] = {}
    for code, dst in _BFCHAR.findall(body):
        if int(dst, 16):
            out[int(code, 16)] = bytes.fromhex(dst).decode("utf-16-be", "surrogatepass")
    return out


def _glyphs(font_file: bytes, to_unicode: dict[int, str]) -> dict[str, bool]:
    tt = TTFont(io.BytesIO(font_file))
    cmap = {}
    for table in tt["cmap"].tables:
        cmap.update(table.cmap)
    glyf = tt["glyf"]
    out: dict[str, bool] = {}
    for code, ch in to_unicode.items():
        name = cmap.get(code)
        if name is None:
            out[ch] = False
            continue
        glyph = glyf[name]
        out[ch] = ch.isspace() or glyph.numberOfContours != 0
    return out


class Pdf:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.reader = pypdf.PdfReader(io.BytesIO(data))

    @cached_property
    def pages_text(self) -> list[str]:
        with pdfplumber.open(io.BytesIO(self.data)) as pdf:
            return [page.extract_text() or "" for page in pdf.pages]

    @property
    def text(self) -> str:
        return "\n".join(self.pages_text)

    @property
    def flat_text(self) -> str:
        """All text without white space, for phrases that may wrap."""
        return re.sub(r"\s+", "", self.text)

    @cached_property
    def chars(self) -> list[list[dict[str, Any]]]:
        with pdfplumber.open(io.BytesIO(self.data)) as pdf:
            return [[dict(c) for c in page.chars] for page in pdf.pages]

    @cached_property
    def page_sizes(self) -> list[tuple[float, float]]:
        return [(float(p.mediabox.width), float(p.mediabox.height)) for p in self.reader.pages]

    @cached_property
    def fonts(self) -> list[EmbeddedFont]:
        seen: dict[str, EmbeddedFont] = {}
        for page in self.reader.pages:
            resources: Any = page["/Resources"]
            for ref in resources.get("/Font", {}).values():
                font = ref.get_object()
                base = str(font["/BaseFont"]).lstrip("/")
                if base in seen:
                    continue
                desc_ref = font.get("/FontDescriptor")
                desc: Any = desc_ref.get_object() if desc_ref is not None else None
                has_file = desc is not None and "/FontFile2" in desc
                glyphs: dict[str, bool] = {}
                if desc is not None and has_file and "/ToUnicode" in font:
                    glyphs = _glyphs(desc["/FontFile2"].get_object().get_data(),
                                     _to_unicode(font["/ToUnicode"].get_object().get_data()))
                seen[base] = EmbeddedFont(base, has_file, glyphs)
        return list(seen.values())

    def families(self) -> set[str]:
        return {f.family for f in self.fonts}

    def glyph_fonts(self, ch: str) -> set[str]:
        """Families of the embedded subsets that hold an outline glyph for ``ch``."""
        return {f.family for f in self.fonts if f.glyphs.get(ch)}

    def char_fonts(self, ch: str) -> set[str]:
        """Families the page content actually sets ``ch`` in (pdfplumber's view)."""
        out = set()
        for page in self.chars:
            for c in page:
                if c["text"] == ch:
                    m = _SUBSET.match(str(c["fontname"]))
                    out.add(m.group(1) if m else str(c["fontname"]))
        return out
