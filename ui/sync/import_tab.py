"""Import wizard (county, or a township taking liaison bundles): choose files or a folder, see
every bundle verified (signatures before anything is decrypted), a dry run per bundle, then the
import with a progress bar; afterwards a receipt can go back on the same stick."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from storage.errors import Cancelled
from storage.i18n import N_, _, join_list, join_sentences
from storage.sync import drives, importer, keys, receipts
from storage.sync.importer import BundleReport
from ui.context import AppContext, show_error
from ui.progress import ProgressWindow
from ui.sync import widgets as w
from ui.widgets import heading

T = TypeVar("T")


def _unless_cancelled(action: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """``action``, or None when the clerk cancelled it (nothing changed: no message needed)."""
    try:
        return action(*args, **kwargs)
    except Cancelled:
        return None


COLUMNS = [N_("文件"), N_("单位"), N_("序号"), N_("月份"), N_("状态"), N_("新增"), N_("更新"),
           N_("删除"), N_("未变"), N_("忽略"), N_("冲突"), N_("缺号"), N_("说明")]


class ImportPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.paths: list[Path] = []
        self.reports: list[BundleReport] = []
        self._key: bytes | None = None
        col = QVBoxLayout(self)
        col.addWidget(heading(_("导入数据包")))
        source = _("各乡镇") if ctx.reg.mode == "county" else _("联络员电脑或县信访局")
        col.addWidget(w.note(_(
            "选择{source}送来的数据包文件或所在文件夹。每个数据包先核对签名和完整性，"
            "有问题的会被拒收并说明原因，不会改动本机数据。").format(source=source)))
        row = QHBoxLayout()
        row.addWidget(w.button(_("选择数据包文件(&O)…"), self._choose_files))
        row.addWidget(w.button(_("选择文件夹(&D)…"), self._choose_folder))
        row.addWidget(w.button(_("从U盘读取(&U)"), self._from_drive))
        row.addStretch(1)
        col.addLayout(row)
        self.table = w.table([_(c) for c in COLUMNS])
        col.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        caption = QLabel(_("接收密钥口令(&P)："))
        caption.setBuddy(self.passphrase)
        row.addWidget(caption)
        row.addWidget(self.passphrase, 1)
        self.dry_button = w.button(_("试导入，不改动(&T)"), self.dry_run)
        self.import_button = w.button(_("导入(&I)"), self.run_import)
        row.addWidget(self.dry_button)
        row.addWidget(self.import_button)
        col.addLayout(row)
        self.progress = QProgressBar()
        col.addWidget(self.progress)
        self.result = w.note()
        col.addWidget(self.result)
        self.receipt_button = w.button(_("把回执写到U盘(&R)"), self.write_receipts)
        col.addWidget(self.receipt_button, 0, Qt.AlignmentFlag.AlignRight)
        self._update_buttons()

    def refresh(self) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = any(r.status == "ready" for r in self.reports)
        self.dry_button.setEnabled(ready)
        self.import_button.setEnabled(ready)
        folder = self._folder()
        signing = keys.has_signing_key(self.ctx.reg)
        # only for senders that take a receipt back (not the county's bundle at a township)
        self.receipt_button.setEnabled(
            folder is not None and signing
            and bool(receipts.receipt_senders(self.ctx.reg, self.reports)))
        self.receipt_button.setToolTip("" if signing else _(
            "要给乡镇开回执，请先在“密钥”页创建签名密钥，再把新的公钥文件交给各乡镇载入。"))

    def _folder(self) -> Path | None:
        dirs = [p for p in self.paths if p.is_dir()]
        return dirs[0] if dirs else (self.paths[0].parent if self.paths else None)

    # ----- choosing ---------------------------------------------------------------------------
    def _choose_files(self) -> None:
        files = w.ask_files(self, _("选择数据包"), _("数据包 (*.pdsync)"))
        if files:
            self.set_paths(files)

    def _choose_folder(self) -> None:
        folder = w.ask_folder(self, _("选择数据包所在的文件夹"))
        if folder is not None:
            self.set_paths([folder])

    def _from_drive(self) -> None:
        found = drives.find_drives()
        if not found:
            self.result.setText(_("没有找到U盘。请插好U盘，或点“选择文件夹”直接选择。"))
            return
        self.set_paths([d.path for d in found])

    def set_paths(self, paths: list[Path]) -> None:
        # reading and checking the files writes nothing: it may be stopped
        with ProgressWindow(self, _("正在读取并核对数据包…"), cancellable=True) as progress:
            checked = self.ctx.run(self, _unless_cancelled, importer.verify_files,
                                   self.ctx.reg, paths, progress)
        self.paths = [] if progress.cancelled() else paths
        self.reports = [r for r, _v in checked] if checked else []
        self._show()
        self.progress.reset()  # the bar of an earlier import says nothing about these files
        ok = sum(r.status == "ready" for r in self.reports)
        if progress.cancelled():
            self.result.setText(_("已取消读取数据包。"))
        elif not self.reports:
            self.result.setText(_("所选位置没有数据包（*.pdsync）。"))
        elif not ok:
            self.result.setText(_("找到{n}个数据包，都已导入过或被拒收（原因见“说明”一栏），"
                                  "没有需要导入的。").format(n=len(self.reports)))
        else:
            self.result.setText(_("找到{n}个数据包，其中{ok}个可以导入。请输入口令后先“试导入”，"
                                  "看清会发生什么再导入。").format(n=len(self.reports), ok=ok))
        self._update_buttons()

    def _show(self) -> None:
        rows = []
        for r in self.reports:
            t = r.totals
            counted = r.status in ("ready", "imported") and bool(r.counts)
            figures = [t.created, t.updated, t.deleted, t.unchanged, t.ignored, t.conflicts] \
                if counted else [""] * 6
            rows.append([r.file_name, r.station_name or r.sender, r.seq or "", r.period,
                         _(importer.STATUS_LABELS[r.status]), *figures,
                         join_list(str(s) for s in r.gaps), r.message])
        w.fill(self.table, rows)

    # ----- dry run and import ------------------------------------------------------------------
    def _unlock(self) -> bytes | None:
        if self._key is None:
            self._key = self.ctx.run(self, keys.unlock_receiving_key, self.ctx.reg,
                                     self.passphrase.text())
            if self._key is not None:
                self.passphrase.clear()
        return self._key

    def dry_run(self) -> None:
        key = self._unlock()
        if key is None:
            return
        # a dry run changes nothing, so it may be stopped at any point
        with ProgressWindow(self, _("正在试导入，本机数据不会改动…"), cancellable=True) as progress:
            reports = self.ctx.run(self, _unless_cancelled, importer.import_bundles,
                                   self.ctx.reg, self.paths, key, dry_run=True,
                                   progress=progress)
        if progress.cancelled():
            self.result.setText(_("已取消试导入，本机数据没有任何改动。"))
        elif reports is not None:
            self.reports = reports
            self._show()
            self.result.setText(join_sentences(
                _("以上是试导入的结果，本机数据没有任何改动。确认无误后点“导入”。"),
                self._gaps_sentence(reports)))
        self._update_buttons()

    def run_import(self) -> None:
        key = self._unlock()
        if key is None:
            return
        self.import_button.setEnabled(False)
        # no Cancel: each bundle is written in one transaction that must not be cut
        with ProgressWindow(self, _("正在导入，请不要关闭程序…"), cancellable=False) as progress:
            reports = self.ctx.run(self, importer.import_bundles, self.ctx.reg, self.paths, key,
                                   data_dir=self.ctx.data_dir, progress=self._both(progress),
                                   topic="sync")
        if reports is not None:
            self.reports = reports
            self._show()
            done = [r for r in reports if r.status == "imported"]
            if done:  # the search indexes' new segments are merged off the GUI thread
                from ui import upkeep

                upkeep.merge_indexes(self.window(), self.ctx)
            conflicts = sum(r.totals.conflicts for r in done)
            text = join_sentences(
                _("导入完成：{n}个数据包，共{records}条记录。").format(
                    n=len(done), records=sum(r.records for r in done)),
                _("有{k}处冲突需要处理，请到“冲突”页查看。").format(k=conflicts)
                if conflicts else "", self._gaps_sentence(reports))
            self.result.setText(text)
        self._update_buttons()

    def _both(self, window: ProgressWindow) -> importer.Progress:
        """The window's bar and the panel's own (which stays, showing how far it got)."""
        def progress(done: int, total: int) -> bool:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)
            return window(done, total)
        return progress

    @staticmethod
    def _gaps_sentence(reports: list[importer.BundleReport]) -> str:
        gaps = sorted({_("{station}第{seq}号").format(station=r.station_name, seq=s)
                       for r in reports for s in r.gaps})
        return _("缺少数据包：{list}。").format(list=join_list(gaps)) if gaps else ""

    def write_receipts(self) -> None:
        folder = self._folder()
        if folder is None:
            return
        outcome = receipts.write_after_import(self.ctx.reg, self.reports, folder)
        if outcome.error is not None:
            show_error(self, outcome.error)
        if outcome.paths:
            self.result.setText(_("回执已写到U盘：{names}。乡镇下次导出时会据此删除本机保存的副本。"
                                  ).format(names=join_list(path.name for path in outcome.paths)))
