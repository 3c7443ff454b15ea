"""County: write the 交办/督办 for the townships onto a stick (storage/sync — downward). One
line per township says what its next bundle holds and what earlier ones wait for confirmation;
Alt+W writes every township's that has something, reads each copy back and says so."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from storage.i18n import _, join_list, pgettext
from storage.sync import downward
from storage.sync.export import DOWNWARD_ROLES
from ui.context import AppContext
from ui.sync import widgets as w
from ui.sync.export import outbox_for
from ui.sync.signing import ensure_unlocked
from ui.widgets import NOTE_STYLE, OK_BANNER_STYLE, heading


class DownwardExportPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.target: Path | None = None
        col = QVBoxLayout(self)
        col.addWidget(heading(_("把交办督办写入U盘，带给乡镇")))
        col.addWidget(w.note(_(
            "每个乡镇一个数据包，加密后只有该乡镇能读，其他乡镇的内容不会带去。乡镇导入后，"
            "随其下一个月度数据包确认收到；确认前每次都会再写一份。")))
        row = QHBoxLayout()
        row.addWidget(w.button(_("选择U盘或文件夹(&O)…"), self._choose_folder))
        row.addStretch(1)
        col.addLayout(row)
        self.target_label = w.note()
        col.addWidget(self.target_label)
        self.table = w.table([pgettext("表头", "乡镇"), _("新的交办督办"), _("待确认的数据包"),
                              _("说明")])
        caption = QLabel(_("各乡镇(&T)："))
        caption.setBuddy(self.table)
        col.addWidget(caption)
        col.addWidget(self.table, 1)
        self.write_button = w.button(_("写入U盘(&W)"), self.write)
        col.addWidget(self.write_button, 0, Qt.AlignmentFlag.AlignRight)
        self.result = w.note()
        col.addWidget(self.result)

    def _choose_folder(self) -> None:
        folder = w.ask_folder(self, _("选择U盘或文件夹"))
        if folder is not None:
            self.set_target(folder)

    def set_target(self, path: Path) -> None:
        self.target = path
        self.target_label.setText(_("将写入：{path}").format(path=path))
        self.refresh()

    def refresh(self) -> None:
        if self.ctx.reg.actor.role not in DOWNWARD_ROLES:  # the county's reviewer sends
            self.write_button.setEnabled(False)
            return
        plans = self.ctx.run(self, downward.plans, self.ctx.reg) or []
        w.fill(self.table, [[p.name, p.records, len(p.unconfirmed), p.problem] for p in plans])
        self.write_button.setEnabled(self.target is not None and any(p.due for p in plans))

    def write(self) -> None:
        if self.target is None or not ensure_unlocked(self.ctx, self):
            return
        results = self.ctx.run(self, downward.export_down, self.ctx.reg, self.target,
                               outbox_for(self.ctx), topic="sync")
        if results is None:
            return
        written = [path.name for r in results for path in r.written]
        self.result.setStyleSheet(OK_BANNER_STYLE if written else NOTE_STYLE)
        self.result.setText(_("已写入并读回核对无误：{names}。\n现在可以拔出U盘了。").format(
            names=join_list(written)) if written else _("没有需要写入的数据包。"))
        self.refresh()
