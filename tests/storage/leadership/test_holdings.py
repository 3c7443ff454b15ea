"""Leaders and 包案: any matter, mediation case or screened dispute gets one leader with a plan
(steps with days, a target date); what is late shows per leader; the 包案台账 and the month's
figures count them."""

from __future__ import annotations

from datetime import date

import pytest

from storage import accounts, leadership, mediation, station
from storage import screening as sc
from storage.errors import NotFound, PermissionDenied, TransitionError, ValidationError
from storage.register import Register
from tests.helpers import register_data as rd
from tests.helpers.registers import FakeClock
from tests.storage.mediation.test_mediation import case_input, two_parties


def _head(reg: Register) -> Register:
    reg.actor = accounts.find_user(reg, "head").actor()
    return reg


@pytest.fixture
def leaders(reg: Register) -> list[leadership.Leader]:
    _head(reg)
    made = [leadership.add_leader(reg, "王建华", "副镇长", "13812345678"),
            leadership.add_leader(reg, "陈立新", "党委副书记")]
    reg.actor = accounts.find_user(reg, "clerk").actor()
    return made


def test_the_leaders_list_is_the_heads(reg: Register) -> None:
    with pytest.raises(PermissionDenied):
        leadership.add_leader(reg, "王建华", "副镇长")  # a clerk keeps no list
    _head(reg)
    wang = leadership.add_leader(reg, "王建华", "副镇长")
    with pytest.raises(ValidationError):
        leadership.add_leader(reg, "王建华", "镇长")  # the same name twice
    with pytest.raises(ValidationError):
        leadership.add_leader(reg, "刘明", "")  # a post is required
    leadership.update_leader(reg, wang.id, name="王建华", post="镇长", active=False)
    assert leadership.leaders(reg) == []
    assert leadership.leaders(reg, active_only=False)[0].label == "王建华（镇长）"
    assert leadership.find_leader(reg, "王建华").id == wang.id


def test_a_plan_its_late_steps_and_the_ledger(reg: Register, leaders: list[leadership.Leader],
                                              clock: FakeClock) -> None:
    matter = rd.register(reg, date(2026, 2, 20))
    steps = leadership.parse_steps("2026-03-05 调阅二轮承包合同\n\n2026年3月12日 召开村民小组会议\n"
                                   "签订调整协议")
    assert [(s.text, s.due) for s in steps] == [
        ("调阅二轮承包合同", date(2026, 3, 5)), ("召开村民小组会议", date(2026, 3, 12)),
        ("签订调整协议", None)]
    held = leadership.hold(reg, leadership.HoldingInput(
        leaders[0].id, "matter", matter["id"], date(2026, 3, 20), "依法恢复承包经营权", steps))
    assert held.subject_label.endswith("反映春明村一组二轮承包地被村组收回另行发包")
    with pytest.raises(ValidationError, match="已由王建华"):
        leadership.hold(reg, leadership.HoldingInput(leaders[1].id, "matter", matter["id"],
                                                     date(2026, 3, 20), "另一个方案"))
    with pytest.raises(ValidationError):
        leadership.hold(reg, leadership.HoldingInput(leaders[1].id, "matter", matter["id"],
                                                     date(2026, 1, 1), "目标日期在包案之前"))

    assert leadership.home_alerts(reg) == []
    clock.advance(days=7)  # 2026-03-09: step 1 is late
    [late] = leadership.overdue_by_leader(reg)
    assert late.leader.name == "王建华"
    assert late.items[0][1] == ["第1步“调阅二轮承包合同”应于2026-03-05完成"]
    leadership.complete_step(reg, held.id, 1, date(2026, 3, 9))
    assert leadership.overdue_by_leader(reg) == []
    clock.advance(days=13)  # 2026-03-22: the target date and step 2 have passed
    [alert] = leadership.home_alerts(reg)
    assert alert.startswith("王建华（副镇长）包案逾期1件")
    assert alert.endswith("：00001 反映春明村一组二轮承包地被…（超过化解目标日期2026-03-20等2项）")
    leadership.add_note(reg, held.id, date(2026, 3, 22), "村民小组会议改期至3月25日")

    [row] = leadership.ledger(reg)
    assert (row.leader, row.kind, row.target_date) == ("王建华（副镇长）", "信访事项", "2026-03-20")
    assert row.next_step == "2026-03-12 召开村民小组会议"
    assert row.progress == "已完成1/3步；2026-03-22 村民小组会议改期至3月25日"
    assert row.overdue.startswith("超过化解目标日期")

    clock.advance(days=3)
    leadership.close_holding(reg, held.id, date(2026, 3, 25), resolved=True,
                             note="已签订调整协议，信访人息诉")
    with pytest.raises(TransitionError):
        leadership.add_note(reg, held.id, date(2026, 3, 25), "再记一条")
    assert leadership.ledger(reg) == []
    assert leadership.ledger(reg, include_closed=True)[0].status == "已化解"
    march = leadership.month_figures(reg, "2026-03")
    assert (march.holdings_new, march.holdings_resolved, march.holdings_resolved_on_time,
            march.holdings_at_end) == (1, 1, 0, 0)  # resolved, but after its target date


