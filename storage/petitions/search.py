"""Finding matters as the clerk types: names, citizen ID numbers, phones, case numbers and the
texts, Chinese substrings included.

Terms of three or more characters are answered by the trigram FTS5 index. A trigram index cannot
answer one- or two-character terms (two-character names such as 张伟 are common): two-character
terms come from the pair index (``storage.bigrams``) over petitioners' names and the case
summaries, which finds exactly what a ``LIKE`` over those columns finds; one-character terms
(and terms holding ``LIKE`` wildcards) still scan them.
Every term must match (AND); filters narrow further.

Each matter's trigram row is keyed by a small dense integer (``matter_search_keys``, migration
m017), handed out in ascending order as matters are first indexed and kept while the matter is
live (updates replace the row under the same key). Matter ids are time-ordered, so new rows land
at the right edge of the FTS5 ``%_content``/``%_docsize`` B-trees and last month's matters (those
a bundle updates) sit on a few neighbouring pages; the hashed rowids this replaced put every
insert on a random page (a random disk read each at a million matters, cold: issue 17).
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from storage import bigrams
from storage.register import Register

DUE_WEEK_DAYS = 7


@dataclass
class Filters:
    statuses: tuple[str, ...] = ()
    category1: str = ""
    village_id: str = ""
    received_from: date | None = None
    received_to: date | None = None
    due: str = ""  # "", "overdue", "week" (due within 7 days, not overdue), "open"
    station_code: str = ""  # county mode
    extra: dict[str, Any] = field(default_factory=dict)


#: ids per ``IN (...)`` query when reading many matters' keys
_KEY_CHUNK = 500


def search_keys(conn: sqlite3.Connection, matter_ids: Iterable[str]) -> dict[str, int]:
    """The keys (``matter_search`` rowids) of these matters' search rows, read in chunks; a
    matter without a row (new, or tombstoned) is left out."""
    ids = list(matter_ids)
    found: dict[str, int] = {}
    for i in range(0, len(ids), _KEY_CHUNK):
        part = ids[i:i + _KEY_CHUNK]
        found.update((str(m), int(k)) for m, k in conn.execute(
            "SELECT matter_id, key FROM matter_search_keys WHERE matter_id IN"
            f" ({', '.join('?' * len(part))})", part))
    return found


def new_search_keys(conn: sqlite3.Connection, matter_ids: Sequence[str]) -> dict[str, int]:
    """Keys for matters that have none, handed out after the highest in the order given
    (ascending matter ids, i.e. time order: the new rows go to the right edge of the FTS5
    B-trees, which is also the order FTS5 writes fastest)."""
    start = int(conn.execute("SELECT coalesce(max(key), 0) FROM matter_search_keys"
                             ).fetchone()[0])
    keys = {m: start + i + 1 for i, m in enumerate(matter_ids)}
    conn.executemany("INSERT INTO matter_search_keys(key, matter_id) VALUES (?, ?)",
                     [(k, m) for m, k in keys.items()])
    return keys


def search_key(conn: sqlite3.Connection, matter_id: str) -> int | None:
    """The key of one matter's search row, or None if it has none."""
    row = conn.execute("SELECT key FROM matter_search_keys WHERE matter_id = ?",
                       (matter_id,)).fetchone()
    return None if row is None else int(row[0])


def unindex_matter(reg: Register, matter_id: str) -> None:
    """Drop the search row of one matter (a tombstoned matter), and its key: a key exists
    exactly while its row does (a matter restored later gets a new key, at the right edge)."""
    key = search_key(reg.conn, matter_id)
    if key is not None:
        reg.conn.execute("DELETE FROM matter_search WHERE rowid = ?", (key,))
        reg.conn.execute("DELETE FROM matter_search_keys WHERE key = ?", (key,))
    bigrams.remove(reg.conn, matter_id)


def person_terms(registered: str | None, name: str, id_number: str | None, phone: str) -> str:
    """What a matter is found by for one petitioner: the name registered on it and, after a
    更名, the person's name now, the ID number and the phone."""
    terms = [registered or "", name if name != registered else "", id_number or "", phone]
    return " ".join(term for term in terms if term)


