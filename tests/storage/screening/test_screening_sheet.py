"""The monthly screening sheet's data, escalation to mediation and to a petition matter, and
the demo generator."""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest

from storage import accounts, codes, station
from storage import screening as sc
from storage.demo import screening as demo_screening
from storage.errors import TransitionError
from storage.masking import mask_phone
from storage.register import Register
from tests.helpers.registers import FakeClock


def grids(reg: Register) -> dict[str, station.Grid]:
    return {f"{g.village_name}{g.name}": g for g in station.grids(reg)}


def dispute_input(**kw: object) -> sc.DisputeInput:
    values: dict[str, object] = dict(
        type="邻里", parties=[sc.PartyInput("张三", "13812345678"), sc.PartyInput("李四")],
        summary="排水沟走向争执，院内积水", risk_level="黄", persons_involved=2,
        measures="村调委会上门调解", responsible_unit="村（社区）委员会",
        responsible_person="刘副镇长", deadline=date(2026, 3, 31), place="春明村三组")
    values.update(kw)
    return sc.DisputeInput(**values)  # type: ignore[arg-type]


@pytest.fixture
def march(reg: Register, clock: FakeClock) -> dict[str, str]:
    """March 2026 (weeks 10–13): 春明村一组 finds two disputes in W10 and updates one in W11,
    zero-reports W12 and misses W13; 春明村二组 zero-reports every week, W11 late;
    九龙社区东片 reports W10 only; 石桥村一组 never reports. A February dispute is carried
    over; one resolved in February is not."""
    g = grids(reg)
    a, b, jl, sq = (g[k].id for k in ("春明村一组", "春明村二组", "九龙社区东片", "石桥村一组"))
    head = accounts.find_user(reg, "head").actor()
    clerk = reg.actor
    reg.actor = head
    sc.set_cadence(reg, "weekly")
    reg.set_setting("screening_start", "2026-02-16")
    reg.actor = clerk
    # February: entered on time in week 8 (the clock is moved back for it).
    clock.now = datetime(2026, 2, 20, 10, 0)
    old = sc.add_dispute(reg, a, "2026-W08", dispute_input(
        type="房屋宅基地", parties=[sc.PartyInput("陈九"), sc.PartyInput("周十")],
        summary="宅基地界址争议", deadline=date(2026, 4, 30)))
    gone = sc.add_dispute(reg, jl, "2026-W08", dispute_input(
        type="合同", parties=[sc.PartyInput("吴一"), sc.PartyInput("郑二")]))
    sc.update_dispute(reg, gone["id"], sc.DisputeProgress(
        status=sc.RESOLVED, resolution_way="行政调解", resolved_on=date(2026, 2, 20)),
        period_key="2026-W08")
    clock.now = datetime(2026, 3, 6, 9, 0)  # Friday of W10
    red = sc.add_dispute(reg, a, "2026-W10", dispute_input(
        risk_level="红", may_collective=True, may_criminal=True, persons_involved=35,
        type="征地拆迁", parties=[sc.PartyInput("王五", "0512-6512345"), sc.PartyInput("赵六")],
        summary="征地补偿款分配有意见，拟集体上访", deadline=date(2026, 3, 20)))
    small = sc.add_dispute(reg, a, "2026-W10", dispute_input())
    sc.report_zero(reg, b, "2026-W10")
    sc.add_dispute(reg, jl, "2026-W10", dispute_input(
        type="婚姻家庭", parties=[sc.PartyInput("钱七"), sc.PartyInput("孙八")],
        risk_level="蓝", responsible_person="", deadline=None))
    clock.now = datetime(2026, 3, 13, 9, 0)
    sc.update_dispute(reg, small["id"], sc.DisputeProgress(
        status=sc.RESOLVED, resolution_way="人民调解", resolved_on=date(2026, 3, 12),
        followup="双方满意"), period_key="2026-W11")
    sc.update_dispute(reg, old["id"], sc.DisputeProgress(note="继续协商"),
                      period_key="2026-W11")
    clock.now = datetime(2026, 3, 17, 9, 0)  # Tuesday: W11 is late now
    sc.report_zero(reg, b, "2026-W11")
    clock.now = datetime(2026, 3, 22, 9, 0)
    sc.report_zero(reg, a, "2026-W12")
    sc.report_zero(reg, b, "2026-W12")
    clock.now = datetime(2026, 3, 29, 9, 0)
    sc.report_zero(reg, b, "2026-W13")
    clock.now = datetime(2026, 4, 1, 9, 0)  # everything of March is due
    return {"red": red["id"], "small": small["id"], "old": old["id"], "gone": gone["id"]}


