"""Every document rendered from sample data and read back: text, fonts, glyphs, masking."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from reportlab.lib.pagesizes import A4

from printing import notices
from printing.models import PetitionerInfo
from printing.receipt import SUMMARY_LIMIT, render_receipt
from storage.errors import ValidationError
from storage.masking import NO_MASKING, MaskPolicy
from tests.helpers import print_samples as samples
from tests.helpers.pdf import Pdf

Renderer = Callable[[Any, Any], None]


def render(renderer: Renderer, data: object) -> Pdf:
    buf = io.BytesIO()
    renderer(data, buf)
    return Pdf(buf.getvalue())


DOCUMENTS: dict[str, tuple[Renderer, Callable[[], object], list[str]]] = {
    "receipt": (render_receipt, samples.receipt, [
        "信访事项登记回执", "存根", "信访人联", "320508102000-2026-00012", "7F3K92QD",
        "2026年11月20日09:35", "花园镇信访工作站", "来访", "本站将审查是否受理，并书面告知您",
        "2026年12月7日前", "0512-66881234", "李文静", "沿此线剪开"]),
    "acceptance": (notices.render_acceptance_notice, samples.acceptance, [
        "信访事项受理告知书", "〔2026〕花信受字第12号", "吉𠮷：",
        "你于2026年11月20日通过来访方式反映春明村一组二轮土地承包地被村组收回另行发包的问题",
        "本机关已于2026年11月24日受理该信访事项，交由花园镇农业农村服务中心具体办理",
        "自受理之日起60日内办结，即于2027年1月25日前作出书面处理意见", "不超过30日",
        "查询码（7F3K92QD）", "0512-66881234", "特此告知", "花园镇人民政府", "2026年11月25日"]),
    "rejection": (notices.render_rejection_notice, samples.rejection, [
        "不予受理信访事项告知书", "〔2026〕花信不受字第3号", "吉𠮷、刘䶮：",
        "你们于2026年11月20日通过来访方式反映苏州某机械厂拖欠2026年6月至9月工资的问题",
        "经审查，你们反映的事项属于劳动争议", "依据《信访工作条例》第三十一条第（二）项的规定",
        "本机关对该信访事项不予受理",
        "请你们依法向苏州市姑苏区劳动人事争议仲裁委员会申请劳动争议仲裁。",
        "时效期间为一年", "花园镇人民政府"]),
    "no_further": (notices.render_no_further_acceptance_notice, samples.no_further, [
        "不再受理信访事项告知书", "〔2026〕花信不再受字第1号",
        "已经苏州市人民政府信访局于2026年8月10日作出复核意见（苏信复核〔2026〕17号）",
        "仍以同一事实和理由提出投诉请求", "第三十六条第三款", "本机关不再受理",
        "如有新的事实和理由"]),
    "extension": (notices.render_extension_notice, samples.extension, [
        "延期办理信访事项告知书", "本机关已于2026年9月1日受理，原定于2026年10月31日前办结",
        "情况复杂", "经本机关负责人批准", "第三十四条", "办理期限延长30日，至2026年11月30日前办结"]),
    "reply": (notices.render_reply_opinion, samples.reply, [
        "关于吉𠮷、张喆信访事项的答复意见", "〔2026〕花信复字第5号",
        "信访人：吉𠮷，公民身份号码：110105********002X，住址：花园镇春明村一组8号，"
        "联系电话：138****5678。",
        "一、受理情况", "向吴中区信访局反映", "吴中区信访局于2026年8月28日转送本机关",
        "本机关于2026年9月1日依法受理", "你们的诉求是：", "（一）要求恢复1.8亩水田的承包经营权；",
        "二、调查核实情况及处理意见", "经调查核实：2026年3月",
        "（一）关于“要求恢复1.8亩水田的承包经营权”的诉求", "本机关对该项诉求予以支持",
        "本机关对该项诉求作出解释说明", "本机关对该项诉求不予支持", "三、复查权利告知",
        "可以自收到本答复意见书之日起30日内，向苏州市吴中区人民政府书面提出复查请求",
        "抄送：吴中区信访局，花园镇农业农村服务中心。", "花园镇人民政府"]),
}


@pytest.fixture(scope="module", params=list(DOCUMENTS))
def document(request: pytest.FixtureRequest) -> tuple[str, Pdf, object]:
    renderer, factory, _ = DOCUMENTS[request.param]
    data = factory()
    return request.param, render(renderer, data), data


def _names(data: object) -> list[str]:
    if hasattr(data, "petitioners"):
        return [p.name for p in data.petitioners]
    return [data.petitioner.name]  # type: ignore[attr-defined]


def test_expected_text_is_present(document: tuple[str, Pdf, object]) -> None:
    name, pdf, _data = document
    for phrase in DOCUMENTS[name][2]:
        assert phrase.replace(" ", "") in pdf.flat_text, phrase


def test_fonts_are_embedded_subsets(document: tuple[str, Pdf, object]) -> None:
    _name, pdf, _data = document
    assert pdf.fonts
    for font in pdf.fonts:
        assert font.has_font_file, font.base_font  # /FontFile2: the TrueType program is inside
        assert font.is_subset, font.base_font  # ABCDEF+Name: a subset, not the 20 MB file
    # Song body, Hei title, HanaMinA for 𠮷; never a font the reader must supply
    assert pdf.families() == {"UMingCN", "WenQuanYiMicroHei", "HanaMinA"}


def test_every_character_of_every_name_has_an_embedded_glyph(
        document: tuple[str, Pdf, object]) -> None:
    _name, pdf, data = document
    for person in _names(data):
        assert person in pdf.text
        for ch in person:
            used = pdf.char_fonts(ch)
            assert used, ch
            # each font the page sets the character in carries an outline for it
            assert used <= pdf.glyph_fonts(ch), (ch, used, pdf.glyph_fonts(ch))
    assert pdf.char_fonts("𠮷") == {"HanaMinA"}


def test_id_numbers_and_phones_are_masked(document: tuple[str, Pdf, object]) -> None:
    _name, pdf, data = document
    flat = pdf.flat_text
    people: Any = data.petitioners if hasattr(data, "petitioners") \
        else [data.petitioner]  # type: ignore[attr-defined]
    for p in people:
        if p.id_number:
            assert p.id_number not in flat
        if p.phone:
            assert p.phone not in flat and p.phone.replace("-", "") not in flat


def test_receipt_and_reply_print_the_masked_forms() -> None:
    assert "110105********002X" in render(render_receipt, samples.receipt()).flat_text
    reply = render(notices.render_reply_opinion, samples.reply()).flat_text
    assert "110105********002X" in reply and "139****5678" in reply


def test_masking_is_a_setting() -> None:
    full = render(render_receipt, samples.receipt(policy=NO_MASKING)).flat_text
    assert samples.ID_NUMBER in full and samples.MOBILE in full
    names = render(render_receipt, samples.receipt(policy=MaskPolicy(names=True))).flat_text
    assert "吉*" in names and "吉𠮷" not in names


@pytest.mark.parametrize("name", samples.RARE_NAMES)
def test_rare_names_print_on_the_receipt(name: str) -> None:
    pdf = render(render_receipt, samples.receipt(name=name))
    assert pdf.text.count(name) == 2  # stub and petitioner's copy
    for ch in name:
        assert pdf.char_fonts(ch) <= pdf.glyph_fonts(ch) and pdf.char_fonts(ch)


def test_a_receipt_without_rare_characters_embeds_no_fallback_font() -> None:
    pdf = render(render_receipt, samples.receipt(name="王堃"))
    assert pdf.families() == {"UMingCN", "WenQuanYiMicroHei"}


def test_a_character_only_hanamin_b_has_embeds_hanamin_b() -> None:
    rare = "王\U00020001"
    pdf = render(render_receipt, samples.receipt(name=rare))
    assert pdf.char_fonts("\U00020001") == {"HanaMinB"}
    assert "HanaMinB" in pdf.glyph_fonts("\U00020001")
    assert rare in pdf.text


# ---------------------------------------------------------------------------------------------
# Receipt layout


def test_receipt_is_one_page_cut_in_two() -> None:
    pdf = render(render_receipt, samples.receipt())
    assert len(pdf.pages_text) == 1
    mid = A4[1] / 2
    chars = pdf.chars[0]
    titles = [c for c in chars if c["text"] == "执"  # last character of 信访事项登记回执
              and str(c["fontname"]).endswith("WenQuanYiMicroHei")]
    assert len(titles) == 2
    assert float(titles[0]["top"]) < mid < float(titles[1]["top"])
    near_cut = {c["text"] for c in chars if abs(float(c["top"]) - mid) < 20}
    assert near_cut == set("沿此线剪开")  # nothing but the cut line's label near the cut
    stub = "".join(str(c["text"]) for c in chars if float(c["top"]) < mid)
    copy = "".join(str(c["text"]) for c in chars if float(c["top"]) > mid)
    assert "存根" in stub and "信访人签收" in stub and "信访人联" not in stub
    assert "信访人联" in copy and "盖章处" in copy and "存根" not in copy


def test_receipt_shortens_a_long_summary_but_stays_on_one_page() -> None:
    long = "".join(f"第{i:02d}条情况，" for i in range(1, 61))  # 420 characters
    assert len(long) > SUMMARY_LIMIT
    pdf = render(render_receipt, samples.receipt(summary=long))
    assert len(pdf.pages_text) == 1
    flat = pdf.flat_text
    assert flat.count("第01条情况") == 2 and flat.count("……") == 2
    assert "第60条情况" not in flat  # the register keeps the full text, the receipt a summary


def test_receipt_for_a_group_visit() -> None:
    pdf = render(render_receipt, samples.receipt(people=3))
    assert "吉𠮷等3人" in pdf.flat_text


def test_receipt_without_id_or_phone_prints_a_dash() -> None:
    data = samples.receipt(petitioner=PetitionerInfo("陈玥"))
    flat = render(render_receipt, data).flat_text
    assert "证件号码—联系电话—" in flat


# ---------------------------------------------------------------------------------------------
# Notices


def test_document_number() -> None:
    assert notices.document_number(2026, 12, "花信受字") == "〔2026〕花信受字第12号"


def test_matter_phrase_is_not_doubled() -> None:
    data = samples.acceptance(summary="村道硬化工程质量问题。")
    flat = render(notices.render_acceptance_notice, data).flat_text
    assert "反映村道硬化工程质量问题（信访件编号" in flat
    assert "问题的问题" not in flat


def test_acceptance_without_query_code_gives_the_phone() -> None:
    flat = render(notices.render_acceptance_notice, samples.acceptance(query_code="")).flat_text
    assert "查询码" not in flat
    assert "三、你可以拨打0512-66881234咨询办理进度。" in flat


def test_reply_received_directly() -> None:
    data = samples.reply(1, forwarded_by="", forwarded_on=None, copies_to=())
    flat = render(notices.render_reply_opinion, data).flat_text
    assert "通过来访方式反映" in flat and "转送本机关" not in flat
    assert "抄送" not in flat
    assert "本机关于2026年9月1日依法受理" in flat


def test_long_reply_paginates_and_ends_with_the_seal() -> None:
    data = samples.reply(findings="\n".join([samples.FINDINGS] * 4))
    pdf = render(notices.render_reply_opinion, data)
    n = len(pdf.pages_text)
    assert n >= 2
    flat_pages = ["".join(t.split()) for t in pdf.pages_text]
    assert "第1页共" + str(n) + "页" in flat_pages[0]
    assert f"第{n}页共{n}页" in flat_pages[-1]
    last = flat_pages[-1]
    assert "三、复查权利告知" in last and "花园镇人民政府" in last and "抄送" in last
    assert "花园镇人民政府" not in "".join(flat_pages[:-1])


@pytest.mark.parametrize(("factory", "changes", "field"), [
    (samples.extension, {"extension_days": 31}, "extension_days"),
    (samples.extension, {"extension_days": 0}, "extension_days"),
    (samples.acceptance, {"petitioners": ()}, "petitioners"),
    (samples.reply, {"items": ()}, "items"),
])
def test_invalid_notices_are_refused(factory: Callable[..., object], changes: dict[str, object],
                                     field: str) -> None:
    with pytest.raises(ValidationError) as err:
        factory(**changes)
    assert err.value.field == field


def test_extension_must_move_the_due_date_later() -> None:
    with pytest.raises(ValidationError):
        replace(samples.extension(), new_due=samples.extension().original_due)
