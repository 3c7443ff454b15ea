"""What every window and page shares: the open register, change notifications, and one way to
run a user action so that refusals are shown in plain words and nothing half-done is kept."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from storage.errors import PetitionDeskError, ValidationError, plain_storage_errors
from storage.i18n import _
from storage.register import Register

log = logging.getLogger(__name__)
T = TypeVar("T")


class AppContext(QObject):
    """Built once in ui/app.py and passed to every page (no global singletons).

    Signals:
        changed(str): a topic changed after a saved action — "matters", "mediations",
            "screenings", "codes", "users", "station", "sync". Pages refresh what they show.
    """

    changed = Signal(str)

    def __init__(self, reg: Register, data_dir: Path | None) -> None:
        super().__init__()
        self.reg = reg
        self.data_dir = data_dir
        #: forms whose unsaved contents can be kept as a draft (``keep_drafts``)
        self.draft_keepers: list[Callable[[], bool | None]] = []

    def keep_drafts(self) -> bool | None:
        """Ask every open form to save its draft now: True if all that had one kept it, None
        if none had anything to keep, False if the disk refused one."""
        results = [keep() for keep in self.draft_keepers]
        kept = [r for r in results if r is not None]
        return None if not kept else all(kept)

    def today(self) -> QDate:
        """Today by the register's clock (tests and the demo move it)."""
        day = self.reg.clock().date()
        return QDate(day.year, day.month, day.day)

    def run(self, parent: QWidget | None, action: Callable[..., T], *args: Any,
            topic: str | None = None, **kwargs: Any) -> T | None:
        """Run one user action (itself one transaction in storage). A refusal is shown as a
        plain message and returns None; the register is unchanged in that case."""
        try:
            with plain_storage_errors():
                result = action(*args, **kwargs)
        except PetitionDeskError as exc:
            show_error(parent, exc)
            return None
        if topic:
            self.changed.emit(topic)
        return result

    def attempt(self, parent: QWidget | None, action: Callable[..., object], *args: Any,
                topic: str | None = None, **kwargs: Any) -> bool:
        """``run`` for an action done for its effect, that returns nothing: True when it was
        done, False when it was refused (the refusal shown, the register unchanged)."""
        return self.run(parent, _done, action, *args, topic=topic, **kwargs) is not None


def _done(action: Callable[..., object], *args: Any, **kwargs: Any) -> bool:
    action(*args, **kwargs)
    return True


def show_error(parent: QWidget | None, exc: PetitionDeskError) -> None:
    title = _("请检查输入") if isinstance(exc, ValidationError) else _("无法完成操作")
    QMessageBox.warning(parent, title, exc.user_text())
