"""The parse of a shipped font kept between processes (printing/fontcache.py) is the parse."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from printing import fontcache, fonts


@pytest.mark.parametrize("font", fonts.EVERY_DOCUMENT)
def test_the_kept_parse_is_reportlabs_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            font: str) -> None:
    monkeypatch.setattr(fontcache, "CACHE_DIR", tmp_path)
    path = fonts.font_path(font)
    parsed = TTFont("T", str(path))
    first = fontcache.load("T", path)  # parses and keeps
    assert len(list(tmp_path.glob("*.marshal"))) == 1
    kept = fontcache.load("T", path)  # from the cache
    assert set(vars(kept)) == set(vars(parsed))
    assert (kept.fontName, kept.shapable, kept._asciiReadable) == (
        parsed.fontName, parsed.shapable, parsed._asciiReadable)
    for face in (first.face, kept.face):
        same = {k: v for k, v in vars(face).items() if k != "_pdfScale"}
        assert same == {k: v for k, v in vars(parsed.face).items() if k != "_pdfScale"}
        assert face._pdfScale(517) == parsed.face._pdfScale(517)
        assert type(face.name) is type(parsed.face.name)
        assert face.name.ustr == parsed.face.name.ustr
    chars = [ord(c) for c in "信访工作统计月报 2026年11月"]
    subset = [kept.face.charToGlyph.get(c, 0) and c for c in chars]
    assert kept.face.makeSubset(subset) == parsed.face.makeSubset(subset)
    assert kept.stringWidth("信访总量 123", 9) == parsed.stringWidth("信访总量 123", 9)


def test_a_damaged_cache_is_parsed_again(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fontcache, "CACHE_DIR", tmp_path)
    path = fonts.font_path(fonts.HEI)
    fontcache.load("T", path)
    (cached,) = tmp_path.glob("*.marshal")
    cached.write_bytes(b"\x00garbage")
    font = fontcache.load("T", path)
    assert font.face.charToGlyph == TTFont("T", str(path)).face.charToGlyph
    assert cached.read_bytes() != b"\x00garbage"  # kept again
