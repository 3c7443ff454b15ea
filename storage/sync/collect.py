"""What goes into the next bundle: every record changed since the previous export (tombstones
included) and the audit entries of the same span.

"Changed since" is read from the station's own audit chain, which every write appends to: the
span is the chain entries after the one the previous bundle ended with. This is generic over all
synced record tables (``schema.record_tables``). Entries about tables that never leave the
station (``users``) travel with their before/after withheld when they hold a secret, so that
the chain still links and password hashes stay at home.

A county's bundle to a township (``addressed_to``) holds only the rows the county addressed to
that township — rows of the synced tables that have a ``to_station`` column naming it — and
every other entry of the county's chain travels withheld the same way: the township can check
that the chain links, and reads nothing about the other townships.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from storage import audit, schema
from storage.errors import BundleError
from storage.i18n import _
from storage.register import Register
from storage.sync.chainlines import AUDIT_COLUMNS
from storage.sync.payload import TableRows

SECRET_FIELDS = frozenset({"password_hash"})
#: The column of a record the county addresses to one township (its 12-digit area code).
ADDRESS_COLUMN = "to_station"


@dataclass
class Changes:
    tables: list[TableRows]
    audit: list[list[Any]]
    audit_from: str
    audit_head: str
    audit_to_seq: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return sum(len(t.rows) for t in self.tables)


@dataclass(frozen=True)
class Since:
    """Where the previous export ended: the local audit seq and the chain hash there."""

    audit_seq: int
    audit_head: str


def since_last_export(reg: Register, recipient: str | None = None) -> Since:
    """After the previous export (to ``recipient``, for the county's per-township bundles)."""
    if recipient is None:
        row = reg.rows("SELECT audit_to_seq, audit_head FROM sync_exports"
                       " ORDER BY seq DESC LIMIT 1")
    else:
        row = reg.rows("SELECT audit_to_seq, audit_head FROM sync_exports WHERE recipient = ?"
                       " ORDER BY seq DESC LIMIT 1", (recipient,))
    if not row:
        return Since(0, audit.GENESIS)
    return Since(int(row[0]["audit_to_seq"]), str(row[0]["audit_head"]))


def _holds_secret(text: str | None) -> bool:
    if not text or not any(f in text for f in SECRET_FIELDS):
        return False
    try:
        value = json.loads(text)
    except ValueError:
        return True
    return isinstance(value, dict) and bool(SECRET_FIELDS & value.keys())


def _audit_span(reg: Register, since: Since, upto: int) -> list[list[Any]]:
    local_only = set(schema.record_tables(reg.conn)) - set(
        schema.record_tables(reg.conn, synced_only=True))
    rows = reg.conn.execute(
        "SELECT entry_id, station_code, at, actor, action, table_name, record_id, before, after,"
        " prev_hash, hash FROM audit_log WHERE station_code = ? AND seq > ? AND seq <= ?"
        " ORDER BY seq", (reg.station_code, since.audit_seq, upto)).fetchall()
    out: list[list[Any]] = []
    for r in rows:
        entry = list(r) + [0]
        if r[5] in local_only and (_holds_secret(r[7]) or _holds_secret(r[8])):
            entry[7] = entry[8] = None
            entry[AUDIT_COLUMNS.index("withheld")] = 1
        out.append(entry)
    return out


def addressed_tables(reg: Register) -> list[str]:
    """Synced tables whose records the county addresses to one township (in sync order)."""
    return [t for t in schema.record_tables(reg.conn, synced_only=True)
            if ADDRESS_COLUMN in reg.columns(t)]


def _withhold_others(entries: list[list[Any]], sent: set[tuple[str, str]]) -> None:
    """Null the before/after of every entry not about a row this bundle carries."""
    table_at, id_at = AUDIT_COLUMNS.index("table_name"), AUDIT_COLUMNS.index("record_id")
    withheld_at = AUDIT_COLUMNS.index("withheld")
    for entry in entries:
        if (entry[table_at], entry[id_at]) not in sent:
            entry[7] = entry[8] = None
            entry[withheld_at] = 1


_CHUNK = 500


def _rows_by_id(reg: Register, table: str, ids: list[str], where: str, extra: tuple[Any, ...]
                ) -> tuple[list[str], list[list[Any]]]:
    """The rows of ``table`` with these ids (and ``where``), in id order."""
    columns = reg.columns(table)
    rows: list[list[Any]] = []
    for i in range(0, len(ids), _CHUNK):
        part = ids[i:i + _CHUNK]
        rows.extend(list(r) for r in reg.conn.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE id IN"
            f" ({', '.join('?' * len(part))}){where} ORDER BY id", (*part, *extra)))
    return columns, rows


def span_ends(reg: Register, since: Since, per_part: int) -> list[int]:
    """Where each part of the span after ``since`` ends (audit seq), at most ``per_part`` of
    this station's entries each: one end when the span fits in one bundle."""
    last = int(reg.scalar("SELECT coalesce(max(seq), 0) FROM audit_log") or 0)
    ends: list[int] = []
    start = since.audit_seq
    while True:
        end = reg.scalar("SELECT seq FROM audit_log WHERE seq > ? AND station_code = ?"
                         " ORDER BY seq LIMIT 1 OFFSET ?", (start, reg.station_code,
                                                             per_part - 1))
        if end is None or int(end) >= last:
            return [*ends, last]
        ends.append(int(end))
        start = int(end)


def collect(reg: Register, since: Since, *, addressed_to: str | None = None,
            upto: int | None = None) -> Changes:
    """Read the span after ``since`` (up to the audit seq ``upto``: one part of a large
    export) in one consistent snapshot; with ``addressed_to``, only what the county addressed to
    that township (see the module doc)."""
    with reg.transaction():
        newest = int(reg.scalar("SELECT coalesce(max(seq), 0) FROM audit_log") or 0)
        upto = newest if upto is None else min(upto, newest)
        entries = _audit_span(reg, since, upto)
        if entries and entries[0][AUDIT_COLUMNS.index("prev_hash")] != since.audit_head:
            raise BundleError(_("本地审计链与上一次导出的结尾接不上，已停止导出。请运行“检查”并联系技术支持。"))
        head = entries[-1][AUDIT_COLUMNS.index("hash")] if entries else since.audit_head
        tables: list[TableRows] = []
        counts: dict[str, dict[str, int]] = {}
        names = schema.record_tables(reg.conn, synced_only=True) if addressed_to is None \
            else addressed_tables(reg)
        where, extra = ("", ()) if addressed_to is None \
            else (f" AND {ADDRESS_COLUMN} = ?", (addressed_to,))
        sent: set[tuple[str, str]] = set()
        # The records the span names, read from the span itself: looking them up in the audit
        # log by table walked that table's whole index (every entry ever), so a later month's
        # export grew with the register instead of with the month.
        touched: dict[str, set[str]] = {}
        table_at, id_at = AUDIT_COLUMNS.index("table_name"), AUDIT_COLUMNS.index("record_id")
        for entry in entries:
            touched.setdefault(entry[table_at], set()).add(entry[id_at])
        for name in names:
            columns, rows = _rows_by_id(reg, name, sorted(touched.get(name, ())), where, extra)
            if rows:
                deleted_at = columns.index("deleted")
                tables.append(TableRows(name, columns, rows))
                counts[name] = {"records": len(rows),
                                "deleted": sum(1 for r in rows if r[deleted_at])}
                sent.update((name, r[columns.index("id")]) for r in rows)
        if addressed_to is not None:
            _withhold_others(entries, sent)
    return Changes(tables, entries, since.audit_head, head, upto, counts)
