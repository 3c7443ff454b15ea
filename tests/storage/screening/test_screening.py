"""Grid screening at the storage layer: zero vs missing, double entry, disputes across weeks,
late reports, permissions, month locks."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from storage import accounts, station
from storage import screening as sc
from storage.errors import PermissionDenied, TransitionError, ValidationError
from storage.register import Register
from storage.screening import (
    HALF_MONTHLY,
    MONTHLY,
    WEEKLY,
    parse_period,
    period_containing,
    periods_of_month,
)
from tests.helpers.registers import FakeClock

W10, W11, W12 = "2026-W10", "2026-W11", "2026-W12"


def act_as(reg: Register, username: str) -> None:
    reg.actor = accounts.find_user(reg, username).actor()


def grids(reg: Register) -> dict[str, station.Grid]:
    return {f"{g.village_name}{g.name}": g for g in station.grids(reg)}


def dispute_input(**kw: object) -> sc.DisputeInput:
    values: dict[str, object] = dict(
        type="邻里", parties=[sc.PartyInput("张三", "13812345678"), sc.PartyInput("李四")],
        summary="排水沟走向争执，院内积水", risk_level="黄", persons_involved=2,
        measures="村调委会上门调解")
    values.update(kw)
    return sc.DisputeInput(**values)  # type: ignore[arg-type]


# ----- periods -----------------------------------------------------------------------------------
def test_weekly_periods_follow_iso_weeks_and_count_in_the_month_of_their_thursday() -> None:
    p = period_containing(WEEKLY, date(2026, 3, 4))
    assert (p.key, p.start, p.end) == ("2026-W10", date(2026, 3, 2), date(2026, 3, 8))
    assert p.due(1) == date(2026, 3, 9)  # the Monday after the week
    assert parse_period("2026-W10") == p
    # 30 Mar – 5 Apr 2026: Thursday 2 April, so the week is April's.
    assert parse_period("2026-W14").month == "2026-04"
    # ISO year differs from calendar year at the turn of the year.
    assert period_containing(WEEKLY, date(2026, 12, 31)).key == "2026-W53"
    assert period_containing(WEEKLY, date(2027, 1, 4)).key == "2027-W01"
    march = periods_of_month(WEEKLY, 2026, 3)
    assert [x.key for x in march] == ["2026-W10", "2026-W11", "2026-W12", "2026-W13"]
    assert [x.key for x in periods_of_month(WEEKLY, 2026, 4)][0] == "2026-W14"


def test_half_monthly_and_monthly_periods() -> None:
    first = period_containing(HALF_MONTHLY, date(2026, 2, 15))
    second = period_containing(HALF_MONTHLY, date(2026, 2, 16))
    assert (first.key, first.end) == ("2026-02-1", date(2026, 2, 15))
    assert (second.key, second.end) == ("2026-02-2", date(2026, 2, 28))
    assert parse_period("2026-02-2") == second
    m = period_containing(MONTHLY, date(2026, 2, 10))
    assert (m.key, m.start, m.end) == ("2026-02", date(2026, 2, 1), date(2026, 2, 28))
    with pytest.raises(ValidationError):
        parse_period("2026-W60")


def test_cadence_is_a_setting_of_the_station_head(reg: Register) -> None:
    assert sc.cadence(reg) == WEEKLY
    with pytest.raises(PermissionDenied):
        sc.set_cadence(reg, MONTHLY)
    act_as(reg, "head")
    sc.set_cadence(reg, HALF_MONTHLY)
    assert sc.current_period(reg).key == "2026-03-1"
    with pytest.raises(ValidationError):
        sc.set_cadence(reg, "daily")
    # the change is in the audit chain, with what it was before
    entry = reg.rows("SELECT before, after, actor FROM audit_log WHERE table_name = 'settings'"
                     " ORDER BY seq DESC LIMIT 1")[0]
    assert json.loads(entry["after"]) == {sc.SETTING_CADENCE: HALF_MONTHLY}
    assert json.loads(entry["before"]) == {sc.SETTING_CADENCE: None}
    assert entry["actor"] == "head"


# ----- zero vs missing ---------------------------------------------------------------------------
def test_a_zero_report_and_a_missing_report_are_never_confused(reg: Register,
                                                              clock: FakeClock) -> None:
    g = grids(reg)
    sc.report_zero(reg, g["春明村一组"].id, W10)
    sc.add_dispute(reg, g["春明村二组"].id, W10, dispute_input())
    m = sc.completeness(reg, [parse_period(W10)])
    assert m.cell(g["春明村一组"].id, W10).state is sc.CellState.ZERO
    assert m.cell(g["春明村二组"].id, W10).state is sc.CellState.REPORTED
    # Nothing from 九龙社区 yet: the week is still running, so it is due, not missing.
    assert m.cell(g["九龙社区东片"].id, W10).state is sc.CellState.DUE
    clock.advance(days=7)  # Monday 9 March: the due day itself
    assert sc.completeness(reg, [parse_period(W10)]).cell(
        g["九龙社区东片"].id, W10).state is sc.CellState.DUE
    clock.advance(days=1)  # Tuesday: now it is missing
    m = sc.completeness(reg, [parse_period(W10)])
    assert m.cell(g["九龙社区东片"].id, W10).state is sc.CellState.MISSING
    assert m.cell(g["春明村一组"].id, W10).state is sc.CellState.ZERO
    assert (m.count(sc.CellState.ZERO), m.count(sc.CellState.REPORTED),
            m.count(sc.CellState.MISSING)) == (1, 1, 2)


def test_weeks_before_screening_began_are_not_missing(reg: Register, clock: FakeClock) -> None:
    clock.advance(days=30)
    m = sc.completeness(reg, [parse_period("2026-W08"), parse_period(W10)])
    row = m.rows[0]
    assert [c.state for c in row.cells] == [sc.CellState.UNTRACKED, sc.CellState.MISSING]


# ----- double entry ------------------------------------------------------------------------------
def test_a_second_zero_report_for_the_same_grid_and_week_is_refused(reg: Register) -> None:
    gid = grids(reg)["春明村一组"].id
    sc.report_zero(reg, gid, W10)
    with pytest.raises(ValidationError, match="已.*报过零报告，不能重复填报"):
        sc.report_zero(reg, gid, W10)
    assert reg.scalar("SELECT count(*) FROM screening_reports WHERE grid_id = ?", (gid,)) == 1


def test_a_zero_report_after_disputes_is_refused(reg: Register) -> None:
    gid = grids(reg)["春明村一组"].id
    sc.add_dispute(reg, gid, W10, dispute_input())
    with pytest.raises(ValidationError, match="发现纠纷1件"):
        sc.report_zero(reg, gid, W10)


def test_a_dispute_in_a_zero_reported_week_is_refused_unless_merged(reg: Register) -> None:
    gid = grids(reg)["春明村一组"].id
    zero = sc.report_zero(reg, gid, W10)
    with pytest.raises(ValidationError, match="已报零报告"):
        sc.add_dispute(reg, gid, W10, dispute_input())
    assert reg.scalar("SELECT count(*) FROM disputes") == 0
    d = sc.add_dispute(reg, gid, W10, dispute_input(), replace_zero=True)
    assert d["report_id"] == zero["id"]
    report = reg.get("screening_reports", zero["id"])
    assert report["is_zero"] == 0
    m = sc.completeness(reg, [parse_period(W10)])
    assert m.cell(gid, W10).state is sc.CellState.REPORTED
    assert m.count(sc.CellState.REPORTED) + m.count(sc.CellState.ZERO) == 1


def test_two_disputes_in_one_week_make_one_report(reg: Register) -> None:
    gid = grids(reg)["春明村一组"].id
    a = sc.add_dispute(reg, gid, W10, dispute_input())
    b = sc.add_dispute(reg, gid, W10, dispute_input(
        type="婚姻家庭", parties=[sc.PartyInput("王五"), sc.PartyInput("赵六")]))
    assert a["report_id"] == b["report_id"]
    assert sc.completeness(reg, [parse_period(W10)]).cell(gid, W10).new_disputes == 2


def test_the_database_itself_refuses_a_second_live_report(reg: Register) -> None:
    gid = grids(reg)["春明村一组"].id
    row = sc.report_zero(reg, gid, W10)
    copy = {k: row[k] for k in ("grid_id", "village_id", "period", "cadence", "period_start",
                                "period_end", "month", "due_on", "is_zero", "screened_on",
                                "reported_at", "reporter_name")}
    with pytest.raises(sqlite3.IntegrityError), reg.transaction():
        reg.insert("screening_reports", copy)
    # A withdrawn report does not block a new one.
    sc.withdraw_report(reg, row["id"], "填错了网格")
    assert sc.find_report(reg, gid, W10) is None
    sc.report_zero(reg, gid, W10)


def test_the_same_dispute_entered_again_is_refused(reg: Register, clock: FakeClock) -> None:
    gid = grids(reg)["春明村一组"].id
    sc.add_dispute(reg, gid, W10, dispute_input())
    clock.advance(days=7)
    again = dispute_input(parties=[sc.PartyInput("李四"), sc.PartyInput("孙七")])
    with pytest.raises(ValidationError, match="不要重复登记"):
        sc.add_dispute(reg, gid, W11, again)
    # Another grid, or a different type, is a different dispute.
    sc.add_dispute(reg, grids(reg)["春明村二组"].id, W11, again)
    sc.add_dispute(reg, gid, W11, dispute_input(type="合同"))


# ----- a dispute across weeks --------------------------------------------------------------------
def test_a_dispute_updated_across_weeks_is_counted_once(reg: Register, clock: FakeClock) -> None:
    gid = grids(reg)["春明村一组"].id
    d = sc.add_dispute(reg, gid, W10, dispute_input())
    clock.advance(days=7)
    sc.update_dispute(reg, d["id"], sc.DisputeProgress(note="再次上门", status=sc.IN_PROGRESS),
                      period_key=W11)
    clock.advance(days=7)
    sc.update_dispute(reg, d["id"], sc.DisputeProgress(
        note="双方签字和解", status=sc.RESOLVED, resolution_way="人民调解",
        resolved_on=date(2026, 3, 15)), period_key=W12)
    assert reg.scalar("SELECT count(*) FROM disputes") == 1
    history = sc.dispute_history(reg, d["id"])
    assert [h["period"] for h in history] == [W11, W12]
    reports = {h["period"]: sc.find_report(reg, gid, h["period"]) for h in history}
    assert all(reports[h["period"]]["id"] == h["report_id"] for h in history)  # type: ignore[index]
    final = sc.dispute(reg, d["id"])
    assert (final["status"], final["resolved_on"], final["resolution_way"]) == (
        sc.RESOLVED, "2026-03-15", "人民调解")
    # The grid reported in all three weeks; the dispute is one row on March's sheet.
    m = sc.completeness(reg, [parse_period(k) for k in (W10, W11, W12)])
    assert [c.state for c in m.rows[0].cells] == [sc.CellState.REPORTED] * 3
    assert [c.new_disputes for c in m.rows[0].cells] == [1, 0, 0]
    sheet = sc.monthly_sheet(reg, 2026, 3)
    assert len(sheet.rows) == 1 and sheet.totals.total == 1
    assert dict(sheet.by_status)[sc.RESOLVED] == 1


def test_two_updates_in_the_same_week_are_merged(reg: Register, clock: FakeClock) -> None:
    gid = grids(reg)["春明村一组"].id
    d = sc.add_dispute(reg, gid, W10, dispute_input())
    clock.advance(days=7)
    sc.update_dispute(reg, d["id"], sc.DisputeProgress(note="第一次", status=sc.IN_PROGRESS),
                      period_key=W11)
    sc.update_dispute(reg, d["id"], sc.DisputeProgress(note="第二次", measures="镇司法所介入"),
                      period_key=W11)
    history = sc.dispute_history(reg, d["id"])
    assert len(history) == 1
    assert history[0]["note"] == "第一次\n第二次"
    assert '"status": ["未化解", "化解中"]' in history[0]["changes"]
    assert "镇司法所介入" in history[0]["changes"]


def test_an_update_with_nothing_new_is_refused(reg: Register) -> None:
    d = sc.add_dispute(reg, grids(reg)["春明村一组"].id, W10, dispute_input())
    with pytest.raises(ValidationError, match="没有填写任何进展"):
        sc.update_dispute(reg, d["id"], sc.DisputeProgress(), period_key=W10)


def test_open_disputes_are_carried_into_later_weeks(reg: Register, clock: FakeClock) -> None:
    gid = grids(reg)["春明村一组"].id
    d = sc.add_dispute(reg, gid, W10, dispute_input())
    clock.advance(days=7)
    carried = sc.carried_disputes(reg, gid, parse_period(W11))
    assert [x["id"] for x in carried] == [d["id"]]
    sc.update_dispute(reg, d["id"], sc.DisputeProgress(
        status=sc.RESOLVED, resolution_way="其他", resolved_on=date(2026, 3, 9)), period_key=W11)
    clock.advance(days=7)
    assert sc.carried_disputes(reg, gid, parse_period(W12)) == []
    # Still listed in the week it was resolved in (so the screen shows what was said).
    assert len(sc.carried_disputes(reg, gid, parse_period(W11))) == 1


# ----- rules of a dispute ------------------------------------------------------------------------
@pytest.mark.parametrize(("changes", "message"), [
    (dict(risk_level="红"), "责任人"),
    (dict(risk_level="橙", responsible_person="王副镇长"), "化解时限"),
    (dict(status="已化解"), "化解日期"),
    (dict(status="已化解", resolved_on=date(2026, 3, 2)), "化解方式"),
    (dict(status="已移交"), "移交单位"),
    (dict(parties=[]), "至少填写一名当事人"),
    (dict(persons_involved=1), "涉及人数"),
    (dict(type="打架"), "纠纷类型"),
    (dict(summary=""), "简要情况"),
    (dict(deadline=date(2026, 3, 1)), "化解时限不能早于"),
    (dict(parties=[sc.PartyInput("张三", "12345")]), "手机号码"),
])
def test_a_dispute_is_checked_before_anything_is_saved(reg: Register, changes: dict[str, object],
                                                       message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        sc.add_dispute(reg, grids(reg)["春明村一组"].id, W10, dispute_input(**changes))
    assert reg.scalar("SELECT count(*) FROM screening_reports") == 0
    assert reg.scalar("SELECT count(*) FROM disputes") == 0


def test_phones_are_stored_normalised_and_parties_read_first_against_the_others(
        reg: Register) -> None:
    d = sc.add_dispute(reg, grids(reg)["春明村一组"].id, W10, dispute_input(parties=[
        sc.PartyInput("张三", "138 1234 5678"), sc.PartyInput("李四"), sc.PartyInput("王五")],
        persons_involved=3))
    assert d["parties"] == "张三与李四、王五"
    assert sc.parties_of(d) == [sc.Party("张三", "13812345678"), sc.Party("李四", ""),
                                sc.Party("王五", "")]


def test_a_future_week_cannot_be_reported(reg: Register) -> None:
    with pytest.raises(ValidationError, match="还没有开始"):
        sc.report_zero(reg, grids(reg)["春明村一组"].id, W11)


# ----- late reports ------------------------------------------------------------------------------
def test_a_report_after_the_monday_after_the_week_is_late(reg: Register,
                                                         clock: FakeClock) -> None:
    g = grids(reg)
    clock.advance(days=7)  # Monday 9 March: W10 due today
    sc.report_zero(reg, g["春明村一组"].id, W10)
    clock.advance(days=1)  # Tuesday: late
    sc.report_zero(reg, g["春明村二组"].id, W10)
    sc.add_dispute(reg, g["九龙社区东片"].id, W10, dispute_input())
    m = sc.completeness(reg, [parse_period(W10)])
    assert not m.cell(g["春明村一组"].id, W10).late
    late = m.cell(g["春明村二组"].id, W10)
    assert late.late and late.state is sc.CellState.ZERO and late.reported
    assert m.cell(g["九龙社区东片"].id, W10).late
    assert m.late == 2
    assert m.cell(g["石桥村一组"].id, W10).state is sc.CellState.MISSING


def test_grace_days_are_a_setting(reg: Register, clock: FakeClock) -> None:
    act_as(reg, "head")
    sc.set_grace_days(reg, 3)
    clock.advance(days=9)  # Wednesday 11 March, within 3 days after the week
    sc.report_zero(reg, grids(reg)["春明村一组"].id, W10)
    assert not sc.completeness(reg, [parse_period(W10)]).rows[0].cells[0].late


# ----- who may report ----------------------------------------------------------------------------
def test_a_liaison_reports_only_for_their_grids(reg: Register) -> None:
    g = grids(reg)
    act_as(reg, "liaison")  # village 春明村
    assert [x.village_name for x in sc.entry_grids(reg)] == ["春明村", "春明村"]
    row = sc.report_zero(reg, g["春明村一组"].id, W10)
    assert row["reporter_name"] == "赵德福"
    with pytest.raises(PermissionDenied, match="九龙社区东片"):
        sc.report_zero(reg, g["九龙社区东片"].id, W10)
    with pytest.raises(PermissionDenied):
        sc.add_dispute(reg, g["石桥村一组"].id, W10, dispute_input())
    assert reg.scalar("SELECT count(*) FROM screening_reports") == 1


def test_a_grid_assigned_to_a_liaison_outside_their_villages(reg: Register) -> None:
    g = grids(reg)
    liaison = accounts.find_user(reg, "liaison")
    act_as(reg, "head")
    station.assign_liaison(reg, g["石桥村一组"].id, liaison.id)
    act_as(reg, "liaison")
    sc.report_zero(reg, g["石桥村一组"].id, W10)
    # The assigned liaison's name shows in the matrix and reminders.
    act_as(reg, "clerk")
    row = [r for r in sc.completeness(reg, [parse_period(W10)]).rows
           if r.grid.id == g["石桥村一组"].id][0]
    assert row.liaison == "赵德福"


def test_a_liaison_cannot_update_a_dispute_of_another_grid(reg: Register) -> None:
    d = sc.add_dispute(reg, grids(reg)["九龙社区东片"].id, W10, dispute_input())
    act_as(reg, "liaison")
    with pytest.raises(PermissionDenied):
        sc.update_dispute(reg, d["id"], sc.DisputeProgress(note="看看"), period_key=W10)
    assert sc.list_disputes(reg) == []  # and does not see it in the list


def test_the_clerk_enters_a_paper_report_in_the_liaisons_name(reg: Register) -> None:
    row = sc.report_zero(reg, grids(reg)["春明村一组"].id, W10, reporter="赵德福")
    assert row["reporter_name"] == "赵德福"
    assert row["reporter_id"] == accounts.find_user(reg, "liaison").id


# ----- month closing -----------------------------------------------------------------------------
def _march_reported(reg: Register, clock: FakeClock) -> str:
    gid = grids(reg)["春明村一组"].id
    d = sc.add_dispute(reg, gid, W10, dispute_input())
    clock.advance(days=28)  # Monday 30 March (W14: April's)
    return str(d["id"])


def test_the_sheet_can_be_issued_only_after_the_months_last_week(reg: Register,
                                                                 clock: FakeClock) -> None:
    clock.advance(days=27)  # Sunday 29 March: W13 (the last March week) still running
    with pytest.raises(ValidationError, match="结束后才能出具"):
        sc.issue_month(reg, 2026, 3)
    clock.advance(days=1)
    lock = sc.issue_month(reg, 2026, 3)
    assert lock.locked and lock.issued_by == "李文静"
    with pytest.raises(TransitionError, match="已锁定"):
        sc.issue_month(reg, 2026, 3)


def test_a_locked_month_cannot_change(reg: Register, clock: FakeClock) -> None:
    did = _march_reported(reg, clock)
    gid = grids(reg)["春明村二组"].id
    sc.issue_month(reg, 2026, 3)
    assert sc.is_locked(reg, "2026-03")
    with pytest.raises(TransitionError, match="已锁定"):
        sc.report_zero(reg, gid, W12)
    with pytest.raises(TransitionError, match="已锁定"):
        sc.add_dispute(reg, gid, W12, dispute_input())
    with pytest.raises(TransitionError, match="已锁定"):
        sc.update_dispute(reg, did, sc.DisputeProgress(note="补记"), period_key=W12)
    with pytest.raises(TransitionError, match="已锁定"):
        sc.edit_dispute(reg, did, dispute_input(summary="改一下"))
    report = sc.find_report(reg, grids(reg)["春明村一组"].id, W10)
    assert report is not None
    with pytest.raises(TransitionError, match="已锁定"):
        sc.withdraw_report(reg, report["id"], "不想要了")
    # The dispute lives on: April's weeks update it.
    row = sc.update_dispute(reg, did, sc.DisputeProgress(note="继续跟踪",
                                                         status=sc.IN_PROGRESS), period_key="2026-W14")
    assert row["status"] == sc.IN_PROGRESS


def test_the_head_reopens_a_month_with_a_reason_that_is_recorded(reg: Register,
                                                                 clock: FakeClock) -> None:
    did = _march_reported(reg, clock)
    sc.issue_month(reg, 2026, 3)
    with pytest.raises(PermissionDenied):
        sc.reopen_month(reg, 2026, 3, "漏报了一件纠纷")  # the clerk may not
    act_as(reg, "head")
    with pytest.raises(ValidationError, match="理由"):
        sc.reopen_month(reg, 2026, 3, "  ")
    with pytest.raises(ValidationError, match="至少"):
        sc.reopen_month(reg, 2026, 3, "漏报")
    lock = sc.reopen_month(reg, 2026, 3, "石桥村补交了第12周的台帐")
    assert not lock.locked and lock.reopen_reason == "石桥村补交了第12周的台帐"
    assert lock.reopened_by == "王站长"
    sc.edit_dispute(reg, did, dispute_input(summary="排水沟走向争执，已积水三天"))
    audit = reg.rows("SELECT actor, after FROM audit_log WHERE table_name = 'month_locks'"
                     " ORDER BY seq")
    assert audit[-1]["actor"] == "head" and "石桥村补交了第12周的台帐" in audit[-1]["after"]
    sc.issue_month(reg, 2026, 3)
    history = sc.lock_history(reg, 2026, 3)
    assert [h["action"] for h in history] == ["issue", "reopen", "issue"]
    assert history[1]["reason"] == "石桥村补交了第12周的台帐" and history[1]["by"] == "王站长"
    with pytest.raises(TransitionError):
        sc.edit_dispute(reg, did, dispute_input())
    with pytest.raises(TransitionError, match="没有锁定"):
        sc.reopen_month(reg, 2026, 4, "四月还没出具呢")


def test_the_sheet_of_a_locked_month_does_not_move(reg: Register, clock: FakeClock) -> None:
    did = _march_reported(reg, clock)
    sc.issue_month(reg, 2026, 3)
    before = sc.monthly_sheet(reg, 2026, 3)
    clock.advance(days=7)
    sc.update_dispute(reg, did, sc.DisputeProgress(
        status=sc.RESOLVED, resolution_way="人民调解", resolved_on=date(2026, 4, 3),
        measures="镇调委会调解成功"), period_key="2026-W14")
    after = sc.monthly_sheet(reg, 2026, 3)
    assert after.rows == before.rows
    assert after.rows[0].status == sc.OPEN and after.rows[0].measures == "村调委会上门调解"
    assert after.locked and after.as_of == before.as_of
    april = sc.monthly_sheet(reg, 2026, 4)
    assert april.rows[0].status == sc.RESOLVED and april.rows[0].carried_over
    assert april.totals.resolved_in_month == 1


# ----- home screen -------------------------------------------------------------------------------
def test_home_alerts_list_high_risk_and_overdue_disputes(reg: Register, clock: FakeClock) -> None:
    g = grids(reg)
    red = sc.add_dispute(reg, g["春明村一组"].id, W10, dispute_input(
        risk_level="红", responsible_person="王副镇长", deadline=date(2026, 3, 20),
        may_collective=True, persons_involved=30))
    yellow_late = sc.add_dispute(reg, g["春明村二组"].id, W10, dispute_input(
        deadline=date(2026, 3, 5)))
    sc.add_dispute(reg, g["九龙社区东片"].id, W10, dispute_input(risk_level="蓝"))
    done = sc.add_dispute(reg, g["石桥村一组"].id, W10, dispute_input(
        risk_level="橙", responsible_person="陈副书记", deadline=date(2026, 3, 6)))
    sc.update_dispute(reg, done["id"], sc.DisputeProgress(
        status=sc.RESOLVED, resolution_way="行政调解", resolved_on=date(2026, 3, 2)),
        period_key=W10)
    assert [a.dispute_id for a in sc.home_alerts(reg)] == [red["id"]]
    clock.advance(days=10)  # 12 March: the yellow one is 7 days past its deadline
    alerts = sc.home_alerts(reg)
    assert [a.dispute_id for a in alerts] == [red["id"], yellow_late["id"]]
    assert alerts[0].high_risk and alerts[0].overdue_days == 0
    assert not alerts[1].high_risk and alerts[1].overdue_days == 7
    assert "超过化解时限7天" in alerts[1].text and "春明村二组" in alerts[1].text


def test_reminders_and_outstanding_reports_per_liaison(reg: Register, clock: FakeClock) -> None:
    g = grids(reg)
    clock.advance(days=7)
    sc.report_zero(reg, g["春明村一组"].id, W10)
    clock.advance(days=8)  # Tuesday 17 March: W10 and W11 overdue for the others
    sc.report_zero(reg, g["春明村一组"].id, W11)
    m = sc.completeness(reg, [parse_period(W10), parse_period(W11)])
    loads = {x.liaison: x for x in m.liaisons}
    assert loads["赵德福"].missing == 2  # 春明村二组, both weeks
    assert loads["未指定联络员"].missing == 4
    texts = [r.text for r in sc.reminders(reg, lookback=3)]
    assert "春明村一组" not in "".join(texts)
    assert any(t.startswith("春明村二组（赵德福）：未报2期：第10周、第11周") for t in texts)


# ----- small helpers the screens use -------------------------------------------------------------
def test_parties_typed_on_one_line() -> None:
    parsed = sc.parse_parties_text("张三 13812345678；李四、王五（0512-6512345）,欧阳小明")
    assert [(p.name, p.phone) for p in parsed] == [
        ("张三", "13812345678"), ("李四", ""), ("王五", "0512-6512345"), ("欧阳小明", "")]
    assert sc.format_parties([sc.Party("张三", "13812345678"), sc.Party("李四", "")]) == \
        "张三 13812345678；李四"
    with pytest.raises(ValidationError, match="看不懂当事人"):
        sc.parse_parties_text("13812345678")


def test_history_lines_name_the_fields_in_words(reg: Register, clock: FakeClock) -> None:
    d = sc.add_dispute(reg, grids(reg)["春明村一组"].id, W10, dispute_input())
    clock.advance(days=7)
    sc.update_dispute(reg, d["id"], sc.DisputeProgress(note="镇司法所介入",
                                                       status=sc.IN_PROGRESS), period_key=W11)
    line = sc.describe_update(sc.dispute_history(reg, d["id"])[0])
    assert line == "2026-W11 2026-03-09 李文静：镇司法所介入（化解状态：未化解→化解中）"
