"""Screening at the county, read only: a summary of every township for a month (grids, reports
received, zero reports, late and missing ones, disputes open and resolved), and — for the
township chosen in the 乡镇 filter — the station's own views (completeness matrix, dispute
ledger, monthly sheet) over a read-only view of that township (``county.township_view``).

Enter (or a double click) on a row of the summary opens that township's completeness matrix."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage import screening
from storage.i18n import N_, _, pgettext
from storage.screening import month_key, parse_month
from storage.sync import county
from ui.context import AppContext
from ui.shortcuts import shortcut

MONTHS = 24

#: Columns of the summary after the township's name.
SUMMARY_COLUMNS = (N_("网格数"), N_("应报"), N_("有纠纷"), N_("零报告"), N_("迟报"), N_("未报"),
                   N_("待报"), N_("纠纷"), N_("新发现"), N_("未了结"), N_("本月化解"), N_("超期"),
                   N_("排查表"))


class SummaryTab(QWidget):
    """Every township in one month, by the rules of its own monthly sheet.

    Signals:
        open_station(str): Enter on a row — show that township's views.
    """

    open_station = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[county.ScreeningSummary] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.month = QComboBox()
        today = screening.today(ctx.reg)
        y, m = today.year, today.month
        for _i in range(MONTHS):
            self.month.addItem(_("{y}年{m}月").format(y=y, m=m), month_key(y, m))
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        self.month.setCurrentIndex(1)  # last month: its bundles have come in by now
        label = QLabel(_("月份(&M)"))
        label.setBuddy(self.month)
        top.addWidget(label)
        top.addWidget(self.month)
        top.addStretch(1)
        layout.addLayout(top)
        self.table = QTableWidget(0, 1 + len(SUMMARY_COLUMNS))
        self.table.setHorizontalHeaderLabels([pgettext("列名", "乡镇")]
                                             + [_(c) for c in SUMMARY_COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        hint = QLabel(_("只读汇总，数字按各乡镇本月排查表的口径计算。Enter 查看选中乡镇的完成情况。"))
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        self.month.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.doubleClicked.connect(lambda _i: self.activate())
        for key in ("Return", "Enter"):
            shortcut(self.table, key, self.activate, context=Qt.ShortcutContext.WidgetShortcut)

    def year_month(self) -> tuple[int, int]:
        return parse_month(str(self.month.currentData()))

    def refresh(self) -> None:
        year, month = self.year_month()
        self.rows = county.screening_summary(self.ctx.reg, year, month)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            values = (r.name, r.grids, r.expected, r.reported, r.zero, r.late, r.missing, r.due,
                      r.disputes, r.new, r.active, r.resolved, r.overdue,
                      _("已出具") if r.locked else _("未出具"))
            for j, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if j == 0:
                    item.setData(Qt.ItemDataRole.UserRole, r.station_code)
                elif isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)
        if self.rows and self.table.currentRow() < 0:
            self.table.selectRow(0)

    def activate(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            self.open_station.emit(self.rows[row].station_code)