def test_sheet_rows_are_the_months_new_and_carried_over_disputes(reg: Register,
                                                                march: dict[str, str]) -> None:
    sheet = sc.monthly_sheet(reg, 2026, 3)
    assert sheet.title == "2026年3月矛盾纠纷排查表"
    assert [p.key for p in sheet.periods] == ["2026-W10", "2026-W11", "2026-W12", "2026-W13"]
    ids = [r.dispute_id for r in sheet.rows]
    assert march["gone"] not in ids  # resolved in February
    assert ids[0] == march["old"] and sheet.rows[0].carried_over
    assert [r.seq for r in sheet.rows] == [1, 2, 3, 4]
    assert (sheet.totals.total, sheet.totals.new, sheet.totals.carried_over) == (4, 3, 1)
    assert sheet.totals.resolved_in_month == 1
    assert sheet.totals.overdue == 1  # the red one: deadline 20 March
    assert (sheet.totals.may_collective, sheet.totals.may_criminal) == (1, 1)
    assert sheet.totals.persons_involved == 2 + 35 + 2 + 2


def test_sheet_row_has_every_column_of_the_printed_form(reg: Register,
                                                        march: dict[str, str]) -> None:
    sheet = sc.monthly_sheet(reg, 2026, 3)
    assert sheet.columns == (
        "序号", "排查日期", "村（社区）/网格", "排查人", "纠纷类型", "当事人", "涉及人数",
        "简要情况", "风险等级", "可能引发", "化解措施", "责任单位", "责任人", "化解时限",
        "化解状态", "化解日期", "化解方式", "回访情况", "备注")
    red = next(r for r in sheet.rows if r.dispute_id == march["red"])
    assert red.cells() == (
        "2", "2026-03-06", "春明村/一组", "赵德福", "征地拆迁", "王五（0512-6512345）、赵六", "35",
        "征地补偿款分配有意见，拟集体上访", "红", "集体访、民转刑", "村调委会上门调解",
        "村（社区）委员会", "刘副镇长", "2026-03-20", "未化解", "", "", "", "")
    # Phones come in full; printing masks them with its policy.
    assert red.parties_text(mask_phone) == "王五（0512-***2345）、赵六"
    small = next(r for r in sheet.rows if r.dispute_id == march["small"])
    assert (small.status, small.resolved_on, small.resolution_way, small.followup) == (
        "已化解", "2026-03-12", "人民调解", "双方满意")
    assert sheet.rows[0].remarks == "上期结转"


@pytest.mark.usefixtures("march")
def test_sheet_header_counts_cover_every_type_level_and_status(reg: Register) -> None:
    sheet = sc.monthly_sheet(reg, 2026, 3)
    by_type = dict(sheet.by_type)
    assert list(by_type) == codes.labels(reg, "dispute_type")  # all 15, zeros included
    assert (by_type["征地拆迁"], by_type["邻里"], by_type["房屋宅基地"], by_type["婚姻家庭"],
            by_type["合同"]) == (1, 1, 1, 1, 0)
    assert sheet.by_risk == (("红", 1), ("橙", 0), ("黄", 2), ("蓝", 1))
    assert sheet.by_status == (("未化解", 3), ("化解中", 0), ("已化解", 1), ("已移交", 0))
    assert sum(n for _t, n in sheet.by_type) == len(sheet.rows)


@pytest.mark.usefixtures("march")
def test_sheet_lists_zero_report_grids_and_grids_that_did_not_report(reg: Register) -> None:
    sheet = sc.monthly_sheet(reg, 2026, 3)
    by_name = {f"{g.village}{g.grid}": g for g in sheet.grids}
    assert by_name["春明村一组"].reported_periods == ("第10周", "第11周")
    assert by_name["春明村一组"].zero_periods == ("第12周",)
    assert by_name["春明村一组"].missing_periods == ("第13周",)
    assert by_name["春明村二组"].zero_periods == ("第10周", "第11周", "第12周", "第13周")
    assert by_name["春明村二组"].all_zero and by_name["春明村二组"].late_periods == ("第11周",)
    assert by_name["九龙社区东片"].missing_periods == ("第11周", "第12周", "第13周")
    assert by_name["石桥村一组"].missing_periods == ("第10周", "第11周", "第12周", "第13周")
    assert by_name["春明村二组"].liaison == "赵德福"
    assert [f"{g.village}{g.grid}" for g in sheet.zero_report_grids] == ["春明村一组",
                                                                         "春明村二组"]
    assert [f"{g.village}{g.grid}" for g in sheet.missing_grids] == [
        "春明村一组", "九龙社区东片", "石桥村一组"]
    r = sheet.reports
    assert (r.expected, r.reported, r.zero, r.late, r.missing, r.due) == (16, 3, 5, 1, 8, 0)
    assert r.reported + r.zero + r.missing == r.expected


