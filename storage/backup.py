"""Backups you can trust (docs/architecture.md §7): a consistent copy taken through SQLite's
backup API on a connection of its own, checked with ``quick_check``, compressed with zstd, and
described by a sidecar: the SHA-256 of the stored file and of the database inside it, the records
per table, when it was taken, by which version of the app and schema. ``check`` and ``restore``
verify the sidecar, so a flipped byte anywhere is refused.

Nothing half-written survives: every file is written as ``….part`` and renamed into place after
``fsync``; a failure (a full disk, say) removes the parts, and the leftovers of a killed process
are swept by the next start (:func:`sweep`, under the folder's exclusive lock). Rotation keeps a
week of days, a month of weeks and half a year of months, a few of each event, and all of them
together within ``BUDGET_FACTOR`` times the register's size.

Backups made before this format (plain ``register-….sqlite3``, no sidecar) are still listed,
checked with ``integrity_check`` and restorable.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import zstandard

from storage import anchor
from storage.errors import KnownStorageError
from storage.i18n import _
from storage.regfile import (
    APPLICATION_ID,
    DamagedRegisterError,
    ForeignFileError,
    check_is_register,
    fsync_dir,
    read_header,
    read_only_uri,
)

log = logging.getLogger(__name__)

BACKUP_DIR = "backups"
SUFFIX = ".sqlite3.zst"
LEGACY_SUFFIX = ".sqlite3"
SIDECAR_SUFFIX = ".json"
FORMAT = "petitiondesk-backup"
FORMAT_VERSION = 1
CHUNK = 1 << 20
# How many of each kind rotation keeps (design §7: daily rotation, before migrations, before
# imports). Daily backups thin out with age: one per day, then per week, then per month.
KEEP_DAYS, KEEP_WEEKS, KEEP_MONTHS = 7, 5, 6
KEEP_EVENT = {"before-import": 3, "before-migration": 2, "manual": 5}
KEEP_OTHER = 3
# All backups together stay within this multiple of the register's size (the newest is always
# kept); compressed backups are a fraction of the register, so this rarely bites.
BUDGET_FACTOR = 4
BUDGET_FLOOR = 8 << 20  # a tiny register may still keep its few small backups


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    reason: str
    taken_at: datetime
    size: int
    sidecar: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def legacy(self) -> bool:
        return self.path.name.endswith(LEGACY_SUFFIX)


def backup_dir(data_dir: Path) -> Path:
    return data_dir / BACKUP_DIR


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name[: -len(SUFFIX)] + SIDECAR_SUFFIX)


def disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(exc, sqlite3.Error) and "full" in str(exc)


def _failed(exc: BaseException, what: str) -> KnownStorageError:
    if disk_full(exc):
        return KnownStorageError(_(
            "磁盘空间不足，{what}没有完成，也没有留下不完整的文件。请清理磁盘后再试。").format(what=what))
    return KnownStorageError(_("{what}没有完成，也没有留下不完整的文件：{error}").format(
        what=what, error=getattr(exc, "strerror", None) or exc))


# ----- taking a backup ------------------------------------------------------------------------

def make_backup(source: sqlite3.Connection | Path, data_dir: Path, *, reason: str,
                to_dir: Path | None = None) -> Path:
    """Back the register up; ``source`` is an open connection or the register's path (then the
    copy is read on a connection of its own, so this may run on any thread). Returns the stored
    file; its sidecar lies beside it."""
    target_dir = to_dir or backup_dir(data_dir)
    stamp = datetime.now()
    name = f"register-{stamp:%Y%m%d-%H%M%S-%f}-{reason}{SUFFIX}"
    target = target_dir / name
    raw = target_dir / (name + ".raw.part")
    part = target_dir / (name + ".part")
    side = sidecar_path(target)
    side_part = side.with_name(side.name + ".part")
    parts = (raw, part, side_part)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        _copy_database(source, raw)
        register_size = raw.stat().st_size
        meta = _describe_copy(raw)
        meta.update(_compress(raw, part))
        meta.update(format=FORMAT, format_version=FORMAT_VERSION, file=name, reason=reason,
                    created_at=stamp.isoformat(timespec="seconds"), app_version=app_version())
        _write_sidecar(side_part, meta)
        os.replace(part, target)
        os.replace(side_part, side)
        fsync_dir(target_dir)
    except BaseException as exc:
        for p in parts:
            p.unlink(missing_ok=True)
        if isinstance(exc, OSError | sqlite3.Error):
            if target.exists() and not side.exists():
                target.unlink(missing_ok=True)
            raise _failed(exc, _("备份")) from exc
        raise
    finally:
        raw.unlink(missing_ok=True)
    if to_dir is None:
        rotate(target_dir, register_size)
    log.info("backup written: %s", target)
    return target


def _copy_database(source: sqlite3.Connection | Path, raw: Path) -> None:
    src = sqlite3.connect(str(source)) if isinstance(source, Path) else source
    try:
        dest = sqlite3.connect(str(raw))
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
    finally:
        if isinstance(source, Path):
            src.close()


def _describe_copy(raw: Path) -> dict[str, Any]:
    """Records per table, schema version and ``quick_check`` of the copy (not of the live file:
    the copy is what will be restored)."""
    conn = sqlite3.connect(read_only_uri(raw), uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        migrations = [r[0] for r in conn.execute(
            "SELECT name FROM _sqlite_migrations ORDER BY applied_at, name")] \
            if "_sqlite_migrations" in tables else []
        quick = "; ".join(r[0] for r in conn.execute("PRAGMA quick_check(5)"))
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        head = anchor.head_of_copy(conn)  # the chain head, compared by `check` (tamper)
    finally:
        conn.close()
    return {"counts": counts, "schema_version": len(migrations), "migrations": migrations,
            "quick_check": quick, "application_id": app_id, "audit_head": head}


def _compress(raw: Path, part: Path) -> dict[str, Any]:
    stored, inner = hashlib.sha256(), hashlib.sha256()
    size = inner_size = 0
    cobj = zstandard.ZstdCompressor(level=3, write_checksum=True).compressobj()
    with open(raw, "rb") as src, open(part, "wb") as out:
        while chunk := src.read(CHUNK):
            inner.update(chunk)
            inner_size += len(chunk)
            data = cobj.compress(chunk)
            stored.update(data)
            size += len(data)
            out.write(data)
        data = cobj.flush()
        stored.update(data)
        size += len(data)
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    return {"sha256": stored.hexdigest(), "size": size, "sqlite_sha256": inner.hexdigest(),
            "sqlite_size": inner_size}


def _seal(meta: dict[str, Any]) -> str:
    """The sidecar's own checksum, over everything else in it."""
    body = {k: v for k, v in meta.items() if k != "sidecar_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False)
                          .encode()).hexdigest()


