"""People's mediation documents built from a case recorded through storage.mediation, read
back: the contents of docs/domain.md §4.3, one record per session, the 卷宗 checklist marked present
or missing, masking with the full-ID option of the agreement kept in the file."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest

from printing import documents
from storage import mediation
from storage.errors import ValidationError
from storage.register import Register, Row
from tests.helpers import register_data as rd
from tests.helpers.pdf import Pdf


@pytest.fixture
def case(reg: Register) -> Row:
    return rd.mediation_case(reg)


def build(reg: Register, kind: str, ref: str, **options: object) -> Pdf:
    return Pdf(documents.build_document(reg, kind, ref, **options).data)  # type: ignore[arg-type]


def glyphs_ok(pdf: Pdf, *names: str) -> None:
    assert all(f.has_font_file and f.is_subset for f in pdf.fonts)
    for name in names:
        for ch in name:
            assert pdf.glyph_fonts(ch), ch


def test_application(reg: Register, case: Row) -> None:
    pdf = build(reg, "application", case["number"])
    text = pdf.flat_text
    for expected in ("人民调解申请书", "申请人", "被申请人", "陈玥", "汉族", "农民", "138****5678",
                     "春明村3组5号", "李赟", "52岁", "委托代理人", "李小明", "纠纷简要情况",
                     "李赟在两家之间的通道上堆放柴草", "申请事项", "1.清除通道上的柴草",
                     "2.赔偿损失500元", "花园镇人民调解委员会已将申请人民调解的相关规定告知我",
                     "申请人（签名、盖章或按指印）"):
        assert expected in text, expected
    assert rd.MOBILE not in text
    glyphs_ok(pdf, "陈玥", "李赟")


def test_registration_form(reg: Register, case: Row) -> None:
    text = build(reg, "registration", case["id"]).flat_text
    for expected in ("人民调解受理登记表", case["number"], "纠纷类型", "邻里", "案件来源", "当事人申请",
                     "本人民调解委员会经当事人同意，调解陈玥与李赟之间的", "纠纷简要情况",
                     "当事人签名", "登记人签名", "人民调解员", "陈调解", "记录人", "李文静"):
        assert expected in text, expected


def test_one_record_per_session_each_numbered_on_its_own(reg: Register, case: Row) -> None:
    f = mediation.mediation_file(reg, case["id"])
    assert len(f.mediation_sessions) == 2
    pdf = build(reg, "record", case["id"])
    starts = [i for i, page in enumerate(pdf.pages_text) if "人民调解记录" in page]
    assert len(starts) == 2
    first, second = (re.sub(r"\s+", "", pdf.pages_text[i]) for i in starts)
    assert "双方分歧在赔偿数额" in first and "继续调解" in first
    assert "达成一致" in second and "三日内清除柴草，赔偿200元" in second
    for page in pdf.pages_text:  # each record counts its own pages
        assert re.search(r"第\s*1\s*页\s*共\s*1\s*页", page)
    one = build(reg, "record", case["id"], index=2)
    assert "达成一致" in one.flat_text and "双方分歧在赔偿数额" not in one.flat_text
    with pytest.raises(ValidationError, match="没有第3份"):
        documents.build_document(reg, "record", case["id"], index=3)
    investigation = build(reg, "investigation", case["id"]).flat_text
    assert "人民调解调查记录" in investigation and "通道宽1.2米" in investigation


def test_agreement_masked_and_in_full_for_the_file(reg: Register, case: Row) -> None:
    pdf = build(reg, "agreement", case["id"])
    text = pdf.flat_text
    for expected in ("人民调解协议书", f"编号：{case['number']}", "甲方：陈玥", "乙方：李赟",
                     "公民身份号码110101********0038", "一、纠纷主要事实、争议事项",
                     "二、各方当事人的责任", "李赟负主要责任", "三、经调解，各方当事人自愿达成如下协议",
                     "二、李赟赔偿陈玥损失200元", "四、履行方式、地点、期限",
                     "履行方式：自行清除并当面支付", "履行地点：春明村3组通道",
                     "本协议一式3份，当事人各执一份，调委会留存一份",
                     "三十日内共同向人民法院申请司法确认", "人民调解员（签名）",
                     "记录人（签名）", "花园镇人民调解委员会"):
        assert expected in text, expected
    assert rd.ID_A not in text and rd.MOBILE not in text
    glyphs_ok(pdf, "陈玥", "李赟")
    full = build(reg, "agreement", case["id"], full_ids=True).flat_text
    assert f"公民身份号码{rd.ID_A}" in full
    assert rd.MOBILE not in full  # phones stay masked: only the ID is needed in the file


def test_followup_record(reg: Register, case: Row) -> None:
    text = build(reg, "followup", case["id"]).flat_text
    for expected in ("人民调解回访记录", "调解协议编号", case["number"], "回访事由",
                     "陈玥与李赟相邻通行纠纷", "回访人", "陈调解", "履行情况", "已履行完毕",
                     "满意程度", "满意", "回访人签名"):
        assert expected in text, expected


def test_cover_lists_all_thirteen_documents(reg: Register, case: Row) -> None:
    f = mediation.mediation_file(reg, case["id"])
    pdf = build(reg, "cover", case["id"])
    assert "人民调解卷宗" in pdf.pages_text[0] and "卷内目录" in pdf.pages_text[1]
    assert not re.search(r"第\s*\d+\s*页", pdf.pages_text[0])  # no page number on a cover
    with pdfplumber.open(io.BytesIO(pdf.data)) as doc:
        table = doc.pages[1].extract_tables()[0]
    cells = [[re.sub(r"\s+", "", c or "") for c in row] for row in table[1:]]
    assert len(cells) == 13 == len(f.checklist)
    for row, item in zip(cells, f.checklist, strict=True):
        assert row[0] == str(item.no) and row[1] == re.sub(r"\s+", "", item.title)
        assert row[2] == ("必须" if item.required else "按需")
        assert row[3] == ("有" if item.present else "缺" if item.required else "无"), item
    missing = [i for i in f.checklist if i.missing]
    assert missing, "the fixture's file is not closed: 封底 must be missing"
    contents = re.sub(r"\s+", "", pdf.pages_text[1])
    assert f"卷内缺少必备材料{len(missing)}份" in contents


def test_documents_a_case_lacks_are_refused(reg: Register) -> None:
    case = mediation.open_mediation(reg, mediation.CaseInput(
        source="initiative", dispute_type="邻里", title="张三与李四噪音纠纷", facts="夜间噪音。",
        accepted_on=rd.TODAY), [mediation.PartyInput(side="a", name="张三")])
    with pytest.raises(ValidationError, match="没有当事人申请书"):
        documents.build_document(reg, "application", case["id"])
    with pytest.raises(ValidationError, match="尚未达成调解协议"):
        documents.build_document(reg, "agreement", case["id"])
    with pytest.raises(ValidationError, match="还没有调解记录"):
        documents.build_document(reg, "record", case["id"])
    with pytest.raises(ValidationError, match="还没有回访记录"):
        documents.build_document(reg, "followup", case["id"])
    kinds = [k for k, _label in documents.mediation_documents(
        mediation.mediation_file(reg, case["id"]))]
    assert kinds == ["registration", "cover"]
    assert "人民调解受理登记表" in build(reg, "registration", case["number"]).flat_text
