"""The plaintext inside a bundle: records per table and audit entries, serialised, compressed and
sealed to the recipient; and the way back. The sender, station and sequence number are repeated
in here and bound into the encryption, so a payload cannot be moved under another manifest."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any

from storage.errors import BundleError
from storage.i18n import _
from storage.sync import crypto

AUDIT_COLUMNS = ("entry_id", "station_code", "at", "actor", "action", "table_name", "record_id",
                 "before", "after", "prev_hash", "hash", "withheld")
COMPRESSION_LEVEL = 6
MAX_PLAINTEXT = 2 << 30  # 2 GiB: refuse a "zip bomb" instead of exhausting memory


@dataclass
class TableRows:
    name: str
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class Payload:
    sender: str
    station_code: str
    seq: int
    period: str
    tables: list[TableRows]
    audit: list[list[Any]]

    @property
    def record_count(self) -> int:
        return sum(len(t.rows) for t in self.tables)


def aad(sender: str, seq: int) -> bytes:
    return f"petitiondesk-bundle|{sender}|{seq}".encode()


def serialise(p: Payload) -> bytes:
    """JSON text of the payload (rows as lists, columns named once per table)."""
    obj = {"sender": p.sender, "station_code": p.station_code, "seq": p.seq, "period": p.period,
           "tables": [{"name": t.name, "columns": t.columns, "rows": t.rows} for t in p.tables],
           "audit": {"columns": list(AUDIT_COLUMNS), "rows": p.audit}}
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def seal(p: Payload, recipient_box_key: bytes) -> bytes:
    compressed = zlib.compress(serialise(p), COMPRESSION_LEVEL)
    return crypto.seal(compressed, recipient_box_key, aad(p.sender, p.seq))


def _inflate(data: bytes) -> bytes:
    d = zlib.decompressobj()
    out = d.decompress(data, MAX_PLAINTEXT)
    if d.unconsumed_tail or not d.eof or d.unused_data:
        raise ValueError("bad compressed stream")
    return out


def open_sealed(blob: bytes, private_box_key: bytes, sender: str, seq: int) -> Payload:
    """Decrypt, decompress and parse; every failure is a plain refusal."""
    try:
        plain = crypto.unseal(blob, private_box_key, aad(sender, seq))
    except crypto.CryptoError:
        raise BundleError(_("无法解密数据包：它不是发给本单位的，或内容已被改动。")) from None
    try:
        obj = json.loads(_inflate(plain).decode("utf-8"))
        tables = [TableRows(str(t["name"]), [str(c) for c in t["columns"]], list(t["rows"]))
                  for t in obj["tables"]]
        if obj["audit"]["columns"] != list(AUDIT_COLUMNS):
            raise ValueError("audit columns")
        return Payload(str(obj["sender"]), str(obj["station_code"]), int(obj["seq"]),
                       str(obj["period"]), tables, list(obj["audit"]["rows"]))
    except (ValueError, KeyError, TypeError, zlib.error, UnicodeDecodeError):
        raise BundleError(_("数据包内容格式不对，无法读取。")) from None
