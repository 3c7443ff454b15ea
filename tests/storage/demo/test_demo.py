"""The demo register (``main.py demo-data``): built through the real code paths, it holds matters
in every state, rare-character names, valid ID numbers, an intact audit chain, and the headless
``cases`` command lists it with names masked."""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import main
from storage import accounts, audit, demo, leadership, petitions
from storage.db import DB_NAME, open_register
from storage.demo import builder
from storage.errors import ValidationError
from storage.i18n import current_language, set_language
from storage.register import Register
from storage.validation import parse_citizen_id
from tests.helpers.registers import CHEAP_HASHER

CASES = 60
RARE = ("䶮", "𠮷", "堃", "喆", "赟", "玥")


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def run_main(*args: str) -> Done:
    """``python main.py ARGS``, run in this process with its output captured (also from the
    module-scoped fixture, where capsys is not available)."""
    out, err = io.StringIO(), io.StringIO()
    language = current_language()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main.main(list(args))
    finally:
        set_language(language)
    return Done(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    data = tmp_path_factory.mktemp("demo") / "register"
    with pytest.MonkeyPatch.context() as mp:  # the demo's accounts hashed at the tests' cost
        mp.setattr(demo, "build", functools.partial(demo.build, password_hasher=CHEAP_HASHER))
        done = run_main("demo-data", "--data-dir", str(data), "--cases", str(CASES), "--seed",
                        "7", "--json")
    assert done.returncode == 0, done.stderr
    return data, json.loads(done.stdout)


@pytest.fixture
def demo_reg(built: tuple[Path, dict[str, Any]]) -> Iterator[Register]:
    reg = open_register(built[0], password_hasher=CHEAP_HASHER)
    yield reg
    reg.close()


def reference_check(body17: str) -> str:
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(body17))
    return "10X98765432"[total % 11]


def test_summary_describes_the_register(built: tuple[Path, dict[str, Any]],
                                        demo_reg: Register) -> None:
    data, summary = built
    assert summary["path"] == str(data.absolute())
    assert summary["cases"] == demo_reg.scalar("SELECT count(*) FROM matters") >= CASES
    assert summary["station_code"] == demo_reg.station_code == "320508102000"
    assert 8 <= summary["villages"] <= 12
    logins = {x["username"]: x for x in summary["logins"]}
    assert logins["head"]["password"] == "demo1234" and logins["head"]["role"] == "head"
    assert {x["role"] for x in logins.values()} == {"head", "clerk", "liaison"}
    assert (data / DB_NAME).exists()
    assert not list(data.parent.glob(".*building*"))


def test_station_villages_grids_and_accounts(demo_reg: Register) -> None:
    villages = demo_reg.rows("SELECT * FROM villages")
    assert all(len(v["code"]) == 12 and v["code"][:9] == "320508102" for v in villages)
    grids = demo_reg.rows("SELECT * FROM grids")
    per_village = {v["id"]: 0 for v in villages}
    for g in grids:
        per_village[g["village_id"]] += 1
    assert all(1 <= n <= 3 for n in per_village.values())
    assert all(g["liaison_id"] for g in grids)  # every grid has its liaison
    user = accounts.authenticate(demo_reg, "head", "demo1234")
    assert user.role == "head"
    assert accounts.authenticate(demo_reg, "liaison1", "demo1234").village_ids


def test_every_state_is_present(demo_reg: Register) -> None:
    statuses = {r[0] for r in demo_reg.conn.execute("SELECT DISTINCT status FROM matters")}
    assert statuses == set(petitions.STATUS_LABELS)
    ratings = {r[0] for r in demo_reg.conn.execute(
        "SELECT DISTINCT rating FROM matters WHERE status = 'closed'")}
    assert set(petitions.RATINGS) <= ratings
    channels = demo_reg.scalar("SELECT count(*) FROM matters WHERE status = 'not_accepted'"
                               " AND legal_channel != ''")
    assert channels >= 1


