"""Who has the data folder open.

* ``register.lock``: every open register (window or command line) holds it *shared*; restoring a
  backup and sweeping leftovers of killed operations need it *exclusive*, so a restore can never
  replace the file under an open connection.
* ``desk.lock``: the window holds it exclusive, so a second window on the same folder is refused.

``flock`` locks belong to the open file and end with the process, so a crash or a power cut never
leaves a lock that blocks the next start. Where ``fcntl`` does not exist (Windows) the locks are
not enforced.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

try:
    import fcntl

    FLOCK = True
except ImportError:  # pragma: no cover - Windows
    FLOCK = False

from storage.errors import KnownStorageError

REGISTER_LOCK = "register.lock"
DESK_LOCK = "desk.lock"


class RegisterInUse(KnownStorageError):
    """Another window or command has the data folder open (or is restoring it)."""


class FolderLock:
    """One lock file; ``acquire`` never blocks longer than ``wait`` seconds."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, *, exclusive: bool, wait: float = 0.0) -> bool:
        """Take the lock (or change a held one to this kind); False if others hold it."""
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not FLOCK:  # pragma: no cover - Windows
            return True
        mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self._fd, mode)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(0.05)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file ends its flock
            self._fd = None

    def __enter__(self) -> FolderLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def register_lock(data_dir: Path) -> FolderLock:
    return FolderLock(data_dir / REGISTER_LOCK)


def register_alone(data_dir: Path, in_use: str) -> FolderLock:
    """The folder's register lock, exclusive (restore, compact): held by the caller, who
    releases it. ``in_use``: what :class:`RegisterInUse` says when a window or a command has the
    register open; a folder that cannot be used at all is a plain :class:`KnownStorageError`."""
    from storage.i18n import _

    lock = register_lock(data_dir)
    try:
        alone = lock.acquire(exclusive=True)
    except OSError as exc:
        raise KnownStorageError(_("无法使用数据目录 {path}：{error}").format(
            path=data_dir, error=exc.strerror or exc)) from exc
    if not alone:
        lock.release()
        raise RegisterInUse(in_use)
    return lock


def desk_lock(data_dir: Path) -> FolderLock:
    return FolderLock(data_dir / DESK_LOCK)
