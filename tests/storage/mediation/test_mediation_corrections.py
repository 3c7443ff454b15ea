"""更正 and 作废 of a mediation case (docs/domain.md §3.6): the same rules as a petition matter —
a reason, the values before on the timeline and in the audit log; a void confirmed by the head,
keeping the number, out of the list and the month's figures, reprinted marked 作废."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from printing.documents import build_document
from storage import mediation
from storage.errors import PermissionDenied, TransitionError, ValidationError
from storage.mediation import FollowUpInput
from storage.register import Register
from storage.voiding import HeadConfirmation
from tests.helpers.audit import without_row_image
from tests.helpers.pdf import Pdf
from tests.storage.mediation.test_mediation import (
    TODAY,
    agreed_case,
    make_dispute,
    open_case,
)

HEAD = HeadConfirmation("head", "head-pass-1")


def test_a_closed_case_can_still_be_corrected_with_a_reason(reg: Register) -> None:
    case = agreed_case(reg)
    with pytest.raises(TransitionError):  # 修改 is for open cases
        mediation.update_case(reg, case["id"], title="改")
    with pytest.raises(ValidationError) as no_reason:
        mediation.correct_case(reg, case["id"], "", title="张建国与李秀英通道纠纷")
    assert no_reason.value.field == "reason"
    mediation.correct_case(reg, case["id"], "案由笔误", title="张建国与李秀英通道纠纷")
    assert mediation.get_case(reg, case["id"]).title == "张建国与李秀英通道纠纷"
    event = mediation.events_of(reg, case["id"])[-1]
    assert (event.kind, event.note, event.actor) == ("corrected", "案由笔误", "李文静")
    assert event.data["changes"]["title"] == ["张建国与李秀英相邻通行纠纷", "张建国与李秀英通道纠纷"]
    before = reg.rows("SELECT before FROM audit_log WHERE table_name = 'mediations'"
                      " AND record_id = ? AND action = 'update' ORDER BY seq DESC LIMIT 1",
                      (case["id"],))[0]["before"]
    assert without_row_image(json.loads(before)) == {"title": "张建国与李秀英相邻通行纠纷"}


def test_a_voided_case_leaves_the_list_and_the_figures(reg: Register) -> None:
    kept = open_case(reg, title="保留的案件")
    case = agreed_case(reg)
    mediation.record_followup(reg, case["id"], FollowUpInput(
        visited_on=TODAY, visitor="陈调解", performance="已清除柴草"))
    month = mediation.month_stats(reg, "2026-02")
    march = mediation.month_stats(reg, "2026-03")
    assert (month.accepted, march.followups) == (2, 1)
    with pytest.raises(PermissionDenied):
        mediation.void_case(reg, case["id"], "重复立案")
    with pytest.raises(ValidationError):
        mediation.void_case(reg, case["id"], "", HEAD)

    voided = mediation.void_case(reg, case["id"], "同一纠纷重复立案", HEAD)
    assert (voided["voided"], voided["deleted"], voided["void_confirmed_by"]) == (1, 1, "王站长")
    assert [c.id for c in mediation.list_cases(reg, today=TODAY)] == [kept["id"]]
    month = mediation.month_stats(reg, "2026-02")
    march = mediation.month_stats(reg, "2026-03")
    assert (month.accepted, month.succeeded, march.followups) == (1, 0, 0)
    # still there to read, marked, with its number
    shown = mediation.get_case(reg, case["id"])
    assert shown.voided and shown.number == case["number"] and shown.status_label == "已作废"
    assert mediation.events_of(reg, case["id"])[-1].kind == "voided"
    with pytest.raises(TransitionError, match="已作废"):
        mediation.correct_case(reg, case["id"], "再改", title="另一案由")
    with pytest.raises(TransitionError, match="已作废"):
        mediation.close_case(reg, case["id"], closed_on=TODAY, filed_by="李文静",
                             retention="长期")
    printed = Pdf(build_document(reg, "registration", case["number"]).data).flat_text
    assert "作废" in printed and "同一纠纷重复立案" in printed


def test_voiding_a_case_frees_the_dispute_it_came_from(reg: Register) -> None:
    dispute = make_dispute(reg)
    case = mediation.open_mediation_from_dispute(reg, dispute["id"], mediators=["陈调解"],
                                                 recorder="李文静",
                                                 accepted_on=TODAY - timedelta(days=1))
    assert reg.get("disputes", dispute["id"])["mediation_id"] == case["id"]
    mediation.void_case(reg, case["id"], "转调错了纠纷", HEAD)
    assert reg.get("disputes", dispute["id"])["mediation_id"] is None
