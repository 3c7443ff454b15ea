"""Errors the core raises. Every one carries a plain-language message for the person at the desk.

``KnownStorageError`` covers things the environment did (locked, read-only, full, corrupt);
anything else escaping storage is a bug and goes to the crash handler.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class PetitionDeskError(Exception):
    """Base class: ``str(e)`` is a translated, plain-words message fit to show to the user."""

    def user_text(self) -> str:
        return str(self)


class ValidationError(PetitionDeskError):
    """Input refused; nothing was saved. ``field`` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class TransitionError(PetitionDeskError):
    """A workflow step that is not allowed from the record's current state."""


class PermissionDenied(PetitionDeskError):
    """The signed-in user's role may not do this."""


class NotFound(PetitionDeskError):
    """The record asked for does not exist (or was deleted)."""


class ConcurrentChange(PetitionDeskError):
    """The record changed since it was read (version mismatch); reload and try again."""


class KnownStorageError(PetitionDeskError):
    """The disk or database refused: locked, read-only, full, corrupt, cannot open."""


class NewerDatabaseError(KnownStorageError):
    """The register was written by a newer version of the app."""


class Cancelled(PetitionDeskError):
    """The clerk pressed Cancel while the work could still be stopped; nothing was changed."""

    def __init__(self, message: str | None = None) -> None:
        from storage.i18n import _

        super().__init__(message or _("已取消，没有做任何改动。"))


class BundleError(PetitionDeskError):
    """A sync bundle was refused (damaged, forged, replayed, wrong station…); nothing written."""


# ----- the environment refused: one translator for OSError and SQLite errors ---------------
# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26


def _sqlite_kind(exc: sqlite3.Error) -> str | None:
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc).lower()
    primary = None if code is None else code & 0xFF
    if primary == _SQLITE_FULL or "database or disk is full" in text:
        return "full"
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in text:
        return "locked"
    if primary == _SQLITE_READONLY or "readonly database" in text:
        return "read-only"
    if primary == _SQLITE_PERM:
        return "denied"
    if primary == _SQLITE_IOERR or "disk i/o error" in text:
        return "io"
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text \
            or "not a database" in text:
        return "corrupt"
    if primary == _SQLITE_CANTOPEN or "unable to open database" in text:
        return "cannot-open"
    return None  # anything else (no such table, a constraint…) is a bug, not the disk


def _os_kind(exc: OSError) -> str:
    return {errno.ENOSPC: "full", errno.EDQUOT: "full", errno.EFBIG: "too-big",
            errno.EROFS: "read-only", errno.EACCES: "denied", errno.EPERM: "denied",
            errno.EIO: "io", errno.ENOENT: "missing", errno.ENOTDIR: "not-a-folder",
            errno.EEXIST: "exists", errno.EISDIR: "is-a-folder",
            errno.ENAMETOOLONG: "name-too-long", errno.EBUSY: "locked",
            errno.ENODEV: "missing", errno.ENXIO: "missing"}.get(exc.errno or 0, "other")


def _message(kind: str, where: str, detail: str) -> str:
    from storage.i18n import _

    texts = {
        "full": _("磁盘已满：{where}没有剩余空间。刚才的操作没有完成，也没有留下半截文件。"
                  "请删除不需要的文件（或换一个有空间的位置）后再试。"),
        "too-big": _("文件太大，{where}放不下（U盘的 FAT32 格式单个文件不能超过 4 GB）。"
                     "请换一个位置后再试。"),
        "read-only": _("{where}是只读的，不能写入。请检查U盘的写保护开关或文件夹的权限后再试；"
                       "刚才的操作没有保存。"),
        "denied": _("没有权限读写{where}。请换一个位置，或请管理员给当前用户读写权限；"
                    "刚才的操作没有保存。"),
        "locked": _("登记库正被另一个程序占用（可能在另一个窗口或命令中打开着）。"
                    "请等它完成或关闭它后再试；刚才的操作没有保存。"),
        "io": _("读写{where}时出错（磁盘或U盘可能有故障）。刚才的操作没有保存。"
                "请换一个位置再试，并尽快检查磁盘、做好备份。"),
        "corrupt": _("登记库文件已损坏，无法读写。请用“恢复备份”从最近的备份恢复。"),
        "cannot-open": _("无法打开{where}。请检查路径是否写对、U盘是否插好、是否有读写权限。"),
        "missing": _("找不到{where}。请检查路径是否写对、U盘是否插好。"),
        "not-a-folder": _("{where}不是文件夹（路径中有同名的文件）。请指定一个文件夹。"),
        "exists": _("{where}已经存在，且不是文件夹。请指定一个文件夹。"),
        "is-a-folder": _("{where}是文件夹，不是文件。请指定一个文件。"),
        "name-too-long": _("路径太长：{where}。请换一个短一些的位置。"),
        "other": _("无法读写{where}（{detail}）。刚才的操作没有完成。"),
    }
    return texts[kind].format(where=where, detail=detail)


def _out_of_space(path: object) -> bool:
    """SQLite reports a full disk as an I/O error when it cannot grow its shared-memory file:
    ask the file system how much room is left where ``path`` lives."""
    if path is None:
        return False
    place = Path(str(path))
    while not place.exists() and place != place.parent:
        place = place.parent
    try:
        return shutil.disk_usage(place).free < _NEARLY_FULL
    except OSError:
        return False


_NEARLY_FULL = 64 * 1024


def storage_failure(exc: BaseException, path: object = None) -> KnownStorageError | None:
    """``exc`` (an ``OSError`` or a SQLite error the disk or another program caused) as one
    plain message naming what to do; ``None`` if it is no such failure (a bug stays a bug).
    ``path``: the file or folder concerned, when the caller knows it better than ``exc``."""
    from storage.i18n import _

    if isinstance(exc, KnownStorageError):
        return exc
    if isinstance(exc, OSError):
        kind = _os_kind(exc)
        shown = path if path is not None else exc.filename
        if kind == "io" and _out_of_space(shown):
            kind = "full"
        where = _("“{path}”").format(path=shown) if shown not in (None, "") else _("该位置")
        return KnownStorageError(_message(kind, where, exc.strerror or str(exc)))
    if isinstance(exc, sqlite3.Error) and not isinstance(
            exc, (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)):
        sql_kind = _sqlite_kind(exc)
        if sql_kind is None:
            return None
        if sql_kind == "io" and _out_of_space(path):
            sql_kind = "full"
        where = _("“{path}”").format(path=path) if path is not None \
            else _("数据库文件") if sql_kind == "cannot-open" else _("登记库所在的磁盘")
        return KnownStorageError(_message(sql_kind, where, str(exc)))
    return None


@contextmanager
def plain_storage_errors(path: object = None) -> Iterator[None]:
    """Turn a disk or database failure inside the block into :class:`KnownStorageError`."""
    try:
        yield
    except (OSError, sqlite3.Error) as exc:
        known = storage_failure(exc, path)
        if known is None:
            raise
        raise known from exc
