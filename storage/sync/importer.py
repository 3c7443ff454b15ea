"""Import (county, or a township taking liaison bundles): verify every file, then — oldest
first per sender — decrypt, check, merge and record each bundle in ONE transaction. A dry run
does exactly the same inside a transaction that is rolled back, so its figures are the real ones.

A bundle already in the ledger is a no-op; one that is refused leaves nothing behind. A backup
is taken before the first bundle is written (once a day: `backup.once_a_day`). The search
indexes take the new rows without merging their segments and the log is not checkpointed
meanwhile (``storage.upkeep``); the caller runs ``upkeep.catch_up`` afterwards, off the clerk's
way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage import audit, backup, schema, upkeep
from storage.errors import BundleError, Cancelled
from storage.i18n import N_, _
from storage.register import Register
from storage.sync import acknowledge, auditsink, hooks, keys, reader, scope, segments
from storage.sync.collect import ADDRESS_COLUMN
from storage.sync.fileformat import BUNDLE_EXT, meant_for
from storage.sync.manifest import GENESIS_BUNDLE
from storage.sync.merge import MergeContext, TableCounts, foreign_keys_deferred, merge_table
from storage.sync.payload import Payload

#: ``progress(done, total)``; returning False asks to stop (honoured only by a dry run, which
#: changes nothing; a real import, once begun, runs to the end of its transactions).
Progress = Callable[[int, int], bool | None]
STATUS_LABELS = {"ready": N_("可以导入"), "imported": N_("已导入"),
                 "already": N_("以前已导入，未改动"), "refused": N_("已拒收")}


@dataclass
class BundleReport:
    """One file's outcome: 'ready' (dry run), 'imported', 'already' or 'refused'."""

    file_name: str
    status: str = "refused"
    message: str = ""
    sender: str = ""
    station_name: str = ""
    seq: int = 0
    period: str = ""
    created_at: str = ""
    bundle_hash: str = ""
    records: int = 0
    audit_entries: int = 0
    counts: dict[str, TableCounts] = field(default_factory=dict)
    gaps: list[int] = field(default_factory=list)
    audit_waiting: bool = False

    @property
    def totals(self) -> TableCounts:
        total = TableCounts()
        for c in self.counts.values():
            total.add(c)
        return total

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file_name, "status": self.status, "message": self.message,
                "sender": self.sender, "station_name": self.station_name, "seq": self.seq,
                "period": self.period, "created_at": self.created_at,
                "bundle_hash": self.bundle_hash, "records": self.records,
                "audit_entries": self.audit_entries,
                "counts": {t: c.as_dict() for t, c in self.counts.items()},
                "totals": self.totals.as_dict(), "gaps": self.gaps,
                "audit_waiting": self.audit_waiting}


class _Rollback(Exception):
    pass


def import_roles(reg: Register) -> tuple[str, ...]:
    return ("county", "head") if reg.mode == "county" else ("head", "clerk")


def bundle_files(paths: list[Path], reg: Register | None = None) -> list[Path]:
    """Files as given; folders contribute their ``*.pdsync`` files (never ``.part`` leftovers)
    — with ``reg``, not the ones it wrote itself nor the county's to other townships (one
    stick carries bundles both ways)."""
    out: list[Path] = []
    own = (keys.sender_of(reg), reg.station_code) if reg is not None else None
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir() if f.suffix == BUNDLE_EXT and f.is_file()
                              and (own is None or meant_for(f.name, *own))))
        else:
            out.append(p)
    return out


def verify_files(reg: Register, paths: list[Path], progress: Progress | None = None
                 ) -> list[tuple[BundleReport, reader.Verified | None]]:
    """First pass, no key needed: structure, signature, addressee, ledger. Reads only, so a
    False from ``progress(files read, files)`` stops it (:class:`Cancelled`) at any file."""
    out: list[tuple[BundleReport, reader.Verified | None]] = []
    files = bundle_files(paths, reg)
    for index, f in enumerate(files):
        if progress is not None and progress(index, len(files)) is False:
            raise Cancelled
        rep = BundleReport(f.name)
        try:
            v = reader.verify(reg, reader.read_file(f), f.name)
        except BundleError as exc:
            rep.message = exc.user_text()
            out.append((rep, None))
            continue
        m = v.manifest
        rep.sender, rep.station_name, rep.seq, rep.period = m.sender, m.station_name, m.seq, \
            m.period
        rep.created_at, rep.bundle_hash, rep.records, rep.audit_entries = \
            m.created_at, v.bundle_hash, m.records, m.audit_entries
        rep.status = "ready"
        if _ledger(reg, "bundle_hash = ?", (v.bundle_hash,)):
            rep.status, rep.message = "already", _("这个数据包已经导入过，未做任何改动。")
        out.append((rep, v))
    return out


