"""Migration m017 (issue 17): a register whose trigram rows were keyed by a hash of the matter id
is rebuilt under dense keys in matter id order, and every search finds what it found before."""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import pytest

from storage import accounts, demo, petitions
from storage.db import open_register
from storage.migrations import m017_search_keys
from storage.register import Register
from tests.helpers.registers import CHEAP_HASHER

M001_FTS = ("CREATE VIRTUAL TABLE matter_search USING fts5(matter_id UNINDEXED, names, body,"
            " tokenize='trigram')")


def hashed_rowid(matter_id: str) -> int:
    """The rowid before m017 (``search.search_rowid``, now gone)."""
    digest = hashlib.blake2b(matter_id.encode("ascii"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def as_before_m017(reg: Register) -> None:
    """Put the register's search rows back as they were before m017: m001's table under hashed
    rowids, no key table, a setting of its own (kept by the migration)."""
    conn = reg.conn
    rows = conn.execute("SELECT matter_id, names, body FROM matter_search").fetchall()
    conn.execute("DROP TABLE matter_search")
    conn.execute("DROP TABLE matter_search_keys")
    conn.execute(M001_FTS)
    conn.execute("INSERT INTO matter_search(matter_search, rank) VALUES ('automerge', 8)")
    rng = random.Random(4)
    rng.shuffle(rows)  # written over time, in no particular order
    conn.executemany("INSERT INTO matter_search(rowid, matter_id, names, body) VALUES (?, ?, ?, ?)",
                     [(hashed_rowid(m), m, n, b) for m, n, b in rows])


def sample_terms(reg: Register) -> list[str]:
    rng = random.Random(6)
    texts = [r[0] for r in reg.conn.execute(
        "SELECT name FROM petitioners UNION ALL SELECT coalesce(id_number, '') FROM petitioners"
        " UNION ALL SELECT phone FROM petitioners UNION ALL SELECT summary FROM matters"
        " UNION ALL SELECT number FROM matters UNION ALL SELECT request FROM matters")]
    terms = {"张伟", "反映", "拖欠工资", "承包地", "320508", "139", "农村农业", "南塘 反映"}
    for text in rng.sample([t for t in texts if len(t) >= 4], 40):
        i = rng.randrange(len(text) - 3)
        terms.add(text[i:i + rng.choice((3, 4))])
    return sorted(terms)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("keys") / "demo"
    demo.build(data, cases=160, seed=9, months=6, others=False, password_hasher=CHEAP_HASHER)
    return data


def test_the_migration_keys_rows_in_id_order_and_finds_the_same(demo_dir: Path,
                                                                  tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(demo_dir, copy)
    reg = open_register(copy, password_hasher=CHEAP_HASHER)
    try:
        as_before_m017(reg)
        terms = sample_terms(reg)
        before = {t: petitions.search_ids(reg, t) for t in terms}
        assert sum(bool(found) for found in before.values()) > 30  # the sample finds things
        live = reg.scalar("SELECT count(*) FROM matter_search")
        with reg.transaction():
            m017_search_keys.m017_search_keys(reg.db)

        assert {t: petitions.search_ids(reg, t) for t in terms} == before
        keys = [tuple(r) for r in reg.conn.execute(
            "SELECT key, matter_id FROM matter_search_keys ORDER BY key")]
        assert [k for k, _m in keys] == list(range(1, live + 1))
        assert [m for _k, m in keys] == sorted(m for _k, m in keys)  # id (= time) order
        assert [tuple(r) for r in reg.conn.execute(
            "SELECT rowid, matter_id FROM matter_search ORDER BY rowid")] == keys
        # m001's table as it was, its setting kept, the old one gone without a trace
        sql = reg.scalar("SELECT sql FROM sqlite_master WHERE name = 'matter_search'")
        assert sql.replace('"matter_search"', "matter_search") == M001_FTS
        assert reg.scalar("SELECT v FROM matter_search_config WHERE k = 'automerge'") == 8
        assert reg.scalar("SELECT count(*) FROM sqlite_master WHERE name LIKE '%rekeyed%'") == 0
        reg.conn.execute("INSERT INTO matter_search(matter_search, rank)"
                         " VALUES ('integrity-check', 1)")
        # and it goes on from there: a new matter's key follows
        from tests.storage.petitions.test_search import add

        clerk = next(u for u, _n, role in demo.STAFF if role == "clerk")
        reg.actor = accounts.find_user(reg, clerk).actor()
        new = add(reg, "欧阳娜娜", "反映自来水管道破裂无人维修")
        assert petitions.search_key(reg.conn, new["id"]) == live + 1
        assert petitions.search_ids(reg, "自来水管道") == [new["id"]]
    finally:
        reg.close()
