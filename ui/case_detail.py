"""One petition matter in full: who, what, the current statutory deadline in plain words, the
whole timeline, and a button for exactly the workflow steps its state allows — plus 更正
(Alt+K), 作废 (Alt+Z) and the chosen petitioner's own record (Alt+X; 更名, 合并 there).

Who registered the matter and who took each step are shown by the names recorded with them, and
the problem's village from the matter's own township: at the county, a township's ``head`` is
the township's head, never the county's. A voided matter stays readable, marked 作废.

Each step opens a small :class:`StepDialog` asking only what that step needs; it runs the step
through ``ctx.run`` (one transaction in storage) and stays open with everything typed if the
step is refused. Printing code fills :attr:`CaseDetailDialog.print_menu` (see
:func:`register_print_hook`); this module prints nothing itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from storage import attribution, codes, petitions, preferences, station
from storage.deadlines import Deadline, Urgency
from storage.errors import ValidationError
from storage.i18n import _
from storage.masking import NO_MASKING, MaskPolicy
from storage.register import Register, Row
from storage.validation import gender_label
from ui import corrections
from ui.context import AppContext
from ui.screen import fit_on_screen
from ui.widgets import ERROR_COLOUR, to_date, to_qdate

OVERDUE_COLOUR = ERROR_COLOUR
DUE_SOON_COLOUR = "#9a5200"
MUTED_COLOUR = "#444444"
OK_COLOUR = "#1f4e79"

#: Alt+letter for each step's button (unique within any one state; see workflow.STEPS).
STEP_KEYS = {
    "accept": "A", "not_accept": "N", "not_reaccept": "B", "forward": "F",
    "start_handling": "H", "extend": "E", "reply": "R", "request_review": "V",
    "decide_review": "D", "request_rereview": "W", "decide_rereview": "J", "rate": "S",
    "close": "C",
}

ACTIONS: dict[str, Callable[..., Row]] = {
    "accept": petitions.accept, "not_accept": petitions.not_accept,
    "not_reaccept": petitions.not_reaccept, "forward": petitions.forward,
    "start_handling": petitions.start_handling, "extend": petitions.extend,
    "reply": petitions.reply, "request_review": petitions.request_review,
    "decide_review": petitions.decide_review, "request_rereview": petitions.request_rereview,
    "decide_rereview": petitions.decide_rereview, "rate": petitions.rate, "close": petitions.close,
}

#: Called with every new CaseDetailDialog so that printing code can fill ``print_menu``.
PRINT_HOOKS: list[Callable[[CaseDetailDialog], None]] = []


def register_print_hook(hook: Callable[[CaseDetailDialog], None]) -> None:
    """Printing code calls this once; ``hook(dialog)`` then adds its actions to
    ``dialog.print_menu`` (it may also connect ``print_menu.aboutToShow`` to rebuild the menu
    for the matter's current state, and read ``dialog.matter``)."""
    if hook not in PRINT_HOOKS:
        PRINT_HOOKS.append(hook)


def cn_date(value: date | str | None) -> str:
    if not value:
        return ""
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return _("{y}年{m}月{d}日").format(y=d.year, m=d.month, d=d.day)


def mask_policy(reg: Register) -> MaskPolicy:
    """The station's display masking (设置 → 其他设置)."""
    return MaskPolicy(id_numbers=preferences.MASK_ID_NUMBERS.read(reg),
                      phones=preferences.MASK_PHONES.read(reg),
                      names=preferences.MASK_NAMES.read(reg))


def days_words(deadline: Deadline, today: date) -> str:
    left = deadline.days_left(today)
    if left < 0:
        return _("已超期{n}天").format(n=-left)
    if left == 0:
        return _("今天到期")
    return _("还剩{n}天").format(n=left)


def deadline_text(deadline: Deadline, today: date) -> str:
    """E.g. '办理期限：2026年5月8日（还剩60天）'."""
    return _("{label}：{due}（{left}）").format(label=deadline.kind.label,
                                             due=cn_date(deadline.due),
                                             left=days_words(deadline, today))


def urgency_colour(deadline: Deadline, today: date) -> str:
    return {Urgency.OVERDUE: OVERDUE_COLOUR, Urgency.DUE_SOON: DUE_SOON_COLOUR}.get(
        deadline.urgency(today), OK_COLOUR)


def event_detail(event: Row) -> str:
    """What the event's data says beyond its name: the unit, the result, the days…"""
    data: dict[str, Any] = json.loads(event["data"] or "{}")
    parts: list[str] = []
    if data.get("form"):
        parts.append(codes.form_label(str(data["form"])))
    if data.get("mode"):
        parts.append(_("{mode}：{unit}").format(mode=petitions.value_label(str(data["mode"])),
                                               unit=data.get("unit", "")))
    if data.get("days"):
        parts.append(_("延长{n}日").format(n=data["days"]))
    if int(data.get("visitors_count") or 1) > 1:
        parts.append(_("{n}人").format(n=data["visitors_count"]))
    if data.get("confirmed_by"):
        parts.append(_("{name}确认").format(name=data["confirmed_by"]))
    for key in ("result", "rating", "legal_channel"):
        if data.get(key):
            parts.append(petitions.value_label(str(data[key])))
    return _("、").join(parts)


# ----- step dialogs -----------------------------------------------------------------------------

class NoteEdit(QPlainTextEdit):
    """A few lines of text. Enter confirms the dialog (as everywhere else); Shift+Enter starts
    a new line; Tab moves on."""

    def __init__(self, on_enter: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_enter = on_enter
        self.setTabChangesFocus(True)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 16)
        self.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 16)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._on_enter()
            return
        super().keyPressEvent(event)

    def text(self) -> str:
        return self.toPlainText()


