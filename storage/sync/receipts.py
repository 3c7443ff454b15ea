"""Receipts: how a station learns that the county has its bundles, so it may drop its local
copies. After importing, the county writes a small signed file onto the same stick, listing every
bundle it holds from that station; when the stick is next used for an export, the station checks
the county's signature and marks those bundles as confirmed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from storage.audit import canonical_json
from storage.errors import BundleError, PetitionDeskError
from storage.i18n import _
from storage.register import Register
from storage.sync import crypto, keys
from storage.sync.importer import BundleReport
from storage.sync.outbox import confirm, unconfirmed
from storage.sync.safewrite import MAX_SMALL_FILE_BYTES, read_limited, write_new_file

FORMAT = "petitiondesk-receipt"
RECEIPT_EXT = ".pdrcpt"
_TAG = b"petitiondesk/receipt/v1\x00"


@dataclass(frozen=True)
class ReceiptResult:
    files: int
    confirmed: int
    unverified: int = 0  # receipts named for us that the loaded county key cannot verify


def write_receipt(reg: Register, directory: Path, sender: str) -> Path:
    """County: a signed list of every bundle received from ``sender``."""
    if not keys.has_signing_key(reg):
        raise BundleError(_("本单位还没有签名密钥，无法开具回执：请先在“密钥”中创建签名密钥。"))
    bundles = [{"seq": r["seq"], "bundle_hash": r["bundle_hash"]} for r in reg.rows(
        "SELECT seq, bundle_hash FROM sync_imports WHERE sender = ? ORDER BY seq", (sender,))]
    body = {"format": FORMAT, "version": 1, "from": keys.sender_of(reg), "to": sender,
            "created_at": reg.now(), "bundles": bundles}
    text = canonical_json(body).encode("utf-8")
    signature = crypto.sign(keys.signing_private(reg), _TAG + text)
    data = json.dumps({"body": body, "signature": crypto.b64(signature)},
                      ensure_ascii=False).encode("utf-8")
    stamp = reg.now().replace("-", "").replace(":", "").replace("T", "")
    return write_new_file(directory / f"{sender}-receipt-{stamp}{RECEIPT_EXT}", data)


@dataclass(frozen=True)
class ReceiptsWritten:
    """The receipts written after an import and, if one could not be, why (the import stands)."""

    paths: list[Path] = field(default_factory=list)
    error: PetitionDeskError | None = None


def receipt_senders(reg: Register, reports: Iterable[BundleReport]) -> list[str]:
    """The senders (in code order) a receipt goes back to after these imports: those whose
    bundles this register holds now and that it takes bundles from as 'in'. The county's bundles
    to a township are confirmed through the township's own chain (storage/sync — acknowledge),
    so a township that imported only the county's bundle has no receipt to write."""
    incoming = {p.sender for p in keys.peers(reg, "in")}
    return sorted({r.sender for r in reports if r.status in ("imported", "already")
                   and r.sender in incoming})


def write_after_import(reg: Register, reports: Iterable[BundleReport],
                       directory: Path) -> ReceiptsWritten:
    """County, after an import: one receipt into ``directory`` for every station whose bundles
    it now holds (imported just now or earlier: 'already'), in the order of their codes. The
    first refusal (no signing key, the stick full or pulled out) ends the writing."""
    written: list[Path] = []
    for sender in receipt_senders(reg, reports):
        try:
            written.append(write_receipt(reg, directory, sender))
        except PetitionDeskError as exc:
            return ReceiptsWritten(written, exc)
    return ReceiptsWritten(written)


def _read(path: Path, county_key: bytes | None, sender: str) -> list[tuple[int, str]] | None:
    """The (seq, bundle hash) pairs a receipt for ``sender`` lists; [] if it is for someone
    else; None if it cannot be verified: damaged, forged, or signed by a county key other than
    the one loaded here (the county made its signing key after this station loaded its file)."""
    try:
        obj = json.loads(read_limited(path, MAX_SMALL_FILE_BYTES).decode("utf-8"))
        body = obj["body"]
        if county_key is None:
            return None
        crypto.verify(county_key, crypto.unb64(obj["signature"]),
                      _TAG + canonical_json(body).encode("utf-8"))
        if body["format"] != FORMAT or body["to"] != sender:
            return []
        return [(int(b["seq"]), str(b["bundle_hash"])) for b in body["bundles"]]
    except (OSError, ValueError, KeyError, TypeError, crypto.CryptoError, BundleError):
        return None  # the local copies stay


def apply_receipts(reg: Register, directory: Path, outbox: Path) -> ReceiptResult:
    """Station: confirm the bundles that valid receipts in ``directory`` list."""
    up = keys.upstream(reg)
    if up is None or not directory.is_dir():
        return ReceiptResult(0, 0)
    sender = keys.sender_of(reg)
    # A receipt lists the numbers the bundles carry; the ledger confirms by its own numbers.
    ours = {b.bundle_seq: (b.seq, b.bundle_hash) for b in unconfirmed(reg)}
    seqs: set[int] = set()
    files = unverified = 0
    for path in sorted(directory.glob(f"{sender}-receipt-*{RECEIPT_EXT}")):
        listed = _read(path, up.sign_key, sender)
        if listed is None:
            unverified += 1
            continue
        files += bool(listed)
        seqs.update(ours[seq][0] for seq, h in listed if seq in ours and ours[seq][1] == h)
    done = confirm(reg, sorted(seqs), outbox, by=f"receipt:{up.sender}") if seqs else 0
    return ReceiptResult(files, done, unverified)
