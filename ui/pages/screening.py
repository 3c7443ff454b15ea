"""矛盾纠纷排查: the liaison's weekly entry (every grid of theirs: a zero report with one key, new
disputes, progress on open ones — keyboard only), the completeness matrix with the reminder
list, the dispute ledger with escalation, and month closing.

Keys on the entry tab: Alt+←/Alt+→ period, Ctrl+G grids, Ctrl+0 零报告, Ctrl+N new dispute,
Ctrl+U progress on the selected open dispute, Enter saves the form the cursor is in; Alt+K
更正 and Alt+Z 作废 of the chosen grid's report (a month not yet locked)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from storage import screening as sc
from storage import station
from storage.errors import PetitionDeskError, ValidationError
from storage.i18n import N_, _
from storage.screening import Period, parse_period, previous_period
from storage.sync import county
from ui.context import AppContext
from ui.corrections import unvoid_dialog, void_dialog
from ui.county_filter import StationFilter, township_context
from ui.pages.mediation_dialogs import FormDialog
from ui.pages.page import Page
from ui.pages.screening_county import SummaryTab
from ui.pages.screening_forms import DisputeForm, ProgressForm
from ui.pages.screening_views import DisputesTab, MatrixTab, MonthTab
from ui.shortcuts import shortcut
from ui.widgets import ERROR_STYLE, OK_STYLE, scrolled

PERIOD_CHOICES = 12


class EntryTab(QWidget):
    """One period, every grid of the signed-in user."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        reg = ctx.reg
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.period = QComboBox()
        self.period.setMinimumWidth(300)
        self.due = QLabel()
        top.addWidget(QLabel(_("排查周期（Alt+← / Alt+→）")))
        top.addWidget(self.period)
        top.addWidget(self.due)
        self.reporter = QLineEdit()
        self.reporter.setPlaceholderText(_("默认为该网格的联络员"))
        if reg.actor.role != "liaison":
            top.addWidget(QLabel(_("排查人")))
            top.addWidget(self.reporter)
        else:
            self.reporter.hide()
        top.addStretch(1)
        outer.addLayout(top)
        hint = QLabel(_("↑↓ 选网格（Ctrl+G）· Ctrl+0 零报告 · Ctrl+N 登记新纠纷 · "
                        "Ctrl+U 更新选中的未了结纠纷 · Enter 保存"))
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)  # the English line is twice as long
        outer.addWidget(hint)
        self.message = QLabel()
        self.message.setWordWrap(True)
        outer.addWidget(self.message)

        body = QHBoxLayout()
        left = QVBoxLayout()
        self.grid_list = QListWidget()
        grids_label = QLabel(_("我的网格(&G)"))
        grids_label.setBuddy(self.grid_list)
        left.addWidget(grids_label)
        self.grid_list.setMinimumWidth(260)
        left.addWidget(self.grid_list, 1)
        self.zero_btn = QPushButton(_("本期零报告（Ctrl+0）"))
        self.zero_btn.setAutoDefault(False)
        left.addWidget(self.zero_btn)
        report_row = QHBoxLayout()
        self.correct_btn = QPushButton(_("更正本期报告(&K)"))
        self.void_btn = QPushButton(_("作废本期报告(&Z)"))
        # the station head's undo of a void made by mistake; shown only where there is one
        self.unvoid_btn = QPushButton(_("撤销作废(&X)"))
        self.unvoid_btn.hide()
        for button in (self.correct_btn, self.void_btn, self.unvoid_btn):
            button.setAutoDefault(False)
            report_row.addWidget(button)
        left.addLayout(report_row)
        self.report_dialog: FormDialog | None = None
        body.addLayout(left, 1)
        right = QVBoxLayout()
        self.grid_title = QLabel()
        self.grid_title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        right.addWidget(self.grid_title)
        self.corrections = QLabel()
        self.corrections.setWordWrap(True)
        self.corrections.setStyleSheet("color: #444;")
        right.addWidget(self.corrections)
        open_box = QGroupBox(_("未了结的纠纷（上期结转）"))
        ov = QVBoxLayout(open_box)
        self.open_list = QListWidget()
        self.open_list.setMaximumHeight(140)
        ov.addWidget(self.open_list)
        self.progress = ProgressForm()
        ov.addWidget(self.progress)
        right.addWidget(open_box)
        self.form = DisputeForm(ctx)
        right.addWidget(self.form)
        right.addStretch(1)
        # The forms are taller than a 1366×768 laptop leaves (issue 15): they scroll, and the
        # grid list and its buttons on the left stay in view.
        right.setContentsMargins(0, 0, 0, 0)
        holder = QWidget()
        holder.setLayout(right)
        body.addWidget(scrolled(holder), 3)
        outer.addLayout(body, 1)

        self.grid_list.currentRowChanged.connect(lambda _r: self._show_grid())
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        self.zero_btn.clicked.connect(self.zero_report)
        self.correct_btn.clicked.connect(lambda: self.report_action("correct"))
        self.void_btn.clicked.connect(lambda: self.report_action("void"))
        self.unvoid_btn.clicked.connect(lambda: self.report_action("unvoid"))
        self.form.submitted.connect(self.save_dispute)
        self.progress.submitted.connect(self.save_progress)
        shortcut(self, "Ctrl+0", self.zero_report)
        shortcut(self, "Ctrl+N", lambda: self.form.type.setFocus())
        shortcut(self, "Ctrl+U", self.focus_progress)
        shortcut(self, "Ctrl+G", lambda: self.grid_list.setFocus())
        shortcut(self, "Alt+Left", lambda: self.step_period(-1))
        shortcut(self, "Alt+Right", lambda: self.step_period(1))
        QWidget.setTabOrder(self.period, self.grid_list)
        QWidget.setTabOrder(self.grid_list, self.zero_btn)
        self._fill_periods()

    # ----- state ------------------------------------------------------------------------
    def _fill_periods(self) -> None:
        reg = self.ctx.reg
        current = sc.current_period(reg)
        periods = [current]
        while len(periods) < PERIOD_CHOICES:
            periods.append(previous_period(periods[-1]))
        self.period.blockSignals(True)
        self.period.clear()
        for p in periods:
            self.period.addItem(p.label, p.key)
        # The period most likely being reported: last one while its report is still due.
        previous = previous_period(current)
        due_now = sc.today(reg) <= previous.due(sc.grace_days(reg))
        outstanding = any(sc.find_report(reg, g.id, previous.key) is None
                          for g in self.grids)
        self.period.setCurrentIndex(1 if due_now and outstanding else 0)
        self.period.blockSignals(False)

    @property
    def grids(self) -> list[station.Grid]:
        return sc.entry_grids(self.ctx.reg)

    def current_period(self) -> Period:
        return parse_period(str(self.period.currentData()))

    def current_grid_id(self) -> str | None:
        item = self.grid_list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def step_period(self, delta: int) -> None:
        # Index 0 is the newest period: Alt+→ (later) moves towards it.
        index = self.period.currentIndex() - delta
        if 0 <= index < self.period.count():
            self.period.setCurrentIndex(index)

    def refresh(self) -> None:
        reg = self.ctx.reg
        if self.period.itemData(0) != sc.current_period(reg).key:
            self._fill_periods()  # a new period has begun since the list was made
        period = self.current_period()
        due = period.due(sc.grace_days(reg))
        locked = sc.is_locked(reg, period.month)
        self.due.setText(_("报送截止：{due}").format(due=due.isoformat())
                         + (_("（该月已锁定）") if locked else ""))
        keep = self.current_grid_id()
        self.grid_list.blockSignals(True)
        self.grid_list.clear()
        row_to_select = 0
        for i, g in enumerate(self.grids):
            report = sc.find_report(reg, g.id, period.key)
            item = QListWidgetItem(f"{g.village_name} {g.name}    "
                                   f"{sc.report_status_text(reg, report)}")
            item.setData(Qt.ItemDataRole.UserRole, g.id)
            if report is None:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.grid_list.addItem(item)
            if g.id == keep:
                row_to_select = i
        self.grid_list.blockSignals(False)
        if self.grid_list.count():
            self.grid_list.setCurrentRow(row_to_select)
        self._show_grid()

    def _show_grid(self) -> None:
        reg = self.ctx.reg
        gid = self.current_grid_id()
        self.open_list.clear()
        self.correct_btn.setEnabled(False)
        self.void_btn.setEnabled(False)
        self.unvoid_btn.hide()
        self.corrections.setText("")
        if gid is None:
            self.grid_title.setText(_("没有可以填报的网格。"))
            return
        g = sc.find_grid(reg, gid)
        period = self.current_period()
        report = sc.find_report(reg, gid, period.key)
        self.grid_title.setText(f"{g.village_name} {g.name} · {period.short_label} · "
                                f"{sc.report_status_text(reg, report)}")
        open_month = report is not None and not sc.is_locked(reg, period.month)
        self.correct_btn.setEnabled(open_month)
        self.void_btn.setEnabled(open_month and reg.actor.role in ("clerk", "head"))
        voided = (sc.find_voided_report(reg, gid, period.key)
                  if report is None and reg.actor.role == "head" else None)
        self.unvoid_btn.setVisible(voided is not None and not sc.is_locked(reg, period.month))
        self.unvoid_btn.setEnabled(self.unvoid_btn.isVisibleTo(self))
        if report is not None:
            self.corrections.setText("\n".join(sc.describe_corrections(report)))
        for d in sc.carried_disputes(reg, gid, period):
            item = QListWidgetItem(f"{d['found_on']} {d['type']} {d['parties']} "
                                   f"[{d['risk_level']}] {sc.value_label(d['status'])}")
            item.setData(Qt.ItemDataRole.UserRole, d["id"])
            self.open_list.addItem(item)
        if self.open_list.count():
            self.open_list.setCurrentRow(0)
        self.progress.setEnabled(self.open_list.count() > 0)

    def focus_progress(self) -> None:
        if self.open_list.count():
            self.progress.status.setFocus()
        else:
            self._say(_("这个网格没有未了结的纠纷。"), error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.setText(text)

    def _run(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except PetitionDeskError as exc:
            self._say(exc.user_text(), error=True)
            return False
        self.ctx.changed.emit("screenings")
        return True

    def _select_next_unreported(self) -> None:
        for i in range(self.grid_list.count()):
            gid = str(self.grid_list.item(i).data(Qt.ItemDataRole.UserRole))
            if sc.find_report(self.ctx.reg, gid, self.current_period().key) is None:
                self.grid_list.setCurrentRow(i)
                return

    # ----- actions ----------------------------------------------------------------------
    def report_dialog_for(self, key: str) -> FormDialog | None:
        """更正 ("correct"), 作废 ("void") or 撤销作废 ("unvoid") of the chosen grid's report of
        the period, built but not shown; None when there is no such report or the month is
        locked."""
        reg = self.ctx.reg
        gid = self.current_grid_id()
        button = {"correct": self.correct_btn, "void": self.void_btn,
                  "unvoid": self.unvoid_btn}[key]
        if gid is None or not button.isEnabled():
            return None
        name = self.grid_list.currentItem().text().split("    ")[0]
        what = _("{grid}{period}的排查报告").format(grid=name,
                                                 period=self.current_period().short_label)
        if key == "unvoid":
            voided = sc.find_voided_report(reg, gid, self.current_period().key)
            if voided is None:
                return None
            return unvoid_dialog(self.ctx, title=_("撤销作废排查报告"), what=what,
                                 topic="screenings", parent=self,
                                 action=lambda reason: sc.unvoid_report(reg, voided["id"], reason))
        report = sc.find_report(reg, gid, self.current_period().key)
        if report is None:
            return None
        if key == "void":
            return void_dialog(self.ctx, title=_("作废排查报告"), what=what, topic="screenings",
                               parent=self, action=lambda reason, head: sc.void_report(
                                   reg, report["id"], reason, head))

        def save(values: dict[str, object]) -> object:
            day = values["screened_on"]
            assert isinstance(day, date)  # the form's date field
            return sc.correct_report(reg, report["id"], str(values["reason"]), screened_on=day,
                                     reporter_name=str(values["reporter_name"]),
                                     note=str(values["note"]))

        dlg = FormDialog(self.ctx, _("更正排查报告"), save, self, topic="screenings")
        dlg.note(_("更正{what}：时间线和审计日志记下原来的值。").format(what=what))
        dlg.line("reason", _("更正原因(&R)")).setPlaceholderText(_("必填"))
        dlg.date("screened_on", _("排查日期"), date.fromisoformat(report["screened_on"]))
        dlg.line("reporter_name", _("排查人"), report["reporter_name"])
        dlg.text("note", _("说明"), report["note"], rows=2)
        dlg.fields["reason"].setFocus()
        return dlg

    def report_action(self, key: str) -> None:
        dlg = self.report_dialog_for(key)
        if dlg is None:
            return
        self.report_dialog = dlg
        dlg.finished.connect(lambda _result: self._after_report(dlg))
        dlg.open()

    def _after_report(self, dlg: FormDialog) -> None:
        if self.report_dialog is dlg:
            self.report_dialog = None
        self.refresh()
        self.window().activateWindow()
        self.grid_list.setFocus()

    def zero_report(self) -> None:
        gid = self.current_grid_id()
        if gid is None:
            return
        period = self.current_period()
        name = self.grid_list.currentItem().text().split("    ")[0]
        if self._run(lambda: sc.report_zero(self.ctx.reg, gid, period.key,
                                            reporter=self.reporter.text() or None)):
            self.refresh()
            self._say(_("{grid}：{period}零报告已保存。").format(grid=name,
                                                              period=period.short_label))
            self._select_next_unreported()
            self.grid_list.setFocus()

    def save_dispute(self) -> None:
        gid = self.current_grid_id()
        if gid is None:
            return
        reg = self.ctx.reg
        period = self.current_period()
        try:
            value = self.form.value()
        except ValidationError as exc:
            self._say(exc.user_text(), error=True)
            self.form.focus_field(exc.field)
            return
        replace_zero = False
        report = sc.find_report(reg, gid, period.key)
        if report is not None and report["is_zero"]:
            answer = QMessageBox.question(self, _("已报零报告"), _(
                "该网格本期已报零报告。确实发现了纠纷吗？确认后零报告改为有纠纷的报告。"))
            if answer != QMessageBox.StandardButton.Yes:
                return
            replace_zero = True
        try:
            sc.add_dispute(reg, gid, period.key, value, reporter=self.reporter.text() or None,
                           replace_zero=replace_zero)
        except ValidationError as exc:
            self._say(exc.user_text(), error=True)
            self.form.focus_field(exc.field)
            return
        except PetitionDeskError as exc:
            self._say(exc.user_text(), error=True)
            return
        self.ctx.changed.emit("screenings")
        self.form.clear()
        self.refresh()
        self._say(_("纠纷已保存。可继续登记（Ctrl+N），或选下一个网格。"))
        self.grid_list.setFocus()

    def save_progress(self) -> None:
        if self.open_list.currentRow() < 0:
            return
        item = self.open_list.item(self.open_list.currentRow())
        reg = self.ctx.reg
        dispute_id = str(item.data(Qt.ItemDataRole.UserRole))
        period = self.current_period()
        try:
            progress = self.progress.value(sc.today(reg))
        except ValidationError as exc:
            self._say(exc.user_text(), error=True)
            return
        if self._run(lambda: sc.update_dispute(reg, dispute_id, progress, period_key=period.key,
                                               reporter=self.reporter.text() or None)):
            self.progress.clear()
            self.refresh()
            self._say(_("进展已保存。"))
            self.open_list.setFocus()


class ScreeningPage(Page):
    TITLE = N_("纠纷排查")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        role = ctx.reg.actor.role
        layout = QVBoxLayout(self)
        # At the county (read only): a summary of every township, and the station's views of
        # the township chosen in the 乡镇 filter, over a read-only view of it.
        self.station_filter: StationFilter | None = None
        self.summary: SummaryTab | None = None
        self.tab_ctx = ctx  # the context the matrix, ledger and month tabs read
        if ctx.reg.mode == "county":
            self.station_filter = StationFilter(ctx.reg, with_all=False)
            bar = QHBoxLayout()
            bar.addWidget(self.station_filter)
            bar.addStretch(1)
            layout.addLayout(bar)
            self.tab_ctx = township_context(ctx, self.station_filter.code())
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self.entry: EntryTab | None = None
        if role in ("liaison", "clerk", "head") and ctx.reg.mode != "county":
            self.entry = EntryTab(ctx)
            self.tabs.addTab(self.entry, _("排查填报(&1)"))
        if self.station_filter is not None:
            self.summary = SummaryTab(ctx)
            self.tabs.addTab(self.summary, _("各乡镇汇总(&1)"))
            self.summary.open_station.connect(self.show_station)
        self.month: MonthTab | None = None
        self._add_station_tabs()
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        ctx.changed.connect(self._on_changed)
        if self.station_filter is not None:
            self.station_filter.changed.connect(self._station_changed)

    def _add_station_tabs(self) -> None:
        ctx, county_mode = self.tab_ctx, self.station_filter is not None
        self.matrix = MatrixTab(ctx)
        self.tabs.addTab(self.matrix, _("完成情况(&2)"))
        self.disputes = DisputesTab(ctx)
        self.tabs.addTab(self.disputes, _("纠纷台帐(&3)"))
        self.month = None
        if county_mode:  # the township's sheet, to read: nothing is issued at the county
            self.month = MonthTab(ctx)
            self.tabs.addTab(self.month, _("月度排查表(&4)"))
        elif ctx.reg.actor.role in ("clerk", "head"):
            self.month = MonthTab(ctx)
            self.tabs.addTab(self.month, _("月度出具(&4)"))

    def _station_changed(self, code: str) -> None:
        """Another township: its views replace the previous one's (same tab stays current)."""
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        for tab in (self.matrix, self.disputes, self.month):
            if tab is not None:
                self.tabs.removeTab(self.tabs.indexOf(tab))
                tab.deleteLater()
        self.tab_ctx = township_context(self.ctx, code)
        self._add_station_tabs()
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        self.refresh()

    def show_station(self, code: str) -> MatrixTab:
        """At the county: township ``code`` chosen, its completeness matrix shown."""
        if self.station_filter is not None:
            self.station_filter.set_code(code)
        return self.show_matrix()

    def _on_changed(self, topic: str) -> None:
        if topic in ("screenings", "mediations", "matters") and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if self.station_filter is not None:
            self.station_filter.fill()  # an import may have brought a new township
            if self.tab_ctx is not self.ctx:  # a fresh view: an import may have changed it
                self.tab_ctx.reg = county.township_view(self.ctx.reg,
                                                        self.station_filter.code())
        current = self.tabs.currentWidget()
        for tab in self._all_tabs():
            if tab is current:
                tab.refresh()

    def _all_tabs(self) -> list[EntryTab | SummaryTab | MatrixTab | DisputesTab | MonthTab]:
        return [tab for tab in (self.entry, self.summary, self.matrix, self.disputes, self.month)
                if tab is not None]

    def focus_first(self) -> None:
        if self.entry is not None and self.tabs.currentWidget() is self.entry:
            self.entry.grid_list.setFocus()
        elif self.station_filter is not None:
            self.station_filter.combo.setFocus()

    def show_matrix(self) -> MatrixTab:
        self.tabs.setCurrentWidget(self.matrix)
        return self.matrix

    def select_period(self, key: str) -> None:
        """Show ``key`` on the entry tab (older periods are added to the list)."""
        if self.entry is None:
            return
        index = self.entry.period.findData(key)
        if index < 0:
            p = parse_period(key)
            self.entry.period.addItem(p.label, p.key)
            index = self.entry.period.count() - 1
        self.entry.period.setCurrentIndex(index)
