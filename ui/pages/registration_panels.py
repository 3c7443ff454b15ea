"""The parts of the registration desk that ask the clerk to decide, each shown where the clerk is
looking at that moment (docs/domain.md §3.4, §3.5, §7.2):

- ``MismatchPanel`` under the name and ID number: the ID number is registered under another
  name — use that name (Alt+1), correct the ID number (Alt+2), or record a change of name
  (Alt+3, with its reason, Alt+4);
- ``RepeatOfferPanel`` above the save button, when Enter was pressed: the person has open
  matters — attach this visit to the chosen one as a repeat visit (Alt+P; the default when the
  summary is near-identical on the same day) or register a new matter (Alt+B); Alt+5 shows only
  those of the same category;
- ``CompanionsBox``: the other petitioners of a collective visit (Alt+M adds one) and who of
  them, the main petitioner included (Alt+6), are the representatives — at most five, and the
  box says so as soon as more are marked.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from storage import petitions
from storage.i18n import _
from ui.widgets import ERROR_STYLE, NOTE_STYLE, WARN_BANNER_STYLE


class MismatchPanel(QFrame):
    """此身份证号已登记为张建国，与所填姓名不一致 — and the clerk's three ways out.

    Signals:
        use_stored(): take the stored name; correct_id(): go back to the ID number;
        rename(): record a change of name (the reason is typed in ``reason``).
    """

    use_stored = Signal()
    correct_id = Signal()
    rename = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(f"MismatchPanel {{ {WARN_BANNER_STYLE} }}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.stored_button = QPushButton()
        self.id_button = QPushButton(_("更正身份证号(&2)"))
        self.rename_button = QPushButton(_("登记更名(&3)"))
        for button, signal in ((self.stored_button, self.use_stored),
                               (self.id_button, self.correct_id),
                               (self.rename_button, self.rename)):
            button.setAutoDefault(False)
            button.clicked.connect(signal.emit)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        reason_row = QHBoxLayout()
        self.reason_label = QLabel(_("更名原因(&4)"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("必填，如：经公安机关变更姓名，持新户口簿"))
        self.reason_label.setBuddy(self.reason)
        reason_row.addWidget(self.reason_label)
        reason_row.addWidget(self.reason, 1)
        layout.addLayout(reason_row)
        self.stored_name = ""
        self.typed_name = ""
        self.show_rename(False)
        self.hide()

    def ask(self, stored_name: str, typed_name: str) -> None:
        """Show the question for a name that differs from ``stored_name``."""
        self.stored_name, self.typed_name = stored_name, typed_name
        self.message.setText(_("此身份证号已登记为{stored}，与所填姓名不一致").format(
            stored=stored_name))
        self.stored_button.setText(_("使用登记姓名“{stored}”(&1)").format(stored=stored_name))
        self.show()

    def show_rename(self, on: bool) -> None:
        """The change of name was chosen: say what will be recorded and ask why."""
        self.reason_label.setVisible(on)
        self.reason.setVisible(on)
        if on:
            self.message.setText(_("将登记更名：{stored} → {typed}（原名记入历史，"
                                   "以前的信访件保留原名）").format(stored=self.stored_name,
                                                            typed=self.typed_name))

    def dismiss(self) -> None:
        self.reason.clear()
        self.show_rename(False)
        self.hide()


class RepeatOfferPanel(QFrame):
    """The person's open matters, offered before saving: attach this visit to the chosen one,
    or register a new matter.

    Signals:
        attach(str): the matter id to attach to; register_new(); narrowed(bool): same-category
        only was switched.
    """

    attach = Signal(str)
    register_new = Signal()
    narrowed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(f"RepeatOfferPanel {{ {WARN_BANNER_STYLE} }}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.message)
        self.matters = QListWidget()
        self.matters.setWordWrap(True)
        self.matters.setMaximumHeight(self.matters.fontMetrics().lineSpacing() * 5 + 12)
        layout.addWidget(self.matters)
        row = QHBoxLayout()
        self.attach_button = QPushButton(_("记为重复来访(&P)"))
        self.new_button = QPushButton(_("登记为新件(&B)"))
        self.same_category = QCheckBox(_("只看同类事项(&5)"))
        for button in (self.attach_button, self.new_button):
            button.setAutoDefault(True)
            row.addWidget(button)
        row.addWidget(self.same_category)
        row.addStretch(1)
        layout.addLayout(row)
        self.attach_button.clicked.connect(self._attach)
        self.new_button.clicked.connect(self.register_new.emit)
        self.same_category.toggled.connect(self.narrowed.emit)
        self.matters.itemActivated.connect(lambda _item: self._attach())
        self.ids: list[str] = []  # the matters listed, row by row
        self.hide()

    def offer(self, candidates: list[petitions.Candidate]) -> None:
        """Show ``candidates``; the suggested one is chosen and its button has the focus."""
        self.matters.clear()
        self.ids = [c.matter_id for c in candidates]
        for c in candidates:
            marks = [_("同日、内容几乎相同")] if c.suggested else []
            if c.same_category and not c.suggested:
                marks.append(_("同类"))
            item = QListWidgetItem(_("{number}　{day}　{status}{marks}\n{summary}").format(
                number=c.number, day=c.received_on.isoformat(),
                status=petitions.status_label(c.status), summary=c.summary,
                marks=_("　（{what}）").format(what=_("，").join(marks)) if marks else ""))
            self.matters.addItem(item)
        suggested = bool(candidates) and candidates[0].suggested
        if suggested:
            self.message.setText(_("此人今天已登记过内容几乎相同的信访件{number}，尚未办结。"
                                   "按 Enter 记为该件的重复来访；确属另一件事，选“登记为新件”。"
                                   ).format(number=candidates[0].number))
        elif candidates:
            self.message.setText(_("此人有{n}件未办结的信访件。是其中一件的重复来访吗？"
                                   "选中后按“记为重复来访”，否则“登记为新件”。").format(
                n=len(candidates)))
        else:
            self.message.setText(_("没有同类的未办结信访件。"))
        self.attach_button.setEnabled(bool(candidates))
        if candidates:
            self.matters.setCurrentRow(0)
        self.show()
        (self.attach_button if suggested else self.new_button).setDefault(True)
        (self.attach_button if suggested else self.new_button).setFocus()

    def has_focus(self) -> bool:
        return any(w.hasFocus() for w in (self.matters, self.attach_button, self.new_button,
                                          self.same_category))

    def _attach(self) -> None:
        row = self.matters.currentRow()
        if 0 <= row < len(self.ids):
            self.attach.emit(self.ids[row])

    def dismiss(self) -> None:
        self.matters.clear()
        self.attach_button.setDefault(False)
        self.new_button.setDefault(False)
        self.hide()


class CompanionRow:
    """One more petitioner of a collective visit: name, ID number, phone, representative."""

    def __init__(self) -> None:
        self.name = QLineEdit()
        self.name.setMaxLength(petitions.LIMITS["name"])
        self.name.setPlaceholderText(_("姓名"))
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(22)
        self.id_number.setPlaceholderText(_("身份证号（可不填）"))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(_("电话"))
        self.representative = QCheckBox(_("代表"))
        self.remove = QPushButton(_("删除"))
        self.remove.setAutoDefault(False)

    @property
    def widgets(self) -> list[QWidget]:
        return [self.name, self.id_number, self.phone, self.representative, self.remove]

    def values(self) -> dict[str, object]:
        return {"name": self.name.text(), "id_number": self.id_number.text(),
                "phone": self.phone.text(), "representative": self.representative.isChecked()}


class CompanionsBox(QGroupBox):
    """The other petitioners of a collective visit and the representatives.

    Signals:
        changed(): a row was added, removed or edited (the draft is saved, the count shown).
    """

    changed = Signal()
    rows_changed = Signal()  # a row was added or removed (the tab order changes)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("共同信访人（集体访）"), parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.main_representative = QCheckBox(_("主信访人是代表(&6)"))
        self.add_button = QPushButton(_("添加信访人(&M)"))
        self.add_button.setAutoDefault(False)
        self.count = QLabel()
        self.count.setWordWrap(True)
        top.addWidget(self.main_representative)
        top.addWidget(self.add_button)
        top.addWidget(self.count, 1)
        layout.addLayout(top)
        self.grid = QGridLayout()
        layout.addLayout(self.grid)
        self.rows: list[CompanionRow] = []
        self.add_button.clicked.connect(lambda: self.add().name.setFocus())
        self.main_representative.toggled.connect(lambda _on: self._update())
        self._update()

    def add(self, values: dict[str, object] | None = None) -> CompanionRow:
        row = CompanionRow()
        if values:
            row.name.setText(str(values.get("name") or ""))
            row.id_number.setText(str(values.get("id_number") or ""))
            row.phone.setText(str(values.get("phone") or ""))
            row.representative.setChecked(bool(values.get("representative")))
        self.rows.append(row)
        for line in (row.name, row.id_number, row.phone):
            line.textChanged.connect(lambda _t: self.changed.emit())
        row.representative.toggled.connect(lambda _on: self._update())
        row.remove.clicked.connect(lambda _c=False, chosen=row: self.remove(chosen))
        self._place()
        self._update()
        self.rows_changed.emit()
        return row

    def remove(self, row: CompanionRow) -> None:
        self.rows.remove(row)
        for widget in row.widgets:
            self.grid.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._place()
        self._update()
        self.rows_changed.emit()
        self.add_button.setFocus()

    def clear(self) -> None:
        for row in list(self.rows):
            self.remove(row)
        self.main_representative.setChecked(False)

    def _place(self) -> None:
        for index, row in enumerate(self.rows):
            for column, widget in enumerate(row.widgets):
                self.grid.addWidget(widget, index, column)
        self.grid.setColumnStretch(0, 2)
        self.grid.setColumnStretch(1, 3)
        self.grid.setColumnStretch(2, 2)

    def representatives(self) -> int:
        return int(self.main_representative.isChecked()) + sum(
            r.representative.isChecked() for r in self.rows)

    def _update(self) -> None:
        n = self.representatives()
        if n > petitions.MAX_REPRESENTATIVES:
            self.count.setText(_("代表最多{max}人（《信访工作条例》第二十条），现在选了{n}人。"
                                 ).format(max=petitions.MAX_REPRESENTATIVES, n=n))
            self.count.setStyleSheet(ERROR_STYLE)
        else:
            self.count.setText(_("共{people}人，其中代表{n}人（最多{max}人）").format(
                people=len(self.rows) + 1, n=n, max=petitions.MAX_REPRESENTATIVES)
                if self.rows or n else _("多人来访时，在这里添加其他信访人并标明代表。"))
            self.count.setStyleSheet(NOTE_STYLE)
        self.changed.emit()

    def focus_order(self) -> list[QWidget]:
        """The widgets of the box in tab order."""
        out: list[QWidget] = [self.main_representative, self.add_button]
        for row in self.rows:
            out += row.widgets
        return out
