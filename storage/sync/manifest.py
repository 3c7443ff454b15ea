"""The manifest: the readable, signed front page of a bundle (docs/architecture.md §5). It holds no personal
data: codes, counts, hashes and algorithm names only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from storage.errors import BundleError
from storage.i18n import _
from storage.migrations import MIGRATIONS
from storage.register import Register
from storage.sync import crypto
from storage.sync.fileformat import FORMAT, FORMAT_VERSION

GENESIS_BUNDLE = "0" * 64
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def applied_migrations(reg: Register) -> list[str]:
    return [m.name for m in MIGRATIONS.applied(reg.db)]


def known_migrations() -> set[str]:
    return {m.name for m in MIGRATIONS._migrations}


def valid_period(period: str) -> bool:
    return bool(_PERIOD.match(period))


@dataclass(frozen=True)
class Manifest:
    format_version: int
    schema: tuple[str, ...]
    kind: str
    sender: str
    station_code: str
    station_name: str
    recipient: str
    recipient_fingerprint: str
    signer_fingerprint: str
    seq: int
    period: str
    created_at: str
    prev_bundle_hash: str
    counts: dict[str, dict[str, int]]
    records: int
    audit_from: str
    audit_head: str
    audit_entries: int
    payload_hash: str
    payload_size: int
    #: the local seq of the head entry in the sender's log — with ``audit_head``, the point of
    #: its chain a printed monthly report names too (0: not stated, an older sender)
    audit_seq: int = 0
    # An export too large for one file is made as ``parts`` consecutive bundles (each a whole
    # bundle: signed, chained, verified alone); this one is number ``part`` of them.
    part: int = 1
    parts: int = 1

    def to_json(self) -> dict[str, Any]:
        split = {"part": {"index": self.part, "of": self.parts}} if self.parts > 1 else {}
        return split | {
            "format": FORMAT, "format_version": self.format_version, "schema": list(self.schema),
            "kind": self.kind, "sender": self.sender, "station_code": self.station_code,
            "station_name": self.station_name, "recipient": self.recipient,
            "recipient_fingerprint": self.recipient_fingerprint,
            "signer_fingerprint": self.signer_fingerprint, "seq": self.seq,
            "period": self.period, "created_at": self.created_at,
            "prev_bundle_hash": self.prev_bundle_hash, "counts": self.counts,
            "records": self.records,
            "audit": {"from": self.audit_from, "head": self.audit_head,
                      "entries": self.audit_entries, "seq": self.audit_seq},
            "algorithms": crypto.ALGORITHMS,
            "payload_hash": self.payload_hash, "payload_size": self.payload_size,
        }


def parse(obj: dict[str, Any]) -> Manifest:
    """Type-check a manifest (after its signature verified); refuse anything malformed."""
    if obj.get("format") != FORMAT:
        raise BundleError(_("这不是信访工作台的数据包文件。"))
    try:
        version = int(obj["format_version"])
        if version > FORMAT_VERSION:
            raise BundleError(_("该数据包由更新版本的信访工作台生成（格式版本{v}），请先升级本机软件。"
                                ).format(v=version))
        a = obj["audit"]
        m = Manifest(
            version, tuple(str(s) for s in obj["schema"]), str(obj["kind"]), str(obj["sender"]),
            str(obj["station_code"]), str(obj["station_name"]), str(obj["recipient"]),
            str(obj["recipient_fingerprint"]), str(obj["signer_fingerprint"]), int(obj["seq"]),
            str(obj["period"]), str(obj["created_at"]), str(obj["prev_bundle_hash"]),
            {str(t): {str(k): int(v) for k, v in c.items()} for t, c in obj["counts"].items()},
            int(obj["records"]), str(a["from"]), str(a["head"]), int(a["entries"]),
            str(obj["payload_hash"]), int(obj["payload_size"]), int(a.get("seq", 0)),
            *((int(obj["part"]["index"]), int(obj["part"]["of"])) if "part" in obj else ()))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise BundleError(_("数据包说明部分的格式不对。")) from None
    if obj.get("algorithms") != crypto.ALGORITHMS:
        raise BundleError(_("数据包使用了本机软件不支持的加密或压缩方式，请先升级本机软件。"))
    ok = (m.seq >= 1 and m.audit_seq >= 0 and 1 <= m.part <= m.parts <= m.seq + m.parts - m.part
          and valid_period(m.period) and m.kind in ("township", "liaison", "county")
          and all(_HEX64.match(h) for h in (m.prev_bundle_hash, m.audit_from, m.audit_head,
                                             m.payload_hash)))
    if not ok:
        raise BundleError(_("数据包说明部分的格式不对。"))
    unknown = set(m.schema) - known_migrations()
    if unknown:
        raise BundleError(_("该数据包来自更新版本的信访工作台（数据结构{names}），请先升级本机软件。"
                            ).format(names="、".join(sorted(unknown))))
    return m