def test_mediation_cases_and_screened_disputes_can_be_held(
        reg: Register, leaders: list[leadership.Leader]) -> None:
    case = mediation.open_mediation(reg, case_input(reg, title="相邻通行纠纷"), two_parties())
    grid = station.grids(reg)[0]
    found = sc.add_dispute(reg, grid.id, None, sc.DisputeInput(
        type="邻里", parties=[sc.PartyInput("赵一"), sc.PartyInput("钱二")],
        summary="滴水檐争执", risk_level="黄"))
    for kind, subject in (("mediation", case["id"]), ("dispute", found["id"])):
        leadership.hold(reg, leadership.HoldingInput(leaders[1].id, kind, subject,
                                                     date(2026, 4, 1), "包案化解"))
    labels = {h.subject_kind: h.subject_label for h in leadership.holdings(reg)}
    assert labels["mediation"].endswith("相邻通行纠纷")
    assert labels["dispute"] == f"{grid.village_name}：滴水檐争执"
    with pytest.raises(NotFound):
        leadership.hold(reg, leadership.HoldingInput(leaders[1].id, "matter", "no-such-id",
                                                     date(2026, 4, 1), "x"))
    assert leadership.holding_of(reg, "mediation", case["id"]) is not None


def test_steps_are_checked(reg: Register, leaders: list[leadership.Leader]) -> None:
    with pytest.raises(ValidationError):
        leadership.parse_steps("2026-02-30 不存在的日子")
    with pytest.raises(ValidationError):
        leadership.parse_steps("\n".join(f"第{i}步" for i in range(21)))
    matter = rd.register(reg, date(2026, 3, 1))
    with pytest.raises(ValidationError, match="晚于化解目标日期"):
        leadership.hold(reg, leadership.HoldingInput(
            leaders[0].id, "matter", matter["id"], date(2026, 3, 10), "",
            leadership.parse_steps("2026-03-20 太晚的一步")))
    with pytest.raises(ValidationError):
        leadership.hold(reg, leadership.HoldingInput(leaders[0].id, "matter", matter["id"],
                                                     date(2026, 3, 10)))  # no plan, no steps


def test_the_county_holds_nothing_of_a_townships(two_townships, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.county import HUAYUAN, copy_of

    world = copy_of(two_townships, clock)
    view_matter = world.county.scalar("SELECT id FROM matters WHERE station_code = ?", (HUAYUAN,))
    with pytest.raises(PermissionDenied):
        leadership.hold(world.county, leadership.HoldingInput("x", "matter", view_matter,
                                                              date(2026, 4, 1), "x"))


def test_what_is_held_is_found_by_what_a_clerk_types(reg: Register) -> None:
    matter = rd.register(reg, date(2026, 3, 1))
    case = mediation.open_mediation(reg, case_input(reg, title="相邻通行纠纷"), two_parties())
    grid = station.grids(reg)[0]
    for summary in ("滴水檐争执", "宅基地界址争执"):
        sc.add_dispute(reg, grid.id, None, sc.DisputeInput(
            type="邻里", parties=[sc.PartyInput("赵一"), sc.PartyInput("钱二")],
            summary=summary, risk_level="黄"), allow_similar=True)
    assert leadership.find_subject(reg, "matter", matter["number"][-5:]) == matter["id"]
    assert leadership.find_subject(reg, "matter", "1") == matter["id"]
    year, seq = case["year"], case["seq"]
    assert leadership.find_subject(reg, "mediation", f"{year}-{seq}") == case["id"]
    assert leadership.find_subject(reg, "mediation", case["number"]) == case["id"]
    found = leadership.find_subject(reg, "dispute", "滴水檐")
    assert reg.get("disputes", found)["summary"] == "滴水檐争执"
    with pytest.raises(ValidationError, match="有2件"):
        leadership.find_subject(reg, "dispute", "争执")
    with pytest.raises(NotFound):
        leadership.find_subject(reg, "matter", "99999")
