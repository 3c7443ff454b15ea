"""The station's views of the screening: the completeness matrix with the reminder list, the
dispute ledger (filters, detail, history, progress, escalation) and month closing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage import codes, station
from storage import screening as sc
from storage.errors import PetitionDeskError
from storage.i18n import N_, _, join_list
from storage.screening import CellState, default_periods, month_key, parse_month
from ui.context import AppContext
from ui.pages.screening_forms import ProgressForm
from ui.widgets import ERROR_COLOUR, ERROR_STYLE, size_columns

# Cell colours of the matrix (also shown as the legend).
COLOURS = {
    CellState.REPORTED: "#c8e6c9",
    CellState.ZERO: "#bbdefb",
    CellState.MISSING: "#ffcdd2",
    CellState.DUE: "#fff9c4",
    CellState.UPCOMING: "#f5f5f5",
    CellState.UNTRACKED: "#eeeeee",
}
LATE_COLOUR = "#ffcc80"


def cell_colour(state: CellState, late: bool) -> str:
    return LATE_COLOUR if late else COLOURS[state]


def _item(text: str, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    return table


# ----- completeness --------------------------------------------------------------------------
class MatrixTab(QWidget):
    """Grid × period: reported (green), zero report (blue), late (orange), missing (red)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("显示最近期数")))
        self.count = QSpinBox()
        self.count.setRange(4, 53)
        self.count.setValue(8)
        self.count.valueChanged.connect(lambda _v: self.refresh())
        top.addWidget(self.count)
        for state in (CellState.REPORTED, CellState.ZERO, CellState.MISSING, CellState.DUE):
            top.addWidget(self._legend(state.label, COLOURS[state]))
        top.addWidget(self._legend(_("迟报"), LATE_COLOUR))
        top.addStretch(1)
        layout.addLayout(top)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        body = QHBoxLayout()
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        body.addWidget(self.table, 3)
        side = QVBoxLayout()
        box = QGroupBox(_("各联络员未报情况"))
        bv = QVBoxLayout(box)
        self.loads = _table([_("联络员"), _("网格数"), _("未报"), _("待报"), _("迟报")])
        bv.addWidget(self.loads)
        side.addWidget(box)
        rbox = QGroupBox(_("催报名单"))
        rv = QVBoxLayout(rbox)
        self.reminders = QListWidget()
        self.reminders.setWordWrap(True)
        rv.addWidget(self.reminders)
        self.copy = QPushButton(_("复制催报名单（Ctrl+Shift+C）"))
        self.copy.clicked.connect(self.copy_reminders)
        rv.addWidget(self.copy)
        side.addWidget(rbox, 1)
        body.addLayout(side, 2)
        layout.addLayout(body, 1)
        sc_ = QShortcut(QKeySequence("Ctrl+Shift+C"), self)
        sc_.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sc_.activated.connect(self.copy_reminders)

    @staticmethod
    def _legend(text: str, colour: str) -> QLabel:
        label = QLabel(f" {text} ")
        label.setStyleSheet(f"background: {colour}; border: 1px solid #999; padding: 2px;")
        return label

    def refresh(self) -> None:
        reg = self.ctx.reg
        ids = [g.id for g in sc.entry_grids(reg)] if reg.actor.role == "liaison" else None
        m = sc.completeness(reg, default_periods(reg, self.count.value()), grid_ids=ids)
        self.matrix = m
        self.table.clear()
        self.table.setRowCount(len(m.rows))
        self.table.setColumnCount(2 + len(m.periods))
        self.table.setHorizontalHeaderLabels(
            [_("村（社区）/网格"), _("联络员")] + [p.short_label for p in m.periods])
        for j, p in enumerate(m.periods):
            header = self.table.horizontalHeaderItem(j + 2)
            if header is not None:
                header.setToolTip(p.label)
        for i, row in enumerate(m.rows):
            self.table.setItem(i, 0, _item(f"{row.grid.village_name} {row.grid.name}",
                                           row.grid.id))
            self.table.setItem(i, 1, _item(row.liaison or _("未指定")))
            for j, cell in enumerate(row.cells):
                item = _item(cell.short_label, cell.state.value)
                item.setBackground(QBrush(QColor(cell_colour(cell.state, cell.late))))
                tip = f"{cell.period.label}\n{cell.label}"
                if cell.report_id:
                    tip += "\n" + _("{who} 于 {at} 报送，新发现纠纷{n}件，更新{u}件").format(
                        who=cell.reporter, at=cell.reported_at.replace("T", " "),
                        n=cell.new_disputes, u=cell.updates)
                item.setToolTip(tip)
                self.table.setItem(i, j + 2, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.summary.setText(_("已报（有纠纷）{r} · 零报告 {z} · 其中迟报 {late} · 未报 {m} · 待报 {d}")
                             .format(r=m.count(CellState.REPORTED), z=m.count(CellState.ZERO),
                                     late=m.late, m=m.count(CellState.MISSING),
                                     d=m.count(CellState.DUE)))
        self.loads.setRowCount(len(m.liaisons))
        for i, load in enumerate(m.liaisons):
            for j, value in enumerate((load.liaison, load.grids, load.missing, load.due,
                                       load.late)):
                self.loads.setItem(i, j, _item(str(value)))
        self.reminders.clear()
        for r in sc.reminders(reg, lookback=self.count.value()):
            if ids is None or r.grid.id in ids:
                self.reminders.addItem(r.text)

    def copy_reminders(self) -> None:
        lines = [self.reminders.item(i).text() for i in range(self.reminders.count())]
        QGuiApplication.clipboard().setText("\n".join(lines))


# ----- disputes -------------------------------------------------------------------------------
class ProgressDialog(QDialog):
    """A change the station records itself (not part of a grid's report)."""

    def __init__(self, ctx: AppContext, dispute_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dispute_id = dispute_id
        self.setWindowTitle(_("更新纠纷进展"))
        layout = QVBoxLayout(self)
        self.form = ProgressForm()
        layout.addWidget(self.form)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error)
        self.form.submitted.connect(self.save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        reg = self.ctx.reg
        try:
            sc.update_dispute(reg, self.dispute_id, self.form.value(sc.today(reg)),
                              in_report=False)
        except PetitionDeskError as exc:
            self.error.setText(exc.user_text())
            return
        self.ctx.changed.emit("screenings")
        self.accept()


class MatterDialog(QDialog):
    """Register the dispute as a petition matter: which parties petition, which form."""

    def __init__(self, ctx: AppContext, dispute: dict[str, object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dispute_id = str(dispute["id"])
        self.setWindowTitle(_("登记为信访事项"))
        form = QFormLayout(self)
        self.people = QListWidget()
        for i, p in enumerate(sc.parties_of(dispute)):
            item = QListWidgetItem(p.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if i == 0 else Qt.CheckState.Unchecked)
            self.people.addItem(item)
        self.form_kind = QComboBox()
        self.form_kind.addItems(codes.labels(ctx.reg, "form"))
        self.transferred = QCheckBox(_("纠纷状态改为“已移交”信访工作站"))
        self.transferred.setChecked(True)
        form.addRow(_("信访人（空格勾选）"), self.people)
        form.addRow(_("信访形式"), self.form_kind)
        form.addRow("", self.transferred)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.matter: dict[str, object] | None = None

    def save(self) -> None:
        names = [self.people.item(i).text() for i in range(self.people.count())
                 if self.people.item(i).checkState() == Qt.CheckState.Checked]
        try:
            self.matter = sc.register_as_matter(
                self.ctx.reg, self.dispute_id, petitioners=names,
                form=self.form_kind.currentText(), mark_transferred=self.transferred.isChecked())
        except PetitionDeskError as exc:
            self.error.setText(exc.user_text())
            return
        self.ctx.changed.emit("matters")
        self.ctx.changed.emit("screenings")
        self.accept()


class MediationDialog(QDialog):
    def __init__(self, ctx: AppContext, dispute_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dispute_id = dispute_id
        self.setWindowTitle(_("转人民调解"))
        form = QFormLayout(self)
        self.mediators = QLineEdit()
        self.mediators.setPlaceholderText(_("多人用、隔开"))
        form.addRow(_("人民调解员"), self.mediators)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.case: dict[str, object] | None = None

    def save(self) -> None:
        text = self.mediators.text()
        for sep in ("，", ",", "；", ";"):
            text = text.replace(sep, "、")
        names = [n.strip() for n in text.split("、") if n.strip()]
        try:
            self.case = sc.send_to_mediation(self.ctx.reg, self.dispute_id, mediators=names)
        except PetitionDeskError as exc:
            self.error.setText(exc.user_text())
            return
        self.ctx.changed.emit("mediations")
        self.ctx.changed.emit("screenings")
        self.accept()


class DisputesTab(QWidget):
    """The dispute ledger: filters, detail with history, progress and escalation."""

    HEADERS = (N_("排查日期"), N_("村（社区）/网格"), N_("纠纷类型"), N_("当事人"), N_("风险"),
               N_("状态"), N_("化解时限"), N_("超期天数"), N_("责任人"), N_("关联"))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        reg = ctx.reg
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.status = self._combo(_("全部状态"), list(sc.STATUSES))
        self.risk = self._combo(_("全部风险"), sc.risk_levels(reg))
        self.type = self._combo(_("全部类型"), codes.labels(reg, "dispute_type"))
        self.village = QComboBox()
        self.village.addItem(_("全部村（社区）"), None)
        for v in station.villages(reg):
            self.village.addItem(v.name, v.id)
        self.text = QLineEdit()
        self.text.setPlaceholderText(_("当事人、情况、地点（Enter 查找）"))
        self.active = QCheckBox(_("仅未了结"))
        self.overdue = QCheckBox(_("仅超期"))
        for w in (self.status, self.risk, self.type, self.village, self.text, self.active,
                  self.overdue):
            filters.addWidget(w)
        layout.addLayout(filters)
        for combo in (self.status, self.risk, self.type, self.village):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for box in (self.active, self.overdue):
            box.toggled.connect(lambda _c: self.refresh())
        self.text.returnPressed.connect(self.refresh)
        body = QHBoxLayout()
        self.table = _table([_(h) for h in self.HEADERS])
        self.table.itemSelectionChanged.connect(self.show_detail)
        body.addWidget(self.table, 3)
        side = QVBoxLayout()
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        side.addWidget(self.detail)
        side.addWidget(QLabel(_("历次进展")))
        self.history = QListWidget()
        self.history.setWordWrap(True)
        side.addWidget(self.history, 1)
        buttons = QHBoxLayout()
        self.update_btn = QPushButton(_("更新进展（Ctrl+U）"))
        self.mediation_btn = QPushButton(_("转人民调解（Ctrl+M）"))
        self.matter_btn = QPushButton(_("登记为信访件（Ctrl+R）"))
        for button, slot, keys in ((self.update_btn, self.update_progress, "Ctrl+U"),
                                   (self.mediation_btn, self.to_mediation, "Ctrl+M"),
                                   (self.matter_btn, self.to_matter, "Ctrl+R")):
            button.clicked.connect(slot)
            buttons.addWidget(button)
            sc_ = QShortcut(QKeySequence(keys), self)
            sc_.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc_.activated.connect(slot)
        side.addLayout(buttons)
        body.addLayout(side, 2)
        layout.addLayout(body, 1)
        self.count = QLabel()
        layout.addWidget(self.count)
        can_escalate = reg.actor.role in ("clerk", "head") and reg.mode != "county"
        self.mediation_btn.setEnabled(can_escalate)
        self.matter_btn.setEnabled(can_escalate)
        self.update_btn.setEnabled(reg.mode != "county" and reg.actor.role != "county")
        self.rows: list[dict[str, object]] = []

    @staticmethod
    def _combo(all_label: str, values: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(all_label, None)
        for v in values:
            combo.addItem(v, v)
        return combo

    def refresh(self) -> None:
        reg = self.ctx.reg
        keep = self.current_id()
        self.rows = sc.list_disputes(
            reg, status=self.status.currentData(), risk_level=self.risk.currentData(),
            dispute_type=self.type.currentData(), village_id=self.village.currentData(),
            text=self.text.text(), active_only=self.active.isChecked(),
            overdue_only=self.overdue.isChecked())
        alert = set(sc.alert_levels(reg))
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            links = join_list(x for x in (_("调解") if r["mediation_id"] else "",
                                          _("信访件") if r["matter_id"] else "") if x)
            values = (r["found_on"], f"{r['village_name']} {r['grid_name']}", r["type"],
                      r["parties"], r["risk_level"], sc.value_label(str(r["status"])),
                      r["deadline"] or "",
                      str(r["overdue_days"] or ""), r["responsible_person"], links)
            for j, v in enumerate(values):
                item = _item(str(v), r["id"] if j == 0 else None)
                if j == 4 and r["risk_level"] in alert:
                    item.setForeground(QBrush(QColor(ERROR_COLOUR)))
                if j == 7 and r["overdue_days"]:
                    item.setBackground(QBrush(QColor(COLOURS[CellState.MISSING])))
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self.count.setText(_("共{n}件").format(n=len(self.rows)))
        for i, r in enumerate(self.rows):
            if r["id"] == keep:
                self.table.selectRow(i)
                break
        else:
            if self.rows:
                self.table.selectRow(0)
        self.show_detail()

    def current_id(self) -> str | None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            return None
        return str(self.rows[row]["id"])

    def show_detail(self) -> None:
        self.history.clear()
        dispute_id = self.current_id()
        if dispute_id is None:
            self.detail.setText(_("没有选中的纠纷。"))
            return
        reg = self.ctx.reg
        d = sc.dispute(reg, dispute_id)
        parties = join_list(_("{name}（{phone}）").format(name=p.name, phone=p.phone)
                            if p.phone else p.name for p in sc.parties_of(d))
        may = join_list(sc.may_cause_labels(d)) or _("无")
        lines = [
            _("<b>{type}纠纷</b> · {risk} · {status}").format(
                type=d["type"], risk=d["risk_level"], status=sc.value_label(d["status"])),
            _("排查：{found}，{who}").format(found=d["found_on"], who=d["screener"]),
            _("当事人：{p}（涉及{n}人）").format(p=parties, n=d["persons_involved"]),
            _("地点：{place}").format(place=d["place"] or "—"),
            _("简要情况：{s}").format(s=d["summary"]),
            _("可能引发：{m}").format(m=may),
            _("化解措施：{m}").format(m=d["measures"] or "—"),
            _("责任单位/责任人：{u} / {p}").format(u=d["responsible_unit"] or "—",
                                                p=d["responsible_person"] or "—"),
            _("化解时限：{d}").format(d=d["deadline"] or "—"),
        ]
        if d["status"] == sc.RESOLVED:
            lines.append(_("化解：{on}，{way}").format(on=d["resolved_on"],
                                                    way=sc.value_label(d["resolution_way"])))
        if d["status"] == sc.TRANSFERRED:
            lines.append(_("移交：{t}").format(t=d["transfer_to"]))
        if d["mediation_id"]:
            number = reg.scalar("SELECT number FROM mediations WHERE id = ?",
                                (d["mediation_id"],))
            lines.append(_("人民调解：{n}").format(n=number or ""))
        if d["matter_id"]:
            number = reg.scalar("SELECT number FROM matters WHERE id = ?", (d["matter_id"],))
            lines.append(_("信访事项：{n}").format(n=number or ""))
        self.detail.setText("<br>".join(lines))
        for h in sc.dispute_history(reg, dispute_id):
            self.history.addItem(sc.describe_update(h))
        closed = d["status"] not in sc.ACTIVE_STATUSES
        for button in (self.mediation_btn, self.matter_btn):
            button.setToolTip(_("已了结的纠纷不能再转出。") if closed else "")

    def update_progress(self) -> None:
        dispute_id = self.current_id()
        if dispute_id is None or not self.update_btn.isEnabled():
            return
        ProgressDialog(self.ctx, dispute_id, self).exec()
        self.refresh()

    def to_mediation(self) -> None:
        dispute_id = self.current_id()
        if dispute_id is None or not self.mediation_btn.isEnabled():
            return
        MediationDialog(self.ctx, dispute_id, self).exec()
        self.refresh()

    def to_matter(self) -> None:
        dispute_id = self.current_id()
        if dispute_id is None or not self.matter_btn.isEnabled():
            return
        MatterDialog(self.ctx, sc.dispute(self.ctx.reg, dispute_id), self).exec()
        self.refresh()


# ----- month closing --------------------------------------------------------------------------
class MonthTab(QWidget):
    """Issue the month's sheet (locks the month); the station head reopens it with a reason."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("月份")))
        self.month = QComboBox()
        today = sc.today(ctx.reg)
        y, m = today.year, today.month
        for _i in range(24):
            self.month.addItem(_("{y}年{m}月").format(y=y, m=m), month_key(y, m))
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        self.month.setCurrentIndex(1)
        self.month.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(self.month)
        self.state = QLabel()
        top.addWidget(self.state, 1)
        layout.addLayout(top)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.summary)
        # The grids that zero-reported or did not report, one row each (issue 15: a paragraph).
        self.grid_table = QTableWidget(0, 4)
        self.grid_table.setHorizontalHeaderLabels(
            [_("村（社区）"), _("网格"), _("零报告网格"), _("未报送网格")])
        self.grid_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid_table.verticalHeader().hide()
        size_columns(self.grid_table.horizontalHeader(), 3)
        layout.addWidget(self.grid_table, 1)
        actions = QHBoxLayout()
        self.issue_btn = QPushButton(_("出具排查表并锁定本月"))
        self.issue_btn.clicked.connect(self.issue)
        actions.addWidget(self.issue_btn)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("重新打开的理由（站长）"))
        self.reason.returnPressed.connect(self.reopen)
        self.reopen_btn = QPushButton(_("重新打开"))
        self.reopen_btn.clicked.connect(self.reopen)
        actions.addWidget(self.reason, 1)
        actions.addWidget(self.reopen_btn)
        layout.addLayout(actions)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addWidget(QLabel(_("出具与重新打开记录")))
        self.history = QListWidget()
        layout.addWidget(self.history, 1)
        # The county reads a township's sheet: nothing is issued or reopened there.
        self.writable = ctx.reg.mode != "county"
        self.issue_btn.setVisible(self.writable)
        is_head = ctx.reg.actor.role == "head" and self.writable
        self.reason.setVisible(is_head)
        self.reopen_btn.setVisible(is_head)

    def year_month(self) -> tuple[int, int]:
        return parse_month(str(self.month.currentData()))

    def refresh(self) -> None:
        reg = self.ctx.reg
        year, month = self.year_month()
        self.error.clear()
        lock = sc.month_lock(reg, month_key(year, month))
        if lock is not None and lock.locked:
            self.state.setText(_("已出具并锁定（{at}，{who}）").format(
                at=(lock.issued_at or "").replace("T", " ")[:16], who=lock.issued_by))
        elif lock is not None:
            self.state.setText(_("已重新打开（{at}，{who}：{why}）").format(
                at=(lock.reopened_at or "").replace("T", " ")[:16], who=lock.reopened_by,
                why=lock.reopen_reason))
        else:
            self.state.setText(_("尚未出具"))
        locked = bool(lock and lock.locked)
        self.issue_btn.setEnabled(not locked)
        self.reopen_btn.setEnabled(locked)
        sheet = sc.monthly_sheet(reg, year, month)
        t, r = sheet.totals, sheet.reports
        listed = [g for g in sheet.grids if g.zero_periods or g.missing_periods]
        self.grid_table.setRowCount(len(listed))
        for row, g in enumerate(listed):
            for col, text in enumerate((g.village, g.grid, join_list(g.zero_periods),
                                        join_list(g.missing_periods))):
                self.grid_table.setItem(row, col, QTableWidgetItem(text))
        self.summary.setText("<br>".join([
            f"<b>{sheet.title}</b>　{sheet.span_label}",
            _("纠纷{n}件（新排查{new}件，上期结转{old}件），本月化解{res}件，未了结{act}件，"
              "移交{tr}件，超期{od}件").format(n=t.total, new=t.new, old=t.carried_over,
                                           res=t.resolved_in_month, act=t.active,
                                           tr=t.transferred, od=t.overdue),
            _("应报{e}次：有纠纷{rep}，零报告{z}，迟报{late}，未报{m}，待报{d}").format(
                e=r.expected, rep=r.reported, z=r.zero, late=r.late, m=r.missing, d=r.due),
        ]))
        self.history.clear()
        for h in sc.lock_history(reg, year, month):
            action = _("出具并锁定") if h["action"] == "issue" else _("重新打开")
            line = f"{h['at'].replace('T', ' ')[:16]} {h['by']} {action}"
            if h.get("reason"):
                line = _("{action}：{reason}").format(action=line, reason=h["reason"])
            self.history.addItem(line)

    def issue(self) -> None:
        if not self.writable:
            return
        year, month = self.year_month()
        answer = QMessageBox.question(self, _("出具排查表"), _(
            "出具后{y}年{m}月的排查报告和纠纷记录将被锁定，不能再修改。确定吗？").format(
                y=year, m=month))
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self._do(lambda: sc.issue_month(self.ctx.reg, year, month)):
            self.print_sheet()  # issued to be printed: the preview opens (issue 15)

    def print_sheet(self) -> None:
        """The month's sheet in the print preview."""
        from ui.print_preview import show_document

        show_document(self.ctx, "screening-sheet", str(self.month.currentData()), self)

    def reopen(self) -> None:
        year, month = self.year_month()
        if self._do(lambda: sc.reopen_month(self.ctx.reg, year, month, self.reason.text())):
            self.reason.clear()

    def _do(self, action: Callable[[], object]) -> bool:
        if not self.writable:
            return False
        try:
            action()
        except PetitionDeskError as exc:
            self.refresh()
            self.error.setText(exc.user_text())
            return False
        self.ctx.changed.emit("screenings")
        self.refresh()
        return True
