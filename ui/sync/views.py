"""Read-mostly sync views: conflicts a person decides, each sender's bundle history (gaps, missing
and late months), and petitioners who appear in more than one township."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from storage.i18n import _, join_list
from storage.masking import mask_id_number
from storage.sync import conflicts, county, keys
from storage.sync.conflicts import Conflict
from storage.sync.labels import column_label, table_label
from ui.context import AppContext
from ui.sync import widgets as w
from ui.widgets import heading


def _short(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


class ConflictsPanel(QWidget):
    """Same record, same version, different content: show both, a person chooses."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[Conflict] = []
        col = QVBoxLayout(self)
        col.addWidget(heading(_("导入冲突")))
        col.addWidget(w.note(_(
            "同一条记录在两处被改成了不同的内容。本机保留原来的内容，直到有人在这里决定采用哪一个。")))
        self.list = w.table([_("类别"), _("记录"), _("版本"), _("来自"), _("发现时间")])
        self.list.currentCellChanged.connect(lambda *_a: self._show_detail())
        col.addWidget(self.list, 1)
        self.detail = w.table([_("内容"), _("本机"), _("导入的")])
        col.addWidget(self.detail, 1)
        self.kind_note = w.note()
        col.addWidget(self.kind_note)
        row = QHBoxLayout()
        row.addStretch(1)
        self.keep_button = w.button(_("保留本机版本(&L)"), lambda: self._decide("local"))
        self.take_button = w.button(_("采用导入版本(&N)"), lambda: self._decide("incoming"))
        row.addWidget(self.keep_button)
        row.addWidget(self.take_button)
        col.addLayout(row)

    def refresh(self) -> None:
        self.items = conflicts.conflicts(self.ctx.reg)
        names = {p.sender: p.name for p in keys.peers(self.ctx.reg)}
        w.fill(self.list, [(table_label(c.table_name), c.record_text, c.version,
                            names.get(c.sender, c.sender), w.when(c.detected_at))
                           for c in self.items])
        if self.items:
            self.list.selectRow(0)
        self._show_detail()

    def current(self) -> Conflict | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _show_detail(self) -> None:
        c = self.current()
        can = c is not None and self.ctx.reg.actor.role in conflicts.DECIDE_ROLES
        self.keep_button.setEnabled(can)
        self.take_button.setEnabled(can and c is not None and c.kind == "version")
        if c is None:
            w.fill(self.detail, [])
            self.kind_note.setText(_("没有待处理的冲突。"))
            return
        w.fill(self.detail, [(column_label(col), _short(here), _short(inc))
                             for col, here, inc in c.differences()])
        self.kind_note.setText(
            _("导入的记录与本机另一条记录重复（{detail}），只能保留本机版本。").format(detail=c.detail)
            if c.kind == "duplicate" else _("两处内容都在上表中，请核实后选择。"))

    def _decide(self, choice: str) -> None:
        """The buttons: a decision replaces a record, so it is confirmed first."""
        c = self.current()
        if c is None:
            return
        text = (_("采用{sender}导入的版本，替换本机的“{record}”？") if choice == "incoming"
                else _("保留本机的“{record}”，放弃{sender}导入的版本？"))
        names = {p.sender: p.name for p in keys.peers(self.ctx.reg)}
        if w.confirm(self, _("处理冲突"), text.format(
                record=c.record_text, sender=names.get(c.sender, c.sender))):
            self.decide(choice)

    def decide(self, choice: str) -> None:
        c = self.current()
        if c is not None and self.ctx.run(self, conflicts.decide, self.ctx.reg, c.id, choice,
                                          topic="sync") is not None:
            self.refresh()


class HistoryPanel(QWidget):
    """Per sender: bundles received, sequence gaps, months without a bundle, late months."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.history: list[county.StationHistory] = []
        col = QVBoxLayout(self)
        col.addWidget(heading(_("数据包记录")))
        self.stations = w.table([_("单位"), _("区划代码"), _("已收数据包"), _("最近导入"),
                                 _("缺少的序号"), _("没有数据包的月份"), _("迟交的月份")])
        self.stations.currentCellChanged.connect(lambda *_a: self._show_bundles())
        col.addWidget(self.stations, 1)
        self.bundles = w.table([_("序号"), _("月份"), _("生成时间"), _("导入时间"), _("记录数"),
                                _("按时"), _("审计链"), _("文件")])
        col.addWidget(self.bundles, 1)

    def refresh(self) -> None:
        self.history = county.history(self.ctx.reg)
        w.fill(self.stations, [
            (h.name if h.active else _("{name}（已停用）").format(name=h.name), h.sender,
             len(h.bundles), w.when(h.last_imported_at), join_list(map(str, h.gaps)) or "-",
             join_list(h.missing_months) or "-", join_list(h.late_months) or "-")
            for h in self.history])
        if self.history:
            self.stations.selectRow(0)
        self._show_bundles()

    def _show_bundles(self) -> None:
        row = self.stations.currentRow()
        if not 0 <= row < len(self.history):
            w.fill(self.bundles, [])
            return
        w.fill(self.bundles, [
            (b.seq, b.period, w.when(b.created_at), w.when(b.imported_at), b.records,
             _("迟交") if b.late else _("按时"), _("已接上") if b.audit_joined else _("等待缺少的包"),
             b.file_name) for b in self.history[row].bundles])


class CrossTownshipPanel(QWidget):
    """People with the same citizen ID number registered by more than one township."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        col = QVBoxLayout(self)
        col.addWidget(heading(_("跨乡镇信访人")))
        col.addWidget(w.note(_("同一身份证号在两个以上乡镇登记过的信访人。身份证号按打印规则隐去中间部分。")))
        self.table = w.table([_("身份证号"), _("姓名"), _("乡镇数"), _("各乡镇登记情况")])
        col.addWidget(self.table, 1)

    def refresh(self) -> None:
        people = county.cross_township_petitioners(self.ctx.reg)
        w.fill(self.table, [
            (mask_id_number(p.id_number), join_list(p.names),
             len({a.station_code for a in p.appearances}),
             _("；").join(_("{station}：{name}，{n}件，最近{last}").format(
                 station=a.station_name, name=a.name, n=a.matters, last=a.last_received_on or "-")
                 for a in p.appearances))
            for p in people])
