"""Merging one bundle's rows into the record tables, by id and version.

For each incoming row, against the row already here (if any):

- not here yet: created (a tombstone is stored too, so an older bundle can never bring it back);
- here and deleted, incoming not deleted: ignored — deletions stay deleted;
- incoming deleted, here not deleted: the tombstone is applied, whatever the versions;
- except for a void undone (撤销作废, storage/voiding.py): a voided row here and a live one
  incoming that still carries a void reason (the owner took the void back) is applied when its
  version is higher, and a void arriving after its own undo (a lower version) is ignored;
- otherwise the higher version wins; a lower one is ignored; the same version with the same
  content is unchanged; the same version with different content is a *conflict*: the row here is
  kept and both versions go to ``sync_conflicts`` for a person to decide.

Apart from conflicts this makes the result independent of the order bundles arrive in. Rows are
written directly (the write path would start the county's own audit chain for another station's
records); ``on_write`` lets the township record the merge in its own chain instead.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from storage.audit import canonical_json
from storage.register import Register
from storage.sync.payload import TableRows

CHUNK = 500
_NOT_CONTENT = frozenset({"id", "version", "created_at", "updated_at", "updated_by"})

# on_write(table, action, before-or-None, after) for every row actually written.
WriteHook = Callable[[str, str, dict[str, Any] | None, dict[str, Any]], None]


@dataclass
class TableCounts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    ignored: int = 0
    conflicts: int = 0

    def add(self, other: TableCounts) -> None:
        for k, v in vars(other).items():
            setattr(self, k, getattr(self, k) + v)

    def as_dict(self) -> dict[str, int]:
        return dict(vars(self))


@dataclass
class MergeContext:
    reg: Register
    sender: str
    bundle_hash: str
    on_write: WriteHook | None = None
    on_rows: Callable[[int], None] | None = None  # rows processed so far (progress)
    touched: dict[str, set[str]] = field(default_factory=dict)
    #: of ``touched``, the ids that were not here before this merge (they have no derived rows
    #: to replace: ``hooks.reindex_matters`` skips their search-row lookups)
    created: dict[str, set[str]] = field(default_factory=dict)


@contextmanager
def foreign_keys_deferred(conn: sqlite3.Connection) -> Iterator[None]:
    """A bundle may arrive before the one holding the parents of its rows (order must not
    matter), so references are not enforced while merging; they close when the gap is filled.
    (SQLite only switches this outside a transaction.)"""
    if conn.in_transaction:
        yield
        return
    was_on = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA foreign_keys = {1 if was_on else 0}")


def digest(row: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(row).encode("utf-8")).hexdigest()


def _existing(reg: Register, table: str, columns: list[str],
              ids: list[str]) -> dict[str, tuple[Any, ...]]:
    out: dict[str, tuple[Any, ...]] = {}
    cols = ", ".join(columns)
    for i in range(0, len(ids), CHUNK):
        part = ids[i:i + CHUNK]
        for r in reg.conn.execute(
                f"SELECT {cols} FROM {table} WHERE id IN ({', '.join('?' * len(part))})", part):
            out[r[0]] = tuple(r)
    return out


def _record_conflict(ctx: MergeContext, table: str, kind: str, columns: list[str],
                     local: tuple[Any, ...] | None, incoming: list[Any], detail: str = "") -> None:
    inc = dict(zip(columns, incoming, strict=True))
    ctx.reg.conn.execute(
        "INSERT OR IGNORE INTO sync_conflicts(kind, table_name, record_id, version, sender,"
        " bundle_hash, local_row, incoming_row, incoming_digest, detail, detected_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (kind, table, inc["id"], inc["version"], ctx.sender, ctx.bundle_hash,
         None if local is None else json.dumps(dict(zip(columns, local, strict=True)),
                                               ensure_ascii=False),
         json.dumps(inc, ensure_ascii=False), digest(inc), detail, ctx.reg.now()))


def _void_undone(columns: list[str]) -> Callable[[Any, Any], bool]:
    """``undone(voided, live)``: is ``live`` the owner's undo of the void ``voided`` (a live row
    that keeps the void's reason)? Always False for tables that cannot be voided."""
    if "voided" not in columns or "void_reason" not in columns:
        return lambda _voided, _live: False
    vd, why = columns.index("voided"), columns.index("void_reason")
    return lambda voided, live: bool(voided[vd]) and not live[vd] and bool(live[why])


def _classify(table: TableRows, existing: dict[str, tuple[Any, ...]], counts: TableCounts
              ) -> tuple[list[list[Any]], list[tuple[tuple[Any, ...], list[Any]]],
                         list[tuple[tuple[Any, ...], list[Any]]]]:
    """Split rows into (creates, updates as (old, new), conflicts as (old, new))."""
    ix, vx, dx = (table.columns.index(c) for c in ("id", "version", "deleted"))
    content = [i for i, c in enumerate(table.columns) if c not in _NOT_CONTENT]
    undone = _void_undone(table.columns)
    creates: list[list[Any]] = []
    updates: list[tuple[tuple[Any, ...], list[Any]]] = []
    conflicts: list[tuple[tuple[Any, ...], list[Any]]] = []
    for row in table.rows:
        old = existing.get(row[ix])
        if old is None:
            creates.append(row)
            if row[dx]:
                counts.deleted += 1
            else:
                counts.created += 1
            continue
        here_deleted, in_deleted = bool(old[dx]), bool(row[dx])
        if here_deleted and not in_deleted and row[vx] > old[vx] and undone(old, row):
            updates.append((old, row))
            counts.updated += 1
        elif not here_deleted and in_deleted and row[vx] < old[vx] and undone(row, old):
            counts.ignored += 1
        elif here_deleted and not in_deleted:
            counts.ignored += 1
        elif in_deleted and not here_deleted:
            updates.append((old, row))
            counts.deleted += 1
        elif row[vx] > old[vx]:
            updates.append((old, row))
            if in_deleted:
                counts.deleted += 1
            else:
                counts.updated += 1
        elif row[vx] < old[vx]:
            counts.ignored += 1
        elif here_deleted or all(old[i] == row[i] for i in content):
            counts.unchanged += 1
        else:
            conflicts.append((old, row))
            counts.conflicts += 1
    return creates, updates, conflicts