def _ledger(reg: Register, where: str, params: tuple[Any, ...]) -> dict[str, Any] | None:
    rows = reg.rows(f"SELECT * FROM sync_imports WHERE {where}", params)
    return rows[0] if rows else None


def _check_sequence(reg: Register, verified: reader.Verified) -> None:
    m = verified.manifest
    if _ledger(reg, "sender = ? AND seq = ?", (m.sender, m.seq)):
        raise BundleError(_(
            "{name}的第{seq}号数据包已经导入过，但这一份内容不同：该站可能恢复过旧备份。"
            "为防止数据混乱已拒收，请与该站核对。").format(name=m.station_name, seq=m.seq))
    broken = BundleError(_("第{seq}号数据包与{name}已导入的相邻数据包接不上（历史记录不一致），已拒收。"
                           ).format(seq=m.seq, name=m.station_name))
    if m.seq == 1 and (m.prev_bundle_hash != GENESIS_BUNDLE or m.audit_from != audit.GENESIS):
        raise broken
    prev = _ledger(reg, "sender = ? AND seq = ?", (m.sender, m.seq - 1))
    if prev and (prev["bundle_hash"] != m.prev_bundle_hash or prev["audit_head"] != m.audit_from):
        raise broken
    nxt = _ledger(reg, "sender = ? AND seq = ?", (m.sender, m.seq + 1))
    if nxt and (nxt["prev_hash"] != verified.bundle_hash or nxt["audit_from"] != m.audit_head):
        raise broken


def _check_liaison(reg: Register, verified: reader.Verified, payload: Payload) -> None:
    allowed = set(scope.grid_scoped_tables(reg))
    grids = scope.liaison_grids(reg, verified.peer.user_id or "")
    for t in payload.tables:
        if t.name not in allowed:
            raise BundleError(_("联络员数据包中含有联络员不能修改的内容（{name}），已拒收。").format(
                name=t.name))
        if "grid_id" in t.columns:
            gx = t.columns.index("grid_id")
            if any(r[gx] not in grids for r in t.rows):
                raise BundleError(_("联络员数据包中含有不属于{name}所管网格的记录，已拒收。").format(
                    name=verified.peer.name))


def _check_county(reg: Register, payload: Payload) -> None:
    """A county bundle may only hold records addressed to this township."""
    for t in payload.tables:
        if ADDRESS_COLUMN not in t.columns:
            raise BundleError(_("县信访局的数据包中含有乡镇不接收的内容（{name}），已拒收。").format(
                name=t.name))
        at = t.columns.index(ADDRESS_COLUMN)
        if any(r[at] != reg.station_code for r in t.rows):
            raise BundleError(_("县信访局的数据包中含有发给其他乡镇的记录，已拒收。"))


def _apply(reg: Register, rep: BundleReport, verified: reader.Verified, box_key: bytes,
           on_rows: Callable[[int], None]) -> None:
    m = verified.manifest
    if _ledger(reg, "bundle_hash = ?", (verified.bundle_hash,)):
        rep.status, rep.message = "already", _("这个数据包已经导入过，未做任何改动。")
        return
    _check_sequence(reg, verified)
    p = reader.open_payload(reg, verified, box_key)
    if verified.peer.kind == "liaison":
        _check_liaison(reg, verified, p)
    if verified.peer.kind == "county":
        _check_county(reg, p)
    # from here on the bundle is written: the search indexes take it unmerged (storage.upkeep)
    with upkeep.bulk_write(reg.conn):
        _write(reg, rep, verified, p, on_rows)
    if reg.mode == "county":
        acknowledge.confirm_from_chain(reg, m.sender, p.audit)
    rep.status = "imported"


