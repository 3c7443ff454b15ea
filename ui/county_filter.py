"""The 乡镇 (station) filter of the county's lists: a label with its Alt key and a combo box of
every township whose records the county holds. Only shown in county mode."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from storage.i18n import _
from storage.register import Register
from storage.sync import county
from ui.context import AppContext


class StationFilter(QWidget):
    """``乡镇(&Z)`` + a combo box: "全部乡镇" (unless ``with_all`` is False) and each township.

    Signals:
        changed(str): the chosen area code ("" for every township).
    """

    changed = Signal(str)

    def __init__(self, reg: Register, *, with_all: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.with_all = with_all
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(8)
        self.label = QLabel(_("乡镇(&Z)"))
        self.label.setBuddy(self.combo)
        row.addWidget(self.label)
        row.addWidget(self.combo)
        self.choices: list[tuple[str, str]] | None = None
        self.fill()
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit(self.code()))

    def fill(self) -> None:
        """(Re)list the townships (after an import brought a new one), keeping the choice."""
        choices = county.station_choices(self.reg)
        if choices == self.choices:
            return
        self.choices = choices
        keep = self.code()
        self.combo.blockSignals(True)
        self.combo.clear()
        if self.with_all:
            self.combo.addItem(_("全部乡镇"), "")
        for code, name in choices:
            self.combo.addItem(name, code)
        index = self.combo.findData(keep)
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)
        self.changed.emit(self.code())  # the list changed: what depends on it is redone

    def code(self) -> str:
        return str(self.combo.currentData() or "")

    def set_code(self, code: str) -> None:
        index = self.combo.findData(code)
        if index >= 0:
            self.combo.setCurrentIndex(index)


def township_context(ctx: AppContext, code: str) -> AppContext:
    """A context whose register is the read-only view of township ``code`` (the county's own
    register while no township is held yet): the station's views and documents, at the county."""
    if not code:
        return ctx
    return AppContext(county.township_view(ctx.reg, code), ctx.data_dir)