def index_matter(reg: Register, matter_id: str) -> None:
    """(Re)build the search row of one matter; call inside the transaction that changed it."""
    m = reg.get("matters", matter_id)
    people = reg.rows(
        "SELECT mp.name AS registered, p.name, p.id_number, p.phone FROM petitioners p"
        " JOIN matter_petitioners mp ON mp.petitioner_id = p.id AND mp.deleted = 0"
        " WHERE mp.matter_id = ? ORDER BY mp.rowid", (matter_id,))
    names = " ".join(person_terms(p["registered"], p["name"], p["id_number"], p["phone"])
                     for p in people)
    body = " ".join(x for x in (m["number"], m["query_code"], m["summary"], m["request"],
                                m["facts"], m["category1"], m["category2"]) if x)
    key = search_key(reg.conn, matter_id)
    if key is None:
        key = new_search_keys(reg.conn, [matter_id])[matter_id]
    else:  # the same key: the row stays where the matter's neighbours in time are
        reg.conn.execute("DELETE FROM matter_search WHERE rowid = ?", (key,))
    reg.conn.execute("INSERT INTO matter_search(rowid, matter_id, names, body) VALUES (?, ?, ?, ?)",
                     (key, matter_id, names, body))
    bigrams.put(reg.conn, matter_id, bigrams.source([p["name"] for p in people], m["summary"]))


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _term_clause(term: str) -> tuple[str, list[Any]]:
    if len(term) >= 3:
        return ("m.id IN (SELECT matter_id FROM matter_search WHERE matter_search MATCH ?)",
                [_fts_phrase(term)])
    if bigrams.indexable(term):
        return f"m.id IN ({bigrams.MATCH_IDS})", [bigrams.query(term)]
    like = f"%{term}%"
    # One id set (names, then summaries) rather than "IN (...) OR summary LIKE": the OR made
    # SQLite walk all matters in date order testing both per row, 3x slower at 100,000 matters.
    return ("m.id IN (SELECT mp.matter_id FROM matter_petitioners mp WHERE mp.deleted = 0"
            " AND mp.petitioner_id IN (SELECT id FROM petitioners WHERE name LIKE ?)"
            " UNION ALL SELECT id FROM matters WHERE summary LIKE ?)", [like, like])


def _walks(reg: Register, text: str, filters: Filters, limit: int) -> bool:
    """Whether to page by walking the sort order (see ``WALK_ABOVE``): every term a pair term,
    together found in many matters, and no filter that would make the walk long."""
    terms = text.split()
    if not terms or not all(bigrams.indexable(t) for t in terms) or filters != Filters():
        return False
    found = int(reg.scalar("SELECT count(*) FROM matter_grams WHERE matter_grams MATCH ?",
                           (" AND ".join(bigrams.query(t) for t in terms),)))
    if WALK_ABOVE is not None:
        return found > WALK_ABOVE
    # Looking up costs about one probe per match, walking about one per limit × matters /
    # matches rows: the two meet near the square root of limit × matters.
    indexed = int(reg.scalar("SELECT coalesce(max(key), 0) FROM matter_gram_keys"))
    return found > math.sqrt(limit * indexed)


def _walk_clause(term: str) -> tuple[str, list[Any]]:
    """A pair term tested per matter while walking an order's index: the term's keys are read
    once, each matter's key is looked up by its id."""
    return ("EXISTS (SELECT 1 FROM matter_gram_keys g WHERE g.matter_id = m.id AND g.key IN"
            " (SELECT rowid FROM matter_grams WHERE matter_grams MATCH ?))", [bigrams.query(term)])


def build_query(text: str, filters: Filters, today: date, *,
                walk: bool = False) -> tuple[str, list[Any]]:
    clauses = ["m.deleted = 0"]
    params: list[Any] = []
    for term in text.split():
        sql, p = _walk_clause(term) if walk and bigrams.indexable(term) else _term_clause(term)
        clauses.append(sql)
        params += p
    if filters.statuses:
        clauses.append(f"m.status IN ({','.join('?' * len(filters.statuses))})")
        params += list(filters.statuses)
    if filters.category1:
        clauses.append("m.category1 = ?")
        params.append(filters.category1)
    if filters.village_id:
        clauses.append("m.problem_village_id = ?")
        params.append(filters.village_id)
    if filters.station_code:
        clauses.append("m.station_code = ?")
        params.append(filters.station_code)
    if filters.received_from:
        clauses.append("m.received_on >= ?")
        params.append(filters.received_from.isoformat())
    if filters.received_to:
        clauses.append("m.received_on <= ?")
        params.append(filters.received_to.isoformat())
    # the deadline as the deadline index holds it (DUE_KEY: no deadline sorts after every
    # date), so that a range of that index answers (issue 17: at a million matters "有期限的"
    # counted by reading every row, 0.3–1.5 s; 已逾期 in one village 0.4 s)
    if filters.due == "overdue":
        clauses.append(f"{DUE_KEY} < ?")
        params.append(today.isoformat())
    elif filters.due == "week":
        clauses.append(f"{DUE_KEY} BETWEEN ? AND ?")
        params += [today.isoformat(), (today + timedelta(days=DUE_WEEK_DAYS)).isoformat()]
    elif filters.due == "open":
        clauses.append(f"{DUE_KEY} < '{NO_DUE}'")
    return " AND ".join(clauses), params


