"""What every screen shares: the colours and style sheets that carry a meaning (an error, a
success, a warning banner, an overdue row), and the small widgets built the same way everywhere.
One definition each, so a refusal looks the same on the registration desk, in a dialog and on
the sync page."""

from __future__ import annotations

import re
from datetime import date
from typing import TypeVar

from PySide6.QtCore import QDate
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QFormLayout, QFrame, QHeaderView, QLabel, QScrollArea, QWidget

# ----- colours and styles -----------------------------------------------------------------------
ERROR_COLOUR = "#b00020"  # refusals, overdue deadlines, the overdue count on the home page
ERROR_STYLE = f"color: {ERROR_COLOUR}; font-weight: bold;"
OK_STYLE = "color: #1b5e20; font-weight: bold;"
NOTE_STYLE = "color: #444;"
OK_BANNER_STYLE = ("background: #e6f4ea; color: #0b5d1e; border: 1px solid #34a853;"
                   " padding: 8px;")
WARN_BANNER_STYLE = ("background: #fff3cd; color: #5c3c00; border: 1px solid #e0b000;"
                     " padding: 8px;")
# Row backgrounds of the case and mediation lists.
OVERDUE_BG = QColor("#f8d7da")
DUE_SOON_BG = QColor("#fff3cd")

WidgetT = TypeVar("WidgetT", bound=QWidget)


# ----- dates ------------------------------------------------------------------------------------
def to_date(day: QDate) -> date:
    """A date picker's day as the ``date`` storage takes (``QDate.toPython()`` is typed
    ``object`` in the stubs)."""
    return date(day.year(), day.month(), day.day())


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


# ----- small widgets ----------------------------------------------------------------------------
def form_row(form: QFormLayout, label: str, widget: WidgetT) -> WidgetT:
    """Add ``widget`` to ``form`` under a caption whose mnemonic (``&N``) focuses it; returns
    the widget, so a form reads ``self.name = form_row(form, _("姓名(&N)"), QLineEdit())``."""
    caption = QLabel(label)
    caption.setBuddy(widget)
    form.addRow(caption, widget)
    return widget


def heading(text: str) -> QLabel:
    """A bold caption a little larger than the text under it."""
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.15)
    font.setBold(True)
    label.setFont(font)
    return label


def scrolled(inner: QWidget) -> QScrollArea:
    """``inner`` in a frameless scroll area: on a small screen it scrolls instead of making the
    window taller than the screen (issue 15); the area follows the keyboard focus."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    return area


def size_columns(header: QHeaderView, *stretch: int) -> None:
    """Every column as wide as its content, except the ``stretch`` ones (the summary, the
    names), which share the rest and are cut short first: on a laptop the status and the
    deadline stay in view (issue 15)."""
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(40)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)


def without_mnemonic(text: str) -> str:
    """"文件(&F)" → "文件", "&File" → "File": a caption that claims no Alt key."""
    return re.sub(r"[(（]&[^&][)）]", "", text).replace("&&", "\0").replace("&", "").replace(
        "\0", "&")
