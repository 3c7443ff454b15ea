"""What a register file is, told from its first 100 bytes and one look at its schema: never a
scan of the file (docs/architecture.md §7 "open in constant time").

A file that is empty, cut short or not a database at all is *damaged*; a sound SQLite file that
some other program made is *foreign*. Neither is ever initialised as a new register: the caller
refuses it and offers the backups. Reading the header is a plain ``read`` of the bytes, so a
damaged file is never opened with SQLite here.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path

from storage.errors import KnownStorageError, storage_failure
from storage.i18n import _

# Written into every register's header (PRAGMA application_id) by migration m008: "PDSK".
APPLICATION_ID = 0x5044534B
SQLITE_MAGIC = b"SQLite format 3\x00"
# The migration set of this app (sqlite-utils ``Migrations("petitiondesk")``): registers made
# before m008 have no application id but do have this.
MIGRATION_SET = "petitiondesk"


class DamagedRegisterError(KnownStorageError):
    """The register file cannot be a sound register (empty, cut short, not a database)."""


class ForeignFileError(KnownStorageError):
    """A sound SQLite file that is not a 信访工作台 register."""


@dataclass(frozen=True)
class Header:
    page_size: int
    page_count: int  # 0 when the header's count is not valid (old writers)
    application_id: int


def read_header(path: Path) -> Header:
    """The header of ``path``; :class:`DamagedRegisterError` if it is not a database header or the
    file is shorter than the header says. Reads 100 bytes and the file's size, nothing more."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(100)
    except OSError as exc:
        raise KnownStorageError(_("无法读取登记库文件 {path}：{error}").format(
            path=path, error=exc.strerror or exc)) from exc
    if size == 0:
        raise DamagedRegisterError(_(
            "登记库文件 {path} 是空的（0字节），可能是复制中断或断电造成的。").format(path=path))
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise DamagedRegisterError(_(
            "登记库文件 {path} 已损坏：文件开头不是数据库的格式。").format(path=path))
    raw_page = struct.unpack(">H", head[16:18])[0]
    page_size = 65536 if raw_page == 1 else raw_page
    if page_size < 512 or page_size & (page_size - 1):
        raise DamagedRegisterError(_(
            "登记库文件 {path} 已损坏：文件开头的格式信息不对。").format(path=path))
    change_counter, page_count = struct.unpack(">II", head[24:32])
    valid_for = struct.unpack(">I", head[92:96])[0]
    if change_counter != valid_for:
        page_count = 0  # the count is stale and must not be trusted (SQLite file format §1.3.7)
    application_id = struct.unpack(">I", head[68:72])[0]
    header = Header(page_size, page_count, application_id)
    if not _has_wal(path) and (size % page_size or size < page_count * page_size):
        # With a write-ahead log beside it the main file may legitimately lag behind (a
        # checkpoint cut short); without one it must hold every page its header counts.
        raise DamagedRegisterError(_(
            "登记库文件 {path} 不完整：只有 {size} 字节，文件本身记录的大小是 {expected} 字节，"
            "可能是复制中断或磁盘故障造成的。").format(
                path=path, size=f"{size:,}", expected=f"{page_count * page_size:,}"))
    return header


def _has_wal(path: Path) -> bool:
    wal = Path(str(path) + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def is_register_schema(conn: sqlite3.Connection) -> bool:
    """This app's migrations are recorded in the file (one indexed look-up)."""
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                            "AND name = '_sqlite_migrations'").fetchone():
            return False
        return conn.execute("SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? LIMIT 1",
                            (MIGRATION_SET,)).fetchone() is not None
    except sqlite3.DatabaseError:
        return False


def check_is_register(conn: sqlite3.Connection, path: Path, header: Header) -> None:
    """Refuse a sound database that is not a register: :class:`ForeignFileError`; a file whose
    schema cannot even be read: :class:`DamagedRegisterError`."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:  # the disk (full, I/O, locked), not the file
        known = storage_failure(exc, path)
        if known is None:
            raise
        raise known from exc
    except sqlite3.DatabaseError as exc:
        raise DamagedRegisterError(_("登记库文件 {path} 已损坏，无法读取（{error}）。").format(
            path=path, error=exc)) from exc
    if header.application_id == APPLICATION_ID:
        return
    if header.application_id == 0 and is_register_schema(conn):
        return  # made before the application id was written (m008)
    raise ForeignFileError(_(
        "{path} 不是信访工作台的登记库，而是别的程序的数据库文件。为了不损坏它，程序没有打开也"
        "没有改动它。请检查数据目录是否选对。").format(path=path))


def read_only_uri(path: Path | str) -> str:
    """The URI that opens ``path`` read-only (``sqlite3.connect(…, uri=True)``): escaped, so that
    a "#", "?" or "%" in a folder's name is part of the path, not of the URI."""
    return Path(path).absolute().as_uri() + "?mode=ro"


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (POSIX; a no-op where directories cannot be
    opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
