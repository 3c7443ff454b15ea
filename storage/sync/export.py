"""Export (station or liaison laptop): make the next bundle, keep it in the local outbox, and
write it to a stick with the ``.part`` + fsync + rename + read-back discipline.

Every export gets the next sequence number and carries everything changed since the previous
one, so exporting the same month again is safe: the county merges by id and version. The local
copy of each bundle stays in the outbox until the county confirms it, and every later export to a
stick writes the unconfirmed ones again, so a lost stick costs nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from storage import audit, station
from storage.clock import today
from storage.errors import BundleError, ValidationError
from storage.i18n import _
from storage.register import Register
from storage.sync import chainlines, collect, crypto, fileformat, keys
from storage.sync.manifest import GENESIS_BUNDLE, Manifest, applied_migrations, valid_period
from storage.sync.outbox import (
    EXPORT_ROLES,
    ExportedBundle,
    exported_bundle,
    unconfirmed,
)
from storage.sync.payload import Payload, seal
from storage.sync.receipts import apply_receipts
from storage.sync.safewrite import (
    part_path,
    read_back,
    remove_stale_parts,
    require_writable_folder,
    write_new_file,
    write_synced,
)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportPlan:
    """What the next export would contain (shown before writing)."""

    sender: str
    station_name: str
    seq: int
    period: str
    recipient_name: str
    recipient_fingerprint: str
    counts: dict[str, dict[str, int]]
    records: int
    audit_entries: int
    unconfirmed: list[ExportedBundle]


@dataclass(frozen=True)
class ExportResult:
    bundle: ExportedBundle
    written: list[Path]  # the new bundle first, then unconfirmed earlier ones written again
    confirmed_by_receipt: int = 0  # earlier bundles the county's receipts on the stick confirmed
    unverified_receipts: int = 0  # receipts on the stick the loaded county key cannot verify

    @property
    def receipt_note(self) -> str:
        """What the receipts on the stick did, in plain words ("" if there were none)."""
        notes = []
        if self.confirmed_by_receipt:
            notes.append(_("U盘上有县里的回执，确认收到了{n}个以前的数据包，本机保存的副本已删除。"
                           ).format(n=self.confirmed_by_receipt))
        if self.unverified_receipts:
            notes.append(_("U盘上有{n}份县里的回执无法核对签名，以前的数据包仍保留在本机。"
                           "县里开始开具回执后会给出新的公钥文件，请重新载入。"
                           ).format(n=self.unverified_receipts))
        return "\n".join(notes)


def default_period(reg: Register) -> str:
    """The month just ended (bundles are usually made at the start of the next month)."""
    d = today(reg.clock)
    first = d.replace(day=1)
    prev = date(first.year - 1, 12, 1) if first.month == 1 else first.replace(month=first.month - 1)
    return prev.strftime("%Y-%m")


def check_period(reg: Register, period: str) -> str:
    period = period.strip()
    if not valid_period(period):
        raise ValidationError(_("月份应写成“年-月”，例如 2026-03。"), "period")
    if period > today(reg.clock).strftime("%Y-%m"):
        raise ValidationError(_("不能导出还没有到来的月份。"), "period")
    return period


@dataclass(frozen=True)
class Route:
    """Where a bundle goes. Upward (``addressed_to`` None): a station's or liaison laptop's
    everything-since-last-time to its one upstream, numbered with the ledger. Downward: the
    county's records addressed to one township, numbered and chained per township
    (storage/sync — downward)."""

    peer: keys.Peer
    kind: str  # the manifest's kind: 'township', 'liaison' or 'county'
    addressed_to: str | None = None

    @property
    def recipient(self) -> str | None:
        """The ledger's per-recipient key: None for the upward chain (numbered as ever)."""
        return None if self.addressed_to is None else self.peer.sender


def _next_seq(reg: Register) -> int:
    return int(reg.scalar("SELECT coalesce(max(seq), 0) + 1 FROM sync_exports"))


def _bundle_seq(reg: Register, route: Route) -> int:
    if route.recipient is None:
        return _next_seq(reg)
    return int(reg.scalar("SELECT coalesce(max(bundle_seq), 0) + 1 FROM sync_exports"
                          " WHERE recipient = ?", (route.recipient,)))


def _head_seq(reg: Register, head: str, upto: int) -> int:
    """The local seq of the chain's head entry (0 for the genesis hash). The head is this
    station's newest entry at or below ``upto`` (where the span ends), so the search walks back
    from there — ``hash`` has no index, and a scan of the whole log took a second at 100,000
    matters, ten at a million."""
    if head == audit.GENESIS:
        return 0
    return int(reg.scalar("SELECT seq FROM audit_log WHERE seq <= ? AND station_code = ?"
                          " AND hash = ? ORDER BY seq DESC LIMIT 1",
                          (upto, reg.station_code, head)) or 0)