#: The sort keys a list pages by (keyset pagination): each ends in the id, so ties are stable
#: and a page starts exactly after the last row shown. Migration m013 gives each an index in
#: this order, so the first page of a million matters reads one page of an index.
NO_DUE = "9999-99-99"
DUE_KEY = f"coalesce(m.due_date, '{NO_DUE}')"  # matters without a deadline come last
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "received": ("m.received_on", "m.seq", "m.id"),
    "due": (DUE_KEY, "m.number", "m.id"),
    "number": ("m.number", "m.id"),
}
PAGE_SIZE = 200
#: How far the list counts its matches (counting a million takes longer than showing them:
#: beyond this the list says "more than").
COUNT_CAP = 1_000
#: The index each sort key pages along.
SORT_INDEXES = {"received": "idx_matters_list_received", "due": "idx_matters_list_due",
                "number": "idx_matters_list_number"}
#: A two-character term found in more matters than this is paged by walking the sort order and
#: testing each matter against the term (a common word or place: 南塘 is in 4% of matters), not
#: by looking every match up and sorting them (a name: 张伟 is in 0.2%). Which one is cheaper
#: turns on how many matters the term finds, which the pair index counts in a millisecond.
#: None: above the square root of page size × matters (see ``_walks``); a number: above it.
WALK_ABOVE: int | None = None


#: The status index: a status filter with few matters finds them through it (see ``_by_status``).
STATUS_INDEX = "idx_matters_status_due"


@dataclass(frozen=True)
class Order:
    key: str = "received"  # one of SORT_KEYS
    descending: bool = True


def default_order(filters: Filters) -> Order:
    """Newest first; by deadline when the list is filtered by deadline."""
    return Order("due", False) if filters.due else Order()


@dataclass(frozen=True)
class Page:
    ids: list[str]
    after: tuple[Any, ...] | None  # the key to pass for the next page; None: this was the last


def _by_status(reg: Register, text: str, filters: Filters, limit: int) -> bool:
    """Whether to find the matters of a status filter through the status index and sort them,
    rather than walk the list's order testing each matter (issue 17: at a million matters
    复查复核, held by none, walked all of them for 0.6 s; 已答复 by deadline 0.4 s). The planner
    cannot tell a rare status from a common one (it knows only the average, ~200,000 a status),
    so the index counts, up to the point where the two ways cost the same (as ``_walks``)."""
    if text.strip() or not filters.statuses:
        return False
    matters = int(reg.scalar("SELECT coalesce(max(rowid), 0) FROM matters"))
    bound = math.isqrt(limit * matters) + 1
    found = int(reg.scalar(
        f"SELECT count(*) FROM (SELECT 1 FROM matters INDEXED BY {STATUS_INDEX}"
        f" WHERE status IN ({','.join('?' * len(filters.statuses))}) LIMIT ?)",
        [*filters.statuses, bound]))
    return found < bound


def page_ids(reg: Register, text: str, filters: Filters | None = None,
             order: Order | None = None, *, after: tuple[Any, ...] | None = None,
             limit: int = PAGE_SIZE) -> Page:
    """One page of matching matter ids in ``order``, starting after the row whose sort key is
    ``after`` (``Page.after`` of the previous page)."""
    filters = filters or Filters()
    order = order or default_order(filters)
    keys = SORT_KEYS[order.key]
    walk = _walks(reg, text, filters, limit)
    where, params = build_query(text.strip(), filters, reg.clock().date(), walk=walk)
    source = (f"matters m INDEXED BY {SORT_INDEXES[order.key]}" if walk
              else f"matters m INDEXED BY {STATUS_INDEX}" if _by_status(reg, text, filters, limit)
              else "matters m")
    if after is not None:
        where += f" AND ({', '.join(keys)}) {'<' if order.descending else '>'}" \
                 f" ({', '.join('?' * len(keys))})"
        params += list(after)
    direction = " DESC" if order.descending else ""
    rows = reg.conn.execute(
        f"SELECT {', '.join(keys)} FROM {source} WHERE {where}"
        f" ORDER BY {', '.join(k + direction for k in keys)} LIMIT ?", [*params, limit]
    ).fetchall()
    last = tuple(rows[-1]) if len(rows) == limit else None
    return Page([r[-1] for r in rows], last)


