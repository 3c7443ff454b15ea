"""A progress window for long work done on the GUI thread (issue 15): importing bundles, the
ledger preview and import, a big print. The register's SQLite connection belongs to the GUI
thread (storage/db.py opens it with the default ``check_same_thread``), so work that reads or
writes the register stays here and keeps the window alive by letting Qt paint at each step
(storage calls ``progress(done, total)``); work that owns its own connection (backups, quick
check) runs on a thread of its own instead (ui/background.py).

Cancel is offered only where stopping changes nothing (a dry run, a preview, a print being sent);
where the work commits (an import) the window has no Cancel and cannot be closed."""

from __future__ import annotations

import time
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from storage.i18n import _


class ProgressWindow:
    """``with ProgressWindow(parent, text, cancellable=…) as progress: work(progress=progress)``.

    ``progress(done, total)`` moves the bar (a busy bar while ``total`` is 0), lets the window
    repaint and answers False once the clerk pressed 取消."""

    def __init__(self, parent: QWidget | None, text: str, *, cancellable: bool,
                 show_after: float = 0.0) -> None:
        """``show_after`` (seconds): quick work (a one-page receipt) ends before the window
        would flash up; until it shows, nothing else runs (no events are let through)."""
        self.cancellable = cancellable
        self.show_after = show_after
        self._started = 0.0
        self._cancelled = self._open = self._shown = False
        self._focus: QWidget | None = None
        dialog = self.dialog = QProgressDialog(text, _("取消"), 0, 0, parent)
        dialog.setWindowTitle(_("请稍候"))
        # application-modal: while the window lets Qt paint, no other action can start
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(360)
        # Qt hides the window on Cancel and counts closing it as one: remember only a Cancel
        # pressed while the work ran
        dialog.canceled.connect(self._on_cancel)
        dialog.rejected.connect(self._on_cancel)  # Esc
        if not cancellable:
            # no Cancel button, no close box; Esc hides it, and the next step shows it again
            dialog.setCancelButton(None)
            dialog.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)

    def _on_cancel(self) -> None:
        if self._open and self.cancellable:
            self._cancelled = True

    def __enter__(self) -> ProgressWindow:
        self._open = True
        self._focus = QApplication.focusWidget()  # given back when the window closes
        self._started = time.monotonic()
        if self.show_after <= 0:
            self._show()
        return self

    def _show(self) -> None:
        self._shown = True
        self.dialog.show()
        QApplication.processEvents()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._open = False
        self.dialog.close()
        self.dialog.deleteLater()
        if not self._shown:
            return
        QApplication.processEvents()  # the window it blocked is unblocked before it is activated
        focus = self._focus
        if focus is not None and focus.isVisible():
            focus.window().activateWindow()
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
            QApplication.processEvents()  # the clerk's next key goes where it went before

    def __call__(self, done: int, total: int) -> bool:
        if self._cancelled:
            return False
        if not self.dialog.isVisible():
            if time.monotonic() - self._started < self.show_after:
                return True
            self._show()
        if total > 0:
            if self.dialog.maximum() != total:
                self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        QApplication.processEvents()
        return not self._cancelled

    def cancelled(self) -> bool:
        """Whether the clerk pressed 取消 (still known after the window closed)."""
        return self._cancelled
