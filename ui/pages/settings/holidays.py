"""节假日: the statutory holidays and swapped working days of years the calendar library
does not know yet (deadlines count working days)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage import calendar_store, petitions
from storage.i18n import N_, _
from ui.context import AppContext
from ui.pages.settings.forms import action_button, record_table
from ui.widgets import WARN_BANNER_STYLE, form_row, to_date


class HolidaysTab(QWidget):
    KINDS = ((N_("休息日"), False), (N_("调休上班"), True))

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.days: list[tuple[date, bool, str]] = []
        layout = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(WARN_BANNER_STYLE)
        layout.addWidget(self.banner)
        top = QFormLayout()
        top.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.year = form_row(top, _("年份(&Y)"), QSpinBox())
        self.year.setMinimumWidth(140)
        self.year.setRange(2000, 2100)
        self.year.valueChanged.connect(lambda _v: self.load_year())
        layout.addLayout(top)
        self.known = QLabel()
        self.known.setWordWrap(True)
        layout.addWidget(self.known)
        self.table = record_table([_("日期"), _("类型"), _("备注")])
        layout.addWidget(self.table, 1)
        box = QGroupBox(_("录入一天（按国务院办公厅放假通知）"))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.day = form_row(form, _("日期(&D)"), QDateEdit())
        self.day.setDisplayFormat(_("yyyy年M月d日"))
        self.day.setCalendarPopup(True)
        self.kind = form_row(form, _("类型(&L)"), QComboBox())
        for label, workday in self.KINDS:
            self.kind.addItem(_(label), workday)
        self.note = form_row(form, _("备注(&B)"), QLineEdit())
        self.note.setPlaceholderText(_("如：春节、国庆节"))
        self.note.setMinimumWidth(360)
        self.day.setMinimumWidth(220)
        self.kind.setMinimumWidth(220)
        self.note.returnPressed.connect(self.add)
        row = QHBoxLayout()
        row.addWidget(action_button(_("添加这一天(&A)"), self.add))
        row.addWidget(action_button(_("删除所选日期(&X)"), self.remove))
        row.addStretch(1)
        form.addRow("", row)
        layout.addWidget(box)
        self._year_set = False

    def refresh(self) -> None:
        today = self.ctx.reg.clock().date()
        missing = calendar_store.years_needing_entry(self.ctx.reg, today)
        self.banner.setVisible(bool(missing))
        self.banner.setText(_(
            "{years}年的法定节假日安排尚未录入，期限暂只按周六、周日休息推算。"
            "请按国务院办公厅的放假通知，逐日录入放假的日子和调休上班的周末。").format(
                years=_("、").join(str(y) for y in missing)))
        if not self._year_set:
            self._year_set = True
            self.year.setValue(missing[0] if missing else today.year)
        self.load_year()

    def load_year(self) -> None:
        year = self.year.value()
        cal = calendar_store.calendar(self.ctx.reg)
        self.known.setText(
            _("程序已内置{year}年的节假日安排；在这里录入的日期会覆盖内置安排。").format(year=year)
            if cal.library_knows_year(year) else
            _("程序没有{year}年的节假日安排，请在下面录入。").format(year=year))
        self.days = calendar_store.manual_days(self.ctx.reg, year)
        self.table.setRowCount(len(self.days))
        for r, (day, workday, note) in enumerate(self.days):
            kind = _("调休上班") if workday else _("休息日")
            for c, text in enumerate((day.strftime("%Y-%m-%d"), kind, note)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if self.day.date().year() != year:
            self.day.setDate(QDate(year, 1, 1))

    def add(self) -> None:
        day = to_date(self.day.date())
        if self.ctx.attempt(self, petitions.set_holiday, self.ctx.reg, day,
                            bool(self.kind.currentData()), self.note.text(), topic="calendar"):
            self.note.clear()
            if day.year != self.year.value():
                self.year.setValue(day.year)
            self.refresh()
            self.day.setFocus()

    def remove(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.days):
            return
        day = self.days[row][0]
        if self.ctx.attempt(self, petitions.remove_holiday, self.ctx.reg, day, topic="calendar"):
            self.refresh()
