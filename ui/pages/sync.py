"""数据交换: sync bundles on a USB stick. What a register sees depends on its mode:

- township: export to the county, import liaison bundles, conflicts, bundle history, keys, and
  the liaison starter file;
- county: import, bundle history per township, cross-township petitioners, conflicts, keys;
- liaison laptop: export to the township, keys.

Tabs switch with Ctrl+Tab / Ctrl+Shift+Tab; the buttons inside each tab have Alt shortcuts
(tab titles carry none, so no shortcut is ever ambiguous).
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from storage.i18n import _
from ui.context import AppContext
from ui.sync.export import ExportPanel
from ui.sync.import_tab import ImportPanel
from ui.sync.keys import KeysPanel, LiaisonStarterPanel
from ui.sync.views import ConflictsPanel, CrossTownshipPanel, HistoryPanel


class SyncPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = _("数据交换")
        self.tabs = QTabWidget()
        mode = ctx.reg.mode
        self.export_panel: ExportPanel | None = None
        self.import_panel: ImportPanel | None = None
        self.conflicts_panel: ConflictsPanel | None = None
        if mode in ("township", "liaison"):
            self.export_panel = ExportPanel(ctx)
            self.tabs.addTab(self.export_panel, _("导出到U盘"))
        if mode in ("township", "county"):
            self.import_panel = ImportPanel(ctx)
            label = _("导入") if mode == "county" else _("导入联络员数据")
            self.tabs.addTab(self.import_panel, label)
            self.tabs.addTab(HistoryPanel(ctx), _("数据包记录"))
        if mode == "county":
            self.tabs.addTab(CrossTownshipPanel(ctx), _("跨乡镇信访人"))
        if mode in ("township", "county"):
            self.conflicts_panel = ConflictsPanel(ctx)
            self.tabs.addTab(self.conflicts_panel, _("冲突"))
        self.keys_panel = KeysPanel(ctx)
        self.tabs.addTab(self.keys_panel, _("密钥"))
        if mode == "township" and ctx.reg.actor.role == "head":
            self.tabs.addTab(LiaisonStarterPanel(ctx), _("联络员电脑"))
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        panel = self.tabs.currentWidget()
        if hasattr(panel, "refresh"):
            panel.refresh()

    def focus_first(self) -> None:
        self.tabs.setFocus()

    def show_tab(self, panel: QWidget) -> None:
        self.tabs.setCurrentWidget(panel)
