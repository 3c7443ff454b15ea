"""Opening a register: the folder lock, leftovers of killed operations, the file's header and
schema (never a scan), pragmas, backup before migrating, refusing newer files."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from argon2 import PasswordHasher
from sqlite_utils import Database

from storage import backup, datalock, health, private, regfile, restore
from storage.clock import Clock, system_clock
from storage.errors import KnownStorageError, NewerDatabaseError, storage_failure
from storage.i18n import _
from storage.migrations import MIGRATIONS
from storage.regfile import DamagedRegisterError
from storage.register import Register

log = logging.getLogger(__name__)

DB_NAME = "register.sqlite3"


def connect(path: Path | str, *, check: Callable[[sqlite3.Connection], None] | None = None
            ) -> sqlite3.Connection:
    """A connection with the pragmas every register uses (docs/architecture.md §7). ``check``
    looks at the file first, on the same connection but before the pragmas (setting WAL would
    already change a foreign file); the schema is parsed once."""
    try:
        conn = sqlite3.connect(str(path), isolation_level=None)
    except sqlite3.DatabaseError as exc:
        raise KnownStorageError(
            _("无法打开登记库文件 {path}：{error}").format(path=path, error=exc)) from exc
    try:
        if check is not None:
            check(conn)
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise KnownStorageError(
            _("无法打开登记库文件 {path}：{error}").format(path=path, error=exc)) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _known_migrations() -> set[str]:
    return {m.name for m in MIGRATIONS._migrations}


def _applied(conn: sqlite3.Connection) -> set[str]:
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                        "AND name = '_sqlite_migrations'").fetchone():
        return set()
    return {r[0] for r in conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATIONS.name,))}


def migrate(conn: sqlite3.Connection, path: Path | None) -> list[str]:
    """Apply pending migrations (after a backup, if the file already holds data)."""
    db = Database(conn)
    applied = _applied(conn)
    if applied == _known_migrations():
        return []  # the common case, in one query (sqlite-utils would ask several times)
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
                  password_hasher: PasswordHasher | None = None,
                  check_after_crash: bool = True) -> Register:
    """Open (creating if missing) the register in ``data_dir``; ``None`` means in memory (tests).
    ``password_hasher``: how new passwords are hashed (default: production strength).

    Opening takes the time of reading the file's header, whatever its size: the header, the
    application id and the schema version are checked, never the pages (``storage.health`` runs
    ``quick_check`` elsewhere). A missing file is a new register; an empty, cut-short or foreign
    file is refused (``DamagedRegisterError`` / ``ForeignFileError``) and left as it is.
    ``check_after_crash``: after an unclean shutdown, run ``quick_check`` before opening (the
    window passes False and runs it in the background instead)."""
    if data_dir is None:
        conn = connect(":memory:")
        migrate(conn, None)
        return Register(conn, None, clock, password_hasher=password_hasher)
    directory = Path(data_dir)
    try:
        if not directory.exists() or (directory / DB_NAME).exists():
            # 0700: personal data on a shared office PC (an existing folder only when it holds
            # a register: `--data-dir /` must not close the whole disk)
            directory.mkdir(parents=True, exist_ok=True)
            private.private_dir(directory)
        lock = datalock.register_lock(directory)
        alone = lock.acquire(exclusive=True)
    except OSError as exc:
        raise storage_failure(exc, directory) or KnownStorageError(
            _("无法创建数据目录 {path}：{error}").format(path=directory, error=exc)) from exc
    try:
        path = directory / DB_NAME
        crashed = False
        if alone:
            # Nobody else has the folder open: finish what a killed process left.
            restore.finish_interrupted(directory)
            backup.sweep(backup.backup_dir(directory))
            _sweep_new_parts(directory)
            crashed = _left_a_log(path)
            if path.exists() and not private.looks_private(directory, path):
                # files an older version left 0644 become 0600 (walked only then: this
                # version writes every file 0600, and the walk would cost each open as much
                # as reading the register's header)
                private.private_tree(directory)
            lock.acquire(exclusive=False)
        elif not lock.acquire(exclusive=False, wait=30):
            raise datalock.RegisterInUse(_(
                "登记库正被另一个程序独占（可能正在恢复备份），请稍后再打开。"))
        if not path.exists():
            if _left_a_log(path):
                raise DamagedRegisterError(_(
                    "登记库文件 {path} 不见了，只剩下它的日志文件。").format(path=path))
            _create(path)
        header = regfile.read_header(path)
        conn = connect(path, check=lambda c: regfile.check_is_register(c, path, header))
        try:
            if health.marked_failed(directory) or (crashed and check_after_crash):
                _quick_check_or_refuse(path, directory)
            migrate(conn, path)
        except BaseException:
            conn.close()
            raise
        for own in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            private.make_private(own)  # whatever the umask of whoever called us
        reg = Register(conn, path, clock, password_hasher=password_hasher)
    except BaseException:
        lock.release()
        raise
    reg.on_close.append(lock.release)
    return reg


def _left_a_log(path: Path) -> bool:
    """A write-ahead log outlives its last connection only when that process did not close."""
    wal = Path(str(path) + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def _quick_check_or_refuse(path: Path, directory: Path) -> None:
    problem = health.quick_check(path)
    if problem is None:
        health.clear_mark(directory)
        return
    health.mark_failed(directory, problem)
    raise DamagedRegisterError(_("登记库文件 {path} 已损坏（{detail}）。").format(
        path=path, detail=problem))


NEW_PART = ".new-part-"


def _create(path: Path) -> None:
    """A new register is made whole beside its place and then linked in: a power cut while
    making it leaves a part (swept later), never a half-made register that looks like one."""
    part = path.with_name(f"{path.name}{NEW_PART}{os.getpid()}")
    for p in _with_logs(part):
        p.unlink(missing_ok=True)
    conn = connect(part)
    try:
        migrate(conn, None)
    finally:
        conn.close()
    try:
        os.link(part, path)
    except FileExistsError:
        pass  # another process made it meanwhile: theirs is as good
    except OSError:  # a file system without hard links
        if not path.exists():
            os.replace(part, path)
    finally:
        for p in _with_logs(part):
            p.unlink(missing_ok=True)
    regfile.fsync_dir(path.parent)


def _with_logs(path: Path) -> list[Path]:
    return [path, Path(str(path) + "-wal"), Path(str(path) + "-shm"),
            Path(str(path) + "-journal")]


def _sweep_new_parts(directory: Path) -> None:
    """A new register a kill cut short, and the ``.part`` of any file written aside and renamed
    (the audit anchor, say): nothing in the folder is being written while we hold it alone."""
    for p in [*directory.glob(f"{DB_NAME}{NEW_PART}*"), *directory.glob("*.part")]:
        if p.is_file():
            p.unlink(missing_ok=True)
