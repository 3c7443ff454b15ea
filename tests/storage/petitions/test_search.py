"""Searching matters as the clerk types: two-character names, Chinese substrings, ID number and
phone fragments, several terms at once, filters, and deleted matters staying hidden."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from storage import accounts, petitions, station
from storage.petitions import Filters, PetitionerInput, RegistrationInput
from storage.register import Register, Row
from storage.voiding import HeadConfirmation
from tests.helpers.registers import FakeClock

TODAY = date(2026, 3, 2)


def add(reg: Register, name: str, summary: str, *, id_number: str = "", phone: str = "",
        received: date = TODAY, village: int = 0, category: tuple[str, str] = ("民政", "社会救助"),
        gender: str = "", others: tuple[str, ...] = ()) -> Row:
    villages = station.villages(reg)
    people = [PetitionerInput(name=name, gender=gender, id_number=id_number, phone=phone)]
    people += [PetitionerInput(name=o) for o in others]
    return petitions.register(reg, RegistrationInput(
        form="来访", received_on=received, petitioners=people, summary=summary,
        category1=category[0], category2=category[1], persons_involved=len(people),
        problem_village_id=villages[village].id))


@pytest.fixture
def cases(reg: Register) -> dict[str, Row]:
    return {
        "zhangwei": add(reg, "张伟", "反映承包地被邻户占用", id_number="320508198503121234",
                        phone="13812345678", category=("农村农业", "土地承包经营")),
        "zhangweiming": add(reg, "张伟明", "反映拖欠工资问题", phone="13900001111",
                            category=("劳动和社会保障", "工资福利"), village=1,
                            received=TODAY - timedelta(days=40)),
        "wang": add(reg, "王建华", "反映安置房漏水，开发商拖延维修", phone="0512-65123456",
                    category=("城乡建设", "住房保障与房地产"), village=2,
                    received=TODAY - timedelta(days=20)),
        "group": add(reg, "李秀英", "反映承包地流转租金未支付", others=("赵刚", "张伟"),
                     category=("农村农业", "土地承包经营"), received=TODAY - timedelta(days=70)),
        "rare": add(reg, "刘䶮", "反映低保申请未获批准", id_number="32050819900521204X",
                    gender="女"),
    }


def found(reg: Register, text: str, filters: Filters | None = None) -> set[str]:
    return set(petitions.search_ids(reg, text, filters))


def ids(cases: dict[str, Row], *keys: str) -> set[str]:
    return {str(cases[k]["id"]) for k in keys}


# ----- terms ------------------------------------------------------------------------------------

def test_two_character_name(reg: Register, cases: dict[str, Row]) -> None:
    # 张伟 is also the beginning of 张伟明, and a co-petitioner of the group visit.
    assert found(reg, "张伟") == ids(cases, "zhangwei", "zhangweiming", "group")
    assert found(reg, "建华") == ids(cases, "wang")


def test_one_character_and_rare_character(reg: Register, cases: dict[str, Row]) -> None:
    assert found(reg, "䶮") == ids(cases, "rare")
    assert found(reg, "刘䶮") == ids(cases, "rare")
    assert found(reg, "王") == ids(cases, "wang")


def test_three_or_more_characters_in_the_summary(reg: Register, cases: dict[str, Row]) -> None:
    assert found(reg, "承包地") == ids(cases, "zhangwei", "group")
    assert found(reg, "开发商拖延") == ids(cases, "wang")
    assert found(reg, "张伟明") == ids(cases, "zhangweiming")
    assert found(reg, "不存在的内容") == set()


def test_two_characters_of_the_summary(reg: Register, cases: dict[str, Row]) -> None:
    assert found(reg, "漏水") == ids(cases, "wang")
    assert found(reg, "低保") == ids(cases, "rare")


def test_id_number_fragments(reg: Register, cases: dict[str, Row]) -> None:
    assert found(reg, "19850312") == ids(cases, "zhangwei")
    assert found(reg, "320508198503121234") == ids(cases, "zhangwei")
    assert found(reg, "1204X") == ids(cases, "rare")
    assert found(reg, "1204x") == ids(cases, "rare")  # case does not matter
    assert found(reg, "508198") == ids(cases, "zhangwei")


def test_phone_fragments(reg: Register, cases: dict[str, Row]) -> None:
    assert found(reg, "1381234") == ids(cases, "zhangwei")
    assert found(reg, "5678") == ids(cases, "zhangwei")
    assert found(reg, "65123456") == ids(cases, "wang")
    assert found(reg, "0512-651") == ids(cases, "wang")


def test_case_number_and_query_code(reg: Register, cases: dict[str, Row]) -> None:
    m = cases["wang"]
    assert found(reg, str(m["number"])) == ids(cases, "wang")
    assert found(reg, str(m["query_code"])) == ids(cases, "wang")


def test_every_term_must_match(reg: Register, cases: dict[str, Row]) -> None:
    assert found(reg, "张伟 承包地") == ids(cases, "zhangwei", "group")
    assert found(reg, "张伟 工资") == ids(cases, "zhangweiming")
    assert found(reg, "张伟 1381234") == ids(cases, "zhangwei")
    assert found(reg, "张伟 漏水") == set()
    assert found(reg, "  ") == ids(cases, *cases)  # nothing typed: everything


@pytest.mark.usefixtures("cases")
def test_quotes_and_fts_syntax_are_taken_literally(reg: Register) -> None:
    assert found(reg, '"承包地') == set()
    assert found(reg, "承包地 OR") == set()
    assert found(reg, "NEAR(承包地)") == set()


def test_newest_first_and_list_rows_keep_the_order(reg: Register, cases: dict[str, Row]) -> None:
    result = petitions.search_ids(reg, "")
    # Same day: the later registration (higher number) first.
    assert result[:2] == [cases["rare"]["id"], cases["zhangwei"]["id"]]
    received = [reg.get("matters", i)["received_on"] for i in result]
    assert received == sorted(received, reverse=True)
    rows = petitions.list_rows(reg, result[::-1])
    assert [r["id"] for r in rows] == result[::-1]
    first = {r["id"]: r for r in rows}[cases["group"]["id"]]
    assert first["petitioner"] == "李秀英"  # the main petitioner
    assert petitions.search_ids(reg, "", limit=2) == result[:2]


# ----- the rows' keys (issue 17) ----------------------------------------------------------------

def rows_by_key(reg: Register) -> dict[int, str]:
    """Every search row's rowid and matter; the key table says the same of each."""
    rows = dict(reg.conn.execute("SELECT rowid, matter_id FROM matter_search"))
    assert rows == dict(reg.conn.execute("SELECT key, matter_id FROM matter_search_keys"))
    return {int(k): str(m) for k, m in rows.items()}