def _write(reg: Register, rep: BundleReport, verified: reader.Verified, p: Payload,
           on_rows: Callable[[int], None]) -> None:
    """Merge the checked bundle's tables, record it in the ledger, the audit log and the
    received chain, and refresh the search indexes of what it touched."""
    m = verified.manifest
    remote = auditsink.is_remote(reg, m.station_code)
    ctx = MergeContext(reg, m.sender, verified.bundle_hash,
                       on_write=(lambda *a: auditsink.record_merge(reg, *a)) if remote else None,
                       on_rows=on_rows)
    order = {t: i for i, t in enumerate(schema.record_tables(reg.conn, synced_only=True))}
    for t in sorted(p.tables, key=lambda t: order[t.name]):
        rep.counts[t.name] = merge_table(ctx, t)
    result = {t: c.as_dict() for t, c in rep.counts.items()}
    reg.conn.execute(
        "INSERT INTO sync_imports(bundle_hash, sender, station_code, seq, period, created_at,"
        " prev_hash, audit_from, audit_head, imported_at, imported_by, file_name, manifest,"
        " result) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (verified.bundle_hash, m.sender, m.station_code, m.seq, m.period, m.created_at,
         m.prev_bundle_hash, m.audit_from, m.audit_head, reg.now(), reg.actor.username,
         verified.file_name, json.dumps(m.to_json(), ensure_ascii=False),
         json.dumps(result, ensure_ascii=False)))
    rep.audit_waiting = not segments.store(reg, m.sender, m.station_code, m.seq, m.audit_from,
                                           m.audit_head, m.audit_entries, p.audit_frame)
    on_rows(m.audit_entries)
    auditsink.record_import(reg, {"sender": m.sender, "seq": m.seq, "period": m.period,
                                  "bundle_hash": verified.bundle_hash,
                                  "totals": rep.totals.as_dict()})
    hooks.after_merge(reg, ctx.touched, ctx.created)


def gaps(reg: Register, sender: str) -> list[int]:
    """Sequence numbers missing below the highest one received from ``sender``."""
    seqs = {r[0] for r in reg.conn.execute("SELECT seq FROM sync_imports WHERE sender = ?",
                                           (sender,))}
    return [s for s in range(1, max(seqs, default=0)) if s not in seqs]


def import_bundles(reg: Register, paths: list[Path], box_key: bytes, *, dry_run: bool = False,
                   data_dir: Path | None = None, progress: Progress | None = None
                   ) -> list[BundleReport]:
    """Import (or, with ``dry_run``, only show) the bundles in ``paths``; see the module doc."""
    reg.require_role(*import_roles(reg))
    checked = verify_files(reg, paths)
    todo = sorted(((r, v) for r, v in checked if v is not None and r.status == "ready"),
                  key=lambda rv: (rv[1].manifest.sender, rv[1].manifest.seq))
    todo = _whole_exports(reg, todo)
    total = sum(v.manifest.records + v.manifest.audit_entries for _r, v in todo)
    done = 0

    def on_rows(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None and progress(min(done, total), total) is False and dry_run:
            raise Cancelled  # inside the dry run's transaction: rolled back, nothing changed

    if todo and not dry_run and data_dir is not None:
        # Once a day: a county imports many bundles a day, each replayable from its file.
        backup.once_a_day(reg.conn, data_dir, reason="before-import")
    with foreign_keys_deferred(reg.conn), upkeep.checkpoints_deferred(reg.conn):
        try:
            with reg.transaction() if dry_run else nullcontext():
                for rep, v in todo:
                    try:
                        with reg.transaction():
                            _apply(reg, rep, v, box_key, on_rows)
                    except BundleError as exc:
                        rep.status, rep.message, rep.counts = "refused", exc.user_text(), {}
                    if dry_run and rep.status == "imported":
                        rep.status = "ready"
                _fill_gaps(reg, [r for r, _v in checked])
                if dry_run:
                    raise _Rollback
        except _Rollback:
            pass
    return [r for r, _v in checked]


def _whole_exports(reg: Register, todo: list[tuple[BundleReport, reader.Verified]]
                   ) -> list[tuple[BundleReport, reader.Verified]]:
    """An export made in parts (``export.make_bundles``) is taken only whole: each part here or
    imported before, in whatever order the files come; with a part missing, none of the parts
    here is imported and each says which part is missing."""
    here = {(v.manifest.sender, v.manifest.seq): v.manifest for _r, v in todo}
    keep = []
    for rep, v in todo:
        m = v.manifest
        first = m.seq - m.part + 1
        missing = [i for i, seq in enumerate(range(first, first + m.parts), start=1)
                   if not ((mm := here.get((m.sender, seq))) is not None
                           and (mm.part, mm.parts) == (i, m.parts))
                   and not _ledger(reg, "sender = ? AND seq = ?", (m.sender, seq))]
        if missing:
            rep.status = "refused"
            rep.message = _("这是同一次导出的{n}个部分之一，缺少第{missing}部分：请把所有部分一起导入。"
                            "这一部分未导入，没有做任何改动。").format(
                n=m.parts, missing="、".join(str(i) for i in missing))
        else:
            keep.append((rep, v))
    return keep


def _fill_gaps(reg: Register, reports: list[BundleReport]) -> None:
    for rep in reports:
        if rep.sender and rep.status != "refused":
            rep.gaps = gaps(reg, rep.sender)
