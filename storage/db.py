"""Opening a register: pragmas, integrity check, backup before migrating, refusing newer files."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from argon2 import PasswordHasher
from sqlite_utils import Database

from storage import backup
from storage.clock import Clock, system_clock
from storage.errors import KnownStorageError, NewerDatabaseError
from storage.i18n import _
from storage.migrations import MIGRATIONS
from storage.register import Register

log = logging.getLogger(__name__)

DB_NAME = "register.sqlite3"


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection with the pragmas every register uses (docs/architecture.md §7)."""
    try:
        conn = sqlite3.connect(str(path), isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise KnownStorageError(
            _("无法打开登记库文件 {path}：{error}").format(path=path, error=exc)) from exc
    return conn


def _known_migrations() -> set[str]:
    return {m.name for m in MIGRATIONS._migrations}


def migrate(conn: sqlite3.Connection, path: Path | None) -> list[str]:
    """Apply pending migrations (after a backup, if the file already holds data)."""
    db = Database(conn)
    applied = {m.name for m in MIGRATIONS.applied(db)}
    unknown = applied - _known_migrations()
    if unknown:
        raise NewerDatabaseError(_(
            "这个登记库是由更新版本的信访工作台创建的，当前版本无法打开。请安装新版本后再打开，"
            "数据没有被改动。"))
    pending = [m.name for m in MIGRATIONS.pending(db)]
    if pending and applied and path is not None:
        backup.make_backup(conn, path.parent, reason="before-migration")
    MIGRATIONS.apply(db)
    return pending


def open_register(data_dir: Path | str | None, *, clock: Clock = system_clock,
                  password_hasher: PasswordHasher | None = None) -> Register:
    """Open (creating if needed) the register in ``data_dir``; ``None`` means in memory (tests).
    ``password_hasher``: how new passwords are hashed (default: production strength)."""
    if data_dir is None:
        conn = connect(":memory:")
        migrate(conn, None)
        return Register(conn, None, clock, password_hasher=password_hasher)
    directory = Path(data_dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KnownStorageError(
            _("无法创建数据目录 {path}：{error}").format(path=directory, error=exc)) from exc
    path = directory / DB_NAME
    conn = connect(path)
    try:
        ok = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise KnownStorageError(_(
            "登记库文件已损坏，无法读取（{error}）。请用“恢复备份”从最近的备份恢复。").format(
                error=exc)) from exc
    if not ok:
        conn.close()
        raise KnownStorageError(_(
            "登记库完整性检查未通过。请用“恢复备份”从最近的备份恢复。"))
    migrate(conn, path)
    return Register(conn, path, clock, password_hasher=password_hasher)