def test_new_matters_get_ascending_keys(reg: Register, cases: dict[str, Row]) -> None:
    """Keys in the order matters were first indexed, one after another (not a hash of the id:
    new rows go to the right edge of the index)."""
    keys = rows_by_key(reg)
    assert list(keys.values()) == [str(c["id"]) for c in cases.values()]  # registration order
    assert sorted(keys) == list(range(min(keys), min(keys) + len(cases)))
    later = add(reg, "陈志强", "反映村道路灯损坏")
    assert petitions.search_key(reg.conn, later["id"]) == max(keys) + 1


def test_an_updated_matter_keeps_its_key_and_its_row_is_replaced(
        reg: Register, cases: dict[str, Row]) -> None:
    m = cases["wang"]
    key = petitions.search_key(reg.conn, m["id"])
    petitions.correct_matter(reg, m["id"], "笔误", changes={"summary": "反映自来水管道破裂无人维修"})
    assert petitions.search_key(reg.conn, m["id"]) == key
    assert rows_by_key(reg)[key] == m["id"] and len(rows_by_key(reg)) == len(cases)
    assert found(reg, "自来水管道") == ids(cases, "wang")
    assert found(reg, "开发商拖延") == set()  # the old text is gone from the index
    assert found(reg, "0512-651") == ids(cases, "wang")  # the names part was rewritten too


def test_a_voided_matter_gives_up_its_row_and_key(reg: Register, cases: dict[str, Row]) -> None:
    """A key exists exactly while its row does; a matter restored later gets a new one."""
    m = cases["rare"]
    petitions.void_matter(reg, m["id"], "重复登记", HeadConfirmation("head", "head-pass-1"))
    assert found(reg, "低保申请") == set() and found(reg, "刘䶮") == set()
    assert petitions.search_key(reg.conn, m["id"]) is None
    assert m["id"] not in rows_by_key(reg).values()
    top = max(rows_by_key(reg))
    reg.actor = accounts.find_user(reg, "head").actor()
    petitions.unvoid_matter(reg, m["id"], "作废错了")
    assert petitions.search_key(reg.conn, m["id"]) == top + 1
    assert found(reg, "低保申请") == ids(cases, "rare")


