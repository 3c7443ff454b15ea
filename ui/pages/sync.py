"""数据交换: sync bundles on a USB stick. What a register sees depends on its mode:

- township: export to the county, import liaison bundles, conflicts, bundle history, keys, and
  the liaison starter file;
- county: what goes to the townships (their 交办/督办), import, bundle history per township,
  cross-township petitioners, conflicts, keys;
- liaison laptop: export to the township, keys.

Tabs switch with Ctrl+Tab / Ctrl+Shift+Tab; the buttons inside each tab have Alt shortcuts
(tab titles carry none, so no shortcut is ever ambiguous).
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from storage.i18n import N_, _
from ui.context import AppContext
from ui.pages.page import Page
from ui.sync.downward import DownwardExportPanel
from ui.sync.export import ExportPanel
from ui.sync.import_tab import ImportPanel
from ui.sync.keys import KeysPanel, LiaisonStarterPanel
from ui.sync.views import ConflictsPanel, CrossTownshipPanel, HistoryPanel

SyncPanel = (ExportPanel | ImportPanel | HistoryPanel | CrossTownshipPanel | ConflictsPanel
             | KeysPanel | LiaisonStarterPanel | DownwardExportPanel)


class SyncPage(Page):
    TITLE = N_("数据交换")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.tabs = QTabWidget()
        self.panels: list[SyncPanel] = []  # in tab order
        mode = ctx.reg.mode
        self.export_panel: ExportPanel | None = None
        self.import_panel: ImportPanel | None = None
        self.conflicts_panel: ConflictsPanel | None = None
        self.down_panel: DownwardExportPanel | None = None
        if mode in ("township", "liaison"):
            self.export_panel = ExportPanel(ctx)
            self._add(self.export_panel, _("导出到U盘"))
        if mode in ("township", "county"):
            self.import_panel = ImportPanel(ctx)
            label = _("导入")
            self._add(self.import_panel, label)
            self._add(HistoryPanel(ctx), _("数据包记录"))
        if mode == "county":
            self._add(CrossTownshipPanel(ctx), _("跨乡镇信访人"))
        if mode in ("township", "county"):
            self.conflicts_panel = ConflictsPanel(ctx)
            self._add(self.conflicts_panel, _("冲突"))
        if mode == "county":  # the county's 交办/督办 on their way to the townships
            self.down_panel = DownwardExportPanel(ctx)
            self._add(self.down_panel, _("发往乡镇"))
        self.keys_panel = KeysPanel(ctx)
        self._add(self.keys_panel, _("密钥"))
        if mode == "township" and ctx.reg.actor.role == "head":
            self._add(LiaisonStarterPanel(ctx), _("联络员电脑"))
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def _add(self, panel: SyncPanel, label: str) -> None:
        self.panels.append(panel)
        self.tabs.addTab(panel, label)

    def refresh(self) -> None:
        index = self.tabs.currentIndex()
        if 0 <= index < len(self.panels):
            self.panels[index].refresh()

    def focus_first(self) -> None:
        self.tabs.setFocus()

    def show_tab(self, panel: QWidget) -> None:
        self.tabs.setCurrentWidget(panel)
