"""更正, 作废 and a petitioner's own record (docs/domain.md §3.4–§3.6), as forms.

Every form is a ``FormDialog`` (fields in tab order, Enter on a one-line field or Ctrl+Enter
saves through ``ctx.run``, a refusal keeps what was typed and puts the cursor on the field at
fault). A reason is always asked first. A void asks a clerk for the station head's login and
password on the spot; a head confirms by doing it.

- :func:`correct_matter_dialog` — any field of a registered matter and of each petitioner as
  registered on it;
- :func:`void_dialog` — a matter, a mediation case or a screening report;
- :class:`PersonDialog` — one person: details, former names, history; 更正, 更名, and for the
  head 合并 and 撤销合并.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from storage import codes, mediation, petitions, station
from storage.i18n import _
from storage.masking import mask_id_number
from storage.mediation import MediationFile
from storage.register import Row
from storage.validation import gender_label
from storage.voiding import HeadConfirmation
from ui.context import AppContext
from ui.pages.mediation_dialogs import FormDialog
from ui.screen import fit_on_screen
from ui.widgets import ERROR_STYLE

VOID_STYLE = "background: #fde8e8; color: #8a1010; border: 1px solid #c62828; padding: 6px;" \
             " font-weight: bold;"


def reason_field(dlg: FormDialog, label: str) -> QLineEdit:
    field = dlg.line("reason", label)
    field.setPlaceholderText(_("必填"))
    return field


def head_fields(dlg: FormDialog) -> None:
    """A clerk's void needs the station head at the desk: their login and password."""
    if dlg.ctx.reg.actor.role == "head":
        return
    dlg.line("head_username", _("站长登录名(&L)"))
    password = dlg.line("head_password", _("站长密码(&W)"))
    password.setEchoMode(QLineEdit.EchoMode.Password)


def confirmation(values: dict[str, Any]) -> HeadConfirmation | None:
    if "head_username" not in values:
        return None
    return HeadConfirmation(str(values["head_username"]), str(values["head_password"]))


def void_dialog(ctx: AppContext, *, title: str, what: str,
                action: Callable[[str, HeadConfirmation | None], Any], topic: str,
                parent: QWidget | None = None) -> FormDialog:
    """作废 ``what`` with a reason and the head's confirmation; ``action(reason, confirmation)``
    does it."""
    dlg = FormDialog(ctx, title, lambda v: action(str(v["reason"]), confirmation(v)), parent,
                     topic=topic)
    dlg.note(_("作废“{what}”：它保留编号，不再出现在列表和统计中，重印时标明“作废”，"
               "并以作废状态报送县里。需站长确认。").format(what=what))
    reason_field(dlg, _("作废原因(&R)"))
    head_fields(dlg)
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Save)
    ok.setText(_("确认作废（Ctrl+Enter）"))
    dlg.setMinimumWidth(dlg.fontMetrics().horizontalAdvance("作") * 34)
    dlg.fields["reason"].setFocus()
    return dlg


def void_case_dialog(ctx: AppContext, case_file: MediationFile,
                     parent: QWidget | None = None) -> FormDialog:
    """作废 of a mediation case registered by mistake (a builder of the mediation page's
    ACTIONS)."""
    c = case_file.case
    return void_dialog(ctx, title=_("作废调解案件"), what=_("调解案件{number}").format(
        number=c.number), topic="mediations", parent=parent,
        action=lambda reason, head: mediation.void_case(ctx.reg, c.id, reason, head))


def unvoid_dialog(ctx: AppContext, *, title: str, what: str,
                  action: Callable[[str], Any], topic: str,
                  parent: QWidget | None = None) -> FormDialog:
    """撤销作废 of ``what`` (the station head's own act) with a reason; ``action(reason)``."""
    dlg = FormDialog(ctx, title, lambda v: action(str(v["reason"])), parent, topic=topic)
    dlg.note(_("撤销对“{what}”的作废：它恢复到作废前的状态，重新出现在列表和统计中，"
               "撤销的原因记入记录，并随下次数据包报送县里。").format(what=what))
    reason_field(dlg, _("撤销原因(&R)"))
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Save)
    ok.setText(_("确认撤销作废（Ctrl+Enter）"))
    dlg.setMinimumWidth(dlg.fontMetrics().horizontalAdvance("作") * 34)
    dlg.fields["reason"].setFocus()
    return dlg


