"""The forms of the 包案督办 page: a leader, a 包案 and its progress, a 积案 listed, resolved or
taken off and the rules, reception days and 约访, and the county's 交办 / 督办 and the township's
反馈.

Every form is a ``Form``: captions with Alt keys that focus their field, the first field
focused on opening, Ctrl+Enter saves through ``ctx.run`` (one action, one transaction), a
refusal is shown in plain words while the form keeps what was typed and the field at fault gets
the focus, and Esc asks before throwing typed text away.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from storage import codes, leadership
from storage.errors import ValidationError
from storage.i18n import _
from storage.sync import county
from ui.context import AppContext
from ui.screen import fit_on_screen
from ui.widgets import to_date, to_qdate

TOPIC = "leadership"


class Form(QDialog):
    """A form whose fields are added in tab order; ``save(values)`` runs on Ctrl+Enter."""

    def __init__(self, ctx: AppContext, title: str, save: Callable[[dict[str, Any]], Any],
                 parent: QWidget | None = None, *, intro: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._save = save
        self.result_value: Any = None
        self.fields: dict[str, QWidget] = {}
        self._bad_field: str | None = None
        self._dirty = False
        self.today = ctx.reg.clock().date()
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        outer = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            outer.addWidget(label)
        body = QWidget()
        self.form = QFormLayout(body)
        scroll = QScrollArea()  # a long form scrolls instead of leaving the screen
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            _("保存（Ctrl+Enter）"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消（Esc）"))
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        fit_on_screen(self, 620, 520)

    # ----- fields ------------------------------------------------------------------------------
    def _add(self, key: str, label: str, widget: QWidget) -> QWidget:
        self.fields[key] = widget
        widget.setObjectName(key)
        caption = QLabel(label)
        caption.setBuddy(widget)
        self.form.addRow(caption, widget)
        return widget

    def _changed(self, *_args: object) -> None:
        self._dirty = True

    def line(self, key: str, label: str, value: str = "") -> QLineEdit:
        widget = QLineEdit(value)
        widget.textEdited.connect(self._changed)
        self._add(key, label, widget)
        return widget

    def text(self, key: str, label: str, value: str = "", rows: int = 3) -> QPlainTextEdit:
        widget = QPlainTextEdit(value)
        widget.setTabChangesFocus(True)
        widget.setFixedHeight(12 + rows * widget.fontMetrics().lineSpacing())
        widget.textChanged.connect(self._changed)
        self._add(key, label, widget)
        return widget

    def day(self, key: str, label: str, value: date | None = None) -> QDateEdit:
        widget = QDateEdit(to_qdate(value or self.today))
        widget.setDisplayFormat("yyyy-MM-dd")
        widget.setCalendarPopup(False)
        self._add(key, label, widget)
        return widget

    def choice(self, key: str, label: str, items: Sequence[tuple[str, str]],
               current: str = "") -> QComboBox:
        widget = QComboBox()
        for value, text in items:
            widget.addItem(text, value)
        index = widget.findData(current) if current else -1
        if index >= 0:
            widget.setCurrentIndex(index)
        self._add(key, label, widget)
        return widget

    def number(self, key: str, label: str, low: int, high: int, value: int) -> QSpinBox:
        widget = QSpinBox()
        widget.setRange(low, high)
        widget.setValue(value)
        self._add(key, label, widget)
        return widget

    def flag(self, key: str, label: str, checked: bool) -> QCheckBox:
        widget = QCheckBox(label)
        widget.setChecked(checked)
        widget.setObjectName(key)
        self.fields[key] = widget
        self.form.addRow("", widget)
        return widget

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, widget in self.fields.items():
            if isinstance(widget, QLineEdit):
                out[key] = widget.text()
            elif isinstance(widget, QPlainTextEdit):
                out[key] = widget.toPlainText()
            elif isinstance(widget, QDateEdit):
                out[key] = to_date(widget.date())
            elif isinstance(widget, QComboBox):
                out[key] = widget.currentData()
            elif isinstance(widget, QCheckBox):
                out[key] = widget.isChecked()
            elif isinstance(widget, QSpinBox):
                out[key] = widget.value()
        return out

    # ----- saving ------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        first = next(iter(self.fields.values()), None)
        if first is not None:
            first.setFocus()

    def _run_save(self, values: dict[str, Any]) -> Any:
        try:
            return self._save(values)
        except ValidationError as exc:
            self._bad_field = exc.field
            raise

    def accept(self) -> None:  # Qt override: save, or stay open on a refusal
        self._bad_field = None
        result = self.ctx.run(self, self._run_save, self.values(), topic=TOPIC)
        if result is None:
            widget = self.fields.get(self._bad_field or "")
            if widget is not None:
                widget.setFocus()
            return
        self.result_value = result
        super().accept()

    def reject(self) -> None:  # Qt override: typed text is never dropped without asking
        if self._dirty and QMessageBox.question(
                self, _("放弃填写"), _("已填写的内容还没有保存，确定放弃吗？")) \
                != QMessageBox.StandardButton.Yes:
            return
        super().reject()


def _leader_items(ctx: AppContext) -> list[tuple[str, str]]:
    return [(x.id, x.label) for x in leadership.leaders(ctx.reg)]


# ----- leaders ---------------------------------------------------------------------------------
def leader_form(ctx: AppContext, parent: QWidget | None,
                current: leadership.Leader | None = None) -> Form:
    def save(values: dict[str, Any]) -> Any:
        if current is None:
            return leadership.add_leader(ctx.reg, values["name"], values["post"], values["phone"])
        return leadership.update_leader(ctx.reg, current.id, name=values["name"],
                                        post=values["post"], phone=values["phone"],
                                        active=values["active"])

    form = Form(ctx, _("修改领导信息") if current else _("新增领导"), save, parent)
    form.line("name", _("姓名(&N)"), current.name if current else "")
    form.line("post", _("职务(&T)"), current.post if current else "")
    form.line("phone", _("联系电话(&P)"), current.phone if current else "")
    if current is not None:
        form.flag("active", _("仍在领导名单中(&A)"), current.active)
    return form


# ----- 包案 ------------------------------------------------------------------------------------
def holding_form(ctx: AppContext, parent: QWidget | None) -> Form:
    """新增包案: a leader, what is held (by its number), the plan and its steps, the target."""

    def save(values: dict[str, Any]) -> Any:
        subject = leadership.find_subject(ctx.reg, values["subject_kind"], values["subject_id"])
        return leadership.hold(ctx.reg, leadership.HoldingInput(
            values["leader_id"], values["subject_kind"], subject, values["target_date"],
            values["plan"], leadership.parse_steps(values["steps"]), values["held_from"]))

    form = Form(ctx, _("新增领导包案"), save, parent, intro=_(
        "化解步骤每行一步，可在行首写完成期限，例如“2026-03-10 约谈双方当事人”。"))
    form.choice("leader_id", _("包案领导(&L)"), _leader_items(ctx))
    form.choice("subject_kind", _("包案对象(&K)"),
                [(k, _(v)) for k, v in leadership.SUBJECT_KINDS.items()])
    form.line("subject_id", _("编号(&U)")).setPlaceholderText(
        _("信访件编号（如00012）、调解案号（如2026-3）或纠纷概况中的几个字"))
    form.day("held_from", _("包案日期(&D)"))
    form.day("target_date", _("化解目标日期(&T)"), form.today + timedelta(days=30))
    form.text("plan", _("化解方案(&P)"), rows=3)
    form.text("steps", _("化解步骤(&S)"), rows=4)
    return form


def note_form(ctx: AppContext, parent: QWidget | None, held: leadership.Holding) -> Form:
    def save(values: dict[str, Any]) -> Any:
        if values["step"]:
            leadership.complete_step(ctx.reg, held.id, int(values["step"]), values["on"])
        if values["note"].strip() or not values["step"]:
            return leadership.add_note(ctx.reg, held.id, values["on"], values["note"])
        return leadership.holding(ctx.reg, held.id)

    form = Form(ctx, _("记录包案进展"), save, parent, intro=held.subject_label)
    open_steps = [(str(i), _("第{n}步：{step}").format(n=i, step=s.text))
                  for i, s in enumerate(held.steps, start=1) if s.done_on is None]
    form.choice("step", _("完成的步骤(&S)"), [("", _("（不涉及步骤）")), *open_steps])
    form.day("on", _("日期(&D)"))
    form.text("note", _("进展情况(&J)"), rows=4)
    return form


def close_holding_form(ctx: AppContext, parent: QWidget | None,
                       held: leadership.Holding) -> Form:
    def save(values: dict[str, Any]) -> Any:
        return leadership.close_holding(ctx.reg, held.id, values["on"],
                                        resolved=values["how"] == "resolved", note=values["note"])

    form = Form(ctx, _("包案结束"), save, parent, intro=held.subject_label)
    form.choice("how", _("结果(&R)"), [("resolved", _("已化解")), ("released", _("解除包案"))])
    form.day("on", _("日期(&D)"))
    form.text("note", _("说明(&N)"), rows=3)
    return form


# ----- 积案 ------------------------------------------------------------------------------------
def backlog_add_form(ctx: AppContext, parent: QWidget | None) -> Form:
    def save(values: dict[str, Any]) -> Any:
        matter = leadership.find_subject(ctx.reg, "matter", values["matter_id"])
        return leadership.add_to_backlog(ctx.reg, matter, values["reason"], values["on"])

    form = Form(ctx, _("手工列入积案"), save, parent)
    form.line("matter_id", _("信访件编号(&U)"))
    form.day("on", _("列入日期(&D)"))
    form.text("reason", _("列入理由(&R)"), rows=3)
    return form


def backlog_resolve_form(ctx: AppContext, parent: QWidget | None,
                         entry: leadership.BacklogEntry) -> Form:
    def save(values: dict[str, Any]) -> Any:
        return leadership.resolve_backlog(ctx.reg, entry.id, values["on"],
                                          outcome=values["outcome"], evidence=values["evidence"],
                                          confirmed_by=values["confirmed_by"])

    form = Form(ctx, _("积案化解"), save, parent,
                intro=f"{entry.number} {entry.summary}")
    form.choice("outcome", _("化解结果(&R)"), [(o, _(o)) for o in leadership.OUTCOMES])
    form.day("on", _("化解日期(&D)"))
    form.text("evidence", _("化解依据(&E)"), rows=3).setPlaceholderText(
        _("息诉罢访承诺书、回访记录、协议等"))
    form.line("confirmed_by", _("确认人(&C)"), entry.leader)
    return form


def backlog_exclude_form(ctx: AppContext, parent: QWidget | None,
                         entry: leadership.BacklogEntry) -> Form:
    def save(values: dict[str, Any]) -> Any:
        return leadership.exclude(ctx.reg, entry.id, values["reason"], values["on"])

    form = Form(ctx, _("移出积案"), save, parent, intro=f"{entry.number} {entry.summary}")
    form.day("on", _("移出日期(&D)"))
    form.text("reason", _("移出理由(&R)"), rows=3)
    return form


def rules_form(ctx: AppContext, parent: QWidget | None) -> Form:
    current = leadership.rules(ctx.reg)

    def save(values: dict[str, Any]) -> Any:
        return leadership.set_rules(ctx.reg, leadership.Rules(
            values["overdue_days"] if values["overdue"] else -1, values["repeat_visits"],
            values["review"]))

    form = Form(ctx, _("积案规则"), save, parent, intro=_(
        "符合任一条规则的未办结信访件，在打开积案页时自动列入积案（每件只列入一次）。"))
    form.flag("overdue", _("超过办理期限未答复的列入(&O)"), current.overdue_days >= 0)
    form.number("overdue_days", _("期限届满后天数(&D)"), 0, 365, max(current.overdue_days, 0))
    form.number("repeat_visits", _("重复来访次数（0为不用）(&R)"), 0, 99, current.repeat_visits)
    form.flag("review", _("申请复查或复核的列入(&V)"), current.review)
    return form


# ----- reception and 约访 -----------------------------------------------------------------------
def reception_form(ctx: AppContext, parent: QWidget | None) -> Form:
    def save(values: dict[str, Any]) -> Any:
        return leadership.plan_reception(ctx.reg, leadership.ReceptionInput(
            values["leader_id"], values["kind"], values["day"], values["time_text"],
            values["place"], values["topic"]))

    form = Form(ctx, _("安排领导接访或下访"), save, parent)
    form.choice("leader_id", _("领导(&L)"), _leader_items(ctx))
    form.choice("kind", _("类别(&K)"), [(k, _(v)) for k, v in leadership.RECEPTION_KINDS.items()])
    form.day("day", _("日期(&D)"))
    form.line("time_text", _("时间(&T)"), _("上午8:30-11:30"))
    form.line("place", _("地点(&P)"), _("信访接待室"))
    form.line("topic", _("内容(&N)"))
    return form


def weekly_form(ctx: AppContext, parent: QWidget | None) -> Form:
    def save(values: dict[str, Any]) -> Any:
        chosen = [x.id for x in leadership.leaders(ctx.reg) if values.get(f"leader:{x.id}")]
        return leadership.plan_weekly(ctx.reg, chosen, int(values["weekday"]), values["first"],
                                      values["last"], time_text=values["time_text"],
                                      place=values["place"])

    form = Form(ctx, _("固定接访日"), save, parent, intro=_(
        "在起止日期之间，每周的这一天由所选领导轮流接访。"))
    weekdays = [_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"),
                _("星期日")]
    form.choice("weekday", _("每周(&W)"), [(str(i), d) for i, d in enumerate(weekdays)], "4")
    form.day("first", _("起始日期(&B)"))
    form.day("last", _("结束日期(&E)"), form.today + timedelta(days=90))
    form.line("time_text", _("时间(&T)"), _("上午8:30-11:30"))
    form.line("place", _("地点(&P)"), _("信访接待室"))
    for x in leadership.leaders(ctx.reg):
        box = form.flag(f"leader:{x.id}", x.label, True)
        box.setObjectName(f"leader:{x.id}")
    return form


def record_reception_form(ctx: AppContext, parent: QWidget | None,
                          item: leadership.Reception) -> Form:
    def save(values: dict[str, Any]) -> Any:
        if values["cancelled"]:
            return leadership.cancel_reception(ctx.reg, item.id, values["note"])
        return leadership.record_reception(ctx.reg, item.id, batches=values["batches"],
                                           persons=values["persons"],
                                           matters_handled=values["matters"],
                                           note=values["note"])

    form = Form(ctx, _("登记接访情况"), save, parent, intro=_("{day} {kind}：{leader}").format(
        day=item.day.isoformat(), kind=item.kind_label, leader=item.leader.label))
    form.number("batches", _("接待批次(&B)"), 0, 999, item.batches)
    form.number("persons", _("接待人次(&P)"), 0, 9999, item.persons)
    form.number("matters", _("办理事项(&M)"), 0, 999, item.matters_handled)
    form.text("note", _("情况(&N)"), item.note, rows=3)
    form.flag("cancelled", _("这次没有开展（取消）(&C)"), False)
    return form


def appointment_form(ctx: AppContext, parent: QWidget | None) -> Form:
    def save(values: dict[str, Any]) -> Any:
        matter = leadership.find_subject(ctx.reg, "matter", values["matter_id"])
        return leadership.make_appointment(ctx.reg, leadership.AppointmentInput(
            matter, values["leader_id"], values["day"], values["time_text"], values["place"],
            values["purpose"]))

    form = Form(ctx, _("约访"), save, parent)
    form.line("matter_id", _("信访件编号(&U)"))
    form.choice("leader_id", _("约访领导(&L)"), _leader_items(ctx))
    form.day("day", _("约访日期(&D)"), form.today + timedelta(days=3))
    form.line("time_text", _("时间(&T)"), _("上午9时"))
    form.line("place", _("地点(&P)"), _("信访接待室"))
    form.line("purpose", _("约访事由(&R)"))
    return form


def outcome_form(ctx: AppContext, parent: QWidget | None,
                 item: leadership.Appointment) -> Form:
    def save(values: dict[str, Any]) -> Any:
        return leadership.record_outcome(ctx.reg, item.id, values["status"], values["outcome"],
                                         values["on"])

    form = Form(ctx, _("约访结果"), save, parent, intro=_("{day} {leader}约{name}").format(
        day=item.day.isoformat(), leader=item.leader.label, name=item.petitioner_name))
    form.choice("status", _("结果(&R)"), [(k, _(v)) for k, v in
                                          leadership.APPOINTMENT_STATUS.items()
                                          if k != "scheduled"])
    form.day("on", _("日期(&D)"), min(item.day, form.today))
    form.text("outcome", _("接谈情况(&J)"), rows=4)
    return form


# ----- 交办 / 督办 and 反馈 ----------------------------------------------------------------------
def assignment_form(ctx: AppContext, parent: QWidget | None) -> Form:
    """County: 交办 a petition to a township."""

    def save(values: dict[str, Any]) -> Any:
        matter = leadership.find_township_matter(ctx.reg, values["matter_id"]) \
            if values["matter_id"].strip() else None
        return leadership.issue_assignment(ctx.reg, leadership.AssignmentInput(
            matter_id=matter, to_station=values["to_station"] or "", deadline=values["deadline"],
            summary=values["summary"], request=values["request"],
            requirements=values["requirements"], petitioner_name=values["petitioner_name"],
            petitioner_phone=values["petitioner_phone"],
            petitioner_address=values["petitioner_address"], form=values["form"],
            received_on=values["received_on"], contact=values["contact"]))

    form = Form(ctx, _("交办信访事项"), save, parent, intro=_(
        "交办县里收到的信访事项：填写信访人和反映问题。交办乡镇已登记的信访件：只填它的完整编号，"
        "信访人和问题取自该件。"))
    form.choice("to_station", _("承办乡镇(&Z)"), county_townships(ctx))
    form.line("matter_id", _("乡镇信访件编号(&M)"))
    form.line("petitioner_name", _("信访人(&N)"))
    form.line("petitioner_phone", _("联系电话(&P)"))
    form.line("petitioner_address", _("住址(&A)"))
    forms = codes.labels(ctx.reg, "form") or ["来信"]
    form.choice("form", _("信访形式(&X)"), [(f, codes.form_label(f)) for f in forms], "来信")
    form.day("received_on", _("信访日期(&R)"))
    form.text("summary", _("反映问题(&S)"), rows=2)
    form.text("request", _("诉求(&Q)"), rows=2)
    form.text("requirements", _("办理要求(&Y)"), rows=2)
    form.day("deadline", _("办理期限(&D)"), form.today + timedelta(days=15))
    form.line("contact", _("联系人及电话(&C)"))
    return form


def supervision_form(ctx: AppContext, parent: QWidget | None,
                     follows: leadership.Assignment | None = None) -> Form:
    """County: 督办 a township matter (by its number), or the 交办 ``follows``."""

    def save(values: dict[str, Any]) -> Any:
        matter = None if follows else leadership.find_township_matter(
            ctx.reg, values["matter_id"])
        return leadership.issue_supervision(ctx.reg, leadership.SupervisionInput(
            deadline=values["deadline"], reason=values["reason"], level=values["level"],
            requirements=values["requirements"], matter_id=matter,
            parent_id=follows.id if follows else None, contact=values["contact"]))

    intro = _("督办{number}：{summary}（{township}）").format(
        number=follows.number, summary=follows.summary, township=follows.township) \
        if follows else _("督办乡镇信访件：请填写完整的信访件编号。")
    form = Form(ctx, _("督办"), save, parent, intro=intro)
    if follows is None:
        form.line("matter_id", _("信访件编号(&U)"))
    form.choice("level", _("督办级别(&L)"), [(x, _(x)) for x in leadership.LEVELS])
    form.text("reason", _("督办事由(&R)"), rows=3)
    form.text("requirements", _("办理要求(&Y)"), rows=2)
    form.day("deadline", _("办理期限(&D)"), form.today + timedelta(days=10))
    form.line("contact", _("联系人及电话(&C)"))
    return form


def reply_form(ctx: AppContext, parent: QWidget | None, item: leadership.Assignment) -> Form:
    """Township: 阶段反馈 or 办结反馈 on a 交办/督办."""

    def save(values: dict[str, Any]) -> Any:
        return leadership.reply(ctx.reg, item.id, leadership.ReplyInput(
            values["kind"], values["content"], values["on"], values["result"],
            values["petitioner_view"], values["handled_by"], values["contact"]))

    form = Form(ctx, _("反馈办理情况"), save, parent, intro=_("{number}：{summary}").format(
        number=item.number, summary=item.summary))
    form.choice("kind", _("反馈类别(&K)"), [("final", _("办结反馈")), ("progress", _("阶段反馈"))])
    form.text("content", _("办理情况(&J)"), rows=5)
    form.choice("result", _("办理结果(&R)"), [(x, _(x)) for x in leadership.RESULTS])
    form.choice("petitioner_view", _("信访人意见(&Y)"),
                [(x, _(x)) for x in leadership.PETITIONER_VIEWS])
    form.line("handled_by", _("承办人(&N)"), ctx.reg.actor.display_name)
    form.line("contact", _("联系电话(&P)"))
    form.day("on", _("反馈日期(&D)"))
    return form


def county_townships(ctx: AppContext) -> list[tuple[str, str]]:
    """(area code, name) of the townships the county can address: those whose key files it
    registered, and any it holds records of (the bundle goes once their key file arrives)."""
    from storage.sync import keys

    found = {p.station_code: p.name for p in keys.peers(ctx.reg, "in") if p.kind == "township"}
    for code, name in county.station_choices(ctx.reg):
        found.setdefault(code, name)
    return sorted(found.items())
