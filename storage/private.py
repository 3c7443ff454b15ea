"""Private by default (design §7): on a shared office PC the register, its WAL, backups, keys,
bundles and printed PDFs are the clerk's business only — folders 0700, files 0600 on POSIX.

Two layers: :func:`restrict_umask` makes every file the process creates private (SQLite's own
``-wal``/``-shm``/journal files included, which no Python code opens); the helpers below also
set the mode explicitly, so a file or folder made before (or by an older version) is put right."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
_UMASK = 0o077
POSIX = os.name == "posix"


def restrict_umask() -> None:
    """From now on, files and folders this process creates are readable by its user only."""
    if POSIX:
        os.umask(_UMASK)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it 0700; returns it."""
    path.mkdir(parents=True, exist_ok=True)
    if POSIX and stat.S_IMODE(path.stat().st_mode) != PRIVATE_DIR:
        os.chmod(path, PRIVATE_DIR)
    return path


def make_private(path: Path) -> None:
    """0600 for an existing file (no-op elsewhere; a file that vanished is left alone)."""
    if not POSIX:
        return
    try:
        if stat.S_IMODE(path.stat().st_mode) != PRIVATE_FILE:
            os.chmod(path, PRIVATE_FILE)
    except FileNotFoundError:
        pass


def looks_private(directory: Path, register: Path) -> bool:
    """The data folder 0700 and its register 0600: the mark of a folder this version wrote
    (an older version left both open, with everything in them)."""
    if not POSIX:
        return True
    return (stat.S_IMODE(directory.stat().st_mode) == PRIVATE_DIR
            and stat.S_IMODE(register.stat().st_mode) == PRIVATE_FILE)


#: The folders the program makes inside a data folder (backups, outbox, set-aside, logs): only
#: these are walked, so a data folder chosen inside someone's home changes nothing else there.
APP_FOLDERS = ("backups", "outbox", "set-aside", "logs")


def private_tree(directory: Path) -> None:
    """The data folder, the files directly in it and everything in the program's own folders:
    folders 0700, files 0600 (an older version left them 0755/0644)."""
    if not POSIX or not directory.is_dir():
        return
    private_dir(directory)
    for entry in directory.iterdir():
        if entry.is_symlink():
            continue
        if entry.is_file():
            make_private(entry)
        elif entry.is_dir() and entry.name in APP_FOLDERS:
            private_dir(entry)
            for root, dirs, files in os.walk(entry):
                for name in dirs:
                    p = Path(root) / name
                    if not p.is_symlink():
                        private_dir(p)
                for name in files:
                    p = Path(root) / name
                    if not p.is_symlink():
                        make_private(p)


@contextmanager
def open_private(path: Path, *, exclusive: bool = False) -> Iterator[BinaryIO]:
    """Open ``path`` for writing bytes, created 0600 whatever the umask."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    flags |= getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as f:
        make_private(path)  # an existing file keeps its old mode through O_TRUNC
        yield f