def unvoid_case_dialog(ctx: AppContext, case_file: MediationFile,
                       parent: QWidget | None = None) -> FormDialog:
    """撤销作废 of a mediation case (a builder of the mediation page's ACTIONS)."""
    c = case_file.case
    return unvoid_dialog(ctx, title=_("撤销作废调解案件"), what=_("调解案件{number}").format(
        number=c.number), topic="mediations", parent=parent,
        action=lambda reason: mediation.unvoid_case(ctx.reg, c.id, reason))


# ----- 更正 of a matter ---------------------------------------------------------------------------

def _combo_items(values: list[str], current: str) -> list[tuple[str, str]]:
    items = [("", "")] + [(v, v) for v in values]
    if current and current not in values:
        items.append((current, current))
    return items


def _matter_changes(matter: Row, values: dict[str, Any]) -> dict[str, Any]:
    """The matter's fields the form changed (compared as the form holds them)."""
    changes: dict[str, Any] = {}
    for key in petitions.MATTER_FIELDS:
        if key not in values:
            continue
        value, current = values[key], matter[key]
        if key == "received_on":
            current = date.fromisoformat(current)
        elif key == "is_skip_level":
            current = bool(current)
        elif key == "problem_village_id":
            value = value or None
        if value != current:
            changes[key] = value
    return changes