def _prev_hash(reg: Register, route: Route) -> str:
    if route.recipient is None:
        value = reg.scalar("SELECT bundle_hash FROM sync_exports ORDER BY seq DESC LIMIT 1")
    else:
        value = reg.scalar("SELECT bundle_hash FROM sync_exports WHERE recipient = ?"
                           " ORDER BY seq DESC LIMIT 1", (route.recipient,))
    return str(value or GENESIS_BUNDLE)


def _station_name(reg: Register) -> str:
    return str(reg.setting("sync.name") or station.station(reg).name)


def upward(reg: Register) -> Route:
    """The route of a station's (or liaison laptop's) bundles: to its one upstream."""
    up = keys.upstream(reg)
    if up is None or up.box_key is None:
        if reg.mode == "liaison":
            raise BundleError(_("还没有乡镇的公钥：请用乡镇给的启动文件重新设置本机。"))
        if reg.mode == "county":
            raise BundleError(_("县级汇总库不向上导出：发往乡镇的交办督办请在“发往乡镇”中写入U盘。"))
        raise BundleError(_("还没有载入县信访局的公钥文件：请先在“密钥”中载入。"))
    return Route(up, "liaison" if reg.mode == "liaison" else "township")


def _changes(reg: Register, route: Route, upto: int | None = None) -> collect.Changes:
    return collect.collect(reg, collect.since_last_export(reg, route.recipient),
                           addressed_to=route.addressed_to, upto=upto)


#: This station's audit entries per bundle at most. Above it an export is made as numbered
#: parts, each a whole bundle (signed, chained to the one before, verified alone), so that the
#: first export of a million-matter register stays far below the 2 GiB a payload may hold
#: (``payload.MAX_PLAINTEXT``; ~880,000 entries of matters fill it).
PART_ENTRIES = 250_000


def make_bundles(reg: Register, period: str, outbox: Path,
                 progress: Progress | None = None) -> list[ExportedBundle]:
    """The next upward export: one bundle, or — when the span is larger than
    ``PART_ENTRIES`` — its numbered parts, in order (the county takes them in any order and
    refuses a set with a part missing)."""
    reg.require_role(*EXPORT_ROLES)
    ends = collect.span_ends(reg, collect.since_last_export(reg), PART_ENTRIES)
    return [make_bundle(reg, period, outbox, progress, upto=end, part_of=(i, len(ends)))
            for i, end in enumerate(ends, start=1)]


#: who makes the county's bundles to its townships
DOWNWARD_ROLES = ("county", "head")


def _require_role(reg: Register, route: Route) -> None:
    reg.require_role(*(EXPORT_ROLES if route.addressed_to is None else DOWNWARD_ROLES))


def plan(reg: Register, period: str | None = None, *, route: Route | None = None) -> ExportPlan:
    if route is None:
        reg.require_role(*EXPORT_ROLES)
    route = route or upward(reg)
    _require_role(reg, route)
    keys.signing_private(reg)
    changes = _changes(reg, route)
    return ExportPlan(keys.sender_of(reg), _station_name(reg), _bundle_seq(reg, route),
                      check_period(reg, period or default_period(reg)), route.peer.name,
                      route.peer.fingerprint, changes.counts, changes.records,
                      len(changes.audit), unconfirmed(reg, route.recipient))


def recover_outbox(reg: Register, outbox: Path) -> None:
    """Finish what a killed export left: a ``.part`` whose bundle is in the ledger is renamed;
    any other ``.part`` is deleted (its bundle was never recorded, so it never existed)."""
    if not outbox.is_dir():
        return
    known = {r["file_name"]: r["bundle_hash"] for r in reg.rows(
        "SELECT file_name, bundle_hash FROM sync_exports")}
    for stray in outbox.glob("*" + fileformat.BUNDLE_EXT):
        if stray.name not in known:  # made by a register restored from an older backup
            stray.rename(stray.with_name(f"{stray.name}.orphan-{reg.now().replace(':', '')}"))
    for part in outbox.glob("*" + ".part"):
        name = part.name[:-len(".part")]
        final = outbox / name
        if name in known and not final.exists() and crypto.sha256_hex(part.read_bytes()) == \
                known[name]:
            part.rename(final)
        else:
            part.unlink(missing_ok=True)


