"""Checking the audit chains a receiver holds for its senders.

``storage.audit.verify`` recomputes every entry's hash. Entries whose before/after a station
withheld (they held a password hash) cannot be recomputed here, so this check verifies their
links only and everything else in full. The county runs it per station; a township runs it for
each liaison laptop's chain in ``sync_remote_audit``.
"""

from __future__ import annotations

from storage.audit import GENESIS, ChainReport, entry_hash
from storage.register import Register

_FIELDS = ("entry_id", "station_code", "at", "actor", "action", "table_name", "record_id",
           "before", "after")


def _walk(rows: list[tuple[object, ...]], withheld: set[str]) -> ChainReport:
    prev = GENESIS
    count = 0
    for row in rows:
        count += 1
        seq, prev_hash, digest = row[0], row[1], row[2]
        entry = dict(zip(_FIELDS, row[3:], strict=True))
        linked = prev_hash == prev
        content_ok = entry["entry_id"] in withheld or entry_hash(str(prev_hash), entry) == digest
        if not (linked and content_ok):
            return ChainReport(count, int(str(seq)), prev)
        prev = str(digest)
    return ChainReport(count, None, prev)


def verify_station(reg: Register, station_code: str) -> ChainReport:
    """A station's chain as received (county), withheld entries checked by their links."""
    rows = reg.conn.execute(
        "SELECT seq, prev_hash, hash, " + ", ".join(_FIELDS) + " FROM audit_log"
        " WHERE station_code = ? ORDER BY seq", (station_code,)).fetchall()
    withheld = {r[0] for r in reg.conn.execute("SELECT entry_id FROM sync_withheld_audit")}
    return _walk(rows, withheld)


def verify_remote(reg: Register, sender: str) -> ChainReport:
    """A liaison laptop's chain as received by the township."""
    rows = reg.conn.execute(
        "SELECT seq, prev_hash, hash, " + ", ".join(_FIELDS) + " FROM sync_remote_audit"
        " WHERE sender = ? ORDER BY seq", (sender,)).fetchall()
    withheld = {r[0] for r in reg.conn.execute(
        "SELECT entry_id FROM sync_remote_audit WHERE sender = ? AND withheld = 1", (sender,))}
    return _walk(rows, withheld)
