"""更正 and 作废 of a grid's screening report in a month not yet locked (docs/domain.md §3.6): a
void takes the report and the disputes first found in it out of the matrix, the ledger and the
monthly sheet and frees the period for a new report; a correction keeps the values before."""

from __future__ import annotations

import json

import pytest

from storage import screening as sc
from storage.errors import PermissionDenied, TransitionError, ValidationError
from storage.register import Register
from storage.voiding import HeadConfirmation
from tests.helpers.registers import FakeClock
from tests.storage.screening.test_screening import W10, act_as, dispute_input, grids

HEAD = HeadConfirmation("head", "head-pass-1")


def test_a_voided_report_leaves_the_sheet_and_frees_the_period(reg: Register) -> None:
    grid = grids(reg)["春明村一组"]
    d = sc.add_dispute(reg, grid.id, W10, dispute_input())
    report = sc.find_report(reg, grid.id, W10)
    assert report is not None
    sheet = sc.monthly_sheet(reg, 2026, 3)
    assert [r.summary for r in sheet.rows] == ["排水沟走向争执，院内积水"]
    with pytest.raises(PermissionDenied):
        sc.void_report(reg, report["id"], "报错网格")
    voided = sc.void_report(reg, report["id"], "报错了网格，应为二组", HEAD)
    assert (voided["voided"], voided["deleted"], voided["void_reason"]) == (
        1, 1, "报错了网格，应为二组")
    gone = reg.get("disputes", d["id"], include_deleted=True)
    assert (gone["voided"], gone["deleted"]) == (1, 1)
    assert sc.find_report(reg, grid.id, W10) is None
    assert sc.monthly_sheet(reg, 2026, 3).rows == ()
    assert sc.report_zero(reg, grid.id, W10)["is_zero"] == 1  # the week can be reported again


def test_no_void_in_a_locked_month_nor_of_a_dispute_that_lived_on(reg: Register,
                                                                  clock: FakeClock) -> None:
    grid = grids(reg)["春明村一组"]
    d = sc.add_dispute(reg, grid.id, W10, dispute_input())
    report = sc.find_report(reg, grid.id, W10)
    assert report is not None
    clock.advance(days=7)
    sc.update_dispute(reg, d["id"], sc.DisputeProgress(note="再次上门"), period_key="2026-W11")
    with pytest.raises(TransitionError, match="以后的周期"):
        sc.void_report(reg, report["id"], "重复", HEAD)
    clock.advance(days=21)
    act_as(reg, "head")
    sc.issue_month(reg, 2026, 3)
    with pytest.raises(TransitionError, match="已锁定"):
        sc.void_report(reg, report["id"], "重复")
    with pytest.raises(TransitionError, match="已锁定"):
        sc.correct_report(reg, report["id"], "补记", note="补记")


def test_a_report_correction_keeps_the_values_before(reg: Register) -> None:
    grid = grids(reg)["春明村一组"]
    report = sc.report_zero(reg, grid.id, W10, reporter="赵德福")
    with pytest.raises(ValidationError) as no_reason:
        sc.correct_report(reg, report["id"], "", reporter_name="钱德禄")
    assert no_reason.value.field == "reason"
    fixed = sc.correct_report(reg, report["id"], "排查人写错", reporter_name="钱德禄")
    assert fixed["reporter_name"] == "钱德禄"
    [line] = sc.describe_corrections(fixed)
    assert "排查人：赵德福→钱德禄" in line and "排查人写错" in line and "李文静" in line
    audit = reg.rows("SELECT before FROM audit_log WHERE table_name = 'screening_reports'"
                     " AND record_id = ? AND action = 'update'", (report["id"],))
    assert json.loads(audit[-1]["before"])["reporter_name"] == "赵德福"
