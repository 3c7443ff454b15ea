"""Sample input for the printing tests: realistic data with rare-character names."""

from __future__ import annotations

from datetime import date, datetime

from printing.models import PetitionerInfo, StationInfo
from printing.notices import (
    AcceptanceNotice,
    ExtensionNotice,
    NoFurtherAcceptanceNotice,
    Outcome,
    RejectionNotice,
    ReplyItem,
    ReplyOpinion,
    document_number,
)
from printing.receipt import ReceiptData

#: Names the brief singles out: 䶮 (Ext-A), 𠮷 (Ext-B, absent from UMing and Micro Hei), and
#: 堃 喆 赟 玥, which every GB 18030 font has but older GB 2312 fonts lack.
RARE_NAMES = ("刘䶮", "吉𠮷", "王堃", "张喆", "李赟", "陈玥")

ID_NUMBER = "11010519491231002X"  # a published valid example (docs/domain.md §6.1)
MOBILE = "13812345678"

STATION = StationInfo(name="花园镇信访工作站", short_name="花园", office_name="花园镇人民政府",
                      phone="0512-66881234", address="花园镇人民路1号")

PETITIONER = PetitionerInfo(name="吉𠮷", id_number=ID_NUMBER, phone=MOBILE,
                            address="花园镇春明村一组8号")
CO_PETITIONER = PetitionerInfo(name="刘䶮", id_number="440524188001010014", phone="0512-65432109",
                               address="花园镇春明村一组10号")

SUMMARY = "春明村一组二轮土地承包地被村组收回另行发包"


def receipt(name: str = "吉𠮷", **changes: object) -> ReceiptData:
    base: dict[str, object] = dict(
        station=STATION, case_number="320508102000-2026-00012", query_code="7F3K92QD",
        registered_at=datetime(2026, 11, 20, 9, 35),
        petitioner=PetitionerInfo(name=name, id_number=ID_NUMBER, phone=MOBILE),
        form="来访",
        summary="反映春明村一组土地承包经营权调整中，本户二轮承包地被村组收回另行发包给他人，"
                "要求恢复承包经营权并补偿两年损失。",
        next_step="本站将审查是否受理，并书面告知您",
        deadline=date(2026, 12, 7), deadline_rule="《信访工作条例》第二十三条：15日内",
        clerk="李文静")
    base.update(changes)
    return ReceiptData(**base)  # type: ignore[arg-type]


def _common(word: str, seq: int) -> dict[str, object]:
    return dict(station=STATION, doc_number=document_number(2026, seq, word),
                case_number="320508102000-2026-00012", petitioners=(PETITIONER,), form="来访",
                received_on=date(2026, 11, 20), summary=SUMMARY, issued_on=date(2026, 11, 25))


def acceptance(**changes: object) -> AcceptanceNotice:
    base = _common("花信受字", 12) | dict(
        accepted_on=date(2026, 11, 24), handling_unit="花园镇农业农村服务中心",
        due_on=date(2027, 1, 25), query_code="7F3K92QD")
    base.update(changes)
    return AcceptanceNotice(**base)  # type: ignore[arg-type]


def rejection(**changes: object) -> RejectionNotice:
    base = _common("花信不受字", 3) | dict(
        summary="苏州某机械厂拖欠2026年6月至9月工资", petitioners=(PETITIONER, CO_PETITIONER),
        reason="你们反映的事项属于劳动争议，依法应当通过劳动争议仲裁程序解决",
        legal_basis="《信访工作条例》第三十一条第（二）项",
        competent_organ="苏州市姑苏区劳动人事争议仲裁委员会", legal_channel="申请劳动争议仲裁",
        channel_note="劳动争议申请仲裁的时效期间为一年，从知道或者应当知道其权利被侵害之日起计算")
    base.update(changes)
    return RejectionNotice(**base)  # type: ignore[arg-type]


def no_further(**changes: object) -> NoFurtherAcceptanceNotice:
    base = _common("花信不再受字", 1) | dict(
        review_organ="苏州市人民政府信访局", review_doc_number="苏信复核〔2026〕17号",
        review_date=date(2026, 8, 10))
    base.update(changes)
    return NoFurtherAcceptanceNotice(**base)  # type: ignore[arg-type]


def extension(**changes: object) -> ExtensionNotice:
    base = _common("花信延字", 2) | dict(
        accepted_on=date(2026, 9, 1), original_due=date(2026, 10, 31), extension_days=30,
        new_due=date(2026, 11, 30), query_code="7F3K92QD",
        reason="该事项涉及春明村一组1998年以来的承包台账核查和多方当事人调查，情况复杂")
    base.update(changes)
    return ExtensionNotice(**base)  # type: ignore[arg-type]


FINDINGS = (
    "2026年3月，春明村一组召开村民小组会议，对组内部分承包地进行调整。信访人吉𠮷户原承包的"
    "组东侧水田1.8亩被收回，另行发包给本组村民王堃经营。经查阅1998年二轮延包合同和2019年确权"
    "登记资料，该1.8亩水田登记在吉𠮷户名下，承包期至2028年12月31日。\n"
    "村民小组收回该地块时，未经本集体经济组织成员的村民会议三分之二以上成员或者三分之二以上"
    "村民代表同意，也未报乡镇人民政府和县级人民政府农业农村主管部门批准。")


def reply(n_items: int = 3, **changes: object) -> ReplyOpinion:
    all_items = (
        ReplyItem("要求恢复1.8亩水田的承包经营权", Outcome.SUPPORT,
                  "依据《中华人民共和国农村土地承包法》第二十七条、第二十八条，承包期内发包方不得"
                  "收回承包地，调整须经法定程序。春明村一组的调整不符合法定程序，应予纠正"),
        ReplyItem("要求赔偿2026年、2027年两年的种植收益损失", Outcome.EXPLAIN,
                  "2026年度的收益由实际经营人王堃取得，双方对损失数额存在争议，可以由村人民调解"
                  "委员会调解，调解不成的，可以依法向人民法院起诉或者申请农村土地承包仲裁"),
        ReplyItem("要求追究村民小组长的责任", Outcome.REJECT,
                  "经查，村民小组长在调整过程中未发现违纪违法行为，对村民小组的程序瑕疵，已责令"
                  "春明村村民委员会整改"),
    )
    base = _common("花信复字", 5) | dict(
        petitioners=(PETITIONER, PetitionerInfo("张喆", "", "13912345678", "花园镇春明村一组9号")),
        accepted_on=date(2026, 9, 1), forwarded_by="吴中区信访局", forwarded_on=date(2026, 8, 28),
        findings=FINDINGS,
        legal_basis="《中华人民共和国农村土地承包法》《信访工作条例》等法律法规的规定",
        items=all_items[:n_items], review_organ="苏州市吴中区人民政府",
        copies_to=("吴中区信访局", "花园镇农业农村服务中心"))
    base.update(changes)
    return ReplyOpinion(**base)  # type: ignore[arg-type]
