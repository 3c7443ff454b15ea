"""Registering petition matters: validation at the field with nothing saved on refusal, 代办,
collective visits, numbering, 初件/重件, repeat visits, similar names and the petitioner's
history."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from storage import accounts, petitions, station
from storage.errors import TransitionError, ValidationError
from storage.petitions import PetitionerInput, RegistrationInput
from storage.register import Register
from tests.helpers.registers import FakeClock

TODAY = date(2026, 3, 2)  # the FakeClock's day


def reference_check(body17: str) -> str:
    """GB 11643 check character computed from the standard's definition W_i = 2^(18-i) mod 11."""
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(body17))
    return "10X98765432"[total % 11]


ID_MAN = "320508198503121234"  # born 1985-03-12, 17th digit 3: male
ID_WOMAN = "32050819900521204X"  # born 1990-05-21, 17th digit 4: female
ID_OLD_MAN = "320581196208173013"  # born 1962-08-17, male
ID_OTHER = "341221197811032465"  # born 1978-11-03, female
for _n in (ID_MAN, ID_WOMAN, ID_OLD_MAN, ID_OTHER):
    assert reference_check(_n[:17]) == _n[17], _n

COUNTED = ("matters", "petitioners", "matter_petitioners", "matter_events", "audit_log",
           "matter_search")


def counts(reg: Register) -> dict[str, int]:
    return {t: int(reg.scalar(f"SELECT count(*) FROM {t}")) for t in COUNTED}


def person(**kw: Any) -> PetitionerInput:
    values: dict[str, Any] = dict(name="张伟", gender="男", id_number=ID_MAN,
                                  phone="13812345678", address="花园镇春明村3组12号")
    values.update(kw)
    return PetitionerInput(**values)


def form(reg: Register, people: list[PetitionerInput] | None = None,
         **kw: Any) -> RegistrationInput:
    village = station.villages(reg)[0].id
    values: dict[str, Any] = dict(
        form="来访", received_on=TODAY, petitioners=people or [person(village_id=village)],
        summary="反映承包地被邻户占用，多次协商未果", request="要求村委会确认边界",
        category1="农村农业", category2="土地承包经营", purpose="求决",
        problem_village_id=village,
        # These tests register the same visit again on purpose (numbering, 初件/重件 …); the
        # same-day duplicate check has its own tests (test_identity.py).
        duplicate_decision=petitions.NEW_MATTER)
    values.update(kw)
    return RegistrationInput(**values)


def refused(reg: Register, inp: RegistrationInput, field: str) -> ValidationError:
    before = counts(reg)
    with pytest.raises(ValidationError) as err:
        petitions.register(reg, inp)
    assert err.value.field == field
    assert str(err.value)  # a message for the clerk
    assert counts(reg) == before
    return err.value


# ----- validation -------------------------------------------------------------------------------

def test_a_valid_registration_saves_everything_in_one_go(reg: Register) -> None:
    before = counts(reg)
    m = petitions.register(reg, form(reg))
    after = counts(reg)
    assert {t: after[t] - before[t] for t in COUNTED} == {
        "matters": 1, "petitioners": 1, "matter_petitioners": 1, "matter_events": 1,
        "audit_log": 4, "matter_search": 1}  # one entry per row written
    assert m["status"] == "registered"
    assert m["registered_by"] == "clerk"
    assert m["due_kind"] == "acceptance_notice"
    assert m["due_date"] == "2026-03-17"  # 15 days, the start day not counted; a Tuesday
    p = reg.get("petitioners", m["petitioner_id"])
    assert (p["name"], p["gender"], p["birth_date"]) == ("张伟", "男", "1985-03-12")
    assert p["name_pinyin"] == "zhang wei"


def test_bad_id_number_is_refused_at_its_field(reg: Register) -> None:
    bad = ID_MAN[:17] + ("1" if ID_MAN[17] != "1" else "2")
    err = refused(reg, form(reg, [person(id_number=bad)]), "petitioners.0.id_number")
    assert ID_MAN[17] in str(err)  # tells what the check character should be