def test_keys_of_many_matters_are_read_and_given_in_chunks(reg: Register) -> None:
    ids_ = [f"01TEST{i:06d}" for i in range(1_203)]
    with reg.transaction():
        given = petitions.new_search_keys(reg.conn, ids_)
    assert [given[m] for m in ids_] == list(range(1, len(ids_) + 1))
    assert petitions.search_keys(reg.conn, [*reversed(ids_), "01NONE"]) == given


# ----- filters ----------------------------------------------------------------------------------

def test_filter_by_status_category_and_village(reg: Register, cases: dict[str, Row]) -> None:
    petitions.accept(reg, str(cases["wang"]["id"]), TODAY)
    assert found(reg, "", Filters(statuses=("accepted",))) == ids(cases, "wang")
    assert found(reg, "", Filters(statuses=("accepted", "registered"))) == ids(cases, *cases)
    assert found(reg, "", Filters(category1="农村农业")) == ids(cases, "zhangwei", "group")
    villages = station.villages(reg)
    assert found(reg, "", Filters(village_id=villages[1].id)) == ids(cases, "zhangweiming")
    assert found(reg, "张伟", Filters(category1="农村农业")) == ids(cases, "zhangwei", "group")


def test_filter_by_received_date(reg: Register, cases: dict[str, Row]) -> None:
    f = Filters(received_from=TODAY - timedelta(days=40), received_to=TODAY - timedelta(days=20))
    assert found(reg, "", f) == ids(cases, "zhangweiming", "wang")
    assert found(reg, "", Filters(received_from=TODAY)) == ids(cases, "zhangwei", "rare")


def test_filter_overdue_and_due_this_week(reg: Register, cases: dict[str, Row],
                                          clock: FakeClock) -> None:
    # Registered matters are due 15 days after receipt (moved off rest days).
    due = {k: str(reg.get("matters", str(m["id"]))["due_date"]) for k, m in cases.items()}
    assert due["zhangwei"] == "2026-03-17" and due["wang"] == "2026-02-25"
    assert found(reg, "", Filters(due="overdue")) == ids(cases, "zhangweiming", "wang", "group")
    assert found(reg, "", Filters(due="week")) == set()
    clock.advance(days=10)  # Thu 12 Mar: 17 Mar is within the week
    assert found(reg, "", Filters(due="week")) == ids(cases, "zhangwei", "rare")
    petitions.not_accept(reg, str(cases["wang"]["id"]), TODAY, "属于法院职权", "诉讼（人民法院）")
    assert found(reg, "", Filters(due="overdue")) == ids(cases, "zhangweiming", "group")
    overdue_first = petitions.search_ids(reg, "", Filters(due="open"))
    assert overdue_first[0] == cases["group"]["id"]  # the earliest deadline first


def test_deleted_matters_are_not_found(reg: Register, cases: dict[str, Row]) -> None:
    with reg.transaction():
        reg.delete("matters", str(cases["zhangwei"]["id"]))
    assert found(reg, "张伟") == ids(cases, "zhangweiming", "group")
    assert found(reg, "19850312") == set()
    assert found(reg, "") == ids(cases, "zhangweiming", "wang", "group", "rare")


def test_repeat_visit_co_petitioner_becomes_findable(reg: Register, cases: dict[str, Row],
                                                     clock: FakeClock) -> None:
    clock.advance(days=1)
    m = cases["wang"]
    people = [PetitionerInput(name="王建华", phone="0512-65123456",
                              existing_id=str(m["petitioner_id"])),
              PetitionerInput(name="欧阳娜娜", phone="13700007777")]
    inp: dict[str, Any] = dict(form="来访", received_on=TODAY + timedelta(days=1),
                               petitioners=people, summary="再次来访", persons_involved=2,
                               attach_to_matter_id=m["id"])
    petitions.register(reg, RegistrationInput(**inp))
    assert found(reg, "欧阳娜娜") == ids(cases, "wang")
    assert found(reg, "娜娜") == ids(cases, "wang")
    assert found(reg, "00007777") == ids(cases, "wang")
    assert reg.scalar("SELECT count(*) FROM matter_search") == len(cases)  # re-indexed, once


