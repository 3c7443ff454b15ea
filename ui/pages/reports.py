"""月度报表: pick a month (last month by default), see its figures on screen, and preview,
print or save the monthly 矛盾纠纷排查表 and the 信访工作统计月报.

    Alt+M month · Alt+S screening sheet preview · Alt+R statistics report preview
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from printing.documents import monthly_report_data
from printing.monthly_report import summary_rows
from storage.errors import PetitionDeskError
from storage.i18n import N_, _
from ui.context import AppContext, show_error
from ui.county_filter import StationFilter, township_context
from ui.pages.page import Page
from ui.print_preview import PreviewDialog, build, install, show_document


def last_month(today: QDate) -> QDate:
    first = QDate(today.year(), today.month(), 1)
    return first.addMonths(-1)


class ReportsPage(Page):
    """Attributes: ``month`` (the picker), ``table`` (the figures shown), one row of buttons
    per document (``buttons[(kind, action)]``, action = preview / print / save)."""

    TITLE = N_("月度报表")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        install()  # the print menus of the case and mediation views (idempotent)
        self._shown_month = ""
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        caption = QLabel(_("统计月份(&M)："))
        self.month = QDateEdit()
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setCalendarPopup(False)
        self.month.setDate(last_month(ctx.today()))
        self.month.setMaximumDate(QDate(ctx.today().year(), ctx.today().month(), 1))
        caption.setBuddy(self.month)
        self.month.dateChanged.connect(lambda _d: self.refresh())
        top.addWidget(caption)
        top.addWidget(self.month)
        # At the county: the chosen township's sheet and report, read from its records (the
        # county's own area code has no matters: the figures were all zero).
        self.station_filter: StationFilter | None = None
        self.doc_ctx = ctx
        if ctx.reg.read_only:
            self.station_filter = StationFilter(ctx.reg, with_all=False)
            top.addSpacing(12)
            top.addWidget(self.station_filter)
            self.doc_ctx = township_context(ctx, self.station_filter.code())
            self.station_filter.changed.connect(self._station_changed)
            ctx.changed.connect(self._on_changed)
        top.addStretch(1)
        layout.addLayout(top)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        layout.addWidget(self.heading)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("类别"), _("项目"), _("数值")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        layout.addWidget(self.table, 1)
        grid = QGridLayout()
        self.buttons: dict[tuple[str, str], QPushButton] = {}
        docs = (("screening-sheet", _("矛盾纠纷排查表"), "S"),
                ("monthly-report", _("信访工作统计月报"), "R"))
        for row, (kind, label, key) in enumerate(docs):
            grid.addWidget(QLabel(label), row, 0)
            for col, (action, text) in enumerate((("preview", _("预览(&{key})")),
                                                 ("print", _("打印…")),
                                                 ("save", _("另存为PDF…"))), start=1):
                button = QPushButton(text.format(key=key))
                button.setMinimumHeight(34)
                button.clicked.connect(
                    lambda _c=False, chosen=kind, how=action: self.run(chosen, how))
                self.buttons[(kind, action)] = button
                grid.addWidget(button, row, col)
        grid.setColumnStretch(4, 1)
        layout.addLayout(grid)

    # ----- the month ---------------------------------------------------------------------
    def month_key(self) -> str:
        d = self.month.date()
        return f"{d.year():04d}-{d.month():02d}"

    def _station_changed(self, code: str) -> None:
        self.doc_ctx = township_context(self.ctx, code)
        self.refresh()

    def _on_changed(self, topic: str) -> None:
        if topic == "sync" and self.station_filter is not None:
            self.station_filter.fill()  # a township just imported joins the list

    def refresh(self) -> None:
        """Recompute the month's figures (on showing the page and when the month changes)."""
        key = self.month_key()
        no_township = self.station_filter is not None and not self.station_filter.code()
        for button in self.buttons.values():
            button.setEnabled(not no_township)
        if no_township:
            self.table.setRowCount(0)
            self.heading.setText(_("还没有任何乡镇的数据：请先在“数据交换”中导入各乡镇的数据包。"))
            return
        try:
            report = monthly_report_data(self.doc_ctx.reg, key)
        except PetitionDeskError as exc:
            self.table.setRowCount(0)
            self.heading.setText(exc.user_text())
            return
        self._shown_month = key
        self.heading.setText(report.title)
        rows = summary_rows(report)
        self.table.setRowCount(len(rows))
        for r, (section, item, value) in enumerate(rows):
            for c, text in enumerate((section if r == 0 or rows[r - 1][0] != section else "",
                                      item, value)):
                cell = QTableWidgetItem(text)
                if c == 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, cell)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """The figures are counted when the page is first shown, not when the window is built."""
        super().showEvent(event)
        if self._shown_month != self.month_key():
            self.refresh()

    def focus_first(self) -> None:
        self.month.setFocus()

    # ----- documents ---------------------------------------------------------------------
    def run(self, kind: str, action: str) -> PreviewDialog | None:
        """Preview, print (printer dialog) or save the month's ``kind``."""
        month = self.month_key()
        if action == "preview":
            return show_document(self.doc_ctx, kind, month, self)
        document = build(self.doc_ctx, kind, month, self)
        if document is None:
            return None
        dialog = PreviewDialog(self.doc_ctx, document, self)
        try:
            if action == "print":
                dialog.print_document()
            else:
                dialog.save_as()
        except PetitionDeskError as exc:
            show_error(self, exc)
        finally:
            dialog.deleteLater()
        return None
