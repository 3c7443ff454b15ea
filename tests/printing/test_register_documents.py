"""Every document of a petition matter built from real register data (registration and the
workflow through storage), read back: the expected text, embedded fonts with a glyph for every
character of every name, masking by the station's settings, document numbers that stay."""

from __future__ import annotations

from datetime import date

import pytest

from printing import docnumbers, documents, sources
from storage import accounts, calendar_store, petitions, station
from storage.deadlines import DeadlineKind, compute_deadline
from storage.errors import NotFound, ValidationError
from storage.register import Register
from tests.helpers import register_data as rd
from tests.helpers.pdf import Pdf


@pytest.fixture
def data(reg: Register) -> rd.Matters:
    return rd.build_matters(reg)


def build(reg: Register, kind: str, ref: str, **options: object) -> Pdf:
    return Pdf(documents.build_document(reg, kind, ref, **options).data)  # type: ignore[arg-type]


def assert_names_print(pdf: Pdf, names: list[str]) -> None:
    """Fonts embedded as subsets, and each character of each name has an outline glyph in one
    of them (no blank box), and is found in the text."""
    assert pdf.fonts and all(f.has_font_file and f.is_subset for f in pdf.fonts), pdf.fonts
    for name in names:
        assert name in pdf.flat_text
        for ch in name:
            assert pdf.glyph_fonts(ch), f"{ch!r} of {name} has no glyph"


def test_receipt_of_a_registered_matter(reg: Register, data: rd.Matters) -> None:
    m = data.registered
    pdf = build(reg, "receipt", m["number"])
    deadline = petitions.current_deadline(reg, m)
    assert deadline is not None
    text = pdf.flat_text
    for expected in ("信访事项登记回执", "存根", "信访人联", m["number"], m["query_code"],
                     "花园镇信访工作站", "来访", "反映金桥路道路破损严重；要求尽快修复道路",
                     "本站将审查是否受理，并书面告知您", "《信访工作条例》第二十三条：15日内",
                     f"{deadline.due.year}年{deadline.due.month}月{deadline.due.day}日前",
                     "0512-66881234", "李文静"):
        assert expected in text, expected
    assert text.count(m["number"]) == 2  # stub and petitioner's copy
    assert_names_print(pdf, ["王堃"])
    assert rd.ID_A not in text and "110101********0038" in text
    assert rd.MOBILE_2 not in text and "139****5678" in text


def test_receipt_next_step_follows_the_state(reg: Register, data: rd.Matters) -> None:
    replied = sources.receipt_data(reg, data.accepted["id"])
    window = petitions.petitioner_window(reg, data.accepted)
    assert replied.next_step.startswith("已书面答复")
    assert window is not None and replied.deadline == window.due
    assert replied.deadline_rule == "《信访工作条例》第三十五条：30日内"
    fresh = rd.register(reg, rd.TODAY, people=[rd.petitioner("陈玥", "", "")])
    petitions.accept(reg, fresh["id"], rd.TODAY)
    petitions.forward(reg, fresh["id"], rd.TODAY, "交办", "镇司法所")
    handling = sources.receipt_data(reg, fresh["id"])
    deadline = petitions.current_deadline(reg, reg.get("matters", fresh["id"]))
    assert handling.next_step == "已受理，由镇司法所办理，办结后书面答复您"
    assert deadline is not None and handling.deadline == deadline.due
    assert handling.deadline_rule == "《信访工作条例》第三十四条：60日内"
    rejected = sources.receipt_data(reg, data.rejected["id"])
    assert rejected.deadline is None and "不予受理" in rejected.next_step


def test_masking_follows_the_settings(reg: Register, data: rd.Matters) -> None:
    reg.set_setting("mask_id_numbers", False)
    reg.set_setting("mask_phones", False)
    reg.set_setting("mask_names", True)
    text = build(reg, "receipt", data.registered["id"]).flat_text
    assert rd.ID_A in text and rd.MOBILE_2 in text
    assert "王*" in text and "王堃" not in text


def test_acceptance_notice_and_its_number_is_kept(reg: Register, data: rd.Matters) -> None:
    m = data.accepted
    pdf = build(reg, "notice", m["id"])
    text = pdf.flat_text
    for expected in ("信访事项受理告知书", "〔2026〕花信受字第1号", "吉𠮷：",
                     "你于2026年2月20日通过来访方式反映春明村一组二轮承包地被村组收回另行发包的问题",
                     f"信访件编号：{m['number']}", "本机关已于2026年2月24日受理该信访事项",
                     "交由镇农业农村办具体办理", "自受理之日起60日内办结", m["query_code"],
                     "花园镇人民政府", "2026年2月24日", "第1页共1页"):
        assert expected in text, expected
    assert_names_print(pdf, ["吉𠮷"])
    # a second matter's acceptance notice takes the next number; a reprint keeps its own
    second = rd.register(reg, rd.TODAY, people=[rd.petitioner("陈玥", "", "")])
    petitions.accept(reg, second["id"], rd.TODAY)
    assert "〔2026〕花信受字第2号" in build(reg, "notice", second["id"]).flat_text
    assert "〔2026〕花信受字第1号" in build(reg, "notice", m["id"]).flat_text
    assert docnumbers.last_number(reg, "acceptance", 2026) == 2
    assert docnumbers.assigned(reg, "acceptance", m["id"]) == "〔2026〕花信受字第1号"


