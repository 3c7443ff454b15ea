"""Received audit chains, kept as one compressed *segment* per bundle.

A bundle carries the sender's audit entries for its span (``audit_from`` … ``audit_head``). The
receiver checked every entry's hash and link when it read the bundle; it then keeps the span as
it came — the bundle's compressed audit frame, byte for byte — in one row of
``sync_audit_segments``, not as tens of thousands of rows, because it only ever reads a sender's
chain whole, to verify it again (`check`) or to show it. A body is one zstd frame of chain lines
(``storage.sync.chainlines``); bodies stored before bundle format 2 hold a JSON array of
``AUDIT_COLUMNS`` rows instead, told apart by their first byte. Segments are
stored whatever order bundles arrive in; a sender's chain is *joined* up to the first missing
sequence number, and ``sync_imports.audit_applied`` says which bundles that covers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import zstandard

from storage.audit import GENESIS, ChainReport, fields_hash
from storage.register import Register
from storage.sync import chainlines, payload
from storage.sync.chainlines import AUDIT_COLUMNS

_A = {name: i for i, name in enumerate(AUDIT_COLUMNS)}


def unpack(body: bytes) -> list[list[Any]]:
    """A segment body's entries as rows of ``AUDIT_COLUMNS``, in chain order."""
    text = payload.inflate(body)
    if text.startswith(b"["):  # stored before format 2 (and by migration m005)
        rows: list[list[Any]] = orjson.loads(text)
        return rows
    return chainlines.decode(text)


def store(reg: Register, sender: str, station_code: str, seq: int, audit_from: str,
          audit_head: str, count: int, body: bytes) -> bool:
    """Keep one bundle's ``count`` entries packed in ``body`` and extend the sender's joined
    run; the ledger row for (sender, seq) must exist already. Returns True if this bundle's span
    is joined now."""
    reg.conn.execute(
        "INSERT INTO sync_audit_segments(sender, seq, station_code, audit_from, audit_head,"
        " entries, body) VALUES (?,?,?,?,?,?,?)",
        (sender, seq, station_code, audit_from, audit_head, count, body))
    return _join(reg, sender, seq)


def _join(reg: Register, sender: str, seq: int) -> bool:
    """Mark every bundle from the first not yet joined as joined while their sequence numbers
    run on without a gap (the links between neighbours were checked at import)."""
    applied = {r[0]: bool(r[1]) for r in reg.conn.execute(
        "SELECT seq, audit_applied FROM sync_imports WHERE sender = ?", (sender,))}
    n = 1
    while applied.get(n):
        n += 1
    joined = []
    while n in applied:
        joined.append(n)
        n += 1
    reg.conn.executemany("UPDATE sync_imports SET audit_applied = 1 WHERE sender = ? AND seq = ?",
                         [(sender, s) for s in joined])
    return seq in joined or applied.get(seq, False)


def entries(reg: Register, sender: str) -> Iterator[list[Any]]:
    """The sender's received entries in chain order, across every stored segment."""
    for (body,) in reg.conn.execute(
            "SELECT body FROM sync_audit_segments WHERE sender = ? ORDER BY seq", (sender,)):
        yield from unpack(body)


def head(reg: Register, sender: str) -> str:
    """Hash at the end of the sender's joined chain (genesis if nothing joined yet)."""
    row = reg.conn.execute(
        "SELECT s.audit_head FROM sync_audit_segments s JOIN sync_imports i"
        " ON i.sender = s.sender AND i.seq = s.seq WHERE s.sender = ? AND i.audit_applied = 1"
        " ORDER BY s.seq DESC LIMIT 1", (sender,)).fetchone()
    return str(row[0]) if row else GENESIS


def verify(reg: Register, sender: str) -> ChainReport:
    """Recompute the sender's chain from genesis over its joined segments: every link, and
    every entry's hash except those whose before/after the sender withheld (they held a
    password hash), whose links alone can be checked."""
    prev, count = GENESIS, 0
    for (body,) in reg.conn.execute(
            "SELECT s.body FROM sync_audit_segments s JOIN sync_imports i ON i.sender = s.sender"
            " AND i.seq = s.seq WHERE s.sender = ? AND i.audit_applied = 1 ORDER BY s.seq",
            (sender,)):
        try:
            entries = unpack(body)
        except (ValueError, zstandard.ZstdError) as exc:  # a stored body changed afterwards
            at = count + (exc.index if isinstance(exc, chainlines.BrokenChain) else 0) + 1
            return ChainReport(at, at, prev)
        for e in entries:
            count += 1
            content_ok = bool(e[_A["withheld"]]) or fields_hash(prev, e[:9]) == e[_A["hash"]]
            if e[_A["prev_hash"]] != prev or not content_ok:
                return ChainReport(count, count, prev)
            prev = str(e[_A["hash"]])
    return ChainReport(count, None, prev)


def senders(reg: Register) -> list[str]:
    return [r[0] for r in reg.conn.execute(
        "SELECT DISTINCT sender FROM sync_audit_segments ORDER BY sender")]
