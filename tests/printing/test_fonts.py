from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from printing import fonts, layout
from tests.helpers.pdf import Pdf
from tests.helpers.print_samples import RARE_NAMES

ROOT = Path(__file__).resolve().parents[2]
ONLY_IN_HANAMIN_B = "\U00020001"  # 𠀁: Ext-B, absent from UMing, Micro Hei and HanaMinA


def test_shipped_fonts_cover_what_the_fallback_relies_on() -> None:
    song, hei = fonts.coverage(fonts.SONG), fonts.coverage(fonts.HEI)
    a, b = fonts.coverage(fonts.HANAMIN_A), fonts.coverage(fonts.HANAMIN_B)
    assert 0x20BB7 not in song and 0x20BB7 not in hei  # 𠮷: why a fallback is needed
    assert 0x20BB7 in a
    assert 0x4DAE not in hei and 0x4DAE in song  # 䶮 (Ext-A): Hei titles fall back to Song
    assert ord(ONLY_IN_HANAMIN_B) in b and ord(ONLY_IN_HANAMIN_B) not in a | song


def test_split_runs_picks_the_first_font_with_the_glyph() -> None:
    assert fonts.split_runs("吉𠮷先生") == [
        (fonts.SONG, "吉"), (fonts.HANAMIN_A, "𠮷"), (fonts.SONG, "先生")]
    assert fonts.split_runs("刘䶮", fonts.TITLE) == [(fonts.HEI, "刘"), (fonts.SONG, "䶮")]
    assert fonts.split_runs("王" + ONLY_IN_HANAMIN_B) == [
        (fonts.SONG, "王"), (fonts.HANAMIN_B, ONLY_IN_HANAMIN_B)]
    assert fonts.split_runs("") == []


def test_variation_selector_stays_with_its_base_character() -> None:
    assert fonts.split_runs("吉𠮷\U000E0100王") == [
        (fonts.SONG, "吉"), (fonts.HANAMIN_A, "𠮷\U000E0100"), (fonts.SONG, "王")]


@pytest.mark.parametrize("name", RARE_NAMES)
def test_every_rare_name_has_a_glyph(name: str) -> None:
    assert fonts.missing_glyphs(name) == set()
    assert fonts.missing_glyphs(name, fonts.TITLE) == set()


def test_missing_glyphs_reports_what_no_font_has() -> None:
    unassigned = "\u0378"
    assert fonts.missing_glyphs(f"王{unassigned}\n") == {unassigned}


def test_markup_escapes_and_tags_every_run() -> None:
    out = fonts.markup("<b>张&𠮷</b>\n下一行")
    assert "<b>" not in out and "&lt;b&gt;" in out and "&amp;" in out
    assert f'<font name="{fonts.HANAMIN_A}">𠮷</font>' in out
    assert "<br/>" in out
    Paragraph(out, layout.styles().body)  # parses


def _line_width(text: str) -> float:
    p = Paragraph(fonts.markup(text), layout.styles().small)
    p.wrap(500, 100)
    return float(p.getActualLineWidths0()[0])


def test_ideographic_spaces_survive_paragraph_layout() -> None:
    """reportlab collapses U+3000 like any white space; blanks such as 年　　月 must stay."""
    size = layout.styles().small.fontSize
    assert _line_width("年\u3000\u3000月") - _line_width("年月") == pytest.approx(2 * size,
                                                                               rel=0.05)


def test_string_width_and_draw_string_use_the_fallback() -> None:
    assert fonts.string_width("吉𠮷", 10) == pytest.approx(20, rel=0.05)
    buf = io.BytesIO()
    c = Canvas(buf)
    width = fonts.draw_string(c, 300, 400, "吉𠮷", 12, align="centre")
    c.save()
    pdf = Pdf(buf.getvalue())
    assert width == pytest.approx(24, rel=0.05)
    assert pdf.char_fonts("𠮷") == {"HanaMinA"}
    xs = sorted(float(ch["x0"]) for ch in pdf.chars[0])
    assert xs[0] == pytest.approx(300 - width / 2, abs=0.5)


def test_supplementary_characters_extract_as_themselves() -> None:
    """reportlab writes U+20BB7 into ToUnicode as <20BB7>, which reads back as U+20BB ₻;
    the fix writes the UTF-16 surrogate pair."""
    buf = io.BytesIO()
    c = Canvas(buf)
    fonts.draw_string(c, 72, 700, "吉𠮷" + ONLY_IN_HANAMIN_B, 14)
    c.save()
    text = Pdf(buf.getvalue()).text
    assert "吉𠮷" + ONLY_IN_HANAMIN_B in text
    assert "\u20bb" not in text


def test_fallback_fonts_are_registered_only_when_needed() -> None:
    script = f"""
import json, sys
sys.path.insert(0, {str(ROOT)!r})
from printing import fonts
fonts.markup("王堃 张喆 李赟 陈玥 刘䶮")
step1 = [fonts.is_registered(f) for f in (fonts.SONG, fonts.HANAMIN_A, fonts.HANAMIN_B)]
fonts.markup("吉𠮷")
step2 = [fonts.is_registered(f) for f in (fonts.SONG, fonts.HANAMIN_A, fonts.HANAMIN_B)]
print(json.dumps([step1, step2, "PySide6" in sys.modules]))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    step1, step2, qt_loaded = json.loads(out.stdout)
    assert step1 == [True, False, False]
    assert step2 == [True, True, False]
    assert qt_loaded is False


def test_printing_never_loads_qt() -> None:
    script = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import printing.fonts, printing.layout, printing.receipt, printing.notices, storage.masking
print(sorted(m for m in sys.modules if m.startswith(("PySide6", "ui"))))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_every_text_constant_in_printing_has_glyphs() -> None:
    """Labels, notes and punctuation written into the renderers must print in the shipped fonts
    (Song for the body, Hei for titles and labels)."""
    import ast

    texts = []
    for path in sorted((ROOT / "printing").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        texts += [node.value for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and any(ord(ch) > 0x2000 for ch in node.value)]
    assert len(texts) > 50
    for text in texts:
        assert fonts.missing_glyphs(text, fonts.BODY) == set(), text
        assert fonts.missing_glyphs(text, fonts.TITLE) == set(), text


@pytest.mark.parametrize("font", fonts.EVERY_DOCUMENT)
def test_coverage_read_from_reportlab_is_the_best_cmap(font: str) -> None:
    # the fonts every document uses take their coverage from reportlab's parse (one parse of
    # the file, not two): the same code points fontTools' best cmap has
    assert fonts.coverage(font) == fonts.fonttools_coverage(font)
    assert fonts.is_registered(font)
