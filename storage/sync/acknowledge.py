"""How the county learns that a township imported its bundles, without a receipt file:
importing writes a ``sync-import`` entry into the township's own audit chain (storage/sync —
auditsink), and that entry reaches the county in the township's next monthly bundle. When the
county imports it, each such entry naming one of the county's bundles (by number and hash)
confirms that bundle in the county's ledger, so it is not written to the stick again."""

from __future__ import annotations

import orjson

from storage.register import Register
from storage.sync import chainlines, keys

_ACTION = chainlines.AUDIT_COLUMNS.index("action")
_AFTER = chainlines.AUDIT_COLUMNS.index("after")


def confirm_from_chain(reg: Register, township_sender: str, audit_lines: bytes) -> int:
    """County, inside the import of a township's bundle: confirm every bundle of ours that the
    township's chain (``audit_lines``, the bundle's chain lines, already checked) says it
    imported. Returns how many were newly confirmed."""
    own = keys.sender_of(reg)
    mark = f'"{own}'.encode()
    if b'"sync-import"' not in audit_lines or mark not in audit_lines:
        return 0  # the usual month: found without decoding its entries
    wanted = b"".join(line + b"\n" for line in audit_lines.split(b"\n")
                      if b'"sync-import"' in line and mark in line)
    done = 0
    for entry in chainlines.decode(wanted):
        after = entry[_AFTER]
        if entry[_ACTION] != "sync-import" or not isinstance(after, str):
            continue
        summary = orjson.loads(after)
        if not isinstance(summary, dict) or summary.get("sender") != own:
            continue
        done += reg.conn.execute(
            "UPDATE sync_exports SET confirmed_at = ?, confirmed_by = ? WHERE recipient = ?"
            " AND bundle_seq = ? AND bundle_hash = ? AND confirmed_at IS NULL",
            (reg.now(), f"chain:{township_sender}", township_sender, int(summary["seq"]),
             str(summary["bundle_hash"]))).rowcount
    return done
