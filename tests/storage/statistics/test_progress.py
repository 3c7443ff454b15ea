"""``matter_progress`` (m016) says as of any day what aggregating the matter's events up to that
day says — whatever wrote the events: inserts out of order, backdating, voiding and unvoiding,
changed data, a kind changed, an event moved to another matter, a hard delete. The reference
is the aggregate ``figures`` took of the events before the table existed. No Qt."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date, timedelta
from typing import Any

import pytest
from sqlite_utils import Database

from storage import matter_progress, petitions
from storage.migrations import MIGRATIONS
from storage.register import Register
from tests.helpers.registers import FakeClock

KINDS = ("accept", "not_accept", "not_reaccept", "reply", "extend", "rate", "repeat_visit",
         "register", "forward")
START = date(2026, 1, 1)

#: what figures.compute aggregated before m016, verbatim but for the candidate list
REFERENCE = (
    "SELECT e.matter_id,"
    " min(CASE WHEN e.kind IN ('accept', 'not_accept', 'not_reaccept') THEN e.occurred_on END)"
    " AS decided_on,"
    " min(CASE WHEN e.kind = 'accept' THEN e.occurred_on END) AS accepted_on,"
    " min(CASE WHEN e.kind = 'not_accept' THEN e.occurred_on END) AS not_accepted_on,"
    " min(CASE WHEN e.kind = 'not_reaccept' THEN e.occurred_on END) AS not_reaccepted_on,"
    " min(CASE WHEN e.kind = 'reply' THEN e.occurred_on END) AS replied_on,"
    " max(CASE WHEN e.kind = 'reply' THEN json_extract(e.data, '$.result') END) AS result,"
    " sum(CASE WHEN e.kind = 'extend' THEN coalesce(json_extract(e.data, '$.days'), 0)"
    " ELSE 0 END) AS extension,"
    " max(CASE WHEN e.kind = 'rate' THEN e.occurred_on || ' ' || coalesce(e.created_at, '')"
    " || ' ' || coalesce(json_extract(e.data, '$.rating'), '') END) AS rated,"
    " min(CASE WHEN e.kind IN ('reply', 'not_accept', 'not_reaccept')"
    " THEN e.occurred_on END) < ?"
    " AND coalesce(min(CASE WHEN e.kind = 'accept' THEN e.occurred_on END), '') < ?"
    " AND coalesce(min(CASE WHEN e.kind IN ('accept', 'not_accept', 'not_reaccept')"
    " THEN e.occurred_on END), '') < ?"
    " AND coalesce(min(CASE WHEN e.kind = 'reply' THEN e.occurred_on END), '') < ?"
    " AS settled FROM matter_events e WHERE e.deleted = 0 AND e.occurred_on <= ?"
    " AND e.kind IN ('accept', 'not_accept', 'not_reaccept', 'reply', 'extend', 'rate')"
    " GROUP BY e.matter_id")


def _reference(conn: sqlite3.Connection, first: str, last: str, handling_from: str
               ) -> dict[str, tuple[Any, ...]]:
    # the latest rating is read as the rating of "day time rating"
    return {r[0]: (*r[:8], r[8] and r[8].split(" ", 2)[2], bool(r[9])) for r in conn.execute(
        REFERENCE, (first, handling_from, first, first, last))}


def _as_of(conn: sqlite3.Connection, first: str, last: str, handling_from: str
           ) -> dict[str, tuple[Any, ...]]:
    """What ``figures`` reads: the progress row joined to each matter, ``settled`` as the
    figures' query evaluates it;
    in the reference's column order. Every matter with an event (the migration's test has
    events of no matter row)."""
    settled, params = matter_progress.settled(first, handling_from)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            f"SELECT *, {settled} AS settled FROM (SELECT m.id, {matter_progress.COLUMNS_READ}"
            f" FROM (SELECT DISTINCT matter_id AS id FROM matter_events)"
            f" m{matter_progress.AS_OF_JOIN} WHERE p.matter_id IS NOT NULL)",
            (*params, last, last)).fetchall()
    finally:
        conn.row_factory = None
    return {r["id"]: (r["id"], r["decided_on"], r["accepted_on"], r["not_accepted_on"],
                      r["not_reaccepted_on"], r["replied_on"], r["result"], r["extension"],
                      r["rating"], bool(r["settled"]))
            for r in rows}


def _agree(conn: sqlite3.Connection, rng: random.Random) -> int:
    """Compare at a spread of days (and three random ones); the days compared."""
    days = [START + timedelta(days=n) for n in range(-1, 130, 9)]
    days += [START + timedelta(days=rng.randrange(130)) for _i in range(3)]
    for last in days:
        first = (last - timedelta(days=rng.randrange(0, 40))).isoformat()
        handling_from = (last - timedelta(days=rng.randrange(0, 90))).isoformat()
        assert _as_of(conn, first, last.isoformat(), handling_from) == _reference(
            conn, first, last.isoformat(), handling_from), last
    return len(days)


def _data(rng: random.Random, kind: str) -> str:
    if kind == "reply":
        return json.dumps({"result": rng.choice(["支持", "解释说明", "不予支持"])})
    if kind == "extend":
        return json.dumps({"days": rng.choice([10, 20, 30])} if rng.random() < 0.9 else {})
    if kind == "rate":
        return json.dumps({"rating": rng.choice(["满意", "基本满意", "不满意"])})
    if kind == "repeat_visit":
        return json.dumps({"form": "来访", "visitors_count": 2})
    return "{}"


def _insert(conn: sqlite3.Connection, rng: random.Random, station: str, matter: str,
            n: int) -> None:
    kind = rng.choice(KINDS)
    day = START + timedelta(days=rng.randrange(120))
    created = f"{day}T{rng.randrange(8, 18):02d}:{rng.randrange(60):02d}:00"
    conn.execute(
        "INSERT INTO matter_events (id, station_code, version, created_at, updated_at,"
        " updated_by, deleted, matter_id, kind, occurred_on, actor, note, data, actor_name)"
        " VALUES (?, ?, 1, ?, ?, 'test', 0, ?, ?, ?, 'test', '', ?, '')",
        (f"ev{n:05d}", station, created, created, matter, kind, day.isoformat(),
         _data(rng, kind)))


def _change(conn: sqlite3.Connection, rng: random.Random, matters: list[str]) -> None:
    """One of the ways a register's events change after they were written."""
    row = conn.execute("SELECT id, kind FROM matter_events ORDER BY random() LIMIT 1").fetchone()
    if row is None:
        return
    event, kind = row
    what = rng.randrange(6)
    if what == 0:  # voided, or the void undone
        conn.execute("UPDATE matter_events SET deleted = 1 - deleted WHERE id = ?", (event,))
    elif what == 1:  # a correction of the day
        day = START + timedelta(days=rng.randrange(120))
        conn.execute("UPDATE matter_events SET occurred_on = ? WHERE id = ?",
                     (day.isoformat(), event))
    elif what == 2:  # different data
        conn.execute("UPDATE matter_events SET data = ? WHERE id = ?", (_data(rng, kind), event))
    elif what == 3:  # another kind (in or out of those counted)
        new = rng.choice(KINDS)
        conn.execute("UPDATE matter_events SET kind = ?, data = ? WHERE id = ?",
                     (new, _data(rng, new), event))
    elif what == 4:  # moved to another matter
        conn.execute("UPDATE matter_events SET matter_id = ? WHERE id = ?",
                     (rng.choice(matters), event))
    else:  # gone for good (a repair; the app itself never deletes)
        conn.execute("DELETE FROM matter_events WHERE id = ?", (event,))