def test_bad_id_of_the_second_petitioner_names_that_petitioner(reg: Register) -> None:
    inp = form(reg, [person(), person(name="李娜", gender="女", id_number="3205081990052")],
               persons_involved=2)
    refused(reg, inp, "petitioners.1.id_number")


def test_gender_contradicting_the_id_number_is_refused(reg: Register) -> None:
    err = refused(reg, form(reg, [person(gender="女")]), "petitioners.0.gender")
    assert "男" in str(err)


def test_gender_left_empty_is_taken_from_the_id_number(reg: Register) -> None:
    m = petitions.register(reg, form(reg, [person(name="李娜", gender="", id_number=ID_WOMAN)]))
    p = reg.get("petitioners", m["petitioner_id"])
    assert (p["gender"], p["birth_date"]) == ("女", "1990-05-21")


def test_legacy_15_digit_number_is_stored_in_the_18_digit_form(reg: Register) -> None:
    legacy = ID_OLD_MAN[:6] + ID_OLD_MAN[8:17]  # 6 address + YYMMDD + 3 sequence
    m = petitions.register(reg, form(reg, [person(name="沈金根", id_number=legacy)]))
    assert reg.get("petitioners", m["petitioner_id"])["id_number"] == ID_OLD_MAN


def test_future_and_impossible_dates_are_refused(reg: Register) -> None:
    refused(reg, form(reg, received_on=TODAY + timedelta(days=1)), "received_on")
    refused(reg, form(reg, received_on=date(1999, 12, 31)), "received_on")


def test_over_long_text_is_refused(reg: Register) -> None:
    err = refused(reg, form(reg, summary="反" * 201), "summary")
    assert "200" in str(err) and "1" in str(err)
    refused(reg, form(reg, facts="事" * 4001), "facts")
    refused(reg, form(reg, [person(name="张" * 21)]), "petitioners.0.name")
    petitions.register(reg, form(reg, summary="反" * 200))  # exactly at the limit


def test_empty_summary_and_bad_phone_are_refused(reg: Register) -> None:
    refused(reg, form(reg, summary="   "), "summary")
    refused(reg, form(reg, [person(phone="1381234567")]), "petitioners.0.phone")
    refused(reg, form(reg, petitioners=[]), "petitioners.0.name")


def test_nothing_is_saved_when_the_write_itself_fails(reg: Register) -> None:
    """A refusal discovered after the petitioner was already written rolls everything back."""
    first = petitions.register(reg, form(reg))
    petitions.not_accept(reg, first["id"], TODAY, "属于诉讼程序", "诉讼（人民法院）")
    before = counts(reg)
    inp = form(reg, [person(), person(name="陈新人", gender="女", id_number=ID_WOMAN)],
               persons_involved=2, attach_to_matter_id=first["id"])
    with pytest.raises(TransitionError):
        petitions.register(reg, inp)
    assert counts(reg) == before
    assert petitions.find_by_id_number(reg, ID_WOMAN) is None


# ----- 代办 and collective visits --------------------------------------------------------------

def test_proxy_form_needs_the_proxy(reg: Register) -> None:
    refused(reg, form(reg, form="代办"), "proxy_by")
    m = petitions.register(reg, form(reg, form="代办", proxy_by="赵德福"))
    assert m["proxy_by"] == "赵德福"


def test_liaison_registering_a_proxy_is_the_proxy(reg: Register) -> None:
    accounts.authenticate(reg, "liaison", "liaison-pass-1")
    m = petitions.register(reg, form(reg, form="代办"))
    assert m["proxy_by"] == "赵德福"
    assert m["registered_by"] == "liaison"


def test_collective_flag_follows_the_threshold_setting(reg: Register) -> None:
    assert petitions.register(reg, form(reg, visitors_count=4,
                                      persons_involved=4))["is_collective"] == 0
    assert petitions.register(reg, form(reg, visitors_count=5,
                                      persons_involved=30))["is_collective"] == 1
    with reg.transaction():
        reg.set_setting("collective_threshold", 10)
    assert petitions.register(reg, form(reg, visitors_count=9,
                                      persons_involved=9))["is_collective"] == 0
    assert petitions.register(reg, form(reg, visitors_count=10,
                                      persons_involved=10))["is_collective"] == 1


