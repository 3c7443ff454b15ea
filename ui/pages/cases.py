"""The case list: search as one types (names, ID numbers, phones, summaries, case numbers),
filters by status, category, village, date and deadline (at the county first by township:
every township's matters, read only, with the full case number and a 乡镇 column), due and
overdue matters in colour.
The model fetches a page of rows at a time as the list scrolls, in the order of the column
clicked (编号, 信访日期 or 期限), so a million matters stay quick."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from storage import codes, petitions, station
from storage.deadlines import Urgency, days_left, urgency
from storage.i18n import N_, _, pgettext
from storage.masking import mask_id_number
from storage.register import Register
from storage.sync import county
from ui.context import AppContext
from ui.county_filter import StationFilter
from ui.pages.page import Page
from ui.shortcuts import shortcut
from ui.widgets import DUE_SOON_BG, OVERDUE_BG, to_date

Index = QModelIndex | QPersistentModelIndex
PAGE = 200

STATUS_GROUPS = [
    ("", ()),
    (N_("待受理"), ("registered",)),
    (N_("办理中"), ("accepted", "forwarded", "handling")),
    (N_("已答复"), ("replied",)),
    (N_("复查复核"), ("review", "reviewed", "rereview", "rereviewed")),
    (N_("已办结"), ("closed",)),
    (N_("不予/不再受理"), ("not_accepted", "not_reaccepted")),
]
DUE_CHOICES = [("", N_("全部期限")), ("week", N_("7日内到期")), ("overdue", N_("已逾期")),
               ("open", N_("有期限的"))]


class CaseTableModel(QAbstractTableModel):
    """The matching matters a page at a time: the first page when the search changes, the next
    when the view scrolls near the end (``canFetchMore``/``fetchMore``), each read from an index
    in the sort order (``petitions.page_ids``, keyset pagination), so a million matters list as
    quickly as a hundred."""

    COLUMNS = (N_("编号"), N_("信访人"), N_("身份证号"), N_("形式"), N_("信访日期"),
               N_("内容分类"), N_("概况"), N_("状态"), N_("期限"), N_("初/重"))
    #: columns the list sorts by (without the county's 乡镇 column) → ``petitions.SORT_KEYS``
    SORTABLE = {0: "number", 4: "received", 8: "due"}

    def __init__(self, reg: Register) -> None:
        super().__init__()
        self.reg = reg
        self.rows: list[dict[str, Any]] = []
        self.text = ""
        self.filters = petitions.Filters()
        self.order: petitions.Order | None = None  # None: the filters' default order
        self._after: tuple[Any, ...] | None = None
        self.today = date.today()
        # At the county: every township's matters, a first column with the station's short name.
        self.county = reg.mode == "county"
        self.offset = 1 if self.county else 0
        self.station_names: dict[str, str] = {}
        # A fixed list of matters (a figure's records, set_ids) instead of a search; it is
        # fetched a page at a time too, from this position.
        self._fixed: list[str] | None = None
        self._fixed_at = 0

    @property
    def ids(self) -> list[str]:
        """The ids of the rows fetched so far."""
        return [r["id"] for r in self.rows]

    def load(self, text: str, filters: petitions.Filters) -> None:
        """Start over with a new search: the first page only."""
        self.beginResetModel()
        self.text, self.filters = text, filters
        self._fixed = None
        self._start()
        self.endResetModel()

    def set_ids(self, ids: list[str]) -> None:
        """Show exactly these matters in this order (the records behind a figure)."""
        self.beginResetModel()
        self._fixed, self._fixed_at = list(ids), 0
        self._start()
        self.endResetModel()

    def _start(self) -> None:
        self.today = self.reg.clock().date()
        if self.county:
            self.station_names = county.short_names(self.reg)
        self._after = None
        self.rows = self._fetch()

    def _fetch(self) -> list[dict[str, Any]]:
        if self._fixed is not None:
            chunk = self._fixed[self._fixed_at:self._fixed_at + PAGE]
            self._fixed_at += len(chunk)
            self._after = (self._fixed_at,) if self._fixed_at < len(self._fixed) else None
            return petitions.list_rows(self.reg, chunk)
        page = petitions.page_ids(self.reg, self.text, self.filters, self.order,
                                  after=self._after, limit=PAGE)
        self._after = page.after
        return petitions.list_rows(self.reg, page.ids)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008 - Qt
        return not parent.isValid() and self._after is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008 - Qt
        if parent.isValid() or self._after is None:
            return
        more = self._fetch()
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows.extend(more)
            self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.SORTABLE.get(column - self.offset)
        if key is None or self._fixed is not None:  # a figure's list keeps its own order
            return
        self.order = petitions.Order(key, order == Qt.SortOrder.DescendingOrder)
        self.load(self.text, self.filters)

    def sort_column(self) -> int:
        """The column the list is sorted by now, for the header's indicator."""
        key = (self.order or petitions.default_order(self.filters)).key
        return next(c for c, k in self.SORTABLE.items() if k == key) + self.offset

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt
        return 0 if parent.isValid() else len(self.COLUMNS) + self.offset

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if section < self.offset:
                return pgettext("列名", "乡镇")
            return _(self.COLUMNS[section - self.offset])
        return None

    def row(self, index: int) -> dict[str, Any]:
        return self.rows[index]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.row(index.row())
        if role == Qt.ItemDataRole.UserRole:
            return r["id"]
        due = date.fromisoformat(r["due_date"]) if r["due_date"] else None
        if role == Qt.ItemDataRole.BackgroundRole and due is not None:
            level = urgency(due, self.today)
            if level is Urgency.OVERDUE:
                return QBrush(OVERDUE_BG)
            if level is Urgency.DUE_SOON:
                return QBrush(DUE_SOON_BG)
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        col = index.column() - self.offset
        if col < 0:
            return self.station_names.get(r["station_code"], r["station_code"])
        if col == 8:
            if due is None:
                return ""
            left = days_left(due, self.today)
            return _("{due}（{left}）").format(
                due=due.isoformat(), left=_("逾期{n}天").format(n=-left) if left < 0
                else _("剩{n}天").format(n=left))
        # The 12-digit prefix is the station's own: show year-sequence. At the county the 乡镇
        # column (first) tells the townships apart (issue 15: the full number was cut there).
        number = r["number"].removeprefix(str(r["station_code"]) + "-")
        values = (number, r["petitioner"],
                  mask_id_number(r["id_number"]) if r["id_number"] else "",
                  codes.form_label(r["form"]),
                  r["received_on"], "/".join(x for x in (r["category1"], r["category2"]) if x),
                  r["summary"], petitions.status_label(r["status"]), "",
                  petitions.value_label(r["repeat_kind"] or ""))
        return values[col]