def _matters(reg: Register, n: int) -> list[str]:
    return [petitions.register(reg, petitions.RegistrationInput(
        form="来访", received_on=START, petitioners=[petitions.PetitionerInput(name=f"人{i}")],
        summary="反映问题", category1="农村农业"))["id"] for i in range(n)]


@pytest.mark.parametrize("seed", range(4))
def test_progress_is_the_aggregate_of_the_events_up_to_any_day(
        reg: Register, clock: FakeClock, seed: int) -> None:
    del clock
    rng = random.Random(seed)
    matters = _matters(reg, 6)
    conn = reg.conn
    compared = 0
    for n in range(160):
        _insert(conn, rng, reg.station_code, rng.choice(matters), n)
        for _i in range(rng.randrange(3)):
            _change(conn, rng, matters)
        if n % 20 == 19:
            compared += _agree(conn, rng)
    assert compared >= 8 * 15
    # the random history reached every path: the reference found settled, rated, extended
    # and replied matters at some day
    last = (START + timedelta(days=130)).isoformat()
    found = _reference(conn, last, last, last)
    assert found and any(r[9] for r in found.values()) and any(r[8] for r in found.values())
    assert matter_progress.differing(conn) == []


def test_check_finds_a_direct_edit_and_rebuild_puts_it_right(
        reg: Register, clock: FakeClock) -> None:
    del clock
    rng = random.Random(7)
    matters = _matters(reg, 3)
    for n in range(40):
        _insert(reg.conn, rng, reg.station_code, rng.choice(matters), n)
    assert matter_progress.differing(reg.conn) == []
    victim = reg.conn.execute("SELECT matter_id, until FROM matter_progress LIMIT 1").fetchone()
    reg.conn.execute("UPDATE matter_progress SET replied_on = '2026-01-02' WHERE matter_id = ?"
                     " AND until = ?", victim)
    assert matter_progress.differing(reg.conn) == [victim[0]]
    reg.conn.execute("DELETE FROM matter_progress WHERE matter_id = ?", (victim[0],))
    assert matter_progress.differing(reg.conn) == [victim[0]]
    assert matter_progress.rebuild(reg.conn) > 0
    assert matter_progress.differing(reg.conn) == []


