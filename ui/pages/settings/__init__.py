"""Settings, for the station head: the station, villages and grids, user accounts, the
classification tables, holidays for years the library does not know yet, and the station's other
settings (collective-visit threshold, masking, idle lock, language). Everyone else sees a plain
note that only the head may change settings, and can change their own password there.

Every change goes through ``ctx.run`` to storage, which checks the role and the values; a
refusal leaves what was typed in place.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from storage import accounts
from storage.i18n import N_, _
from ui.context import AppContext
from ui.pages.page import Page
from ui.pages.settings.codes import CodesTab
from ui.pages.settings.forms import action_button
from ui.pages.settings.holidays import HolidaysTab
from ui.pages.settings.preferences import OtherTab
from ui.pages.settings.station import StationTab
from ui.pages.settings.users import PasswordDialog, UsersTab
from ui.pages.settings.villages import VillagesTab
from ui.widgets import heading

SettingsTab = StationTab | VillagesTab | UsersTab | CodesTab | HolidaysTab | OtherTab


class SettingsPage(Page):
    """Tabs for the station head; a plain note (and one's own password) for everyone else."""

    TITLE = N_("设置")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setStyleSheet("QTreeWidget::item, QListWidget::item { padding: 4px 2px; }")
        layout = QVBoxLayout(self)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)
        self.notice_page = self._notice_page()
        self.stack.addWidget(self.notice_page)
        self.tabs = QTabWidget()
        self.station_tab = StationTab(ctx)
        self.villages_tab = VillagesTab(ctx)
        self.users_tab = UsersTab(ctx)
        self.codes_tab = CodesTab(ctx)
        self.holidays_tab = HolidaysTab(ctx)
        self.other_tab = OtherTab(ctx)
        self.all_tabs: tuple[SettingsTab, ...] = (
            self.station_tab, self.villages_tab, self.users_tab, self.codes_tab,
            self.holidays_tab, self.other_tab)
        labels = (_("工作站信息"), _("村（社区）与网格"), _("用户"), _("分类代码"), _("节假日"),
                  _("其他设置"))
        for i, (tab, label) in enumerate(zip(self.all_tabs, labels, strict=True)):
            self.tabs.addTab(tab, _("{label}(&{key})").format(label=label, key=i + 1))
        self.stack.addWidget(self.tabs)
        self.tabs.currentChanged.connect(lambda _i: self._refresh_tab())
        self.refresh()

    def _notice_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.notice = heading(_("只有站长可以修改设置。"))
        layout.addWidget(self.notice)
        layout.addWidget(QLabel(_("如需修改工作站信息、用户、分类代码或节假日，请联系站长。")))
        row = QHBoxLayout()
        row.addWidget(action_button(_("修改我的密码(&P)"), self.change_own_password))
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    @property
    def is_head(self) -> bool:
        return self.ctx.reg.actor.role == "head"

    def refresh(self) -> None:
        self.stack.setCurrentIndex(1 if self.is_head else 0)
        if self.is_head:
            self._refresh_tab()

    def _refresh_tab(self) -> None:
        if not self.is_head:
            return
        current = self.tabs.currentWidget()
        for tab in self.all_tabs:
            if tab is current:
                tab.refresh()

    def focus_first(self) -> None:
        (self.tabs.tabBar() if self.is_head else self.notice_page).setFocus()

    def change_own_password(self) -> None:
        user = accounts.find_user(self.ctx.reg, self.ctx.reg.actor.username)
        PasswordDialog(self.ctx, user, self).exec()
