"""Where the audit entries that arrive in a bundle go, and how the receiver records a merge.

- At the county, a station's entries join ``audit_log`` as they are (their own prev_hash and
  hash), side by side with every other station's chain.
- At a township, a liaison laptop's entries share the township's area code, so they are kept in
  ``sync_remote_audit`` per laptop, and the township writes its *own* chain entries for the rows
  the merge changed (those then travel on to the county).

A bundle's entries are appended only where its chain continues the stored one; a bundle that
arrives before its predecessor parks its entries in ``sync_pending_audit`` until the gap is
filled, so the stored chains do not depend on the order of arrival.
"""

from __future__ import annotations

import json
from typing import Any

from storage import audit
from storage.ids import new_id
from storage.register import Register
from storage.schema import BOOKKEEPING
from storage.sync.payload import AUDIT_COLUMNS

_A = {name: i for i, name in enumerate(AUDIT_COLUMNS)}


def is_remote(reg: Register, station_code: str) -> bool:
    """True when the sender shares our chain key (a liaison laptop of this station)."""
    return station_code == reg.station_code


def head(reg: Register, sender: str, station_code: str) -> str:
    if not is_remote(reg, station_code):
        return audit.head(reg.conn, station_code)
    row = reg.conn.execute("SELECT hash FROM sync_remote_audit WHERE sender = ?"
                           " ORDER BY seq DESC LIMIT 1", (sender,)).fetchone()
    return str(row[0]) if row else audit.GENESIS


def _append(reg: Register, sender: str, station_code: str, entries: list[list[Any]]) -> None:
    if not entries:
        return
    if is_remote(reg, station_code):
        reg.conn.executemany(
            "INSERT INTO sync_remote_audit(sender, " + ", ".join(AUDIT_COLUMNS) + ")"
            " VALUES (?" + ",?" * len(AUDIT_COLUMNS) + ")", [[sender, *e] for e in entries])
        return
    cols = AUDIT_COLUMNS[:-1]
    reg.conn.executemany(
        "INSERT INTO audit_log(" + ", ".join(cols) + ") VALUES (" + ",".join("?" * len(cols))
        + ")", [e[:-1] for e in entries])
    reg.conn.executemany("INSERT INTO sync_withheld_audit(entry_id) VALUES (?)",
                         [(e[_A["entry_id"]],) for e in entries if e[_A["withheld"]]])


def _mark_applied(reg: Register, sender: str, seq: int) -> None:
    reg.conn.execute("UPDATE sync_imports SET audit_applied = 1 WHERE sender = ? AND seq = ?",
                     (sender, seq))


def settle(reg: Register, sender: str, station_code: str, seq: int, audit_from: str,
           audit_head: str, entries: list[list[Any]]) -> bool:
    """Append ``entries`` if they continue the stored chain (then any parked successors);
    otherwise park them. Returns True if they joined the chain now. The ledger row for
    (sender, seq) must exist already."""
    if head(reg, sender, station_code) != audit_from:
        reg.conn.execute(
            "INSERT INTO sync_pending_audit(sender, seq, audit_from, audit_head, entries)"
            " VALUES (?,?,?,?,?)", (sender, seq, audit_from, audit_head,
                                    json.dumps(entries, ensure_ascii=False)))
        return False
    _append(reg, sender, station_code, entries)
    _mark_applied(reg, sender, seq)
    current = audit_head
    while True:
        row = reg.conn.execute(
            "SELECT seq, audit_head, entries FROM sync_pending_audit WHERE sender = ?"
            " AND audit_from = ? ORDER BY seq LIMIT 1", (sender, current)).fetchone()
        if row is None:
            return True
        _append(reg, sender, station_code, json.loads(row[2]))
        _mark_applied(reg, sender, int(row[0]))
        reg.conn.execute("DELETE FROM sync_pending_audit WHERE sender = ? AND seq = ?",
                         (sender, row[0]))
        current = str(row[1])


def record_merge(reg: Register, table: str, action: str, before: dict[str, Any] | None,
                 after: dict[str, Any]) -> None:
    """Township: one entry in its own chain for a row a liaison bundle changed."""
    data_after = {k: v for k, v in after.items() if k not in BOOKKEEPING}
    entry_before: dict[str, Any] | None
    entry_after: dict[str, Any] | None
    if before is None:
        entry_before, entry_after = None, data_after
    else:
        data_before = {k: v for k, v in before.items() if k not in BOOKKEEPING}
        diff = [k for k in data_after if data_before.get(k) != data_after[k]]
        entry_before = {k: data_before.get(k) for k in diff}
        entry_after = {k: data_after[k] for k in diff}
        if after.get("deleted") and not before.get("deleted"):
            action, entry_before, entry_after = "delete", data_before, None
    audit.append(reg.conn, {
        "entry_id": new_id(), "station_code": str(after["station_code"]), "at": reg.now(),
        "actor": reg.actor.username, "action": f"sync-{action}",
        "table_name": table, "record_id": str(after["id"]),
        "before": entry_before, "after": entry_after})


def record_import(reg: Register, summary: dict[str, Any]) -> None:
    """One entry in the receiver's own chain for each bundle imported."""
    audit.append(reg.conn, {
        "entry_id": new_id(), "station_code": reg.station_code, "at": reg.now(),
        "actor": reg.actor.username, "action": "sync-import", "table_name": "sync_imports",
        "record_id": f"{summary['sender']}#{summary['seq']}", "before": None, "after": summary})