def test_the_migration_fills_the_progress_of_events_written_before_it() -> None:
    conn = sqlite3.connect(":memory:")
    db = Database(conn)
    MIGRATIONS.apply(db, stop_before="m016_matter_progress")
    rng = random.Random(3)
    for n in range(60):  # foreign keys are off here: no matter rows needed
        _insert(conn, rng, "S1", rng.choice(["m1", "m2", "m3"]), n)
    MIGRATIONS.apply(db)
    assert conn.execute("SELECT count(*) FROM matter_progress").fetchone()[0] > 0
    assert matter_progress.differing(conn) == []
    _agree(conn, rng)


# ----- events the desk never writes, as an import or a direct edit can leave them -------------
def _bare_register() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")  # foreign keys off: events of no matter row
    MIGRATIONS.apply(Database(conn))
    return conn


def _raw_event(conn: sqlite3.Connection, n: int, kind: str, day: str, data: str = "{}") -> None:
    created = "2026-01-05T10:00:00"
    conn.execute(
        "INSERT INTO matter_events (id, station_code, version, created_at, updated_at,"
        " updated_by, deleted, matter_id, kind, occurred_on, actor, note, data, actor_name)"
        " VALUES (?, 'S1', 1, ?, ?, 'test', 0, 'm1', ?, ?, 'test', '', ?, '')",
        (f"ev{n}", created, created, kind, day, data))


def test_the_rating_follows_the_second_space_whatever_the_day_holds() -> None:
    conn = _bare_register()
    _raw_event(conn, 1, "rate", "2026-01-05T08:00", '{"rating": "满意"}')
    assert _as_of(conn, "2026-01-01", "2026-01-31", "2026-01-01") == _reference(
        conn, "2026-01-01", "2026-01-31", "2026-01-01")
    assert _as_of(conn, "2026-01-01", "2026-01-31", "2026-01-01")["m1"][8] == "满意"


def test_a_number_where_a_text_was_expected_is_kept_as_the_events_give_it() -> None:
    """A reply's result or an extension's days as numbers: ``check`` finds the rows equal to
    their events (a column type would have turned them into text: different for ever)."""
    conn = _bare_register()
    _raw_event(conn, 1, "reply", "2026-01-05", '{"result": 1}')
    _raw_event(conn, 2, "extend", "2026-01-06", '{"days": "10"}')
    assert matter_progress.differing(conn) == []
    matter_progress.rebuild(conn)
    assert matter_progress.differing(conn) == []
    assert _as_of(conn, "2026-01-01", "2026-01-31", "2026-01-01") == _reference(
        conn, "2026-01-01", "2026-01-31", "2026-01-01")


def test_an_empty_day_is_no_conclusion() -> None:
    """As the figures took it before the table: the first conclusion is the earliest day that
    is not empty."""
    conn = _bare_register()
    _raw_event(conn, 1, "reply", "", '{"result": "支持"}')
    _raw_event(conn, 2, "not_accept", "2026-01-05")
    conn.row_factory = sqlite3.Row
    row = conn.execute(f"SELECT {matter_progress.COLUMNS_READ} FROM (SELECT 'm1' AS id) m"
                       f"{matter_progress.AS_OF_JOIN}", ("2026-01-31", "2026-01-31")).fetchone()
    assert row["concluded_on"] == "2026-01-05"