def test_people_counts_must_make_sense(reg: Register) -> None:
    refused(reg, form(reg, visitors_count=0), "visitors_count")
    two = [person(), person(name="李娜", gender="女", id_number=ID_WOMAN)]
    refused(reg, form(reg, two, persons_involved=1), "persons_involved")
    refused(reg, form(reg, [person(), person()], persons_involved=2),
            "petitioners.1.id_number")  # the same ID number twice


# ----- numbering and 初件/重件 -----------------------------------------------------------------

def test_numbers_run_per_year(reg: Register) -> None:
    numbers = [petitions.register(reg, form(reg, received_on=d))["number"] for d in (
        date(2025, 12, 30), date(2025, 12, 31), date(2026, 1, 2), date(2026, 2, 27),
        date(2025, 11, 3))]
    assert numbers == ["320508102000-2025-00001", "320508102000-2025-00002",
                       "320508102000-2026-00001", "320508102000-2026-00002",
                       "320508102000-2025-00003"]


def test_numbers_keep_counting_past_five_digits(reg: Register) -> None:
    first = petitions.register(reg, form(reg))
    # Pretend the station is at its 99,999th matter of the year (the number column is what the
    # next number is read from).
    with reg.transaction():
        reg.update("matters", first["id"], {"number": "320508102000-2026-99999", "seq": 99999})
    numbers = [petitions.register(reg, form(reg))["number"] for _i in range(2)]
    assert numbers == ["320508102000-2026-100000", "320508102000-2026-100001"]
    assert petitions.register(reg, form(reg, received_on=date(2025, 6, 1)))["number"] == \
        "320508102000-2025-00001"


def test_numbering_skips_no_number_when_a_registration_is_refused(reg: Register) -> None:
    petitions.register(reg, form(reg))
    with pytest.raises(ValidationError):
        petitions.register(reg, form(reg, summary=""))
    assert petitions.register(reg, form(reg))["number"] == "320508102000-2026-00002"


def test_same_person_same_category_is_a_repeat_petition(reg: Register) -> None:
    first = petitions.register(reg, form(reg))
    again = petitions.register(reg, form(reg))
    other_topic = petitions.register(reg, form(reg, category1="民政", category2="社会救助"))
    other_person = petitions.register(
        reg, form(reg, [person(name="李娜", gender="女", id_number=ID_WOMAN)]))
    assert [m["repeat_kind"] for m in (first, again, other_topic, other_person)] == [
        "初件", "重件", "初件", "初件"]
    # The same person was found by ID number, not created twice.
    assert first["petitioner_id"] == again["petitioner_id"] == other_topic["petitioner_id"]


def test_same_first_level_without_second_level_is_also_a_repeat(reg: Register) -> None:
    petitions.register(reg, form(reg, category2=""))
    assert petitions.register(reg, form(reg, category2=""))["repeat_kind"] == "重件"


# ----- repeat visits --------------------------------------------------------------------------

def test_repeat_visit_is_attached_to_the_open_matter(reg: Register, clock: FakeClock) -> None:
    m = petitions.register(reg, form(reg))
    clock.advance(days=3)
    before = counts(reg)
    companion = person(name="张伟妻", gender="女", id_number=ID_WOMAN)
    attached = petitions.register(reg, form(
        reg, [person(), companion], persons_involved=2, received_on=TODAY + timedelta(days=3),
        summary="再次来访询问进度", attach_to_matter_id=m["id"]))
    after = counts(reg)
    assert attached["id"] == m["id"]
    assert after["matters"] == before["matters"]  # no new matter
    assert attached["repeat_visits"] == 1
    # 初件/重件 is fixed at registration: the visit is an item of its own month (§7.4)
    assert attached["repeat_kind"] == m["repeat_kind"] == "初件"
    events = petitions.events_of(reg, m["id"])
    assert [e["kind"] for e in events] == ["registered", "repeat_visit"]
    assert events[1]["occurred_on"] == "2026-03-05"
    assert {p["name"] for p in petitions.petitioners_of(reg, m["id"])} == {"张伟", "张伟妻"}


