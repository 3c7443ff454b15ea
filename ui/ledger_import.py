"""文件 → 导入旧台账: the old 台账 brought in, step by step (docs/domain.md §3.8).

1. 选择文件 — a path (typed, or chosen with 浏览…); Enter goes on.
2. 列对应 — the columns recognised by name are listed; every other column gets a combo (不导入 or
   a field), pre-set from what was chosen last time for the same columns.
3. 预览 — every row with its problems in plain words; "只看有问题的行" narrows the table.
4. 完成 — what was imported, and 保存未导入的行… to an .xlsx the clerk corrects and imports again.

Everything is reachable by keyboard (Alt+letter, Tab, Enter) and fits a 1366×768 screen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from printing.ledger_report import write_rejected
from storage import ledger
from storage.errors import PetitionDeskError, ValidationError
from storage.i18n import _
from ui.context import AppContext, show_error
from ui.screen import fit_on_screen
from ui.widgets import heading

PROBLEM_BG = QColor("#fde2e1")
ALREADY_FG = QColor("#777777")
FILE, MAPPING, PREVIEW, DONE = range(4)


def ask_open_path(parent: QWidget | None) -> Path | None:
    """Which ledger to open (replaced in tests)."""
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, _("选择旧台账"), str(Path.home()),
        _("台账 (*.xlsx *.xls *.csv);;所有文件 (*)"))
    return Path(chosen) if chosen else None


def ask_save_path(parent: QWidget | None, name: str) -> Path | None:
    """Where to save the rejected rows (replaced in tests)."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, _("保存未导入的行"), str(Path.home() / name), _("Excel 工作簿 (*.xlsx)"))
    return Path(chosen) if chosen else None


def available(ctx: AppContext) -> bool:
    """Only where matters are registered: a township (or liaison laptop), by a clerk or head."""
    return ctx.reg.mode != "county" and ctx.reg.actor.role in ("clerk", "head")


class LedgerImportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("导入旧台账"))
        self.table: ledger.Table | None = None
        self.preview: ledger.Preview | None = None
        self.outcome: ledger.Outcome | None = None
        self.combos: dict[str, QComboBox] = {}
        self.stack = QStackedWidget()
        self.stack.addWidget(self._file_step())
        self.stack.addWidget(self._mapping_step())
        self.stack.addWidget(self._preview_step())
        self.stack.addWidget(self._done_step())
        self.back = QPushButton(_("上一步(&B)"))
        self.next = QPushButton(_("下一步(&N)"))
        self.cancel = QPushButton(_("取消"))
        self.back.clicked.connect(self.go_back)
        self.next.clicked.connect(self.go_next)
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.back, self.next, self.cancel):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        self.next.setDefault(True)
        layout = QVBoxLayout(self)
        self.step_label = heading("")
        layout.addWidget(self.step_label)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        fit_on_screen(self, 1040, 660)
        self._show(FILE)

    # ----- steps -----------------------------------------------------------------------------
    def _file_step(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        intro = QLabel(_(
            "选择本站以前的信访台账（Excel .xlsx/.xls 或 .csv）。姓名、身份证号、联系电话、信访日期、"
            "信访形式、概况（反映问题）、诉求、内容分类、问题属地、编号等常用列名会自动识别。\n"
            "导入的事项按历史事项处理：保留原编号和日期，按已办结导入（台账写明“办理中”的除外），"
            "不计算办理期限，也不会显示为超期。"))
        intro.setWordWrap(True)
        box.addWidget(intro)
        row = QHBoxLayout()
        caption = QLabel(_("台账文件(&F)："))
        self.path = QLineEdit()
        self.path.setPlaceholderText(_("例如 D:\\台账\\2023年信访台账.xlsx"))
        caption.setBuddy(self.path)
        browse = QPushButton(_("浏览(&O)…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self.browse)
        row.addWidget(caption)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        box.addLayout(row)
        box.addStretch(1)
        return page

    def _mapping_step(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.recognised = QLabel()
        self.recognised.setWordWrap(True)
        box.addWidget(self.recognised)
        self.ask = QLabel()
        self.ask.setWordWrap(True)
        box.addWidget(self.ask)
        self.mapping_form = QFormLayout()
        holder = QWidget()
        holder.setLayout(self.mapping_form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        box.addWidget(scroll, 1)
        return page

    def _preview_step(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        box.addWidget(self.counts)
        self.only_problems = QCheckBox(_("只看有问题的行(&P)"))
        self.only_problems.toggled.connect(self._filter_rows)
        box.addWidget(self.only_problems)
        self.rows = QTableWidget(0, 5)
        self.rows.setHorizontalHeaderLabels(
            [_("行"), _("姓名"), _("信访日期"), _("概况"), _("检查结果")])
        self.rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows.verticalHeader().setVisible(False)
        header = self.rows.horizontalHeader()
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.rows.setWordWrap(True)
        box.addWidget(self.rows, 1)
        return page

    def _done_step(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.summary)
        self.save_rejected_button = QPushButton(_("保存未导入的行(&S)…"))
        self.save_rejected_button.setAutoDefault(False)
        self.save_rejected_button.clicked.connect(lambda: self.save_rejected())
        row = QHBoxLayout()
        row.addWidget(self.save_rejected_button)
        row.addStretch(1)
        box.addLayout(row)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        box.addWidget(self.saved)
        box.addStretch(1)
        return page

    # ----- moving between steps ---------------------------------------------------------------
    def _show(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        titles = {FILE: _("第一步：选择文件"), MAPPING: _("第二步：列对应"),
                  PREVIEW: _("第三步：检查每一行"), DONE: _("导入完成")}
        self.step_label.setText(titles[step])
        self.back.setEnabled(step in (MAPPING, PREVIEW))
        self.next.setVisible(step != DONE)
        good = len(self.preview.good) if self.preview else 0
        self.next.setText(_("导入{n}行(&I)").format(n=good) if step == PREVIEW
                          else _("下一步(&N)"))
        self.next.setEnabled(step != PREVIEW or good > 0)
        self.cancel.setText(_("关闭") if step == DONE else _("取消"))
        focus: QWidget = {FILE: self.path, PREVIEW: self.rows,
                          DONE: self.save_rejected_button}.get(step, self.next)
        if step == MAPPING and self.combos:
            focus = next(iter(self.combos.values()))
        if step == DONE and not self.save_rejected_button.isEnabled():
            focus = self.cancel
            self.cancel.setDefault(True)
        focus.setFocus()

    def go_back(self) -> None:
        self._show(max(FILE, self.stack.currentIndex() - 1))

    def go_next(self) -> None:
        step = self.stack.currentIndex()
        if step == FILE:
            self._read()
        elif step == MAPPING:
            self._check()
        elif step == PREVIEW:
            self._import()

    def browse(self) -> None:
        path = ask_open_path(self)
        if path is not None:
            self.path.setText(str(path))
            self.go_next()

    def _read(self) -> None:
        text = self.path.text().strip().strip('"')
        if not text:
            show_error(self, ValidationError(_("请先选择台账文件。"), "file"))
            return
        try:
            self.table = ledger.read_table(text)
        except PetitionDeskError as exc:
            show_error(self, exc)
            return
        self._fill_mapping(self.table)
        self._show(MAPPING)

    def _fill_mapping(self, table: ledger.Table) -> None:
        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        self.combos = {}
        fields = ledger.recognise(table.headers)
        known = [f"{h} → {ledger.field_label(f)}" for h, f in zip(table.headers, fields,
                                                                  strict=True) if f]
        self.recognised.setText(_("已自动识别的列：{columns}").format(
            columns="；".join(known) or _("（无）")))
        asked = [table.headers[i] for i in ledger.unrecognised(table.headers)]
        self.ask.setText(_("下面这些列没有认出来，请选择每一列对应的内容（不需要的选“不导入”）：")
                         if asked else _("所有的列都已认出，请按“下一步”检查每一行。"))
        before = ledger.remembered(self.ctx.reg, table.headers) or {}
        for header in asked:
            combo = QComboBox()
            combo.addItem(_("不导入"), ledger.IGNORE)
            for f in ledger.FIELDS:
                combo.addItem(ledger.field_label(f.key), f.key)
            chosen = combo.findData(before.get(header, ledger.IGNORE))
            combo.setCurrentIndex(max(0, chosen))
            caption = QLabel(header)
            caption.setBuddy(combo)
            self.mapping_form.addRow(caption, combo)
            self.combos[header] = combo

    def choices(self) -> dict[str, str]:
        return {h: str(c.currentData()) for h, c in self.combos.items()}

    def _check(self) -> None:
        assert self.table is not None
        try:
            mapping = ledger.resolve(self.table.headers, self.choices())
            self.preview = ledger.preview(self.ctx.reg, self.table, mapping)
        except PetitionDeskError as exc:
            show_error(self, exc)
            return
        self._fill_preview(self.preview)
        self._show(PREVIEW)

    def _fill_preview(self, preview: ledger.Preview) -> None:
        lines = [_("共{rows}行：可导入{good}行，已导入过{already}行（不再导入），"
                   "有问题{bad}行（不导入，可在完成后保存下来改正）。").format(
            rows=len(preview.rows), good=len(preview.good), already=len(preview.already),
            bad=len(preview.bad)), *preview.notes]
        self.counts.setText("\n".join(lines))
        self.rows.setRowCount(len(preview.rows))
        for r, row in enumerate(preview.rows):
            state = "；".join(row.problems) if row.problems else (
                _("已导入过") if row.already else _("可导入"))
            for c, text in enumerate((str(row.line), row.name, row.received_on, row.summary,
                                      state)):
                item = QTableWidgetItem(text)
                if row.problems:
                    item.setBackground(PROBLEM_BG)
                elif row.already:
                    item.setForeground(ALREADY_FG)
                if c == 4:
                    item.setToolTip(text)
                self.rows.setItem(r, c, item)
        self.rows.resizeColumnToContents(0)
        self.rows.setColumnWidth(1, 90)
        self.rows.setColumnWidth(2, 100)
        self.rows.setColumnWidth(3, 300)
        self.rows.resizeRowsToContents()  # a long problem wraps instead of being cut off
        self._filter_rows(self.only_problems.isChecked())

    def _filter_rows(self, only: bool) -> None:
        if self.preview is None:
            return
        for r, row in enumerate(self.preview.rows):
            self.rows.setRowHidden(r, only and not row.problems)

    def _import(self) -> None:
        assert self.preview is not None and self.table is not None
        preview = self.preview
        outcome = self.ctx.run(self, ledger.import_rows, self.ctx.reg, preview,
                               topic="matters")
        if outcome is None:
            return
        self.outcome = outcome
        if self.combos:
            ledger.remember(self.ctx.reg, self.table.headers, self.choices())
        text = _("已导入{n}行；{already}行以前已导入过；{bad}行有问题没有导入。").format(
            n=outcome.imported, already=outcome.already, bad=len(outcome.rejected))
        if outcome.rejected:
            text += "\n" + _("请按“保存未导入的行”存成Excel，改正“问题”列所说的地方后，再导入那个文件。")
        self.summary.setText(text)
        self.save_rejected_button.setEnabled(bool(outcome.rejected))
        self._show(DONE)

    def save_rejected(self, path: Path | None = None) -> Path | None:
        assert self.preview is not None
        stem = Path(self.preview.table.file_name).stem
        target = path or ask_save_path(self, _("{name}-未导入.xlsx").format(name=stem))
        if target is None:
            return None
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        try:
            write_rejected(target, self.preview)
        except OSError as exc:
            show_error(self, ValidationError(_("无法保存 {path}：{reason}").format(
                path=target, reason=exc.strerror or exc)))
            return None
        self.saved.setText(_("已保存到：{path}").format(path=target))
        return target
