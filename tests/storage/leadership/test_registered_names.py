"""Leadership shows and prints a petitioner by the name registered on the matter (what its
receipt printed, docs/domain.md §3.4), never the name the person carries after a later 更名:
the 积案 list, a 约访 (and its 约访通知书) and the county's 督办单 on a township matter."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from storage import accounts, leadership, petitions
from storage.register import Register
from tests.helpers import register_data as rd
from tests.helpers.leadership import pair
from tests.helpers.registers import FakeClock

REGISTERED = "吉𠮷"
RENAMED = "吉新名"


def _renamed_matter(reg: Register, received: date) -> str:
    matter = rd.register(reg, received)
    clerk = reg.actor
    reg.actor = accounts.find_user(reg, "head").actor()
    petitions.rename(reg, matter["petitioner_id"], RENAMED, "经派出所办理更名")
    reg.actor = clerk
    assert petitions.petitioners_of(reg, matter["id"])[0]["current_name"] == RENAMED
    return str(matter["id"])


def test_the_backlog_and_an_appointment_keep_the_registered_name(reg: Register) -> None:
    matter_id = _renamed_matter(reg, date(2026, 2, 20))
    leadership.add_to_backlog(reg, matter_id, "多次来访未息诉")
    assert [e.petitioner for e in leadership.backlog(reg)] == [REGISTERED]

    head = reg.actor
    reg.actor = accounts.find_user(reg, "head").actor()
    who = leadership.add_leader(reg, "周国平", "党委书记")
    reg.actor = head
    made = leadership.make_appointment(reg, leadership.AppointmentInput(
        matter_id, who.id, date(2026, 3, 4), "上午9时", "镇信访接待室"))
    assert made.petitioner_name == REGISTERED


def test_the_countys_supervision_names_the_registered_petitioner(
        clock: FakeClock, tmp_path: Path) -> None:
    world = pair(clock, tmp_path)
    matter_id = _renamed_matter(world.town, date(2026, 3, 2))
    reports = world.county_imports([world.send_up("2026-03")])
    assert [r.status for r in reports] == ["imported"], reports[0].message
    made = leadership.issue_supervision(world.county, leadership.SupervisionInput(
        deadline=date(2026, 3, 16), reason="久拖未决", level="重点督办", matter_id=matter_id))
    assert made.petitioner_name == REGISTERED
    jb = leadership.issue_assignment(world.county, leadership.AssignmentInput(
        to_station="", deadline=date(2026, 3, 20), summary="", matter_id=matter_id))
    assert jb.petitioner_name == REGISTERED
