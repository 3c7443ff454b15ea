"""The sidebar's pages as the main window knows them before any is built: key, title, whether
this register and person see it, and where its class lives. A page's module (and what it pulls
in: the printing code, reportlab, openpyxl) is imported the first time the page is shown
(issue 15), so the window paints after importing only this.

Each page class says its ``TITLE`` itself too (the Page protocol), and its ``available`` asks
the rule here; tests/ui/test_main_window.py checks that the two agree."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.i18n import N_, _
from ui.context import AppContext

if TYPE_CHECKING:
    from ui.pages.page import Page


def _always(_ctx: AppContext) -> bool:
    return True


def registers_matters(ctx: AppContext) -> bool:
    """Not at the county, whose register only shows the townships' matters."""
    return not ctx.reg.read_only


def holds_leadership(ctx: AppContext) -> bool:
    """包案 are held at a township and followed at the county, not on a liaison laptop."""
    return ctx.reg.mode in ("township", "county")


@dataclass(frozen=True)
class PageSpec:
    key: str
    module: str
    class_name: str
    title_id: str  # a msgid, as the class's TITLE
    available: Callable[[AppContext], bool] = _always

    def title(self) -> str:
        return _(self.title_id)

    def load(self) -> type[Page]:
        """The page's class, importing its module now if it was not yet."""
        cls: type[Page] = getattr(importlib.import_module(self.module), self.class_name)
        return cls


#: In sidebar order; Ctrl+1…Ctrl+9 follow it.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "ui.pages.home", "HomePage", N_("首页")),
    PageSpec("registration", "ui.pages.registration", "RegistrationPage", N_("登记"),
             registers_matters),
    PageSpec("cases", "ui.pages.cases", "CasesPage", N_("信访件")),
    PageSpec("mediation", "ui.pages.mediation", "MediationPage", N_("人民调解")),
    PageSpec("screening", "ui.pages.screening", "ScreeningPage", N_("纠纷排查")),
    PageSpec("leadership", "ui.pages.leadership", "LeadershipPage", N_("包案督办"),
             holds_leadership),
    PageSpec("reports", "ui.pages.reports", "ReportsPage", N_("统计报表")),
    PageSpec("sync", "ui.pages.sync", "SyncPage", N_("数据交换")),
    PageSpec("settings", "ui.pages.settings", "SettingsPage", N_("设置")),
)