def test_rejection_notice_names_the_channel(reg: Register, data: rd.Matters) -> None:
    pdf = build(reg, "notice", data.rejected["number"])
    text = pdf.flat_text
    for expected in ("不予受理信访事项告知书", "〔2026〕花信不受字第1号", "刘䶮：",
                     "经审查，该事项属于劳动争议，依法应当通过劳动争议仲裁程序解决",
                     "依据《信访工作条例》第三十一条第（二）项的规定",
                     "本机关对该信访事项不予受理",
                     "请你依法向劳动人事争议仲裁委员会申请劳动争议仲裁。", "时效期间为一年"):
        assert expected in text, expected
    assert_names_print(pdf, ["刘䶮"])
    # the station can name the competent organ
    reg.set_setting(sources.CHANNEL_ORGANS_SETTING,
                    {"劳动人事争议仲裁": "苏州市姑苏区劳动人事争议仲裁委员会"})
    text = build(reg, "notice", data.rejected["id"]).flat_text
    assert "请你依法向苏州市姑苏区劳动人事争议仲裁委员会申请劳动争议仲裁" in text
    assert "〔2026〕花信不受字第1号" in text


def test_no_further_notice_cites_the_earlier_rereview(reg: Register, data: rd.Matters) -> None:
    text = build(reg, "notice", data.no_further["id"]).flat_text
    for expected in ("不再受理信访事项告知书", "〔2026〕花信不再受字第1号", "张喆：",
                     "已经复核机关于2025年12月15日作出复核意见",
                     f"原信访件编号：{data.earlier['number']}", "第三十六条第三款",
                     "本机关不再受理", "如有新的事实和理由"):
        assert expected in text, expected


def test_notice_is_refused_before_a_decision(reg: Register, data: rd.Matters) -> None:
    with pytest.raises(ValidationError, match="尚未作出受理决定"):
        documents.build_document(reg, "notice", data.registered["id"])
    with pytest.raises(ValidationError, match="没有延期办理的记录"):
        documents.build_document(reg, "extension", data.rejected["id"])
    with pytest.raises(ValidationError, match="还没有作出答复"):
        documents.build_document(reg, "reply", data.registered["id"])
    with pytest.raises(NotFound):
        documents.build_document(reg, "receipt", "no-such-case")
    with pytest.raises(ValidationError, match="完整的身份证号码"):
        documents.build_document(reg, "receipt", data.registered["id"], full_ids=True)


def test_extension_notice(reg: Register, data: rd.Matters) -> None:
    text = build(reg, "extension", data.accepted["id"]).flat_text
    for expected in ("延期办理信访事项告知书", "〔2026〕花信延字第1号",
                     "本机关已于2026年2月24日受理，原定于", "涉及1998年以来的承包台账核查，情况复杂",
                     "办理期限延长20日", "第三十四条", "花园镇人民政府", "2026年2月26日"):
        assert expected in text, expected
    cal = calendar_store.calendar(reg)
    original = compute_deadline(DeadlineKind.HANDLING, date(2026, 2, 24), cal).due
    extended = compute_deadline(DeadlineKind.HANDLING, date(2026, 2, 24), cal,
                                extension_days=20).due
    for d in (original, extended):
        assert f"{d.year}年{d.month}月{d.day}日前" in text


def test_reply_opinion_from_the_reply(reg: Register, data: rd.Matters) -> None:
    pdf = build(reg, "reply", data.accepted["id"])
    text = pdf.flat_text
    for expected in ("关于吉𠮷信访事项的答复意见", "〔2026〕花信复字第1号",
                     "公民身份号码：110105********002X", "一、受理情况",
                     "本机关于2026年2月24日依法受理", "（一）要求恢复1.8亩水田的承包经营权；",
                     "（二）要求赔偿两年的种植收益损失。", "二、调查核实情况及处理意见",
                     "经查阅二轮延包合同和确权登记资料", "本机关对该项诉求予以支持",
                     "三、复查权利告知", "自收到本答复意见书之日起30日内，向上一级行政机关书面提出复查请求",
                     "抄送：镇农业农村办。"):
        assert expected in text, expected
    assert rd.ID_NUMBER not in text
    assert_names_print(pdf, ["吉𠮷"])


def test_find_matter_by_number_tail(reg: Register, data: rd.Matters) -> None:
    number = data.accepted["number"]
    assert sources.find_matter(reg, number)["id"] == data.accepted["id"]
    assert sources.find_matter(reg, number.split("-", 1)[1])["id"] == data.accepted["id"]
    assert sources.find_matter(reg, "2026-2")["id"] == data.accepted["id"]


def test_documents_for_each_state(reg: Register, data: rd.Matters) -> None:
    def kinds(row: dict[str, object]) -> list[str]:
        return [k for k, _label in sources.documents_for(reg, reg.get("matters", str(row["id"])))]

    assert kinds(data.registered) == ["receipt"]
    assert kinds(data.accepted) == ["receipt", "notice", "extension", "reply"]
    assert kinds(data.rejected) == ["receipt", "notice"]
    labels = dict(sources.documents_for(reg, data.no_further))
    assert labels["notice"] == "不再受理告知书"


def test_the_receipt_names_the_registering_organ_from_the_set_up(reg: Register,
                                                                   data: rd.Matters) -> None:
    """Issue 15: 登记机关 printed the station's name, not the 登记机关名称 given at set-up."""
    text = build(reg, "receipt", data.registered["number"]).flat_text
    assert "登记机关" in text
    assert "花园镇人民政府" in text  # set_up: office_name="花园镇人民政府"


def test_a_receipt_without_the_stations_phone_prints_no_empty_phone(reg: Register,
                                                                   data: rd.Matters) -> None:
    """The set-up wizard leaves the phone optional: the receipt then says how to query
    without a dangling "电话：" (seen on a wizard-made register)."""
    reg.actor = accounts.find_user(reg, "head").actor()
    station.update_station(reg, phone="")
    text = build(reg, "receipt", data.registered["number"]).flat_text
    assert "查询办理进度" in text and "电话：" not in text
    assert "电话:" not in text
