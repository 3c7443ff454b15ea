"""One petitioner is one person (docs/domain.md §3.4, §3.5): a different name on a known ID
number (either form) is refused until the clerk decides; a 更名 keeps the old name as history
and leaves earlier matters' registered names alone; a same-day duplicate is offered as a repeat
visit and counted as one matter; merging is the head's and can be undone; 更正 of a person needs
a reason and keeps the values before."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from printing import sources
from storage import accounts, petitions, station, statistics
from storage.errors import PermissionDenied, TransitionError, ValidationError
from storage.petitions import PetitionerInput, RegistrationInput
from storage.register import Register, Row
from tests.helpers.audit import without_row_image
from tests.helpers.registers import FakeClock

TODAY = date(2026, 3, 2)
ID_ZHANG = "320508198001011238"  # 张建国, born 1980-01-01, male
ID_ZHANG_15 = ID_ZHANG[:6] + ID_ZHANG[8:17]  # the same number in its old 15-digit form
ID_OTHER = "32050819900521204X"
COUNTED = ("matters", "petitioners", "matter_petitioners", "matter_events", "petitioner_events",
           "audit_log", "matter_search")


def counts(reg: Register) -> dict[str, int]:
    return {t: int(reg.scalar(f"SELECT count(*) FROM {t}")) for t in COUNTED}


def person(**kw: Any) -> PetitionerInput:
    values: dict[str, Any] = dict(name="张建国", id_number=ID_ZHANG, phone="13812345678",
                                  address="花园镇春明村3组12号")
    values.update(kw)
    return PetitionerInput(**values)


def form(reg: Register, people: list[PetitionerInput] | None = None, **kw: Any
         ) -> RegistrationInput:
    values: dict[str, Any] = dict(
        form="来访", received_on=TODAY, petitioners=people or [person()],
        summary="反映承包地被邻户占用", category1="农村农业", category2="土地承包经营",
        problem_village_id=station.villages(reg)[0].id)
    values.update(kw)
    return RegistrationInput(**values)


def two_matters_of_zhang(reg: Register, clock: FakeClock) -> tuple[Row, Row]:
    first = petitions.register(reg, form(reg, received_on=TODAY - timedelta(days=20),
                                         summary="反映宅基地界址争议"))
    petitions.accept(reg, first["id"], TODAY - timedelta(days=19))
    petitions.reply(reg, first["id"], TODAY - timedelta(days=2), "解释说明")
    second = petitions.register(reg, form(reg, summary="反映承包地被邻户占用"))
    clock.advance(days=1)
    return first, second


def registered_names(reg: Register, matter_id: str) -> list[str]:
    return [p["name"] for p in petitions.petitioners_of(reg, matter_id)]


def list_name(reg: Register, matter_id: str) -> str:
    return str(petitions.list_rows(reg, [matter_id])[0]["petitioner"])


# ----- a different name on a known ID number ----------------------------------------------------

@pytest.mark.parametrize("typed_id", [ID_ZHANG, ID_ZHANG_15, ID_ZHANG.lower()])
def test_a_different_name_on_a_known_id_is_refused_until_the_clerk_decides(
        reg: Register, clock: FakeClock, typed_id: str) -> None:
    first, second = two_matters_of_zhang(reg, clock)
    before = counts(reg)
    inp = form(reg, [person(name="王五", id_number=typed_id)], received_on=TODAY + timedelta(1),
               summary="反映道路破损")
    with pytest.raises(petitions.NameMismatch) as refused:
        petitions.register(reg, inp)
    assert str(refused.value) == "此身份证号已登记为张建国，与所填姓名不一致"
    assert refused.value.field == "petitioners.0.name"
    assert (refused.value.stored_name, refused.value.typed_name) == ("张建国", "王五")
    assert counts(reg) == before  # nothing saved, nobody renamed
    for matter in (first, second):
        assert registered_names(reg, matter["id"]) == ["张建国"]
        assert list_name(reg, matter["id"]) == "张建国"
    assert petitions.find_by_id_number(reg, ID_ZHANG)["name"] == "张建国"


def test_use_the_stored_name(reg: Register, clock: FakeClock) -> None:
    first, _second = two_matters_of_zhang(reg, clock)
    third = petitions.register(reg, form(
        reg, [person(name="王五", id_number=ID_ZHANG_15, name_decision=petitions.USE_STORED)],
        received_on=TODAY + timedelta(1), summary="反映道路破损"))
    assert third["petitioner_id"] == first["petitioner_id"]
    assert registered_names(reg, third["id"]) == ["张建国"]
    assert reg.get("petitioners", first["petitioner_id"])["name"] == "张建国"
    assert petitions.person_events(reg, first["petitioner_id"]) == []


def test_correcting_the_id_number_registers_the_other_person(reg: Register,
                                                             clock: FakeClock) -> None:
    first, _second = two_matters_of_zhang(reg, clock)
    wang = petitions.register(reg, form(reg, [person(name="王五", id_number=ID_OTHER,
                                                     phone="13900001111")],
                                        received_on=TODAY + timedelta(1)))
    assert wang["petitioner_id"] != first["petitioner_id"]
    assert reg.get("petitioners", first["petitioner_id"])["name"] == "张建国"


def test_a_rename_keeps_the_old_name_as_history_and_earlier_matters_unchanged(
        reg: Register, clock: FakeClock) -> None:
    first, second = two_matters_of_zhang(reg, clock)
    receipt_before = sources.receipt_data(reg, first["id"]).petitioner.name
    inp = form(reg, [person(name="张建邦", name_decision=petitions.RENAME, rename_reason="")],
               received_on=TODAY + timedelta(1), summary="反映道路破损")
    with pytest.raises(ValidationError) as no_reason:
        petitions.register(reg, inp)
    assert no_reason.value.field == "petitioners.0.rename_reason"
    inp.petitioners[0].rename_reason = "经派出所办理更名，持新户口簿"
    third = petitions.register(reg, inp)

    pid = first["petitioner_id"]
    assert reg.get("petitioners", pid)["name"] == "张建邦"
    assert third["petitioner_id"] == pid
    events = petitions.person_events(reg, pid)
    assert [(e.kind, e.data["before"]["name"], e.data["after"]["name"], e.reason)
            for e in events] == [("rename", "张建国", "张建邦", "经派出所办理更名，持新户口簿")]
    assert petitions.former_names(reg, pid) == ["张建国"]
    # earlier matters keep the name they were registered (and printed) under
    for matter in (first, second):
        people = petitions.petitioners_of(reg, matter["id"])
        assert [(p["name"], p["current_name"]) for p in people] == [("张建国", "张建邦")]
        assert list_name(reg, matter["id"]) == "张建国"
    assert sources.receipt_data(reg, first["id"]).petitioner.name == receipt_before == "张建国"
    assert registered_names(reg, third["id"]) == ["张建邦"]
    # earlier matters are found by the name they registered and by the name now
    assert set(petitions.search_ids(reg, "张建国")) == {first["id"], second["id"]}
    assert set(petitions.search_ids(reg, "张建邦")) == {first["id"], second["id"], third["id"]}
    # the audit log has the old name
    entry = reg.rows("SELECT before, after FROM audit_log WHERE table_name = 'petitioners'"
                     " AND record_id = ? AND action = 'update' ORDER BY seq", (pid,))[0]
    assert json.loads(entry["before"])["name"] == "张建国"
    assert json.loads(entry["after"])["name"] == "张建邦"


def test_rename_from_the_person_record(reg: Register, clock: FakeClock) -> None:
    first, _second = two_matters_of_zhang(reg, clock)
    pid = first["petitioner_id"]
    with pytest.raises(ValidationError):
        petitions.rename(reg, pid, "张建邦", "  ")
    petitions.rename(reg, pid, "张建邦", "更名")
    assert registered_names(reg, first["id"]) == ["张建国"]
    assert petitions.former_names(reg, pid) == ["张建国"]


# ----- recognising people ---------------------------------------------------------------------

def test_without_an_id_number_name_and_phone_make_the_person(reg: Register) -> None:
    letter = person(id_number="", phone="0512-6512 3456", address="")
    first = petitions.register(reg, form(reg, [letter], form="来信"))
    again = petitions.register(reg, form(reg, [person(id_number="", phone="051265123456",
                                                      address="")], summary="反映路灯不亮"))
    assert again["petitioner_id"] == first["petitioner_id"]
    other_phone = petitions.register(reg, form(reg, [person(id_number="", phone="13900009999")],
                                               summary="反映垃圾清运"))
    assert other_phone["petitioner_id"] != first["petitioner_id"]
    # the ID card brought later is the same person: their ID number is filled in
    with_card = petitions.register(reg, form(reg, [person(phone="0512-65123456")],
                                             summary="反映排水沟堵塞"))
    assert with_card["petitioner_id"] == first["petitioner_id"]
    assert reg.get("petitioners", first["petitioner_id"])["id_number"] == ID_ZHANG


def test_a_recognised_person_brings_the_stored_details(reg: Register) -> None:
    first = petitions.register(reg, form(reg, [person(ethnic_group="汉族",
                                                      occupation="农民")]))
    history = petitions.history(reg, id_number=ID_ZHANG_15)
    assert history.petitioner is not None
    assert (history.petitioner["phone"], history.petitioner["address"]) == (
        "13812345678", "花园镇春明村3组12号")
    # typed with the ID number only: the matter registers the stored details
    again = petitions.register(reg, form(reg, [PetitionerInput(name="张建国",
                                                               id_number=ID_ZHANG)],
                                         summary="反映道路破损"))
    p = petitions.petitioners_of(reg, again["id"])[0]
    assert (p["phone"], p["address"], p["occupation"]) == ("13812345678", "花园镇春明村3组12号",
                                                           "农民")
    assert again["petitioner_id"] == first["petitioner_id"]


def test_a_picked_person_with_another_id_number_is_refused(reg: Register) -> None:
    first = petitions.register(reg, form(reg))
    petitions.register(reg, form(reg, [person(name="李娜", id_number=ID_OTHER,
                                              phone="13900001111")], summary="反映道路破损"))
    with pytest.raises(ValidationError) as refused:
        petitions.register(reg, form(reg, [person(id_number=ID_OTHER,
                                                  existing_id=first["petitioner_id"])],
                                     summary="反映排水沟堵塞"))
    assert refused.value.field == "petitioners.0.id_number"
    assert "李娜" in str(refused.value)


# ----- duplicates and repeat visits -------------------------------------------------------------

def test_a_same_day_duplicate_is_offered_as_a_repeat_visit_and_counted_as_one(
        reg: Register, clock: FakeClock) -> None:
    first = petitions.register(reg, form(reg, summary="反映承包地被邻户占用，多次协商未果"))
    clock.advance(hours=2)
    again = form(reg, [person(id_number=ID_ZHANG_15)],
                 summary="反映承包地被邻户占用,多次协商未果。", visitors_count=2,
                 persons_involved=2)
    # what the desk offers before saving: that matter, as the default
    offered = petitions.duplicate_candidates(reg, again)
    assert [(c.number, c.suggested, c.same_day, c.near_identical) for c in offered] == [
        (first["number"], True, True, True)]
    before = counts(reg)
    with pytest.raises(petitions.DuplicateSuspected) as refused:
        petitions.register(reg, again)
    assert refused.value.candidates[0].matter_id == first["id"]
    assert first["number"] in str(refused.value)
    assert counts(reg) == before
    # attached as a repeat visit: still one matter, the visit an event with its own details
    again.attach_to_matter_id = first["id"]
    attached = petitions.register(reg, again)
    assert attached["id"] == first["id"]
    assert reg.scalar("SELECT count(*) FROM matters") == 1
    visit = petitions.events_of(reg, first["id"])[-1]
    assert visit["kind"] == "repeat_visit"
    assert json.loads(visit["data"])["form"] == "来访"
    assert json.loads(visit["data"])["visitors_count"] == 2
    assert visit["occurred_on"] == TODAY.isoformat()
    month = statistics.monthly(reg, "2026-03")
    assert (month.new_matters, month.repeat_visits) == (1, 1)


def test_a_duplicate_the_clerk_says_is_new_is_registered(reg: Register) -> None:
    first = petitions.register(reg, form(reg))
    other = petitions.register(reg, form(reg, duplicate_decision=petitions.NEW_MATTER))
    assert other["id"] != first["id"]
    assert reg.scalar("SELECT count(*) FROM matters") == 2


def test_other_open_matters_are_offered_but_not_forced(reg: Register, clock: FakeClock) -> None:
    older = petitions.register(reg, form(reg, summary="反映宅基地界址争议",
                                         category1="国土资源", category2="土地权属"))
    closed = petitions.register(reg, form(reg, summary="反映低保评定不公",
                                          category1="民政", category2="社会救助"))
    petitions.not_accept(reg, closed["id"], TODAY, "属于诉讼程序", "诉讼（人民法院）")
    clock.advance(days=1)
    later = form(reg, received_on=TODAY + timedelta(days=1), summary="反映宅基地界址争议")
    offered = petitions.duplicate_candidates(reg, later)
    assert [(c.matter_id, c.suggested) for c in offered] == [(older["id"], False)]
    assert petitions.duplicate_candidates(reg, later, same_category=True) == []
    assert petitions.register(reg, later)["id"] != older["id"]  # another day: the clerk decides


def test_near_identical_summaries() -> None:
    assert petitions.near_identical("反映承包地被邻户占用", "反映承包地被邻户占用。")
    assert petitions.near_identical("反映承包地被邻户占用多次协商未果", "承包地被邻户占用，多次协商未果")
    assert not petitions.near_identical("反映承包地被邻户占用", "反映低保评定不公")
    assert not petitions.near_identical("", "反映承包地被邻户占用")


# ----- 更正 of a person ---------------------------------------------------------------------------

def test_correcting_a_person_needs_a_reason_and_keeps_the_values_before(reg: Register) -> None:
    m = petitions.register(reg, form(reg, [person(phone="13812345679")]))
    pid = m["petitioner_id"]
    before = counts(reg)
    with pytest.raises(ValidationError) as no_reason:
        petitions.correct_person(reg, pid, {"phone": "13812345678"}, "")
    assert no_reason.value.field == "reason"
    with pytest.raises(ValidationError) as bad_phone:
        petitions.correct_person(reg, pid, {"phone": "138"}, "电话记错")
    assert bad_phone.value.field == "phone"
    assert counts(reg) == before
    petitions.correct_person(reg, pid, {"phone": "13812345678"}, "电话最后一位记错")
    assert reg.get("petitioners", pid)["phone"] == "13812345678"
    event = petitions.person_events(reg, pid)[-1]
    assert (event.kind, event.data["changes"], event.reason) == (
        "correct", {"phone": ["13812345679", "13812345678"]}, "电话最后一位记错")
    assert "电话：13812345679→13812345678" in petitions.describe_person_event(event)
    audit = reg.rows("SELECT before FROM audit_log WHERE table_name = 'petitioners'"
                     " AND record_id = ? AND action = 'update'", (pid,))
    assert without_row_image(json.loads(audit[-1]["before"])) == {"phone": "13812345679"}
    # the matter keeps what it registered (its own record is corrected with correct_matter)
    assert petitions.petitioners_of(reg, m["id"])[0]["phone"] == "13812345679"


def test_a_person_cannot_take_someone_elses_id_number(reg: Register) -> None:
    m = petitions.register(reg, form(reg))
    li = petitions.register(reg, form(reg, [person(name="李娜", id_number="",
                                                   phone="13900001111")], summary="反映道路破损"))
    with pytest.raises(ValidationError) as refused:
        petitions.correct_person(reg, li["petitioner_id"], {"id_number": ID_ZHANG}, "补录")
    assert "合并" in str(refused.value)
    assert reg.get("petitioners", m["petitioner_id"])["id_number"] == ID_ZHANG


# ----- merging --------------------------------------------------------------------------------

def _two_rows_of_one_person(reg: Register) -> tuple[Row, Row]:
    with_id = petitions.register(reg, form(reg))
    letter = petitions.register(reg, form(reg, [person(name="张建国", id_number="",
                                                       phone="0512-65123456", address="")],
                                          form="来信", summary="来信反映路灯不亮"))
    assert letter["petitioner_id"] != with_id["petitioner_id"]
    return with_id, letter


def test_merging_is_the_heads_and_can_be_undone(reg: Register) -> None:
    with_id, letter = _two_rows_of_one_person(reg)
    keep, other = with_id["petitioner_id"], letter["petitioner_id"]
    with pytest.raises(PermissionDenied):
        petitions.merge(reg, keep, other, "同一人")
    accounts.authenticate(reg, "head", "head-pass-1")
    with pytest.raises(ValidationError):
        petitions.merge(reg, keep, other, "")
    entries = int(reg.scalar("SELECT count(*) FROM audit_log"))
    event = petitions.merge(reg, keep, other, "来信人即张建国本人，电话核实")
    assert int(reg.scalar("SELECT count(*) FROM audit_log")) > entries
    assert {m.id for m in petitions.history(reg, id_number=ID_ZHANG).matters} == {
        with_id["id"], letter["id"]}
    assert reg.get("matters", letter["id"])["petitioner_id"] == keep
    assert reg.get("petitioners", other)["merged_into"] == keep
    assert petitions.history(reg, name="张建国", phone="0512-65123456").petitioner["id"] == keep
    # the registered details on the letter stay as they were typed then
    assert petitions.petitioners_of(reg, letter["id"])[0]["phone"] == "0512-65123456"
    # the phone the kept person lacked was not taken (they have one): only empty fields fill
    assert reg.get("petitioners", keep)["phone"] == "13812345678"
    assert [e.kind for e in petitions.person_events(reg, other)] == ["merged_into"]
    audit_actions = {r["table_name"] for r in reg.rows(
        "SELECT table_name FROM audit_log WHERE actor = 'head'")}
    assert {"petitioners", "matter_petitioners", "matters", "petitioner_events"} <= audit_actions

    [open_merge] = petitions.open_merges(reg, keep)
    assert open_merge.id == event["id"]
    returned = petitions.undo_merge(reg, event["id"], "核实后不是同一人")
    assert returned["merged_into"] is None
    assert reg.get("matters", letter["id"])["petitioner_id"] == other
    assert [m.id for m in petitions.history(reg, id_number=ID_ZHANG).matters] == [with_id["id"]]
    assert petitions.open_merges(reg, keep) == []
    with pytest.raises(TransitionError):
        petitions.undo_merge(reg, event["id"], "再撤销一次")


def test_two_people_with_different_id_numbers_are_not_merged(reg: Register) -> None:
    a = petitions.register(reg, form(reg))
    b = petitions.register(reg, form(reg, [person(name="张建国", id_number=ID_OTHER,
                                                  phone="13900001111")], summary="反映道路破损"))
    accounts.authenticate(reg, "head", "head-pass-1")
    with pytest.raises(ValidationError):
        petitions.merge(reg, a["petitioner_id"], b["petitioner_id"], "同名")
    assert reg.get("petitioners", b["petitioner_id"])["merged_into"] is None


# ----- collective visits ------------------------------------------------------------------------

VILLAGERS = ("赵一", "钱二", "孙三", "李四", "周五", "吴六", "郑七")


def _group(n: int, representatives: int) -> list[PetitionerInput]:
    return [PetitionerInput(name=VILLAGERS[i], phone=f"1390000{i:04d}",
                            is_representative=i < representatives) for i in range(n)]


def test_a_collective_visit_keeps_its_representatives(reg: Register) -> None:
    m = petitions.register(reg, form(reg, _group(7, 5), visitors_count=7, persons_involved=40,
                                     summary="反映村道拓宽占地补偿未落实"))
    assert m["is_collective"] == 1
    people = petitions.petitioners_of(reg, m["id"])
    assert len(people) == 7
    assert [p["name"] for p in people] == list(VILLAGERS)  # main petitioner first, as entered
    assert [p["name"] for p in people if p["is_representative"]] == list(VILLAGERS[:5])
    assert (m["visitors_count"], m["persons_involved"]) == (7, 40)


def test_more_than_five_representatives_are_refused(reg: Register) -> None:
    before = counts(reg)
    with pytest.raises(ValidationError) as refused:
        petitions.register(reg, form(reg, _group(7, 6), visitors_count=7, persons_involved=7))
    assert refused.value.field == "petitioners.5.is_representative"  # the sixth one marked
    assert "5" in str(refused.value) and "第二十条" in str(refused.value)
    assert counts(reg) == before
