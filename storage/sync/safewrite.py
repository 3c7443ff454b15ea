"""Writing files to removable media so that a pulled stick never leaves a file that looks whole:
write ``<name>.part``, flush and fsync, rename, fsync the folder, then read the file back and
compare. An existing file is never overwritten."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from storage.errors import BundleError
from storage.i18n import _

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


def write_synced(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` and wait until it is on the medium."""
    with open(path, "wb") as f:
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
        write_synced(part, data)
        try:
            _rename(part, path)
        except BaseException:
            part.unlink(missing_ok=True)  # best effort: a pulled stick keeps it, and no
            raise                         # importer ever reads a .part file
        _fsync_dir(directory)
        back = read_back(path)
    except OSError as exc:
        raise BundleError(_("写入 {path} 失败：{error}。U盘可能已拔出、已写满或只读。").format(
            path=path, error=exc.strerror or exc)) from exc
    if hashlib.sha256(back).digest() != hashlib.sha256(data).digest():
        raise BundleError(_("写入后读回的内容与原文件不一致：这个U盘可能有问题，请换一个再试。"))
    return path


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
