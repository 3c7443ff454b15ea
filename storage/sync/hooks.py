"""Derived data to refresh after a merge wrote rows directly: the matter search indexes (the
trigram FTS rows and the two-character pairs).

Other modules can append to ``AFTER_MERGE``; each hook receives the ids written per table (and
those of them new to the register) and runs inside the import's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from storage import bigrams, petitions
from storage.register import Register

Touched = dict[str, set[str]]
_CHUNK = 500


def _ids(reg: Register, sql: str, ids: Iterable[str]) -> set[str]:
    values = list(ids)
    out: set[str] = set()
    for i in range(0, len(values), _CHUNK):
        part = values[i:i + _CHUNK]
        out.update(r[0] for r in reg.conn.execute(sql.format(", ".join("?" * len(part))), part))
    return out


def _rows(reg: Register, sql: str, ids: list[str]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for i in range(0, len(ids), _CHUNK):
        part = ids[i:i + _CHUNK]
        out.extend(reg.conn.execute(sql.format(", ".join("?" * len(part))), part).fetchall())
    return out


@dataclass
class SearchData:
    """What the two search indexes need of some live matters, read with two queries (a bundle
    brings thousands of matters; four queries per matter cost more than the merge)."""

    rows: list[tuple[str, str, str]]  # matter_search: matter id, names, body (keyed on writing)
    pairs: list[tuple[str, str]]  # the pair index: matter id, bigrams.source(names, summary)
    live: set[str]


def search_data(reg: Register, matter_ids: list[str]) -> SearchData:
    """The rows ``search.index_matter`` would write for these matters (tombstoned ones are
    left out: ``live``). A test keeps the two in step."""
    people: dict[str, list[str]] = {}
    names: dict[str, list[str]] = {}
    for matter_id, registered, name, id_number, phone in _rows(
            reg, "SELECT mp.matter_id, mp.name, p.name, p.id_number, p.phone FROM petitioners p"
                 " JOIN matter_petitioners mp ON mp.petitioner_id = p.id AND mp.deleted = 0"
                 " WHERE mp.matter_id IN ({}) ORDER BY mp.matter_id, mp.rowid", matter_ids):
        people.setdefault(matter_id, []).append(
            petitions.person_terms(registered, name, id_number, phone))
        names.setdefault(matter_id, []).append(name)
    rows, pairs = [], []
    for row in _rows(reg, "SELECT id, number, query_code, summary, request, facts, category1,"
                          " category2 FROM matters WHERE deleted = 0 AND id IN ({})", matter_ids):
        body = " ".join(x for x in row[1:] if x)
        rows.append((row[0], " ".join(people.get(row[0], [])), body))
        pairs.append((row[0], bigrams.source(names.get(row[0], []), row[3])))
    return SearchData(rows, pairs, {r[0] for r in rows})


def reindex_matters(reg: Register, touched: Touched, created: Touched | None = None) -> None:
    """The search rows of every matter the merge touched (directly, or through its people).
    ``created``: ids new to the register in this merge — a matter among them has no search row
    to delete, so its key is not looked up."""
    matter_ids = set(touched.get("matters", ()))
    matter_ids |= _ids(reg, "SELECT matter_id FROM matter_petitioners WHERE id IN ({})",
                       touched.get("matter_petitioners", ()))
    matter_ids |= _ids(reg, "SELECT matter_id FROM matter_petitioners WHERE petitioner_id IN ({})",
                       touched.get("petitioners", ()))
    if not matter_ids:
        return
    ordered = sorted(matter_ids)
    fresh = (created or {}).get("matters", set())
    # the keys of rows to replace or drop (matters new to the register have none: not looked up)
    keys = petitions.search_keys(reg.conn, [m for m in ordered if m not in fresh])
    reg.conn.executemany("DELETE FROM matter_search WHERE rowid = ?",
                         [(keys[m],) for m in ordered if m in keys])
    data = search_data(reg, ordered)
    # a tombstoned matter gives up its key with its row (as ``search.unindex_matter``)
    reg.conn.executemany("DELETE FROM matter_search_keys WHERE key = ?",
                         [(keys[m],) for m in ordered if m in keys and m not in data.live])
    # an updated matter keeps its key; new ones get the next keys, in ascending id (= time) order
    keys.update(petitions.new_search_keys(
        reg.conn, sorted(m for m, _n, _b in data.rows if m not in keys)))
    # In ascending key order: FTS5 flushes its pending terms whenever a rowid is not above the
    # previous one. Replaced rows come first (last month's keys, a few neighbouring pages), then
    # the new ones at the right edge of the index.
    reg.conn.executemany(
        "INSERT INTO matter_search(rowid, matter_id, names, body) VALUES (?, ?, ?, ?)",
        sorted((keys[m], m, names, body) for m, names, body in data.rows))
    # the pair index (storage.bigrams) as ``search.index_matter`` keeps it; tombstoned matters
    # leave it
    for matter_id in ordered:
        if matter_id not in data.live:
            bigrams.remove(reg.conn, matter_id)
    bigrams.put_many(reg.conn, data.pairs)


AFTER_MERGE: list[Callable[[Register, Touched, Touched | None], None]] = [reindex_matters]


def after_merge(reg: Register, touched: Touched, created: Touched | None = None) -> None:
    """Every hook, with the ids written per table and (when known) those created."""
    for hook in AFTER_MERGE:
        hook(reg, touched, created)
