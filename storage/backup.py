"""Backups: taken before migrations and imports, rotated daily, and restorable after a check."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from storage.errors import KnownStorageError
from storage.i18n import _

log = logging.getLogger(__name__)

BACKUP_DIR = "backups"
KEEP_DAILY = 14
KEEP_EVENT = 20


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    reason: str
    taken_at: datetime
    size: int


def backup_dir(data_dir: Path) -> Path:
    return data_dir / BACKUP_DIR


def make_backup(conn: sqlite3.Connection, data_dir: Path, *, reason: str,
                to_dir: Path | None = None) -> Path:
    """Copy the live database with SQLite's online backup API (consistent even while open)."""
    target_dir = to_dir or backup_dir(data_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = target_dir / f"register-{stamp}-{reason}.sqlite3"
    part = target.with_suffix(".part")
    dest = sqlite3.connect(str(part))
    try:
        conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    part.replace(target)
    if to_dir is None:
        _rotate(target_dir, reason)
    log.info("backup written: %s", target)
    return target


def daily_backup(conn: sqlite3.Connection, data_dir: Path) -> Path | None:
    """Take today's backup unless one exists already."""
    today = datetime.now().strftime("%Y%m%d")
    if any(backup_dir(data_dir).glob(f"register-{today}-*-daily.sqlite3")):
        return None
    return make_backup(conn, data_dir, reason="daily")


def _rotate(directory: Path, reason: str) -> None:
    keep = KEEP_DAILY if reason == "daily" else KEEP_EVENT
    files = sorted(directory.glob(f"register-*-{reason}.sqlite3"))
    for old in files[:-keep]:
        old.unlink(missing_ok=True)


def list_backups(data_dir: Path) -> list[BackupInfo]:
    out = []
    for f in sorted(backup_dir(data_dir).glob("register-*.sqlite3"), reverse=True):
        parts = f.stem.split("-")
        try:
            taken = datetime.strptime(parts[1] + parts[2], "%Y%m%d%H%M%S")
        except (IndexError, ValueError):
            continue
        out.append(BackupInfo(f, "-".join(parts[4:]), taken, f.stat().st_size))
    return out


def check_file(path: Path) -> None:
    """Refuse a file that is not a sound register (before restoring it)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            has_schema = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'audit_log'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise KnownStorageError(_("备份文件无法读取：{error}").format(error=exc)) from exc
    if result != "ok" or not has_schema:
        raise KnownStorageError(_("该文件不是完好的信访工作台登记库备份，未做任何改动。"))


def restore(backup_file: Path, data_dir: Path, db_name: str) -> Path:
    """Replace the register with ``backup_file``; the current file is kept as a backup first.

    The register must be closed. Returns the path where the replaced register was saved.
    """
    check_file(backup_file)
    live = data_dir / db_name
    saved = backup_dir(data_dir) / f"replaced-{datetime.now():%Y%m%d-%H%M%S}.sqlite3"
    saved.parent.mkdir(parents=True, exist_ok=True)
    if live.exists():
        src = sqlite3.connect(str(live))
        try:
            dst = sqlite3.connect(str(saved))
            src.backup(dst)
            dst.close()
        finally:
            src.close()
    part = live.with_suffix(".restore-part")
    shutil.copyfile(backup_file, part)
    for suffix in ("-wal", "-shm"):
        Path(str(live) + suffix).unlink(missing_ok=True)
    part.replace(live)
    return saved
