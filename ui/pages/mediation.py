"""People's mediation: the list of cases (filter by status, type, due follow-up and approaching
deadlines, in deadline colours) and the detail of the chosen case — registration, parties,
sessions, agreement, the 卷宗 checklist and the timeline — with every step one key away:

    Ctrl+N new case · Ctrl+M from a petition matter · Ctrl+D from a screened dispute
    Alt+I correct the registration · Alt+P party · Alt+S session (quick record)
    Alt+E extend · Alt+G agreement · Alt+F failed · Alt+T terminate · Alt+L performance
    Alt+V follow-up · Alt+J judicial confirmation · Alt+R its result · Alt+K 卷宗 materials
    Alt+C close · Alt+U 更正 of an ended case · Alt+Z 作废 (the head confirms), on a voided
    case the head's 撤销作废
    Alt+W the documents (menu filled by printing code: ``register_print_hook``)
    on the parties tab: Enter (or a double-click) corrects the chosen party, Delete removes it
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from storage import codes, mediation
from storage.deadlines import DUE_SOON_DAYS, Urgency
from storage.errors import PetitionDeskError
from storage.i18n import N_, _, join_list, pgettext
from storage.mediation import CaseDeadline, MediationFile, value_label
from storage.sync import county
from storage.validation import gender_label
from ui import corrections
from ui.context import AppContext, show_error
from ui.county_filter import StationFilter
from ui.pages import mediation_dialogs as dialogs
from ui.pages.page import Page
from ui.widgets import DUE_SOON_BG, OVERDUE_BG, size_columns

EVENT_LABELS = {
    "accepted": N_("受理"), "party_added": N_("添加当事人"), "party_removed": N_("删除当事人"),
    "party_updated": N_("修改当事人"),
    "investigation": N_("调查"), "mediation": N_("调解"), "extension": N_("延长调解期限"),
    "agreement": N_("达成调解协议"), "failed": N_("调解不成"), "terminated": N_("终止调解"),
    "performance": N_("履行"), "followup": N_("回访"), "judicial_applied": N_("申请司法确认"),
    "judicial_result": N_("司法确认结果"), "closed": N_("结案归档"),
    "corrected": N_("更正登记"), "voided": N_("作废"),
    "unvoided": N_("撤销作废"),
}

#: (action key, button text with mnemonic, dialog builder)
BUTTONS_PER_ROW = 4  # four fit beside the list on a 1366×768 laptop (issue 15)
ACTIONS: tuple[tuple[str, str, Callable[..., dialogs.FormDialog]], ...] = (
    ("edit", N_("修改案件信息(&I)"), dialogs.edit_case_dialog),
    ("party", N_("当事人(&P)"), dialogs.party_dialog),
    ("session", N_("调解记录(&S)"), dialogs.session_dialog),
    ("extend", N_("延长期限(&E)"), dialogs.extend_dialog),
    ("agreement", N_("调解协议(&G)"), dialogs.agreement_dialog),
    ("fail", N_("调解不成(&F)"), dialogs.fail_dialog),
    ("terminate", N_("终止(&T)"), dialogs.terminate_dialog),
    ("performance", N_("履行情况(&L)"), dialogs.performance_dialog),
    ("followup", N_("回访(&V)"), dialogs.followup_dialog),
    ("judicial", N_("司法确认(&J)"), dialogs.judicial_dialog),
    ("judicial_result", N_("确认结果(&R)"), dialogs.judicial_result_dialog),
    ("documents", N_("卷宗材料(&K)"), dialogs.documents_dialog),
    ("close", N_("结案归档(&C)"), dialogs.close_dialog),
    ("correct", N_("更正登记(&U)"), dialogs.correct_case_dialog),
    ("void", N_("作废(&Z)"), corrections.void_case_dialog),
    ("unvoid", N_("撤销作废(&Z)"), corrections.unvoid_case_dialog),  # never beside 作废
)


#: Called with every new MediationDetail so that printing code can fill ``print_menu``.
PRINT_HOOKS: list[Callable[[MediationDetail], None]] = []


def register_print_hook(hook: Callable[[MediationDetail], None]) -> None:
    """Printing code calls this once; ``hook(detail)`` then adds its actions to
    ``detail.print_menu`` (it may connect ``print_menu.aboutToShow`` to rebuild the menu for
    the case shown, read from ``detail.file``, a ``MediationFile`` or None)."""
    if hook not in PRINT_HOOKS:
        PRINT_HOOKS.append(hook)


def deadline_words(deadline: CaseDeadline, *, short: bool = False) -> str:
    """"调解期限 2026-04-02（剩3天）"; ``short``: "04-02（剩3天）" for the list's column (the
    deadline's name is in the cell's tooltip and the detail), so that it fits at 1366."""
    if short:
        left = (_("逾期{n}天").format(n=-deadline.days_left) if deadline.days_left < 0
                else _("剩{n}天").format(n=deadline.days_left))
        return _("{due}（{left}）").format(due=deadline.due.strftime("%m-%d"), left=left)
    due = deadline.due.isoformat()
    if deadline.days_left < 0:
        return _("{label} {due}（逾期{n}天）").format(label=deadline.label, due=due,
                                                   n=-deadline.days_left)
    return _("{label} {due}（剩{n}天）").format(label=deadline.label, due=due,
                                             n=deadline.days_left)


def _brush(level: Urgency | None) -> QBrush | None:
    if level is Urgency.OVERDUE:
        return QBrush(OVERDUE_BG)
    if level is Urgency.DUE_SOON:
        return QBrush(DUE_SOON_BG)
    return None


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().hide()
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    t.setTabKeyNavigation(False)
    return t


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))


class MediationDetail(QWidget):
    """One case: header, deadlines, registration, parties, sessions, agreement, checklist and
    timeline; the step buttons the case's state allows.

    Signals:
        step_finished(): a step dialog closed (saved or not); the page takes the focus back.
    """

    step_finished = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.file: MediationFile | None = None
        self.dialog: dialogs.FormDialog | None = None
        layout = QVBoxLayout(self)
        self.header = QLabel(_("请在左侧选择调解案件，或按 Ctrl+N 受理新案件。"))
        self.header.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        self.deadlines = QLabel("")
        self.deadlines.setWordWrap(True)
        layout.addWidget(self.deadlines)
        self.button_grid = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, builder in ACTIONS:
            b = QPushButton(_(text), self)
            b.clicked.connect(lambda _c=False, step=key, build=builder: self.start(step, build))
            self.buttons[key] = b
        self.print_menu = QMenu(self)
        self.print_button = QPushButton(_("打印文书(&W)"), self)
        self.print_button.setMenu(self.print_menu)
        layout.addLayout(self.button_grid)
        self.tabs = QTabWidget()
        self.info = QLabel("")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.tabs.addTab(self.info, _("案件情况"))
        self.parties = _table([_("方"), _("姓名或名称"), _("性别"), _("年龄"), _("证件号码"),
                               _("电话"), _("单位或住址"), _("代理人")])
        # Enter/double-click corrects the chosen party, Delete removes it (with buttons below)
        self.party_actions = dialogs.PartyActions(
            ctx, self.parties, lambda: self.file,
            lambda: self.show_case(self.file.case.id if self.file else None), self)
        self.tabs.addTab(self.party_actions.panel, _("当事人"))
        self.sessions = _table([_("日期"), _("类型"), _("地点"), _("结果"), _("记录")])
        self.tabs.addTab(self.sessions, _("调解记录"))
        self.checklist = _table([_("序号"), _("材料"), _("必须"), _("在卷"), _("说明")])
        self.tabs.addTab(self.checklist, _("卷宗目录"))
        self.timeline = _table([_("日期"), _("事项"), _("说明"), _("经办")])
        self.tabs.addTab(self.timeline, _("时间线"))
        layout.addWidget(self.tabs, 1)
        for hook in PRINT_HOOKS:
            hook(self)
        self.show_case(None)

    # ----- showing -------------------------------------------------------------------------
    def _lay_out_buttons(self, shown: list[QPushButton]) -> None:
        """Only the steps this case allows, packed in reading order with no holes between them,
        so the clerk's eye does not have to hunt across gaps left by hidden steps."""
        for button in [*self.buttons.values(), self.print_button]:
            self.button_grid.removeWidget(button)
        for i, button in enumerate(shown):
            self.button_grid.addWidget(button, i // BUTTONS_PER_ROW, i % BUTTONS_PER_ROW)
        for button in [*self.buttons.values(), self.print_button]:
            button.setVisible(button in shown)

    def show_case(self, mediation_id: str | None) -> None:
        self.file = None
        if mediation_id:
            try:
                self.file = mediation.mediation_file(self.ctx.reg, mediation_id)
            except PetitionDeskError as exc:
                show_error(self, exc)
        f = self.file
        today = self.ctx.reg.clock().date()
        allowed = (mediation.available_actions(f, today, editable=mediation.can_edit(
            self.ctx.reg), head=self.ctx.reg.actor.role == "head") if f else set())
        shown = [button for key, button in self.buttons.items() if key in allowed]
        if f is not None and PRINT_HOOKS:
            shown.append(self.print_button)
        self._lay_out_buttons(shown)
        self.party_actions.set_allowed("party" in allowed)
        if f is None:
            self.header.setText(_("请在左侧选择调解案件，或按 Ctrl+N 受理新案件。"))
            for t in (self.parties, self.sessions, self.checklist, self.timeline):
                t.setRowCount(0)
            self.info.setText("")
            self.deadlines.setText("")
            return
        c = f.case
        self.header.setText(_("{number}　{title}　【{status}】").format(
            number=c.number, title=c.title, status=c.status_label))
        summary = next((s for s in mediation.list_cases(self.ctx.reg, today=today,
                                                        text=c.number) if s.id == c.id), None)
        self.deadlines.setText(_("；").join(deadline_words(d) for d in summary.deadlines)
                               if summary and summary.deadlines else "")
        self.info.setText(self._info(f))
        _fill(self.parties, [[p.side_label(c.source), p.name, gender_label(p.gender),
                              str(p.age_on(today) or ""), p.id_number, p.phone, p.address,
                              p.agent] for p in f.parties])
        _fill(self.sessions, [[s.held_on.isoformat(), s.kind_label, s.place,
                               s.result_label if s.kind == "mediation" else "",
                               _("；").join(x for x in (s.statement_a, s.statement_b, s.findings,
                                                       s.agreed, s.record) if x)]
                              for s in f.sessions])
        _fill(self.checklist, [[str(i.no), i.title, _("必须") if i.required else _("按需"),
                                "✓" if i.present else ("✗" if i.required else ""), i.note]
                               for i in f.checklist])
        for r, item in enumerate(f.checklist):
            if item.missing:
                for col in range(5):
                    cell = self.checklist.item(r, col)
                    if cell is not None:
                        cell.setBackground(QBrush(OVERDUE_BG))
        _fill(self.timeline, [[e.occurred_on.isoformat(), _(EVENT_LABELS.get(e.kind, e.kind)),
                               e.note, e.actor] for e in f.events])

    def _info(self, case_file: MediationFile) -> str:
        c, a = case_file.case, case_file.agreement
        lines = [
            _("来源：{source}（{ref}）").format(source=c.source_label, ref=c.referred_by)
            if c.referred_by else _("来源：{source}").format(source=c.source_label),
            _("纠纷类型：{t}　所属村（社区）：{v}").format(t=c.dispute_type, v=c.village_name or "—"),
            _("受理日期：{d}　调解期限：{due}{ext}").format(
                d=c.accepted_on.isoformat(), due=c.period_due.isoformat(),
                ext=_("（已延长{n}日）").format(n=c.period_extended_days)
                if c.period_extended_days else ""),
            _("人民调解员：{m}　记录人：{r}").format(m=join_list(c.mediators) or "—",
                                              r=c.recorder or "—"),
            _("涉及金额：{a}").format(a=mediation.format_amount(c.amount)),
            _("纠纷简要情况：{f}").format(f=c.facts),
        ]
        if c.claims:
            lines.append(_("申请事项：{c}").format(c=_("；").join(c.claims)))
        if case_file.matter_number:
            lines.append(_("关联信访事项：{n}").format(n=case_file.matter_number))
        if case_file.dispute_summary:
            lines.append(_("关联排查纠纷：{s}").format(s=case_file.dispute_summary))
        if a is not None:
            lines.append(_("协议（{form}，{d}）：{terms}").format(
                form=a.form_label, d=a.signed_on.isoformat(), terms=a.terms))
            if a.performance_deadline:
                lines.append(_("履行：{manner}，{place}，{deadline}前；现状：{status}").format(
                    manner=a.performance_manner or "—", place=a.performance_place or "—",
                    deadline=a.performance_deadline.isoformat(), status=c.performance_label))
            if a.jc_result:
                lines.append(_("司法确认：{court} {r}").format(court=a.jc_court,
                                                          r=a.jc_result_label))
        if c.status == "failed":
            lines.append(_("调解不成：{r}；已告知：{routes}").format(
                r=c.failure_reason, routes=join_list(value_label(r) for r in c.routes)))
        if c.status == "terminated":
            lines.append(_("终止原因：{r}").format(r=c.termination_reason))
        if case_file.followups:
            last = case_file.followups[-1]
            lines.append(_("最近回访：{d} {p} {s}").format(d=last.visited_on.isoformat(),
                                                        p=last.performance,
                                                        s=value_label(last.satisfaction)))
        if c.filed_on:
            lines.append(_("已于{d}结案归档，立卷人{who}，保管期限{r}").format(
                d=c.filed_on.isoformat(), who=c.filed_by, r=value_label(c.retention)))
        if c.voided:
            lines.insert(0, _("【已作废】{d}，{who}确认：{reason}").format(
                d=c.voided_at[:10], who=c.void_confirmed_by, reason=c.void_reason))
        return "\n".join(lines)

    # ----- steps ---------------------------------------------------------------------------
    def start(self, key: str, builder: Callable[..., dialogs.FormDialog]) -> None:
        if self.file is None or not self.buttons[key].isVisible():
            return
        try:
            dlg = builder(self.ctx, self.file, self)
        except PetitionDeskError as exc:
            show_error(self, exc)
            return
        self.dialog = dlg
        dlg.finished.connect(lambda _r: self._after(dlg))
        dlg.open()

    def _after(self, dlg: dialogs.FormDialog) -> None:
        if self.dialog is dlg:
            self.dialog = None
        if self.file is not None:
            self.show_case(self.file.case.id)
        self.step_finished.emit()


class MediationPage(Page):
    """The mediation list with its filters, and the detail of the selected case."""

    TITLE = N_("人民调解")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.dialog: QWidget | None = None
        self.summaries: list[mediation.CaseSummary] = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("案号、纠纷名称或当事人姓名"))
        self.status = QComboBox()
        self.status.addItem(_("全部状态"), "")
        self.status.addItem(_("未结案件"), "open")
        for k, v in mediation.STATUS_LABELS.items():
            self.status.addItem(_(v), k)
        self.type = QComboBox()
        self.followup = QCheckBox(_("需回访(&H)"))
        self.near = QCheckBox(_("{n}日内到期或逾期(&Y)").format(n=DUE_SOON_DAYS))
        self.new_button = QPushButton(_("受理新案件（Ctrl+N）"))
        self.matter_button = QPushButton(_("信访件转调（Ctrl+M）"))
        self.dispute_button = QPushButton(_("排查纠纷转调（Ctrl+D）"))
        # At the county: every township's cases, read only, filtered by 乡镇 (first).
        self.station_filter: StationFilter | None = None
        self.station_names: dict[str, str] = {}
        if ctx.reg.mode == "county":
            self.station_filter = StationFilter(ctx.reg)
            bar.addWidget(self.station_filter)
        # Two rows (issue 15): the filters in one row and the three ways of opening a case in
        # another; in one row they needed 1194 px in English and squeezed the search to "…".
        self.search.setMinimumWidth(220)
        bar.addWidget(self.search, 2)
        for w in (self.status, self.type, self.followup, self.near):
            bar.addWidget(w)
        bar.addStretch(1)
        actions = QHBoxLayout()
        for button in (self.new_button, self.matter_button, self.dispute_button):
            actions.addWidget(button)
            if self.station_filter is not None:
                button.hide()  # nothing is opened at the county
        actions.addStretch(1)
        if self.station_filter is None:
            layout.addLayout(actions)
        layout.addLayout(bar)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = _table(([pgettext("列名", "乡镇")] if self.station_filter is not None else [])
                            + [_("案号"), _("纠纷名称"), _("类型"), _("当事人"), _("状态"),
                               _("最近期限")])
        # 纠纷名称 takes what the other columns leave (issue 15: 状态 and 最近期限 hid behind a
        # scroll bar at 1366).
        first = 2 if self.station_filter is not None else 1  # 纠纷名称; 当事人 two further on
        size_columns(self.table.horizontalHeader(), first, first + 2)
        split.addWidget(self.table)
        self.detail = MediationDetail(ctx)
        split.addWidget(self.detail)
        split.setStretchFactor(1, 1)
        # The list needs room for the case number and the dispute's name; the detail the rest.
        # At the county the detail has no step buttons, and the list a 乡镇 column: the list
        # gets the larger share, so that 当事人, 状态 and 最近期限 show without scrolling.
        split.setSizes([760, 500] if ctx.reg.read_only else [680, 580])
        layout.addWidget(split, 1)
        self.count = QLabel("")
        layout.addWidget(self.count)

        self.search.textChanged.connect(lambda _t: self.refresh())
        for combo in (self.status, self.type):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for box in (self.followup, self.near):
            box.toggled.connect(lambda _b: self.refresh())
        if self.station_filter is not None:
            self.station_filter.changed.connect(lambda _c: self.refresh())
        self.table.itemSelectionChanged.connect(self._selected)
        self.detail.step_finished.connect(self._take_focus)
        self.new_button.clicked.connect(self.new_case)
        self.matter_button.clicked.connect(self.from_matter)
        self.dispute_button.clicked.connect(self.from_dispute)
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_case)
        QShortcut(QKeySequence("Ctrl+M"), self, self.from_matter)
        QShortcut(QKeySequence("Ctrl+D"), self, self.from_dispute)
        ctx.changed.connect(self._on_changed)
        self._fill_types()
        self.refresh()

    def focus_first(self) -> None:
        """The focus stays where it was (the sidebar, when the page was chosen there): the list
        and the detail beside it are read first, and Ctrl+F reaches the search."""

    def focus_search(self) -> bool:
        """Ctrl+F here searches the mediation cases (the window's Ctrl+F asks the page first:
        a second Ctrl+F shortcut on the page made the key ambiguous, and neither fired)."""
        self.search.setFocus()
        self.search.selectAll()
        return True

    def _fill_types(self) -> None:
        current = self.type.currentData()
        self.type.blockSignals(True)
        self.type.clear()
        self.type.addItem(_("全部类型"), "")
        for label in codes.labels(self.ctx.reg, "dispute_type"):
            self.type.addItem(label, label)
        i = self.type.findData(current) if current else 0
        self.type.setCurrentIndex(max(i, 0))
        self.type.blockSignals(False)

    def _on_changed(self, topic: str) -> None:
        if topic == "codes":
            self._fill_types()
        if topic in ("mediations", "matters", "screenings", "codes"):
            self.refresh()

    def refresh(self) -> None:
        selected = self.selected_id()
        today = self.ctx.reg.clock().date()
        station_code = None
        if self.station_filter is not None:
            self.station_filter.fill()  # an import may have brought a new township
            station_code = self.station_filter.code() or None
            self.station_names = county.short_names(self.ctx.reg)
        self.summaries = mediation.list_cases(
            self.ctx.reg, today=today, status=self.status.currentData() or None,
            dispute_type=self.type.currentData() or None, followup_due=self.followup.isChecked(),
            deadline_within=DUE_SOON_DAYS if self.near.isChecked() else None,
            text=self.search.text(), station_code=station_code)
        self.table.blockSignals(True)
        _fill(self.table, [([self.station_names.get(s.station_code, s.station_code)]
                            if self.station_filter is not None else [])
                           + [s.short_number, s.title, s.dispute_type, s.parties, s.status_label,
                              deadline_words(s.next_deadline, short=True) if s.next_deadline else ""]
                           for s in self.summaries])
        number_column = 1 if self.station_filter is not None else 0
        for r, s in enumerate(self.summaries):
            item = self.table.item(r, number_column)
            if item is not None:
                item.setToolTip(s.number)  # the whole number, as printed
            nxt = s.next_deadline
            last = self.table.item(r, self.table.columnCount() - 1)
            if nxt is not None and last is not None:
                last.setToolTip(deadline_words(nxt))
            brush = _brush(nxt.urgency if nxt else None)
            if brush is not None:
                for col in range(self.table.columnCount()):
                    cell = self.table.item(r, col)
                    if cell is not None:
                        cell.setBackground(brush)
        self.table.blockSignals(False)
        self.count.setText(_("共{n}件").format(n=len(self.summaries)))
        ids = [s.id for s in self.summaries]
        if selected not in ids:  # keep a current row for the keyboard: the first one
            selected = ids[0] if ids else None
        if selected is not None:
            self.table.selectRow(ids.index(selected))
        self.detail.show_case(selected)
        for b in (self.new_button, self.matter_button, self.dispute_button):
            b.setEnabled(mediation.can_edit(self.ctx.reg))

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.summaries):
            return None
        return self.summaries[rows[0].row()].id

    def select(self, mediation_id: str) -> None:
        ids = [s.id for s in self.summaries]
        if mediation_id not in ids:
            if self.station_filter is not None:
                self.station_filter.set_code("")
            self.search.clear()
            self.status.setCurrentIndex(0)
            self.type.setCurrentIndex(0)
            self.followup.setChecked(False)
            self.near.setChecked(False)
            ids = [s.id for s in self.summaries]
        if mediation_id in ids:
            self.table.selectRow(ids.index(mediation_id))
            self.table.setFocus()

    def _take_focus(self) -> None:
        self.window().activateWindow()
        self.table.setFocus()

    def _selected(self) -> None:
        self.detail.show_case(self.selected_id())

    # ----- opening cases -------------------------------------------------------------------
    def new_case(self, *, matter_id: str | None = None, dispute_id: str | None = None) -> None:
        if not mediation.can_edit(self.ctx.reg):
            return
        try:
            dlg = dialogs.open_case_dialog(self.ctx, self, matter_id=matter_id,
                                           dispute_id=dispute_id)
        except PetitionDeskError as exc:
            show_error(self, exc)
            return
        self.dialog = dlg

        def done(result: int) -> None:
            self.dialog = None
            if result and dlg.result_value:
                self.select(dlg.result_value["id"])
            self._take_focus()

        dlg.finished.connect(done)
        dlg.open()

    def _pick(self, title: str, rows: list[tuple[str, str]], kind: str) -> None:
        if not mediation.can_edit(self.ctx.reg):
            return
        pick = dialogs.PickDialog(title, rows, self)
        self.dialog = pick

        def done(result: int) -> None:
            self.dialog = None
            if result and pick.chosen:
                if kind == "matter":
                    self.new_case(matter_id=pick.chosen)
                else:
                    self.new_case(dispute_id=pick.chosen)

        pick.finished.connect(done)
        pick.open()

    def from_matter(self) -> None:
        rows = [(r["id"], f"{r['number']}  {r['petitioner']}  {r['summary']}")
                for r in mediation.linkable_matters(self.ctx.reg)]
        self._pick(_("选择要转人民调解的信访件"), rows, "matter")

    def from_dispute(self) -> None:
        rows = [(r["id"], f"{r.get('found_on', '')}  {r.get('type', '')}  {r.get('parties', '')}"
                          f"  {r.get('summary', '')}")
                for r in mediation.linkable_disputes(self.ctx.reg)]
        self._pick(_("选择要转人民调解的排查纠纷"), rows, "dispute")
