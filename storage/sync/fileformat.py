"""The bytes of a bundle file and its name.

Layout (all integers big-endian)::

    "PDSYNC"  u16 format version  u32 manifest length
    manifest        canonical JSON, UTF-8, readable without any key
    signature       64 bytes, Ed25519 over a domain tag, the 12 header bytes and the manifest
    payload         the sealed (compressed, then encrypted) records and audit entries

The manifest names the payload's SHA-256 and size, so the signature covers every byte of the file.
The bundle's own hash (what ledgers and the next bundle's ``prev_bundle_hash`` refer to) is the
SHA-256 of the whole file.
"""

from __future__ import annotations

import json
import re
import struct
from dataclasses import dataclass
from typing import Any

from storage.audit import canonical_json
from storage.errors import BundleError
from storage.i18n import _
from storage.sync import crypto

MAGIC = b"PDSYNC"
FORMAT = "petitiondesk-bundle"
# 2 (2026-12): the audit entries travel as chain lines in a frame of their own (payload.py).
FORMAT_VERSION = 2
BUNDLE_EXT = ".pdsync"
HEADER = struct.Struct(">6sHI")
MAX_MANIFEST = 1 << 20
_SIGNED_TAG = b"petitiondesk/bundle-manifest/v1\x00"
_DOWN_NAME = re.compile(r"^(\d{12})-(\d{12})-\d{6}-\d{3,}\.pdsync$")
_UP_NAME = re.compile(r"^(.+)-\d{6}-\d{3,}\.pdsync$")


@dataclass(frozen=True)
class Sealed:
    """A bundle file split into its parts; nothing has been verified yet."""

    version: int
    header: bytes
    manifest_bytes: bytes
    manifest: dict[str, Any]
    signature: bytes
    payload: bytes
    bundle_hash: str

    @property
    def signed_message(self) -> bytes:
        return _SIGNED_TAG + self.header + self.manifest_bytes

    @property
    def unsigned(self) -> bool:
        return not any(self.signature)


def bundle_name(sender: str, period: str, seq: int) -> str:
    """``<area-code>-<YYYYMM>-<seq>.pdsync``: ASCII digits and dashes only, safe on FAT32."""
    return f"{sender}-{period.replace('-', '')}-{seq:03d}{BUNDLE_EXT}"


def meant_for(file_name: str, own_sender: str, own_code: str) -> bool:
    """Whether a bundle file found in a folder could be for this register, by its name: not one
    of our own (one stick carries both directions) and not the county's bundle to another
    township (``<county>-<township>-<YYYYMM>-<seq>.pdsync``). A convenience when reading a
    folder only: what decides is the verification."""
    down = _DOWN_NAME.match(file_name)
    if down:
        return down.group(1) != own_sender and down.group(2) == own_code
    up = _UP_NAME.match(file_name)
    return not (up and up.group(1) == own_sender)


def pack(manifest: dict[str, Any], payload: bytes, sign_private: bytes) -> bytes:
    """Complete ``manifest`` with the payload's hash and size, sign it, and join the parts."""
    manifest = dict(manifest, payload_hash=crypto.sha256_hex(payload), payload_size=len(payload))
    manifest_bytes = canonical_json(manifest).encode("utf-8")
    header = HEADER.pack(MAGIC, FORMAT_VERSION, len(manifest_bytes))
    signature = crypto.sign(sign_private, _SIGNED_TAG + header + manifest_bytes)
    return header + manifest_bytes + signature + payload


def _damaged() -> BundleError:
    return BundleError(_("数据包不完整或已损坏（可能在写入时U盘被拔出，或复制没有完成）。"))


def unpack(data: bytes) -> Sealed:
    """Split the file; refuse anything that is not structurally a bundle of a known format."""
    if len(data) < HEADER.size or data[:len(MAGIC)] != MAGIC:
        if len(data) < HEADER.size and MAGIC.startswith(data[:len(MAGIC)]):
            raise _damaged()
        raise BundleError(_("这不是信访工作台的数据包文件。"))
    magic, version, manifest_len = HEADER.unpack_from(data)
    if version > FORMAT_VERSION:
        raise BundleError(_("该数据包由更新版本的信访工作台生成（格式版本{v}），请先升级本机软件。"
                            ).format(v=version))
    if version < 1 or manifest_len > MAX_MANIFEST:
        raise _damaged()
    if version < FORMAT_VERSION:
        raise BundleError(_("该数据包由旧版本的信访工作台生成（格式版本{v}），本机不再读取这种格式。"
                            "请先升级发送单位的软件，再重新导出这个月的数据包。").format(v=version))
    end = HEADER.size + manifest_len
    if len(data) < end + crypto.SIGNATURE_SIZE:
        raise _damaged()
    manifest_bytes = data[HEADER.size:end]
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _damaged() from None
    if not isinstance(manifest, dict):
        raise _damaged()
    return Sealed(version, data[:HEADER.size], manifest_bytes, manifest,
                  data[end:end + crypto.SIGNATURE_SIZE], data[end + crypto.SIGNATURE_SIZE:],
                  crypto.sha256_hex(data))