class CasesPage(Page):
    TITLE = N_("信访件")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        reg = ctx.reg
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.query = QLineEdit()
        self.query.setPlaceholderText(_("输入姓名、身份证号、电话、编号或问题关键词（空格分隔多个词）"))
        self.query.setClearButtonEnabled(True)
        find = QLabel(_("查找(&S)"))
        find.setBuddy(self.query)
        top.addWidget(find)
        top.addWidget(self.query, 1)
        layout.addLayout(top)

        filters = QHBoxLayout()
        self.status = QComboBox()
        for label, _statuses in STATUS_GROUPS:
            self.status.addItem(_(label) if label else _("全部状态"))
        self.category = QComboBox()
        self.category.addItem(_("全部分类"), "")
        for first in codes.categories(reg):
            self.category.addItem(first, first)
        # At the county: 乡镇 first; the village list follows the township chosen.
        self.station_filter: StationFilter | None = None
        if reg.mode == "county":
            self.station_filter = StationFilter(reg)
            # beside the search: in the filter row it made the page wider than a laptop
            top.addWidget(self.station_filter)
        self.village = QComboBox()
        self._fill_villages()
        self.due = QComboBox()
        for key, label in DUE_CHOICES:
            self.due.addItem(_(label), key)
        self.use_dates = QCheckBox(_("信访日期(&D)"))
        self.date_from = QDateEdit(ctx.today().addMonths(-1))
        self.date_to = QDateEdit(ctx.today())
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setEnabled(False)
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)
        for w in (self.status, self.category, self.village, self.due, self.use_dates,
                  self.date_from, QLabel("—"), self.date_to):
            filters.addWidget(w)
        filters.addStretch(1)
        layout.addLayout(filters)

        self.model = CaseTableModel(reg)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        shift = self.model.offset  # the county's 乡镇 column comes first
        header.setSectionResizeMode(6 + shift, QHeaderView.ResizeMode.Stretch)
        # Each column as wide as what it shows (a header, a sample of its widest value); 概况
        # takes the rest (issue 15: 编号 wasted 100 px while 概况 showed "反映南塘…").
        for col, cap in ((0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 130), (7, 0), (8, 0),
                         (9, 0)):
            width = self._text_width([_(CaseTableModel.COLUMNS[col]),
                                      *self._column_samples(col)])
            self.table.setColumnWidth(col + shift, min(width, cap) if cap else width)
        if shift:  # the 乡镇 column shows short names
            self.table.setColumnWidth(0, max(50, self._text_width(
                [_("乡镇"), *county.short_names(reg).values()])))
        self.table.setSortingEnabled(False)  # the model sorts itself, by the columns it can
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.sectionClicked.connect(self._sort_by)
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.count = QLabel()
        legend = QLabel(_("红色：已逾期　黄色：7日内到期　Enter 打开选中的信访件"))
        bottom.addWidget(self.count)
        bottom.addStretch(1)
        bottom.addWidget(legend)
        layout.addLayout(bottom)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.refresh)
        self.query.textChanged.connect(lambda _t: self._timer.start())
        for combo in (self.status, self.category, self.village, self.due):
            combo.currentIndexChanged.connect(lambda _i: self._timer.start())
        if self.station_filter is not None:
            self.station_filter.changed.connect(self._station_changed)
        self.use_dates.toggled.connect(lambda _b: self._timer.start())
        self.date_from.dateChanged.connect(lambda _d: self._timer.start())
        self.date_to.dateChanged.connect(lambda _d: self._timer.start())
        self.query.returnPressed.connect(self._enter_from_query)
        for key in ("Return", "Enter"):
            shortcut(self.table, key, self.open_current, context=Qt.ShortcutContext.WidgetShortcut)
        self.refresh()

    def filters(self) -> petitions.Filters:
        return petitions.Filters(
            statuses=STATUS_GROUPS[self.status.currentIndex()][1],
            category1=self.category.currentData() or "",
            village_id=self.village.currentData() or "",
            due=self.due.currentData() or "",
            received_from=to_date(self.date_from.date()) if self.use_dates.isChecked() else None,
            received_to=to_date(self.date_to.date()) if self.use_dates.isChecked() else None,
            station_code=self.station_filter.code() if self.station_filter is not None else "")

    def _fill_villages(self) -> None:
        """Villages of this station; at the county those of the township chosen (every
        township's, each with its short name, when none is)."""
        reg = self.ctx.reg
        self.village.blockSignals(True)
        self.village.clear()
        self.village.addItem(_("全部村（社区）"), "")
        if self.station_filter is None:
            for v in station.villages(reg):
                self.village.addItem(v.name, v.id)
        else:
            chosen = self.station_filter.code()
            names = county.short_names(reg)
            for code in [chosen] if chosen else [c for c, _n in county.station_choices(reg)]:
                for v in station.villages(reg, code):
                    self.village.addItem(v.name if chosen else f"{names.get(code, code)}·{v.name}",
                                         v.id)
        self.village.blockSignals(False)

    def _station_changed(self, _code: str = "") -> None:
        self._fill_villages()  # back to 全部村（社区）: a village of another township finds nothing
        self._timer.start()

    def _text_width(self, texts: list[str]) -> int:
        """Pixels for the widest of ``texts`` in a cell or header (the English words are
        longer than the Chinese the default widths were chosen for)."""
        metrics = self.table.fontMetrics()
        return max(metrics.horizontalAdvance(t) for t in texts) + 20

    def _column_samples(self, col: int) -> list[str]:
        if col == 0:  # year-sequence, as shown
            return ["2026-00000"]
        if col == 1:
            return ["欧阳某某"]
        if col == 4:
            return ["2026-12-31"]
        if col == 2:
            return [mask_id_number("11010519491231002X")]
        if col == 3:
            return [codes.form_label(f) for f in codes.labels(self.ctx.reg, "form")]
        if col == 7:
            return [petitions.status_label(s) for s in petitions.STATUS_LABELS]
        if col == 8:
            return [_("{due}（{left}）").format(due="2026-12-31",
                                              left=_("逾期{n}天").format(n=99))]
        if col == 9:
            return [petitions.value_label(k) for k in petitions.REPEAT_KINDS]
        return []

    def refresh(self) -> None:
        if self.station_filter is not None:
            self.station_filter.fill()  # an import may have brought a new township
        text, filters = self.query.text(), self.filters()
        self.model.load(text, filters)
        self._show_sort()
        # the whole list (nothing typed or chosen) is counted exactly at any size; a search
        # up to COUNT_CAP (issue 17: a million matters said "超过 1000 件")
        total = petitions.total(self.ctx.reg, text, filters)
        n = total if total is not None else petitions.count(self.ctx.reg, text, filters)
        self.count.setText(_("共 {n} 件").format(n=f"{n:,}") if total is not None
                           or n <= petitions.COUNT_CAP
                           else _("超过 {n} 件").format(n=f"{petitions.COUNT_CAP:,}"))
        if self.model.rows:
            self.table.selectRow(0)

    def _sort_by(self, column: int) -> None:
        """A click on 编号, 信访日期 or 期限 sorts by it; a second click turns the order round."""
        if column - self.model.offset not in CaseTableModel.SORTABLE:
            self._show_sort()
            return
        header = self.table.horizontalHeader()
        current = self.model.order or petitions.default_order(self.model.filters)
        descending = (not current.descending if column == self.model.sort_column()
                      else CaseTableModel.SORTABLE[column - self.model.offset] != "due")
        self.model.sort(column, Qt.SortOrder.DescendingOrder if descending
                        else Qt.SortOrder.AscendingOrder)
        header.setSortIndicator(column, Qt.SortOrder.DescendingOrder if descending
                                else Qt.SortOrder.AscendingOrder)
        if self.model.rows:
            self.table.selectRow(0)

    def _show_sort(self) -> None:
        order = self.model.order or petitions.default_order(self.model.filters)
        self.table.horizontalHeader().setSortIndicator(
            self.model.sort_column(), Qt.SortOrder.DescendingOrder if order.descending
            else Qt.SortOrder.AscendingOrder)

    def _enter_from_query(self) -> None:
        self._timer.stop()
        self.refresh()
        self.table.setFocus()

    def open_current(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        matter_id = self.model.data(index, Qt.ItemDataRole.UserRole)
        from ui.case_detail import CaseDetailDialog

        dialog = CaseDetailDialog(self.ctx, matter_id, self)
        dialog.exec()
        self.refresh()

    def focus_first(self) -> None:
        self.query.setFocus()
        self.query.selectAll()
