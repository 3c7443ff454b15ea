"""Work a bulk write (an import) puts off until it is done: merging the full-text indexes'
segments and checkpointing the write-ahead log.

FTS5 writes each transaction's new index entries as a small segment and then, by default
(``automerge=4``), merges segments inside the same commit. For an import that adds a few
hundred matters to a county holding a hundred thousand, that merge is most of the import's
cost (measured at 10,000 matters: 300 matters' search rows write in ~7 ms, the commit that
merges them takes 50–100 ms) although nothing needs it yet: a search reads the unmerged
segments too, only a little slower, and FTS5's ``crisismerge`` still merges any level that
reaches 16 segments, so the structure stays bounded even if no later merge ever runs.

The same holds for the write-ahead log: an import writes ~4 MB of pages, past SQLite's
automatic checkpoint (1,000 pages), and the commit that crosses it copies the log into the
register and syncs it (another ~55 ms at 10,000 matters) — work that nothing waits for.

So a bulk write runs inside :func:`bulk_write` (each transaction) and
:func:`checkpoints_deferred` (the whole import), and :func:`catch_up` does the merging, brings
the planner's statistics up to date and checkpoints afterwards — the window on a thread of its
own once the import is done, the command line at the end of ``import`` — in small steps, each
its own short transaction, so a clerk's save never waits long behind it. The register's stored
settings stay as they were (the deferral is undone inside the same transaction; a power cut
can leave nothing changed).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from storage import planner

log = logging.getLogger(__name__)

#: The FTS5 tables of a register (trigram search rows, two-character pairs).
FTS_TABLES = ("matter_search", "matter_grams")
#: FTS5's own default; what the tables hold unless a register set something else.
DEFAULT_AUTOMERGE = 4
#: Leaf pages merged per step of :func:`catch_up` (~25 ms each on the bench machine).
STEP_PAGES = 200


def _automerge(conn: sqlite3.Connection, table: str) -> int:
    row = conn.execute(f"SELECT v FROM {table}_config WHERE k = 'automerge'").fetchone()
    return DEFAULT_AUTOMERGE if row is None else int(row[0])


def _set_automerge(conn: sqlite3.Connection, table: str, value: int) -> None:
    conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('automerge', ?)", (value,))


def _tables(conn: sqlite3.Connection) -> list[str]:
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [t for t in FTS_TABLES if t in have]


@contextmanager
def bulk_write(conn: sqlite3.Connection) -> Iterator[None]:
    """Inside an open transaction: the index entries written in the block are stored as new
    segments without merging. On leaving, the pending entries are flushed (a savepoint makes
    FTS5 write them) while merging is off, then each table's setting is put back — all in the
    caller's transaction, so a rollback or a power cut leaves the settings as they were."""
    if not conn.in_transaction:
        raise RuntimeError("bulk_write needs an open transaction")
    before = {t: _automerge(conn, t) for t in _tables(conn)}
    for table in before:
        _set_automerge(conn, table, 0)
    yield
    conn.execute("SAVEPOINT upkeep_flush")  # FTS5 writes its pending entries here
    conn.execute("RELEASE upkeep_flush")
    for table, value in before.items():
        _set_automerge(conn, table, value)


@contextmanager
def checkpoints_deferred(conn: sqlite3.Connection) -> Iterator[None]:
    """No automatic checkpoint on this connection inside the block (a setting of the
    connection, not of the file: other connections and a crash are unaffected; the log is
    checkpointed by :func:`catch_up`, by the next commit of anyone past 1,000 pages, or when
    the last connection closes)."""
    before = int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA wal_autocheckpoint = {before}")


def merge_step(conn: sqlite3.Connection, table: str, pages: int = STEP_PAGES) -> bool:
    """Merge up to ``pages`` leaf pages of ``table`` in one transaction (only levels that hold
    at least FTS5's ``usermerge`` segments, as automerge would). True while work remains (FTS5
    changes fewer than two rows when there was nothing to merge)."""
    before = conn.total_changes
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('merge', ?)", (pages,))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return conn.total_changes - before >= 2


def catch_up(conn: sqlite3.Connection, *, should_stop: Callable[[], bool] = lambda: False,
             max_steps: int = 10_000) -> int:
    """The work :func:`bulk_write` and :func:`checkpoints_deferred` put off: merging, in steps,
    then a passive checkpoint of the log; returns the merge steps taken. Stops early when
    ``should_stop()`` says so (the window closing): what is left is merged next time, or by
    FTS5 itself."""
    if conn.in_transaction:
        raise RuntimeError("catch_up runs its own transactions")
    steps = 0
    for table in _tables(conn):
        while steps < max_steps and not should_stop():
            steps += 1
            if not merge_step(conn, table):
                break
    if not should_stop():
        # an import can double a county: the planner's statistics follow (storage.planner;
        # ~0.2 s at 100,000 matters, once per doubling)
        planner.refresh(conn)
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # readers in the way: the next one does
    return steps


def catch_up_quietly(conn: sqlite3.Connection, *,
                     should_stop: Callable[[], bool] = lambda: False) -> int:
    """:func:`catch_up`, for after the work the user asked for is done: a full disk or a busy
    register ends it with a line in the log (each step is its own transaction, so nothing is
    left half done; FTS5 merges the rest later)."""
    try:
        return catch_up(conn, should_stop=should_stop)
    except sqlite3.Error as exc:
        log.warning("merging the search indexes stopped: %s", exc)
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        return 0


def segments(conn: sqlite3.Connection, table: str) -> int:
    """How many segments ``table``'s index consists of now (tests, the bench): read from the
    FTS5 structure record (id 10): a 4-byte cookie, an optional version marker, then SQLite
    varints for the number of levels and of segments."""
    row = conn.execute(f"SELECT block FROM {table}_data WHERE id = 10").fetchone()
    if row is None:
        return 0
    data = bytes(row[0])
    pos = 8 if data[4:8] == b"\xff\x00\x00\x01" else 4  # FTS5_STRUCTURE_V2
    values = []
    for _i in range(2):
        n = 0
        for _j in range(9):
            byte = data[pos]
            pos += 1
            n = (n << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(n)
    return values[1]