def test_repeat_visit_cannot_attach_to_a_closed_matter(reg: Register) -> None:
    m = petitions.register(reg, form(reg))
    petitions.not_reaccept(reg, m["id"], TODAY, "同一事实和理由已经复核终结")
    before = counts(reg)
    with pytest.raises(TransitionError, match="新件"):
        petitions.register(reg, form(reg, attach_to_matter_id=m["id"]))
    assert counts(reg) == before


# ----- similar names and history ----------------------------------------------------------------

def test_similar_names_are_suggested_never_merged(reg: Register) -> None:
    petitions.register(reg, form(reg))  # 张伟
    petitions.register(reg, form(reg, [person(name="章伟", id_number=ID_OLD_MAN)]))
    petitions.register(reg, form(reg, [person(name="张强", id_number="", phone="13900001111")]))
    petitions.register(reg, form(reg, [person(name="李娜", gender="女", id_number=ID_WOMAN)]))
    # Four different people: nothing was merged because the names look alike.
    assert reg.scalar("SELECT count(*) FROM petitioners") == 4
    found = {s.name: s.reason for s in petitions.similar(reg, "张伟")}
    assert found == {"章伟": "同音", "张强": "一字之差"}
    assert {s.name: s.reason for s in petitions.similar(reg, "张玮")} == {
        "张伟": "同音", "章伟": "同音", "张强": "一字之差"}
    suggestion = petitions.similar(reg, "章伟")[0]
    assert suggestion.name == "张伟" and suggestion.matters == 1
    assert petitions.similar(reg, "张") == []


def test_picking_a_suggestion_reuses_that_person(reg: Register) -> None:
    m = petitions.register(reg, form(reg, [person(name="张强", id_number="", phone="")]))
    pid = m["petitioner_id"]
    again = petitions.register(reg, form(reg, [person(name="张强", id_number="", phone="",
                                                    existing_id=pid)]))
    assert again["petitioner_id"] == pid
    assert again["repeat_kind"] == "重件"
    assert reg.scalar("SELECT count(*) FROM petitioners") == 1


def test_history_by_id_number(reg: Register) -> None:
    assert petitions.history(reg, id_number=ID_MAN).is_first
    first = petitions.register(reg, form(reg, received_on=TODAY - timedelta(days=40)))
    petitions.accept(reg, first["id"], TODAY - timedelta(days=39))
    petitions.reply(reg, first["id"], TODAY - timedelta(days=10), "解释说明")
    petitions.close(reg, first["id"], TODAY - timedelta(days=2))
    second = petitions.register(reg, form(reg, category1="民政", category2="社会救助"))
    h = petitions.history(reg, id_number=ID_MAN)
    assert not h.is_first
    assert h.petitioner is not None and h.petitioner["name"] == "张伟"
    assert [m.id for m in h.matters] == [second["id"], first["id"]]  # newest first
    assert [m.id for m in h.open_matters] == [second["id"]]
    assert h.last_outcome is not None and h.last_outcome.reply_result == "解释说明"
    assert h.matters[1].category == "农村农业/土地承包经营"
    assert petitions.history(reg, id_number=ID_OTHER).is_first


def test_history_by_name_and_phone_when_there_is_no_id_number(reg: Register) -> None:
    letter = person(name="王秀英", gender="女", id_number="", phone="0512-65123456")
    m = petitions.register(reg, form(reg, [letter], form="来信"))
    h = petitions.history(reg, name="王秀英", phone="0512-65123456")
    assert [x.id for x in h.matters] == [m["id"]]
    assert petitions.history(reg, name="王秀英", phone="0512-65123457").is_first
    assert petitions.history(reg, name="王秀", phone="0512-65123456").is_first


def test_returning_person_details_are_brought_up_to_date(reg: Register) -> None:
    m = petitions.register(reg, form(reg))
    petitions.register(reg, form(reg, [person(phone="13900002222", address="")]))
    p = reg.get("petitioners", m["petitioner_id"])
    assert p["phone"] == "13900002222"
    assert p["address"] == "花园镇春明村3组12号"  # kept: the clerk left it empty this time
    assert p["version"] == 2
