"""更正 and 作废 of a registered matter (docs/domain.md §3.6): a correction needs a reason and is
shown on the timeline with the values before, which the audit log keeps too; a void needs a
reason and the head's confirmation, keeps the number, leaves the lists and the monthly
figures, refuses every later step and reprints marked 作废."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from printing.documents import build_document
from storage import accounts, petitions, station, statistics
from storage.errors import PermissionDenied, TransitionError, ValidationError
from storage.petitions import PetitionerInput, RegistrationInput
from storage.register import Register, Row
from storage.voiding import HeadConfirmation
from tests.helpers.audit import without_row_image
from tests.helpers.pdf import Pdf
from tests.helpers.registers import FakeClock

TODAY = date(2026, 3, 2)
HEAD = HeadConfirmation("head", "head-pass-1")


def register(reg: Register, **kw: Any) -> Row:
    values: dict[str, Any] = dict(
        form="来访", received_on=TODAY,
        petitioners=[PetitionerInput(name="张建困", id_number="320508198001011238",
                                     phone="13812345678", address="春明村3组")],
        summary="反映承包地被邻户占用", category1="农村农业", category2="土地承包经营",
        problem_village_id=station.villages(reg)[0].id)
    values.update(kw)
    return petitions.register(reg, RegistrationInput(**values))


def audit(reg: Register, table: str, record_id: str) -> list[dict[str, Any]]:
    return [dict(action=r["action"], actor=r["actor"],
                 before=json.loads(r["before"]) if r["before"] else None,
                 after=json.loads(r["after"]) if r["after"] else None)
            for r in reg.rows("SELECT * FROM audit_log WHERE table_name = ? AND record_id = ?"
                              " ORDER BY seq", (table, record_id))]


# ----- 更正 -----------------------------------------------------------------------------------

def test_a_correction_needs_a_reason_and_changes_nothing_without_one(reg: Register) -> None:
    m = register(reg)
    entries = reg.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(ValidationError) as refused:
        petitions.correct_matter(reg, m["id"], " ", changes={"summary": "反映宅基地被占用"})
    assert refused.value.field == "reason"
    with pytest.raises(ValidationError) as empty:
        petitions.correct_matter(reg, m["id"], "笔误", changes={"summary": ""})
    assert empty.value.field == "summary"
    with pytest.raises(ValidationError):
        petitions.correct_matter(reg, m["id"], "笔误", changes={"summary": m["summary"]})
    assert reg.scalar("SELECT count(*) FROM audit_log") == entries
    assert reg.get("matters", m["id"])["version"] == m["version"]


def test_any_registered_field_and_the_registered_petitioner_can_be_corrected(
        reg: Register, clock: FakeClock) -> None:
    m = register(reg)
    clock.advance(days=1)
    link = petitions.petitioners_of(reg, m["id"])[0]
    village = station.villages(reg)[1]
    petitions.correct_matter(
        reg, m["id"], "登记时姓名和分类录错",
        changes={"category1": "国土资源", "category2": "土地权属",
                 "problem_village_id": village.id, "visitors_count": 6,
                 "persons_involved": 6},
        petitioner_changes={link["link_id"]: {"name": "张建国"}})
    after = reg.get("matters", m["id"])
    assert (after["category1"], after["category2"], after["problem_village_id"]) == (
        "国土资源", "土地权属", village.id)
    assert after["is_collective"] == 1  # follows the corrected number of visitors
    assert petitions.petitioners_of(reg, m["id"])[0]["name"] == "张建国"
    # the person's own record is another thing: corrected on its own
    assert reg.get("petitioners", m["petitioner_id"])["name"] == "张建困"

    event = petitions.events_of(reg, m["id"])[-1]
    assert (event["kind"], event["note"], event["occurred_on"]) == (
        "correct", "登记时姓名和分类录错", "2026-03-03")
    data = json.loads(event["data"])
    assert data["matter"]["category1"] == ["农村农业", "国土资源"]
    assert data["petitioners"][link["link_id"]]["changes"]["name"] == ["张建困", "张建国"]
    text = petitions.describe_correction(event, {v.id: v.name for v in station.villages(reg)})
    assert "内容分类：农村农业→国土资源" in text
    assert f"问题属地：春明村→{village.name}" in text
    assert "张建困 姓名：张建困→张建国" in text
    # the audit log has every value before
    matter_update = [e for e in audit(reg, "matters", m["id"]) if e["action"] == "update"][-1]
    assert matter_update["before"]["category1"] == "农村农业"
    assert matter_update["before"]["visitors_count"] == 1
    link_update = audit(reg, "matter_petitioners", link["link_id"])[-1]
    assert without_row_image(link_update["before"]) == {"name": "张建困"}
    assert petitions.search_ids(reg, "张建国") == [m["id"]]


def test_correcting_the_date_moves_the_deadline_and_the_registration(reg: Register) -> None:
    m = register(reg, received_on=TODAY - timedelta(days=10))
    petitions.correct_matter(reg, m["id"], "来信收到日期录错",
                             changes={"received_on": TODAY - timedelta(days=1)})
    after = reg.get("matters", m["id"])
    assert after["received_on"] == "2026-03-01"
    assert (m["due_date"], after["due_date"]) == ("2026-03-09", "2026-03-16")
    assert petitions.events_of(reg, m["id"])[0]["occurred_on"] == "2026-03-01"
    petitions.accept(reg, m["id"], TODAY - timedelta(days=1))
    with pytest.raises(ValidationError) as after_step:
        petitions.correct_matter(reg, m["id"], "再改", changes={"received_on": TODAY})
    assert after_step.value.field == "received_on"


# ----- 作废 ---------------------------------------------------------------------------------------

def test_voiding_needs_a_reason_and_the_heads_confirmation(reg: Register) -> None:
    m = register(reg)
    with pytest.raises(ValidationError):
        petitions.void_matter(reg, m["id"], "", HEAD)
    with pytest.raises(PermissionDenied):
        petitions.void_matter(reg, m["id"], "重复登记")  # a clerk alone
    with pytest.raises(ValidationError) as wrong:
        petitions.void_matter(reg, m["id"], "重复登记", HeadConfirmation("head", "nope"))
    assert wrong.value.field == "head_password"
    with pytest.raises(ValidationError):  # the clerk's own password is not a head's
        petitions.void_matter(reg, m["id"], "重复登记", HeadConfirmation("clerk", "clerk-pass-1"))
    assert reg.get("matters", m["id"])["voided"] == 0
    accounts.authenticate(reg, "liaison", "liaison-pass-1")
    with pytest.raises(PermissionDenied):
        petitions.void_matter(reg, m["id"], "重复登记", HEAD)


def test_a_voided_matter_keeps_its_number_and_leaves_lists_and_figures(
        reg: Register, clock: FakeClock) -> None:
    kept = register(reg, summary="反映道路破损", category1="城乡建设", category2="")
    twice = register(reg, duplicate_decision=petitions.NEW_MATTER)
    petitions.accept(reg, twice["id"], TODAY)
    petitions.reply(reg, twice["id"], TODAY, "解释说明")
    month = statistics.monthly(reg, "2026-03")
    assert (month.new_matters, month.replies) == (2, {"解释说明": 1})
    clock.advance(hours=1)

    voided = petitions.void_matter(reg, twice["id"], "同一来访登记了两次", HEAD)
    assert (voided["voided"], voided["deleted"], voided["void_reason"],
            voided["void_confirmed_by"]) == (1, 1, "同一来访登记了两次", "王站长")
    assert voided["number"] == twice["number"]
    # out of every list, search and figure
    assert petitions.search_ids(reg, "") == [kept["id"]]
    assert petitions.search_ids(reg, "承包地") == []
    assert [m.id for m in petitions.history(reg, id_number="320508198001011238").matters] == [
        kept["id"]]
    month = statistics.monthly(reg, "2026-03")
    assert (month.new_matters, month.total_items, month.replies) == (1, 1, {})
    assert [r["id"] for r in petitions.list_for_cli(reg, status=None, limit=10)] == [kept["id"]]
    # its number is never given again
    assert register(reg, summary="反映路灯不亮", duplicate_decision=petitions.NEW_MATTER
                    )["number"].endswith("-00003")
    # nothing more can happen to it
    with pytest.raises(TransitionError, match="已作废"):
        petitions.close(reg, twice["id"], TODAY)
    with pytest.raises(TransitionError, match="已作废"):
        petitions.correct_matter(reg, twice["id"], "更正", changes={"summary": "另一件"})
    with pytest.raises(TransitionError, match="已作废"):
        register(reg, attach_to_matter_id=twice["id"])
    # the timeline and the audit say who, why and on whose confirmation
    event = petitions.events_of(reg, twice["id"])[-1]
    assert (event["kind"], event["note"], event["actor_name"]) == ("void", "同一来访登记了两次",
                                                                   "李文静")
    assert json.loads(event["data"])["confirmed_by"] == "王站长"
    entry = audit(reg, "matters", twice["id"])[-1]
    assert entry["action"] == "delete"
    assert entry["before"]["status"] == "replied" and entry["before"]["voided"] == 0
    assert entry["after"]["voided"] == 1 and entry["after"]["void_reason"] == "同一来访登记了两次"


def test_a_voided_matter_reprints_marked_void(reg: Register) -> None:
    m = register(reg)
    before = Pdf(build_document(reg, "receipt", m["number"]).data).flat_text
    assert "作废" not in before
    accounts.authenticate(reg, "head", "head-pass-1")
    petitions.void_matter(reg, m["id"], "误将咨询登记为信访")
    reprint = Pdf(build_document(reg, "receipt", m["number"]).data).flat_text
    assert "作废" in reprint
    assert "误将咨询登记为信访" in reprint
    assert "张建困" in reprint  # still the receipt it was