def count(reg: Register, text: str, filters: Filters | None = None, *,
          cap: int | None = None) -> int:
    """How many matters match, counted up to ``cap`` (default ``COUNT_CAP``) + 1 (more than
    ``cap``: "over cap")."""
    cap = COUNT_CAP if cap is None else cap
    terms = text.split()
    if terms and all(bigrams.indexable(t) for t in terms) and (filters or Filters()) == Filters():
        # the pair index holds live matters only, one key each: its count is the answer
        found = int(reg.scalar("SELECT count(*) FROM matter_grams WHERE matter_grams MATCH ?",
                               (" AND ".join(bigrams.query(t) for t in terms),)))
        return min(found, cap + 1)
    filters = filters or Filters()
    where, params = build_query(text.strip(), filters, reg.clock().date())
    # by status: through its index when nothing else narrows the list (it stops at the cap
    # for a common status) or the status is rare (the planner scanned every matter for
    # 复查复核: 0.4 s at a million); with a narrower filter beside a common status (已办结 this
    # month) the planner's choice stands
    alone = filters == Filters(statuses=filters.statuses, station_code=filters.station_code)
    source = f"matters m INDEXED BY {STATUS_INDEX}" if filters.statuses and not terms and (
        alone or _by_status(reg, text, filters, PAGE_SIZE)) else "matters m"
    return int(reg.scalar(f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {where}"
                          " LIMIT ?)", [*params, cap + 1]))


def total(reg: Register, text: str, filters: Filters | None = None) -> int | None:
    """How many matters the list holds when nothing narrows it (no text, no filter but the
    county's township): every matter counted from an index, less the tombstoned ones (their
    own index, m015), so exact at any size in milliseconds. ``None`` when something narrows the
    list: then ``count`` counts, up to its cap."""
    filters = filters or Filters()
    if text.strip() or filters != Filters(station_code=filters.station_code):
        return None
    if filters.station_code:
        where, params = " WHERE station_code = ?", [filters.station_code]
        dead = " AND station_code = ?"
    else:
        where, params, dead = "", [], ""
    every = int(reg.scalar(f"SELECT count(*) FROM matters{where}", params))
    # named: the planner would rather scan a covering index of every matter (m014's)
    gone = int(reg.scalar("SELECT count(*) FROM matters INDEXED BY idx_matters_tombstones"
                          f" WHERE deleted = 1{dead}", params))
    return every - gone


def search_ids(reg: Register, text: str, filters: Filters | None = None, *,
               limit: int | None = None) -> list[str]:
    """Matter ids, newest first (due-date order when filtering by deadline)."""
    filters = filters or Filters()
    where, params = build_query(text.strip(), filters, reg.clock().date())
    order = "m.due_date, m.received_on DESC" if filters.due else "m.received_on DESC, m.seq DESC"
    sql = f"SELECT m.id FROM matters m WHERE {where} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [r[0] for r in reg.conn.execute(sql, params)]


# The petitioner as registered on the matter (the main petitioner's link row); links from before
# registered details were kept show the person.
LIST_COLUMNS = ("m.id, m.number, m.form, m.received_on, m.status, m.due_date, m.due_kind,"
                " m.summary, m.category1, m.category2, m.repeat_kind, m.is_collective,"
                " m.station_code, coalesce(nullif(mp.name, ''), p.name) AS petitioner,"
                " CASE WHEN mp.name != '' THEN mp.id_number ELSE p.id_number END AS id_number,"
                " CASE WHEN mp.name != '' THEN mp.phone ELSE p.phone END AS phone")


def list_rows(reg: Register, ids: list[str]) -> list[dict[str, Any]]:
    """The rows a list shows for ``ids`` (kept in the given order)."""
    if not ids:
        return []
    rows = reg.rows(f"SELECT {LIST_COLUMNS} FROM matters m JOIN petitioners p"
                    f" ON p.id = m.petitioner_id LEFT JOIN matter_petitioners mp"
                    f" ON mp.matter_id = m.id AND mp.is_main = 1 AND mp.deleted = 0"
                    f" WHERE m.id IN ({','.join('?' * len(ids))})", ids)
    by_id = {r["id"]: r for r in rows}
    return [by_id[i] for i in ids if i in by_id]
