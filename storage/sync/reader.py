"""Reading a bundle on the receiving side, strictly in this order: structure, signature by a
registered sender (before anything is decrypted), manifest, addressee, payload hash; then, with
the unlocked receiving key, decryption and a cross-check of everything inside against the
signed manifest. Any failure is a :class:`BundleError` naming the problem; nothing is written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage import schema
from storage.errors import BundleError
from storage.i18n import _
from storage.register import Register
from storage.schema import BOOKKEEPING
from storage.sync import chainlines, crypto, fileformat, keys
from storage.sync import manifest as manifests
from storage.sync.payload import Payload, open_sealed
from storage.sync.safewrite import MAX_BUNDLE_BYTES, PART_SUFFIX, read_limited


@dataclass(frozen=True)
class Verified:
    """A bundle whose signature, manifest and payload hash checked out (still encrypted)."""

    file_name: str
    sealed: fileformat.Sealed
    manifest: manifests.Manifest
    peer: keys.Peer

    @property
    def bundle_hash(self) -> str:
        return self.sealed.bundle_hash


def read_file(path: Path) -> bytes:
    if path.name.endswith(PART_SUFFIX):
        raise BundleError(_("{name} 是没有写完的文件（写入时U盘被拔出或导出中断），不能导入。请在乡镇重新导出。"
                            ).format(name=path.name))
    try:
        return read_limited(path, MAX_BUNDLE_BYTES)
    except OSError as exc:
        raise BundleError(_("无法读取文件 {path}：{error}").format(
            path=path, error=exc.strerror or exc)) from exc


def verify(reg: Register, data: bytes, file_name: str = "") -> Verified:
    sealed = fileformat.unpack(data)
    if sealed.unsigned:
        raise BundleError(_("数据包没有签名，不能确认来源，已拒收。"))
    sender = str(sealed.manifest.get("sender", ""))
    peer = keys.peer(reg, sender)
    if peer is not None and _from_our_county(reg, peer) and peer.sign_key is None:
        raise BundleError(_("载入的县信访局公钥文件中还没有签名密钥，无法核对县里发来的数据包："
                            "请向县里要一份新的公钥文件，在“密钥”中重新载入。"))
    if peer is None or not peer.active or peer.sign_key is None \
            or not (peer.direction == "in" or _from_our_county(reg, peer)):
        raise BundleError(_("数据包来自未登记的单位（{sender}）：请先登记该单位的公钥文件并核对指纹。"
                            ).format(sender=sender[:40] or "?"))
    try:
        crypto.verify(peer.sign_key, sealed.signature, sealed.signed_message)
    except crypto.CryptoError:
        raise BundleError(_("数据包签名校验未通过：它被改动过，或不是由{name}生成的。已拒收。"
                            ).format(name=peer.name)) from None
    m = manifests.parse(sealed.manifest)
    if m.format_version != sealed.version:
        raise BundleError(_("数据包说明部分的格式不对。"))
    if m.station_code != peer.station_code or m.kind != peer.kind:
        raise BundleError(_("数据包声明的单位（{code}）与签名单位{name}不符，已拒收。").format(
            code=m.station_code, name=peer.name))
    own = keys.own_key_file(reg).box_key
    if own is None or crypto.fingerprint(own) != m.recipient_fingerprint:
        raise BundleError(_("这个数据包是发给其他单位（{recipient}）的，不是本单位，已拒收。").format(
            recipient=m.recipient))
    if len(sealed.payload) != m.payload_size:
        raise BundleError(_("数据包不完整或已损坏（可能在写入时U盘被拔出，或复制没有完成）。"))
    if crypto.sha256_hex(sealed.payload) != m.payload_hash:
        raise BundleError(_("数据包内容与签名时不一致（文件已损坏或被改动），已拒收。"))
    return Verified(file_name, sealed, m, peer)


def _from_our_county(reg: Register, peer: keys.Peer) -> bool:
    """A township takes bundles from the county it sends to (its 交办/督办, storage/sync —
    downward), signed with the signing key in the county's public key file."""
    return reg.mode == "township" and peer.direction == "out" and peer.kind == "county"


def _inconsistent() -> BundleError:
    return BundleError(_("数据包内外信息不一致（可能被拼接或改动），已拒收。"))


def _check_tables(reg: Register, verified: Verified, payload: Payload) -> None:
    m = verified.manifest
    synced = set(schema.record_tables(reg.conn, synced_only=True))
    counts: dict[str, dict[str, int]] = {}
    for t in payload.tables:
        if t.name not in synced:
            raise BundleError(_("数据包含有本机不接收的数据表“{name}”，已拒收。").format(name=t.name))
        local = set(reg.columns(t.name))
        if not set(BOOKKEEPING) <= set(t.columns) or not set(t.columns) <= local \
                or len(set(t.columns)) != len(t.columns):
            raise BundleError(_("数据包中“{name}”表的结构与本机不符，请先升级本机软件。").format(
                name=t.name))
        sc, ix, vx, dx = (t.columns.index(c) for c in ("station_code", "id", "version",
                                                        "deleted"))
        ids: set[Any] = set()
        for row in t.rows:
            if (len(row) != len(t.columns) or row[sc] != m.station_code
                    or not isinstance(row[ix], str) or not isinstance(row[vx], int)
                    or row[vx] < 1 or row[dx] not in (0, 1)):
                raise BundleError(_("数据包中含有不属于{name}的记录或格式不对的记录，已拒收。"
                                    ).format(name=m.station_name))
            ids.add(row[ix])
        if len(ids) != len(t.rows):
            raise _inconsistent()
        counts[t.name] = {"records": len(t.rows),
                          "deleted": sum(1 for r in t.rows if r[dx])}
    if counts != m.counts or payload.record_count != m.records:
        raise _inconsistent()


def _check_audit(verified: Verified, payload: Payload) -> None:
    """Every entry links to the one before and hashes to what it claims, from the manifest's
    ``audit_from`` to its ``audit_head``."""
    m = verified.manifest
    try:
        count, head = chainlines.check(payload.audit, m.station_code, m.audit_from)
    except chainlines.BrokenChain:
        raise BundleError(_("数据包中的审计记录链不连续或被改动，已拒收。")) from None
    if count != m.audit_entries:
        raise _inconsistent()
    if head != m.audit_head:
        raise BundleError(_("数据包中的审计记录链不连续或被改动，已拒收。"))


def open_payload(reg: Register, verified: Verified, private_box_key: bytes) -> Payload:
    """Decrypt, then cross-check the records and the audit entries against the manifest."""
    m = verified.manifest
    p = open_sealed(verified.sealed.payload, private_box_key, m.sender, m.seq)
    if (p.sender, p.station_code, p.seq, p.period) != (m.sender, m.station_code, m.seq, m.period):
        raise _inconsistent()
    _check_tables(reg, verified, p)
    _check_audit(verified, p)
    return p
