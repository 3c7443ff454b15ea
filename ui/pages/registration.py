"""The registration desk: one form for 来访, 来信, 来电, 网信 and 代办, filled from the keyboard
(Tab moves on, Enter saves, Ctrl+P prints the receipt of what was just saved), with the
petitioner's history beside it while the ID number is typed. What is typed is kept as a draft
until it is saved or discarded, so a crash or a power cut loses nothing.

A recognised person (ID number in either form, or name and phone) fills in what the register
knows of them. A name that differs from the one stored for the ID number is asked about right
under the name (``MismatchPanel``); before saving, the person's open matters are offered above
the save button (``RepeatOfferPanel``); a collective visit lists its other petitioners and its
representatives (``CompanionsBox``). See ``ui/pages/registration_panels.py``."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from storage import codes, drafts, petitions, station
from storage.errors import KnownStorageError, PetitionDeskError, ValidationError
from storage.i18n import N_, _, join_clauses
from storage.masking import mask_id_number
from storage.validation import gender_label, parse_citizen_id
from ui.context import AppContext
from ui.pages.page import Page
from ui.pages.registration_panels import CompanionsBox, MismatchPanel, RepeatOfferPanel
from ui.shortcuts import shortcut
from ui.widgets import ERROR_STYLE

DRAFT_FORM = "registration"


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _value(combo: QComboBox) -> str:
    """The stored value behind a combo whose items show a translated label."""
    data = combo.currentData()
    return str(data) if data is not None else combo.currentText()


def _choice_id(combo: QComboBox) -> str | None:
    """The id behind a village combo (None for its empty first entry, without asking Qt for
    that entry's empty data: see HistoryPanel.row_ids)."""
    return None if combo.currentIndex() <= 0 else str(combo.currentData())


def _set_value(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
    else:
        combo.setCurrentText(value)


class HistoryPanel(QGroupBox):
    """Beside the form: first or repeat petitioner, open matters (one can be chosen to attach
    this visit to), the last outcome, and similar names offered for checking."""

    attach_changed = Signal(object)  # matter id or None
    person_chosen = Signal(object)  # petitioner row or None

    def __init__(self) -> None:
        super().__init__(_("来访记录"))
        layout = QVBoxLayout(self)
        self.summary = QLabel(_("输入身份证号码（或姓名加电话）后，这里显示此人以前的信访件。"))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.matters = QListWidget()
        self.matters.setWordWrap(True)
        layout.addWidget(self.matters, 2)
        self.attach = QCheckBox(_("作为重复来访附加到选中的未办结件(&J)"))
        self.attach.setEnabled(False)
        self.attach.toggled.connect(self._emit_attach)
        self.matters.currentItemChanged.connect(lambda *_a: self._emit_attach())
        layout.addWidget(self.attach)
        self.similar_title = QLabel()
        self.similar_title.setWordWrap(True)
        layout.addWidget(self.similar_title)
        self.similar = QListWidget()
        layout.addWidget(self.similar, 1)
        self.same_person = QPushButton(_("是同一人，使用此人资料(&Y)"))
        self.same_person.setEnabled(False)
        self.same_person.clicked.connect(self._choose_similar)
        layout.addWidget(self.same_person)
        self._suggestions: list[petitions.Suggestion] = []
        # The open matter of each row (None: closed), kept here rather than as item data: with
        # PySide 6.12 on Python 3.11 every Qt call that answers None takes a reference from
        # None, and a desk that runs all day must not wear it out.
        self.row_ids: list[str | None] = []

    def show_history(self, history: petitions.History) -> None:
        # The clerk's choice stays while they go on typing (the same matter still listed).
        kept = self.current_attach()
        self.attach.blockSignals(True)
        self.matters.clear()
        self.row_ids = []
        self.attach.setChecked(False)
        self.attach.blockSignals(False)
        if history.petitioner is None:
            self.summary.setText(_("未找到此人以前的信访记录：初次信访。"))
            self.attach.setEnabled(False)
            return
        n_open = len(history.open_matters)
        text = _("<b>{name}</b> 以前信访 {n} 次（{kind}），其中未办结 {open} 件。").format(
            name=history.petitioner["name"], n=len(history.matters),
            kind=_("重复信访人") if history.matters else _("初次"), open=n_open)
        last = history.last_outcome
        if last is not None:
            outcome = [petitions.value_label(x) for x in (last.reply_result, last.rating) if x]
            text += "<br>" + _("最近办结：{number}，{status}{result}").format(
                number=last.number, status=petitions.status_label(last.status),
                result=_("（{what}）").format(what=join_clauses(outcome))
                if last.reply_result else "")
        self.summary.setText(text)
        for m in history.matters:
            item = QListWidgetItem(
                f"{'● ' if m.is_open else '○ '}{m.received_on.isoformat()}  "
                f"{petitions.status_label(m.status)}  {m.category}\n{m.summary}")
            self.row_ids.append(m.id if m.is_open else None)
            if not m.is_open:
                item.setForeground(Qt.GlobalColor.darkGray)
            self.matters.addItem(item)
        if history.open_matters:
            self.matters.setCurrentRow(0)
        self.attach.setEnabled(bool(history.open_matters))
        if kept is not None:
            if kept in self.row_ids:
                self.matters.setCurrentRow(self.row_ids.index(kept))
                self.attach.setChecked(True)
                return
            self.attach_changed.emit(None)

    def current_attach(self) -> str | None:
        """The open matter this visit is attached to, if the box is ticked."""
        row = self.matters.currentRow()
        if not self.attach.isChecked() or not 0 <= row < len(self.row_ids):
            return None
        return self.row_ids[row]

    def show_similar(self, suggestions: list[petitions.Suggestion]) -> None:
        self._suggestions = suggestions
        self.similar.clear()
        self.similar_title.setText(
            _("相似的姓名（仅供核对，不会自动合并）：") if suggestions else "")
        for s in suggestions:
            idn = mask_id_number(s.id_number) if s.id_number else _("无身份证号")
            self.similar.addItem(_("{name}（{reason}）{id} {address}  {n}件").format(
                name=s.name, reason=_(s.reason), id=idn, address=s.address, n=s.matters))
        self.same_person.setEnabled(bool(suggestions))

    def clear(self) -> None:
        self.show_similar([])
        self.matters.clear()
        self.row_ids = []
        self.attach.setChecked(False)
        self.attach.setEnabled(False)
        self.summary.setText(_("输入身份证号码（或姓名加电话）后，这里显示此人以前的信访件。"))

    def _emit_attach(self) -> None:
        row = self.matters.currentRow()
        target = self.row_ids[row] if self.attach.isChecked() and 0 <= row < len(
            self.row_ids) else None
        if self.attach.isChecked() and target is None:
            self.attach.setChecked(False)
            return
        self.attach_changed.emit(target)

    def _choose_similar(self) -> None:
        row = self.similar.currentRow()
        if 0 <= row < len(self._suggestions):
            self.person_chosen.emit(self._suggestions[row])


class RegistrationPage(Page):
    """Signals:
        saved(str): the matter id just saved (new, or the open matter a visit was attached to).
    """

    TITLE = N_("登记")

    saved = Signal(str)

    @classmethod
    def available(cls, ctx: AppContext) -> bool:
        """Not at the county, whose register only shows the townships' matters."""
        return not ctx.reg.read_only

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.last_saved_id: str | None = None
        self.attach_to: str | None = None
        self.existing_person_id: str | None = None
        self.name_decision = ""  # petitions.RENAME once the clerk chose to record a 更名
        self.duplicate_decision = ""  # petitions.NEW_MATTER once the clerk said "a new matter"
        self.recognised_id: str | None = None  # whose stored details were filled in
        self._loading = False
        self._build()
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(400)
        self._draft_timer.timeout.connect(self.save_draft)
        ctx.draft_keepers.append(self.save_draft)
        self._lookup_timer = QTimer(self)
        self._lookup_timer.setSingleShot(True)
        self._lookup_timer.setInterval(250)
        self._lookup_timer.timeout.connect(self.lookup_history)
        self._connect_changes()
        self.restore_draft()

    # ----- building ------------------------------------------------------------------------
    def _build(self) -> None:
        reg = self.ctx.reg
        outer = QHBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_host = self.form_host = QWidget()
        scroll.setWidget(form_host)
        outer.addWidget(scroll, 5)
        self.form_scroll = scroll
        self.history = HistoryPanel()
        self.history.attach_changed.connect(self._set_attach)
        self.history.person_chosen.connect(self._use_person)
        outer.addWidget(self.history, 3)

        col = QVBoxLayout(form_host)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        col.addWidget(self.banner)

        visit = QGroupBox(_("信访基本情况"))
        g = QGridLayout(visit)
        self.form = QComboBox()
        for value in codes.labels(reg, "form"):  # stored in Chinese, shown translated
            self.form.addItem(codes.form_label(value), value)
        self.received = QDateEdit(self.ctx.today())
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd")
        # No maximum here: a date after today typed in is refused on saving with a message under
        # the field (issue 15: the date box dropped the keystrokes without a word).
        self.proxy_by = QLineEdit()
        self.proxy_by.setPlaceholderText(_("代办件填写联络员姓名"))
        g.addWidget(_label(_("信访形式(&F)"), self.form), 0, 0)
        g.addWidget(self.form, 0, 1)
        g.addWidget(_label(_("信访日期(&D)"), self.received), 0, 2)
        g.addWidget(self.received, 0, 3)
        g.addWidget(_label(_("代办人"), self.proxy_by), 0, 4)
        g.addWidget(self.proxy_by, 0, 5)
        col.addWidget(visit)

        person = QGroupBox(_("信访人"))
        p = QGridLayout(person)
        self.name = QLineEdit()
        self.name.setMaxLength(petitions.LIMITS["name"])
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(22)
        self.id_number.setPlaceholderText(_("18位或15位身份证号码"))
        self.id_hint = QLabel()
        # A long checksum message wraps under the field instead of widening the whole form.
        self.id_hint.setWordWrap(True)
        self.gender = QComboBox()
        self.gender.addItem("", "")
        for value in ("男", "女"):
            self.gender.addItem(gender_label(value), value)
        self.ethnic = QComboBox()
        self.ethnic.addItems(codes.labels(reg, "ethnic_group"))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(_("手机或固话（如 0512-66881234）"))
        self.address = QLineEdit()
        self.address.setMaxLength(petitions.LIMITS["address"])
        self.village = QComboBox()
        self.village.addItem("", None)
        for v in station.villages(reg):
            self.village.addItem(v.name, v.id)
        self.occupation = QComboBox()
        self.occupation.addItems([""] + codes.labels(reg, "occupation"))
        p.addWidget(_label(_("姓名(&N)"), self.name), 0, 0)
        p.addWidget(self.name, 0, 1)
        p.addWidget(_label(_("身份证号(&I)"), self.id_number), 0, 2)
        p.addWidget(self.id_number, 0, 3)
        p.addWidget(self.id_hint, 1, 1, 1, 3)
        # Right under the name and the ID number, where the clerk is looking as they type.
        self.mismatch = MismatchPanel()
        p.addWidget(self.mismatch, 2, 0, 1, 4)
        p.addWidget(_label(_("性别(&G)"), self.gender), 3, 0)
        p.addWidget(self.gender, 3, 1)
        p.addWidget(_label(_("民族(&E)"), self.ethnic), 3, 2)
        p.addWidget(self.ethnic, 3, 3)
        p.addWidget(_label(_("电话(&T)"), self.phone), 4, 0)
        p.addWidget(self.phone, 4, 1)
        p.addWidget(_label(_("职业(&O)"), self.occupation), 4, 2)
        p.addWidget(self.occupation, 4, 3)
        p.addWidget(_label(_("住址(&A)"), self.address), 5, 0)
        p.addWidget(self.address, 5, 1)
        p.addWidget(_label(_("所在村(&V)"), self.village), 5, 2)
        p.addWidget(self.village, 5, 3)
        # Name, phone and address need room for what people really type (an 11-digit mobile,
        # a landline with its area code), so both field columns share the width.
        p.setColumnStretch(1, 1)
        p.setColumnStretch(3, 1)
        for line in (self.name, self.phone, self.address):
            line.setMinimumWidth(line.fontMetrics().horizontalAdvance("0512-66881234") + 24)
        col.addWidget(person)

        people = QGroupBox(_("人数与标记"))
        n = QHBoxLayout(people)
        self.visitors = QSpinBox()
        self.visitors.setRange(1, petitions.MAX_PEOPLE)
        self.involved = QSpinBox()
        self.involved.setRange(1, petitions.MAX_PEOPLE * 10)
        self.collective = QLabel()
        self.skip_level = QCheckBox(_("越级(&K)"))
        n.addWidget(_label(_("来访人数(&R)"), self.visitors))
        n.addWidget(self.visitors)
        n.addWidget(_label(_("涉及人数(&W)"), self.involved))
        n.addWidget(self.involved)
        n.addWidget(self.collective)
        n.addWidget(self.skip_level)
        n.addStretch(1)
        col.addWidget(people)
        self.companions = CompanionsBox()
        col.addWidget(self.companions)

        content = QGroupBox(_("信访内容"))
        c = QFormLayout(content)
        cat_row = QHBoxLayout()
        self.cat1 = QComboBox()
        self.cat2 = QComboBox()
        self._categories = codes.categories(reg)
        self.cat1.addItems([""] + list(self._categories))
        cat_row.addWidget(self.cat1)
        cat_row.addWidget(self.cat2)
        c.addRow(_label(_("内容分类(&C)"), self.cat1), cat_row)
        self.purpose = QComboBox()
        self.purpose.addItems([""] + codes.labels(reg, "purpose"))
        c.addRow(_label(_("信访目的(&U)"), self.purpose), self.purpose)
        self.problem_village = QComboBox()
        self.problem_village.addItem("", None)
        for v in station.villages(reg):
            self.problem_village.addItem(v.name, v.id)
        c.addRow(_label(_("问题属地(&L)"), self.problem_village), self.problem_village)
        self.summary = QLineEdit()
        self.summary.setMaxLength(petitions.LIMITS["summary"])
        self.summary.setPlaceholderText(_("一句话概括反映的问题（必填）"))
        c.addRow(_label(_("概况(&S)"), self.summary), self.summary)
        self.request = QPlainTextEdit()
        self.request.setTabChangesFocus(True)
        self.request.setFixedHeight(70)
        c.addRow(_label(_("诉求(&Q)"), self.request), self.request)
        self.facts = QPlainTextEdit()
        self.facts.setTabChangesFocus(True)
        self.facts.setFixedHeight(90)
        c.addRow(_label(_("事实和理由(&Z)"), self.facts), self.facts)
        col.addWidget(content)

        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        col.addWidget(self.error)
        # The same refusal floated under the field at fault (see _note_under).
        self.field_note = QLabel(form_host)
        self.field_note.setObjectName("field_note")
        self.field_note.setWordWrap(True)
        self.field_note.setStyleSheet(
            f"{ERROR_STYLE} background: #fdecea; border: 1px solid #b00020; padding: 4px;")
        self.field_note.hide()
        # Above the save button: the clerk has just pressed Enter and looks here.
        self.offer = RepeatOfferPanel()
        col.addWidget(self.offer)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(_("保存登记（Enter）"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.print_button = QPushButton(_("打印回执（Ctrl+P）"))
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.print_receipt)
        self.clear_button = QPushButton(_("清空重填(&X)"))
        self.clear_button.clicked.connect(self.discard)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        col.addLayout(buttons)
        col.addStretch(1)

        for line in (self.name, self.id_number, self.phone, self.address, self.summary,
                     self.proxy_by):
            line.returnPressed.connect(self.save)
        for seq in ("Ctrl+Return", "Ctrl+Enter", "Ctrl+S"):
            shortcut(self, seq, self.save)
        shortcut(self, "Ctrl+P", self.print_receipt)
        self._apply_tab_order()
        self._update_collective()
        self._update_proxy()

    def _apply_tab_order(self) -> None:
        """Tab goes down the form; the panels' buttons come where they are shown (hidden
        ones are skipped)."""
        m, o = self.mismatch, self.offer
        order = [self.form, self.received, self.proxy_by, self.name, self.id_number,
                 m.stored_button, m.id_button, m.rename_button, m.reason, self.gender,
                 self.ethnic, self.phone, self.occupation, self.address, self.village,
                 self.visitors, self.involved, self.skip_level,
                 *self.companions.focus_order(), self.cat1, self.cat2,
                 self.purpose, self.problem_village, self.summary, self.request, self.facts,
                 o.matters, o.attach_button, o.new_button, o.same_category, self.save_button]
        for a, b in zip(order, order[1:], strict=False):
            self.setTabOrder(a, b)

    def _connect_changes(self) -> None:
        for line in (self.name, self.id_number, self.phone, self.address, self.summary,
                     self.proxy_by):
            line.textChanged.connect(self._changed)
        for text in (self.request, self.facts):
            text.textChanged.connect(self._changed)
        for combo in (self.form, self.gender, self.ethnic, self.village, self.occupation,
                      self.cat1, self.cat2, self.purpose, self.problem_village):
            combo.currentIndexChanged.connect(self._changed)
        for spin in (self.visitors, self.involved):
            spin.valueChanged.connect(self._changed)
        self.received.dateChanged.connect(self._changed)
        self.skip_level.toggled.connect(self._changed)
        self.id_number.textChanged.connect(self._id_typed)
        self.name.textChanged.connect(lambda _t: self._lookup_timer.start())
        self.phone.textChanged.connect(lambda _t: self._lookup_timer.start())
        self.cat1.currentTextChanged.connect(self._fill_cat2)
        self.visitors.valueChanged.connect(self._update_collective)
        self.form.currentTextChanged.connect(self._update_proxy)
        self.mismatch.use_stored.connect(self._use_stored_name)
        self.mismatch.correct_id.connect(self._correct_id)
        self.mismatch.rename.connect(self._record_rename)
        self.mismatch.reason.textChanged.connect(self._changed)
        self.offer.attach.connect(self._attach_and_save)
        self.offer.register_new.connect(self._new_and_save)
        self.offer.narrowed.connect(lambda _on: self._offer_open_matters())
        self.companions.changed.connect(self._companions_changed)
        self.companions.rows_changed.connect(self._apply_tab_order)

    # ----- reactions while typing ------------------------------------------------------------
    def _changed(self, *_args: Any) -> None:
        if not self._loading:
            self._draft_timer.start()
            self._forget_saved()
            self.field_note.hide()
            if self.offer.isVisible() and not self.offer.has_focus():
                self._close_offer()  # the form changed after the offer: ask again on save

    def _close_offer(self) -> None:
        self.offer.dismiss()
        self.duplicate_decision = ""

    def _companions_changed(self) -> None:
        listed = len(self.companions.rows) + 1
        if self.visitors.value() < listed and _value(self.form) == "来访":
            self.visitors.setValue(listed)
        self._changed()

    def _fill_cat2(self, first: str) -> None:
        self.cat2.clear()
        self.cat2.addItems([""] + self._categories.get(first, []))

    def _update_collective(self) -> None:
        threshold = petitions.collective_threshold(self.ctx.reg)
        if self.visitors.value() >= threshold:
            self.collective.setText(_("集体访（{n}人及以上）").format(n=threshold))
            self.collective.setStyleSheet(ERROR_STYLE)
        else:
            self.collective.setText(_("个访"))
            self.collective.setStyleSheet("")
        if self.involved.value() < self.visitors.value():
            self.involved.setValue(self.visitors.value())

    def _update_proxy(self) -> None:
        is_proxy = _value(self.form) == petitions.PROXY_FORM
        self.proxy_by.setEnabled(is_proxy)
        if is_proxy and not self.proxy_by.text() and self.ctx.reg.actor.role == "liaison":
            self.proxy_by.setText(self.ctx.reg.actor.display_name)

    def _id_typed(self, text: str) -> None:
        digits = text.strip()
        self.id_hint.setText("")
        self.id_hint.setStyleSheet("")
        if len(digits) in (15, 18):
            try:
                cid = parse_citizen_id(digits)
            except ValidationError as exc:
                self.id_hint.setText(str(exc))
                self.id_hint.setStyleSheet(ERROR_STYLE)
            else:
                self.id_hint.setText(_("出生日期 {birth}，{gender}").format(
                    birth=cid.birth_date.isoformat(), gender=gender_label(cid.gender)))
                if not _value(self.gender):
                    _set_value(self.gender, cid.gender)
        self._lookup_timer.start()

    def lookup_history(self) -> None:
        """Show the person's earlier matters (by valid ID, else name + phone) and similar names."""
        reg = self.ctx.reg
        id_number = None
        text = self.id_number.text().strip()
        if len(text) in (15, 18):
            try:
                id_number = parse_citizen_id(text).number
            except ValidationError:
                id_number = None
        phone = self.phone.text().strip().replace("-", "").replace(" ", "")
        hist = petitions.history(reg, id_number=id_number, name=self.name.text().strip(),
                                   phone=phone)
        if hist.petitioner is not None or id_number or (self.name.text() and phone):
            self.history.show_history(hist)
        exclude = hist.petitioner["id"] if hist.petitioner else None
        self.history.show_similar(petitions.similar(reg, self.name.text(), exclude_id=exclude)
                                  if hist.petitioner is None else [])
        self._recognise(hist.petitioner)

    def _recognise(self, person: dict[str, Any] | None) -> None:
        """A person the register knows: fill in what the form lacks, and ask about a name that
        differs from theirs."""
        if person is None:
            self.recognised_id = None
            self.mismatch.dismiss()
            self.name_decision = ""
            return
        if person["id"] != self.recognised_id:
            self.recognised_id = person["id"]
            self._fill_known(person)
        typed = self.name.text().strip()
        if typed == person["name"]:
            self.mismatch.dismiss()
            self.name_decision = ""
        elif self.name_decision != petitions.RENAME or self.mismatch.typed_name != typed:
            self.name_decision = ""
            self.mismatch.show_rename(False)
            self.mismatch.ask(person["name"], typed)

    def _fill_known(self, person: dict[str, Any]) -> None:
        """The stored details go into the fields the clerk has left empty."""
        self._loading = True
        try:
            if not self.name.text().strip():
                self.name.setText(person["name"])
            if person["gender"] and not _value(self.gender):
                _set_value(self.gender, person["gender"])
            if person["ethnic_group"] and self.ethnic.currentIndex() <= 0:
                self.ethnic.setCurrentText(person["ethnic_group"])
            for line, key in ((self.phone, "phone"), (self.address, "address")):
                if person[key] and not line.text().strip():
                    line.setText(person[key])
            if person["occupation"] and not self.occupation.currentText():
                self.occupation.setCurrentText(person["occupation"])
            if person["village_id"] and self.village.currentIndex() <= 0:
                self.village.setCurrentIndex(max(0, self.village.findData(person["village_id"])))
        finally:
            self._loading = False
        note = _("已登记的信访人：资料已按登记填入，请核对。")
        self.id_hint.setText(f"{self.id_hint.text()}\n{note}" if self.id_hint.text() else note)
        self._changed()

    def _use_stored_name(self) -> None:
        self.name.setText(self.mismatch.stored_name)
        self.mismatch.dismiss()
        self.name_decision = ""
        self.error.clear()
        self.gender.setFocus()

    def _correct_id(self) -> None:
        self.id_number.setFocus()
        self.id_number.selectAll()

    def _record_rename(self) -> None:
        self.name_decision = petitions.RENAME
        self.mismatch.show_rename(True)
        self.mismatch.reason.setFocus()

    def _set_attach(self, matter_id: str | None) -> None:
        self.attach_to = matter_id
        self.save_button.setText(_("保存为重复来访（Enter）") if matter_id
                                 else _("保存登记（Enter）"))

    def _use_person(self, suggestion: petitions.Suggestion) -> None:
        """The clerk confirmed a suggestion is the same person: use their stored details."""
        row = self.ctx.reg.get("petitioners", suggestion.petitioner_id)
        self.existing_person_id = suggestion.petitioner_id
        self._loading = True
        self.name.setText(row["name"])
        if row["id_number"]:
            self.id_number.setText(row["id_number"])
        if row["phone"] and not self.phone.text():
            self.phone.setText(row["phone"])
        if row["address"] and not self.address.text():
            self.address.setText(row["address"])
        if row["gender"]:
            _set_value(self.gender, row["gender"])
        self._loading = False
        self.history.show_history(petitions.History(row, petitions.matters_of(
            self.ctx.reg, suggestion.petitioner_id)))
        self.history.show_similar([])
        self._changed()

    # ----- values ------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        return dict(
            companions=[r.values() for r in self.companions.rows],
            main_representative=self.companions.main_representative.isChecked(),
            form=_value(self.form), received_on=self.received.date().toString("yyyy-MM-dd"),
            proxy_by=self.proxy_by.text(), name=self.name.text(), id_number=self.id_number.text(),
            gender=_value(self.gender), ethnic=self.ethnic.currentText(),
            phone=self.phone.text(), address=self.address.text(),
            village=_choice_id(self.village), occupation=self.occupation.currentText(),
            visitors=self.visitors.value(), involved=self.involved.value(),
            skip_level=self.skip_level.isChecked(), cat1=self.cat1.currentText(),
            cat2=self.cat2.currentText(), purpose=self.purpose.currentText(),
            problem_village=_choice_id(self.problem_village), summary=self.summary.text(),
            request=self.request.toPlainText(), facts=self.facts.toPlainText(),
            existing_person_id=self.existing_person_id)

    def set_values(self, values: dict[str, Any]) -> None:
        self._loading = True
        try:
            _set_value(self.form, values.get("form", _value(self.form)))
            if values.get("received_on"):
                self.received.setDate(QDate.fromString(values["received_on"], "yyyy-MM-dd"))
            self.proxy_by.setText(values.get("proxy_by", ""))
            self.name.setText(values.get("name", ""))
            self.id_number.setText(values.get("id_number", ""))
            _set_value(self.gender, values.get("gender", ""))
            self.ethnic.setCurrentText(values.get("ethnic", self.ethnic.currentText()))
            self.phone.setText(values.get("phone", ""))
            self.address.setText(values.get("address", ""))
            self.village.setCurrentIndex(max(0, self.village.findData(values.get("village"))))
            self.occupation.setCurrentText(values.get("occupation", ""))
            self.visitors.setValue(int(values.get("visitors", 1)))
            self.involved.setValue(int(values.get("involved", 1)))
            self.skip_level.setChecked(bool(values.get("skip_level")))
            self.cat1.setCurrentText(values.get("cat1", ""))
            self.cat2.setCurrentText(values.get("cat2", ""))
            self.purpose.setCurrentText(values.get("purpose", ""))
            self.problem_village.setCurrentIndex(
                max(0, self.problem_village.findData(values.get("problem_village"))))
            self.summary.setText(values.get("summary", ""))
            self.request.setPlainText(values.get("request", ""))
            self.facts.setPlainText(values.get("facts", ""))
            self.existing_person_id = values.get("existing_person_id")
            self.companions.clear()
            for row in values.get("companions") or []:
                self.companions.add(row)
            self.companions.main_representative.setChecked(
                bool(values.get("main_representative")))
        finally:
            self._loading = False

    def registration_input(self) -> petitions.RegistrationInput:
        v = self.values()
        person = petitions.PetitionerInput(
            name=v["name"], gender=v["gender"], ethnic_group=v["ethnic"],
            id_number=v["id_number"], phone=v["phone"], address=v["address"],
            village_id=v["village"], occupation=v["occupation"],
            existing_id=self.existing_person_id,
            is_representative=v["main_representative"], name_decision=self.name_decision,
            rename_reason=self.mismatch.reason.text())
        others = [petitions.PetitionerInput(
            name=str(c["name"]), id_number=str(c["id_number"]), phone=str(c["phone"]),
            is_representative=bool(c["representative"])) for c in v["companions"]]
        return petitions.RegistrationInput(
            form=v["form"], received_on=date.fromisoformat(v["received_on"]),
            petitioners=[person, *others], summary=v["summary"], request=v["request"],
            facts=v["facts"], visitors_count=v["visitors"], persons_involved=v["involved"],
            is_skip_level=v["skip_level"], proxy_by=v["proxy_by"], category1=v["cat1"],
            category2=v["cat2"], purpose=v["purpose"],
            problem_village_id=v["problem_village"], attach_to_matter_id=self.attach_to,
            duplicate_decision=self.duplicate_decision)

    # ----- drafts ------------------------------------------------------------------------------
    def _draft_key(self) -> str:
        return drafts.key_for(self.ctx.reg, DRAFT_FORM)

    def save_draft(self) -> bool | None:
        """Keep what was typed: True when it was kept, None when there is nothing to keep,
        False when the disk refused (then nobody may say it was kept)."""
        v = self.values()
        if not any(v[k] for k in ("name", "id_number", "phone", "summary", "request", "facts")):
            return None
        try:
            drafts.save(self.ctx.reg, self._draft_key(), v)
        except PetitionDeskError:
            return False
        return True

    def restore_draft(self) -> None:
        saved = drafts.load(self.ctx.reg, self._draft_key())
        if saved:
            self.set_values(saved)
            self._show_banner(_("已恢复上次未保存的登记内容。保存或点“清空重填”丢弃。"), "info")
            self._lookup_timer.start()

    def discard(self) -> None:
        drafts.discard(self.ctx.reg, self._draft_key())
        self.clear_form()
        self._forget_saved()

    def _forget_saved(self) -> None:
        """The form holds the next visitor now: the "已保存" banner goes (a stale one stood above
        the next refusal), and Ctrl+P no longer prints the previous visitor's receipt."""
        self.banner.setVisible(False)
        self.last_saved_id = None
        self.print_button.setEnabled(False)

    # ----- saving ------------------------------------------------------------------------------
    def save(self) -> None:
        self._draft_timer.stop()
        self.error.clear()
        self.field_note.hide()
        self.banner.setVisible(False)
        if self.offer.isVisible():  # Enter elsewhere while the offer waits: back to it
            default = self.offer.attach_button if self.offer.attach_button.isDefault() \
                else self.offer.new_button
            default.setFocus()
            return
        inp = self.registration_input()
        try:
            if not self.attach_to and self.duplicate_decision != petitions.NEW_MATTER:
                petitions.check_registration(self.ctx.reg, inp)
                if self._offer_open_matters():
                    return
            matter = petitions.register(self.ctx.reg, inp)
        except petitions.NameMismatch as exc:
            self.save_draft()
            self.error.setText(exc.user_text())
            if exc.index == 0:  # the main petitioner: the choices under the name
                self.mismatch.ask(exc.stored_name, exc.typed_name)
                self.mismatch.stored_button.setFocus()
            else:  # a fellow petitioner: their name or ID number is to be put right
                self._focus_field(exc.field)
            return
        except petitions.DuplicateSuspected as exc:
            self.save_draft()
            self._show_offer(exc.candidates)
            return
        except KnownStorageError as exc:  # the disk, not the form: say whether the draft is safe
            kept = self.save_draft()
            note = _("填写的内容已保存为草稿。") if kept else _(
                "填写的内容也没能保存为草稿：请不要关闭窗口，问题解决后再点保存。")
            self.error.setText(exc.user_text() + "\n" + note)
            return
        except PetitionDeskError as exc:
            self.save_draft()
            self.error.setText(exc.user_text())
            self._focus_field(exc.field if isinstance(exc, ValidationError) else None)
            return
        drafts.discard(self.ctx.reg, self._draft_key())
        self.last_saved_id = matter["id"]
        self.print_button.setEnabled(True)
        if self.attach_to:
            text = _("已作为重复来访记入 {number}（第{n}次重复来访）。").format(
                number=matter["number"], n=matter["repeat_visits"])
        else:
            text = _("已保存：信访件编号 {number}，查询码 {code}。按 Ctrl+P 打印回执。").format(
                number=matter["number"], code=matter["query_code"])
        self._show_banner(text, "ok")
        self.clear_form()
        self.ctx.changed.emit("matters")
        self.saved.emit(matter["id"])

    def _offer_open_matters(self) -> bool:
        """Offer the person's open matters before a new one is saved; True if there are any."""
        candidates = petitions.duplicate_candidates(
            self.ctx.reg, self.registration_input(),
            same_category=self.offer.same_category.isChecked())
        if not candidates and not self.offer.same_category.isChecked():
            return False
        self._show_offer(candidates)
        return True

    def _show_offer(self, candidates: list[petitions.Candidate]) -> None:
        self.offer.offer(candidates)
        # once the panel has its place in the layout, the whole of it and the save button
        QTimer.singleShot(0, lambda: self.form_scroll.ensureWidgetVisible(self.save_button))

    def _attach_and_save(self, matter_id: str) -> None:
        self.offer.dismiss()
        self.attach_to = matter_id
        self._set_attach(matter_id)
        self.save()

    def _new_and_save(self) -> None:
        self.offer.dismiss()
        self.duplicate_decision = petitions.NEW_MATTER
        self.save()

    def _focus_field(self, field: str | None) -> None:
        widgets: dict[str, QWidget] = {
            "form": self.form, "received_on": self.received, "proxy_by": self.proxy_by,
            "visitors_count": self.visitors, "persons_involved": self.involved,
            "summary": self.summary, "request": self.request, "facts": self.facts,
            "category1": self.cat1, "name": self.name, "id_number": self.id_number,
            "gender": self.gender, "phone": self.phone, "address": self.address,
            "rename_reason": self.mismatch.reason,
            "is_representative": self.companions.main_representative}
        parts = (field or "").split(".")
        key = parts[-1]
        if len(parts) == 3 and parts[0] == "petitioners" and parts[1].isdigit() \
                and 0 < int(parts[1]) <= len(self.companions.rows):
            row = self.companions.rows[int(parts[1]) - 1]
            widgets.update(name=row.name, id_number=row.id_number, phone=row.phone,
                           is_representative=row.representative)
        widget = widgets.get(key)
        if widget is not None:
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.selectAll()
            self._note_under(widget)
        else:
            QTimer.singleShot(0, lambda: self.form_scroll.ensureWidgetVisible(self.error))

    def _note_under(self, widget: QWidget) -> None:
        """The refusal also right under the field at fault, where the clerk now looks (the
        message above the save button may be a screen away); it goes at the next keystroke."""
        note = self.field_note
        host_layout = self.form_host.layout()
        if host_layout is not None:  # the 已保存 banner just went: place the note where the
            host_layout.activate()  # field is now, not where it stood before (a double Enter)
        note.setText(self.error.text())
        note.setFixedWidth(max(widget.width(), 320))
        note.adjustSize()
        where = widget.mapTo(self.form_host, QPoint(0, widget.height() + 2))
        note.move(where)
        note.show()
        note.raise_()
        self.form_scroll.ensureWidgetVisible(widget, 50, note.height() + 60)

    def _show_banner(self, text: str, kind: str) -> None:
        colour = {"ok": "#e6f4ea", "info": "#fff4e0"}[kind]
        self.banner.setStyleSheet(f"background: {colour}; padding: 8px; font-size: 13pt;")
        self.banner.setText(text)
        self.banner.setVisible(True)

    def clear_form(self) -> None:
        form = _value(self.form)
        self.set_values({"form": form})
        self._loading = True  # emptying the form is not the clerk typing the next visitor
        try:
            self.received.setDate(self.ctx.today())
            self.ethnic.setCurrentIndex(0)
            self.attach_to = None
            self._set_attach(None)
            self.existing_person_id = None
            self.name_decision = ""
            self.duplicate_decision = ""
            self.recognised_id = None
            self.mismatch.dismiss()
            self.offer.dismiss()
            self.id_hint.clear()
            self.error.clear()
            self.field_note.hide()
            self.history.clear()
        finally:
            self._loading = False
        self.name.setFocus()

    def print_receipt(self) -> None:
        if not self.last_saved_id or not self.print_button.isEnabled():
            return
        try:
            from ui.print_preview import show_document
        except ImportError:
            self.error.setText(_("打印功能尚未安装。"))
            return
        show_document(self.ctx, "receipt", self.last_saved_id, self)

    # ----- page protocol -----------------------------------------------------------------------
    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        """Leaving the page (or closing the window) writes a pending draft at once."""
        if self._draft_timer.isActive():
            self._draft_timer.stop()
            self.save_draft()
        self._lookup_timer.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        self._update_collective()

    def focus_first(self) -> None:
        self.name.setFocus()