def test_the_whole_list_is_counted_exactly_from_indexes(reg: Register,
                                                        cases: dict[str, Row]) -> None:
    """Issue 17: with nothing typed the list counts every matter (a million said "more than
    1,000"): all of them from an index, less the tombstoned ones (their own index, m015)."""
    code = reg.station_code
    assert petitions.total(reg, "") == 5
    assert petitions.total(reg, "", Filters(station_code=code)) == 5
    assert petitions.total(reg, "", Filters(station_code="320508999000")) == 0
    with reg.transaction():
        reg.delete("matters", str(cases["zhangwei"]["id"]))
    assert petitions.total(reg, "") == 4 == petitions.count(reg, "", cap=10**6)
    assert petitions.total(reg, "", Filters(station_code=code)) == 4
    # something narrows the list: not a total, the capped count answers
    assert petitions.total(reg, "张伟") is None
    assert petitions.total(reg, " ", Filters(category1="农村农业")) is None
    assert petitions.total(reg, "", Filters(due="open")) is None
    statements: list[str] = []
    reg.conn.set_trace_callback(statements.append)
    try:
        petitions.total(reg, "")
        petitions.total(reg, "", Filters(station_code=code))
    finally:
        reg.conn.set_trace_callback(None)
    plans = [str(reg.conn.execute("EXPLAIN QUERY PLAN " + sql, (code,) if "?" in sql else ()
                                  ).fetchall())
             for sql in (s.replace(f"'{code}'", "?") for s in statements if "deleted = 1" in s)]
    assert len(plans) == 2 and all("idx_matters_tombstones" in p for p in plans), plans


def test_a_rare_status_is_found_through_its_index_and_pages_alike(
        reg: Register, cases: dict[str, Row]) -> None:
    """Issue 17: 复查复核, held by no matter of a million, walked all of them in the list's order
    (0.6 s) and counted them all (0.4 s). A status with fewer matters than the walk would read
    is looked up in the status index and sorted; a common one still walks. The pages are the
    same either way."""
    petitions.accept(reg, str(cases["wang"]["id"]), TODAY)
    statements: list[str] = []
    reg.conn.set_trace_callback(statements.append)

    def pages(f: Filters, order: petitions.Order | None, limit: int) -> list[str]:
        out: list[str] = []
        after = None
        while True:
            page = petitions.page_ids(reg, "", f, order, after=after, limit=limit)
            out += page.ids
            if page.after is None:
                return out
            after = page.after

    try:
        for order in (None, petitions.Order("due", False), petitions.Order("number", True)):
            for statuses in (("accepted",), ("registered",), ("review", "reviewed"),
                             ("accepted", "registered")):
                f = Filters(statuses=statuses)
                expected = [i for i in petitions.search_ids(reg, "", Filters())
                            if i in found(reg, "", f)]
                for limit in (1, 2, 200):
                    statements.clear()
                    got = pages(f, order, limit)
                    assert sorted(got) == sorted(expected), (statuses, order, limit)
                    assert len(got) == len(set(got))
                    looked_up = any(f"INDEXED BY {petitions.search.STATUS_INDEX}" in s
                                    and "ORDER BY" in s for s in statements)
                    # 5 matters: the walk reads about √(limit × 5) rows
                    assert looked_up == (len(expected) < int((limit * 5) ** .5) + 1), \
                        (statuses, limit)
                assert petitions.count(reg, "", f) == len(expected)
    finally:
        reg.conn.set_trace_callback(None)
    ordered = pages(Filters(statuses=("registered",)), petitions.Order("number", True), 200)
    numbers = [reg.get("matters", i)["number"] for i in ordered]
    assert numbers == sorted(numbers, reverse=True)  # the lookup sorts as the walk would


def test_deadline_filters_are_ranges_of_the_deadline_index(reg: Register,
                                                           cases: dict[str, Row]) -> None:  # noqa: ARG001 - matters to list
    """Issue 17: "有期限的" was ``due_date IS NOT NULL``, which no index answers (every matter
    read to count them: 0.3–1.5 s at a million); 已逾期 in a village walked the list's order
    (0.4 s). Each deadline filter is now a range of the deadline index."""
    from storage.petitions.search import build_query

    for due in ("overdue", "week", "open"):
        where, params = build_query("", Filters(due=due), TODAY)
        plan = str(reg.conn.execute(
            f"EXPLAIN QUERY PLAN SELECT 1 FROM matters m WHERE {where}", params).fetchall())
        assert "idx_matters_list_due" in plan, (due, plan)
    # the same matters as before: a deadline, and none of them without one
    assert found(reg, "", Filters(due="open")) == {
        i for i in found(reg, "") if reg.get("matters", i)["due_date"] is not None}