def make_bundle(reg: Register, period: str, outbox: Path,
                progress: Progress | None = None, *, route: Route | None = None,
                upto: int | None = None, part_of: tuple[int, int] = (1, 1)) -> ExportedBundle:
    """Build, sign and encrypt the next bundle (upward, or along ``route``) and record it; the
    file lands in ``outbox``. ``upto`` and ``part_of``: this bundle is part ``part_of[0]`` of
    ``part_of[1]`` and ends at audit seq ``upto`` (``make_bundles``)."""
    if route is None:
        reg.require_role(*EXPORT_ROLES)
    route = route or upward(reg)
    _require_role(reg, route)
    period = check_period(reg, period)
    report = progress or (lambda _done, _total: None)
    up = route.peer
    sign_key = keys.signing_private(reg)
    recover_outbox(reg, outbox)
    report(0, 4)
    changes = _changes(reg, route, upto)
    report(1, 4)
    sender, seq, now = keys.sender_of(reg), _next_seq(reg), reg.now()
    bundle_seq = _bundle_seq(reg, route)
    assert up.box_key is not None
    recipient_fp = crypto.fingerprint(up.box_key)
    sealed = seal(Payload(sender, reg.station_code, bundle_seq, period, changes.tables,
                          chainlines.encode(changes.audit)), up.box_key)
    report(2, 4)
    manifest = Manifest(
        fileformat.FORMAT_VERSION, tuple(applied_migrations(reg)), route.kind, sender,
        reg.station_code, _station_name(reg), up.sender, recipient_fp,
        keys.own_key_file(reg).fingerprint, bundle_seq, period, now, _prev_hash(reg, route),
        changes.counts, changes.records, changes.audit_from, changes.audit_head,
        len(changes.audit), "", 0, _head_seq(reg, changes.audit_head, changes.audit_to_seq),
        *part_of).to_json()
    data = fileformat.pack(manifest, sealed, sign_key)
    name = fileformat.bundle_name(sender if route.addressed_to is None
                                  else f"{sender}-{route.addressed_to}", period, bundle_seq)
    bundle_hash = crypto.sha256_hex(data)
    outbox.mkdir(parents=True, exist_ok=True)
    part = part_path(outbox / name)
    try:
        write_synced(part, data)
        with reg.transaction():
            reg.conn.execute(
                "INSERT INTO sync_exports(seq, sender, period, file_name, bundle_hash, prev_hash,"
                " created_at, created_by, recipient, recipient_fingerprint, audit_to_seq,"
                " audit_from, audit_head, records, audit_entries, counts, size, bundle_seq)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (seq, sender, period, name, bundle_hash, manifest["prev_bundle_hash"], now,
                 reg.actor.username, up.sender, recipient_fp, changes.audit_to_seq,
                 changes.audit_from, changes.audit_head, changes.records, len(changes.audit),
                 json.dumps(changes.counts, ensure_ascii=False), len(data), bundle_seq))
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    os.rename(part, outbox / name)
    report(3, 4)
    return exported_bundle(reg, seq)


def local_bytes(reg: Register, seq: int, outbox: Path) -> bytes:
    """The kept local copy of bundle ``seq``, checked against the ledger."""
    b = exported_bundle(reg, seq)
    try:
        data = (outbox / b.file_name).read_bytes()
    except OSError:
        raise BundleError(_("本机保存的第{seq}号数据包（{name}）找不到了。").format(
            seq=seq, name=b.file_name)) from None
    if crypto.sha256_hex(data) != b.bundle_hash:
        raise BundleError(_("本机保存的第{seq}号数据包已损坏。").format(seq=seq))
    return data


def check_written(reg: Register, path: Path, bundle_hash: str) -> None:
    """Read a written bundle back and check it is whole and carries our valid signature."""
    data = read_back(path)
    if crypto.sha256_hex(data) != bundle_hash:
        raise BundleError(_("写入后读回的数据包与原件不一致：这个U盘可能有问题，请换一个再试。"))
    sealed = fileformat.unpack(data)
    own = keys.own_key_file(reg).sign_key
    assert own is not None
    try:
        crypto.verify(own, sealed.signature, sealed.signed_message)
    except crypto.CryptoError:
        raise BundleError(_("写入后读回的数据包签名不对，请重新导出。")) from None


def copy_to(reg: Register, seq: int, outbox: Path, target_dir: Path) -> Path:
    """Write bundle ``seq`` from the outbox into ``target_dir`` and verify what was written."""
    data = local_bytes(reg, seq, outbox)
    b = exported_bundle(reg, seq)
    remove_stale_parts(target_dir, keys.sender_of(reg))
    path = write_new_file(target_dir / b.file_name, data)
    check_written(reg, path, b.bundle_hash)
    with reg.transaction():
        reg.conn.execute(
            "INSERT INTO sync_export_copies(seq, path, written_at, written_by, verified)"
            " VALUES (?,?,?,?,1)", (seq, str(path), reg.now(), reg.actor.username))
    return path


def export(reg: Register, period: str, target_dir: Path, outbox: Path, *,
           include_unconfirmed: bool = True, progress: Progress | None = None) -> ExportResult:
    """The whole export: new bundle, then copies (read back and verified) on the stick."""
    require_writable_folder(target_dir)
    receipts = apply_receipts(reg, target_dir, outbox)
    *parts, bundle = make_bundles(reg, period, outbox)
    made = {b.seq for b in parts}
    earlier = sorted(made | ({b.seq for b in unconfirmed(reg) if b.seq != bundle.seq}
                             if include_unconfirmed else set()))
    total = 1 + len(earlier)
    report = progress or (lambda _done, _total: None)
    report(0, total)
    written = [copy_to(reg, bundle.seq, outbox, target_dir)]
    report(1, total)
    for i, seq in enumerate(earlier, start=2):
        written.append(copy_to(reg, seq, outbox, target_dir))
        report(i, total)
    return ExportResult(bundle, written, receipts.confirmed, receipts.unverified)
