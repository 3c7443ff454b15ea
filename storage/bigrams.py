"""The two-character index: every pair of adjacent characters in a matter's petitioner names and
in its summary, so that a two-character term (张伟, 南塘, 12) is answered from an index instead of
a ``LIKE`` scan of every name and summary (83 ms at 100,000 matters, growing linearly).

The trigram FTS index (``matter_search``) cannot answer terms shorter than three characters, and
FTS5 has no bigram tokenizer, so the pairs are written as tokens of our own: each pair becomes
one ASCII word (the two code points in base 36, four digits each), which the plain ``unicode61``
tokenizer keeps whole. That keeps the index exactly equal to what ``LIKE '%ab%'`` finds: any two
non-space characters, ASCII letters case-folded as ``LIKE`` folds them, nothing else folded.
Terms holding ``LIKE``'s wildcards (``%`` ``_``) keep the scan, as do one-character terms.

``matter_grams`` is a contentless FTS5 table (``detail=none``: presence only, a few bytes per
pair) keyed by a small dense integer; ``matter_gram_keys`` maps the key to the matter and keeps
the text that was indexed, which a contentless table needs to delete its tokens again. Keys are
handed out in ascending order, which is the order FTS5 writes fastest.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from functools import lru_cache

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_CHUNK = 500  # ids per IN (...) query
_WIDTH = 4  # 36**4 = 1,679,616 > 0x10FFFF: every code point fits


def _code(char: str) -> str:
    n = ord(char.lower() if char.isascii() else char)
    out = []
    for _i in range(_WIDTH):
        n, digit = divmod(n, 36)
        out.append(_DIGITS[digit])
    return "".join(reversed(out))


@lru_cache(maxsize=1 << 16)  # pairs repeat a great deal: building a million matters' pairs
def token(pair: str) -> str:
    """The FTS word for two characters."""
    return "g" + _code(pair[0]) + _code(pair[1])


def indexable(term: str) -> bool:
    """Whether ``term`` is answered from this index (else by the ``LIKE`` scan)."""
    return len(term) == 2 and not any(c.isspace() or c in "%_" for c in term)


def source(names: Iterable[str], summary: str) -> str:
    """The text a matter's pairs are taken from: one line per name, then the summary (lines keep
    a pair from spanning two names)."""
    return "\n".join([*names, summary])


def tokens(text: str) -> str:
    """The distinct pair words of ``text``, space-separated, ready for the FTS table."""
    seen: dict[str, None] = {}
    for a, b in zip(text, text[1:], strict=False):
        if not (a.isspace() or b.isspace()):
            seen[token(a + b)] = None
    return " ".join(seen)


def query(term: str) -> str:
    """The FTS5 MATCH expression for an :func:`indexable` term."""
    return token(term)


def _key(conn: sqlite3.Connection, matter_id: str) -> tuple[int, str] | None:
    row = conn.execute("SELECT key, source FROM matter_gram_keys WHERE matter_id = ?",
                       (matter_id,)).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def _drop_tokens(conn: sqlite3.Connection, key: int, old: str) -> None:
    conn.execute("INSERT INTO matter_grams(matter_grams, rowid, words) VALUES ('delete', ?, ?)",
                 (key, tokens(old)))


def put(conn: sqlite3.Connection, matter_id: str, text: str) -> None:
    """Index ``text`` (see :func:`source`) for the matter, replacing what it had."""
    found = _key(conn, matter_id)
    if found is not None:
        key, old = found
        if old == text:
            return
        _drop_tokens(conn, key, old)
        conn.execute("UPDATE matter_gram_keys SET source = ? WHERE key = ?", (text, key))
    else:
        key = int(conn.execute("INSERT INTO matter_gram_keys(matter_id, source) VALUES (?, ?)"
                               " RETURNING key", (matter_id, text)).fetchone()[0])
    conn.execute("INSERT INTO matter_grams(rowid, words) VALUES (?, ?)", (key, tokens(text)))


def remove(conn: sqlite3.Connection, matter_id: str) -> None:
    found = _key(conn, matter_id)
    if found is not None:
        _drop_tokens(conn, *found)
        conn.execute("DELETE FROM matter_gram_keys WHERE key = ?", (found[0],))


def put_many(conn: sqlite3.Connection, items: Sequence[tuple[str, str]]) -> None:
    """:func:`put` for many (matter id, text) pairs (an import brings hundreds): what each
    matter has is read in chunks, changed ones are dropped, then every new text is appended in
    ascending key order — a handful of statements instead of three per matter."""
    found: dict[str, tuple[int, str]] = {}
    ids = [m for m, _t in items]
    for i in range(0, len(ids), _CHUNK):
        part = ids[i:i + _CHUNK]
        found.update((m, (int(k), str(src))) for m, k, src in conn.execute(
            "SELECT matter_id, key, source FROM matter_gram_keys WHERE matter_id IN"
            f" ({', '.join('?' * len(part))})", part))
    changed = [found[m] for m, t in items if m in found and found[m][1] != t]
    conn.executemany("INSERT INTO matter_grams(matter_grams, rowid, words) VALUES"
                     " ('delete', ?, ?)", [(key, tokens(old)) for key, old in changed])
    conn.executemany("DELETE FROM matter_gram_keys WHERE key = ?", [(k,) for k, _o in changed])
    append_new(conn, [(m, t) for m, t in items if m not in found or found[m][1] != t])


def append_new(conn: sqlite3.Connection, items: Sequence[tuple[str, str]]) -> None:
    """Index matters that have no entry yet (the bulk builder, the migration's backfill): one
    ``executemany`` per table, keys continuing after the highest."""
    start = int(conn.execute("SELECT coalesce(max(key), 0) FROM matter_gram_keys").fetchone()[0])
    conn.executemany("INSERT INTO matter_gram_keys(key, matter_id, source) VALUES (?, ?, ?)",
                     [(start + i + 1, m, t) for i, (m, t) in enumerate(items)])
    conn.executemany("INSERT INTO matter_grams(rowid, words) VALUES (?, ?)",
                     [(start + i + 1, tokens(t)) for i, (_m, t) in enumerate(items)])


def create_tables(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE matter_gram_keys (key INTEGER PRIMARY KEY,"
                 " matter_id TEXT NOT NULL UNIQUE, source TEXT NOT NULL)")
    conn.execute("CREATE VIRTUAL TABLE matter_grams USING fts5(words, content='', detail=none,"
                 " tokenize='unicode61')")


MATCH_IDS = ("SELECT matter_id FROM matter_gram_keys WHERE key IN"
             " (SELECT rowid FROM matter_grams WHERE matter_grams MATCH ?)")
