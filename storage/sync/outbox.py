"""The outbox: the ledger of bundles this unit has exported, and the local copy of each, kept
until the recipient confirms it (by a receipt on the stick, or by hand)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.errors import BundleError
from storage.i18n import _
from storage.register import Register

OUTBOX = "outbox"
EXPORT_ROLES = ("clerk", "head", "liaison")


@dataclass(frozen=True)
class ExportedBundle:
    """One bundle of the ledger. ``seq`` numbers the ledger; ``bundle_seq`` is the number the
    bundle carries, counted per recipient (the same as ``seq`` for a station's upward bundles;
    the county numbers its bundles to each township 1, 2, 3…)."""

    seq: int
    period: str
    file_name: str
    bundle_hash: str
    created_at: str
    records: int
    audit_entries: int
    size: int
    counts: dict[str, dict[str, int]]
    confirmed_at: str | None
    bundle_seq: int
    recipient: str


def outbox_dir(data_dir: Path) -> Path:
    return data_dir / OUTBOX


def _bundle(row: dict[str, Any]) -> ExportedBundle:
    return ExportedBundle(row["seq"], row["period"], row["file_name"], row["bundle_hash"],
                          row["created_at"], row["records"], row["audit_entries"], row["size"],
                          json.loads(row["counts"]), row["confirmed_at"], row["bundle_seq"],
                          row["recipient"])


def exported(reg: Register) -> list[ExportedBundle]:
    return [_bundle(r) for r in reg.rows("SELECT * FROM sync_exports ORDER BY seq")]


def unconfirmed(reg: Register, recipient: str | None = None) -> list[ExportedBundle]:
    """Bundles the recipient (or ``recipient``) has not confirmed yet."""
    if recipient is None:
        return [_bundle(r) for r in reg.rows(
            "SELECT * FROM sync_exports WHERE confirmed_at IS NULL ORDER BY seq")]
    return [_bundle(r) for r in reg.rows(
        "SELECT * FROM sync_exports WHERE confirmed_at IS NULL AND recipient = ? ORDER BY seq",
        (recipient,))]


def exported_bundle(reg: Register, seq: int) -> ExportedBundle:
    rows = reg.rows("SELECT * FROM sync_exports WHERE seq = ?", (seq,))
    if not rows:
        raise BundleError(_("没有第{seq}号数据包的导出记录。").format(seq=seq))
    return _bundle(rows[0])


def confirm(reg: Register, seqs: list[int], outbox: Path, *, by: str | None = None) -> int:
    """Mark bundles as received by the recipient and drop their local copies."""
    reg.require_role(*EXPORT_ROLES)
    done = 0
    with reg.transaction():
        for seq in seqs:
            b = exported_bundle(reg, seq)
            if b.confirmed_at is None:
                reg.conn.execute(
                    "UPDATE sync_exports SET confirmed_at = ?, confirmed_by = ? WHERE seq = ?",
                    (reg.now(), by or reg.actor.username, seq))
                done += 1
    for seq in seqs:
        (outbox / exported_bundle(reg, seq).file_name).unlink(missing_ok=True)
    return done
