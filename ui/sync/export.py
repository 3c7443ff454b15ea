"""Export wizard (station or liaison laptop): find the stick, show what will go on it, write it
with a progress bar, read it back, and say plainly that the stick may be removed."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from storage.errors import PetitionDeskError
from storage.i18n import _, join_list, join_sentences
from storage.sync import drives, export, outbox
from storage.sync.export import ExportResult
from storage.sync.labels import table_label
from ui.context import AppContext
from ui.sync import widgets as w
from ui.sync.signing import ensure_unlocked
from ui.widgets import NOTE_STYLE, OK_BANNER_STYLE, WARN_BANNER_STYLE, heading

_temp_outbox: list[Path] = []


def outbox_for(ctx: AppContext) -> Path:
    """Where kept bundles live: <data dir>/outbox (a temporary folder for an in-memory demo)."""
    if ctx.data_dir is not None:
        return outbox.outbox_dir(ctx.data_dir)
    if not _temp_outbox:
        _temp_outbox.append(Path(tempfile.mkdtemp(prefix="petitiondesk-outbox-")))
    return _temp_outbox[0]


class ExportPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.target: Path | None = None
        self.result: ExportResult | None = None
        self.steps = QStackedWidget()
        self.steps.addWidget(self._prepare_step())
        self.steps.addWidget(self._done_step())
        layout = QVBoxLayout(self)
        to = _("乡镇") if ctx.reg.mode == "liaison" else _("县信访局")
        layout.addWidget(heading(_("导出数据包到U盘")))
        layout.addWidget(w.note(_(
            "把上次导出以来新增、修改和删除的记录加密写入U盘，交给{to}。U盘丢失也不会泄露姓名、"
            "身份证号、电话等信息。").format(to=to)))
        layout.addWidget(self.steps, 1)

    # ----- step 1: where and what ------------------------------------------------------------
    def _prepare_step(self) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        self.drive_list = QListWidget()
        self.drive_list.setMaximumHeight(90)
        self.drive_list.currentItemChanged.connect(self._drive_chosen)
        drive_label = QLabel(_("U盘(&U)："))
        drive_label.setBuddy(self.drive_list)
        col.addWidget(drive_label)
        col.addWidget(self.drive_list)
        row = QHBoxLayout()
        row.addWidget(w.button(_("重新查找U盘(&R)"), self.find_drives))
        row.addWidget(w.button(_("选择文件夹(&F)…"), self._choose_folder))
        row.addStretch(1)
        col.addLayout(row)
        self.target_label = w.note()
        col.addWidget(self.target_label)
        form = QFormLayout()
        # A month picker (↑/↓ step the month, newest first): typing "2026-13" got a format
        # message. The months from this one back over three years.
        self.period = QComboBox()
        today = self.ctx.reg.clock().date()
        for back in range(36):
            year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
            self.period.addItem(f"{year:04d}-{month + 1:02d}")
        self.period.setCurrentIndex(max(0, self.period.findText(
            export.default_period(self.ctx.reg))))
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        caption = QLabel(_("月份(&M)："))
        caption.setBuddy(self.period)
        form.addRow(caption, self.period)
        col.addLayout(form)
        self.summary = w.note()
        col.addWidget(self.summary)
        self.counts = w.table([_("记录类别"), _("记录数"), _("其中删除")])
        col.addWidget(self.counts, 1)
        self.write_button = w.button(_("写入U盘(&W)"), self.write)
        col.addWidget(self.write_button, 0, Qt.AlignmentFlag.AlignRight)
        return page

    def find_drives(self) -> None:
        self.drive_list.clear()
        found = drives.find_drives()
        for d in found:
            item = QListWidgetItem(d.display)
            item.setData(Qt.ItemDataRole.UserRole, str(d.path))
            self.drive_list.addItem(item)
        if found:
            self.drive_list.setCurrentRow(0)
        else:
            self.target_label.setText(_("没有找到U盘。请插好U盘后点“重新查找U盘”，或点“选择文件夹”"
                                        "直接选择U盘所在的位置。"))

    def _drive_chosen(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.set_target(Path(str(item.data(Qt.ItemDataRole.UserRole))))

    def _choose_folder(self) -> None:
        folder = w.ask_folder(self, _("选择U盘或文件夹"))
        if folder is not None:
            self.set_target(folder)

    def set_target(self, path: Path) -> None:
        self.target = path
        self.target_label.setText(_("将写入：{path}").format(path=path))
        self._update_button()

    def _update_button(self) -> None:
        self.write_button.setEnabled(self.target is not None and self.plan_ok)

    # ----- the plan -------------------------------------------------------------------------
    plan_ok = False

    def refresh(self) -> None:
        if self.steps.currentIndex() != 0:
            return
        try:
            plan = export.plan(self.ctx.reg, self.period.currentText())
        except PetitionDeskError as exc:
            self.plan_ok = False
            self.summary.setText(exc.user_text())
            self.summary.setStyleSheet(WARN_BANNER_STYLE)
            w.fill(self.counts, [])
            self._update_button()
            return
        self.plan_ok = True
        self.summary.setStyleSheet(NOTE_STYLE)
        text = join_sentences(
            _("第{seq}号数据包，{period}，共{n}条记录（另有审计记录{a}条），发往{to}。").format(
                seq=plan.seq, period=plan.period, n=plan.records, a=plan.audit_entries,
                to=plan.recipient_name),
            _("另有{k}个以前的数据包县里还没有确认收到，会一并再写一份。").format(
                k=len(plan.unconfirmed)) if plan.unconfirmed else "",
            "" if plan.records else _("上次导出以来没有变化，仍可导出一个空数据包，表示本月已报。"))
        self.summary.setText(text)
        w.fill(self.counts, [(table_label(t), c["records"], c["deleted"])
                             for t, c in plan.counts.items()])
        self._update_button()

    # ----- step 2: write, verify, say so ----------------------------------------------------
    def _done_step(self) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        self.progress = QProgressBar()
        col.addWidget(self.progress)
        self.done_label = w.note(style=OK_BANNER_STYLE)
        col.addWidget(self.done_label)
        col.addStretch(1)
        self.finish_button = w.button(_("完成(&D)"), self.restart)
        col.addWidget(self.finish_button, 0, Qt.AlignmentFlag.AlignRight)
        return page

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        w.pump()

    def write(self) -> None:
        if self.target is None or not ensure_unlocked(self.ctx, self):
            return
        self.steps.setCurrentIndex(1)
        self.done_label.setText(_("正在写入并核对……"))
        self.finish_button.setEnabled(False)
        self.progress.setRange(0, 0)
        w.pump()
        result = self.ctx.run(self, export.export, self.ctx.reg, self.period.currentText(), self.target,
                              outbox_for(self.ctx), progress=self._progress, topic="sync")
        self.finish_button.setEnabled(True)
        self.finish_button.setFocus()
        if result is None:
            self.restart()
            return
        self.result = result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        names = join_list(p.name for p in result.written)
        text = _("已写入并读回核对无误：{names}。\n现在可以拔出U盘了（如电脑提示，请先点“安全弹出”）。"
                 ).format(names=names)
        if result.receipt_note:
            text += "\n" + result.receipt_note
        self.done_label.setText(text)

    def restart(self) -> None:
        self.steps.setCurrentIndex(0)
        self.refresh()
