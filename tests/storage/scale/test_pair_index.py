"""The two-character index finds exactly what the ``LIKE`` scan it replaced found, for names,
places, digits, mixed terms, rare characters and several terms at once, and stays right through
renames, corrections, voids, sync imports and the migration's backfill."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import bigrams, petitions
from storage.db import open_register
from storage.petitions import search
from storage.register import Register
from tests.helpers.registers import CHEAP_HASHER


def like_ids(reg: Register, text: str) -> set[str]:
    """Today's search with every two-character term answered by the ``LIKE`` scan it replaced."""
    clauses, params = ["m.deleted = 0"], []
    for term in text.split():
        if bigrams.indexable(term):
            like = f"%{term}%"
            clauses.append(
                "m.id IN (SELECT mp.matter_id FROM matter_petitioners mp WHERE mp.deleted = 0"
                " AND mp.petitioner_id IN (SELECT id FROM petitioners WHERE name LIKE ?)"
                " UNION ALL SELECT id FROM matters WHERE summary LIKE ?)")
            params += [like, like]
        else:
            sql, p = search._term_clause(term)
            clauses.append(sql)
            params += p
    return {r[0] for r in reg.conn.execute(
        f"SELECT m.id FROM matters m WHERE {' AND '.join(clauses)}", params)}


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from storage import demo

    data = tmp_path_factory.mktemp("pairs") / "demo"
    demo.build(data, cases=160, seed=5, months=6, others=False, password_hasher=CHEAP_HASHER)
    return data


@pytest.fixture
def demo_reg(demo_dir: Path) -> Iterator[Register]:
    reg = open_register(demo_dir, password_hasher=CHEAP_HASHER)
    yield reg
    reg.close()


def sample_terms(reg: Register) -> list[str]:
    rng = random.Random(3)
    texts = [r[0] for r in reg.conn.execute("SELECT name FROM petitioners")]
    texts += [r[0] for r in reg.conn.execute("SELECT summary FROM matters")]
    terms = {"张伟", "南塘", "王建", "英", "反映", "12", "AB", "ab", "a_", "%", "䶮", "𠮷秀",
             "秀英", "zz", "村委", "拖欠工资", "320508", "花园", "13"}
    for text in rng.sample(texts, 60):
        if len(text) >= 2:
            i = rng.randrange(len(text) - 1)
            terms.add(text[i:i + 2])
    return sorted(terms)


def test_same_results_as_the_like_scan(demo_reg: Register) -> None:
    terms = sample_terms(demo_reg)
    assert len(terms) > 50
    hits = 0
    for term in terms:
        expected = like_ids(demo_reg, term)
        assert set(petitions.search_ids(demo_reg, term)) == expected, term
        hits += bool(expected)
    assert hits > 40  # the sample finds things, it is not all misses
    for text in ("张 英", "反映 村委", "南塘 反映 12", "王建 320508"):
        assert set(petitions.search_ids(demo_reg, text)) == like_ids(demo_reg, text), text


def test_two_character_terms_use_the_index(demo_reg: Register) -> None:
    where, params = search.build_query("张伟", petitions.Filters(), demo_reg.clock().date())
    plan = " ".join(str(r[-1]) for r in demo_reg.conn.execute(
        f"EXPLAIN QUERY PLAN SELECT m.id FROM matters m WHERE {where}", params))
    assert "matter_grams VIRTUAL TABLE" in plan
    assert "SCAN p" not in plan and "SCAN matters" not in plan


def test_pairs_match_like_semantics() -> None:
    assert bigrams.token("Ab") == bigrams.token("aB")  # LIKE folds ASCII case
    assert bigrams.token("Éa") != bigrams.token("éa")  # and nothing else
    assert not bigrams.indexable("a_") and not bigrams.indexable("%张")
    assert not bigrams.indexable("张") and not bigrams.indexable("张伟明")
    words = bigrams.tokens(bigrams.source(["张伟", "李 四"], "南塘社区"))
    assert bigrams.token("张伟") in words and bigrams.token("南塘") in words
    assert bigrams.token("伟李") not in words  # no pair across two names


def test_kept_current_by_renames_corrections_and_voids(reg: Register) -> None:
    from tests.storage.petitions.test_search import add

    matter = add(reg, "张伟", "反映承包地被邻户占用")
    person = matter["petitioner_id"]
    assert set(petitions.search_ids(reg, "张伟")) == {matter["id"]}
    reg.actor = reg.actor.__class__(reg.actor.user_id, reg.actor.username,
                                    reg.actor.display_name, "head")
    petitions.rename(reg, person, "张薇", "身份证更正")
    assert petitions.search_ids(reg, "张伟") == []
    assert petitions.search_ids(reg, "张薇") == [matter["id"]]
    petitions.correct_matter(reg, matter["id"], "笔误", changes={"summary": "反映南塘道路破损"})
    assert petitions.search_ids(reg, "南塘") == [matter["id"]]
    assert petitions.search_ids(reg, "承包") == []
    petitions.void_matter(reg, matter["id"], "重复登记")
    assert petitions.search_ids(reg, "南塘") == []
    assert reg.scalar("SELECT count(*) FROM matter_gram_keys") == 0


def test_migration_backfills_existing_matters(demo_dir: Path, tmp_path: Path) -> None:
    import shutil

    from storage.migrations import m013_scale_search

    copy = tmp_path / "copy"
    shutil.copytree(demo_dir, copy)
    reg = open_register(copy, password_hasher=CHEAP_HASHER)
    try:
        before = {t: set(petitions.search_ids(reg, t)) for t in sample_terms(reg)}
        reg.conn.execute("DROP TABLE matter_grams")
        reg.conn.execute("DROP TABLE matter_gram_keys")
        for index in ("list_received", "list_due", "list_number"):
            reg.conn.execute(f"DROP INDEX idx_matters_{index}")
        m013_scale_search.m013_scale_search(reg.db)
        for term, expected in before.items():
            assert set(petitions.search_ids(reg, term)) == expected, term
    finally:
        reg.close()


def test_walking_the_order_finds_the_same_pages(demo_reg: Register,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A common term is paged by walking the sort order: same pages, same counts."""
    terms = [*sample_terms(demo_reg)[:25], "反映 村委", "南塘 反映"]
    orders = [petitions.Order(), petitions.Order("due", False), petitions.Order("number", True)]

    def pages() -> list[object]:
        out: list[object] = []
        for text in terms:
            for order in orders:
                page = petitions.page_ids(demo_reg, text, None, order, limit=7)
                more = petitions.page_ids(demo_reg, text, None, order, after=page.after, limit=7) \
                    if page.after else None
                out.append((page, more, petitions.count(demo_reg, text, cap=20)))
        return out

    monkeypatch.setattr(search, "WALK_ABOVE", 10**9)  # never walk
    looked_up = pages()
    monkeypatch.setattr(search, "WALK_ABOVE", -1)  # always walk
    assert pages() == looked_up
    generic = {t: len(search_all(demo_reg, t)) for t in terms}
    assert {t: petitions.count(demo_reg, t, cap=10**6) for t in terms} == generic


def search_all(reg: Register, text: str) -> list[str]:
    return petitions.search_ids(reg, text)
