"""工作站信息: the station's name, short name, office, phone and address (printed on
receipts and notices); the area code is shown, never edited."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from storage import station
from storage.i18n import N_, _
from ui.context import AppContext
from ui.pages.settings.forms import action_button
from ui.widgets import form_row


class StationTab(QWidget):
    FIELDS = (("name", N_("名称(&M)")), ("short_name", N_("简称(&S)")),
              ("office_name", N_("登记机关名称(&O)")), ("phone", N_("联系电话(&T)")),
              ("address", N_("地址(&A)")))

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setVerticalSpacing(10)
        self.code = form_row(form, _("12位区划代码"), QLabel())
        self.edits: dict[str, QLineEdit] = {}
        for key, label in self.FIELDS:
            edit = form_row(form, _(label), QLineEdit())
            edit.returnPressed.connect(self.save)
            self.edits[key] = edit
        layout.addLayout(form)
        note = QLabel(_("这些信息印在回执和告知书上。区划代码设定后不能修改。"))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.message = QLabel()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addWidget(action_button(_("保存工作站信息(&V)"), self.save))
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def refresh(self) -> None:
        st = station.station(self.ctx.reg)
        self.code.setText(st.code)
        if any(e.isModified() for e in self.edits.values()):
            return  # keep what the head is typing
        for key, edit in self.edits.items():
            edit.setText(getattr(st, key))

    def save(self) -> None:
        values = {k: e.text().strip() for k, e in self.edits.items()}
        if self.ctx.attempt(self, station.update_station, self.ctx.reg, topic="station",
                            **values):
            for e in self.edits.values():
                e.setModified(False)
            self.message.setText(_("已保存。"))
