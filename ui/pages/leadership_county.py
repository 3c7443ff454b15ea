"""The county's 交办督办 screen: each township's 交办/督办 counted by status (办理中, 已反馈,
已逾期, 如期), every one of them with its deadline and the township's latest 反馈, and the
county's actions — 交办, 督办 (a township matter, or the selected 交办), 撤回, print.

What the county issues reaches the townships on a stick: 数据交换 → 发往乡镇 writes each
township's bundle; the townships' 反馈 come back in their monthly bundles."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from storage import leadership
from storage.i18n import N_, _, pgettext
from storage.sync import downward
from storage.sync.export import DOWNWARD_ROLES
from ui.context import AppContext
from ui.county_filter import StationFilter
from ui.pages.leadership_common import Tab, focus_table, selected_row
from ui.pages.leadership_forms import Form, assignment_form, supervision_form
from ui.print_preview import show_document
from ui.sync import widgets as w
from ui.widgets import NOTE_STYLE, OK_STYLE, OVERDUE_BG, WARN_BANNER_STYLE


class CountySupervisionTab(Tab):
    SUMMARY = (N_("交办督办"), N_("办理中"), N_("已反馈"), N_("已逾期"), N_("如期反馈"))
    COLUMNS = (N_("单号"), N_("类别"), N_("交办日期"), N_("办理期限"), N_("状态"), N_("反馈日期"),
               N_("反映问题"))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.items: list[leadership.Assignment] = []
        col = QVBoxLayout(self)
        township = pgettext("表头", "乡镇")
        self.summary = w.table([township, *(_(c) for c in self.SUMMARY)])
        self.summary.setMaximumHeight(150)
        header = self.summary.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the township's name
        caption = QLabel(_("各乡镇办理情况(&T)："))
        caption.setBuddy(self.summary)
        col.addWidget(caption)
        col.addWidget(self.summary)
        top = QHBoxLayout()
        self.station_filter = StationFilter(ctx.reg)
        self.station_filter.changed.connect(lambda _code: self.refresh())
        top.addWidget(self.station_filter)
        top.addStretch(1)
        col.addLayout(top)
        headers = [_(c) for c in self.COLUMNS]
        self.table = w.table([*headers[:2], township, *headers[2:]])
        self.table.itemSelectionChanged.connect(self._show_detail)
        caption = QLabel(_("交办督办单(&L)："))
        caption.setBuddy(self.table)
        col.addWidget(caption)
        col.addWidget(self.table, 1)
        self.detail = w.note()
        col.addWidget(self.detail)
        self.assign_button = w.button(_("交办(&J)"), self.assign)
        self.supervise_button = w.button(_("督办(&D)"), self.supervise)
        self.withdraw_button = w.button(_("撤回(&W)"), self.withdraw)
        self.print_button = w.button(_("打印交办督办单(&P)"), lambda: self.print_doc("assignment"))
        self.feedback_button = w.button(_("打印反馈表(&Q)"), lambda: self.print_doc("feedback"))
        row = QHBoxLayout()
        for b in (self.assign_button, self.supervise_button, self.withdraw_button,
                  self.print_button, self.feedback_button):
            row.addWidget(b)
        row.addStretch(1)
        col.addLayout(row)
        self.sending = w.note()
        col.addWidget(self.sending)
        col.addWidget(self.message)

    def refresh(self) -> None:
        self.station_filter.fill()
        chosen = self.selected()
        summaries = leadership.per_township(self.ctx.reg)
        w.fill(self.summary, [[s.name, s.issued, s.pending, s.answered, s.overdue, s.on_time]
                              for s in summaries])
        code = self.station_filter.code()
        self.items = leadership.assignments(self.ctx.reg, township=code or None)
        rows = []
        for a in self.items:
            final = a.final
            rows.append([a.number, a.kind_label, a.township, a.issued_on.isoformat(),
                         a.deadline.isoformat(), a.status_label,
                         final.replied_on.isoformat() if final else "—", a.summary])
        w.fill(self.table, rows)
        for r, a in enumerate(self.items):
            if a.status == "overdue":
                for c in range(self.table.columnCount()):
                    item = self.table.item(r, c)
                    if item is not None:
                        item.setBackground(OVERDUE_BG)
            if chosen is not None and a.id == chosen.id:
                self.table.selectRow(r)
        self._show_sending()
        self._show_detail()

    def _show_sending(self) -> None:
        if self.ctx.reg.actor.role not in DOWNWARD_ROLES:
            self.sending.clear()
            return
        waiting = [p for p in downward.plans(self.ctx.reg) if p.records]
        note = downward.status_note(self.ctx.reg)
        if waiting:
            self.sending.setStyleSheet(WARN_BANNER_STYLE)
            self.sending.setText(_(
                "有新的交办督办要带给{names}：请在“数据交换 → 发往乡镇”写入U盘。").format(
                names=_("、").join(p.name for p in waiting)) + ("\n" + note if note else ""))
        else:
            self.sending.setStyleSheet(NOTE_STYLE)
            self.sending.setText(note or _("交办督办都已写入U盘带给乡镇。"))

    def selected(self) -> leadership.Assignment | None:
        row = selected_row(self.table)
        return self.items[row] if 0 <= row < len(self.items) else None

    def _show_detail(self) -> None:
        a = self.selected()
        for b in (self.withdraw_button, self.print_button, self.feedback_button):
            b.setEnabled(a is not None)
        if a is None:
            self.detail.setText(_("选中一份交办督办单可看反馈详情；按“督办”可对选中的交办单督办。"))
            return
        self.withdraw_button.setEnabled(not a.withdrawn and a.final is None)
        self.feedback_button.setEnabled(any(r.kind != "received" for r in a.replies))
        lines = [_("{title} {number}：{township}，期限{deadline}，{status}").format(
            title=a.title, number=a.number, township=a.township,
            deadline=a.deadline.isoformat(), status=a.status_label)]
        if not a.replies:
            lines.append(_("乡镇尚未签收（随乡镇下次的数据包反馈）。"))
        lines += [_("{day} {kind} {number} {content}").format(
            day=r.replied_on.isoformat(), kind=r.kind_label, number=r.number,
            content=r.content or r.handled_by) for r in a.replies]
        final = a.final
        if final is not None:
            lines.append(_("办理结果：{result}；信访人意见：{view}；{when}").format(
                result=_(final.result), view=_(final.petitioner_view),
                when=_("如期反馈") if a.on_time else _("逾期反馈")))
        self.detail.setText("\n".join(lines))

    def assign(self) -> Form:
        return self.open_form(assignment_form(self.ctx, self), lambda a: self.say(
            _("已交办{number}，写入U盘后带给乡镇。").format(number=a.number), OK_STYLE))

    def supervise(self) -> Form:
        chosen = self.selected()
        follows = chosen if chosen is not None and chosen.kind == "交办" and chosen.final is None \
            and not chosen.withdrawn else None
        return self.open_form(supervision_form(self.ctx, self, follows), lambda a: self.say(
            _("已督办{number}，写入U盘后带给乡镇。").format(number=a.number), OK_STYLE))

    def withdraw(self) -> None:
        a = self.selected()
        if a is None or not w.confirm(self, _("撤回"), _("撤回{number}？乡镇收到后不再办理。").format(
                number=a.number)):
            return
        if self.ctx.run(self, leadership.withdraw, self.ctx.reg, a.id,
                        topic="leadership") is not None:
            self.say(_("已撤回{number}。").format(number=a.number), OK_STYLE)
        self.refresh()

    def print_doc(self, kind: str) -> None:
        a = self.selected()
        if a is not None:
            show_document(self.ctx, kind, a.id, self)

    def focus_first(self) -> None:
        focus_table(self.table)


