"""Who did what, as the county sees it (docs/domain.md §3.7): the township's own official by
display name and the township's villages for every imported record — though township and
county both sign in as ``head`` —, registered names, renames and voids arriving as they were,
and bundles from a township still on the version before all this importing cleanly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from printing import sources
from storage import accounts, db, mediation, petitions, station, statistics
from storage.migrations import MIGRATIONS
from storage.petitions import PetitionerInput, RegistrationInput
from storage.register import Register, Row
from storage.sync import keys, signkey
from tests.helpers.registers import CHEAP_HASHER, FakeClock
from tests.helpers.sync import (
    TOWNSHIPS,
    as_head,
    export_to,
    import_files,
    link,
    make_county,
    make_township,
    unlock,
)
from tests.storage.mediation.test_mediation import case_input, two_parties

TOWN = "320508102000"
TODAY = date(2026, 3, 2)


@pytest.fixture
def pair(clock: FakeClock) -> Iterator[tuple[Register, Register]]:
    c = make_county(clock)
    t = make_township(clock, TOWN)
    link(t, c)  # both registers' station heads sign in as "head"
    accounts.create_user(t, "clerk", "李文静", "clerk", "clerk-pass-1")
    yield t, c
    t.close()
    c.close()


def register(t: Register, name: str, summary: str, village: int = 0) -> Row:
    return petitions.register(t, RegistrationInput(
        form="来访", received_on=TODAY, summary=summary,
        petitioners=[PetitionerInput(name=name, id_number="320508198001011238",
                                     phone="13812345678")],
        problem_village_id=station.villages(t)[village].id,
        duplicate_decision=petitions.NEW_MATTER))


def send(t: Register, c: Register, tmp_path: Path, name: str) -> None:
    files = [export_to(t, "2026-02", tmp_path, tmp_path / f"outbox-{name}")]
    reports = import_files(c, files, unlock(c))
    assert [r.status for r in reports] == ["imported"], [r.message for r in reports]


def test_the_county_names_the_townships_people_and_villages(pair: tuple[Register, Register],
                                                           tmp_path: Path) -> None:
    t, c = pair
    assert as_head(c).actor.display_name == "县审核员"  # the county's own "head"
    as_head(t)  # 王站长 registers
    matter = register(t, "张建国", "反映承包地被邻户占用", village=1)
    accounts.authenticate(t, "clerk", "clerk-pass-1")  # 李文静 accepts
    petitions.accept(t, matter["id"], TODAY)
    case = mediation.open_mediation(t, case_input(t, village_id=station.villages(t)[0].id),
                                    two_parties())
    send(t, c, tmp_path, "1")

    m = petitions.detail.matter(c, matter["id"])
    assert petitions.detail.registered_by(c, m) == "王站长"
    assert petitions.detail.problem_village(c, m) == "第2村"
    assert [petitions.detail.actor(c, e) for e in petitions.events_of(c, matter["id"])] == [
        "王站长", "李文静"]
    assert sources.receipt_data(c, matter["id"]).clerk == "王站长"
    assert [e.actor for e in mediation.events_of(c, case["id"])] == ["李文静"]
    names = {petitions.detail.registered_by(c, m),
             *(petitions.detail.actor(c, e) for e in petitions.events_of(c, matter["id"]))}
    assert "县审核员" not in names
    assert station.villages(c) == []  # the county has no villages of its own to confuse


def test_a_record_without_a_recorded_name_is_never_a_county_user(
        pair: tuple[Register, Register], tmp_path: Path) -> None:
    t, c = pair
    as_head(t)
    matter = register(t, "张建国", "反映承包地被邻户占用")
    with t.transaction():  # as written before names were kept
        t.insert("matter_events", dict(matter_id=matter["id"], kind="accept",
                                       occurred_on=TODAY.isoformat(), actor="head",
                                       actor_name=""))
    send(t, c, tmp_path, "1")
    event = petitions.events_of(c, matter["id"])[-1]
    assert petitions.detail.actor(c, event) == "head（花园账号）"
    assert petitions.detail.actor(t, event) == "王站长"  # at home the account is its own


def test_renames_registered_names_and_voids_arrive_as_they_are(
        pair: tuple[Register, Register], tmp_path: Path) -> None:
    t, c = pair
    as_head(t)
    first = register(t, "张建国", "反映承包地被邻户占用")
    twice = register(t, "张建国", "反映承包地被邻户占用")
    send(t, c, tmp_path, "1")
    assert len(petitions.search_ids(c, "")) == 2

    petitions.rename(t, first["petitioner_id"], "张建邦", "依法更名")
    petitions.void_matter(t, twice["id"], "同一来访登记了两次")
    send(t, c, tmp_path, "2")

    assert petitions.search_ids(c, "") == [first["id"]]
    arrived = petitions.detail.matter(c, twice["id"])
    assert (arrived["voided"], arrived["deleted"], arrived["void_reason"],
            arrived["void_confirmed_by"]) == (1, 1, "同一来访登记了两次", "王站长")
    assert statistics.monthly(c, "2026-03", station_code=TOWN).new_matters == 1
    assert [(p["name"], p["current_name"]) for p in petitions.petitioners_of(c, first["id"])] == [
        ("张建国", "张建邦")]
    assert petitions.former_names(c, first["petitioner_id"]) == ["张建国"]
    mark = sources.receipt_data(c, twice["id"]).void  # a reprint at the county says so
    assert mark is not None and "同一来访登记了两次" in mark.note


# ----- a township still on the version before -------------------------------------------------

def older_township(clock: FakeClock) -> Register:
    """A township register whose software stops before migration m007: no registered names,
    no names of who acted, no voids."""
    conn = db.connect(":memory:")
    MIGRATIONS.apply(Database(conn), stop_before="m007_identity")
    reg = Register(conn, None, clock, password_hasher=CHEAP_HASHER)
    name, villages = TOWNSHIPS[TOWN]
    station.set_up_station(
        reg, name=f"{name}信访工作站", short_name=name[:2], code=TOWN, kind="township",
        office_name=f"{name}人民政府", phone="0512-66881234", address="人民路1号",
        villages=[station.VillageSpec(f"第{i + 1}村", v, ["一组"]) for i, v in enumerate(villages)],
        head_username="head", head_display_name="王站长", head_password="head-pass-1")
    signkey.sign_in(reg, "head", "head", "head-pass-1")  # as the sign-in dialog does
    return reg


def test_a_bundle_from_the_older_version_still_imports(clock: FakeClock, tmp_path: Path) -> None:
    t, c = older_township(clock), make_county(clock)
    try:
        link(t, c)
        village = station.villages(t)[0].id
        with t.transaction():  # what the older registration wrote
            p = t.insert("petitioners", dict(name="张建国", id_number="320508198001011238",
                                             phone="13812345678"))
            m = t.insert("matters", dict(
                number=f"{TOWN}-2026-00001", seq=1, query_code="ABCDEFGH", form="来访",
                received_on=TODAY.isoformat(), registered_by="head", petitioner_id=p["id"],
                summary="反映承包地被邻户占用", status="registered",
                problem_village_id=village))
            t.insert("matter_petitioners", dict(matter_id=m["id"], petitioner_id=p["id"],
                                                is_main=1))
            t.insert("matter_events", dict(matter_id=m["id"], kind="registered",
                                           occurred_on=TODAY.isoformat(), actor="head"))
        assert "m007_identity" not in [x.name for x in MIGRATIONS.applied(t.db)]
        send(t, c, tmp_path, "old")
        assert keys.peer(c, TOWN) is not None
        arrived = petitions.detail.matter(c, m["id"])
        assert petitions.detail.registered_by(c, arrived) == "head（花园账号）"
        assert petitions.detail.problem_village(c, arrived) == "第1村"
        assert [p["name"] for p in petitions.petitioners_of(c, m["id"])] == ["张建国"]
        assert petitions.search_ids(c, "张建国") == [m["id"]]
        link_row = c.rows("SELECT name, is_representative FROM matter_petitioners")[0]
        assert link_row == {"name": "", "is_representative": 0}  # defaults for what was missing
        assert json.loads(c.rows("SELECT manifest FROM sync_imports")[0]["manifest"])[
            "schema"][-1] == "m006_leadership"
    finally:
        t.close()
        c.close()


def test_an_existing_register_upgrades(clock: FakeClock) -> None:
    """Migration m007 on a register with data: every link gets the person's details as its
    registered snapshot, and the township's own records the names of its own accounts."""
    t = older_township(clock)
    try:
        accounts.create_user(t, "clerk", "李文静", "clerk", "clerk-pass-1")
        with t.transaction():
            p = t.insert("petitioners", dict(name="张建国", id_number="320508198001011238",
                                             phone="13812345678", address="春明村3组"))
            m = t.insert("matters", dict(
                number=f"{TOWN}-2026-00001", seq=1, query_code="ABCDEFGH", form="来访",
                received_on=TODAY.isoformat(), registered_by="clerk", petitioner_id=p["id"],
                summary="反映承包地被邻户占用", status="registered"))
            t.insert("matter_petitioners", dict(matter_id=m["id"], petitioner_id=p["id"],
                                                is_main=1))
            t.insert("matter_events", dict(matter_id=m["id"], kind="registered",
                                           occurred_on=TODAY.isoformat(), actor="head"))
        MIGRATIONS.apply(t.db)
        t = Register(t.conn, None, clock, password_hasher=CHEAP_HASHER)  # opened again
        link_row = t.rows("SELECT name, id_number, phone, address FROM matter_petitioners")[0]
        assert link_row == {"name": "张建国", "id_number": "320508198001011238",
                            "phone": "13812345678", "address": "春明村3组"}
        assert t.get("matters", m["id"])["registered_by_name"] == "李文静"
        assert t.rows("SELECT actor_name FROM matter_events")[0]["actor_name"] == "王站长"
        assert t.get("petitioners", p["id"])["merged_into"] is None
    finally:
        t.close()
