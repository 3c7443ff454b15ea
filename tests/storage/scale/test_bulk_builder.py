"""The bulk builder's benchmark register is a register like any other: it passes the same
integrity check as one built through the real code paths, its audit entries produce its rows,
and the app's queries (search, list, home counters, CLI) read it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import backup, bulk, petitions, rowimage
from storage.db import open_register
from storage.integrity import check
from storage.register import Register
from storage.schema import BOOKKEEPING
from tests.helpers.registers import CHEAP_HASHER

CASES = 300


@pytest.fixture(scope="module")
def bulk_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("bulk") / "reg"
    summary = bulk.build(data, cases=CASES, seed=2, password_hasher=CHEAP_HASHER)
    assert summary["cases"] == CASES
    return data


@pytest.fixture
def bulk_reg(bulk_dir: Path) -> Iterator[Register]:
    reg = open_register(bulk_dir, password_hasher=CHEAP_HASHER)
    yield reg
    reg.close()


def test_passes_the_integrity_check(bulk_dir: Path, tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "reg"
    shutil.copytree(bulk_dir, data)
    reg = open_register(data, password_hasher=CHEAP_HASHER)
    try:
        backup.make_backup(reg.conn, data, reason="manual")
        report = check(reg, data, deep=True)
    finally:
        reg.close()
    assert report.database_ok and report.audit_broken_at is None
    assert report.ok, report.problems
    assert report.audit_entries > CASES * 3 and report.records_checked > CASES * 3


def test_every_row_is_what_its_audit_entry_says(bulk_reg: Register) -> None:
    for table in ("matters", "petitioners", "matter_petitioners", "matter_events"):
        defaults = rowimage.column_defaults(bulk_reg.conn, table)
        entries = {r[0]: json.loads(r[1]) for r in bulk_reg.conn.execute(
            "SELECT record_id, after FROM audit_log WHERE table_name = ? AND action = 'insert'",
            (table,))}
        rows = bulk_reg.rows(f"SELECT * FROM {table}")
        assert len(rows) == len(entries) > 0
        for row in rows:
            stated = dict(entries[row["id"]])
            assert stated.pop(rowimage.ROW_KEY) == rowimage.row_hash(row, defaults)
            assert stated == {k: v for k, v in row.items() if k not in BOOKKEEPING}


def test_the_app_reads_it(bulk_reg: Register) -> None:
    assert bulk_reg.scalar("SELECT count(*) FROM matters") == CASES
    name = bulk_reg.scalar("SELECT name FROM petitioners LIMIT 1")
    found = petitions.search_ids(bulk_reg, name[:2])
    assert found and set(found) == {r[0] for r in bulk_reg.conn.execute(
        "SELECT mp.matter_id FROM matter_petitioners mp JOIN petitioners p"
        " ON p.id = mp.petitioner_id WHERE p.name LIKE ? UNION SELECT id FROM matters"
        " WHERE summary LIKE ?", (f"%{name[:2]}%", f"%{name[:2]}%"))}
    number = bulk_reg.scalar("SELECT number FROM matters LIMIT 1")
    assert len(petitions.search_ids(bulk_reg, number)) == 1  # the trigram index too
    rows = petitions.list_rows(bulk_reg, found[:5])
    assert [r["id"] for r in rows] == found[:5] and all(r["petitioner"] for r in rows)
    statuses = {r[0] for r in bulk_reg.conn.execute("SELECT DISTINCT status FROM matters")}
    assert {"registered", "handling", "closed"} <= statuses
    assert bulk_reg.scalar("SELECT count(*) FROM sqlite_stat1") > 0  # ANALYZE ran


def test_cli_builds_it_and_refuses_an_existing_register(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str],
                                                        bulk_dir: Path) -> None:
    import functools

    from cli import main

    monkeypatch.setattr(bulk, "build", functools.partial(bulk.build,
                                                         password_hasher=CHEAP_HASHER))
    assert main(["demo-data", "--cases", "40", "--bulk", "--data-dir", str(tmp_path / "r"),
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cases"] == 40
    assert main(["demo-data", "--cases", "40", "--bulk", "--data-dir", str(bulk_dir)]) == 1
    assert "已经有一个登记库" in capsys.readouterr().err


def test_cache_key_names_size_and_schema() -> None:
    assert bulk.cache_key(1000) != bulk.cache_key(2000)
    assert bulk.cache_key(1000) == bulk.cache_key(1000)


def test_home_counters_read_index_ranges_and_count_what_a_scan_counts(bulk_reg: Register
                                                                     ) -> None:
    today = bulk_reg.clock().date().isoformat()
    from datetime import date, timedelta

    week = (date.fromisoformat(today) + timedelta(days=7)).isoformat()
    q = bulk_reg.scalar
    scanned = {
        "today": q("SELECT count(*) FROM matters WHERE deleted = 0 AND received_on = ?", (today,)),
        "pending": q("SELECT count(*) FROM matters WHERE deleted = 0 AND status = 'registered'"),
        "week": q("SELECT count(*) FROM matters WHERE deleted = 0 AND due_date BETWEEN ? AND ?",
                  (today, week)),
        "overdue": q("SELECT count(*) FROM matters WHERE deleted = 0 AND due_date < ?", (today,)),
    }
    assert petitions.home_counts(bulk_reg) == scanned
    assert scanned["pending"] and scanned["week"]
    soon = petitions.due_soon(bulk_reg)
    assert [r["due_date"] for r in soon] == sorted(r["due_date"] for r in soon)
    assert all(r["due_date"] <= week for r in soon)
    traced: list[str] = []
    bulk_reg.conn.set_trace_callback(traced.append)
    try:
        petitions.home_counts(bulk_reg)
        petitions.due_soon(bulk_reg)
    finally:
        bulk_reg.conn.set_trace_callback(None)
    for sql in traced:
        plan = " ".join(str(r[-1]) for r in bulk_reg.conn.execute("EXPLAIN QUERY PLAN " + sql))
        assert "SCAN m" not in plan or "USING INDEX" in plan, (sql, plan)
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, (sql, plan)


def test_cases_search_on_the_command_line_is_the_case_list_search(
        bulk_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cli import main

    reg = open_register(bulk_dir, password_hasher=CHEAP_HASHER)
    try:
        term = reg.scalar("SELECT substr(name, 1, 2) FROM petitioners LIMIT 1")
        expected = petitions.page_ids(reg, term, petitions.Filters(), limit=20).ids
    finally:
        reg.close()
    assert main(["cases", "--data-dir", str(bulk_dir), "--search", term, "--limit", "20",
                 "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == expected