def test_the_sheet_of_an_issued_month_is_reprinted_unchanged(reg: Register,
                                                             march: dict[str, str],
                                                             clock: FakeClock) -> None:
    sc.issue_month(reg, 2026, 3)
    issued = sc.monthly_sheet(reg, 2026, 3)
    clock.advance(days=7)
    sc.update_dispute(reg, march["red"], sc.DisputeProgress(
        status=sc.TRANSFERRED, transfer_to="镇派出所", risk_level="橙"), period_key="2026-W15")
    sc.update_dispute(reg, march["old"], sc.DisputeProgress(
        status=sc.RESOLVED, resolution_way="其他", resolved_on=date(2026, 4, 7)),
        period_key="2026-W15")
    again = sc.monthly_sheet(reg, 2026, 3)
    assert again.rows == issued.rows and again.by_status == issued.by_status
    assert again.locked and again.issued_by == "李文静"
    april = sc.monthly_sheet(reg, 2026, 4)
    red = next(r for r in april.rows if r.dispute_id == march["red"])
    assert (red.status, red.risk_level, red.remarks) == ("已移交", "橙", "上期结转；移交镇派出所")


def test_overdue_on_an_issued_sheet_is_counted_at_the_issue(reg: Register,
                                                          march: dict[str, str],
                                                          clock: FakeClock) -> None:
    sc.issue_month(reg, 2026, 3)  # 1 April: only the red one (deadline 20 March) is overdue
    issued = sc.monthly_sheet(reg, 2026, 3)
    assert [r.dispute_id for r in issued.rows if r.overdue] == [march["red"]]
    clock.now = datetime(2026, 5, 10, 9, 0)  # the February one (deadline 30 April) is late now
    assert sc.monthly_sheet(reg, 2026, 3).rows == issued.rows
    may = sc.monthly_sheet(reg, 2026, 5)
    assert {r.dispute_id for r in may.rows if r.overdue} == {march["red"], march["old"]}


def test_escalation_to_mediation_and_the_resolution_flows_back(reg: Register,
                                                               march: dict[str, str],
                                                               clock: FakeClock) -> None:
    from storage import mediation

    case = sc.send_to_mediation(reg, march["red"], mediators=["何调解员"])
    d = sc.dispute(reg, march["red"])
    assert (d["mediation_id"], d["status"]) == (case["id"], sc.IN_PROGRESS)
    assert case["dispute_id"] == march["red"] and case["source"] == "dispute"
    parties = reg.rows("SELECT side, name, phone FROM mediation_parties WHERE mediation_id = ?"
                       " ORDER BY sort", (case["id"],))
    assert [(p["side"], p["name"], p["phone"]) for p in parties] == [
        ("a", "王五", "0512-6512345"), ("b", "赵六", "")]
    history = sc.dispute_history(reg, march["red"])
    assert history[-1]["report_id"] is None and case["number"] in history[-1]["note"]
    with pytest.raises(TransitionError):
        sc.send_to_mediation(reg, march["red"], mediators=["何调解员"])
    # The mediation engineer's flow: a session, an oral agreement performed at signing.
    clock.advance(days=2)
    today = clock.now.date()
    mediation.record_session(reg, case["id"], mediation.SessionInput(
        held_on=today, recorder="李文静", record="双方陈述意见后同意按人口分配"))
    mediation.sign_agreement(reg, case["id"], mediation.AgreementInput(
        signed_on=today, terms="按人口平均分配补偿款", form="oral", performed_at_signing=True))
    d = sc.dispute(reg, march["red"])
    assert (d["status"], d["resolution_way"], d["resolved_on"]) == (
        sc.RESOLVED, "人民调解", today.isoformat())
    assert march["red"] not in [a.dispute_id for a in sc.home_alerts(reg)]
    april = sc.monthly_sheet(reg, 2026, 4)
    row = next(r for r in april.rows if r.dispute_id == march["red"])
    assert row.mediation_number == case["number"] and "转人民调解" in row.remarks


