"""Home: what needs attention today — matters overdue and due within a week, today's
registrations, the 交办/督办 from the county with their deadlines, each leader's overdue 包案,
the alerts of the screening and mediation modules, and the year's trend of 信访总量 beside last
year's (at the county also the townships compared; ui/pages/home_charts.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from storage import leadership, mediation, petitions, screening, station
from storage.deadlines import days_left
from storage.i18n import N_, _
from storage.register import Register
from storage.sync import county
from ui.context import AppContext
from ui.pages.home_charts import HomeCharts
from ui.pages.page import Page
from ui.widgets import ERROR_COLOUR

CARD_STYLE = "QLabel { font-size: 26pt; font-weight: bold; }"
#: The deadline list shows the soonest this many; a note says how many more there are (issue 17:
#: at a million matters 3,440 were due and the list stopped at 200 without a word).
DUE_LIST_LIMIT = 200


def _alerts(ctx: AppContext) -> list[str]:
    """Lines from the screening and mediation modules. At the county: every township's, each line led by the township's short name (the county's own
    area code has no disputes or mediations)."""
    if not ctx.reg.read_only:
        return _module_alerts(ctx.reg)
    short = county.short_names(ctx.reg)
    return [_("【{station}】{alert}").format(station=short.get(code, name), alert=line)
            for code, name in county.station_choices(ctx.reg)
            for line in _module_alerts(county.township_view(ctx.reg, code))]


def _module_alerts(reg: Register) -> list[str]:
    """交办/督办 and leaders' overdue 包案 first, then high-risk or overdue disputes, then
    mediation deadlines."""
    return (leadership.home_alerts(reg)
            + [alert.text for alert in screening.home_alerts(reg)]
            + [deadline.text for deadline in mediation.home_alerts(reg)])


class HomePage(Page):
    TITLE = N_("首页")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        self.greeting = QLabel()
        self.greeting.setStyleSheet("font-size: 16pt;")
        layout.addWidget(self.greeting)
        cards = QGridLayout()
        self.card_values: dict[str, QLabel] = {}
        for i, (key, label) in enumerate((("today", N_("今日登记")), ("pending", N_("待受理")),
                                          ("week", N_("7日内到期")), ("overdue", N_("已逾期")))):
            box = QGroupBox(_(label))
            v = QVBoxLayout(box)
            value = QLabel("0")
            value.setStyleSheet(CARD_STYLE + (f"QLabel {{ color: {ERROR_COLOUR}; }}"
                                              if key == "overdue" else ""))
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            v.addWidget(value)
            self.card_values[key] = value
            cards.addWidget(box, 0, i)
        layout.addLayout(cards)
        buttons = QHBoxLayout()
        new = QPushButton(_("新登记（F2）"))
        new.clicked.connect(lambda: self._go("registration"))
        find = QPushButton(_("查找信访件（Ctrl+F）"))
        find.clicked.connect(lambda: self._go("cases"))
        new.setVisible(not ctx.reg.read_only)  # the county registers nothing
        buttons.addWidget(new)
        buttons.addWidget(find)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        lists = QHBoxLayout()
        due_box = QGroupBox(_("需要办理的期限（按到期先后，Enter 打开）"))
        dv = QVBoxLayout(due_box)
        self.due_list = QListWidget()
        self.due_list.itemActivated.connect(self._open)
        dv.addWidget(self.due_list)
        lists.addWidget(due_box, 3)
        alert_box = QGroupBox(_("交办督办、包案、纠纷与调解提醒"))
        av = QVBoxLayout(alert_box)
        self.alert_list = QListWidget()
        self.alert_list.setWordWrap(True)
        av.addWidget(self.alert_list)
        lists.addWidget(alert_box, 2)
        layout.addLayout(lists, 1)
        self.due_list.setMinimumHeight(110)
        self.alert_list.setMinimumHeight(110)
        self.charts = HomeCharts(ctx)
        layout.addWidget(self.charts)
        self.refresh()

    def _go(self, key: str) -> None:
        self.open_page.emit(key)

    def counts(self) -> dict[str, int]:
        return petitions.home_counts(self.ctx.reg)

    def refresh(self) -> None:
        reg = self.ctx.reg
        today = reg.clock().date()
        st = station.station(reg)
        self.greeting.setText(_("{name}，{user}，您好。今天是{today}。").format(
            name=st.name, user=reg.actor.display_name, today=today.isoformat()))
        counts = self.counts()
        for key, value in counts.items():
            self.card_values[key].setText(str(value))
        self.due_list.clear()
        rows: list[dict[str, Any]] = petitions.due_soon(reg, limit=DUE_LIST_LIMIT)
        if not rows:  # say why the list is empty while the cards count matters (issue 15)
            pending = counts.get("pending", 0)
            text = (_("没有7日内到期或已逾期的事项。待受理的{n}件期限还早，"
                      "在“信访件”页可以看到（Ctrl+F）。").format(n=pending) if pending
                    else _("没有7日内到期或已逾期的事项。"))
            note = QListWidgetItem(text)
            note.setFlags(Qt.ItemFlag.NoItemFlags)  # a note, not a matter to open
            self.due_list.addItem(note)
        for r in rows:
            left = days_left(date.fromisoformat(r["due_date"]), today)
            when = _("逾期{n}天").format(n=-left) if left < 0 else _("剩{n}天").format(n=left)
            item = QListWidgetItem(f"[{when}] {r['name']}  {petitions.status_label(r['status'])}"
                                   f"  {r['summary']}")
            item.setData(Qt.ItemDataRole.UserRole, r["id"])
            if left < 0:
                item.setForeground(Qt.GlobalColor.red)
            self.due_list.addItem(item)
        due = counts.get("week", 0) + counts.get("overdue", 0)
        if len(rows) < due:  # the list stopped at its limit: say so, and where the rest are
            note = QListWidgetItem(_("以上是最早到期的{shown}件，共{n}件；全部在“信访件”页"
                                     "按期限筛选查看（Ctrl+F）。").format(shown=len(rows), n=due))
            note.setFlags(Qt.ItemFlag.NoItemFlags)
            self.due_list.addItem(note)
        self.alert_list.clear()
        for line in _alerts(self.ctx):
            self.alert_list.addItem(line)
        self.charts.refresh_soon()  # after the first paint; once for refreshes in a row

    def _open(self, item: QListWidgetItem) -> None:
        from ui.case_detail import CaseDetailDialog

        CaseDetailDialog(self.ctx, item.data(Qt.ItemDataRole.UserRole), self).exec()
        self.refresh()

    def focus_first(self) -> None:
        self.due_list.setFocus()
