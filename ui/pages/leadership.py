"""包案督办: how the work is led (docs/domain.md §10).

At a township, tabs for the 交办/督办 received from the county (签收, 反馈, print), the 包案台账
(screen, print, Excel), the 积案 list (the rules list new ones when the tab is shown), reception
days and 约访, and the leaders. At the county: every 交办/督办 with its status per township
(storage/leadership — supervision), reception days and the leaders.

Tabs switch with Ctrl+Tab; inside each tab the buttons have Alt keys (none of the menu bar's
F/G/V/H), and each table has a caption whose Alt key puts the cursor in it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from storage import leadership
from storage.errors import PetitionDeskError
from storage.i18n import N_, _
from ui.context import AppContext, show_error
from ui.pages import registry
from ui.pages.leadership_common import (
    Tab,
    ask_save_path,
    button_row,
    captioned,
    focus_table,
    mark_rows,
    selected_row,
    stretch,
)
from ui.pages.leadership_county import CountySupervisionTab
from ui.pages.leadership_forms import (
    Form,
    appointment_form,
    backlog_add_form,
    backlog_exclude_form,
    backlog_resolve_form,
    close_holding_form,
    holding_form,
    leader_form,
    note_form,
    outcome_form,
    reception_form,
    record_reception_form,
    reply_form,
    rules_form,
    weekly_form,
)
from ui.pages.page import Page
from ui.print_preview import show_document
from ui.sync import widgets as w
from ui.widgets import ERROR_STYLE, OK_STYLE, scrolled


# ----- 交办/督办 received (township) --------------------------------------------------------------
class ReceivedTab(Tab):
    COLUMNS = (N_("单号"), N_("类别"), N_("交办单位"), N_("交办日期"), N_("办理期限"), N_("状态"),
               N_("反映问题"), N_("最近反馈"))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.items: list[leadership.Assignment] = []
        col = QVBoxLayout(self)
        self.table = w.table([_(c) for c in self.COLUMNS])
        stretch(self.table, 6)  # 反映问题
        self.table.itemSelectionChanged.connect(self._show_detail)
        col.addWidget(captioned(_("县里交办督办的事项(&L)："), self.table))
        col.addWidget(self.table, 1)
        self.detail = w.note()
        col.addWidget(self.detail)
        self.receive_button = w.button(_("签收并登记(&R)"), self.receive)
        self.reply_button = w.button(_("反馈办理情况(&B)"), self.answer)
        self.open_button = w.button(_("打开信访件(&O)"), self.open_matter)
        self.print_button = w.button(_("打印交办督办单(&P)"), lambda: self.print_doc("assignment"))
        self.feedback_button = w.button(_("打印反馈表(&Q)"), lambda: self.print_doc("feedback"))
        col.addLayout(button_row(self.receive_button, self.reply_button, self.open_button,
                                 self.print_button, self.feedback_button))
        col.addWidget(self.message)

    def refresh(self) -> None:
        chosen = self.selected()
        self.items = leadership.assignments(self.ctx.reg)
        rows = []
        for a in self.items:
            last = a.replies[-1] if a.replies else None
            rows.append([a.number, a.kind_label, a.issuer, a.issued_on.isoformat(),
                         a.deadline.isoformat(), a.status_label, a.summary,
                         f"{last.replied_on.isoformat()} {last.kind_label}" if last else "—"])
        w.fill(self.table, rows)
        mark_rows(self.table, [a.status == "overdue" for a in self.items])
        if chosen is not None:
            for r, a in enumerate(self.items):
                if a.id == chosen.id:
                    self.table.selectRow(r)
        if not self.items:
            self.detail.setText(_("县信访局交办、督办的事项导入后显示在这里（数据交换 → 导入）。"))
        self._show_detail()

    def selected(self) -> leadership.Assignment | None:
        row = selected_row(self.table)
        return self.items[row] if 0 <= row < len(self.items) else None

    def _show_detail(self) -> None:
        a = self.selected()
        for b in (self.receive_button, self.reply_button, self.open_button, self.print_button,
                  self.feedback_button):
            b.setEnabled(a is not None)
        if a is None:
            return
        self.receive_button.setEnabled(a.received is None and not a.withdrawn)
        self.reply_button.setEnabled(a.final is None and not a.withdrawn)
        self.open_button.setEnabled(a.linked_matter is not None)
        self.feedback_button.setEnabled(any(r.kind != "received" for r in a.replies))
        lines = [_("{title} {number}（{issuer}，{issued}）").format(
            title=a.title, number=a.number, issuer=a.issuer, issued=a.issued_on.isoformat())]
        if a.petitioner_name:
            lines.append(_("信访人：{name} {phone} {address}").format(
                name=a.petitioner_name, phone=a.petitioner_phone, address=a.petitioner_address))
        if a.reason:
            lines.append(_("督办事由：{reason}（{level}）").format(reason=a.reason,
                                                             level=_(a.level)))
        if a.request:
            lines.append(_("诉求：{text}").format(text=a.request))
        if a.requirements:
            lines.append(_("办理要求：{text}").format(text=a.requirements))
        lines += [_("{day} {kind} {number} {content}").format(
            day=r.replied_on.isoformat(), kind=r.kind_label, number=r.number, content=r.content)
            for r in a.replies]
        self.detail.setText("\n".join(lines))

    def receive(self) -> None:
        a = self.selected()
        if a is None:
            return
        if a.linked_matter:
            done = self.ctx.run(self, leadership.receive, self.ctx.reg, a.id, topic="leadership")
            if done is not None:
                self.say(_("已签收{number}。").format(number=a.number), OK_STYLE)
        else:
            matter = self.ctx.run(self, leadership.register_as_matter, self.ctx.reg, a.id,
                                  topic="leadership")
            if matter is not None:
                self.say(_("已签收{number}，登记为信访件{matter}，请按程序受理办理。").format(
                    number=a.number, matter=matter["number"]), OK_STYLE)
        self.refresh()

    def answer(self) -> Form | None:
        a = self.selected()
        if a is None:
            return None
        return self.open_form(reply_form(self.ctx, self, a), lambda r: self.say(
            _("已反馈（{number}），随本站下次导出的数据包带给县信访局。").format(number=r.number),
            OK_STYLE))

    def open_matter(self) -> None:
        a = self.selected()
        if a is None or a.linked_matter is None:
            return
        from ui.case_detail import CaseDetailDialog

        CaseDetailDialog(self.ctx, a.linked_matter, self).exec()
        self.refresh()

    def print_doc(self, kind: str) -> None:
        a = self.selected()
        if a is not None:
            show_document(self.ctx, kind, a.id, self)

    def focus_first(self) -> None:
        focus_table(self.table)


# ----- 包案台账 --------------------------------------------------------------------------------
class HoldingsTab(Tab):
    COLUMNS = (N_("包案领导"), N_("类别"), N_("包案事项"), N_("包案日期"), N_("化解目标日期"),
               N_("下一步"), N_("进展情况"), N_("状态"), N_("逾期情况"))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.items: list[leadership.Holding] = []
        col = QVBoxLayout(self)
        top = QHBoxLayout()
        self.leader = QComboBox()
        self.leader.setMinimumContentsLength(10)
        caption = QLabel(_("包案领导(&L)"))
        caption.setBuddy(self.leader)
        top.addWidget(caption)
        top.addWidget(self.leader)
        self.closed = QCheckBox(_("显示已结束的(&W)"))
        top.addWidget(self.closed)
        top.addStretch(1)
        col.addLayout(top)
        self.table = w.table([_(c) for c in self.COLUMNS])
        stretch(self.table, 2)  # 包案事项
        self.table.itemSelectionChanged.connect(self._show_detail)
        col.addWidget(captioned(_("包案台账(&T)："), self.table))
        col.addWidget(self.table, 1)
        self.detail = w.note()
        col.addWidget(self.detail)
        self.new_button = w.button(_("新增包案(&N)"), self.new)
        self.note_button = w.button(_("记录进展(&J)"), self.note)
        self.close_button = w.button(_("包案结束(&E)"), self.close_holding)
        self.print_button = w.button(_("打印台账(&P)"), self.print_ledger)
        self.excel_button = w.button(_("导出Excel(&X)"), self.export_excel)
        col.addLayout(button_row(self.new_button, self.note_button, self.close_button,
                                 self.print_button, self.excel_button))
        col.addWidget(self.message)
        self.leader.currentIndexChanged.connect(lambda _i: self.refresh())
        self.closed.toggled.connect(lambda _on: self.refresh())

    def _fill_leaders(self) -> None:
        keep = self.leader.currentData()
        self.leader.blockSignals(True)
        self.leader.clear()
        self.leader.addItem(_("全部领导"), "")
        for x in leadership.leaders(self.ctx.reg, active_only=False):
            self.leader.addItem(x.label, x.id)
        index = self.leader.findData(keep)
        self.leader.setCurrentIndex(max(index, 0))
        self.leader.blockSignals(False)

    def refresh(self) -> None:
        self._fill_leaders()
        who = str(self.leader.currentData() or "")
        self.items = leadership.holdings(self.ctx.reg, leader_id=who or None,
                                         status=None if self.closed.isChecked() else "active")
        today = self.ctx.reg.clock().date()
        rows, late = [], []
        for h in self.items:
            step = h.next_step()
            overdue = h.overdue_items(today)
            rows.append([h.leader.label, h.kind_label, h.subject_label, h.held_from.isoformat(),
                         h.target_date.isoformat(),
                         (f"{step.due.isoformat()} {step.text}" if step.due else step.text)
                         if step else "", h.progress_text(), h.status_label,
                         _("；").join(overdue)])
            late.append(bool(overdue))
        w.fill(self.table, rows)
        mark_rows(self.table, late)
        writable = self.ctx.reg.mode == "township"
        self.new_button.setEnabled(writable and bool(leadership.leaders(self.ctx.reg)))
        if writable and not leadership.leaders(self.ctx.reg):
            self.say(_("请先在“领导名单”中添加领导。"))
        self._show_detail()

    def selected(self) -> leadership.Holding | None:
        row = selected_row(self.table)
        return self.items[row] if 0 <= row < len(self.items) else None

    def _show_detail(self) -> None:
        h = self.selected()
        active = h is not None and h.status == "active" and self.ctx.reg.mode == "township"
        self.note_button.setEnabled(active)
        self.close_button.setEnabled(active)
        if h is None:
            self.detail.clear()
            return
        lines = [_("化解方案：{plan}").format(plan=h.plan or "—")]
        lines += [_("第{n}步 {due} {step} {done}").format(
            n=i, due=s.due.isoformat() if s.due else "", step=s.text,
            done=_("（{day}完成）").format(day=s.done_on.isoformat()) if s.done_on else "")
            for i, s in enumerate(h.steps, start=1)]
        lines += [f"{n['noted_on']} {n['note']}" for n in leadership.notes_of(self.ctx.reg, h.id)]
        self.detail.setText("\n".join(lines))

    def new(self) -> Form:
        return self.open_form(holding_form(self.ctx, self), lambda h: self.say(
            _("已由{leader}包案。").format(leader=h.leader.label), OK_STYLE))

    def note(self) -> Form | None:
        h = self.selected()
        return None if h is None else self.open_form(note_form(self.ctx, self, h))

    def close_holding(self) -> Form | None:
        h = self.selected()
        return None if h is None else self.open_form(close_holding_form(self.ctx, self, h))

    def _leader_ref(self) -> str:
        return str(self.leader.currentData() or "all")

    def print_ledger(self) -> None:
        show_document(self.ctx, "holding-ledger", self._leader_ref(), self)

    def export_excel(self) -> Path | None:
        from printing.leadership_docs import ledger_rows
        from printing.ledger_xlsx import ledger_workbook
        from storage import station

        try:
            who, rows = ledger_rows(self.ctx.reg, self._leader_ref())
            data = ledger_workbook(station.station(self.ctx.reg).name, who, rows,
                                   self.ctx.reg.clock().date())
        except PetitionDeskError as exc:
            show_error(self, exc)
            return None
        path = ask_save_path(self, _("导出包案台账"), _("领导包案台账.xlsx"),
                             _("Excel 文件 (*.xlsx)"))
        if path is None:
            return None
        path = path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")
        try:
            path.write_bytes(data)
        except OSError as exc:
            self.say(_("无法保存到{path}：{error}").format(path=path, error=exc.strerror or exc),
                     ERROR_STYLE)
            return None
        self.say(_("已导出{n}条包案到：{path}").format(n=len(rows), path=path), OK_STYLE)
        return path

    def focus_first(self) -> None:
        focus_table(self.table)


# ----- 积案 -------------------------------------------------------------------------------------
class BacklogTab(Tab):
    COLUMNS = (N_("编号"), N_("信访人"), N_("反映问题"), N_("积案天数"), N_("列入"), N_("原因"),
               N_("包案领导"), N_("化解方案"), N_("最近办理"), N_("状态"))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.items: list[leadership.BacklogEntry] = []
        col = QVBoxLayout(self)
        top = QHBoxLayout()
        self.rules = w.note()
        top.addWidget(self.rules, 1)
        self.rules_button = w.button(_("调整规则(&U)"), self.adjust_rules)
        top.addWidget(self.rules_button)
        col.addLayout(top)
        self.show_all = QCheckBox(_("也显示已化解和已移出的(&W)"))
        self.show_all.toggled.connect(lambda _on: self.refresh())
        col.addWidget(self.show_all)
        self.table = w.table([_(c) for c in self.COLUMNS])
        stretch(self.table, 2)  # 反映问题
        self.table.itemSelectionChanged.connect(self._update_buttons)
        col.addWidget(captioned(_("积案(&L)："), self.table))
        col.addWidget(self.table, 1)
        self.add_button = w.button(_("手工列入(&A)"), self.add)
        self.resolve_button = w.button(_("积案化解(&J)"), self.resolve)
        self.exclude_button = w.button(_("移出积案(&X)"), self.exclude)
        self.open_button = w.button(_("打开信访件(&O)"), self.open_matter)
        col.addLayout(button_row(self.add_button, self.resolve_button, self.exclude_button,
                                 self.open_button))
        col.addWidget(self.message)

    def refresh(self) -> None:
        reg = self.ctx.reg
        township = reg.mode == "township"
        if township and reg.actor.role in ("clerk", "head"):
            listed = self.ctx.run(self, leadership.sweep, reg)
            if listed:
                self.say(_("按规则新列入积案{n}件。").format(n=listed), OK_STYLE)
        self.rules.setText(_("积案规则：{rules}").format(
            rules=_("；").join(leadership.rules(reg).texts()) or _("（未启用，只能手工列入）")))
        self.rules_button.setEnabled(township and reg.actor.role == "head")
        self.items = leadership.backlog(reg, status=None if self.show_all.isChecked() else "open")
        w.fill(self.table, [[e.number, e.petitioner, e.summary, e.age_days,
                             e.listed_on.isoformat(), e.reason_text or _("手工列入"),
                             e.leader or "—", e.plan or "—",
                             f"{e.last_action_on.isoformat() if e.last_action_on else ''} "
                             f"{e.last_action}".strip() or "—", e.status_label]
                            for e in self.items])
        self.add_button.setEnabled(township)
        self._update_buttons()

    def selected(self) -> leadership.BacklogEntry | None:
        row = selected_row(self.table)
        return self.items[row] if 0 <= row < len(self.items) else None

    def _update_buttons(self) -> None:
        e = self.selected()
        open_here = e is not None and e.status == "open" and self.ctx.reg.mode == "township"
        self.resolve_button.setEnabled(open_here)
        self.exclude_button.setEnabled(open_here and self.ctx.reg.actor.role == "head")
        self.open_button.setEnabled(e is not None)

    def adjust_rules(self) -> Form:
        return self.open_form(rules_form(self.ctx, self))

    def add(self) -> Form:
        return self.open_form(backlog_add_form(self.ctx, self))

    def resolve(self) -> Form | None:
        e = self.selected()
        return None if e is None else self.open_form(backlog_resolve_form(self.ctx, self, e))

    def exclude(self) -> Form | None:
        e = self.selected()
        return None if e is None else self.open_form(backlog_exclude_form(self.ctx, self, e))

    def open_matter(self) -> None:
        e = self.selected()
        if e is None:
            return
        from ui.case_detail import CaseDetailDialog

        CaseDetailDialog(self.ctx, e.matter_id, self).exec()
        self.refresh()

    def focus_first(self) -> None:
        focus_table(self.table)


# ----- reception days and 约访 -------------------------------------------------------------------
class ReceptionTab(Tab):
    COLUMNS = (N_("日期"), N_("安排"), N_("情况"))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.entries: list[leadership.CalendarEntry] = []
        col = QVBoxLayout(self)
        top = QHBoxLayout()
        self.month = QDateEdit()
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setCalendarPopup(False)
        self.month.setDate(QDate(ctx.today().year(), ctx.today().month(), 1))
        caption = QLabel(_("月份(&M)"))
        caption.setBuddy(self.month)
        top.addWidget(caption)
        top.addWidget(self.month)
        top.addStretch(1)
        col.addLayout(top)
        self.month.dateChanged.connect(lambda _d: self.refresh())
        self.table = w.table([_(c) for c in self.COLUMNS])
        self.table.itemSelectionChanged.connect(self._update_buttons)
        col.addWidget(captioned(_("领导接访、下访和约访(&L)："), self.table))
        col.addWidget(self.table, 1)
        self.plan_button = w.button(_("安排接访下访(&A)"), self.plan)
        self.weekly_button = w.button(_("固定接访日(&W)"), self.weekly)
        self.record_button = w.button(_("登记接访情况(&R)"), self.record)
        self.appoint_button = w.button(_("约访(&Y)"), self.appoint)
        self.outcome_button = w.button(_("约访结果(&J)"), self.outcome)
        self.notice_button = w.button(_("打印约访通知书(&P)"), self.print_notice)
        col.addLayout(button_row(self.plan_button, self.weekly_button, self.record_button,
                                 self.appoint_button, self.outcome_button, self.notice_button))
        township = ctx.reg.mode == "township"
        for b in (self.appoint_button, self.outcome_button, self.notice_button):
            b.setVisible(township)  # 约访 is about a township's own matter
        col.addWidget(self.message)

    def refresh(self) -> None:
        day = self.month.date()
        self.entries = leadership.month_calendar(self.ctx.reg, day.year(), day.month())
        w.fill(self.table, [[e.day.isoformat(), e.text, e.status] for e in self.entries])
        has_leaders = bool(leadership.leaders(self.ctx.reg))
        for b in (self.plan_button, self.weekly_button, self.appoint_button):
            b.setEnabled(has_leaders)
        if not has_leaders:
            self.say(_("请先在“领导名单”中添加领导。"))
        self._update_buttons()

    def selected(self) -> leadership.CalendarEntry | None:
        row = selected_row(self.table)
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def _update_buttons(self) -> None:
        e = self.selected()
        self.record_button.setEnabled(e is not None and e.kind != "appointment")
        self.outcome_button.setEnabled(e is not None and e.kind == "appointment")
        self.notice_button.setEnabled(e is not None and e.kind == "appointment")

    def plan(self) -> Form:
        return self.open_form(reception_form(self.ctx, self))

    def weekly(self) -> Form:
        return self.open_form(weekly_form(self.ctx, self), lambda n: self.say(
            _("已安排{n}个接访日。").format(n=n), OK_STYLE))

    def record(self) -> Form | None:
        e = self.selected()
        if e is None or e.kind == "appointment":
            return None
        return self.open_form(record_reception_form(
            self.ctx, self, leadership.reception(self.ctx.reg, e.ref)))

    def appoint(self) -> Form:
        return self.open_form(appointment_form(self.ctx, self), lambda a: self.say(
            _("已约{name}于{day}面谈，可打印约访通知书。").format(name=a.petitioner_name,
                                                       day=a.day.isoformat()), OK_STYLE))

    def outcome(self) -> Form | None:
        e = self.selected()
        if e is None or e.kind != "appointment":
            return None
        return self.open_form(outcome_form(self.ctx, self,
                                           leadership.appointment(self.ctx.reg, e.ref)))

    def print_notice(self) -> None:
        e = self.selected()
        if e is not None and e.kind == "appointment":
            show_document(self.ctx, "appointment", e.ref, self)

    def focus_first(self) -> None:
        focus_table(self.table)


# ----- leaders ---------------------------------------------------------------------------------
class LeadersTab(Tab):
    COLUMNS = (N_("姓名"), N_("职务"), N_("联系电话"), N_("状态"))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.items: list[leadership.Leader] = []
        col = QVBoxLayout(self)
        col.addWidget(w.note(_("领导名单用于包案、接访和约访；领导不是登录账号。")))
        self.table = w.table([_(c) for c in self.COLUMNS])
        col.addWidget(captioned(_("领导名单(&L)："), self.table))
        col.addWidget(self.table, 1)
        self.add_button = w.button(_("新增领导(&N)"), self.add)
        self.edit_button = w.button(_("修改(&E)"), self.edit)
        col.addLayout(button_row(self.add_button, self.edit_button))
        col.addWidget(self.message)

    def refresh(self) -> None:
        self.items = leadership.leaders(self.ctx.reg, active_only=False)
        w.fill(self.table, [[x.name, x.post, x.phone, _("在任") if x.active else _("已停用")]
                            for x in self.items])
        allowed = self.ctx.reg.actor.role in ("head", "county")
        self.add_button.setEnabled(allowed)
        self.edit_button.setEnabled(allowed and bool(self.items))
        if not allowed:
            self.say(_("领导名单由站长维护。"))

    def add(self) -> Form:
        return self.open_form(leader_form(self.ctx, self))

    def edit(self) -> Form | None:
        row = selected_row(self.table)
        if not 0 <= row < len(self.items):
            return None
        return self.open_form(leader_form(self.ctx, self, self.items[row]))

    def focus_first(self) -> None:
        focus_table(self.table)


# ----- the page --------------------------------------------------------------------------------
class LeadershipPage(Page):
    TITLE = N_("包案督办")

    @classmethod
    def available(cls, ctx: AppContext) -> bool:
        return registry.holds_leadership(ctx)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.tabs = QTabWidget()
        self.panels: list[Tab] = []
        self.county_tab: CountySupervisionTab | None = None
        self.received_tab: ReceivedTab | None = None
        self.holdings_tab: HoldingsTab | None = None
        self.backlog_tab: BacklogTab | None = None
        if ctx.reg.mode == "county":
            self.county_tab = CountySupervisionTab(ctx)
            self._add(self.county_tab, _("交办督办"))
        else:
            self.received_tab = ReceivedTab(ctx)
            self._add(self.received_tab, _("交办督办"))
            self.holdings_tab = HoldingsTab(ctx)
            self._add(self.holdings_tab, _("包案台账"))
            self.backlog_tab = BacklogTab(ctx)
            self._add(self.backlog_tab, _("积案"))
        self.reception_tab = ReceptionTab(ctx)
        self._add(self.reception_tab, _("接访约访"))
        self.leaders_tab = LeadersTab(ctx)
        self._add(self.leaders_tab, _("领导名单"))
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def _add(self, tab: Tab, label: str) -> None:
        self.panels.append(tab)
        self.tabs.addTab(scrolled(tab), label)

    def current(self) -> Tab | None:
        index = self.tabs.currentIndex()
        return self.panels[index] if 0 <= index < len(self.panels) else None

    def show_tab(self, tab: Tab) -> None:
        self.tabs.setCurrentIndex(self.panels.index(tab))

    def refresh(self) -> None:
        tab = self.current()
        if tab is not None:
            tab.refresh()

    def focus_first(self) -> None:
        tab = self.current()
        if tab is not None:
            tab.focus_first()
