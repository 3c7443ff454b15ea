"""Work an import puts off (storage/upkeep.py): the search indexes take the import's rows without
merging, the stored settings come out as they went in (also when the import is refused or rolled
back), the imported matters are found at once, and ``catch_up`` merges and checkpoints later —
quietly when the register is busy or the disk refuses."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from storage import bigrams, petitions, upkeep
from storage.register import Register
from storage.sync import importer
from tests.helpers.registers import FakeClock
from tests.helpers.sync import add_petition, export_to, linked, unlock


def settings(reg: Register) -> dict[str, int]:
    """The merge setting in effect (restoring may write FTS5's default explicitly)."""
    return {t: upkeep._automerge(reg.conn, t) for t in upkeep.FTS_TABLES}


def fts_conn(tmp_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(tmp_path / "fts.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE VIRTUAL TABLE matter_search USING fts5(body, tokenize='trigram')")
    bigrams.create_tables(conn)
    return conn


def write_batch(conn: sqlite3.Connection, start: int, *, deferred: bool, rows: int = 50) -> None:
    rng = random.Random(start)
    texts = [(start + i, f"反映第{start + i}号" + "".join(chr(rng.randrange(0x4E00, 0x4E00 + 3000))
                                                     for _j in range(40))) for i in range(rows)]
    conn.execute("BEGIN")
    if deferred:
        with upkeep.bulk_write(conn):
            conn.executemany("INSERT INTO matter_search(rowid, body) VALUES (?, ?)", texts)
    else:
        conn.executemany("INSERT INTO matter_search(rowid, body) VALUES (?, ?)", texts)
    conn.execute("COMMIT")


def test_deferred_segments_pile_up_until_catch_up_merges_them(tmp_path: Path) -> None:
    conn = fts_conn(tmp_path)
    for batch in range(8):  # big enough for FTS5's automerge to do its work as it goes
        write_batch(conn, batch * 10_000, deferred=False, rows=1500)
    merged_as_it_went = upkeep.segments(conn, "matter_search")
    assert merged_as_it_went < 8
    for batch in range(8, 14):  # fewer than FTS5's crisismerge (16 segments on a level)
        write_batch(conn, batch * 10_000, deferred=True, rows=1500)
    piled = upkeep.segments(conn, "matter_search")
    assert piled >= merged_as_it_went + 6  # a new segment (or more) per transaction, none merged
    assert conn.execute("SELECT count(*) FROM matter_search WHERE body MATCH '130012号'"
                        ).fetchone()[0] == 1  # found before any merge
    assert upkeep.catch_up(conn) >= 2
    assert upkeep.segments(conn, "matter_search") < piled - 4
    assert conn.execute("SELECT count(*) FROM matter_search WHERE body MATCH '130012号'"
                        ).fetchone()[0] == 1
    assert upkeep.catch_up(conn) <= len(upkeep.FTS_TABLES)  # nothing left: one look per table
    assert conn.execute("SELECT v FROM matter_search_config WHERE k = 'automerge'"
                        ).fetchone()[0] == upkeep.DEFAULT_AUTOMERGE


def test_a_rolled_back_bulk_write_leaves_settings_and_index_as_they_were(
        tmp_path: Path) -> None:
    conn = fts_conn(tmp_path)
    conn.execute("INSERT INTO matter_search(matter_search, rank) VALUES ('automerge', 8)")
    write_batch(conn, 0, deferred=False)
    before = (conn.execute("SELECT * FROM matter_search_config ORDER BY k").fetchall(),
              conn.execute("SELECT * FROM matter_search_data ORDER BY id").fetchall())
    conn.execute("BEGIN")
    with pytest.raises(ZeroDivisionError), upkeep.bulk_write(conn):
        conn.execute("INSERT INTO matter_search(rowid, body) VALUES (999, '不该留下')")
        raise ZeroDivisionError
    conn.execute("ROLLBACK")
    after = (conn.execute("SELECT * FROM matter_search_config ORDER BY k").fetchall(),
             conn.execute("SELECT * FROM matter_search_data ORDER BY id").fetchall())
    assert after == before
    conn.execute("BEGIN")
    with upkeep.bulk_write(conn):  # a register's own setting (8) is kept, not the default
        conn.execute("INSERT INTO matter_search(rowid, body) VALUES (999, '留下')")
    conn.execute("COMMIT")
    assert conn.execute("SELECT v FROM matter_search_config WHERE k = 'automerge'"
                        ).fetchone()[0] == 8


def test_bulk_write_needs_the_callers_transaction(tmp_path: Path) -> None:
    conn = fts_conn(tmp_path)
    with pytest.raises(RuntimeError), upkeep.bulk_write(conn):
        pass


def test_checkpoints_deferred_restores_the_connections_setting(tmp_path: Path) -> None:
    conn = fts_conn(tmp_path)
    conn.execute("PRAGMA wal_autocheckpoint = 321")
    with pytest.raises(KeyError), upkeep.checkpoints_deferred(conn):
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        raise KeyError
    assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 321


def test_catch_up_gives_way_to_a_busy_register_and_a_stop(tmp_path: Path) -> None:
    conn = fts_conn(tmp_path)
    for batch in range(6):
        write_batch(conn, batch * 100, deferred=True)
    piled = upkeep.segments(conn, "matter_search")
    other = sqlite3.connect(tmp_path / "fts.sqlite3", isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # a clerk's save holding the write lock
    conn.execute("PRAGMA busy_timeout = 0")
    assert upkeep.catch_up_quietly(conn) == 0  # a line in the log, no exception
    assert not conn.in_transaction
    other.execute("ROLLBACK")
    assert upkeep.catch_up_quietly(conn, should_stop=lambda: True) == 0
    assert upkeep.segments(conn, "matter_search") == piled
    assert upkeep.catch_up_quietly(conn) >= 2


def test_put_many_writes_what_put_writes() -> None:
    """The batched pair writes of an import equal one ``put`` per matter: new, unchanged and
    changed texts (the changed ones' old pairs are gone)."""
    one, many = (sqlite3.connect(":memory:", isolation_level=None) for _i in range(2))
    bigrams.create_tables(one)
    bigrams.create_tables(many)
    first = [(f"m{i}", f"张{i}伟\n反映南塘第{i}件") for i in range(30)]
    later = first[:10] + [(m, t.replace("南塘", "北岗")) for m, t in first[10:20]] + \
        [(f"n{i}", f"李{i}芳\n新件") for i in range(5)]
    for conn in (one, many):
        conn.execute("BEGIN")
    for m, t in first + later:
        bigrams.put(one, m, t)
    bigrams.put_many(many, first)
    bigrams.put_many(many, later)
    for conn in (one, many):
        conn.execute("COMMIT")

    def found(conn: sqlite3.Connection, term: str) -> set[str]:
        return {r[0] for r in conn.execute(bigrams.MATCH_IDS, (bigrams.query(term),))}

    for term in ("南塘", "北岗", "张1", "芳\n", "新件", "李3", "反映"):
        if bigrams.indexable(term):
            assert found(one, term) == found(many, term), term
    assert found(many, "南塘") == {f"m{i}" for i in (*range(10), *range(20, 30))}
    assert dict(many.execute("SELECT matter_id, source FROM matter_gram_keys")) == dict(
        one.execute("SELECT matter_id, source FROM matter_gram_keys"))


def test_an_import_defers_the_merge_and_is_searchable_at_once(tmp_path: Path) -> None:
    with linked(FakeClock()) as (town, county):
        rng = random.Random(5)
        people = [add_petition(town, rng, n)[0] for n in range(1, 41)]
        (tmp_path / "stick").mkdir()
        bundle = export_to(town, "2026-03", tmp_path / "stick", tmp_path / "outbox")
        before = settings(county)
        segments_before = upkeep.segments(county.conn, "matter_grams")
        reports = importer.import_bundles(county, [bundle], unlock(county))
        assert [r.status for r in reports] == ["imported"]
        assert settings(county) == before
        assert upkeep.segments(county.conn, "matter_grams") > segments_before
        for person in people[:5]:
            page = petitions.page_ids(county, person.name[:2], petitions.Filters())
            assert page.ids, person.name
            assert petitions.page_ids(county, person.name, petitions.Filters()).ids
        assert upkeep.catch_up(county.conn) >= len(upkeep.FTS_TABLES)
        assert settings(county) == before
