from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from printing import fonts, layout
from printing.layout import A4_LANDSCAPE, A4_PORTRAIT, Column, SealBlock
from storage import i18n
from tests.helpers.pdf import Pdf

LONG_PARAGRAPH = ("春明村一组二轮土地承包地被村组收回另行发包，吉𠮷户要求恢复承包经营权（见附件一），"
                  "并赔偿2026年8月10日以来的损失；村民小组称系经“村民代表会议”决定。") * 4


def test_chinese_dates() -> None:
    assert layout.chinese_date(date(2026, 11, 22)) == "2026年11月22日"
    assert layout.chinese_date(date(2027, 1, 5)) == "2027年1月5日"
    assert layout.chinese_month(2026, 11) == "2026年11月"


def test_dates_follow_the_language() -> None:
    try:
        i18n.set_language("en")
        assert layout.chinese_date(date(2026, 11, 22)) == "November 22, 2026"
    finally:
        i18n.set_language("zh_CN")


def test_portrait_type_area_is_28_characters_of_16pt() -> None:
    assert A4_PORTRAIT.left == pytest.approx(28 * 72 / 25.4)
    assert A4_PORTRAIT.frame_width == pytest.approx(28 * 16)
    assert 20 * 72 / 25.4 <= A4_PORTRAIT.right <= 26 * 72 / 25.4


def _lines(text: str, width: float) -> list[str]:
    p = layout.para(text, layout.styles().body)
    p.wrap(width, 10_000)
    out = []
    for line in p.blPara.lines:
        if isinstance(line, tuple | list):
            out.append("".join(line[1]))
        else:
            out.append("".join(getattr(w, "text", "") for w in line.words))
    return out


@pytest.mark.parametrize("width", range(150, 450, 7))
def test_line_breaks_respect_chinese_punctuation_rules(width: int) -> None:
    lines = _lines(LONG_PARAGRAPH, width)
    assert "".join(lines) == LONG_PARAGRAPH
    for before, after in zip(lines, lines[1:], strict=False):
        assert after[0] not in layout.CANNOT_START, (before, after)
        assert before[-1] not in layout.CANNOT_END, (before, after)
        assert not (before[-1].isdigit() and after[0] in layout.UNITS_AFTER_NUMBER), (before,
                                                                                      after)


def _render(story: list[object], **kw: object) -> Pdf:
    return Pdf(layout.build_pdf(story, **kw))  # type: ignore[arg-type]


def test_page_numbers_know_the_total() -> None:
    s = layout.styles()
    story = [*layout.title_block("测试文书", "〔2026〕花信测字第1号")]
    story += [layout.para(f"第{i}段。" + LONG_PARAGRAPH, s.body) for i in range(12)]
    pdf = _render(story)
    n = len(pdf.pages_text)
    assert n >= 3
    for i, text in enumerate(pdf.pages_text, start=1):
        assert f"第 {i} 页 共 {n} 页" in text
    assert "第 1 页 共 1 页" not in pdf.text


