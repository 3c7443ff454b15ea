"""How a receiver records, in its *own* audit chain, what a bundle did.

The sender's entries themselves are kept as received, one segment per bundle
(``storage.sync.segments``). A township additionally writes one entry of its own for every row
a liaison laptop's bundle changed (the laptop shares the township's area code, so those changes
must be in the township's chain to travel on to the county); every receiver writes one entry
per imported bundle.
"""

from __future__ import annotations

from typing import Any

from storage import audit, rowimage
from storage.ids import new_id
from storage.register import Register
from storage.schema import BOOKKEEPING


def is_remote(reg: Register, station_code: str) -> bool:
    """True when the sender shares our chain key (a liaison laptop of this station)."""
    return station_code == reg.station_code


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
    # The after-image is of the row as stored here (a bundle from an older station may lack
    # columns this register has, which took their defaults).
    stored = rowimage.read_row(reg.conn, table, str(after["id"]))
    entry_after = rowimage.with_image(table, entry_after, stored or after, reg.defaults(table))
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
