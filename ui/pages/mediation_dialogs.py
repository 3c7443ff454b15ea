"""The forms of a mediation case: open a case, correct its registration, add or correct a
party, record a session, sign the agreement, record performance, follow up, judicial
confirmation, failure, termination, closing — and ``PartyActions``, which corrects or removes
the party chosen in the case's parties table.

Every form is a ``FormDialog``: fields in tab order, Ctrl+Enter (or Enter on a one-line field)
saves through ``ctx.run`` — one action, one transaction — and a refusal is shown in plain words
while the dialog keeps what was typed. Forms open window-modal with ``open()``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from storage import codes, mediation, station
from storage.errors import ValidationError
from storage.i18n import _, join_list, pgettext
from storage.mediation import (
    AgreementInput,
    CaseInput,
    FollowUpInput,
    MediationFile,
    Party,
    PartyInput,
    SessionInput,
)
from ui.context import AppContext
from ui.screen import fit_on_screen
from ui.widgets import to_date, to_qdate, without_mnemonic

#: Alt keys given to captions that have no letter of their own (Chinese captions).
MNEMONICS = "ABCDEFGHIJKLMNOPQRTUVWXYZ"  # S left out: Alt+S is 保存 in other forms


def _key_of(label: str) -> str | None:
    i = label.replace("&&", "").find("&")
    stripped = label.replace("&&", "")
    return stripped[i + 1].upper() if 0 <= i < len(stripped) - 1 else None


def split_names(text: str) -> list[str]:
    for sep in ("，", ",", "；", ";", " "):
        text = text.replace(sep, "、")
    return [n.strip() for n in text.split("、") if n.strip()]


class FormDialog(QDialog):
    """A form whose fields are added in tab order; ``save(values)`` runs on Ctrl+Enter/OK."""

    def __init__(self, ctx: AppContext, title: str, save: Callable[[dict[str, Any]], Any],
                 parent: QWidget | None = None, *, topic: str = "mediations",
                 scroll: bool = True) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._save = save
        self.topic = topic  # what changed, for ctx.changed
        self.result_value: Any = None
        self.fields: dict[str, QWidget] = {}
        self._bad_field: str | None = None
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        outer = QVBoxLayout(self)
        self.intro = QLabel("")
        self.intro.setWordWrap(True)
        self.intro.hide()
        outer.addWidget(self.intro)
        self.form = QFormLayout()
        self._area: QScrollArea | None = None
        self._host: QWidget | None = None
        if scroll:  # a long form scrolls on a small screen, its buttons stay in view
            area = self._area = QScrollArea()
            area.setWidgetResizable(True)
            area.setFrameShape(QFrame.Shape.NoFrame)
            host = self._host = QWidget()
            host.setLayout(self.form)
            area.setWidget(host)
            outer.addWidget(area, 1)
        else:
            outer.addLayout(self.form)
        self._sized = False
        self._initial: dict[str, Any] | None = None  # the values as the form opened
        self._keys: set[str] = set()  # Alt keys taken by the captions
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("保存（Ctrl+Enter）"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        self.today = ctx.reg.clock().date()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override: sized to the form
        if not self._sized and self._area is not None and self._host is not None:
            # A scroll area asks for little room of its own: the dialog takes what the form
            # needs, up to the screen (a laptop scrolls the rest, its buttons in view).
            self._sized = True
            extra = self.sizeHint() - self._area.sizeHint()
            want = self._host.sizeHint()
            bar = self._area.verticalScrollBar().sizeHint().width()
            fit_on_screen(self, max(self.width(), want.width() + extra.width() + bar),
                          want.height() + extra.height() + 4)
        if self._initial is None:
            self._initial = self.values()
            # typing starts in the first field, not on 保存 (once shown; not if closed by then)
            QTimer.singleShot(0, self, self._focus_first_field)
        super().showEvent(event)

    def _focus_first_field(self) -> None:
        first = next((w for w in self.fields.values() if w.isEnabled()), None)
        if first is not None:
            first.setFocus()

    def reject(self) -> None:  # Qt override: what was typed is never dropped without asking
        if self._initial is not None and self.values() != self._initial and \
                QMessageBox.question(self, _("放弃填写"), _("已填写的内容还没有保存，确定放弃吗？"),
                                     QMessageBox.StandardButton.Yes
                                     | QMessageBox.StandardButton.No,
                                     QMessageBox.StandardButton.No) \
                != QMessageBox.StandardButton.Yes:
            return
        super().reject()

    def _caption(self, label: str, widget: QWidget) -> QLabel:
        caption = QLabel(self._mnemonic(label))
        caption.setBuddy(widget)
        return caption

    def _mnemonic(self, label: str) -> str:
        """``label`` with an Alt key of its own (the first letter of the caption not yet
        taken in this dialog, else one appended: 纠纷名称(&A))."""
        text = label
        own = _key_of(label)
        if own is not None and own not in self._keys:  # the caption's own key, still free
            self._keys.add(own)
            return label
        if own is not None:  # taken by an earlier field: this one gets another
            label = without_mnemonic(label)
            text = label
        if label:
            letters = [c for c in label if c.isascii() and c.isalpha()]
            free = [c for c in letters if c.upper() not in self._keys]
            if free:
                key = free[0]
                i = label.index(key)
                text = label[:i] + "&" + label[i:]
            else:
                key = next((c for c in MNEMONICS if c not in self._keys), "")
                text = f"{label}(&{key})" if key else label
            self._keys.add(key.upper())
        return text

    def note(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.show()

    def _add(self, key: str, label: str, widget: QWidget) -> QWidget:
        self.fields[key] = widget
        widget.setObjectName(key)
        self.form.addRow(self._caption(label, widget), widget)
        return widget

    def line(self, key: str, label: str, value: str = "") -> QLineEdit:
        w = QLineEdit(value)
        # wide enough to read back an 18-digit ID number or an address (issue 15)
        w.setMinimumWidth(w.fontMetrics().horizontalAdvance("0" * 24))
        self._add(key, label, w)
        return w

    def text(self, key: str, label: str, value: str = "", rows: int = 3) -> QPlainTextEdit:
        w = QPlainTextEdit(value)
        w.setTabChangesFocus(True)
        w.setFixedHeight(12 + rows * w.fontMetrics().lineSpacing())
        self._add(key, label, w)
        return w

    def date(self, key: str, label: str, value: date | None = None) -> QDateEdit:
        w = QDateEdit(to_qdate(value or self.today))
        w.setDisplayFormat("yyyy-MM-dd")
        w.setCalendarPopup(False)
        self._add(key, label, w)
        return w

    def combo(self, key: str, label: str, items: Sequence[tuple[str, str]],
              current: str = "") -> QComboBox:
        w = QComboBox()
        for value, text in items:
            w.addItem(text, value)
        if current:
            i = w.findData(current)
            if i >= 0:
                w.setCurrentIndex(i)
        self._add(key, label, w)
        return w

    def check(self, key: str, label: str, checked: bool = False) -> QCheckBox:
        w = QCheckBox(self._mnemonic(label))
        w.setChecked(checked)
        self.fields[key] = w
        w.setObjectName(key)
        self.form.addRow("", w)
        return w

    def spin(self, key: str, label: str, lo: int, hi: int, value: int) -> QSpinBox:
        w = QSpinBox()
        w.setRange(lo, hi)
        w.setValue(value)
        self._add(key, label, w)
        return w

    def checks(self, key: str, label: str, choices: Sequence[tuple[str, str]],
               checked: Sequence[str] = ()) -> None:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        for value, text in choices:
            c = QCheckBox(text)
            c.setChecked(value in checked)
            c.setObjectName(f"{key}:{value}")
            self.fields[f"{key}:{value}"] = c
            row.addWidget(c)
        self.form.addRow(label, box)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, w in self.fields.items():
            if isinstance(w, QLineEdit):
                out[key] = w.text()
            elif isinstance(w, QPlainTextEdit):
                out[key] = w.toPlainText()
            elif isinstance(w, QDateEdit):
                out[key] = to_date(w.date())
            elif isinstance(w, QComboBox):
                out[key] = w.currentData()
            elif isinstance(w, QCheckBox):
                out[key] = w.isChecked()
            elif isinstance(w, QSpinBox):
                out[key] = w.value()
        for key in [k for k in out if ":" in k]:
            group, value = key.split(":", 1)
            out.setdefault(group, [])
            if out.pop(key):
                out[group].append(value)
        return out

    def _run_save(self, values: dict[str, Any]) -> Any:
        try:
            return self._save(values)
        except ValidationError as exc:
            self._bad_field = exc.field
            raise

    def accept(self) -> None:  # Qt override: save, or stay open on a refusal
        self._bad_field = None
        result = self.ctx.run(self, self._run_save, self.values(), topic=self.topic)
        if result is None:  # refused: everything typed stays; the field at fault gets the focus
            widget = self.fields.get(self._bad_field or "")
            if widget is not None:
                widget.setFocus()
            return
        self.result_value = result
        super().accept()


# ----- the forms --------------------------------------------------------------------------------

def _type_items(ctx: AppContext, current: str = "") -> list[tuple[str, str]]:
    labels = codes.labels(ctx.reg, "dispute_type")
    if current and current not in labels:
        labels.insert(0, current)
    return [("", _("（请选择）"))] + [(t, t) for t in labels]


def _village_items(ctx: AppContext) -> list[tuple[str, str]]:
    return [("", _("（不属于某村）"))] + [(v.id, v.name) for v in station.villages(ctx.reg)]


def open_case_dialog(ctx: AppContext, parent: QWidget | None = None, *,
                     matter_id: str | None = None,
                     dispute_id: str | None = None) -> FormDialog:
    """受理登记: a new case, or one prefilled from a petition matter or a screened dispute."""
    reg = ctx.reg
    prefilled: list[PartyInput] = []
    if matter_id:
        inp, prefilled = mediation.case_input_from_matter(reg, matter_id)
    elif dispute_id:
        inp, prefilled = mediation.case_input_from_dispute(reg, dispute_id)
    else:
        inp = CaseInput(source="application", dispute_type="", title="", facts="",
                        accepted_on=reg.clock().date())

    def save(values: dict[str, Any]) -> Any:
        case = CaseInput(
            source=inp.source if (matter_id or dispute_id) else values["source"],
            dispute_type=values["dispute_type"], title=values["title"], facts=values["facts"],
            accepted_on=values["accepted_on"], claims=values["claims"], amount=values["amount"],
            referred_by=values.get("referred_by", ""), village_id=values["village_id"] or None,
            place=values["place"], mediators=split_names(values["mediators"]),
            recorder=values["recorder"], matter_id=matter_id, dispute_id=dispute_id)
        parties = list(prefilled)
        if not prefilled:  # a new case: its two sides as the clerk typed them
            for side, key in (("a", "party_a"), ("b", "party_b")):
                for name in split_names(values.get(key, "")):
                    parties.append(PartyInput(side=side, name=name,
                                              id_number=values.get(f"{key}_id", "")
                                              if key == "party_a" else ""))
        return mediation.open_mediation(reg, case, parties)

    dlg = FormDialog(ctx, _("受理调解案件"), save, parent)
    if matter_id or dispute_id:
        who = join_list(_("{name}（{side}）").format(name=p.name,
                                                   side=_(mediation.SIDE_LABELS[p.side]))
                        for p in prefilled)
        dlg.note(_("来源：{source}。当事人：{who}").format(
            source=mediation.source_label(inp.source), who=who or _("（受理后添加）")))
    else:
        dlg.combo("source", _("案件来源"), [
            (k, _(v)) for k, v in mediation.SOURCE_LABELS.items()
            if k not in ("matter", "dispute")], "application")
    if not prefilled:  # the parties are part of the acceptance (issue 15: none were asked for)
        labels = mediation.APPLICATION_SIDE_LABELS
        dlg.line("party_a", _("{side}姓名").format(side=_(labels["a"])))
        dlg.line("party_a_id", _("{side}身份证号").format(side=_(labels["a"])))
        dlg.line("party_b", _("{side}姓名（多人用、分隔）").format(side=_(labels["b"])))
    dlg.line("title", _("纠纷名称"), inp.title)
    dlg.combo("dispute_type", _("纠纷类型"), _type_items(ctx), inp.dispute_type)
    if not (matter_id or dispute_id):
        dlg.line("referred_by", _("移交或委托单位"))
    dlg.text("facts", _("纠纷简要情况"), inp.facts, rows=4)
    dlg.text("claims", _("申请事项（每行一项）"), inp.claims, rows=2)
    dlg.line("amount", _("涉及金额（元）"))
    dlg.combo("village_id", _("所属村（社区）"), _village_items(ctx), inp.village_id or "")
    dlg.line("place", _("纠纷发生地"), inp.place)
    dlg.date("accepted_on", _("受理日期"), inp.accepted_on)
    dlg.line("mediators", _("人民调解员（用、分隔）"))
    dlg.line("recorder", _("记录人"), ctx.reg.actor.display_name)
    return dlg


def _amount_text(amount: Decimal) -> str:
    """500.00 -> "500", 1200.50 -> "1200.50", 0 -> "" (as a clerk would type it)."""
    if not amount:
        return ""
    return f"{amount:f}".removesuffix(".00")


def edit_case_dialog(ctx: AppContext, case_file: MediationFile,
                     parent: QWidget | None = None) -> FormDialog:
    """修改案件信息: correct the registration while the mediation goes on, prefilled with what
    is registered. Saved with the version read, so a change made meanwhile elsewhere is refused
    (reopen the form to see it); number, source and date of acceptance stay as accepted."""
    c = case_file.case
    with_referrer = c.source not in ("matter", "dispute")

    def save(values: dict[str, Any]) -> Any:
        changes: dict[str, Any] = dict(
            title=values["title"], dispute_type=values["dispute_type"], facts=values["facts"],
            claims=values["claims"], amount=values["amount"],
            village_id=values["village_id"] or None, place=values["place"],
            mediators=split_names(values["mediators"]), recorder=values["recorder"])
        if with_referrer:
            changes["referred_by"] = values["referred_by"]
        return mediation.update_case(ctx.reg, c.id, expected_version=c.version, **changes)

    dlg = FormDialog(ctx, _("修改案件信息"), save, parent)
    dlg.note(_("{number}　来源：{source}　受理日期：{d}").format(
        number=c.number, source=c.source_label, d=c.accepted_on.isoformat()))
    dlg.line("title", _("纠纷名称"), c.title)
    dlg.combo("dispute_type", _("纠纷类型"), _type_items(ctx, c.dispute_type), c.dispute_type)
    if with_referrer:
        dlg.line("referred_by", _("移交或委托单位"), c.referred_by)
    dlg.text("facts", _("纠纷简要情况"), c.facts, rows=4)
    dlg.text("claims", _("申请事项（每行一项）"), "\n".join(c.claims), rows=2)
    dlg.line("amount", _("涉及金额（元）"), _amount_text(c.amount))
    dlg.combo("village_id", _("所属村（社区）"), _village_items(ctx), c.village_id or "")
    dlg.line("place", _("纠纷发生地"), c.place)
    dlg.line("mediators", _("人民调解员（用、分隔）"), "、".join(c.mediators))
    dlg.line("recorder", _("记录人"), c.recorder)
    return dlg


def correct_case_dialog(ctx: AppContext, case_file: MediationFile,
                        parent: QWidget | None = None) -> FormDialog:
    """更正 of an ended or closed case's registration, with a required reason: the timeline
    and the audit log keep the values before."""
    c = case_file.case
    with_referrer = c.source not in ("matter", "dispute")

    def save(values: dict[str, Any]) -> Any:
        changes: dict[str, Any] = dict(
            title=values["title"], dispute_type=values["dispute_type"], facts=values["facts"],
            claims=values["claims"], amount=values["amount"],
            village_id=values["village_id"] or None, place=values["place"],
            mediators=split_names(values["mediators"]), recorder=values["recorder"])
        if with_referrer:
            changes["referred_by"] = values["referred_by"]
        return mediation.correct_case(ctx.reg, c.id, values["reason"], **changes)

    dlg = FormDialog(ctx, _("更正登记 — {number}").format(number=c.number), save, parent)
    dlg.note(_("改正登记时录错的内容（案件已{status}）。时间线和审计日志会记下原来的值。").format(
        status=c.status_label))
    dlg.line("reason", _("更正原因(&R)")).setPlaceholderText(_("必填"))
    dlg.line("title", _("纠纷名称"), c.title)
    dlg.combo("dispute_type", _("纠纷类型"), _type_items(ctx, c.dispute_type), c.dispute_type)
    if with_referrer:
        dlg.line("referred_by", _("移交或委托单位"), c.referred_by)
    dlg.text("facts", _("纠纷简要情况"), c.facts, rows=3)
    dlg.text("claims", _("申请事项（每行一项）"), "\n".join(c.claims), rows=2)
    dlg.line("amount", _("涉及金额（元）"), _amount_text(c.amount))
    dlg.combo("village_id", _("所属村（社区）"), _village_items(ctx), c.village_id or "")
    dlg.line("place", _("纠纷发生地"), c.place)
    dlg.line("mediators", _("人民调解员（用、分隔）"), "、".join(c.mediators))
    dlg.line("recorder", _("记录人"), c.recorder)
    dlg.fields["reason"].setFocus()
    return dlg


def party_dialog(ctx: AppContext, case_file: MediationFile, parent: QWidget | None = None,
                 side: str = "a", party: Party | None = None) -> FormDialog:
    """添加当事人 — or, given ``party``, 修改当事人: the same form prefilled with the party."""
    labels = (mediation.APPLICATION_SIDE_LABELS if case_file.case.source == "application"
              else mediation.SIDE_LABELS)

    def save(values: dict[str, Any]) -> Any:
        age = values["age"].strip()
        if age and not age.isdigit():
            raise ValidationError(_("年龄请填写数字。"), "age")
        id_number, gender = values["id_number"].strip(), values["gender"]
        birth_date = None
        if party is not None:
            if id_number and party.id_number and gender == party.gender:
                gender = ""  # read from the old number: the number now typed decides
            if not (id_number or party.id_number or age):
                birth_date = party.birth_date  # not on the form (e.g. from a petition): kept
        p = PartyInput(
            side=values["side"], kind=values["kind"], name=values["name"], id_number=id_number,
            gender=gender, ethnic_group=values["ethnic_group"], birth_date=birth_date,
            age=int(age) if age else None, occupation=values["occupation"], phone=values["phone"],
            address=values["address"], representative=values["representative"],
            representative_title=values["representative_title"], agent=values["agent"])
        if party is None:
            return mediation.add_party(ctx.reg, case_file.case.id, p)
        return mediation.update_party(ctx.reg, party.id, p, expected_version=party.version)

    q = party
    dlg = FormDialog(ctx, _("修改当事人") if q else _("添加当事人"), save, parent)
    dlg.combo("side", _("当事人一方"), [(k, _(t)) for k, t in labels.items()],
              q.side if q else side)
    dlg.combo("kind", _("类别"), [(k, _(t)) for k, t in mediation.PARTY_KIND_LABELS.items()],
              q.kind if q else "")
    dlg.line("name", _("姓名或名称"), q.name if q else "")
    dlg.line("id_number", _("身份证号（单位填统一社会信用代码）"), q.id_number if q else "")
    dlg.combo("gender", _("性别"), [("", _("（按身份证）")), ("男", _("男")), ("女", _("女"))],
              q.gender if q else "")
    dlg.line("ethnic_group", _("民族"), q.ethnic_group if q else _("汉族"))
    dlg.line("age", _("年龄（无身份证号时）"), str(q.age) if q and q.age is not None else "")
    dlg.line("occupation", _("职业或职务"), q.occupation if q else "")
    dlg.line("phone", _("联系电话"), q.phone if q else "")
    dlg.line("address", _("单位或住址"), q.address if q else "")
    dlg.line("representative", _("法定代表人或负责人（单位）"), q.representative if q else "")
    dlg.line("representative_title", _("其职务"), q.representative_title if q else "")
    dlg.line("agent", _("委托代理人"), q.agent if q else "")
    return dlg


def session_dialog(ctx: AppContext, case_file: MediationFile, parent: QWidget | None = None,
                   kind: str = "mediation") -> FormDialog:
    """Quick entry of a session record: date, place and people are prefilled."""
    last = case_file.sessions[-1] if case_file.sessions else None

    def save(values: dict[str, Any]) -> Any:
        return mediation.record_session(ctx.reg, case_file.case.id, SessionInput(
            held_on=values["held_on"], kind=values["kind"], time=values["time"],
            place=values["place"], mediators=split_names(values["mediators"]),
            recorder=values["recorder"], participants=values["participants"],
            present_party_ids=([p.id for p in case_file.parties]
                               if values["kind"] == "mediation" else []),
            rights_notified=values["rights_notified"], statement_a=values["statement_a"],
            statement_b=values["statement_b"], findings=values["findings"], agreed=values["agreed"],
            record=values["record"], result=values["result"]))

    dlg = FormDialog(ctx, _("记录调解"), save, parent)
    dlg.combo("kind", _("类型"), [(k, _(t)) for k, t in mediation.SESSION_KIND_LABELS.items()],
              kind)
    dlg.date("held_on", _("日期"))
    dlg.text("statement_a", _("甲方陈述"), rows=3)
    dlg.text("statement_b", _("乙方陈述"), rows=3)
    dlg.text("findings", _("调查核实情况"), rows=2)
    dlg.text("agreed", _("达成的意见"), rows=2)
    dlg.combo("result", _("本次结果"),
              [(k, _(t)) for k, t in mediation.SESSION_RESULT_LABELS.items()])
    dlg.check("rights_notified", _("已告知当事人权利义务"), not case_file.sessions)
    dlg.text("record", _("其他记录（调查内容）"), rows=2)
    dlg.line("place", _("地点"), last.place if last else "")
    dlg.line("time", _("时间"))
    dlg.line("mediators", _("人民调解员"), join_list(case_file.case.mediators))
    dlg.line("recorder", _("记录人"), case_file.case.recorder)
    dlg.line("participants", _("参加人（邀请协助的人员）"))
    return dlg


def agreement_dialog(ctx: AppContext, case_file: MediationFile,
                     parent: QWidget | None = None) -> FormDialog:
    agreed = next((s.agreed for s in reversed(case_file.sessions) if s.agreed), "")

    def save(values: dict[str, Any]) -> Any:
        return mediation.sign_agreement(ctx.reg, case_file.case.id, AgreementInput(
            signed_on=values["signed_on"], form=values["form"], terms=values["terms"],
            issues=values["issues"],
            responsibilities=values["responsibilities"], facts=values["facts"],
            performance_manner=values["performance_manner"],
            performance_place=values["performance_place"],
            performance_deadline=values["performance_deadline"], copies=values["copies"],
            amount=values["amount"], status_matter=values["status_matter"],
            performed_at_signing=values["performed_at_signing"]))

    dlg = FormDialog(ctx, _("调解协议"), save, parent)
    dlg.combo("form", _("协议形式"),
              [(k, _(t)) for k, t in mediation.AGREEMENT_FORM_LABELS.items()])
    dlg.date("signed_on", _("协议生效日期"))
    dlg.text("terms", _("协议内容"), agreed, rows=4)
    dlg.line("performance_manner", _("履行方式"))
    dlg.line("performance_place", _("履行地点"))
    dlg.date("performance_deadline", _("履行期限"))
    dlg.check("performed_at_signing", _("当场履行完毕"))
    dlg.line("amount", _("协议涉及金额（元）"))
    dlg.spin("copies", _("协议书份数"), 0, 50, len(case_file.parties) + 1)
    dlg.text("issues", _("争议事项"), rows=2)
    dlg.text("responsibilities", _("各方责任"), rows=2)
    dlg.text("facts", _("纠纷主要事实"), case_file.case.facts, rows=3)
    dlg.combo("status_matter", _("是否涉及身份关系"),
              [("", _("不涉及"))] + [(m, _(m)) for m in mediation.STATUS_MATTERS])
    return dlg


def performance_dialog(ctx: AppContext, case_file: MediationFile,
                       parent: QWidget | None = None) -> FormDialog:
    def save(values: dict[str, Any]) -> Any:
        return mediation.record_performance(ctx.reg, case_file.case.id, on=values["on"],
                                            status=values["status"], note=values["note"],
                                            evidence=values["evidence"])

    dlg = FormDialog(ctx, _("履行情况"), save, parent)
    dlg.combo("status", _("履行情况"), [(k, _(t)) for k, t in mediation.PERFORMANCE_LABELS.items()
                                      if k != "pending"], "performed")
    dlg.date("on", _("日期"))
    dlg.line("evidence", _("履行凭证（收条、汇款单等）"))
    dlg.text("note", _("说明"), rows=2)
    return dlg


def followup_dialog(ctx: AppContext, case_file: MediationFile,
                    parent: QWidget | None = None) -> FormDialog:
    def save(values: dict[str, Any]) -> Any:
        return mediation.record_followup(ctx.reg, case_file.case.id, FollowUpInput(
            visited_on=values["visited_on"], visitor=values["visitor"],
            performance=values["performance"],
            visited_persons=values["visited_persons"], satisfaction=values["satisfaction"],
            lawsuit=values["lawsuit"], risk=values["risk"], measures=values["measures"],
            next_due=values["next_due"] if values["plan_next"] else None))

    dlg = FormDialog(ctx, _("回访记录"), save, parent)
    dlg.text("performance", _("履行情况"), case_file.case.performance_label, rows=2)
    dlg.combo("satisfaction", _("当事人满意程度"),
              [("", _("（未表态）"))] + [(s, _(s)) for s in mediation.SATISFACTION], "满意")
    dlg.date("visited_on", _("回访日期"))
    mediators = case_file.case.mediators
    dlg.line("visitor", _("回访人"), mediators[0] if mediators else "")
    dlg.line("visited_persons", _("被回访人"), join_list(p.name for p in case_file.parties))
    dlg.line("lawsuit", _("是否因履行起诉及结果"))
    dlg.line("risk", _("有无反复、激化等风险"))
    dlg.line("measures", _("采取的措施"))
    dlg.check("plan_next", _("安排下次回访"))
    dlg.date("next_due", _("下次回访日期"))
    return dlg


def extend_dialog(ctx: AppContext, case_file: MediationFile,
                  parent: QWidget | None = None) -> FormDialog:
    def save(values: dict[str, Any]) -> Any:
        return mediation.extend_period(ctx.reg, case_file.case.id, days=values["days"],
                                       agreed_on=values["agreed_on"], reason=values["reason"],
                                       parties_consent=values["consent"])

    dlg = FormDialog(ctx, _("延长调解期限"), save, parent)
    dlg.note(_("调解期限现为{due}。").format(due=case_file.case.period_due.isoformat()))
    dlg.spin("days", _("延长天数"), 1, mediation.MAX_EXTENSION_DAYS, 15)
    dlg.text("reason", _("延长理由"), rows=2)
    dlg.check("consent", _("双方当事人同意继续调解"))
    dlg.date("agreed_on", _("同意日期"))
    return dlg


def fail_dialog(ctx: AppContext, case_file: MediationFile,
                parent: QWidget | None = None) -> FormDialog:
    def save(values: dict[str, Any]) -> Any:
        return mediation.record_failure(ctx.reg, case_file.case.id, on=values["on"],
                                        reason=values["reason"], routes=values.get("routes", []))

    dlg = FormDialog(ctx, _("调解不成"), save, parent)
    dlg.text("reason", _("调解不成的原因"), rows=2)
    dlg.checks("routes", _("已告知的其他途径"), [(r, _(r)) for r in mediation.ROUTES])
    dlg.date("on", _("日期"))
    return dlg


def terminate_dialog(ctx: AppContext, case_file: MediationFile,
                     parent: QWidget | None = None) -> FormDialog:
    def save(values: dict[str, Any]) -> Any:
        return mediation.terminate(ctx.reg, case_file.case.id, on=values["on"],
                                   reason=values["reason"])

    dlg = FormDialog(ctx, _("终止调解"), save, parent)
    dlg.text("reason", _("终止原因（如一方拒绝调解、撤回申请、已报告公安机关）"), rows=2)
    dlg.date("on", _("日期"))
    return dlg


def judicial_dialog(ctx: AppContext, case_file: MediationFile,
                    parent: QWidget | None = None) -> FormDialog:
    def save(values: dict[str, Any]) -> Any:
        return mediation.apply_judicial_confirmation(ctx.reg, case_file.case.id,
                                                     applied_on=values["applied_on"],
                                                     court=values["court"], joint=values["joint"])

    dlg = FormDialog(ctx, _("申请司法确认"), save, parent)
    if case_file.agreement is not None and case_file.agreement.jc_due is not None:
        dlg.note(_("须在协议生效之日起30日内共同申请，最后一日为{due}。").format(
            due=case_file.agreement.jc_due.isoformat()))
    dlg.line("court", _("受理法院"))
    dlg.check("joint", _("双方当事人共同申请"))
    dlg.date("applied_on", _("申请日期"))
    return dlg


def judicial_result_dialog(ctx: AppContext, case_file: MediationFile,
                           parent: QWidget | None = None) -> FormDialog:
    def save(values: dict[str, Any]) -> Any:
        return mediation.record_judicial_result(ctx.reg, case_file.case.id, result=values["result"],
                                                decided_on=values["decided_on"],
                                                case_number=values["case_number"],
                                                note=values["note"])

    dlg = FormDialog(ctx, _("司法确认结果"), save, parent)
    dlg.combo("result", _("结果"), [(k, _(t)) for k, t in mediation.JC_RESULT_LABELS.items()
                                   if k != "pending"])
    dlg.date("decided_on", _("决定日期"))
    dlg.line("case_number", _("法院案号"))
    dlg.line("note", _("理由（不予确认、不予受理时填写）"))
    return dlg


def close_dialog(ctx: AppContext, case_file: MediationFile,
                 parent: QWidget | None = None) -> FormDialog:
    """结案归档, with the 卷宗 materials the data cannot show ticked here."""
    def save(values: dict[str, Any]) -> Any:
        return mediation.close_case(ctx.reg, case_file.case.id, closed_on=values["closed_on"],
                                    filed_by=values["filed_by"], retention=values["retention"],
                                    ticked=values.get("docs", []), file_note=values["file_note"])

    dlg = FormDialog(ctx, _("结案归档"), save, parent)
    missing = [i.title for i in case_file.checklist if i.missing and i.key != "back_cover"]
    if missing:
        dlg.note(_("卷宗尚缺：{names}").format(names=join_list(missing)))
    dlg.date("closed_on", _("结案日期"))
    dlg.line("filed_by", _("立卷人"), ctx.reg.actor.display_name)
    dlg.combo("retention", _("保管期限"), [(r, _(r)) for r in mediation.RETENTION], "长期")
    tickable = [i for i in case_file.checklist if i.tickable and not i.derived]
    dlg.checks("docs", _("卷内已有材料"), [(i.key, i.title) for i in tickable],
               [i.key for i in tickable if i.present])
    dlg.text("file_note", _("卷宗情况说明"), case_file.case.file_note, rows=2)
    return dlg


def documents_dialog(ctx: AppContext, case_file: MediationFile,
                     parent: QWidget | None = None) -> FormDialog:
    def save(values: dict[str, Any]) -> Any:
        return mediation.set_documents(ctx.reg, case_file.case.id, values.get("docs", []),
                                       values["file_note"])

    dlg = FormDialog(ctx, _("卷宗材料"), save, parent)
    tickable = [i for i in case_file.checklist if i.tickable and not i.derived]
    dlg.checks("docs", _("卷内已有材料"), [(i.key, i.title) for i in tickable],
               [i.key for i in tickable if i.present])
    dlg.text("file_note", _("卷宗情况说明"), case_file.case.file_note, rows=2)
    return dlg


class PickDialog(QDialog):
    """Choose a petition matter or a screened dispute to send to mediation (Enter picks)."""

    def __init__(self, title: str, rows: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.chosen: str | None = None
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        for value, text in rows:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, value)
            self.list.addItem(item)
        if not rows:
            layout.addWidget(QLabel(_("没有可以转人民调解的记录。")))
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:  # Qt override
        if self.list.count() == 0 or self.list.currentRow() < 0:
            return
        item = self.list.currentItem()
        self.chosen = str(item.data(Qt.ItemDataRole.UserRole))
        super().accept()


class PartyActions(QObject):
    """修改当事人 and 删除当事人 for the party chosen in a case's parties table.

    Enter or a double-click on a row opens the add-party form prefilled with that party; Delete
    asks, then removes the party. Both are also on the table's context menu (the Menu key) and
    on the buttons under it (``panel`` holds the table and the buttons). Offered only where the
    parties may change (``set_allowed``); storage decides all the same, a refusal is shown in
    plain words and the form keeps what was typed. Afterwards the case is shown again
    (``refresh``) and the keyboard is back on the party's row.
    """

    def __init__(self, ctx: AppContext, table: QTableWidget,
                 current: Callable[[], MediationFile | None], refresh: Callable[[], None],
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.table = table
        self._current = current
        self._refresh = refresh
        self._host = parent
        self.allowed = False
        self.dialog: FormDialog | None = None
        self.confirm: QMessageBox | None = None
        self.edit_action = QAction(_("修改当事人"), table)
        self.edit_action.setShortcuts([QKeySequence(Qt.Key.Key_Return),
                                       QKeySequence(Qt.Key.Key_Enter)])
        self.remove_action = QAction(_("删除当事人"), table)
        self.remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        for action, slot in ((self.edit_action, self.edit), (self.remove_action, self.remove)):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _c=False, run=slot: run())
            table.addAction(action)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        table.doubleClicked.connect(lambda _index: self.edit())
        self.edit_button = QPushButton(_("修改当事人（Enter）"))
        self.edit_button.clicked.connect(self.edit)
        self.remove_button = QPushButton(_("删除当事人（Delete）"))
        self.remove_button.clicked.connect(self.remove)
        self.panel = QWidget()
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(table, 1)
        row = QHBoxLayout()
        row.addWidget(self.edit_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.set_allowed(False)

    def set_allowed(self, allowed: bool) -> None:
        """Whether the case shown lets its parties change (open case, a role that edits)."""
        self.allowed = allowed
        for action in (self.edit_action, self.remove_action):
            action.setEnabled(allowed)
        for button in (self.edit_button, self.remove_button):
            button.setVisible(allowed)

    def chosen(self) -> tuple[MediationFile, Party] | None:
        f = self._current()
        row = self.table.currentRow()
        if not self.allowed or f is None or not 0 <= row < len(f.parties):
            return None
        return f, f.parties[row]

    def edit(self) -> None:
        chosen = self.chosen()
        if chosen is None:
            self.table.setFocus()
            return
        f, party = chosen
        dlg = party_dialog(self.ctx, f, self._host, party=party)
        self.dialog = dlg
        dlg.finished.connect(lambda _r: self._after(dlg, party.id))
        dlg.open()

    def remove(self) -> None:
        chosen = self.chosen()
        if chosen is None:
            self.table.setFocus()
            return
        f, party = chosen
        box = QMessageBox(QMessageBox.Icon.Question, _("删除当事人"),
                          _("从本案删除当事人{name}（{side}）吗？").format(
                              name=party.name, side=party.side_label(f.case.source)),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self._host)
        box.button(QMessageBox.StandardButton.Yes).setText(pgettext("按钮", "删除"))
        box.button(QMessageBox.StandardButton.Cancel).setText(_("取消"))
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.confirm = box

        def done(_result: int) -> None:
            if self.confirm is box:
                self.confirm = None
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                self.ctx.run(self._host, mediation.remove_party, self.ctx.reg, party.id,
                             topic="mediations")
            self._after(box, party.id)

        box.finished.connect(done)
        box.open()

    def _after(self, dlg: QDialog, party_id: str) -> None:
        if self.dialog is dlg:
            self.dialog = None
        row = self.table.currentRow()
        self._refresh()
        f = self._current()
        ids = [p.id for p in f.parties] if f is not None else []
        if party_id in ids:
            row = ids.index(party_id)
        if ids:
            self.table.setCurrentCell(min(max(row, 0), len(ids) - 1), 0)
        self.table.window().activateWindow()
        self.table.setFocus()
