"""Work that grows with the register, off the GUI thread: the daily backup, the manual backup and
``quick_check`` each run on a thread of their own with a connection of their own, and report
back through a queued signal. The threads are not daemons: closing the window lets a backup
finish instead of cutting it (a cut one would leave only ``.part`` files, swept at next start)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


_running: set[Job] = set()
_running_lock = threading.Lock()


class Job(QObject):
    """``fn`` on a thread; ``done(result, error)`` arrives on the GUI thread."""

    done = Signal(object, object)

    @staticmethod
    def running() -> list[Job]:
        """The jobs started and not finished, of every window (before the register's file is
        replaced, none may still be reading it: storage/compact.py)."""
        with _running_lock:
            return list(_running)

    def __init__(self, name: str, fn: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._fn = fn
        self.worker: threading.Thread | None = None
        #: set when the window closes: work that may stop early (merging the search indexes)
        #: looks at it between steps; a backup does not, it finishes
        self.stopping = threading.Event()

    def start(self) -> Job:
        self.worker = threading.Thread(target=self._run, name=self.name, daemon=False)
        with _running_lock:
            _running.add(self)
        self.worker.start()
        return self

    def _run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # reported on the GUI thread, in plain words there
            log.warning("%s failed: %s", self.name, exc, exc_info=True)
            self._finished()
            self._emit(None, exc)
            return
        self._finished()
        self._emit(result, None)

    def _finished(self) -> None:
        with _running_lock:
            _running.discard(self)

    def _emit(self, result: object, error: BaseException | None) -> None:
        try:
            self.done.emit(result, error)
        except RuntimeError:  # the window that asked was closed meanwhile: nobody to tell
            log.debug("%s finished after its window closed", self.name)

    def wait(self, timeout: float | None = None) -> None:
        if self.worker is not None:
            self.worker.join(timeout)