def _link_changes(people: list[Row], values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """link id -> what the form changed of that petitioner as registered."""
    links: dict[str, dict[str, Any]] = {}
    for index, person in enumerate(people):
        prefix = f"petitioners.{index}."
        diff: dict[str, Any] = {}
        for key in ("name", "gender", "id_number", "phone", "address"):
            if values[prefix + key] != (person[key] or ""):
                diff[key] = values[prefix + key]
        if bool(values[prefix + "is_representative"]) != bool(person["is_representative"]):
            diff["is_representative"] = bool(values[prefix + "is_representative"])
        if diff:
            links[person["link_id"]] = diff
    return links


def correct_matter_dialog(ctx: AppContext, matter: Row, parent: QWidget | None = None
                          ) -> FormDialog:
    """更正 of a registered matter, prefilled with what is registered; only what is changed is
    saved, with the reason, as one 更正 on the timeline."""
    reg = ctx.reg
    people = petitions.petitioners_of(reg, matter["id"])
    villages = [(v.id, v.name) for v in station.villages(reg, matter["station_code"])]
    categories = codes.categories(reg)
    forms = [(value, codes.form_label(value)) for value in codes.labels(reg, "form")]

    def save(values: dict[str, Any]) -> Any:
        return petitions.correct_matter(reg, matter["id"], str(values["reason"]),
                                        changes=_matter_changes(matter, values),
                                        petitioner_changes=_link_changes(people, values))

    dlg = FormDialog(ctx, _("更正 — {number}").format(number=matter["number"]), save, parent,
                     topic="matters", scroll=True)
    dlg.note(_("改正登记时录错的内容。只有改动过的项目会被更正；时间线和审计日志会记下原来的值。"))
    reason_field(dlg, _("更正原因(&R)"))
    dlg.combo("form", _("信访形式"), forms, matter["form"])
    dlg.date("received_on", _("信访日期"), date.fromisoformat(matter["received_on"]))
    dlg.line("proxy_by", _("代办人"), matter["proxy_by"])
    dlg.line("summary", _("概况"), matter["summary"])
    dlg.text("request", _("诉求"), matter["request"], rows=2)
    dlg.text("facts", _("事实和理由"), matter["facts"], rows=3)
    first = dlg.combo("category1", _("内容分类"), _combo_items(list(categories),
                                                          matter["category1"]),
                      matter["category1"])
    second = dlg.combo("category2", _("二级分类"), _combo_items(
        categories.get(matter["category1"], []), matter["category2"]), matter["category2"])

    def refill(_index: int) -> None:
        second.clear()
        for value, text in _combo_items(categories.get(str(first.currentData() or ""), []), ""):
            second.addItem(text, value)

    first.currentIndexChanged.connect(refill)
    dlg.combo("purpose", _("信访目的"), _combo_items(codes.labels(reg, "purpose"),
                                                 matter["purpose"]), matter["purpose"])
    dlg.combo("problem_village_id", _("问题属地"), [("", "")] + villages,
              matter["problem_village_id"] or "")
    dlg.spin("visitors_count", _("来访人数"), 1, petitions.MAX_PEOPLE, matter["visitors_count"])
    dlg.spin("persons_involved", _("涉及人数"), 1, petitions.MAX_PEOPLE * 10,
             matter["persons_involved"])
    dlg.check("is_skip_level", _("越级访"), bool(matter["is_skip_level"]))
    genders = [("", ""), ("男", gender_label("男")), ("女", gender_label("女"))]
    for index, person in enumerate(people):
        prefix = f"petitioners.{index}."
        heading = QLabel(_("信访人（登记时）：{name}").format(name=person["name"]))
        heading.setStyleSheet("font-weight: bold; margin-top: 6px;")
        dlg.form.addRow(heading)
        dlg.line(prefix + "name", _("姓名"), person["name"])
        dlg.combo(prefix + "gender", _("性别"), genders, person["gender"] or "")
        dlg.line(prefix + "id_number", _("身份证号"), person["id_number"] or "")
        dlg.line(prefix + "phone", _("电话"), person["phone"] or "")
        dlg.line(prefix + "address", _("住址"), person["address"] or "")
        dlg.check(prefix + "is_representative", _("代表"), bool(person["is_representative"]))
    fit_on_screen(dlg, 720, 860)
    dlg.fields["reason"].setFocus()
    return dlg


# ----- one person --------------------------------------------------------------------------------

def correct_person_dialog(ctx: AppContext, person: Row, parent: QWidget | None = None
                          ) -> FormDialog:
    def save(values: dict[str, Any]) -> Any:
        changes = {k: values[k] for k in ("name", "gender", "id_number", "phone", "address",
                                          "occupation")
                   if values[k] != (person[k] or "")}
        return petitions.correct_person(ctx.reg, person["id"], changes, str(values["reason"]))

    dlg = FormDialog(ctx, _("更正信访人资料 — {name}").format(name=person["name"]), save, parent,
                     topic="matters")
    dlg.note(_("改正此人资料中录错的内容（已登记的信访件保留登记时的内容）。"
               "此人改了名字请用“更名”。"))
    reason_field(dlg, _("更正原因(&R)"))
    dlg.line("name", _("姓名"), person["name"])
    dlg.combo("gender", _("性别"), [("", ""), ("男", gender_label("男")),
                                  ("女", gender_label("女"))], person["gender"] or "")
    dlg.line("id_number", _("身份证号"), person["id_number"] or "")
    dlg.line("phone", _("电话"), person["phone"] or "")
    dlg.line("address", _("住址"), person["address"] or "")
    dlg.line("occupation", _("职业"), person["occupation"] or "")
    dlg.fields["reason"].setFocus()
    return dlg


def rename_dialog(ctx: AppContext, person: Row, parent: QWidget | None = None) -> FormDialog:
    dlg = FormDialog(ctx, _("更名 — {name}").format(name=person["name"]),
                     lambda v: petitions.rename(ctx.reg, person["id"], str(v["name"]),
                                                str(v["reason"])), parent, topic="matters")
    dlg.note(_("此人改了名字：原名“{name}”记入历史，以前的信访件保留登记时的姓名。").format(
        name=person["name"]))
    dlg.line("name", _("新姓名(&N)"))
    dlg.line("reason", _("更名原因(&R)")).setPlaceholderText(_("必填，如：经公安机关变更姓名"))
    dlg.fields["name"].setFocus()
    return dlg


def merge_dialog(ctx: AppContext, person: Row, parent: QWidget | None = None) -> FormDialog:
    """The head picks the other row that is this same person; it is merged into this one."""
    found: dict[str, Row] = {}

    def save(values: dict[str, Any]) -> Any:
        chosen = picks.currentItem()
        other = str(chosen.data(Qt.ItemDataRole.UserRole)) if chosen is not None else ""
        return petitions.merge(ctx.reg, person["id"], other, str(values["reason"]))

    dlg = FormDialog(ctx, _("合并 — {name}").format(name=person["name"]), save, parent,
                     topic="matters")
    dlg.note(_("把登记成两个人的同一人合并到“{name}”名下：另一人的信访件都归到此人，"
               "另一人保留以便撤销合并。").format(name=person["name"]))
    search = dlg.line("search", _("查找另一人(&F)"))
    search.setPlaceholderText(_("姓名、身份证号或电话"))
    picks = QListWidget()
    picks.setMinimumHeight(picks.fontMetrics().lineSpacing() * 6)
    dlg.form.addRow(_("选择(&S)"), picks)
    dlg.fields["other"] = picks

    def look(text: str) -> None:
        picks.clear()
        found.clear()
        for row in petitions.find_people(ctx.reg, text, exclude_id=person["id"]):
            found[row["id"]] = row
            item = QListWidgetItem(_("{name}　{id}　{phone}　{n}件").format(
                name=row["name"], id=mask_id_number(row["id_number"] or "") or _("无身份证号"),
                phone=row["phone"], n=row["matters"]))
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            picks.addItem(item)
        if picks.count():
            picks.setCurrentRow(0)

    search.textChanged.connect(look)
    reason_field(dlg, _("合并原因(&R)"))
    search.setFocus()
    return dlg


def undo_merge_dialog(ctx: AppContext, person: Row, merge: petitions.PersonEvent,
                      parent: QWidget | None = None) -> FormDialog:
    dlg = FormDialog(ctx, _("撤销合并 — {name}").format(name=person["name"]),
                     lambda v: petitions.undo_merge(ctx.reg, merge.id, str(v["reason"])),
                     parent, topic="matters")
    dlg.note(_("{when}合并进来的“{other}”重新分开，他的信访件回到他名下。").format(
        when=merge.occurred_on.isoformat(), other=merge.data.get("other_name", "")))
    reason_field(dlg, _("撤销原因(&R)"))
    dlg.fields["reason"].setFocus()
    return dlg


class PersonDialog(QDialog):
    """One petitioner: the record as it is now, the names they were known by, their own history
    (更名, 更正, 合并), and the actions on them. Each action is a form; this window refreshes
    after it."""

    def __init__(self, ctx: AppContext, person_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = person_id
        self.form: FormDialog | None = None
        fit_on_screen(self, 640, 560)
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        layout.addWidget(self.title)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)
        history_label = QLabel(_("此人的记录(&H)"))
        self.history = QListWidget()
        history_label.setBuddy(self.history)
        layout.addWidget(history_label)
        layout.addWidget(self.history, 1)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text in (("correct", _("更正资料(&C)")), ("rename", _("更名(&N)")),
                          ("merge", _("合并(&M)")), ("undo_merge", _("撤销合并(&U)"))):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, chosen=key: self.start(chosen))
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        close = QPushButton(_("关闭 (Esc)"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        reg = self.ctx.reg
        person = reg.get("petitioners", self.person_id)
        self.person = person
        self.setWindowTitle(_("信访人资料 — {name}").format(name=person["name"]))
        self.title.setText(person["name"])
        former = petitions.former_names(reg, person["id"])
        villages = {v.id: v.name for v in station.villages(reg, person["station_code"])}
        lines = [
            _("性别：{g}　身份证号：{i}").format(g=gender_label(person["gender"] or "") or "—",
                                           i=mask_id_number(person["id_number"] or "") or "—"),
            _("电话：{p}　住址：{a}").format(p=person["phone"] or "—",
                                         a=person["address"] or villages.get(
                                             person["village_id"] or "", "") or "—"),
        ]
        if former:
            lines.append(_("曾用名：{names}").format(names=_("、").join(former)))
        if person["merged_into"]:
            lines.append(_("已并入：{name}").format(
                name=petitions.live_person(reg, person["id"])["name"]))
        self.details.setText("\n".join(lines))
        self.history.clear()
        for event in petitions.person_events(reg, person["id"]):
            text = _("{day}　{what}　{who}").format(
                day=event.occurred_on.isoformat(), what=petitions.describe_person_event(event),
                who=event.actor_name)
            if event.reason:
                text += _("　理由：{reason}").format(reason=event.reason)
            self.history.addItem(text)
        for m in petitions.matters_of(reg, person["id"]):
            self.history.addItem(_("{day}　信访件{number}　{status}　{summary}").format(
                day=m.received_on.isoformat(), number=m.number,
                status=petitions.status_label(m.status), summary=m.summary))
        can_edit = reg.actor.role in ("clerk", "head") and not reg.read_only \
            and not person["merged_into"]
        is_head = can_edit and reg.actor.role == "head"
        self.buttons["correct"].setVisible(can_edit)
        self.buttons["rename"].setVisible(can_edit)
        self.buttons["merge"].setVisible(is_head)
        self.buttons["undo_merge"].setVisible(
            is_head and bool(petitions.open_merges(reg, person["id"])))

    def start(self, key: str) -> None:
        if not self.buttons[key].isVisible():
            return
        builders: dict[str, Callable[[], FormDialog]] = {
            "correct": lambda: correct_person_dialog(self.ctx, self.person, self),
            "rename": lambda: rename_dialog(self.ctx, self.person, self),
            "merge": lambda: merge_dialog(self.ctx, self.person, self),
            "undo_merge": lambda: undo_merge_dialog(
                self.ctx, self.person, petitions.open_merges(self.ctx.reg, self.person_id)[-1],
                self),
        }
        dlg = builders[key]()
        self.form = dlg
        dlg.finished.connect(lambda _result: self._after(dlg))
        dlg.open()

    def _after(self, dlg: FormDialog) -> None:
        if self.form is dlg:
            self.form = None
        self.reload()
        self.activateWindow()
        self.history.setFocus()  # the keyboard is back here, on what just happened