def test_registering_a_dispute_as_a_petition_matter_links_both_ways(
        reg: Register, march: dict[str, str]) -> None:
    matter = sc.register_as_matter(reg, march["red"], petitioners=["王五", "赵六"])
    d = sc.dispute(reg, march["red"])
    assert d["matter_id"] == matter["id"]
    assert d["status"] == sc.TRANSFERRED and matter["number"] in d["transfer_to"]
    events = reg.rows("SELECT kind, data FROM matter_events WHERE matter_id = ?",
                      (matter["id"],))
    assert any(e["kind"] == "from_screening" and march["red"] in e["data"] for e in events)
    names = {r["name"] for r in reg.rows(
        "SELECT p.name FROM petitioners p JOIN matter_petitioners mp ON mp.petitioner_id = p.id"
        " WHERE mp.matter_id = ?", (matter["id"],))}
    assert names == {"王五", "赵六"}
    from storage.screening import dispute_of_matter

    assert dispute_of_matter(reg, matter["id"])["id"] == march["red"]  # type: ignore[index]
    with pytest.raises(TransitionError, match="已登记为信访事项"):
        sc.register_as_matter(reg, march["red"])
    with pytest.raises(TransitionError, match="已经化解"):
        sc.register_as_matter(reg, march["small"])


def test_a_liaison_cannot_escalate(reg: Register, march: dict[str, str]) -> None:
    reg.actor = accounts.find_user(reg, "liaison").actor()
    with pytest.raises(Exception, match="不能进行此操作"):
        sc.register_as_matter(reg, march["red"])
    assert sc.dispute(reg, march["red"])["matter_id"] is None


# ----- the demo --------------------------------------------------------------------------------
def test_demo_builds_a_year_of_screenings_with_gaps_zero_reports_and_living_disputes(
        reg: Register, clock: FakeClock) -> None:
    clock.now = datetime(2027, 3, 3, 9, 0)
    stats = demo_screening.generate_demo(reg, random.Random(11), start=date(2026, 3, 1), months=12)
    assert stats["grids"] == 4 and stats["months"] == 12
    assert reg.actor.username == "clerk" and reg.clock is clock
    n_reports = reg.scalar("SELECT count(*) FROM screening_reports WHERE deleted = 0")
    n_zero = reg.scalar("SELECT count(*) FROM screening_reports WHERE is_zero = 1")
    assert n_reports == stats["reports"] and n_zero == stats["zero_reports"] > 50
    assert stats["missing"] > 0 and stats["late"] > 0
    assert 0 < stats["disputes"] == reg.scalar("SELECT count(*) FROM disputes")
    # Disputes live across weeks: some have been updated in three or more weeks.
    assert reg.scalar("SELECT max(n) FROM (SELECT count(*) AS n FROM dispute_updates"
                      " GROUP BY dispute_id)") >= 3
    assert reg.scalar("SELECT count(*) FROM disputes WHERE risk_level IN ('红', '橙')") > 0
    assert stats.get("to_mediation", 0) + stats.get("to_matter", 0) > 0
    assert stats["months_locked"] >= 11 and stats["months_reopened"] == 1
    # The matrix over the whole year shows the gaps as missing, never as zero.
    periods = sc.completeness(reg, [sc.parse_period(f"2026-W{w:02d}") for w in range(10, 53)])
    assert periods.count(sc.CellState.MISSING) > 0
    assert periods.count(sc.CellState.ZERO) > 0
    assert periods.count(sc.CellState.UNTRACKED) == 0
    sheet = sc.monthly_sheet(reg, 2026, 9)
    assert sheet.locked and sheet.reports.expected == 4 * len(sheet.periods)
    # Same seed, same register.
    again = demo_screening.generate_demo(_fresh(clock), random.Random(11), start=date(2026, 3, 1),
                             months=12)
    assert again == stats


def _fresh(clock: FakeClock) -> Register:
    from storage.db import open_register
    from tests.helpers.registers import CHEAP_HASHER, set_up

    saved = clock.now
    clock.now = datetime(2026, 3, 2, 9, 0)
    r = set_up(open_register(None, clock=clock, password_hasher=CHEAP_HASHER))
    clock.now = saved
    return r


def test_a_zero_week_of_a_running_month_is_not_a_zero_month(reg: Register,
                                                            clock: FakeClock) -> None:
    """Issue 15: one zero-reported week of five printed as 全月零报告 while the month ran."""
    b = grids(reg)["春明村二组"].id
    clerk, reg.actor = reg.actor, accounts.find_user(reg, "head").actor()
    sc.set_cadence(reg, "weekly")
    reg.set_setting("screening_start", "2026-02-16")
    reg.actor = clerk
    clock.now = datetime(2026, 3, 6, 9, 0)  # Friday of W10; W11–W13 still to come
    sc.report_zero(reg, b, "2026-W10")
    grid = next(g for g in sc.monthly_sheet(reg, 2026, 3).grids
                if f"{g.village}{g.grid}" == "春明村二组")
    assert grid.zero_periods == ("第10周",)
    assert not grid.all_zero
