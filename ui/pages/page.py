"""What every page of the main window's sidebar is: a widget with a title known before it is
built, that may hide itself for a mode or role, refreshes when shown and puts the keyboard focus
where the clerk starts. The window talks to its pages only through this."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from storage.i18n import _
from ui.context import AppContext


class Page(QWidget):
    """Base of every sidebar page. A page sets ``TITLE`` (a msgid, wrapped in ``N_``) and
    implements ``refresh`` and ``focus_first``; ``available`` and ``focus_search`` have defaults.

    Signals:
        open_page(str): the page asks the window to show another page (its key, e.g. "cases").
    """

    open_page = Signal(str)

    #: The sidebar's text as a msgid: the window reads it without building the page.
    TITLE: ClassVar[str]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    @classmethod
    def title(cls) -> str:
        return _(cls.TITLE)

    @classmethod
    def available(cls, ctx: AppContext) -> bool:  # noqa: ARG003 - a page may look at the register
        """Whether this register and the signed-in person see the page at all (e.g. no
        registration at the county). Most pages are always there."""
        return True

    def refresh(self) -> None:
        """Show the register as it is now (called whenever the page comes to the front and after
        a change while it is in front)."""
        raise NotImplementedError(f"{type(self).__name__} must say how it refreshes")

    def focus_first(self) -> None:
        """Put the keyboard focus where work on this page starts."""
        raise NotImplementedError(f"{type(self).__name__} must say where the focus goes")

    def focus_search(self) -> bool:
        """Ctrl+F on this page: focus the page's own search and return True; False (the default)
        when it has none, and the window opens the search of the cases instead."""
        return False
