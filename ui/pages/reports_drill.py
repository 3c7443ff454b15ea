"""What is behind a figure: activating a figure on the 统计报表 page lists its matters — the
case page's own list (``CaseTableModel``), Enter opens a matter, and the list goes to Excel —
or its mediation cases, or (排查上报完整率) the grid screening reports: missing, late, zero
and reported."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage import statistics
from storage.errors import PetitionDeskError
from storage.i18n import _
from ui.context import AppContext, show_error
from ui.pages.cases import CaseTableModel
from ui.widgets import ERROR_COLOUR


def unique(ids: list[str]) -> list[str]:
    """In order, once each (a matter with two repeat visits is one row)."""
    return list(dict.fromkeys(ids))


def matter_ids(ctx: AppContext, records: str, ids: list[str]) -> list[str]:
    """The matters behind the ids of a figure: 积案 are matters listed as backlog."""
    if records == statistics.BACKLOG and ids:
        marks = ",".join("?" * len(ids))
        return [r["matter_id"] for r in ctx.reg.rows(
            f"SELECT matter_id FROM backlog_cases WHERE id IN ({marks})", ids)]
    return ids


def _screening_summary(title: str, lines: Sequence[statistics.ReportLine]) -> str:
    def n(state: str) -> int:
        return sum(1 for x in lines if x.state == state)

    return _("{title}：应报 {due} 份，已报 {reported}，零报告 {zero}，迟报 {late}，"
             "未报 {missing}").format(
        title=title, due=len(lines) - n("due"), reported=n("reported"), zero=n("zero"),
        late=sum(1 for x in lines if x.late), missing=n("missing"))


def _screening_table(lines: Sequence[statistics.ReportLine]) -> QTableWidget:
    """Missing reports first (red), then late ones; the station column only at the county."""
    county = any(x.station for x in lines)
    columns = ([_("乡镇")] if county else []) + [_("月份"), _("网格"), _("排查期"), _("上报情况"),
                                                 _("报告人"), _("上报时间")]
    table = QTableWidget(len(lines), len(columns))
    table.setHorizontalHeaderLabels(columns)
    for r, x in enumerate(lines):
        when = x.reported_at[:16].replace("T", " ")
        cells = [x.station] * county + [x.month, x.grid, x.period, x.state_label, x.reporter, when]
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if x.state == "missing" or x.late:
                item.setForeground(QColor(ERROR_COLOUR))
            table.setItem(r, c, item)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class DrillDialog(QDialog):
    """Attributes: ``summary`` (the count above), ``table`` (the list), ``ids`` (its records in order), ``export`` (Excel)."""

    def __init__(self, ctx: AppContext, title: str, records: str, ids: list[str],
                 parent: QWidget | None = None, *,
                 lines: Sequence[statistics.ReportLine] = ()) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.records = records
        self.setWindowTitle(title)
        self.resize(1100, 560)
        layout = QVBoxLayout(self)
        self.ids = unique(matter_ids(ctx, records, ids))
        self.table: QTableView | QTableWidget
        if records == statistics.SCREENING:
            self.summary = QLabel(_screening_summary(title, lines))
        else:
            self.summary = QLabel(_("{title}：共 {n} 件").format(title=title, n=len(self.ids)))
        layout.addWidget(self.summary)
        if records == statistics.SCREENING:
            self.table = _screening_table(lines)
        elif records == statistics.MEDIATIONS:
            self.table = self._mediation_table()
        else:
            self.model = CaseTableModel(ctx.reg)
            self.model.set_ids(self.ids)
            view = QTableView()
            view.setModel(self.model)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.verticalHeader().setVisible(False)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            view.activated.connect(lambda _i: self.open_current())
            self.table = view
            if self.ids:
                view.selectRow(0)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.export = QPushButton(_("导出Excel(&E)…"))
        self.export.clicked.connect(self.save_xlsx)
        self.export.setEnabled(records not in (statistics.MEDIATIONS, statistics.SCREENING)
                                and bool(self.ids))
        close = QPushButton(_("关闭"))
        close.clicked.connect(self.accept)
        buttons.addStretch(1)
        buttons.addWidget(self.export)
        buttons.addWidget(close)
        layout.addLayout(buttons)

    def _mediation_table(self) -> QTableWidget:
        marks = ",".join("?" * len(self.ids)) or "''"
        rows = self.ctx.reg.rows(
            f"SELECT number, title, accepted_on, outcome_on, status FROM mediations"
            f" WHERE id IN ({marks}) ORDER BY accepted_on", self.ids)
        table = QTableWidget(len(rows), 5)
        table.setHorizontalHeaderLabels([_("编号"), _("纠纷名称"), _("受理日期"), _("结果日期"),
                                         _("状态")])
        for r, row in enumerate(rows):
            for c, key in enumerate(("number", "title", "accepted_on", "outcome_on", "status")):
                table.setItem(r, c, QTableWidgetItem(str(row[key] or "")))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return table

    def open_current(self) -> None:
        if not isinstance(self.table, QTableView) or isinstance(self.table, QTableWidget):
            return
        index = self.table.currentIndex()
        if not index.isValid():
            return
        from ui.case_detail import CaseDetailDialog

        CaseDetailDialog(self.ctx, self.model.data(index, Qt.ItemDataRole.UserRole), self).exec()

    def save_xlsx(self) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(self, _("导出Excel"),
                                                    f"{self.windowTitle()}.xlsx", "Excel (*.xlsx)")
        if not name:
            return None
        from printing import spreadsheet, statistics_xlsx

        try:
            return spreadsheet.write_workbook(Path(name), [statistics_xlsx.case_list_sheet(
                self.ctx.reg, self.ids, self.windowTitle())])
        except OSError as exc:
            show_error(self, PetitionDeskError(_("无法保存 {path}：{reason}").format(
                path=name, reason=exc.strerror or exc)))
            return None