def test_text_stays_inside_the_type_area_and_never_overlaps() -> None:
    s = layout.styles()
    story = [*layout.title_block("关于吉𠮷信访事项的答复意见", "〔2026〕花信复字第5号")]
    story += [layout.para(LONG_PARAGRAPH, s.body) for _ in range(3)]
    story.append(layout.closing_with_seal([layout.para("特此告知。", s.closing)],
                                          "花园镇人民政府", date(2026, 11, 25)))
    pdf = _render(story)
    spec = A4_PORTRAIT
    height = spec.height
    for page in pdf.chars:
        body = [c for c in page if float(c["top"]) < height - spec.bottom]  # not the footer
        assert len(body) < len(page)
        for c in body:
            assert float(c["x0"]) >= spec.left - 0.5, c["text"]
            # hanging punctuation may use at most one character of the right margin
            assert float(c["x1"]) <= spec.width - spec.right + 16.5, c["text"]
            assert float(c["top"]) >= spec.top - 0.5
        boxes = sorted(((float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"]))
                        for c in page), key=lambda b: (b[1], b[0]))
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                if b[1] >= a[3] - 0.5:
                    break
                overlap_x = min(a[2], b[2]) - max(a[0], b[0])
                overlap_y = min(a[3], b[3]) - max(a[1], b[1])
                assert overlap_x <= 0.5 or overlap_y <= 0.5, (a, b)


def test_seal_block_sits_right_with_organ_over_date() -> None:
    pdf = _render([SealBlock("花园镇人民政府", date(2026, 11, 25))])
    chars = [c for c in pdf.chars[0] if float(c["top"]) < A4_PORTRAIT.height - A4_PORTRAIT.bottom]
    organ = [c for c in chars if c["text"] in "花园镇人民政府"]
    day = [c for c in chars if c["text"] in "2026年11月25日"]
    right_edge = A4_PORTRAIT.width - A4_PORTRAIT.right
    date_right = max(float(c["x1"]) for c in day)
    assert date_right == pytest.approx(right_edge - 4 * 16, abs=1)  # 右空四字
    organ_mid = (min(float(c["x0"]) for c in organ) + max(float(c["x1"]) for c in organ)) / 2
    date_mid = (min(float(c["x0"]) for c in day) + date_right) / 2
    assert organ_mid == pytest.approx(date_mid, abs=1)
    assert max(float(c["top"]) for c in organ) < min(float(c["top"]) for c in day)
    assert "2026年11月25日" in pdf.text


def _sheet(rows: int) -> Pdf:
    columns = [Column("序号", 0.5, "centre"), Column("村（社区）/网格", 1.2),
               Column("当事人", 1), Column("简要情况", 3), Column("化解状态", 0.8, "centre")]
    data = [[str(i + 1), "春明村/一组", "吉𠮷" if i % 50 == 0 else "王堃",
             f"R{i + 1:04d} " + ("邻里之间因宅基地界址发生争执，" * (1 + i % 3)), "化解中"]
            for i in range(rows)]
    story = layout.table_sheet(title="2026年11月矛盾纠纷排查表", columns=columns, rows=data,
                               info=[("填报单位", "花园镇信访工作站"), ("统计月份", "2026年11月")])
    return _render(story, spec=A4_LANDSCAPE)


@pytest.mark.slow
def test_long_table_repeats_its_header_and_keeps_every_row_once() -> None:
    pdf = _sheet(300)
    assert len(pdf.pages_text) >= 5
    width, height = pdf.page_sizes[0]
    assert width > height  # landscape
    found: list[int] = []
    for text in pdf.pages_text:
        flat = re.sub(r"\s+", "", text)
        assert "简要情况" in flat and "化解状态" in flat  # header row on every page
        found += [int(m) for m in re.findall(r"R(\d{4})", text)]
    assert found == list(range(1, 301))
    assert pdf.char_fonts("𠮷") == {"HanaMinA"}


def test_an_over_tall_cell_splits_instead_of_failing() -> None:
    columns = [Column("序号", 0.5), Column("简要情况", 4)]
    huge = "".join(f"第{i:03d}句，情况说明。" for i in range(600))
    story = layout.table_sheet(title="测试", columns=columns, rows=[["1", huge]])
    pdf = _render(story, spec=A4_LANDSCAPE)
    assert len(pdf.pages_text) >= 2
    assert pdf.flat_text.count("第599句") == 1 and pdf.flat_text.count("第000句") == 1
    first_column = [c for c in pdf.chars[0] if float(c["x0"]) < A4_LANDSCAPE.left + 30
                    and str(c["text"]).isdigit()]
    assert [c["text"] for c in first_column] == ["1"]  # the row number starts with its row


def test_short_cells_stay_plain_strings_long_or_rare_ones_wrap() -> None:
    table = layout.data_table([Column("甲"), Column("乙")], [["王堃", "吉𠮷"]], width=200)
    plain, rare = table._cellvalues[1]
    assert plain == "王堃"
    assert isinstance(rare, Paragraph)


def test_a_whole_column_keeps_its_figures_on_one_line() -> None:
    figures = "17 visit(s), 21 person-visit(s)"
    rows = [["Visits", figures, "Visits with enough people to count as collective visits"]]

    def widths(whole: bool) -> list[float]:
        columns = [Column("Item", 1.6), Column("Figures", 1.6, "right", whole=whole),
                   Column("Note", 3.2)]
        return list(layout.data_table(columns, rows, width=480, size=9)._colWidths)

    needed = pdfmetrics.stringWidth(figures, fonts.SONG, 9) + 2 * 3.0
    plain, whole = widths(False), widths(True)
    assert plain[1] < needed <= whole[1]  # without the flag it wraps; with it, one line
    assert sum(whole) == pytest.approx(480)


def test_field_grid_rejects_too_many_fields() -> None:
    f = layout.Field("甲", "1")
    with pytest.raises(ValueError, match="1..2"):
        layout.field_grid([[f, f, f]], width=400)


def test_write_output_to_stream_and_atomically_to_path(tmp_path: Path) -> None:
    data = layout.build_pdf([layout.para("内容", layout.styles().body)])
    buf = io.BytesIO()
    layout.write_output(data, buf)
    assert buf.getvalue() == data
    target = tmp_path / "out.pdf"
    layout.render([layout.para("内容", layout.styles().body)], target)
    assert target.read_bytes().startswith(b"%PDF")
    assert not list(tmp_path.glob("*.part"))


def test_no_unembedded_font_is_referenced() -> None:
    pdf = _render([layout.para("内容吉𠮷", layout.styles().body)])
    assert pdf.fonts and all(f.has_font_file and f.is_subset for f in pdf.fonts)
    assert pdf.families() == {"UMingCN", "HanaMinA"}
    assert fonts.is_registered(fonts.SONG)


def test_the_seal_circle_stays_clear_of_the_text_above() -> None:
    s = layout.styles()
    story = [layout.closing_with_seal([layout.para(LONG_PARAGRAPH, s.body)], "花园镇人民政府",
                                      date(2026, 11, 25))]
    data = layout.build_pdf(story)
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as doc:
        page = doc.pages[0]
        circle_top = min(float(c["top"]) for c in page.curves)
        organ_top = float(next(c for c in page.chars if c["text"] == "府")["top"])
        body_bottom = max(float(c["bottom"]) for c in page.chars
                          if float(c["top"]) < organ_top - 20)  # every line above the 落款
    assert organ_top > circle_top
    assert circle_top >= body_bottom  # the seal does not cover the text
    assert circle_top - body_bottom <= 16 * 1.75  # but comes within a line of it (GB/T 9704)
