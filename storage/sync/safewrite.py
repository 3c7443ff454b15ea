"""Writing files to removable media so that a pulled stick never leaves a file that looks whole:
write ``<name>.part``, flush and fsync, rename, fsync the folder, then read the file back and
compare. An existing file is never overwritten."""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from pathlib import Path

from storage.errors import BundleError, storage_failure
from storage.i18n import _
from storage.private import open_private

PART_SUFFIX = ".part"


def part_path(path: Path) -> Path:
    return path.with_name(path.name + PART_SUFFIX)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not supported on every file system (or OS); the file itself was synced
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _rename(part: Path, final: Path) -> None:
    """The commit point (tests replace this to simulate a stick pulled before it)."""
    os.rename(part, final)


#: The largest bundle read (a township's whole history fits many times over); checked against the
#: file's size before a byte is read, so a huge or sparse file is refused, never allocated.
MAX_BUNDLE_BYTES = 1 << 30
#: Key files and receipts are a few kilobytes; a liaison starter file a few megabytes.
MAX_SMALL_FILE_BYTES = 1 << 20
MAX_STARTER_BYTES = 256 << 20


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, refused in plain words if it is larger than ``limit`` (checked
    before reading; a file that grows meanwhile is caught by reading at most ``limit + 1``).
    ``OSError`` passes through for the caller to word."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > limit:
            raise _too_big(path, size, limit)
        data = f.read(limit + 1)
    if len(data) > limit:
        raise _too_big(path, len(data), limit)
    return data


def _too_big(path: Path, size: int, limit: int) -> BundleError:
    return BundleError(_("{name} 太大（{size} MB，最多 {limit} MB），不是信访工作台写出的文件，"
                         "没有读取。").format(name=path.name, size=size >> 20,
                                         limit=max(1, limit >> 20)))


def read_back(path: Path) -> bytes:
    """Read ``path`` again, asking the kernel to drop its cached pages first so that the bytes
    come from the medium where the OS allows it."""
    with open(path, "rb") as f:
        if hasattr(os, "posix_fadvise"):
            try:
                os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
            except OSError:
                pass
        return f.read()


def require_writable_folder(directory: Path) -> None:
    """Refuse a target folder that cannot take a file (a read-only stick, ``/proc``, no
    permission) *before* anything is numbered or recorded: a probe file is made and removed."""
    if not directory.is_dir():
        raise BundleError(_("找不到目标文件夹 {path}：U盘是否已插好？").format(path=directory))
    try:
        fd, probe = tempfile.mkstemp(prefix=".petitiondesk-probe-", dir=directory)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        known = storage_failure(exc, directory)
        raise known if known is not None else exc from exc


def write_synced(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` and wait until it is on the medium."""
    with open_private(path) as f:  # bundles and key files: 0600
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def write_new_file(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` safely and verify it; refuse to replace a different file.

    If ``path`` already holds exactly ``data`` (a repeated copy) it is left alone.
    """
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if path.exists():
            if hashlib.sha256(read_back(path)).digest() == hashlib.sha256(data).digest():
                return path
            raise BundleError(_("目标位置已有同名但内容不同的文件 {name}，为安全起见没有覆盖它。"
                                ).format(name=path.name))
        part = part_path(path)
        try:
            write_synced(part, data)
            _rename(part, path)
        except BaseException:
            _remove_quietly(part)  # best effort (a full disk or a pulled stick); and no
            raise                  # importer ever reads a .part file
        _fsync_dir(directory)
        back = read_back(path)
    except OSError as exc:
        known = storage_failure(exc, path)
        if known is not None and _os_says_why(exc):
            raise BundleError(known.user_text()) from exc
        raise BundleError(_("写入 {path} 失败：{error}。U盘可能已拔出、已写满或只读。").format(
            path=path, error=exc.strerror or exc)) from exc
    if hashlib.sha256(back).digest() != hashlib.sha256(data).digest():
        raise BundleError(_("写入后读回的内容与原文件不一致：这个U盘可能有问题，请换一个再试。"))
    return path


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _os_says_why(exc: OSError) -> bool:
    """A full, read-only or refused medium is worded plainly; anything else keeps the general
    "pulled out, full or read-only" hint."""
    return exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                         errno.EFBIG)


def remove_stale_parts(directory: Path, prefix: str) -> list[Path]:
    """Delete our own unfinished ``*.part`` files (from a pulled stick or a killed export)."""
    removed = []
    try:
        for p in directory.glob(f"{prefix}*{PART_SUFFIX}"):
            p.unlink(missing_ok=True)
            removed.append(p)
    except OSError:
        pass
    return removed
