"""The main window: a sidebar of pages (keyboard: Ctrl+1…Ctrl+9), the status bar with who is
signed in, and the menus for backup, language and font size. A page is built the first time it
is shown; the sidebar needs only the titles."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from storage import backup, calendar_store, station
from storage.errors import PetitionDeskError
from storage.i18n import _, join_list
from storage.register import ROLE_LABELS
from ui.background import Job
from ui.context import AppContext
from ui.pages.page import Page
from ui.pages.registry import PAGES, PageSpec
from ui.screen import fit_on_screen
from ui.widgets import scrolled, without_mnemonic

if TYPE_CHECKING:
    from ui.ledger_import import LedgerImportDialog

log = logging.getLogger(__name__)


def ledger_import_available(ctx: AppContext) -> bool:
    """文件 → 导入旧台账 only where matters are registered (ui/ledger_import.py says why)."""
    from ui import ledger_import

    return ledger_import.available(ctx)

# The pages (ui/pages/registry.py): titles and availability known without importing a page's
# module; each module is imported when its page is first shown (issue 15).
__all__ = ["PAGES", "LazyPages", "MainWindow", "PageSpec"]


def SHORTCUTS_TEXT() -> str:  # noqa: N802 - read like a constant, translated when shown
    """The keyboard map shown by Help → 快捷键一览; README.md (快捷键) says the same."""
    return _(
        "全局：F2 新登记　Ctrl+F 查找（人民调解页查本页案件）　Ctrl+1…9 切换页面　F1 本表　"
        "F10 打开菜单　Ctrl+= / Ctrl+- 放大、缩小字体　Ctrl+Q 退出\n"
        "Alt+字母：按钮和栏目名称后括号里的字母，只在当前页面有效；菜单不占用 Alt 字母\n"
        "登记表：Tab 下一项，Enter 保存，Ctrl+Enter 在多行文字中保存，"
        "Ctrl+P 打印刚保存的回执，Alt+X 清空重填\n"
        "列表：Enter 打开选中的一项　Esc 关闭窗口\n"
        "人民调解：Ctrl+N 受理新案件　Ctrl+M 信访件转调　Ctrl+D 排查纠纷转调\n"
        "纠纷排查：Alt+← / Alt+→ 换排查周期　Ctrl+G 选网格　Ctrl+0 本期零报告\n"
        "对话框：Ctrl+Enter 保存，Esc 取消（已填写内容时先询问）\n"
        "打印预览：+ / - 放大缩小，W 适合宽度，1 原大小，PageDown / PageUp 翻页，Ctrl+P 打印")


class LazyPages(Mapping[str, Page]):
    """The window's pages by key, in sidebar order; a page is built (its module imported) the
    first time it is looked up (``in`` and iterating the keys build nothing)."""

    def __init__(self, specs: Sequence[PageSpec], build: Callable[[type[Page]], Page]) -> None:
        self._specs = {spec.key: spec for spec in specs}
        self._build = build
        self._built: dict[str, Page] = {}

    def __getitem__(self, key: str) -> Page:
        page = self._built.get(key)
        if page is None:
            page = self._built[key] = self._build(self._specs[key].load())
        return page

    def __contains__(self, key: object) -> bool:
        return key in self._specs

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def built(self) -> list[str]:
        """Keys of the pages built so far."""
        return list(self._built)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        # background work (ui/upkeep.py, the manual backup): waited for before the register closes
        self.upkeep_jobs: list[Job] = []
        st = station.station(ctx.reg)
        mode = {"county": _("县级汇总"), "liaison": _("联络员")}.get(ctx.reg.mode, "")
        self.setWindowTitle(_("信访工作台 — {station}（{mode}）").format(station=st.name, mode=mode)
                            if mode else _("信访工作台 — {station}").format(station=st.name))
        fit_on_screen(self, 1280, 820)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        self.nav = QListWidget()
        self.nav.setFixedWidth(150)
        self.nav.setStyleSheet("QListWidget { font-size: 14pt; } QListWidget::item { padding: 8px; }")
        self.stack = QStackedWidget()
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        # A page may hide itself for a mode or role (e.g. no registration at the county).
        shown = [spec for spec in PAGES if spec.available(ctx)]
        self.page_keys = [spec.key for spec in shown]
        self.pages = LazyPages(shown, self._build_page)
        self.current: Page | None = None
        self.page_areas: dict[Page, QScrollArea] = {}  # each page's scroll area in the stack
        for index, spec in enumerate(shown):
            self._add_nav_item(index, spec.title())
        # Wide enough for the longest page title ("People's mediation" in English).
        self.nav.setFixedWidth(max(150, self.nav.sizeHintForColumn(0)
                                   + 2 * self.nav.frameWidth() + 12))
        self.nav.currentRowChanged.connect(self._show_page)
        self.nav.setCurrentRow(0)
        self._build_menus()
        self._build_status()
        ctx.changed.connect(self._on_changed)

    # ----- pages ---------------------------------------------------------------------------
    def _add_nav_item(self, index: int, title: str) -> None:
        item = QListWidgetItem(title)
        if index < 9:
            item.setToolTip(f"Ctrl+{index + 1}")
            shortcut = QAction(self)
            shortcut.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            shortcut.triggered.connect(lambda _c=False, row=index: self.nav.setCurrentRow(row))
            self.addAction(shortcut)
        self.nav.addItem(item)

    def _build_page(self, page_class: type[Page]) -> Page:
        page = page_class(self.ctx, self)
        from ui import print_preview

        print_preview.install()  # the print menus of a page whose module was just imported
        page.open_page.connect(self.show_page)
        # A page taller or wider than the screen scrolls instead of making the whole window
        # larger than a 1366×768 laptop (issue 15: one page forced every page to 931 px).
        area = self.page_areas[page] = scrolled(page)
        self.stack.addWidget(area)
        return page

    def _show_page(self, index: int) -> None:
        page = self.pages[self.page_keys[index]]
        self.current = page
        self.stack.setCurrentWidget(self.page_areas[page])
        page.refresh()
        page.focus_first()

    def show_page(self, key: str) -> Page | None:
        if key not in self.pages:
            return None
        self.nav.setCurrentRow(self.page_keys.index(key))
        return self.pages[key]

    def _on_changed(self, _topic: str) -> None:
        if self.current is not None:
            self.current.refresh()
        self._update_status()

    # ----- menus ---------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        # The menu titles take no Alt key: every letter is some page's (Alt+F 选择文件夹, Alt+G
        # 性别), and the menu took it from the page (issue 15). F10 opens the menus instead.
        file_menu = bar.addMenu(without_mnemonic(_("文件(&F)")))
        self.import_ledger_action = file_menu.addAction(_("导入旧台账…(&I)"))
        self.import_ledger_action.triggered.connect(self.import_ledger)
        self.import_ledger_action.setEnabled(ledger_import_available(self.ctx))
        act = file_menu.addAction(_("立即备份到…(&B)"))
        act.triggered.connect(self.backup_to)
        self.compact_action = file_menu.addAction(_("整理登记库…(&C)"))
        self.compact_action.triggered.connect(self.compact_register)
        # the station head's or the county reviewer's: the window is closed to all for minutes
        self.compact_action.setEnabled(self.ctx.data_dir is not None
                                       and self.ctx.reg.actor.role in ("head", "county"))
        file_menu.addSeparator()
        act = file_menu.addAction(_("退出(&X)"))
        act.setShortcut(QKeySequence("Ctrl+Q"))
        act.triggered.connect(self.close)
        go = bar.addMenu(without_mnemonic(_("转到(&G)")))
        new_reg = go.addAction(_("新登记(&N)"))
        new_reg.setShortcut(QKeySequence("F2"))
        new_reg.triggered.connect(lambda: self.show_page("registration"))
        new_reg.setEnabled("registration" in self.pages)
        find = go.addAction(_("查找信访件(&S)"))
        find.setShortcut(QKeySequence("Ctrl+F"))
        find.triggered.connect(self.focus_search)
        view = bar.addMenu(without_mnemonic(_("显示(&V)")))
        bigger = view.addAction(_("字体放大"))
        bigger.setShortcut(QKeySequence("Ctrl+="))
        bigger.triggered.connect(lambda: self.zoom(1))
        smaller = view.addAction(_("字体缩小"))
        smaller.setShortcut(QKeySequence("Ctrl+-"))
        smaller.triggered.connect(lambda: self.zoom(-1))
        help_menu = bar.addMenu(without_mnemonic(_("帮助(&H)")))
        keys = help_menu.addAction(_("快捷键一览(&K)"))
        keys.setShortcut(QKeySequence("F1"))
        keys.triggered.connect(self.show_shortcuts)
        menus = QAction(self)
        menus.setShortcut(QKeySequence("F10"))
        menus.triggered.connect(self.open_menus)
        self.addAction(menus)

    def open_menus(self) -> None:
        """F10: the first menu opens; the arrow keys go on from there."""
        bar = self.menuBar()
        first = bar.actions()[0]
        bar.setFocus()
        bar.setActiveAction(first)

    def import_ledger(self) -> LedgerImportDialog:
        from ui.ledger_import import LedgerImportDialog  # with openpyxl: when first asked for

        dialog = LedgerImportDialog(self.ctx, self)
        dialog.open()
        return dialog

    def zoom(self, step: int) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        font = app.font()
        font.setPointSize(max(9, min(24, font.pointSize() + step)))
        app.setFont(font)

    def focus_search(self) -> None:
        """Ctrl+F: the current page's own search if it has one (人民调解), else the cases'."""
        if self.current is not None and self.current.focus_search():
            return
        page = self.show_page("cases")
        if page is not None:
            page.focus_first()

    def show_shortcuts(self) -> None:
        """Help → 快捷键一览 (F1): the keyboard map, as in README.md (快捷键)."""
        QMessageBox.information(self, _("快捷键"), SHORTCUTS_TEXT())

    def backup_to(self) -> None:
        if self.ctx.data_dir is None:
            return
        target = QFileDialog.getExistingDirectory(self, _("选择备份保存的位置"))
        if not target:
            return
        from pathlib import Path

        assert self.ctx.reg.path is not None
        source, data_dir = Path(self.ctx.reg.path), self.ctx.data_dir
        job = Job("manual-backup", lambda: backup.make_backup(
            source, data_dir, reason="manual", to_dir=Path(target)), self)
        job.done.connect(self._backed_up)
        self.upkeep_jobs.append(job.start())
        self.statusBar().showMessage(_("正在备份…"))
        self.busy.show()  # the window stays usable: the backup has a connection of its own

    def _backed_up(self, path: object, error: BaseException | None) -> None:
        self.statusBar().clearMessage()
        self.busy.hide()
        if error is not None:
            text = error.user_text() if isinstance(error, PetitionDeskError) else str(error)
            QMessageBox.warning(self, _("备份失败"), text)
            return
        QMessageBox.information(self, _("备份完成"), _("已备份到：{path}").format(path=path))

    def compact_register(self) -> None:
        """文件 → 整理登记库: the register written again, compact (storage/compact.py) — asked
        first, with the room it needs and about how long the window is closed; the same user
        goes on afterwards."""
        import shutil

        from storage import compact
        from storage.errors import Cancelled
        from ui.progress import ProgressWindow

        reg = self.ctx.reg
        if reg.path is None:
            return
        shape = compact.layout(reg.conn)
        minutes = max(1, round(shape.used / (100 * 1024 * 1024) / 60))  # ~100 MB/s measured
        disk = shutil.disk_usage(reg.path.parent).free
        box = QMessageBox(QMessageBox.Icon.Question, _("整理登记库"), _(
            "整理会把登记库文件重新写一遍：记录和审计日志都不变，文件里的空闲空间收回，"
            "统计和查询读得更快。\n\n登记库现在 {size}，其中空闲 {free}；整理需要磁盘空闲空间 "
            "{need}（现有 {disk}）。\n整理期间（大约 {minutes} 分钟）程序不能使用。\n\n"
            "现在整理吗？").format(size=compact.human_size(shape.size),
                              free=compact.human_size(shape.free),
                              need=compact.human_size(shape.used + compact.SPARE_BYTES),
                              disk=compact.human_size(disk), minutes=minutes), parent=self)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(_("整理"))
        box.button(QMessageBox.StandardButton.No).setText(_("不整理"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        if self.ctx.keep_drafts() is False:
            QMessageBox.warning(self, _("整理登记库"), _(
                "正在填写的登记内容没能保存为草稿，没有整理。请先保存或清空那张表，再整理。"))
            return
        # nothing may still read the file that is replaced: work that can stop does (merging
        # the search indexes); a backup or a check under way is waited for a moment, never
        # for minutes with the window frozen
        for job in Job.running():
            job.stopping.set()
        for job in Job.running():
            job.wait(2.0)
        if Job.running():
            QMessageBox.information(self, _("整理登记库"), _(
                "后台的备份或检查还没有完成，现在不能整理。请过几分钟再整理。"))
            return
        QApplication.processEvents()  # their answers, while the register is still open
        try:
            with ProgressWindow(self, _("正在整理登记库，请稍候…"), cancellable=True) as progress:
                result = compact.compact_open(reg, progress)
        except compact.NotReopened as exc:  # the window has no register left to show
            QMessageBox.critical(self, _("整理登记库"), exc.user_text())
            self.close()
            return
        except Cancelled:
            QMessageBox.information(self, _("整理登记库"), _("已取消，登记库没有改动。"))
        except PetitionDeskError as exc:
            QMessageBox.warning(self, _("整理没有完成"), exc.user_text())
        else:
            QMessageBox.information(self, _("整理完成"), result.summary())
        self._on_changed("register")

    # ----- status bar ----------------------------------------------------------------------
    def _build_status(self) -> None:
        self.user_label = QLabel()
        self.warning_label = QLabel()
        self.warning_label.setStyleSheet("color: #a15c00;")
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.warning_label)
        # a busy bar (no count is known) while a backup started from the menu runs
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        self.statusBar().addPermanentWidget(self.busy)
        self._update_status()

    def _update_status(self) -> None:
        actor = self.ctx.reg.actor
        self.user_label.setText(_("当前用户：{name}（{role}）").format(
            name=actor.display_name, role=_(ROLE_LABELS.get(actor.role, actor.role))))
        missing = calendar_store.years_needing_entry(self.ctx.reg, date.today())
        if missing:
            text = _("{years}年的法定节假日尚未录入，期限暂按周末推算；请站长在“设置 → 节假日”中录入。"
                     ).format(years=join_list(str(y) for y in missing))
            self.warning_label.setText(text)
        else:
            self.warning_label.clear()