def test_overdue_due_this_week_and_the_kinds_of_visit(demo_reg: Register) -> None:
    today = date.today().isoformat()
    q = demo_reg.scalar
    assert q("SELECT count(*) FROM matters WHERE due_date < ?", (today,)) >= 1
    assert q("SELECT count(*) FROM matters WHERE due_date BETWEEN ? AND date(?, '+7 days')",
             (today, today)) >= 1
    assert q("SELECT count(*) FROM matters WHERE is_collective = 1 AND visitors_count >= 5") >= 1
    assert q("SELECT count(*) FROM matters WHERE is_skip_level = 1") >= 1
    assert q("SELECT count(*) FROM matters WHERE form = '代办' AND proxy_by != ''") >= 1
    assert q("SELECT count(*) FROM matters WHERE repeat_visits > 0") >= 1
    assert q("SELECT count(*) FROM matters WHERE repeat_kind = '重件'") >= 1
    assert q("SELECT count(*) FROM matters WHERE extension_days > 0 OR status IN"
             " ('review', 'reviewed', 'rereview', 'rereviewed')") >= 1
    assert q("SELECT max(n) FROM (SELECT count(*) AS n FROM matter_petitioners"
             " GROUP BY petitioner_id)") >= 3  # someone who keeps coming back
    forms = {r[0] for r in demo_reg.conn.execute("SELECT DISTINCT form FROM matters")}
    assert {"来访", "来信", "来电", "网信", "代办"} <= forms


def test_names_include_rare_characters(demo_reg: Register) -> None:
    names = "".join(r[0] for r in demo_reg.conn.execute("SELECT name FROM petitioners"))
    assert set(RARE) <= set(names)
    assert "刘䶮" in names and "𠮷" in names


def test_every_id_number_is_valid(demo_reg: Register) -> None:
    numbers = [r[0] for r in demo_reg.conn.execute(
        "SELECT id_number FROM petitioners WHERE id_number IS NOT NULL")]
    assert len(numbers) >= CASES // 2
    for n in numbers:
        assert len(n) == 18 and reference_check(n[:17]) == n[17], n
        assert parse_citizen_id(n).number == n
    genders = demo_reg.rows("SELECT gender, id_number FROM petitioners"
                            " WHERE id_number IS NOT NULL")
    assert all((int(r["id_number"][16]) % 2 == 1) == (r["gender"] == "男") for r in genders)


def test_phones_are_stored_normalised(demo_reg: Register) -> None:
    phones = [r[0] for r in demo_reg.conn.execute(
        "SELECT phone FROM petitioners WHERE phone != ''")]
    assert phones
    assert all(p.isdigit() and len(p) == 11 or p.startswith("0512-") for p in phones)


def test_numbers_run_without_gaps_in_date_order(demo_reg: Register) -> None:
    rows = demo_reg.rows("SELECT number, seq, received_on FROM matters ORDER BY number")
    by_year: dict[str, list[int]] = {}
    for r in rows:
        by_year.setdefault(r["received_on"][:4], []).append(r["seq"])
    for year, seqs in by_year.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), year


def test_timelines_are_plausible(demo_reg: Register) -> None:
    today = date.today().isoformat()
    bad = demo_reg.rows(
        "SELECT m.number, e.kind, e.occurred_on, m.received_on FROM matter_events e"
        " JOIN matters m ON m.id = e.matter_id"
        " WHERE e.occurred_on < m.received_on OR e.occurred_on > ?", (today,))
    assert bad == []
    registered = demo_reg.scalar("SELECT count(*) FROM matter_events WHERE kind = 'registered'")
    assert registered == demo_reg.scalar("SELECT count(*) FROM matters")


def test_audit_chain_verifies(demo_reg: Register) -> None:
    report = audit.verify(demo_reg.conn)
    assert report.ok, report
    assert report.entries > CASES * 5


def test_cases_command_lists_matters_with_names_masked(built: tuple[Path, dict[str, Any]],
                                                        demo_reg: Register) -> None:
    done = run_main("cases", "--json", "--data-dir", str(built[0]), "--limit", "500")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert len(rows) == demo_reg.scalar("SELECT count(*) FROM matters")
    names = {r[0] for r in demo_reg.conn.execute("SELECT name FROM petitioners")}
    for r in rows:
        assert set(r) >= {"id", "number", "petitioner", "status", "due_date"}
        assert "*" in r["petitioner"] and r["petitioner"] not in names
    done = run_main("cases", "--json", "--data-dir", str(built[0]), "--status", "review")
    assert done.returncode == 0, done.stderr
    assert {r["status"] for r in json.loads(done.stdout)} == {"review"}