def _write_sidecar(path: Path, meta: dict[str, Any]) -> None:
    meta["sidecar_sha256"] = _seal(meta)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())


def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("petition-desk")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def once_a_day(source: sqlite3.Connection | Path, data_dir: Path, *, reason: str
               ) -> Path | None:
    """Take a backup of this kind unless one was taken today already."""
    today = datetime.now().date()
    if any(b.reason == reason and b.taken_at.date() == today for b in list_backups(data_dir)):
        return None
    return make_backup(source, data_dir, reason=reason)


def daily_backup(source: sqlite3.Connection | Path, data_dir: Path) -> Path | None:
    """Take today's backup unless one exists already."""
    return once_a_day(source, data_dir, reason="daily")


# ----- listing, rotating, sweeping ------------------------------------------------------------

def _parse_name(path: Path) -> tuple[datetime, str] | None:
    name = path.name
    stem = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name[: -len(LEGACY_SUFFIX)]
    parts = stem.split("-")
    try:
        taken = datetime.strptime(parts[1] + parts[2], "%Y%m%d%H%M%S")
    except (IndexError, ValueError):
        return None
    return taken, "-".join(parts[4:])


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """Every finished backup in the data folder's backup directory, newest first."""
    return list_in(backup_dir(data_dir))


def list_in(directory: Path) -> list[BackupInfo]:
    out: list[BackupInfo] = []
    if not directory.is_dir():
        return out
    for f in directory.glob("register-*"):
        if not (f.name.endswith(SUFFIX) or f.name.endswith(LEGACY_SUFFIX)):
            continue
        parsed = _parse_name(f)
        if parsed is None:
            continue
        sidecar = None
        if f.name.endswith(SUFFIX):
            sidecar = _read_sidecar(sidecar_path(f))
            if sidecar is None and not sidecar_path(f).exists():
                continue  # a backup killed between its two renames: swept on the next start
        try:
            size = f.stat().st_size
        except OSError:
            continue
        out.append(BackupInfo(f, parsed[1], parsed[0], size, sidecar))
    out.sort(key=lambda b: b.path.name, reverse=True)
    return out


