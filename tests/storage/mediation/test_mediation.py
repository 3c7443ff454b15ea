"""People's mediation at the storage layer: numbering, parties, sessions, outcome, period,
performance, follow-up, judicial confirmation, the 卷宗 checklist, links and permissions."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from storage import accounts, codes, mediation, station
from storage.errors import (
    ConcurrentChange,
    NotFound,
    PermissionDenied,
    TransitionError,
    ValidationError,
)
from storage.mediation import (
    AgreementInput,
    CaseInput,
    FollowUpInput,
    PartyInput,
    SessionInput,
    outcome,
)
from storage.register import Register, Row

TODAY = date(2026, 3, 2)  # the FakeClock's day
ID_A = "110101199003070038"  # valid GB 11643 numbers (male, male)
ID_B = "110101198506150051"


def case_input(reg: Register, **kw: object) -> CaseInput:
    values: dict[str, object] = dict(
        source="application", dispute_type="邻里", title="张建国与李秀英相邻通行纠纷",
        facts="李秀英在两家之间的通道上堆放柴草，张建国无法通行，双方多次争吵。",
        claims="清除通道上的柴草\n赔偿损失500元", accepted_on=TODAY - timedelta(days=10),
        amount="500", mediators=["陈调解"], recorder="李文静",
        village_id=station.villages(reg)[0].id)
    values.update(kw)
    return CaseInput(**values)  # type: ignore[arg-type]


def two_parties() -> list[PartyInput]:
    return [PartyInput(side="a", name="张建国", id_number=ID_A, phone="13912345678",
                       ethnic_group="汉族", occupation="农民", address="春明村3组"),
            PartyInput(side="b", name="李秀英", gender="女", age=52, address="春明村3组")]


def open_case(reg: Register, parties: list[PartyInput] | None = None, **kw: object) -> Row:
    return mediation.open_mediation(reg, case_input(reg, **kw),
                                    two_parties() if parties is None else parties)


def session(held_on: date = TODAY - timedelta(days=5), **kw: object) -> SessionInput:
    values: dict[str, object] = dict(
        held_on=held_on, place="春明村调解室", rights_notified=True,
        statement_a="通道被堵，要求清除并赔偿。", statement_b="柴草暂放，愿意搬走。",
        agreed="三日内清除柴草", result="agreed")
    values.update(kw)
    return SessionInput(**values)  # type: ignore[arg-type]


def agreement(signed_on: date = TODAY - timedelta(days=4), **kw: object) -> AgreementInput:
    values: dict[str, object] = dict(
        signed_on=signed_on, terms="一、李秀英于三日内清除通道上的柴草；二、张建国放弃赔偿请求。",
        issues="通道堆放柴草", responsibilities="李秀英负主要责任",
        performance_manner="自行清除", performance_place="春明村3组通道",
        performance_deadline=signed_on + timedelta(days=3), amount="0")
    values.update(kw)
    return AgreementInput(**values)  # type: ignore[arg-type]


def agreed_case(reg: Register, **kw: object) -> Row:
    case = open_case(reg)
    mediation.record_session(reg, case["id"], session())
    mediation.sign_agreement(reg, case["id"], agreement(**kw))
    return reg.get("mediations", case["id"])


def make_matter(reg: Register) -> Row:
    with reg.transaction():
        person = reg.insert("petitioners", dict(
            name="王大明", gender="男", id_number=ID_B, birth_date="1985-06-15",
            phone="13800001111", address="石桥村1组", village_id=station.villages(reg)[2].id))
        matter = reg.insert("matters", dict(
            number="320508102000-2026-00001", seq=1, query_code="ABCDEFGH", form="来访",
            received_on="2026-02-20", registered_by="clerk", petitioner_id=person["id"],
            summary="与邻居王小明因宅基地界址发生纠纷", request="请求确定界址",
            facts="两家宅基地相邻，王小明建围墙占用约半米。", status="accepted",
            problem_village_id=station.villages(reg)[2].id))
        reg.insert("matter_petitioners", dict(matter_id=matter["id"],
                                              petitioner_id=person["id"], is_main=1))
    return matter


def make_dispute(reg: Register) -> Row:
    """A dispute found in this week's screening of 春明村's first grid."""
    from storage import screening

    grid = station.grids(reg)[0]
    return screening.add_dispute(reg, grid.id, None, screening.DisputeInput(
        type="房屋宅基地", parties=[screening.PartyInput("赵一"),
                                  screening.PartyInput("钱二", "13900001111")],
        summary="赵一与钱二因滴水檐发生争执", risk_level="黄"))


# ----- opening ---------------------------------------------------------------------------------

def test_case_numbers_run_per_year(reg: Register) -> None:
    first = open_case(reg)
    second = open_case(reg, accepted_on=TODAY)
    last_year = open_case(reg, accepted_on=date(2025, 12, 30))
    assert first["number"] == "（2026）花园人调字第1号"
    assert second["number"] == "（2026）花园人调字第2号"
    assert last_year["number"] == "（2025）花园人调字第1号"
    assert first["committee"] == "花园镇人民调解委员会"
    # the list shows them without the station's name, the same on every line of it
    listed = {c.number: c.short_number for c in mediation.list_cases(reg, today=TODAY)}
    assert listed == {"（2026）花园人调字第1号": "（2026）第1号", "（2026）花园人调字第2号": "（2026）第2号",
                      "（2025）花园人调字第1号": "（2025）第1号"}


def test_open_sets_one_month_period_and_parties(reg: Register) -> None:
    # one month from 31 Dec is 31 Jan 2026, a Saturday -> the next working day, 2 Feb;
    # from 28 Jan it is 28 Feb 2026, a Saturday but a make-up working day (春节调休).
    assert open_case(reg, accepted_on=date(2025, 12, 31))["period_due"] == "2026-02-02"
    case = open_case(reg, accepted_on=date(2026, 1, 28))
    assert case["period_due"] == "2026-02-28"
    parties = mediation.parties_of(reg, case["id"])
    assert [(p.side, p.name) for p in parties] == [("a", "张建国"), ("b", "李秀英")]
    zhang = parties[0]
    assert (zhang.gender, zhang.birth_date) == ("男", date(1990, 3, 7))  # from the ID number
    assert zhang.age_on(date(2026, 3, 6)) == 35 and zhang.age_on(date(2026, 3, 7)) == 36
    assert parties[1].age_on(TODAY) == 52
    assert mediation.get_case(reg, case["id"]).amount == Decimal("500.00")
    assert [e.kind for e in mediation.events_of(reg, case["id"])] == ["accepted"]


@pytest.mark.parametrize("changes, field", [
    ({"dispute_type": "外星人纠纷"}, "dispute_type"),
    ({"title": "  "}, "title"),
    ({"facts": ""}, "facts"),
    ({"source": "police"}, "referred_by"),
    ({"source": "matter"}, "matter_id"),
    ({"amount": "-5"}, "amount"),
    ({"amount": "很多"}, "amount"),
    ({"accepted_on": TODAY + timedelta(days=1)}, "accepted_on"),
    ({"applied_on": TODAY - timedelta(days=3), "accepted_on": TODAY - timedelta(days=5)},
     "accepted_on"),
])
def test_open_refuses_bad_registration(reg: Register, changes: dict[str, object],
                                       field: str) -> None:
    with pytest.raises(ValidationError) as err:
        open_case(reg, **changes)
    assert err.value.field == field
    assert reg.scalar("SELECT count(*) FROM mediations") == 0


def test_dispute_type_comes_from_the_editable_table(reg: Register) -> None:
    from storage import codes

    reg.actor = accounts.find_user(reg, "head").actor()
    codes.add_code(reg, "dispute_type", "村务管理")
    reg.actor = accounts.find_user(reg, "clerk").actor()
    assert open_case(reg, dispute_type="村务管理")["dispute_type"] == "村务管理"


def test_referral_keeps_referring_unit(reg: Register) -> None:
    case = open_case(reg, source="court", referred_by="姑苏区人民法院")
    got = mediation.get_case(reg, case["id"])
    assert got.source_label == "审判机关委托" and got.referred_by == "姑苏区人民法院"


def test_guess_dispute_type(reg: Register) -> None:
    assert mediation.guess_dispute_type(reg, "老板拖欠三个月工资") == "劳动争议"
    assert mediation.guess_dispute_type(reg, "狗咬伤邻居小孩") == "损害赔偿"
    assert mediation.guess_dispute_type(reg, "说不清楚") == ""


def test_amount_parsing() -> None:
    assert mediation.parse_amount("1.2万") == 1200000
    assert mediation.parse_amount("１，２００．５元") == 120050
    assert mediation.parse_amount("") == 0


# ----- parties ---------------------------------------------------------------------------------

def test_a_case_needs_a_party(reg: Register) -> None:
    with pytest.raises(ValidationError) as err:
        open_case(reg, parties=[])
    assert err.value.field == "party_a"
    assert reg.scalar("SELECT count(*) FROM mediations") == 0


def test_party_validation(reg: Register) -> None:
    case = open_case(reg, parties=[PartyInput(side="a", name="丙")])
    with pytest.raises(ValidationError) as err:
        mediation.add_party(reg, case["id"], PartyInput(side="a", name="甲", id_number="110101199003070039"))
    assert err.value.field == "id_number"
    with pytest.raises(ValidationError, match="性别"):
        mediation.add_party(reg, case["id"], PartyInput(side="a", name="甲", gender="女",
                                                        id_number=ID_A))
    with pytest.raises(ValidationError) as err:
        mediation.add_party(reg, case["id"], PartyInput(side="b", name="某某公司",
                                                        kind="organisation"))
    assert err.value.field == "representative"
    org = mediation.add_party(reg, case["id"], PartyInput(
        side="b", name="花园镇某某建材有限公司", kind="organisation", representative="孙经理",
        representative_title="总经理", id_number="91320508mA1XXXXX3K"))
    assert org["id_number"] == "91320508MA1XXXXX3K"
    mediation.add_party(reg, case["id"], PartyInput(side="a", name="张建国", id_number=ID_A))
    with pytest.raises(ValidationError, match="已经是本案当事人"):
        mediation.add_party(reg, case["id"], PartyInput(side="b", name="张三", id_number=ID_A))
    mediation.add_party(reg, case["id"], PartyInput(side="a", name="张建军"))
    assert len(mediation.parties_of(reg, case["id"])) == 4  # with 丙, who opened the case


def test_parties_cannot_change_after_agreement(reg: Register) -> None:
    case = agreed_case(reg)
    with pytest.raises(TransitionError):
        mediation.add_party(reg, case["id"], PartyInput(side="a", name="新人"))
    party = mediation.parties_of(reg, case["id"])[0]
    with pytest.raises(TransitionError):
        mediation.remove_party(reg, party.id)


# ----- sessions --------------------------------------------------------------------------------

def test_session_moves_case_to_mediating(reg: Register) -> None:
    case = open_case(reg)
    mediation.record_session(reg, case["id"], session(kind="investigation", record="走访邻居",
                                                      statement_a="", statement_b="",
                                                      result="continue", agreed=""))
    assert reg.get("mediations", case["id"])["status"] == "accepted"
    s = mediation.record_session(reg, case["id"], session())
    assert reg.get("mediations", case["id"])["status"] == "mediating"
    assert json.loads(s["mediators"]) == ["陈调解"] and s["recorder"] == "李文静"


def test_session_refusals(reg: Register) -> None:
    one_sided = open_case(reg, parties=two_parties()[:1])
    with pytest.raises(TransitionError, match="双方当事人"):
        mediation.record_session(reg, one_sided["id"], session())
    case = open_case(reg)
    with pytest.raises(ValidationError) as err:
        mediation.record_session(reg, case["id"], session(held_on=TODAY - timedelta(days=20)))
    assert err.value.field == "held_on"
    with pytest.raises(ValidationError):
        mediation.record_session(reg, case["id"], session(held_on=TODAY + timedelta(days=1)))
    with pytest.raises(ValidationError, match="陈述"):
        mediation.record_session(reg, case["id"], session(statement_a="", statement_b=""))
    with pytest.raises(ValidationError, match="达成的意见"):
        mediation.record_session(reg, case["id"], session(agreed=""))
    no_mediator = open_case(reg, mediators=[])
    with pytest.raises(ValidationError) as err:
        mediation.record_session(reg, no_mediator["id"], session())
    assert err.value.field == "mediators"
    assert reg.scalar("SELECT count(*) FROM mediation_sessions") == 0


def test_no_session_after_closing(reg: Register) -> None:
    case = open_case(reg)
    mediation.terminate(reg, case["id"], on=TODAY, reason="被申请人明确拒绝调解")
    with pytest.raises(TransitionError, match="不能再记录"):
        mediation.record_session(reg, case["id"], session(held_on=TODAY))
    agreed = agreed_case(reg)
    with pytest.raises(TransitionError):
        mediation.record_session(reg, agreed["id"], session(held_on=TODAY))


# ----- agreement -------------------------------------------------------------------------------

def test_agreement_requires_parties_on_both_sides(reg: Register) -> None:
    case = open_case(reg, parties=two_parties()[:1])
    with pytest.raises(TransitionError, match="双方当事人"):
        mediation.sign_agreement(reg, case["id"], agreement())
    assert reg.get("mediations", case["id"])["status"] == "accepted"


def test_agreement_requires_a_recorded_session(reg: Register) -> None:
    case = open_case(reg)
    with pytest.raises(TransitionError, match="调解过程"):
        mediation.sign_agreement(reg, case["id"], agreement())


@pytest.mark.parametrize("changes, field", [
    ({"terms": ""}, "terms"),
    ({"performance_manner": ""}, "performance_manner"),
    ({"performance_place": ""}, "performance_place"),
    ({"performance_deadline": None}, "performance_deadline"),
    ({"performance_deadline": TODAY - timedelta(days=9)}, "performance_deadline"),
    ({"copies": 2}, "copies"),
    ({"signed_on": TODAY - timedelta(days=6)}, "signed_on"),  # before the session
    ({"status_matter": "亲属关系"}, "status_matter"),
])
def test_written_agreement_contents(reg: Register, changes: dict[str, object],
                                    field: str) -> None:
    case = open_case(reg)
    mediation.record_session(reg, case["id"], session())
    with pytest.raises(ValidationError) as err:
        mediation.sign_agreement(reg, case["id"], agreement(**changes))
    assert err.value.field == field
    assert mediation.agreement_of(reg, case["id"]) is None


def test_signed_agreement(reg: Register) -> None:
    case = agreed_case(reg, amount="1,500")
    got = mediation.mediation_file(reg, case["id"])
    assert got.case.status == "agreed" and got.case.performance_status == "pending"
    a = got.agreement
    assert a is not None and a.number == case["number"] and a.copies == 3
    assert a.copies_text == "本协议一式3份，当事人各执一份，调委会留存一份。"
    assert a.amount == Decimal("1500.00")
    assert a.facts == got.case.facts  # defaults to the registered facts
    # 30 days from 26 Feb is 28 Mar 2026 (Saturday) -> Monday 30 Mar.
    assert a.jc_due == date(2026, 3, 30)
    # follow-up due 15 days after the performance deadline (1 Mar)
    assert got.case.followup_due == date(2026, 3, 16)
    with pytest.raises(TransitionError, match="已经达成"):
        mediation.sign_agreement(reg, case["id"], agreement())


def test_oral_agreement(reg: Register) -> None:
    case = open_case(reg)
    mediation.record_session(reg, case["id"], session())
    mediation.sign_agreement(reg, case["id"], AgreementInput(
        signed_on=TODAY - timedelta(days=4), terms="当场赔礼道歉", form="oral",
        performed_at_signing=True))
    got = mediation.mediation_file(reg, case["id"])
    assert got.agreement is not None and got.agreement.copies == 0
    assert got.agreement.jc_due is None
    assert got.case.performance_status == "performed"
    assert got.case.performed_on == TODAY - timedelta(days=4)
    assert next(i for i in got.checklist if i.key == "agreement").title == "人民调解口头协议登记表"


# ----- failure and termination -----------------------------------------------------------------

def test_failure_needs_reason_and_routes(reg: Register) -> None:
    case = open_case(reg)
    with pytest.raises(ValidationError) as err:
        mediation.record_failure(reg, case["id"], on=TODAY, reason="分歧过大", routes=[])
    assert err.value.field == "routes"
    with pytest.raises(ValidationError):
        mediation.record_failure(reg, case["id"], on=TODAY, reason="分歧过大", routes=["上访"])
    with pytest.raises(ValidationError) as err:
        mediation.record_failure(reg, case["id"], on=TODAY, reason="", routes=["司法"])
    assert err.value.field == "reason"
    mediation.record_failure(reg, case["id"], on=TODAY, reason="赔偿数额分歧过大",
                             routes=["司法", "仲裁"])
    got = mediation.get_case(reg, case["id"])
    assert got.status == "failed" and got.routes == ("仲裁", "司法")
    assert got.closed_on == TODAY
    with pytest.raises(TransitionError):
        mediation.sign_agreement(reg, case["id"], agreement())
    with pytest.raises(TransitionError):
        mediation.terminate(reg, case["id"], on=TODAY, reason="x")


# ----- the mediation period ---------------------------------------------------------------------

def test_extension_needs_consent_and_time(reg: Register) -> None:
    case = open_case(reg, accepted_on=date(2026, 2, 10))
    assert case["period_due"] == "2026-03-10"
    with pytest.raises(TransitionError, match="同意"):
        mediation.extend_period(reg, case["id"], days=15, agreed_on=TODAY, reason="需鉴定",
                                parties_consent=False)
    with pytest.raises(ValidationError):
        mediation.extend_period(reg, case["id"], days=31, agreed_on=TODAY, reason="需鉴定",
                                parties_consent=True)
    with pytest.raises(ValidationError):
        mediation.extend_period(reg, case["id"], days=10, agreed_on=TODAY, reason="",
                                parties_consent=True)
    got = mediation.extend_period(reg, case["id"], days=15, agreed_on=TODAY,
                                  reason="需等待伤情鉴定", parties_consent=True)
    assert got["period_due"] == "2026-03-25" and got["period_extended_days"] == 15
    ext = [e for e in mediation.events_of(reg, case["id"]) if e.kind == "extension"]
    assert ext[0].data == {"days": 15, "from": "2026-03-10", "to": "2026-03-25"}


def test_no_extension_after_period_ended(reg: Register) -> None:
    case = open_case(reg, accepted_on=date(2026, 1, 20))  # due 20 Feb
    with pytest.raises(TransitionError, match="届满"):
        mediation.extend_period(reg, case["id"], days=10, agreed_on=TODAY, reason="需鉴定",
                                parties_consent=True)


# ----- performance, follow-up ------------------------------------------------------------------

def test_followup_before_agreement_refused(reg: Register) -> None:
    case = open_case(reg)
    mediation.record_session(reg, case["id"], session(result="continue", agreed=""))
    with pytest.raises(TransitionError, match="尚未达成调解协议"):
        mediation.record_followup(reg, case["id"], FollowUpInput(
            visited_on=TODAY, visitor="陈调解", performance="未履行"))
    with pytest.raises(TransitionError, match="尚未达成调解协议"):
        mediation.record_performance(reg, case["id"], on=TODAY, status="performed")


def test_performance_and_followup(reg: Register) -> None:
    case = agreed_case(reg)
    with pytest.raises(ValidationError):
        mediation.record_performance(reg, case["id"], on=TODAY - timedelta(days=5),
                                     status="performed")  # before the agreement
    with pytest.raises(ValidationError, match="说明"):
        mediation.record_performance(reg, case["id"], on=TODAY, status="breached")
    mediation.record_performance(reg, case["id"], on=TODAY - timedelta(days=2),
                                 status="partial", note="已清除一半")
    mediation.record_performance(reg, case["id"], on=TODAY - timedelta(days=1),
                                 status="performed", evidence="现场照片")
    with pytest.raises(TransitionError, match="履行完毕"):
        mediation.record_performance(reg, case["id"], on=TODAY, status="performed")
    with pytest.raises(ValidationError):
        mediation.record_followup(reg, case["id"], FollowUpInput(
            visited_on=TODAY, visitor="", performance="已履行"))
    with pytest.raises(ValidationError) as err:
        mediation.record_followup(reg, case["id"], FollowUpInput(
            visited_on=TODAY, visitor="陈调解", performance="已履行", next_due=TODAY))
    assert err.value.field == "next_due"
    mediation.record_followup(reg, case["id"], FollowUpInput(
        visited_on=TODAY, visitor="陈调解", performance="柴草已清除，通道畅通",
        satisfaction="满意", next_due=TODAY + timedelta(days=30)))
    got = mediation.mediation_file(reg, case["id"])
    assert got.case.followup_due == TODAY + timedelta(days=30)
    assert got.followups[0].satisfaction == "满意"
    proof = next(i for i in got.checklist if i.key == "performance_proof")
    assert proof.present and proof.derived


# ----- judicial confirmation -------------------------------------------------------------------

def test_judicial_confirmation_window_and_result(reg: Register) -> None:
    case = agreed_case(reg)  # signed 26 Feb, window to 30 Mar
    with pytest.raises(TransitionError, match="共同申请"):
        mediation.apply_judicial_confirmation(reg, case["id"], applied_on=TODAY,
                                              court="姑苏区人民法院", joint=False)
    with pytest.raises(ValidationError):
        mediation.apply_judicial_confirmation(reg, case["id"], applied_on=TODAY, court="",
                                              joint=True)
    with pytest.raises(TransitionError, match="没有待法院决定"):
        mediation.record_judicial_result(reg, case["id"], result="confirmed",
                                         decided_on=TODAY)
    mediation.apply_judicial_confirmation(reg, case["id"], applied_on=TODAY,
                                          court="姑苏区人民法院", joint=True)
    with pytest.raises(TransitionError, match="已经申请过"):
        mediation.apply_judicial_confirmation(reg, case["id"], applied_on=TODAY,
                                              court="姑苏区人民法院", joint=True)
    with pytest.raises(ValidationError, match="理由"):
        mediation.record_judicial_result(reg, case["id"], result="rejected", decided_on=TODAY)
    mediation.record_judicial_result(reg, case["id"], result="confirmed", decided_on=TODAY,
                                     case_number="（2026）苏0508民特调确字第12号")
    a = mediation.agreement_of(reg, case["id"])
    assert a is not None and a.jc_result_label == "确认有效"
    assert next(i for i in mediation.mediation_file(reg, case["id"]).checklist
                if i.key == "judicial").present


def test_judicial_confirmation_after_30_days_refused(reg: Register, clock: object) -> None:
    case = agreed_case(reg)
    clock.advance(days=40)  # type: ignore[attr-defined]
    with pytest.raises(TransitionError, match="30日"):
        mediation.apply_judicial_confirmation(reg, case["id"],
                                              applied_on=date(2026, 3, 31),
                                              court="姑苏区人民法院", joint=True)
    # the last day (moved off the weekend) is still fine
    mediation.apply_judicial_confirmation(reg, case["id"], applied_on=date(2026, 3, 30),
                                          court="姑苏区人民法院", joint=True)


def test_judicial_confirmation_refused_for_oral_and_status_matters(reg: Register) -> None:
    oral = open_case(reg)
    mediation.record_session(reg, oral["id"], session())
    mediation.sign_agreement(reg, oral["id"], AgreementInput(
        signed_on=TODAY - timedelta(days=4), terms="口头约定", form="oral"))
    with pytest.raises(TransitionError, match="口头协议"):
        mediation.apply_judicial_confirmation(reg, oral["id"], applied_on=TODAY,
                                              court="法院", joint=True)
    family = open_case(reg, dispute_type="婚姻家庭")
    mediation.record_session(reg, family["id"], session())
    mediation.sign_agreement(reg, family["id"], agreement(status_matter="婚姻关系"))
    with pytest.raises(TransitionError, match="婚姻关系"):
        mediation.apply_judicial_confirmation(reg, family["id"], applied_on=TODAY,
                                              court="法院", joint=True)
    # and no judicial-confirmation deadline is shown for either
    kinds = {(d.mediation_id, d.kind) for d in mediation.deadline_warnings(reg, TODAY, 60)}
    assert (oral["id"], "judicial") not in kinds and (family["id"], "judicial") not in kinds


# ----- the 卷宗 and closing ---------------------------------------------------------------------

def checklist_of(reg: Register, case_id: str) -> dict[str, mediation.ChecklistItem]:
    return {i.key: i for i in mediation.mediation_file(reg, case_id).checklist}


def test_checklist_follows_the_data(reg: Register) -> None:
    case = open_case(reg)
    items = checklist_of(reg, case["id"])
    assert len(items) == 13 and [i.no for i in items.values()] == list(range(1, 14))
    assert items["application"].present and items["application"].required
    assert items["rights_notice"].missing and items["record"].missing
    assert items["identity"].missing  # 李秀英 has no ID number yet
    assert not items["power_of_attorney"].required
    mediation.add_party(reg, case["id"], PartyInput(side="b", name="李秀华", agent="律师刘某"))
    assert checklist_of(reg, case["id"])["power_of_attorney"].missing
    mediation.record_session(reg, case["id"], session())
    items = checklist_of(reg, case["id"])
    assert items["rights_notice"].present and items["rights_notice"].derived
    assert items["record"].present and items["agreement"].missing
    with pytest.raises(ValidationError, match="手工勾选"):
        mediation.set_documents(reg, case["id"], ["record"])
    mediation.set_documents(reg, case["id"], ["identity", "power_of_attorney"])
    items = checklist_of(reg, case["id"])
    assert items["identity"].present and not items["identity"].derived
    mediation.terminate(reg, case["id"], on=TODAY, reason="申请人撤回申请")
    items = checklist_of(reg, case["id"])
    assert not items["agreement"].required
    assert [i.key for i in items.values() if i.missing] == ["back_cover"]


def test_close_requires_performance_and_complete_file(reg: Register) -> None:
    case = agreed_case(reg)
    with pytest.raises(TransitionError, match="履行"):
        mediation.close_case(reg, case["id"], closed_on=TODAY, filed_by="李文静",
                             retention="长期")
    mediation.record_performance(reg, case["id"], on=TODAY - timedelta(days=1),
                                 status="performed")
    with pytest.raises(ValidationError, match="当事人身份证明"):
        mediation.close_case(reg, case["id"], closed_on=TODAY, filed_by="李文静",
                             retention="长期")
    assert reg.get("mediations", case["id"])["status"] == "agreed"  # nothing half-done
    with pytest.raises(ValidationError):
        mediation.close_case(reg, case["id"], closed_on=TODAY, filed_by="李文静",
                             retention="十年", ticked=["identity"])
    with pytest.raises(ValidationError):
        mediation.close_case(reg, case["id"], closed_on=TODAY - timedelta(days=2),
                             filed_by="李文静", retention="长期", ticked=["identity"])
    mediation.close_case(reg, case["id"], closed_on=TODAY, filed_by="李文静",
                         retention="长期", ticked=["identity"])
    got = mediation.mediation_file(reg, case["id"])
    assert got.case.status == "closed" and got.case.filed_on == TODAY
    assert not got.missing_documents
    with pytest.raises(TransitionError, match="已经结案"):
        mediation.close_case(reg, case["id"], closed_on=TODAY, filed_by="李文静",
                             retention="长期")
    # a follow-up after closing is still recorded (回访 continues)
    mediation.record_followup(reg, case["id"], FollowUpInput(
        visited_on=TODAY, visitor="陈调解", performance="已履行"))


def test_breached_agreement_can_be_closed(reg: Register) -> None:
    case = agreed_case(reg)
    mediation.record_performance(reg, case["id"], on=TODAY, status="breached",
                                 note="李秀英拒不清除，已告知可向法院起诉")
    mediation.close_case(reg, case["id"], closed_on=TODAY, filed_by="李文静",
                         retention="长期", ticked=["identity"])
    assert reg.get("mediations", case["id"])["status"] == "closed"


# ----- links both ways ---------------------------------------------------------------------------

def test_from_matter_links_both_ways_and_resolves(reg: Register) -> None:
    matter = make_matter(reg)
    assert [m["id"] for m in mediation.linkable_matters(reg)] == [matter["id"]]
    prefill, _parties = mediation.case_input_from_matter(reg, matter["id"])
    assert prefill.dispute_type == "房屋宅基地" and prefill.source == "matter"
    case = mediation.open_mediation_from_matter(
        reg, matter["id"], dispute_type="房屋宅基地", mediators=["陈调解"], recorder="李文静",
        accepted_on=TODAY - timedelta(days=8))
    got = mediation.get_case(reg, case["id"])
    assert got.source == "matter" and got.matter_id == matter["id"]
    assert got.village_name == "石桥村" and got.claims == ("请求确定界址",)
    parties = mediation.parties_of(reg, case["id"])
    assert [(p.side, p.name, p.id_number) for p in parties] == [("a", "王大明", ID_B)]
    events = reg.rows("SELECT kind, data FROM matter_events WHERE matter_id = ?",
                      (matter["id"],))
    assert events[0]["kind"] == "mediation_opened"
    assert json.loads(events[0]["data"])["mediation_id"] == case["id"]
    assert mediation.linkable_matters(reg) == []
    with pytest.raises(TransitionError, match="已转人民调解"):
        mediation.open_mediation_from_matter(reg, matter["id"], dispute_type="房屋宅基地")
    mediation.add_party(reg, case["id"], PartyInput(side="b", name="王小明"))
    mediation.record_session(reg, case["id"], session())
    mediation.sign_agreement(reg, case["id"], agreement())
    assert reg.get("matters", matter["id"])["resolved_by_mediation"] == 0
    mediation.record_performance(reg, case["id"], on=TODAY, status="performed")
    assert reg.get("matters", matter["id"])["resolved_by_mediation"] == 1
    kinds = [r["kind"] for r in reg.rows(
        "SELECT kind FROM matter_events WHERE matter_id = ? ORDER BY created_at",
        (matter["id"],))]
    assert kinds == ["mediation_opened", "mediation_resolved"]


def test_failed_mediation_of_a_matter_leaves_it_open(reg: Register) -> None:
    matter = make_matter(reg)
    case = mediation.open_mediation_from_matter(reg, matter["id"], dispute_type="房屋宅基地")
    mediation.record_failure(reg, case["id"], on=TODAY, reason="双方分歧大", routes=["司法"])
    assert reg.get("matters", matter["id"])["resolved_by_mediation"] == 0
    assert reg.scalar("SELECT kind FROM matter_events WHERE matter_id = ? AND kind LIKE"
                      " 'mediation_f%'", (matter["id"],)) == "mediation_failed"
    # it may be sent to mediation again
    assert mediation.open_mediation_from_matter(reg, matter["id"], dispute_type="房屋宅基地")


def test_from_dispute_links_both_ways_and_resolves(reg: Register) -> None:
    dispute = make_dispute(reg)
    inp, parties = mediation.case_input_from_dispute(reg, dispute["id"])
    assert [(p.side, p.name, p.phone) for p in parties] == [("a", "赵一", ""),
                                                             ("b", "钱二", "13900001111")]
    assert inp.dispute_type == "房屋宅基地"
    case = mediation.open_mediation_from_dispute(reg, dispute["id"], mediators=["陈调解"],
                                                 recorder="李文静",
                                                 accepted_on=TODAY - timedelta(days=8))
    d = reg.get("disputes", dispute["id"])
    assert d["status"] == "化解中" and d["mediation_id"] == case["id"]
    assert mediation.get_case(reg, case["id"]).dispute_id == dispute["id"]
    mediation.record_session(reg, case["id"], session())
    mediation.sign_agreement(reg, case["id"], agreement())
    mediation.record_performance(reg, case["id"], on=TODAY, status="performed")
    d = reg.get("disputes", dispute["id"])
    assert d["status"] == "已化解" and d["resolved_on"] == TODAY.isoformat()
    if "resolution_way" in d:
        assert d["resolution_way"] == "人民调解"
    with pytest.raises(TransitionError, match="已经化解"):
        mediation.open_mediation_from_dispute(reg, dispute["id"])


def test_all_link_writes_are_one_transaction(reg: Register, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    matter = make_matter(reg)
    case = mediation.open_mediation_from_matter(reg, matter["id"], dispute_type="房屋宅基地",
                                                mediators=["陈调解"], recorder="李文静",
                                                accepted_on=TODAY - timedelta(days=8))
    mediation.add_party(reg, case["id"], PartyInput(side="b", name="王小明"))
    mediation.record_session(reg, case["id"], session())
    mediation.sign_agreement(reg, case["id"], agreement())
    original = outcome.matter_event

    def boom(*_args: object, **_kw: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(outcome, "matter_event", boom)
    with pytest.raises(RuntimeError):
        mediation.record_performance(reg, case["id"], on=TODAY, status="performed")
    monkeypatch.setattr(outcome, "matter_event", original)
    assert reg.get("mediations", case["id"])["performance_status"] == "pending"
    assert reg.get("matters", matter["id"])["resolved_by_mediation"] == 0


# ----- permissions -----------------------------------------------------------------------------

def test_liaison_reads_own_villages_only(reg: Register) -> None:
    mine = open_case(reg)  # 春明村, the liaison's village
    other = open_case(reg, village_id=station.villages(reg)[1].id)
    reg.actor = accounts.find_user(reg, "liaison").actor()
    assert [c.id for c in mediation.list_cases(reg, today=TODAY)] == [mine["id"]]
    assert mediation.mediation_file(reg, mine["id"]).case.number == mine["number"]
    with pytest.raises(PermissionDenied):
        mediation.get_case(reg, other["id"])
    assert not mediation.can_edit(reg)
    with pytest.raises(PermissionDenied):
        mediation.record_session(reg, mine["id"], session())
    with pytest.raises(PermissionDenied):
        open_case(reg)


def test_head_edits(reg: Register) -> None:
    reg.actor = accounts.find_user(reg, "head").actor()
    case = open_case(reg)
    assert mediation.can_edit(reg)
    assert mediation.record_session(reg, case["id"], session())


# ----- lists and deadline warnings --------------------------------------------------------------

def test_deadline_warnings(reg: Register, clock: object) -> None:
    ending = open_case(reg, accepted_on=date(2026, 2, 5))  # period due 5 Mar
    fresh = open_case(reg, accepted_on=TODAY)  # due 2 Apr
    agreed = agreed_case(reg)  # performance 1 Mar (overdue), follow-up 16 Mar, JC 30 Mar
    warnings = mediation.deadline_warnings(reg, TODAY, within_days=7)
    got = {(w.mediation_id, w.kind): w for w in warnings}
    assert got[(ending["id"], "period")].days_left == 3
    assert got[(agreed["id"], "performance")].days_left == -1
    assert got[(agreed["id"], "performance")].urgency == "overdue"
    assert (fresh["id"], "period") not in got
    assert (agreed["id"], "followup") not in got
    assert "还有3天" in got[(ending["id"], "period")].message
    clock.advance(days=20)  # type: ignore[attr-defined]
    today = TODAY + timedelta(days=20)  # 22 Mar
    got = {(w.mediation_id, w.kind) for w in mediation.deadline_warnings(reg, today, 8)}
    assert (agreed["id"], "followup") in got and (agreed["id"], "judicial") in got
    # the list filters
    assert [c.id for c in mediation.list_cases(reg, today=today, followup_due=True)] == [
        agreed["id"]]
    assert {c.id for c in mediation.list_cases(reg, today=today, status="agreed")} == {
        agreed["id"]}
    assert {c.id for c in mediation.list_cases(reg, today=today, text="李秀英")} == {
        ending["id"], fresh["id"], agreed["id"]}
    mediation.record_performance(reg, agreed["id"], on=today, status="performed")
    mediation.record_followup(reg, agreed["id"], FollowUpInput(
        visited_on=today, visitor="陈调解", performance="已履行"))
    mediation.apply_judicial_confirmation(reg, agreed["id"], applied_on=today,
                                          court="姑苏区人民法院", joint=True)
    got = {(w.mediation_id, w.kind) for w in mediation.deadline_warnings(reg, today, 60)}
    assert not any(mid == agreed["id"] for mid, _k in got)


def test_update_case_while_open_only(reg: Register) -> None:
    case = open_case(reg)
    got = mediation.update_case(reg, case["id"], mediators=["陈调解", "周调解"], amount="800")
    assert json.loads(got["mediators"]) == ["陈调解", "周调解"] and got["amount_fen"] == 80000
    with pytest.raises(ValidationError):
        mediation.update_case(reg, case["id"], dispute_type="不存在")
    mediation.terminate(reg, case["id"], on=TODAY, reason="撤回")
    with pytest.raises(TransitionError):
        mediation.update_case(reg, case["id"], title="改名")


def test_every_change_is_audited(reg: Register) -> None:
    case = agreed_case(reg)
    tables = {r["table_name"] for r in reg.rows(
        "SELECT DISTINCT table_name FROM audit_log WHERE table_name LIKE 'mediation%'")}
    assert tables == {"mediations", "mediation_parties", "mediation_sessions",
                      "mediation_agreements", "mediation_events"}
    assert reg.get("mediations", case["id"])["version"] > 1


def test_available_actions_follow_the_state(reg: Register, clock: object) -> None:
    case = open_case(reg)

    def acts() -> set[str]:
        return mediation.available_actions(mediation.mediation_file(reg, case["id"]),
                                           reg.clock().date(), editable=True)

    assert {"party", "session", "agreement", "fail", "terminate", "extend"} <= acts()
    assert not acts() & {"followup", "performance", "judicial", "close"}
    mediation.record_session(reg, case["id"], session())
    mediation.sign_agreement(reg, case["id"], agreement())
    assert {"performance", "followup", "judicial"} <= acts()
    assert not acts() & {"session", "party", "agreement", "close"}
    mediation.record_performance(reg, case["id"], on=TODAY, status="performed")
    assert "close" in acts() and "performance" not in acts()
    clock.advance(days=40)  # type: ignore[attr-defined]
    assert "judicial" not in acts()  # the 30-day window has closed
    assert mediation.available_actions(mediation.mediation_file(reg, case["id"]), TODAY,
                                       editable=False) == set()


# ----- corrections (修改案件信息, 修改/删除当事人) --------------------------------------------------

def test_update_case_refuses_a_stale_version(reg: Register) -> None:
    case = open_case(reg)
    got = mediation.update_case(reg, case["id"], expected_version=case["version"],
                                facts="更正：柴草堆在张家门前的通道上。")
    assert got["facts"] == "更正：柴草堆在张家门前的通道上。"
    assert got["version"] == case["version"] + 1
    with pytest.raises(ConcurrentChange, match="已被他人修改"):
        mediation.update_case(reg, case["id"], expected_version=case["version"], title="改名")
    assert reg.get("mediations", case["id"])["title"] == case["title"]


def test_update_case_keeps_a_retired_dispute_type(reg: Register) -> None:
    case = open_case(reg)  # 邻里
    other = open_case(reg, dispute_type="合同")
    clerk = reg.actor
    reg.actor = accounts.find_user(reg, "head").actor()
    retired = next(c for c in codes.list_codes(reg, "dispute_type") if c.label == "邻里")
    codes.set_active(reg, retired.id, False)  # no longer offered; old records keep it
    reg.actor = clerk
    got = mediation.update_case(reg, case["id"], dispute_type="邻里", title="张李通行纠纷")
    assert (got["dispute_type"], got["title"]) == ("邻里", "张李通行纠纷")
    with pytest.raises(ValidationError) as err:  # but no case takes it up anew
        mediation.update_case(reg, other["id"], dispute_type="邻里")
    assert err.value.field == "dispute_type"


def test_edit_offered_while_the_mediation_goes_on(reg: Register) -> None:
    case = open_case(reg)

    def acts() -> set[str]:
        return mediation.available_actions(mediation.mediation_file(reg, case["id"]), TODAY,
                                           editable=True)

    assert "edit" in acts()
    mediation.record_session(reg, case["id"], session())
    assert "edit" in acts()
    mediation.sign_agreement(reg, case["id"], agreement())
    assert "edit" not in acts()
    with pytest.raises(TransitionError, match="登记内容不能再修改"):
        mediation.update_case(reg, case["id"], title="改名")


def test_update_party_corrects_and_checks(reg: Register) -> None:
    case = open_case(reg)
    zhang, li = mediation.parties_of(reg, case["id"])
    got = mediation.update_party(reg, li.id, PartyInput(side="b", name="李秀芳", gender="女",
                                                        age=53, phone="139 0000 1111"))
    assert (got["name"], got["phone"], got["age"]) == ("李秀芳", "13900001111", 53)
    with pytest.raises(ValidationError) as err:
        mediation.update_party(reg, li.id, PartyInput(side="b", name="李秀芳", phone="12345"))
    assert err.value.field == "phone"
    with pytest.raises(ValidationError, match="已经是本案当事人"):  # the other party's number
        mediation.update_party(reg, li.id, PartyInput(side="b", name="李秀芳", id_number=ID_A))
    same = mediation.update_party(reg, zhang.id, PartyInput(side="a", name="张建国",
                                                            id_number=ID_A))  # itself: fine
    assert same["id_number"] == ID_A
    assert mediation.parties_of(reg, case["id"])[1].name == "李秀芳"
    reg.actor = accounts.find_user(reg, "liaison").actor()
    with pytest.raises(PermissionDenied):
        mediation.update_party(reg, li.id, PartyInput(side="b", name="李四"))


def test_remove_party_while_open(reg: Register) -> None:
    case = open_case(reg)
    li = mediation.parties_of(reg, case["id"])[1]
    mediation.remove_party(reg, li.id)
    assert [p.name for p in mediation.parties_of(reg, case["id"])] == ["张建国"]
    assert [e.kind for e in mediation.events_of(reg, case["id"])][-1] == "party_removed"
    with pytest.raises(NotFound):  # already gone
        mediation.remove_party(reg, li.id)


def test_update_party_refuses_a_stale_form(reg: Register) -> None:
    case = open_case(reg)
    li = mediation.parties_of(reg, case["id"])[1]  # the form opens on this version
    mediation.update_party(reg, li.id, PartyInput(side="b", name="李秀芳"),
                           expected_version=li.version)  # someone else saves first
    with pytest.raises(ConcurrentChange):
        mediation.update_party(reg, li.id, PartyInput(side="b", name="李四妹"),
                               expected_version=li.version)
    assert mediation.parties_of(reg, case["id"])[1].name == "李秀芳"
    assert [e.kind for e in mediation.events_of(reg, case["id"])].count("party_updated") == 1


def test_a_party_present_at_a_session_cannot_be_removed(reg: Register) -> None:
    case = open_case(reg, [*two_parties(), PartyInput(side="b", name="王五")])
    zhang, li, wang = mediation.parties_of(reg, case["id"])
    mediation.record_session(reg, case["id"], session(result="continue",
                                                      present_party_ids=[zhang.id, li.id]))
    with pytest.raises(TransitionError, match="调解到场当事人"):
        mediation.remove_party(reg, li.id)
    mediation.remove_party(reg, wang.id)  # never at a session: removable
    assert [p.name for p in mediation.parties_of(reg, case["id"])] == [zhang.name, li.name]