def test_an_existing_register_is_not_overwritten(built: tuple[Path, dict[str, Any]]) -> None:
    data = built[0]
    before = (data / DB_NAME).stat().st_mtime_ns, (data / DB_NAME).stat().st_size
    with pytest.raises(ValidationError, match="不会覆盖"):
        demo.build(data, cases=5, seed=1)
    done = run_main("demo-data", "--data-dir", str(data), "--cases", "5")
    assert done.returncode != 0
    assert "不会覆盖" in done.stderr
    assert ((data / DB_NAME).stat().st_mtime_ns, (data / DB_NAME).stat().st_size) == before


def test_a_failed_build_leaves_nothing_behind(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> dict[str, Any]:
        raise RuntimeError("generator failed half-way")

    monkeypatch.setattr(builder, "_other_modules", broken)
    target = tmp_path / "new"
    with pytest.raises(RuntimeError, match="half-way"):
        demo.build(target, cases=12, seed=3, months=2, password_hasher=CHEAP_HASHER)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_small_register_in_a_new_directory(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the other modules' generators: exactly the cases asked for, all states."""
    monkeypatch.setattr(builder, "_other_modules", lambda *_a, **_k: {})
    summary = demo.build(tmp_path / "d", cases=30, seed=11, months=3,
                         password_hasher=CHEAP_HASHER)
    assert summary["cases"] == 30
    assert {s for s, n in summary["by_status"].items() if n} == set(petitions.STATUS_LABELS)
    reg = open_register(tmp_path / "d")
    try:
        assert audit.verify(reg.conn).ok
        assert reg.scalar("SELECT count(*) FROM matter_search") == 30
    finally:
        reg.close()


def test_leaders_backlog_and_a_duban_from_the_county(built: tuple[Path, dict[str, Any]],
                                                     demo_reg: Register) -> None:
    """A newcomer sees how the work is led at once: leaders with 包案 (some late), 积案 (one
    resolved), reception days, 约访, and a 督办 and a 交办 that came from the county."""
    counts = built[1]["leadership"]
    assert counts["leaders"] == len(leadership.leaders(demo_reg)) >= 4
    assert counts["holdings"] == len(leadership.holdings(demo_reg)) >= 3
    assert leadership.overdue_by_leader(demo_reg, date.today())
    kinds = {h.subject_kind for h in leadership.holdings(demo_reg)}
    assert {"matter", "mediation", "dispute"} <= kinds
    assert leadership.backlog(demo_reg, status="resolved")
    assert {e.source for e in leadership.backlog(demo_reg, status=None)} == {"rule", "manual"}
    received = leadership.assignments(demo_reg, on=date.today())
    assert {a.kind for a in received} == {"交办", "督办"}
    assert all(a.issuer == "姑苏区信访局" and a.status == "pending" for a in received)
    assert demo_reg.scalar("SELECT count(*) FROM sync_imports WHERE sender = '320508000000'") == 1
    assert leadership.home_alerts(demo_reg, date.today())
    today = date.today()
    month = leadership.month_calendar(demo_reg, today.year, today.month)
    assert {e.kind for e in month} >= {"reception"}
    assert leadership.appointments(demo_reg)
    done = run_main("supervision", "--json", "--data-dir", str(built[0]))
    assert done.returncode == 0, done.stderr
    assert {r["kind"] for r in json.loads(done.stdout)} == {"交办", "督办"}
    done = run_main("backlog", "--json", "--no-sweep", "--data-dir", str(built[0]))
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)["backlog"]
    assert listed and all("*" in r["petitioner"] for r in listed)


def test_the_same_seed_and_moment_give_the_same_register(tmp_path: Path) -> None:
    """What tests count must not depend on the hour they run at: a demo ends at ``now`` (the
    other modules turn some dispute and visits into matters, as many as happened by then)."""
    from datetime import datetime

    def matters(folder: Path) -> list[tuple[str, str]]:
        demo.build(folder, cases=12, seed=3, months=2, password_hasher=CHEAP_HASHER,
                   now=datetime(2026, 12, 3, 11, 40))
        reg = open_register(folder)
        try:
            return [(r["number"], r["received_on"]) for r in reg.rows(
                "SELECT number, received_on FROM matters ORDER BY number")]
        finally:
            reg.close()

    first = matters(tmp_path / "a")
    assert first and first == matters(tmp_path / "b")
    assert max(day for _n, day in first) <= "2026-12-03"
