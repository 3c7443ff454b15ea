"""撤销作废 (docs/domain.md §3.6): the station head takes back a void made by mistake, with a
reason — a matter, a mediation case, a screening report in a month not yet locked. The record is
live again where it stood, the undo is on its timeline (or its report) and in the audit log, and
it travels to the county like the void did, whichever of the two bundles arrives first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from storage import mediation, petitions, station
from storage import screening as sc
from storage.errors import PermissionDenied, TransitionError, ValidationError
from storage.integrity import verify_records
from storage.petitions import PetitionerInput, RegistrationInput
from storage.register import Register, Row
from storage.voiding import HeadConfirmation
from tests.helpers.registers import FakeClock
from tests.helpers.sync import (
    as_head,
    export_to,
    import_files,
    linked,
    unlock,
)
from tests.storage.mediation.test_mediation import TODAY, make_dispute
from tests.storage.screening.test_screening import W10, act_as, dispute_input, grids

HEAD = HeadConfirmation("head", "head-pass-1")
TOWN = "320508102000"


def _matter(reg: Register, summary: str = "反映承包地被邻户占用") -> Row:
    return petitions.register(reg, RegistrationInput(
        form="来访", received_on=reg.clock().date(), summary=summary,
        petitioners=[PetitionerInput(name="张建国", id_number="320508198001011238",
                                     phone="13812345678")],
        problem_village_id=station.villages(reg)[0].id,
        duplicate_decision=petitions.NEW_MATTER))


def test_the_head_undoes_a_matters_void_with_a_reason(reg: Register) -> None:
    matter = _matter(reg)
    petitions.void_matter(reg, matter["id"], "误登记", HEAD)
    assert petitions.search_ids(reg, "张建国") == []
    with pytest.raises(PermissionDenied):  # the clerk may not, even with the head's password
        petitions.unvoid_matter(reg, matter["id"], "作废错了")
    act_as(reg, "head")
    with pytest.raises(ValidationError):
        petitions.unvoid_matter(reg, matter["id"], "  ")
    back = petitions.unvoid_matter(reg, matter["id"], "作废错了，是另一件")
    assert (back["voided"], back["deleted"], back["number"]) == (0, 0, matter["number"])
    assert back["due_date"] == matter["due_date"] and back["due_kind"] == matter["due_kind"]
    assert petitions.search_ids(reg, "张建国") == [matter["id"]]
    last = petitions.events_of(reg, matter["id"])[-1]
    assert (last["kind"], last["note"]) == ("unvoid", "作废错了，是另一件")
    assert petitions.EVENT_LABELS["unvoid"] == "撤销作废"
    petitions.accept(reg, matter["id"], reg.clock().date())  # the workflow goes on
    with pytest.raises(TransitionError, match="没有作废"):
        petitions.unvoid_matter(reg, matter["id"], "再来一次")
    assert verify_records(reg.conn, reg.station_code).ok  # the entries prove the row


def test_a_mediation_case_comes_back_with_its_dispute(reg: Register) -> None:
    dispute = make_dispute(reg)
    case = mediation.open_mediation_from_dispute(reg, dispute["id"], mediators=["陈调解"],
                                                 recorder="李文静",
                                                 accepted_on=TODAY - timedelta(days=1))
    mediation.void_case(reg, case["id"], "转调错了纠纷", HEAD)
    with pytest.raises(PermissionDenied):
        mediation.unvoid_case(reg, case["id"], "作废错了")
    act_as(reg, "head")
    back = mediation.unvoid_case(reg, case["id"], "作废错了")
    assert (back["voided"], back["deleted"]) == (0, 0)
    assert reg.get("disputes", dispute["id"])["mediation_id"] == case["id"]
    assert mediation.events_of(reg, case["id"])[-1].kind == "unvoided"
    assert not mediation.get_case(reg, case["id"]).voided


def test_a_case_whose_dispute_went_to_another_case_stays_voided(reg: Register) -> None:
    dispute = make_dispute(reg)
    case = mediation.open_mediation_from_dispute(reg, dispute["id"], mediators=["陈调解"],
                                                 recorder="李文静",
                                                 accepted_on=TODAY - timedelta(days=1))
    mediation.void_case(reg, case["id"], "转调错了纠纷", HEAD)
    mediation.open_mediation_from_dispute(reg, dispute["id"], mediators=["陈调解"],
                                          recorder="李文静", accepted_on=TODAY)
    act_as(reg, "head")
    with pytest.raises(TransitionError, match="另案调解"):
        mediation.unvoid_case(reg, case["id"], "作废错了")
    assert reg.get("mediations", case["id"], include_deleted=True)["voided"] == 1


def test_a_screening_report_comes_back_unless_its_month_is_locked(
        reg: Register, clock: FakeClock) -> None:
    grid = grids(reg)["春明村一组"]
    d = sc.add_dispute(reg, grid.id, W10, dispute_input())
    report = sc.find_report(reg, grid.id, W10)
    assert report is not None
    updates = len(sc.dispute_history(reg, d["id"]))
    sc.void_report(reg, report["id"], "报错了网格", HEAD)
    act_as(reg, "head")
    back = sc.unvoid_report(reg, report["id"], "网格没有报错")
    assert (back["voided"], back["deleted"]) == (0, 0)
    assert reg.get("disputes", d["id"])["voided"] == 0
    assert len(sc.dispute_history(reg, d["id"])) == updates
    assert [r.summary for r in sc.monthly_sheet(reg, 2026, 3).rows] == [d["summary"]]
    assert sc.describe_corrections(back)[-1].endswith("撤销作废：网格没有报错")

    sc.void_report(reg, report["id"], "还是报错了")
    sc.report_zero(reg, grid.id, W10)  # the week was reported again
    with pytest.raises(TransitionError, match="重新上报"):
        sc.unvoid_report(reg, report["id"], "撤销")
    clock.advance(days=30)
    sc.issue_month(reg, 2026, 3)
    with pytest.raises(TransitionError, match="已锁定"):
        sc.unvoid_report(reg, report["id"], "撤销")


@pytest.fixture
def pair(clock: FakeClock) -> Iterator[tuple[Register, Register]]:
    with linked(clock, TOWN) as both:
        yield both


@pytest.mark.parametrize("in_order", [True, False])
def test_the_undo_reaches_the_county_whichever_bundle_comes_first(
        pair: tuple[Register, Register], tmp_path: Path, in_order: bool) -> None:
    t, c = pair
    as_head(t)
    matter = _matter(t)
    bundles = [export_to(t, "2026-02", tmp_path, tmp_path / "outbox-1")]
    petitions.void_matter(t, matter["id"], "误登记")
    bundles.append(export_to(t, "2026-02", tmp_path, tmp_path / "outbox-2"))
    petitions.unvoid_matter(t, matter["id"], "作废错了")
    bundles.append(export_to(t, "2026-02", tmp_path, tmp_path / "outbox-3"))
    order = bundles if in_order else [bundles[0], bundles[2], bundles[1]]
    for bundle in order:
        reports = import_files(c, [bundle], unlock(c))
        assert [r.status for r in reports] == ["imported"], [r.message for r in reports]
    arrived = c.get("matters", matter["id"])
    assert (arrived["voided"], arrived["deleted"]) == (0, 0)
    assert petitions.search_ids(c, "张建国") == [matter["id"]]
    assert {"void", "unvoid"} <= {e["kind"] for e in petitions.events_of(c, matter["id"])}


def test_only_an_undo_takes_a_void_back_at_the_county() -> None:
    """A live row without a void reason is not an undo: a plain edit made elsewhere on the
    version before stays ignored, as before (storage/sync — merge)."""
    from storage.sync.merge import _void_undone

    undone = _void_undone(["id", "version", "deleted", "voided", "void_reason"])
    assert undone(["r", 2, 1, 1, "错"], ["r", 3, 0, 0, "错"])
    assert not undone(["r", 2, 1, 1, "错"], ["r", 3, 0, 0, ""])
    assert not _void_undone(["id", "version", "deleted"])(["r", 2, 1], ["r", 3, 0])
