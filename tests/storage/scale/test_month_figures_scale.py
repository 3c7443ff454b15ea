"""A month's figures read the months around it, not the whole register (issue 17): the matters
that can count come from three index ranges (``statistics.figures.candidates``), their events by
key, the repeat visits from their own index (m014); and the planner's statistics are kept
current when a register closes (``storage.planner``). The figures themselves are unchanged: the
candidates are exactly the matters the rule names (the hand-count tests check every figure)."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from storage import accounts, petitions, planner, statistics, upkeep
from storage.db import open_register
from storage.register import Register
from storage.statistics import figures, periods
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up

D = date.fromisoformat

#: the statistics of a county register of a million matters (sqlite_stat1 of the bench's
#: register, events ×4 as a working register has them): the planner chooses as it would there
BIG = {
    ("matters", "sqlite_autoindex_matters_1"): "1000000 1",
    ("matters", "idx_matters_station_concluded"): "1000000 1000000 300",
    ("matters", "idx_matters_station_received_deleted"): "1000000 1000000 137",
    ("matters", "idx_matters_list_received"): "1000000 137 1 1",
    ("matters", "idx_matters_list_due"): "1000000 1389 1 1",
    ("matters", "idx_matters_list_number"): "1000000 1 1",
    ("matters", "idx_matters_number"): "1000000 1000000 1",
    ("matters", "idx_matters_status_due"): "1000000 200000 1150",
    ("matters", "idx_matters_petitioner"): "1000000 2",
    ("matters", "idx_matters_updated"): "1000000 1",
    ("matter_events", "sqlite_autoindex_matter_events_1"): "4000000 1",
    ("matter_events", "idx_events_matter"): "4000000 4 1",
    ("matter_events", "idx_events_repeat_visits"): "100000 30 1",
    ("matter_events", "idx_matter_events_updated"): "4000000 1",
}


def _matter(reg: Register, day: str, name: str) -> str:
    return str(petitions.register(reg, petitions.RegistrationInput(
        form="来访", received_on=D(day), category1="农村农业", summary="反映问题",
        petitioners=[petitions.PetitionerInput(name=name)]))["id"])


@pytest.fixture
def ages(reg: Register, clock: FakeClock) -> dict[str, str]:
    """Matters of every age a month can meet: recent; old and open; old and replied before,
    within and after November 2026; old and not accepted; one voided."""
    clock.now = clock.now.replace(year=2026, month=12, day=3)
    out = {
        "recent": _matter(reg, "2026-10-20", "张一"),
        "horizon": _matter(reg, "2026-04-15", "张二"),  # 200 days before November: counts
        "old_open": _matter(reg, "2025-06-02", "张三"),
        "old_replied_before": _matter(reg, "2025-06-03", "张四"),
        "old_replied_in": _matter(reg, "2025-06-04", "张五"),
        "old_replied_after": _matter(reg, "2025-06-05", "张六"),
        "old_not_accepted": _matter(reg, "2025-06-06", "张七"),
        "voided": _matter(reg, "2026-11-02", "张八"),
        "later": _matter(reg, "2026-12-01", "张九"),
    }
    for key, replied in (("old_replied_before", "2025-07-20"), ("old_replied_in", "2026-11-10"),
                         ("old_replied_after", "2026-12-02")):
        petitions.accept(reg, out[key], D("2025-06-10"))
        petitions.reply(reg, out[key], D(replied), "支持")
    petitions.not_accept(reg, out["old_not_accepted"], D("2025-06-09"), "属于诉讼程序",
                         "诉讼（人民法院）")
    reg.conn.execute("UPDATE matters SET deleted = 1 WHERE id = ?", (out["voided"],))
    return out


def _by_the_rule(reg: Register, period: periods.Period) -> set[str]:
    """The rule as the docstring of ``figures`` writes it, over every matter."""
    horizon = period.first - timedelta(days=200)
    out = set()
    for m in reg.rows("SELECT id, received_on, replied_on, closed_on FROM matters"
                      " WHERE deleted = 0 AND station_code = ?", (reg.station_code,)):
        done = m["replied_on"] or m["closed_on"]
        if m["received_on"] <= period.last.isoformat() and (
                m["received_on"] >= horizon.isoformat() or done is None
                or done >= period.first.isoformat()):
            out.add(m["id"])
    return out


def test_candidates_are_the_matters_the_rule_names(reg: Register, ages: dict[str, str]) -> None:
    for period in (periods.month(2026, 11), periods.month(2025, 7), periods.month(2026, 12),
                   periods.year(2026), periods.quarter(2025, 3)):
        sql, params = figures.candidates(period, (reg.station_code,))
        found = [r[0] for r in reg.conn.execute(sql, params)]
        assert len(found) == len(set(found))  # the three ranges do not overlap
        assert set(found) == _by_the_rule(reg, period), period.key
    sql, params = figures.candidates(periods.month(2026, 11), (reg.station_code,))
    november = {r[0] for r in reg.conn.execute(sql, params)}
    assert november == {ages[k] for k in ("recent", "horizon", "old_open", "old_replied_in",
                                          "old_replied_after")}


def test_the_month_counts_the_old_matters_as_before(reg: Register, ages: dict[str, str]) -> None:
    f = statistics.compute(reg, periods.month(2026, 11), with_screening=False)
    assert ages["old_replied_in"] in f.members["concluded"]
    assert {ages["old_open"], ages["old_replied_after"]} <= set(f.members["open_at_end"])
    assert ages["old_replied_before"] not in f.members.get("carried_in", [])
    assert f.reconciles()


def _plans(reg: Register, run: object) -> list[str]:
    """The query plan of every SELECT that ``run()`` makes."""
    seen: list[str] = []
    reg.conn.set_trace_callback(seen.append)
    try:
        run()  # type: ignore[operator]
    finally:
        reg.conn.set_trace_callback(None)
    out = []
    for sql in seen:
        head = sql.lstrip().upper()
        if head.startswith(("SELECT", "WITH")) and ("MATTERS" in head):
            out.append(" | ".join(str(r[-1]) for r in reg.conn.execute(
                f"EXPLAIN QUERY PLAN {sql}")))
    return out


def _walks(plan: str) -> bool:
    """A walk of every matter or every event: a SCAN of either table, or the received-date
    index read from its start ("received_on<?" with no lower bound)."""
    steps = plan.split(" | ")
    return any(s.startswith(("SCAN matters", "SCAN m ", "SCAN m", "SCAN e", "SCAN matter_events"))
               and not s.startswith("SCAN cand") for s in steps) or any(
        "received_on<?" in s and "received_on>?" not in s for s in steps)


@pytest.mark.usefixtures("ages")
def test_a_month_reads_no_matter_or_event_it_does_not_need(reg: Register) -> None:
    reg.conn.execute("ANALYZE sqlite_master")  # makes sqlite_stat1
    for (table, index), stat in BIG.items():
        reg.conn.execute("DELETE FROM sqlite_stat1 WHERE tbl = ? AND idx = ?", (table, index))
        reg.conn.execute("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)", (table, index, stat))
    reg.conn.execute("ANALYZE sqlite_master")  # the planner reads them again
    plans = _plans(reg, lambda: (statistics.monthly(reg, "2026-11"),
                                 statistics.monthly_totals(reg, 2026)))
    assert len(plans) >= 5
    assert [p for p in plans if _walks(p)] == []


def test_statistics_follow_the_register_as_it_grows(tmp_path: Path, clock: FakeClock,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planner, "FROM", 3)
    reg = set_up(open_register(tmp_path, clock=clock, password_hasher=CHEAP_HASHER))
    for i in range(4):
        _matter(reg, f"2026-02-{i + 10}", f"王{i}")
    assert "matters" in planner.stale(reg.conn)  # never analysed
    reg.close()
    reg = open_register(tmp_path, clock=clock, password_hasher=CHEAP_HASHER)
    stats = dict(reg.conn.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'matters'"))
    assert stats["idx_matters_station_received_deleted"].startswith("4 ")
    assert planner.stale(reg.conn) == []  # closing again analyses nothing
    reg.close()
    reg = open_register(tmp_path, clock=clock, password_hasher=CHEAP_HASHER)
    accounts.authenticate(reg, "clerk", "clerk-pass-1")
    for i in range(4):
        _matter(reg, f"2026-02-{i + 20}", f"李{i}")
    assert planner.stale(reg.conn) == ["matters", "matter_events", "matter_petitioners",
                                       "petitioners"]  # twice the size
    reg.close()
    conn = sqlite3.connect(tmp_path / "register.sqlite3")
    assert dict(conn.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'matters'"))[
        "idx_matters_station_received_deleted"].startswith("8 ")
    conn.close()


def test_the_latest_rating_is_the_last_day_then_the_last_entered(reg: Register,
                                                                 clock: FakeClock) -> None:
    clock.now = clock.now.replace(year=2026, month=11, day=25)
    m = _matter(reg, "2026-11-02", "刘一")
    petitions.accept(reg, m, D("2026-11-03"))
    petitions.reply(reg, m, D("2026-11-10"), "支持")
    petitions.rate(reg, m, D("2026-11-12"), "不满意")
    clock.advance(minutes=5)
    petitions.rate(reg, m, D("2026-11-20"), "满意")
    assert statistics.compute(reg, periods.month(2026, 11)).ratings == {"满意": 1}
    clock.advance(minutes=5)
    # the same day, entered later ("基本满意" sorts before "满意": the time of entry decides)
    petitions.rate(reg, m, D("2026-11-20"), "基本满意")
    assert statistics.compute(reg, periods.month(2026, 11)).ratings == {"基本满意": 1}


def test_the_catch_up_after_an_import_brings_the_statistics_up_to_date(
        tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planner, "FROM", 3)
    reg = set_up(open_register(tmp_path, clock=clock, password_hasher=CHEAP_HASHER))
    for i in range(4):
        _matter(reg, f"2026-02-{i + 10}", f"王{i}")
    assert "matters" in planner.stale(reg.conn)
    upkeep.catch_up(reg.conn)
    assert planner.stale(reg.conn) == []
    reg.close()
