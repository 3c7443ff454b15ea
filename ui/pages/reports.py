"""统计报表: pick a period — a month (last month by default), a quarter, a year or any date range —
and see every figure with its 同比 and 环比 (each formula in a tooltip), the charts, at the county
the townships' assessment with ranks and missing bundles, and the month's documents (preview,
print or save the 矛盾纠纷排查表 and the 信访工作统计月报). Activating a figure lists the matters
behind it; 导出Excel writes every table.

    Alt+P period kind · Alt+M date · Alt+E Excel · Alt+S / Alt+R document previews
The page scrolls; the period row and the document buttons stay in view (1366×768).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from printing.documents import monthly_report_data
from printing.monthly_report import MonthlyReport, summary_rows
from storage import station, statistics
from storage.db import connect
from storage.errors import PetitionDeskError
from storage.i18n import N_, _
from storage.register import Register
from storage.sync import county
from ui.background import Job
from ui.context import AppContext, show_error
from ui.county_filter import StationFilter, township_context
from ui.pages import reports_charts as charts
from ui.pages.page import Page
from ui.pages.reports_drill import DrillDialog
from ui.print_preview import PreviewDialog, build, install, show_document

KINDS = ((statistics.MONTH, N_("月")), (statistics.QUARTER, N_("季度")),
         (statistics.YEAR, N_("年")), (statistics.RANGE, N_("日期范围")))
FORMATS = {statistics.MONTH: "yyyy-MM", statistics.QUARTER: "yyyy-MM",
           statistics.YEAR: "yyyy", statistics.RANGE: "yyyy-MM-dd"}


def last_month(today: QDate) -> QDate:
    first = QDate(today.year(), today.month(), 1)
    return first.addMonths(-1)


def _pydate(d: QDate):  # type: ignore[no-untyped-def]
    from datetime import date

    return date(d.year(), d.month(), d.day())


def _item(text: str, tip: str = "", *, right: bool = False) -> QTableWidgetItem:
    cell = QTableWidgetItem(text)
    if tip:
        cell.setToolTip(tip)
    if right:
        cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return cell


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    return table


def value_text(value: int | statistics.Rate) -> str:
    return value.text() if isinstance(value, statistics.Rate) else str(value)


@dataclass
class Counted:
    """The figures of one choice of period and townships, counted (maybe on a thread)."""

    generation: int
    period: statistics.Period
    stations: list[str]
    report: statistics.Report
    assessment: statistics.Assessment | None
    month: MonthlyReport | None = None  # the month's report (a month, one station)
    month_error: str = ""  # why there is none, in plain words


class ReportsPage(Page):
    """Attributes: ``kind`` and ``month`` (the period: its kind and a day in it; ``until`` ends a
    date range), ``figures`` (figure, this period, 同比, 环比; ``figure_keys`` per row),
    ``ranking`` and ``missing`` (the county's assessment), ``chart_views``, ``table`` and
    ``heading`` (the month's report), ``buttons[(kind, action)]`` (documents), ``export``."""

    TITLE = N_("统计报表")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        install()  # the print menus of the case and mediation views (idempotent)
        self._shown = ""
        self.report: statistics.Report | None = None
        self.generation = 0  # of the latest choice: an older count's figures are dropped
        self.counting: Job | None = None  # the thread counting the figures, while it runs
        self.counting_label = QLabel("")
        self.counting_label.setStyleSheet("color: #8a5a00;")
        self.assessment: statistics.Assessment | None = None
        self.figure_keys: list[tuple[str, str, list[str]]] = []  # (title, records, ids)
        self.chart_views: list[QWidget] = []
        outer = QVBoxLayout(self)
        outer.addLayout(self._period_row(ctx))
        self.period_label = QLabel()
        self.period_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        heading = QHBoxLayout()
        heading.addWidget(self.period_label)
        heading.addWidget(self.counting_label)
        heading.addStretch(1)
        outer.addLayout(heading)
        self.tabs = QTabWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.tabs)
        outer.addWidget(scroll, 1)
        self._build_figures_tab()
        self._build_charts_tab()
        self._build_ranking_tab()
        self._build_month_tab()
        outer.addLayout(self._document_buttons())

    # ----- building ----------------------------------------------------------------------
    def _period_row(self, ctx: AppContext) -> QHBoxLayout:
        top = QHBoxLayout()
        self.kind = QComboBox()
        for key, label in KINDS:
            self.kind.addItem(_(label), key)
        kind_label = QLabel(_("统计期间(&P)："))
        kind_label.setBuddy(self.kind)
        self.month = QDateEdit()
        self.month.setCalendarPopup(False)
        self.month.setDisplayFormat(FORMATS[statistics.MONTH])
        self.month.setDate(last_month(ctx.today()))
        self.month.setMaximumDate(ctx.today())
        date_label = QLabel(_("日期(&M)："))
        date_label.setBuddy(self.month)
        self.until = QDateEdit()
        self.until.setDisplayFormat(FORMATS[statistics.RANGE])
        self.until.setDate(ctx.today())
        self.until.setMaximumDate(ctx.today())
        self.until_label = QLabel(_("至"))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.month.dateChanged.connect(lambda _d: self.refresh())
        self.until.dateChanged.connect(lambda _d: self.refresh())
        for w in (kind_label, self.kind, date_label, self.month, self.until_label, self.until):
            top.addWidget(w)
        self.until.hide()
        self.until_label.hide()
        # At the county: 全部乡镇 (the county total and the assessment) or one township.
        self.station_filter: StationFilter | None = None
        self.doc_ctx = ctx
        if ctx.reg.mode == "county":
            self.station_filter = StationFilter(ctx.reg, with_all=True)
            top.addSpacing(12)
            top.addWidget(self.station_filter)
            self.station_filter.changed.connect(self._station_changed)
            ctx.changed.connect(self._on_changed)
        top.addStretch(1)
        self.export = QPushButton(_("导出Excel(&E)…"))
        self.export.clicked.connect(lambda: self.save_xlsx())
        top.addWidget(self.export)
        return top

    def _build_figures_tab(self) -> None:
        tab = QWidget()
        box = QVBoxLayout(tab)
        self.figures = _table([_("指标"), _("本期"), _("同比（上年同期）"), _("环比（上期）")])
        header = self.figures.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.figures.setMinimumHeight(330)
        self.figures.activated.connect(lambda index: self.drill(index.row()))
        self.figures.cellDoubleClicked.connect(lambda row, _c: self.drill(row))
        box.addWidget(self.figures, 1)
        self.note = QLabel()
        self.note.setWordWrap(True)
        box.addWidget(self.note)
        self.tabs.addTab(tab, _("主要指标"))

    def _build_charts_tab(self) -> None:
        tab = QWidget()
        self.chart_grid = QGridLayout(tab)
        self.tabs.addTab(tab, _("图表"))

    def _build_ranking_tab(self) -> None:
        tab = QWidget()
        box = QVBoxLayout(tab)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet("color: #a33;")
        box.addWidget(self.missing)
        columns = [_("乡镇")]
        for key in statistics.ASSESSED:
            columns.append(statistics.indicator_label(key))
        self.ranking = _table(columns)
        self.ranking.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.ranking.setMinimumHeight(240)
        box.addWidget(self.ranking, 1)
        hint = QLabel(_("每格：数值〔名次〕。信访总量、同比、初件、重件、集体访、越级访少者在前，"
                        "各比率高者在前；“—”不参加排名。"))
        hint.setWordWrap(True)
        box.addWidget(hint)
        self.ranking_tab = self.tabs.addTab(tab, _("乡镇考核"))

    def _build_month_tab(self) -> None:
        tab = QWidget()
        box = QVBoxLayout(tab)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        box.addWidget(self.heading)
        self.table = _table([_("类别"), _("项目"), _("数值")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.setMinimumHeight(330)
        box.addWidget(self.table, 1)
        self.tabs.addTab(tab, _("月报"))

    def _document_buttons(self) -> QGridLayout:
        grid = QGridLayout()
        self.buttons: dict[tuple[str, str], QPushButton] = {}
        docs = (("screening-sheet", _("矛盾纠纷排查表"), "S"),
                ("monthly-report", _("信访工作统计月报"), "R"))
        for col_base, (kind, label, key) in enumerate(docs):
            grid.addWidget(QLabel(label), 0, col_base * 4)
            for col, (action, text) in enumerate((("preview", _("预览(&{key})")),
                                                 ("print", _("打印…")),
                                                 ("save", _("另存为PDF…"))), start=1):
                button = QPushButton(text.format(key=key))
                button.setMinimumHeight(30)
                button.clicked.connect(
                    lambda _c=False, chosen=kind, how=action: self.run(chosen, how))
                self.buttons[(kind, action)] = button
                grid.addWidget(button, 0, col_base * 4 + col)
        grid.setColumnStretch(8, 1)
        return grid

    # ----- the period --------------------------------------------------------------------
    def period(self) -> statistics.Period:
        kind = str(self.kind.currentData())
        day = _pydate(self.month.date())
        if kind == statistics.MONTH:
            return statistics.month(day.year, day.month)
        if kind == statistics.QUARTER:
            return statistics.quarter(day.year, (day.month - 1) // 3 + 1)
        if kind == statistics.YEAR:
            return statistics.year(day.year)
        return statistics.span(day, max(day, _pydate(self.until.date())))

    def month_key(self) -> str:
        d = self.month.date()
        return f"{d.year():04d}-{d.month():02d}"

    def _kind_changed(self) -> None:
        kind = str(self.kind.currentData())
        self.month.setDisplayFormat(FORMATS[kind])
        self.until.setVisible(kind == statistics.RANGE)
        self.until_label.setVisible(kind == statistics.RANGE)
        self.refresh()

    def stations(self) -> list[str]:
        reg = self.ctx.reg
        if self.station_filter is None:
            return [reg.station_code]
        code = self.station_filter.code()
        return [code] if code else [c for c, _n in county.station_choices(reg)]

    def _station_changed(self, code: str) -> None:
        self.doc_ctx = township_context(self.ctx, code)
        self.refresh()

    def _on_changed(self, topic: str) -> None:
        if topic == "sync" and self.station_filter is not None:
            self.station_filter.fill()  # a township just imported joins the list

    # ----- showing -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute the period's figures (on showing the page and when the choice changes)."""
        period = self.period()
        stations = self.stations()
        self._shown = f"{period.key}|{','.join(stations)}"
        self.period_label.setText(period.label() if period.kind == statistics.RANGE else _(
            "{label}（{a}至{b}）").format(label=period.label(), a=period.first.isoformat(),
                                         b=period.last.isoformat()))
        if not stations:
            self.period_label.setText(_("还没有任何乡镇的数据：请先在“数据交换”中导入各乡镇的数据包。"))
            self.figures.setRowCount(0)
            self.table.setRowCount(0)
            for button in self.buttons.values():
                button.setEnabled(False)
            return
        reg = self.ctx.reg
        code = self.station_filter.code() if self.station_filter is not None else ""
        whole_county = self.station_filter is not None and not code
        self.generation += 1
        if reg.path is None:  # a register in memory (tests): counted at once
            self._counted(self._count(reg, period, stations, code, whole_county,
                                      self.generation), None)
            return
        # A county's year at a million matters takes seconds: counted on a thread with a
        # connection of its own, the window usable meanwhile; the latest choice's figures win.
        generation, path, clock = self.generation, Path(reg.path), reg.clock

        def count() -> Counted:
            conn = connect(path)
            try:
                return self._count(Register(conn, path, clock), period, stations, code,
                                   whole_county, generation)
            finally:
                conn.close()

        for button in self.buttons.values():
            button.setEnabled(False)  # until the figures they print are in
        self.counting_label.setText(_("正在统计，请稍候…"))
        job = Job("reports-figures", count, self)
        job.done.connect(self._counted)  # a method of this page: delivered on the GUI thread
        self.counting = job.start()

    @staticmethod
    def _count(reg: Register, period: statistics.Period, stations: list[str], code: str,
               whole_county: bool, generation: int) -> Counted:
        """Everything the page shows of the choice, read through ``reg`` (the page's own
        register, or a connection of the counting thread's: nothing here touches a widget);
        ``code``: the township chosen at the county, else ""."""
        report = statistics.report(reg, period, stations)
        counted = Counted(generation, period, stations, report,
                          statistics.assess(reg, period) if whole_county else None)
        if period.kind == statistics.MONTH and not whole_county:
            try:  # the month's report, through the township's view at the county
                counted.month = monthly_report_data(
                    county.township_view(reg, code) if code else reg, period.key)
            except PetitionDeskError as exc:
                counted.month_error = exc.user_text()
        return counted

    def _counted(self, counted: Counted | None, error: BaseException | None) -> None:
        if counted is not None and counted.generation != self.generation:
            return  # a later choice is being counted
        self.counting = None
        self.counting_label.setText("")
        if error is not None or counted is None:
            self.period_label.setText(error.user_text() if isinstance(error, PetitionDeskError)
                                      else _("统计没有完成：{error}").format(error=error))
            return
        self.report, self.assessment = counted.report, counted.assessment
        self._show_figures(counted.report)
        self._show_charts(counted.report, counted.stations)
        self._show_ranking(counted.assessment)
        self._show_month(counted)

    def _show_figures(self, report: statistics.Report) -> None:
        rows: list[tuple[str, str, str, str, str, str, list[str]]] = []
        cur = report.current
        for key in statistics.MAIN:
            d = statistics.definition(key)
            value = cur.value(key)
            tip = d.formula_text if not d.is_rate else _("{formula}\n分子/分母：{n}/{m}").format(
                formula=d.formula_text, n=value.numerator, m=value.denominator) \
                if isinstance(value, statistics.Rate) else d.formula_text
            unit = "" if d.is_rate else _(d.unit)
            rows.append((d.name, f"{value_text(value)}{unit}", report.yoy(key).text(
                is_rate=d.is_rate), report.mom(key).text(is_rate=d.is_rate), tip, d.records,
                cur.members.get(key, [])))
        for prefix, label, counts in (("form", _("信访形式"), cur.by_form),
                                      ("category", _("内容分类"), cur.by_category)):
            for name, n in counts.items():
                rows.append((f"{label}：{name}", str(n), "", "", "", statistics.MATTERS,
                             cur.members.get(f"{prefix}:{name}", [])))
        self.figures.setRowCount(len(rows))
        self.figure_keys = []
        for r, (name, shown, yoy, mom, tip, records, ids) in enumerate(rows):
            self.figures.setItem(r, 0, _item(name, tip))
            self.figures.setItem(r, 1, _item(shown, tip, right=True))
            self.figures.setItem(r, 2, _item(yoy, right=True))
            self.figures.setItem(r, 3, _item(mom, right=True))
            self.figure_keys.append((name, records, ids))
        c = cur.counts
        self.note.setText(_("上期末未办结 {a} + 本期登记 {b} = 本期办结 {c} + 期末未办结 {d}。"
                            "所有数字按期末当时的状态计算；双击或回车某一行，列出其中的信访件。"
                            ).format(a=c["carried_in"], b=c["new_matters"], c=c["concluded"],
                                     d=c["open_at_end"]))

    def _show_charts(self, report: statistics.Report, stations: list[str]) -> None:
        for view in self.chart_views:
            self.chart_grid.removeWidget(view)
            view.hide()  # at once: deleteLater alone leaves the old chart drawn until idle
            view.setParent(None)
            view.deleteLater()
        reg = self.ctx.reg
        year = report.period.last.year
        upto = report.period.last.month if year == self.ctx.today().year() else 12
        self.chart_views = [
            charts.trend_chart(year, statistics.monthly_totals(reg, year, stations),
                               statistics.monthly_totals(reg, year - 1, stations), upto),
            charts.bars_chart(_("按内容分类（前8类）"), report.current.by_category,
                              report.year_before.by_category),
            charts.pie_chart(_("按信访形式"), report.current.by_form)]
        if self.assessment is not None:
            a = self.assessment
            self.chart_views.append(charts.townships_chart(
                [r.name for r in a.rows], [int(r.figures.counts["total"]) for r in a.rows],
                [int(r.year_before.counts["total"]) for r in a.rows]))
        for i, view in enumerate(self.chart_views):
            self.chart_grid.addWidget(view, i // 2, i % 2)

    def _show_ranking(self, a: statistics.Assessment | None) -> None:
        self.tabs.setTabVisible(self.ranking_tab, a is not None)
        if a is None:
            self.ranking.setRowCount(0)
            return
        self.missing.setText(_("未收到数据包：{list}").format(list=_("；").join(
            m.text() for m in a.missing)) if a.missing else _("各乡镇本期数据包均已收到。"))
        rows = [*a.rows, a.total]
        self.ranking.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self.ranking.setItem(r, 0, _item(row.name))
            for c, key in enumerate(statistics.ASSESSED, start=1):
                value = row.values[key]
                if isinstance(value, statistics.Change):  # the reason of a "—" in its tooltip
                    text = "—" if value.percent is None else f"{value.percent:+.1f}%"
                    tip = value.text()
                else:
                    text = value_text(value)
                    tip = statistics.definition(key).formula_text
                rank = row.ranks.get(key)
                if row.code != statistics.TOTAL:
                    text += f"〔{'—' if rank is None else rank}〕"
                self.ranking.setItem(r, c, _item(text, tip, right=True))

    def _show_month(self, counted: Counted) -> None:
        """The month's report (a month only; at the county one township)."""
        no_township = self.station_filter is not None and not self.station_filter.code()
        usable = counted.period.kind == statistics.MONTH and not no_township
        for button in self.buttons.values():
            button.setEnabled(usable)
        if not usable:
            self.table.setRowCount(0)
            self.heading.setText(_("月报按月编制：请选择“月”和一个月份") if not no_township
                                 else _("月报按乡镇编制：请在“乡镇”中选择一个乡镇。"))
            return
        report = counted.month
        if report is None:
            self.table.setRowCount(0)
            self.heading.setText(counted.month_error)
            return
        self.heading.setText(report.title)
        rows = summary_rows(report)
        self.table.setRowCount(len(rows))
        for r, (section, item, value) in enumerate(rows):
            for c, text in enumerate((section if r == 0 or rows[r - 1][0] != section else "",
                                      item, value)):
                self.table.setItem(r, c, _item(text, right=c == 2))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """The figures are counted when the page is first shown, not when the window is built."""
        super().showEvent(event)
        if not self._shown:
            self.refresh()

    def focus_first(self) -> None:
        self.kind.setFocus()

    # ----- drill-down and Excel ----------------------------------------------------------
    def drill(self, row: int) -> DrillDialog | None:
        """List the records behind figure ``row`` (modeless; returned for tests)."""
        if not 0 <= row < len(self.figure_keys):
            return None
        title, records, ids = self.figure_keys[row]
        lines: list[statistics.ReportLine] = []
        if records == statistics.SCREENING:  # the grid reports, read from the same sheets
            if self.report is None:
                return None
            try:
                lines = statistics.report_lines(self.ctx.reg, self.report.period,
                                                self.stations())
            except PetitionDeskError as exc:
                show_error(self, exc)
                return None
        dialog = DrillDialog(self.ctx, title, records, ids, self, lines=lines)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def save_xlsx(self, path: Path | None = None) -> Path | None:
        if self.report is None:
            return None
        if path is None:
            name, _filter = QFileDialog.getSaveFileName(
                self, _("导出Excel"), f"{self.report.period.key}统计.xlsx", "Excel (*.xlsx)")
            if not name:
                return None
            path = Path(name)
        from printing import spreadsheet, statistics_xlsx

        reg = self.ctx.reg
        name = station.station(reg).name
        if self.station_filter is not None and self.station_filter.code():
            name = self.station_filter.combo.currentText()
        try:
            return spreadsheet.write_workbook(path, statistics_xlsx.statistics_sheets(
                self.report, name, reg.clock().date(), self.assessment))
        except OSError as exc:
            show_error(self, PetitionDeskError(_("无法保存 {path}：{reason}").format(
                path=path, reason=exc.strerror or exc)))
            return None

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