def _read_sidecar(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def rotate(directory: Path, register_size: int) -> list[Path]:
    """Delete the backups rotation no longer keeps; returns them."""
    backups = list_in(directory)  # newest first
    keep: set[Path] = set()
    daily = [b for b in backups if b.reason == "daily"]
    for key, limit in ((lambda d: d.date(), KEEP_DAYS),
                       (lambda d: d.isocalendar()[:2], KEEP_WEEKS),
                       (lambda d: (d.year, d.month), KEEP_MONTHS)):
        seen: list[object] = []
        for b in daily:
            k = key(b.taken_at)
            if k not in seen and len(seen) < limit:
                seen.append(k)
                keep.add(b.path)
    for reason in {b.reason for b in backups} - {"daily"}:
        same = [b for b in backups if b.reason == reason]
        keep.update(b.path for b in same[:KEEP_EVENT.get(reason, KEEP_OTHER)])
    kept = [b for b in backups if b.path in keep]
    budget = max(BUDGET_FACTOR * register_size, BUDGET_FLOOR)
    total = sum(b.size for b in kept)
    for b in reversed(kept[1:]):  # oldest first, never the newest
        if total <= budget:
            break
        keep.discard(b.path)
        total -= b.size
    dropped = [b.path for b in backups if b.path not in keep]
    for path in dropped:
        _delete(path)
    return dropped


def _delete(path: Path) -> None:
    path.unlink(missing_ok=True)
    if path.name.endswith(SUFFIX):
        sidecar_path(path).unlink(missing_ok=True)


def sweep(directory: Path) -> list[Path]:
    """Remove what killed backups left in ``directory`` (``.part`` files, a stored file without
    its sidecar, a sidecar without its file). Only under the folder's exclusive lock: another
    process may be writing its parts right now otherwise."""
    removed: list[Path] = []
    if not directory.is_dir():
        return removed
    for f in directory.iterdir():
        name = f.name
        orphan = (name.endswith(SUFFIX) and not sidecar_path(f).exists()) or (
            name.startswith("register-") and name.endswith(SIDECAR_SUFFIX)
            and not f.with_name(name[: -len(SIDECAR_SUFFIX)] + SUFFIX).exists())
        # an empty "replaced-…" file is what restores of earlier versions left behind
        empty_replaced = name.startswith("replaced-") and f.stat().st_size == 0
        if name.endswith(".part") or orphan or empty_replaced:
            try:
                f.unlink()
                removed.append(f)
            except OSError as exc:
                log.warning("cannot remove leftover %s: %s", f, exc)
    return removed


# ----- verifying ------------------------------------------------------------------------------

def _sha256_of(path: Path) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def verify_sidecar(path: Path) -> dict[str, Any]:
    """The sidecar of ``path`` if it and the stored file agree byte for byte; else a plain
    refusal. Reads the stored file once (no decompression)."""
    meta = _read_sidecar(sidecar_path(path))
    if meta is None:
        raise KnownStorageError(_("备份 {name} 缺少或无法读取它的校验文件，不能确认它完好。").format(
            name=path.name))
    if meta.get("format") != FORMAT or meta.get("sidecar_sha256") != _seal(meta):
        raise KnownStorageError(_("备份 {name} 的校验文件被改动或损坏了。").format(name=path.name))
    try:
        digest, size = _sha256_of(path)
    except OSError as exc:
        raise KnownStorageError(_("备份文件无法读取：{error}").format(
            error=exc.strerror or exc)) from exc
    if size != meta.get("size") or digest != meta.get("sha256"):
        raise KnownStorageError(_("备份 {name} 已损坏：内容和它的校验值对不上。").format(
            name=path.name))
    return meta


def check_file(path: Path) -> None:
    """Refuse a backup that is not what was written (checksums), or for an old backup without a
    sidecar, one that is not a sound register (``integrity_check``)."""
    if path.name.endswith(SUFFIX):
        verify_sidecar(path)
        return
    _check_database(path, full=True)


def _check_database(path: Path, *, full: bool) -> dict[str, int]:
    """A sound register database: its header, its schema, ``integrity_check`` when ``full``.
    Returns the records per table."""
    try:
        header = read_header(path)
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            check_is_register(conn, path, header)
            if full:
                result = conn.execute("PRAGMA integrity_check").fetchone()[0]
                if result != "ok":
                    raise DamagedRegisterError(result)
            tables = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND sql NOT LIKE 'CREATE VIRTUAL%'")]
            return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            conn.close()
    except (DamagedRegisterError, ForeignFileError, sqlite3.DatabaseError) as exc:
        raise KnownStorageError(_("该文件不是完好的信访工作台登记库备份，未做任何改动。")) from exc


def extract(path: Path, target: Path) -> dict[str, Any]:
    """Write the database inside backup ``path`` to ``target`` (fsynced) after verifying it
    completely; returns what is known of it (the sidecar, or for an old backup its counts).
    On any refusal ``target`` does not exist afterwards."""
    try:
        if path.name.endswith(SUFFIX):
            meta = verify_sidecar(path)
            _decompress(path, target, meta)
        else:
            meta = {}
            _copy_raw(path, target)
        counts = _check_database(target, full=not meta)
        if meta and counts != meta.get("counts"):
            raise KnownStorageError(_("备份 {name} 中的记录数和它的校验文件对不上。").format(
                name=path.name))
        if not meta:
            meta = {"counts": counts}
        return meta
    except BaseException as exc:
        target.unlink(missing_ok=True)
        if isinstance(exc, OSError | sqlite3.Error):
            raise _failed(exc, _("恢复")) from exc
        raise


def _decompress(path: Path, target: Path, meta: dict[str, Any]) -> None:
    inner = hashlib.sha256()
    dobj = zstandard.ZstdDecompressor().decompressobj()
    try:
        with open(path, "rb") as src, open(target, "wb") as out:
            while chunk := src.read(CHUNK):
                data = dobj.decompress(chunk)
                inner.update(data)
                out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except zstandard.ZstdError as exc:
        raise KnownStorageError(_("备份 {name} 无法解压，已损坏。").format(name=path.name)) from exc
    if inner.hexdigest() != meta.get("sqlite_sha256"):
        raise KnownStorageError(_("备份 {name} 已损坏：内容和它的校验值对不上。").format(
            name=path.name))


def _copy_raw(path: Path, target: Path) -> None:
    with open(path, "rb") as src, open(target, "wb") as out:
        while chunk := src.read(CHUNK):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())


def newest_sound(data_dir: Path, accept: Callable[[BackupInfo], bool] | None = None
                 ) -> BackupInfo | None:
    """The newest backup whose sidecar says it was sound when taken (old backups: assumed)."""
    for b in list_backups(data_dir):
        if b.sidecar is not None and b.sidecar.get("quick_check") != "ok":
            continue
        if accept is None or accept(b):
            return b
    return None


__all__ = ["APPLICATION_ID", "BACKUP_DIR", "BackupInfo", "backup_dir", "check_file",
           "daily_backup", "extract", "list_backups", "make_backup", "newest_sound",
           "once_a_day", "rotate", "sweep", "verify_sidecar"]