def _write_rows(ctx: MergeContext, table: str, sql: str, params: list[list[Any]],
                columns: list[str], incoming: list[list[Any]],
                olds: list[tuple[Any, ...] | None]) -> list[bool]:
    """executemany in a savepoint; if a uniqueness rule refuses it, retry row by row and turn
    each refused row into a 'duplicate' conflict. Returns which rows were written."""
    if not params:
        return []
    conn = ctx.reg.conn
    conn.execute("SAVEPOINT merge_rows")
    try:
        conn.executemany(sql, params)
        conn.execute("RELEASE SAVEPOINT merge_rows")
        return [True] * len(params)
    except sqlite3.IntegrityError:
        conn.execute("ROLLBACK TO SAVEPOINT merge_rows")
        conn.execute("RELEASE SAVEPOINT merge_rows")
    written = []
    for p, row, old in zip(params, incoming, olds, strict=True):
        try:
            conn.execute(sql, p)
            written.append(True)
        except sqlite3.IntegrityError as exc:
            _record_conflict(ctx, table, "duplicate", columns, old, row, str(exc))
            written.append(False)
    return written


def _uncount(counts: TableCounts, rows: list[list[Any]], ok: list[bool], dx: int,
             category: str) -> None:
    """Rows refused by a uniqueness rule became conflicts instead of what _classify counted."""
    for row, done in zip(rows, ok, strict=True):
        if not done:
            name = "deleted" if row[dx] else category
            setattr(counts, name, getattr(counts, name) - 1)
            counts.conflicts += 1


def _supersede(ctx: MergeContext, table: str, updated: list[list[Any]], ix: int, vx: int) -> None:
    open_ = {r[0]: r[1] for r in ctx.reg.conn.execute(
        "SELECT record_id, max(version) FROM sync_conflicts WHERE table_name = ?"
        " AND status = 'open' GROUP BY record_id", (table,))}
    if not open_:
        return
    for row in updated:
        if row[ix] in open_ and open_[row[ix]] < row[vx]:
            ctx.reg.conn.execute(
                "UPDATE sync_conflicts SET status = 'superseded', decided_at = ?"
                " WHERE table_name = ? AND record_id = ? AND version < ? AND status = 'open'",
                (ctx.reg.now(), table, row[ix], row[vx]))


PROGRESS_SLICE = 5000


def merge_table(ctx: MergeContext, table: TableRows) -> TableCounts:
    """Merge one table's rows, in slices so that progress can be shown."""
    counts = TableCounts()
    for start in range(0, len(table.rows), PROGRESS_SLICE):
        part = TableRows(table.name, table.columns, table.rows[start:start + PROGRESS_SLICE])
        counts.add(_merge_slice(ctx, part))
        if ctx.on_rows is not None:
            ctx.on_rows(len(part.rows))
    return counts


def _merge_slice(ctx: MergeContext, table: TableRows) -> TableCounts:
    counts = TableCounts()
    ix, vx, dx = (table.columns.index(c) for c in ("id", "version", "deleted"))
    existing = _existing(ctx.reg, table.name, table.columns, [r[ix] for r in table.rows])
    creates, updates, conflicts = _classify(table, existing, counts)
    for old, row in conflicts:
        _record_conflict(ctx, table.name, "version", table.columns, old, row)
    cols = ", ".join(table.columns)
    ins = f"INSERT INTO {table.name} ({cols}) VALUES ({', '.join('?' * len(table.columns))})"
    created_ok = _write_rows(ctx, table.name, ins, creates, table.columns, creates, [None] * len(creates))
    others = [c for c in table.columns if c != "id"]
    upd = f"UPDATE {table.name} SET {', '.join(f'{c} = ?' for c in others)} WHERE id = ?"
    upd_params = [[v for c, v in zip(table.columns, new, strict=True) if c != "id"] + [new[ix]]
                  for _old, new in updates]
    news = [new for _old, new in updates]
    updated_ok = _write_rows(ctx, table.name, upd, upd_params, table.columns, news,
                             [old for old, _new in updates])
    _uncount(counts, creates, created_ok, dx, "created")
    _uncount(counts, news, updated_ok, dx, "updated")
    written = [r for r, ok in zip(creates, created_ok, strict=True) if ok]
    changed = [(o, n) for (o, n), ok in zip(updates, updated_ok, strict=True) if ok]
    _supersede(ctx, table.name, [n for _o, n in changed], ix, vx)
    touched = ctx.touched.setdefault(table.name, set())
    touched.update(r[ix] for r in written)
    ctx.created.setdefault(table.name, set()).update(r[ix] for r in written)
    touched.update(n[ix] for _o, n in changed)
    if ctx.on_write is not None:
        for r in written:
            ctx.on_write(table.name, "insert", None, dict(zip(table.columns, r, strict=True)))
        for o, n in changed:
            ctx.on_write(table.name, "update", dict(zip(table.columns, o, strict=True)),
                         dict(zip(table.columns, n, strict=True)))
    return counts