class ChoiceGroup(QWidget):
    """Radio buttons for a short fixed list; Alt+1, Alt+2 … pick one."""

    def __init__(self, choices: tuple[str, ...] | list[str], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for i, choice in enumerate(choices):
            button = QRadioButton(_("{label}(&{key})").format(
                label=petitions.value_label(choice), key=i + 1))
            self.group.addButton(button, i)
            self.buttons[choice] = button
            row.addWidget(button)
        row.addStretch(1)
        self.setFocusProxy(next(iter(self.buttons.values())))

    def value(self) -> str:
        for choice, button in self.buttons.items():
            if button.isChecked():
                return choice
        return ""

    def choose(self, choice: str) -> None:
        self.buttons[choice].setChecked(True)


def _code_combo(reg: Register, kind: str, current: str = "", empty: str | None = None
                ) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    if empty is not None:
        combo.addItem(empty, "")
    for label in codes.labels(reg, kind):
        combo.addItem(label, label)
    if current:
        index = combo.findData(current)
        if index < 0:
            combo.addItem(current, current)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
    elif empty is None:
        combo.setCurrentIndex(-1)
        combo.setEditText("")
    return combo


def _combo_value(combo: QComboBox) -> str:
    text = combo.currentText().strip()
    index = combo.findText(text)
    if index >= 0:
        return str(combo.itemData(index) or "")
    return text


class StepDialog(QDialog):
    """Asks what one workflow step needs (date first, defaulting to today) and runs it.

    Build it with :meth:`CaseDetailDialog.step_dialog`; ``exec()`` returns Accepted only once
    the step was saved. A refusal is shown by ``ctx.run`` and the dialog keeps what was typed.
    """

    def __init__(self, ctx: AppContext, matter: Row, step: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.matter = matter
        self.step = step
        self.result_row: Row | None = None
        self.fields: dict[str, QWidget] = {}
        self._bad_field: str | None = None
        self.setWindowTitle(_("{step} — {number}").format(
            step=_(petitions.EVENT_LABELS[step]), number=matter["number"]))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        heading = QLabel(_(petitions.EVENT_LABELS[step]))
        _scale_font(heading, 1.3, bold=True)
        layout.addWidget(heading)
        self.form = QFormLayout()
        self.form.setVerticalSpacing(12)
        layout.addLayout(self.form)
        today = ctx.reg.clock().date()
        self.on = QDateEdit(to_qdate(today))
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat(_("yyyy年M月d日"))
        # no maximum: a later date is refused with storage's message, not dropped silently
        self._add("on", _("日期(&T)"), self.on)
        BUILDERS.get(step, StepDialog._build_note)(self)
        hint = QLabel(_("Enter 确定　Esc 取消　Shift+Enter 在说明中换行"))
        hint.setStyleSheet(f"color: {MUTED_COLOUR};")
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("确定(&O)"))
        self.ok_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        first = next((w for k, w in self.fields.items() if k != "on"), self.on)
        first.setFocus()

    # -- building ------------------------------------------------------------------------------
    def _add(self, key: str, label: str, widget: QWidget) -> QWidget:
        caption = QLabel(label)
        caption.setBuddy(widget)
        self.form.addRow(caption, widget)
        self.fields[key] = widget
        return widget

    def _note(self, key: str = "note", label: str = "") -> NoteEdit:
        edit = NoteEdit(self.accept)
        edit.setPlaceholderText(_("可不填") if key == "note" else _("必填"))
        self._add(key, label or _("说明(&N)"), edit)
        return edit

    def _build_note(self) -> None:
        self._note()

    def _build_reason(self) -> None:
        self._note("reason", _("理由(&R)"))

    def _build_not_accept(self) -> None:
        self._note("reason", _("不予受理的理由(&R)"))
        self._add("legal_channel", _("应走的法定途径(&L)"), _code_combo(
            self.ctx.reg, "legal_channel", empty=_("（不涉及其他法定途径）")))

    def _build_forward(self) -> None:
        self._add("mode", _("方式"), ChoiceGroup(petitions.HANDLING_MODES))
        self._add("unit", _("承办单位(&U)"), _code_combo(self.ctx.reg, "handling_unit"))
        self._note()

    def _build_start_handling(self) -> None:
        self._add("unit", _("承办单位(&U)"), _code_combo(
            self.ctx.reg, "handling_unit", self.matter["handling_unit"] or "",
            empty=_("（本站自办）")))
        self._note()

    def _build_extend(self) -> None:
        done = int(self.matter["extension_days"])
        days = QSpinBox()
        days.setRange(1, max(1, petitions.MAX_EXTENSION - done))
        days.setValue(min(30, max(1, petitions.MAX_EXTENSION - done)))
        days.setSuffix(_(" 日"))
        self._add("days", _("延长天数(&D)"), days)
        if done:
            self.form.addRow("", QLabel(_("此前已延期{n}日，合计不得超过{max}日。").format(
                n=done, max=petitions.MAX_EXTENSION)))
        self._note("reason", _("延期理由(&R)"))

    def _build_result(self, choices: tuple[str, ...], label: str, key: str = "result") -> None:
        self._add(key, label, ChoiceGroup(choices))
        self._note()

    def _build_reply(self) -> None:
        self._build_result(petitions.REPLY_RESULTS, _("答复意见"))

    def _build_review(self) -> None:
        self._build_result(petitions.REVIEW_RESULTS, _("意见"))

    def _build_rate(self) -> None:
        self._build_result(petitions.RATINGS, _("评价"), "rating")

    # -- values and running --------------------------------------------------------------------
    def on_date(self) -> date:
        return to_date(self.on.date())

    def values(self) -> dict[str, Any]:
        """The step's keyword arguments, read from the fields."""
        out: dict[str, Any] = {}
        for key, widget in self.fields.items():
            if key == "on":
                continue
            if isinstance(widget, NoteEdit):
                out[key] = widget.text()
            elif isinstance(widget, ChoiceGroup):
                out[key] = widget.value()
            elif isinstance(widget, QComboBox):
                out[key] = _combo_value(widget)
            elif isinstance(widget, QSpinBox):
                out[key] = widget.value()
        return out

    def _run(self) -> Row:
        try:
            return ACTIONS[self.step](self.ctx.reg, self.matter["id"], self.on_date(),
                                      **self.values())
        except ValidationError as exc:
            self._bad_field = exc.field
            raise

    def accept(self) -> None:  # Qt override: save the step or stay open
        self._bad_field = None
        row = self.ctx.run(self, self._run, topic="matters")
        if row is None:
            widget = self.fields.get(self._bad_field or "")
            if widget is not None:
                widget.setFocus()
            return
        self.result_row = row
        super().accept()

    def reject(self) -> None:  # Qt override: never drop typed text silently
        typed = any(isinstance(w, NoteEdit) and w.text().strip() for w in self.fields.values())
        if typed and QMessageBox.question(
                self, _("放弃填写？"), _("已填写的内容还没有保存。确定要放弃吗？"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return
        super().reject()


BUILDERS: dict[str, Callable[[StepDialog], None]] = {
    "not_accept": StepDialog._build_not_accept,
    "not_reaccept": StepDialog._build_reason,
    "forward": StepDialog._build_forward,
    "start_handling": StepDialog._build_start_handling,
    "extend": StepDialog._build_extend,
    "reply": StepDialog._build_reply,
    "decide_review": StepDialog._build_review,
    "decide_rereview": StepDialog._build_review,
    "rate": StepDialog._build_rate,
}


def _scale_font(widget: QWidget, factor: float, *, bold: bool = False) -> None:
    font = QFont(widget.font())
    font.setPointSizeF(max(font.pointSizeF(), 9.0) * factor)
    font.setBold(bold)
    widget.setFont(font)


def _value_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class _MenuWatcher(QObject):
    """Shows the print button as soon as printing code puts something in the menu."""

    def __init__(self, button: QToolButton, menu: QMenu) -> None:
        super().__init__(menu)
        self.button = button
        menu.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.ActionAdded, QEvent.Type.ActionRemoved):
            assert isinstance(obj, QMenu)
            self.button.setVisible(bool(obj.actions()) or bool(PRINT_HOOKS))
        return False


# ----- the detail dialog ------------------------------------------------------------------------

class CaseDetailDialog(QDialog):
    """The matter ``matter_id``. Use as a dialog (``exec()``/``show()``) or, with
    ``embedded=True``, as a plain widget inside another layout.

    Attributes:
        matter: the matter row as last loaded.
        step_buttons: step name -> its button, for the steps the current state allows.
        print_button / print_menu: the hook for printing code (hidden while empty).
    """

    def __init__(self, ctx: AppContext, matter_id: str, parent: QWidget | None = None, *,
                 embedded: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.matter_id = matter_id
        self.matter: Row = {}
        self.show_full = False
        self.step_buttons: dict[str, QPushButton] = {}
        self.people_ids: list[str] = []
        self.record_allowed: set[str] = set()
        self.open_dialog: QDialog | None = None
        self.embedded = embedded
        if embedded:
            self.setWindowFlags(Qt.WindowType.Widget)
        fit_on_screen(self, 1000, 780)
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.body = QVBoxLayout(body)
        self.body.setSpacing(10)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self._build_header()
        self._build_deadline()
        self._build_people()
        self._build_facts()
        self._build_timeline()
        self.body.addStretch(1)
        outer.addWidget(self._build_actions())
        self.close_button.setVisible(not embedded)
        ctx.changed.connect(self._on_changed)
        self.reload()
        for hook in PRINT_HOOKS:
            hook(self)
        self.print_button.setVisible(bool(self.print_menu.actions()) or bool(PRINT_HOOKS))

    # -- building ------------------------------------------------------------------------------
    def _build_header(self) -> None:
        row = QHBoxLayout()
        self.number_label = _value_label()
        _scale_font(self.number_label, 1.5, bold=True)
        self.status_label = QLabel()
        _scale_font(self.status_label, 1.3, bold=True)
        self.status_label.setStyleSheet(
            "border: 2px solid #1f4e79; border-radius: 6px; padding: 2px 12px; color: #1f4e79;")
        row.addWidget(self.number_label, 1)
        row.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignRight)
        self.body.addLayout(row)
        self.void_banner = _value_label()
        self.void_banner.setStyleSheet(corrections.VOID_STYLE)
        self.void_banner.hide()
        self.body.addWidget(self.void_banner)
        self.info = QGridLayout()
        self.info.setHorizontalSpacing(16)
        self.info.setVerticalSpacing(6)
        self.body.addLayout(self.info)

    def _build_deadline(self) -> None:
        self.deadline_box = QFrame()
        self.deadline_box.setObjectName("deadlineBox")
        box = QVBoxLayout(self.deadline_box)
        box.setContentsMargins(12, 8, 12, 8)
        self.deadline_label = _value_label()
        _scale_font(self.deadline_label, 1.3, bold=True)
        self.basis_label = _value_label()
        self.basis_label.setStyleSheet(f"color: {MUTED_COLOUR};")
        self.fallback_label = _value_label()
        self.fallback_label.setStyleSheet(
            "background: #fff3cd; color: #5c3c00; border: 1px solid #e0b000; padding: 6px;")
        self.window_label = _value_label()
        _scale_font(self.window_label, 1.1, bold=True)
        self.window_basis_label = _value_label()
        self.window_basis_label.setStyleSheet(f"color: {MUTED_COLOUR};")
        for w in (self.deadline_label, self.basis_label, self.fallback_label, self.window_label,
                  self.window_basis_label):
            box.addWidget(w)
        self.body.addWidget(self.deadline_box)

    def _build_people(self) -> None:
        row = QHBoxLayout()
        heading = QLabel(_("信访人"))
        _scale_font(heading, 1.15, bold=True)
        self.full_button = QPushButton(_("显示完整号码(&M)"))
        self.full_button.setCheckable(True)
        self.full_button.setAutoDefault(False)
        self.full_button.toggled.connect(self._toggle_full)
        row.addWidget(heading)
        row.addStretch(1)
        row.addWidget(self.full_button)
        self.body.addLayout(row)
        self.people = QTableWidget(0, 5)
        self.people.setHorizontalHeaderLabels(
            [_("姓名"), _("性别"), _("公民身份号码"), _("联系电话"), _("住址")])
        self._table_defaults(self.people)
        self.body.addWidget(self.people)

    def _build_facts(self) -> None:
        self.texts: dict[str, QLabel] = {}
        grid = QFormLayout()
        grid.setVerticalSpacing(8)
        for key, label in (("summary", _("概况")), ("request", _("诉求")),
                           ("facts", _("事实和理由"))):
            caption = QLabel(_("{label}：").format(label=label))
            _scale_font(caption, 1.0, bold=True)
            value = _value_label()
            self.texts[key] = value
            grid.addRow(caption, value)
        self.body.addLayout(grid)

    def _build_timeline(self) -> None:
        heading = QLabel(_("办理过程"))
        _scale_font(heading, 1.15, bold=True)
        self.body.addWidget(heading)
        self.timeline = QTableWidget(0, 4)
        self.timeline.setHorizontalHeaderLabels(
            [_("日期"), _("办理环节"), _("经办人"), _("说明")])
        self._table_defaults(self.timeline)
        self.timeline.setWordWrap(True)
        self.body.addWidget(self.timeline)

    @staticmethod
    def _table_defaults(table: QTableWidget) -> None:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        table.setTabKeyNavigation(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.verticalHeader().setDefaultSectionSize(int(table.fontMetrics().height() * 1.8))

    def _build_actions(self) -> QWidget:
        bar = QWidget()
        self.actions_row = QHBoxLayout(bar)
        self.actions_row.setContentsMargins(0, 8, 0, 0)
        self.steps_row = QHBoxLayout()
        self.actions_row.addLayout(self.steps_row)
        self.actions_row.addStretch(1)
        self.record_buttons: dict[str, QPushButton] = {}
        for key, text, tip in (
                ("correct", _("更正(&K)"), _("更正登记时录错的内容（须写明原因）")),
                ("void", _("作废(&Z)"), _("误登记的信访件作废（须站长确认）")),
                # on a voided matter, in 作废's place: the head takes a mistaken void back
                ("unvoid", _("撤销作废(&Z)"), _("作废错了：站长撤销作废（须写明原因）")),
                ("person", _("信访人资料(&X)"), _("选中信访人的资料、曾用名和记录；更名、合并"))):
            button = QPushButton(text)
            button.setMinimumHeight(40)
            button.setAutoDefault(False)
            button.setToolTip(tip)
            button.clicked.connect(lambda _c=False, chosen=key: self.record_action(chosen))
            self.record_buttons[key] = button
            self.actions_row.addWidget(button)
        self.print_menu = QMenu(self)
        self.print_button = QToolButton()
        self.print_button.setText(_("打印(&P)"))
        self.print_button.setMenu(self.print_menu)
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.print_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.print_button.setMinimumHeight(40)
        _MenuWatcher(self.print_button, self.print_menu)
        self.actions_row.addWidget(self.print_button)
        self.close_button = QPushButton(_("关闭 (Esc)"))
        self.close_button.setAutoDefault(False)
        self.close_button.setMinimumHeight(40)
        self.close_button.clicked.connect(self.reject)
        self.actions_row.addWidget(self.close_button)
        return bar

    # -- loading -------------------------------------------------------------------------------
    def reload(self) -> None:
        reg = self.ctx.reg
        self.matter = petitions.detail.matter(reg, self.matter_id)
        m = self.matter
        self.setWindowTitle(_("信访件 {number}").format(number=m["number"]))
        self.number_label.setText(_("信访件 {number}").format(number=m["number"]))
        voided = bool(m["voided"])
        self.status_label.setText(_("已作废") if voided else petitions.status_label(m["status"]))
        colour = OVERDUE_COLOUR if voided else "#1f4e79"
        self.status_label.setStyleSheet(
            f"border: 2px solid {colour}; border-radius: 6px; padding: 2px 12px;"
            f" color: {colour};")
        self.void_banner.setVisible(voided)
        if voided:
            self.void_banner.setText(_(
                "本件已于{when}作废（{name}确认）：{reason}。作废的信访件保留编号，"
                "不在列表和统计中，重印时标明“作废”。").format(
                    when=cn_date(str(m["voided_at"] or "")[:10]), name=m["void_confirmed_by"],
                    reason=m["void_reason"]))
        self._fill_info()
        self._fill_deadline()
        self._fill_people()
        for key, label in self.texts.items():
            label.setText(m[key] or _("（未填写）"))
        self._fill_timeline()
        self._fill_steps()

    def _on_changed(self, topic: str) -> None:
        if topic in ("matters", "codes", "station", "users") and self.isVisible():
            self.reload()

    def _info_pairs(self) -> list[tuple[str, str]]:
        m = self.matter
        category = "／".join(c for c in (m["category1"], m["category2"]) if c)
        pairs = [
            (_("查询码"), m["query_code"]),
            (_("信访形式"), _("{form}（代办人：{name}）").format(
                form=codes.form_label(m["form"]), name=m["proxy_by"]) if m["proxy_by"]
             else codes.form_label(m["form"])),
            (_("信访日期"), cn_date(m["received_on"])),
            (_("登记人"), petitions.detail.registered_by(self.ctx.reg, m)),
            (_("内容分类"), category or _("（未分类）")),
            (_("信访目的"), m["purpose"]),
            (_("问题所在地"), petitions.detail.problem_village(self.ctx.reg, m)),
            (_("人数"), _("来访{v}人，涉及{p}人").format(v=m["visitors_count"],
                                                      p=m["persons_involved"])),
            (_("标记"), self._flags()),
        ]
        pairs += self._decision_pairs()
        return [(k, v) for k, v in pairs if v]

    def _decision_pairs(self) -> list[tuple[str, str]]:
        m = self.matter
        unit = _("{mode}：{unit}").format(mode=petitions.value_label(m["handling_mode"]),
                                         unit=m["handling_unit"]) if m["handling_mode"] \
            else m["handling_unit"]
        return [
            (_("受理日期"), cn_date(m["accepted_on"])),
            (_("处理理由"), m["decision_reason"]),
            (_("法定途径"), m["legal_channel"]),
            (_("承办单位"), unit),
            (_("延期"), _("{n}日（{reason}）").format(n=m["extension_days"],
                                                    reason=m["extension_reason"])
             if m["extension_days"] else ""),
            (_("答复意见"), m["reply_result"] and _("{result}（{on}）").format(
                result=petitions.value_label(m["reply_result"]), on=cn_date(m["replied_on"]))),
            (_("满意度评价"), petitions.value_label(m["rating"] or "")),
            (_("办结日期"), cn_date(m["closed_on"])),
        ]

    def _flags(self) -> str:
        m = self.matter
        flags = [petitions.value_label(m["repeat_kind"] or "")]
        if m["is_collective"]:
            flags.append(_("集体访"))
        if m["is_skip_level"]:
            flags.append(_("越级访"))
        if m["repeat_visits"]:
            flags.append(_("重复来访{n}次").format(n=m["repeat_visits"]))
        return _("、").join(f for f in flags if f)

    def _fill_info(self) -> None:
        while self.info.count():
            item = self.info.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                _discard(widget)
        for i, (key, value) in enumerate(self._info_pairs()):
            caption = QLabel(_("{label}：").format(label=key))
            caption.setStyleSheet(f"color: {MUTED_COLOUR};")
            caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            row, col = divmod(i, 2)
            self.info.addWidget(caption, row, col * 2)
            self.info.addWidget(_value_label(value), row, col * 2 + 1)
        self.info.setColumnStretch(1, 1)
        self.info.setColumnStretch(3, 1)

    def _fill_deadline(self) -> None:
        reg = self.ctx.reg
        today = reg.clock().date()
        deadline = None if self.matter["voided"] else petitions.current_deadline(reg, self.matter)
        if deadline is None:
            self.deadline_label.setText(self._no_deadline_text())
            colour = "#888888"
            self.deadline_label.setStyleSheet("color: #1a1a1a;")
            self.deadline_label.setToolTip("")
            self.basis_label.hide()
        else:
            self.deadline_label.setText(deadline_text(deadline, today))
            colour = urgency_colour(deadline, today)
            self.deadline_label.setStyleSheet(
                f"color: {'#1a1a1a' if colour == OK_COLOUR else colour};")
            self.deadline_label.setToolTip(deadline.basis)
            self.basis_label.setText(_("依据：{basis}").format(basis=deadline.basis))
            self.basis_label.show()
        self.deadline_box.setStyleSheet(
            f"#deadlineBox {{ background: #ffffff; border: 1px solid #c8c8c8;"
            f" border-left: 8px solid {colour}; }}")
        window = None if self.matter["voided"] else petitions.petitioner_window(reg, self.matter)
        self.window_label.setVisible(window is not None)
        self.window_basis_label.setVisible(window is not None)
        if window is not None:
            self.window_label.setText(_("信访人可以{label}至{due}（{left}）").format(
                label=window.kind.label, due=cn_date(window.due),
                left=days_words(window, today)))
            self.window_basis_label.setText(_("依据：{basis}").format(basis=window.basis))
            self.window_label.setToolTip(window.basis)
        fallback = any(d is not None and d.used_fallback for d in (deadline, window))
        self.fallback_label.setVisible(fallback)
        self.fallback_label.setText(_(
            "注意：该年度的法定节假日安排尚未录入，上面的期限暂只按周六、周日休息推算，"
            "可能不准确。请站长在“设置 → 节假日”中录入。"))

    def _no_deadline_text(self) -> str:
        m = self.matter
        if m["voided"]:
            return _("已作废（{on}），无待办期限").format(on=cn_date(str(m["voided_at"])[:10]))
        if m["status"] in petitions.TERMINAL:
            return _("{status}（{on}），无待办期限").format(
                status=petitions.status_label(m["status"]), on=cn_date(m["closed_on"]))
        return _("当前没有本站需要遵守的办理期限。")

    def _fill_people(self) -> None:
        policy = NO_MASKING if self.show_full else mask_policy(self.ctx.reg)
        people = petitions.petitioners_of(self.ctx.reg, self.matter_id)
        self.people_ids = [str(p["id"]) for p in people]
        self.people.setRowCount(len(people))
        for r, p in enumerate(people):
            address = p["address"] or attribution.village_name(self.ctx.reg, p["village_id"])
            name = policy.name(p["name"])  # as registered on this matter
            marks = []
            if p["is_main"] and len(people) > 1:
                marks.append(_("主"))
            if p["is_representative"]:
                marks.append(_("代表"))
            if marks:
                name = _("{name}（{marks}）").format(name=name, marks=_("、").join(marks))
            if p["current_name"] != p["name"]:
                renamed = p["name"] in petitions.former_names(self.ctx.reg, p["id"])
                name = (_("{name} 现名{now}") if renamed else _("{name}（资料中为{now}）")).format(
                    name=name, now=policy.name(p["current_name"]))
            cells = [name, gender_label(p["gender"] or ""), policy.id_number(p["id_number"] or ""),
                     policy.phone(p["phone"] or ""), address]
            for c, text in enumerate(cells):
                self.people.setItem(r, c, QTableWidgetItem(text))
        _fit_height(self.people)

    def _toggle_full(self, on: bool) -> None:
        self.show_full = on
        self.full_button.setText(_("隐藏完整号码(&M)") if on else _("显示完整号码(&M)"))
        self._fill_people()

    def _fill_timeline(self) -> None:
        reg = self.ctx.reg
        events = petitions.events_of(reg, self.matter_id)
        villages = {v.id: v.name for v in station.villages(reg, self.matter["station_code"])}
        self.timeline.setRowCount(len(events))
        for r, ev in enumerate(events):
            kind = str(ev["kind"])
            what = _(petitions.EVENT_LABELS.get(kind, kind))
            if kind == "correct":  # the changes go with the reason, in the wide last column
                detail = ""
                note = _("{reason}\n{changes}").format(
                    reason=ev["note"], changes=petitions.describe_correction(ev, villages))
            else:
                detail = event_detail(ev)
                note = ev["note"] if ev["note"] != detail else ""
            cells = [cn_date(ev["occurred_on"]),
                     _("{what}（{detail}）").format(what=what, detail=detail) if detail else what,
                     petitions.detail.actor(reg, ev), note]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.timeline.setItem(r, c, item)
        self.timeline.resizeRowsToContents()
        minimum = self.timeline.verticalHeader().defaultSectionSize()
        for r in range(self.timeline.rowCount()):
            self.timeline.setRowHeight(r, max(minimum, self.timeline.rowHeight(r)))
        _fit_height(self.timeline)

    def _fill_steps(self) -> None:
        for button in self.step_buttons.values():
            self.steps_row.removeWidget(button)
            _discard(button)
        self.step_buttons = {}
        can_act = self.ctx.reg.actor.role in ("clerk", "head") and self.ctx.reg.mode != "county" \
            and not self.matter["voided"]
        steps = petitions.allowed_steps(self.matter["status"]) if can_act else []
        self.record_allowed = {"person"} | ({"correct", "void"} if can_act else set())
        if self.matter["voided"] and self.ctx.reg.actor.role == "head" \
                and self.ctx.reg.mode != "county":
            self.record_allowed.add("unvoid")
        for key, button in self.record_buttons.items():
            button.setVisible(key in self.record_allowed)
        for step in steps:
            button = QPushButton(_("{label}(&{key})").format(
                label=_(petitions.EVENT_LABELS[step]), key=STEP_KEYS[step]))
            button.setMinimumHeight(40)
            button.setToolTip(_("快捷键 Alt+{key}").format(key=STEP_KEYS[step]))
            button.clicked.connect(lambda _c=False, chosen=step: self.do_step(chosen))
            self.steps_row.addWidget(button)
            button.show()
            self.step_buttons[step] = button
        # Keyboard focus on the likely next step (Enter opens it), else on 关闭.
        first = next(iter(self.step_buttons.values()), None)
        (first or self.close_button).setFocus()

    def reject(self) -> None:  # Qt override: Esc closes, unless embedded
        if not self.embedded:
            super().reject()

    # -- steps ---------------------------------------------------------------------------------
    def step_dialog(self, step: str) -> StepDialog:
        """The dialog for ``step`` on this matter, built but not shown (tests fill it)."""
        return StepDialog(self.ctx, self.matter, step, self)

    def do_step(self, step: str) -> bool:
        """Ask for the step's details and run it; True if it was saved."""
        self.matter = petitions.detail.matter(self.ctx.reg, self.matter_id)
        if self.matter["voided"] or step not in petitions.allowed_steps(self.matter["status"]):
            self.reload()
            return False
        saved = self.step_dialog(step).exec() == QDialog.DialogCode.Accepted
        self.reload()
        self.activateWindow()
        return saved


    # -- 更正, 作废, the petitioner's record ------------------------------------------------------
    def record_dialog(self, key: str) -> QDialog | None:
        """The form for ``key`` ("correct", "void", "unvoid", "person"), built but not shown (tests fill
        it); None when it does not apply to the matter now."""
        reg = self.ctx.reg
        if key not in self.record_allowed:
            return None
        if key == "correct":
            return corrections.correct_matter_dialog(self.ctx, self.matter, self)
        if key == "void":
            number = self.matter["number"]
            return corrections.void_dialog(
                self.ctx, title=_("作废 — {number}").format(number=number),
                what=_("信访件{number}").format(number=number), topic="matters", parent=self,
                action=lambda reason, head: petitions.void_matter(reg, self.matter_id, reason,
                                                                 head))
        if key == "unvoid":
            number = self.matter["number"]
            return corrections.unvoid_dialog(
                self.ctx, title=_("撤销作废 — {number}").format(number=number),
                what=_("信访件{number}").format(number=number), topic="matters", parent=self,
                action=lambda reason: petitions.unvoid_matter(reg, self.matter_id, reason))
        row = max(0, self.people.currentRow())
        if row >= len(self.people_ids):
            return None
        return corrections.PersonDialog(self.ctx, self.people_ids[row], self)

    def record_action(self, key: str) -> None:
        dialog = self.record_dialog(key)
        if dialog is None:
            return
        self.open_dialog = dialog
        dialog.finished.connect(lambda _result: self._after_record(dialog))
        dialog.open()

    def _after_record(self, dialog: QDialog) -> None:
        if self.open_dialog is dialog:
            self.open_dialog = None
        self.reload()
        self.activateWindow()


def _discard(widget: QWidget) -> None:
    """Hide now (so nothing old is painted over the new), delete once the event loop is free."""
    widget.hide()
    widget.deleteLater()


def _fit_height(table: QTableWidget) -> None:
    """Show every row (the dialog scrolls as a whole, not each table)."""
    height = table.horizontalHeader().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(table.rowCount()))
    table.setFixedHeight(max(height, table.horizontalHeader().height() + 40))
