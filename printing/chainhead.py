"""The audit chain's head on a printout (docs/architecture.md §7.1): the monthly report's footer
names the entry the log had reached when it was printed and the first digits of its hash, so the
paper in the station's files anchors the log — `check --head SEQ:HASH` compares it later."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate

from printing import fonts
from printing.layout import PageHook
from storage import anchor
from storage.i18n import _
from storage.register import Register

SIZE = 7.5


def head_text(reg: Register) -> str:
    """``审计链头 1234:3fa9c2d1e0b7`` — seq and short hash, as `check --head` takes them."""
    head = anchor.current(reg.conn, reg.station_code)
    return _("审计链头 {seq}:{hash}").format(seq=head.seq, hash=head.short)


def footer(text: str) -> PageHook:
    """A page hook drawing ``text`` small at the bottom left of every page."""
    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        fonts.draw_string(canvas, doc.leftMargin, min(12 * mm, doc.bottomMargin / 2), text,
                          SIZE)
    return draw
