"""County views from the keyboard: a reviewer picks a township in the 乡镇 filter (Alt+Z, arrow
keys) and the case list, the mediation list and the screening views show that township's records
only; nothing can be written at the county."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QComboBox, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from storage import screening as sc
from tests.helpers.county import HUAYUAN, SHIQIAO, County, copy_of
from tests.helpers.keyboard import focused, show_active
from tests.helpers.registers import FakeClock
from ui.context import AppContext
from ui.pages.cases import CasesPage
from ui.pages.mediation import MediationPage
from ui.pages.screening import ScreeningPage

ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def cty(clock: FakeClock, two_townships: County) -> Iterator[County]:
    c = copy_of(two_townships, clock)
    yield c
    for widget in QApplication.topLevelWidgets():
        widget.close()
    QApplication.processEvents()
    for reg in (c.county, *c.townships.values()):
        reg.close()


@pytest.fixture
def cctx(qtbot: QtBot, cty: County) -> AppContext:  # noqa: ARG001 - qtbot starts the QApplication
    return AppContext(cty.county, None)


def show(qtbot: QtBot, page: QWidget) -> None:
    show_active(qtbot, page, (1400, 800))



def pick_township(qtbot: QtBot, combo: QComboBox, name: str) -> None:
    """Alt+Z to the 乡镇 filter, then arrow keys until ``name`` is chosen."""
    qtbot.keyClick(focused(), Qt.Key.Key_Z, ALT)
    assert focused() is combo
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _i in range(combo.count()):
        if combo.currentText() == name:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == name


def column(table: QTableWidget, col: int) -> list[str]:
    out = []
    for r in range(table.rowCount()):
        item = table.item(r, col)
        out.append(item.text() if item is not None else "")
    return out


def test_case_list_filters_by_township(qtbot: QtBot, cctx: AppContext) -> None:
    page = CasesPage(cctx)
    show(qtbot, page)
    model = page.model
    assert page.station_filter is not None
    combo = page.station_filter.combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "全部乡镇", "花园镇信访工作站", "石桥镇信访工作站"]
    assert model.headerData(0, Qt.Orientation.Horizontal) == "乡镇"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "编号"
    assert model.rowCount() == 3

    page.query.setFocus()
    pick_township(qtbot, combo, "花园镇信访工作站")
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    cells = [[model.data(model.index(r, c)) for c in (0, 1)] for r in range(2)]
    # the township's short name in its own column; the number without the station's code
    assert sorted(cells) == [["花园", "2026-00001"], ["花园", "2026-00002"]]
    villages = [page.village.itemText(i) for i in range(page.village.count())]
    assert villages == ["全部村（社区）", "第1村", "第2村"]

    # the village filter narrows within the township
    page.village.setCurrentIndex(2)
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.data(model.index(0, 7)) == "花园镇拆迁补偿诉求"

    pick_township(qtbot, combo, "石桥镇信访工作站")
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.data(model.index(0, 0)) == "石桥")
    assert model.data(model.index(0, 1)) == "2026-00001"
    assert [page.village.itemText(i) for i in range(page.village.count())] == [
        "全部村（社区）", "第1村"]
    assert page.filters().station_code == SHIQIAO

    pick_township(qtbot, combo, "全部乡镇")
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    assert [page.village.itemText(i) for i in range(page.village.count())] == [
        "全部村（社区）", "花园·第1村", "花园·第2村", "石桥·第1村"]

    # a matter opened at the county is read only: no workflow step is offered
    from ui.case_detail import CaseDetailDialog

    dialog = CaseDetailDialog(cctx, model.data(model.index(0, 0), Qt.ItemDataRole.UserRole))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.step_buttons == {}


def test_mediation_list_filters_by_township_and_offers_no_step(qtbot: QtBot,
                                                               cctx: AppContext) -> None:
    page = MediationPage(cctx)
    show(qtbot, page)
    assert page.station_filter is not None
    header = page.table.horizontalHeaderItem(0)
    assert header is not None and header.text() == "乡镇"
    assert sorted(column(page.table, 0)) == ["石桥", "花园", "花园"]

    page.search.setFocus()
    pick_township(qtbot, page.station_filter.combo, "石桥镇信访工作站")
    assert column(page.table, 0) == ["石桥"]
    assert column(page.table, 1) == ["（2026）第1号"]  # the 乡镇 column names the station
    item = page.table.item(0, 1)
    assert item is not None and item.toolTip() == "（2026）石桥人调字第1号"
    assert column(page.table, 2) == ["石桥甲债务纠纷"]
    assert page.count.text() == "共1件"

    pick_township(qtbot, page.station_filter.combo, "花园镇信访工作站")
    assert sorted(column(page.table, 2)) == ["花园乙宅基地纠纷", "花园甲相邻通行纠纷"]
    assert set(column(page.table, 0)) == {"花园"}

    # read only: the case is shown, but no step, no new case
    assert page.detail.file is not None
    assert not any(b.isVisible() for b in page.detail.buttons.values())
    for b in (page.new_button, page.matter_button, page.dispute_button):
        assert not b.isVisible() and not b.isEnabled()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.dialog is None


def test_screening_shows_the_chosen_township_read_only(qtbot: QtBot, cctx: AppContext,
                                                       cty: County) -> None:
    page = ScreeningPage(cctx)
    show(qtbot, page)
    page.refresh()
    page.focus_first()
    assert page.entry is None  # nobody enters reports at the county
    assert page.summary is not None and page.station_filter is not None
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert titles == ["各乡镇汇总(&1)", "完成情况(&2)", "纠纷台帐(&3)", "月度排查表(&4)"]

    # the summary: both townships, this month
    summary = page.summary
    summary.month.setCurrentIndex(0)  # 2026年3月
    assert column(summary.table, 0) == ["花园镇信访工作站", "石桥镇信访工作站"]
    assert column(summary.table, 1) == ["4", "2"]  # grids
    assert column(summary.table, 3) == ["1", "1"]  # reports with disputes
    assert column(summary.table, 4) == ["1", "0"]  # zero reports
    assert column(summary.table, 10) == ["1", "1"]  # disputes open

    # Enter on 石桥镇 opens its completeness matrix
    summary.table.setFocus()
    summary.table.selectRow(1)
    qtbot.keyClick(summary.table, Qt.Key.Key_Return)
    assert page.tabs.currentWidget() is page.matrix
    assert page.station_filter.code() == SHIQIAO
    assert column(page.matrix.table, 0) == ["第1村 一组", "第1村 二组"]

    # picking 花园镇 by keyboard: matrix, ledger and sheet are 花园镇's
    pick_township(qtbot, page.station_filter.combo, "花园镇信访工作站")
    assert page.tabs.currentWidget() is page.matrix
    assert column(page.matrix.table, 0) == ["第1村 一组", "第1村 二组", "第2村 一组",
                                            "第2村 二组"]
    page.tabs.setCurrentWidget(page.disputes)
    assert [r["summary"] for r in page.disputes.rows] == ["花园一组滴水檐争执"]
    assert [page.disputes.village.itemText(i) for i in range(page.disputes.village.count())] == [
        "全部村（社区）", "第1村", "第2村"]
    # no write: progress, escalation to mediation or to a matter are all disabled
    for b in (page.disputes.update_btn, page.disputes.mediation_btn, page.disputes.matter_btn):
        assert not b.isEnabled()
    qtbot.keyClick(page.disputes.table, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.activeModalWidget() is None

    assert page.month is not None
    page.tabs.setCurrentWidget(page.month)
    page.month.month.setCurrentIndex(0)
    assert "花园一组滴水檐争执" not in page.month.summary.text()  # the sheet's figures only
    assert "纠纷1件" in page.month.summary.text()
    assert not page.month.issue_btn.isVisible()
    assert not page.month.reopen_btn.isVisible() and not page.month.reason.isVisible()

    pick_township(qtbot, page.station_filter.combo, "石桥镇信访工作站")
    page.tabs.setCurrentWidget(page.disputes)
    assert [r["summary"] for r in page.disputes.rows] == ["石桥一组界址争执"]

    # and nothing was written to the county register
    c = cty.county
    assert c.scalar("SELECT count(*) FROM month_locks") == 0
    assert c.scalar("SELECT count(*) FROM dispute_updates") == 0
    assert c.scalar("SELECT count(*) FROM screening_reports") == 3
    assert len(sc.list_disputes(c)) == 0  # the county's own station holds none


def test_county_filter_and_columns_in_english(qtbot: QtBot, cctx: AppContext) -> None:
    from storage.i18n import DEFAULT_LANGUAGE, set_language

    set_language("en")
    try:
        cases = CasesPage(cctx)
        mediation = MediationPage(cctx)
        screening = ScreeningPage(cctx)
        for page in (cases, mediation, screening):
            qtbot.addWidget(page)
        assert cases.station_filter is not None and mediation.station_filter is not None
        assert cases.station_filter.label.text() == "&Township"
        assert cases.station_filter.combo.itemText(0) == "All townships"
        assert cases.model.headerData(0, Qt.Orientation.Horizontal) == "Township"
        header = mediation.table.horizontalHeaderItem(0)
        assert header is not None and header.text() == "Township"
        assert [screening.tabs.tabText(i) for i in range(screening.tabs.count())] == [
            "&1 All townships", "&2 Completion", "&3 Dispute register", "&4 Monthly sheet"]
        assert screening.summary is not None
        screening.summary.refresh()
        table = screening.summary.table
        headers = []
        for c in range(table.columnCount()):
            item = table.horizontalHeaderItem(c)
            assert item is not None
            headers.append(item.text())
        assert headers[0] == "Township" and "Resolved this month" in headers
        cjk = re.compile(r"[\u3400-\u9fff]")
        assert not [h for h in headers if cjk.search(h)]
        assert not cjk.search(table.item(0, 13).text())  # 未出具 -> "Not issued"
    finally:
        set_language(DEFAULT_LANGUAGE)


def test_the_county_window_offers_no_registration(qtbot: QtBot, cctx: AppContext) -> None:
    from PySide6.QtWidgets import QPushButton

    from ui.main_window import MainWindow

    window = MainWindow(cctx)
    qtbot.addWidget(window)
    assert "registration" not in window.pages and "cases" in window.pages
    f2 = [a for a in window.findChildren(QAction) if a.shortcut().toString() == "F2"]
    assert len(f2) == 1 and not f2[0].isEnabled()
    home = window.pages["home"]
    new = [b for b in home.findChildren(QPushButton) if "F2" in b.text()]
    assert len(new) == 1 and new[0].isHidden()


def test_the_county_reports_page_shows_the_chosen_townships_month(
        qtbot: QtBot, cctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """It printed the county's own area code's figures: all zero, under the county's name."""
    from PySide6.QtCore import QDate

    from ui import print_preview
    from ui.pages.reports import ReportsPage

    page = ReportsPage(cctx)
    show(qtbot, page)
    page.month.setDate(QDate(2026, 3, 1))
    assert page.station_filter is not None
    page.month.setFocus()
    pick_township(qtbot, page.station_filter.combo, "花园镇信访工作站")
    assert column(page.table, 2)[0] == "2件次"
    pick_township(qtbot, page.station_filter.combo, "石桥镇信访工作站")
    assert column(page.table, 2)[0] == "1件次"
    built: list[tuple[str, str, str]] = []
    real = print_preview.build_document

    def spy(reg, kind, ref, **kw):  # type: ignore[no-untyped-def]
        built.append((reg.station_code, kind, ref))
        return real(reg, kind, ref, **kw)

    monkeypatch.setattr(print_preview, "build_document", spy)
    dialog = page.run("monthly-report", "preview")
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert built == [(SHIQIAO, "monthly-report", "2026-03")]
    assert "石桥镇" in "".join(p.extract_text() for p in _pdf_pages(dialog.document.data))


def _pdf_pages(data: bytes):  # type: ignore[no-untyped-def]
    import io

    import pypdf

    return pypdf.PdfReader(io.BytesIO(data)).pages


def test_a_conflict_reads_plainly_and_is_decided_after_confirming(
        qtbot: QtBot, cctx: AppContext, cty: County, monkeypatch: pytest.MonkeyPatch) -> None:
    from storage.sync import conflicts, merge
    from storage.sync.payload import TableRows
    from tests.helpers.sync import as_head
    from ui.pages.sync import SyncPage
    from ui.sync import widgets as sync_widgets

    reg = cty.county
    cur = reg.conn.execute("SELECT * FROM petitioners WHERE station_code = ? LIMIT 1",
                           (HUAYUAN,))
    columns = [d[0] for d in cur.description]
    row = list(cur.fetchone())
    row[columns.index("phone")] = "13700000000"  # same id and version, other content
    with reg.transaction():
        merge.merge_table(merge.MergeContext(reg, HUAYUAN, "h"),
                          TableRows("petitioners", columns, [row]))
    [c] = conflicts.conflicts(reg)
    as_head(reg)  # the county reviewer signed in
    page = SyncPage(cctx)
    show(qtbot, page)
    panel = page.conflicts_panel
    assert panel is not None
    page.show_tab(panel)
    panel.refresh()
    listed = [w.text() for w in (panel.list.item(0, i) for i in range(5))]
    assert listed[1] == c.record_text != c.record_id  # the person's name, not an id
    assert listed[3] == "花园镇信访工作站" and "T" not in listed[4]
    assert column(panel.detail, 0) == ["联系电话"]
    answers: list[bool] = []
    monkeypatch.setattr(sync_widgets, "confirm", lambda *_a: answers.pop(0))
    assert panel.take_button.isEnabled()
    panel.list.setFocus()
    qtbot.waitUntil(panel.list.hasFocus)
    answers.append(False)
    qtbot.keyClick(focused(), Qt.Key.Key_N, ALT)  # a mnemonic clicks after a short animation
    qtbot.waitUntil(lambda: answers == [])
    assert conflicts.conflicts(reg) != []  # asked; declined: nothing decided
    answers.append(True)
    qtbot.keyClick(focused(), Qt.Key.Key_N, ALT)
    qtbot.waitUntil(lambda: answers == [])
    assert conflicts.conflicts(reg) == []
    assert reg.scalar("SELECT phone FROM petitioners WHERE id = ?", (c.record_id,)) == \
        "13700000000"


def test_the_county_home_page_shows_every_townships_alerts(
        qtbot: QtBot, cctx: AppContext, cty: County, tmp_path: Path) -> None:
    """A red dispute found in 花园镇 reaches the county's home page, marked with the township
    (the list read the county's own area code, which has no disputes: it stayed empty)."""
    from datetime import date

    from storage import station
    from tests.helpers.county import dispute
    from tests.helpers.sync import export_to, import_files, unlock
    from ui.pages.home import HomePage

    town = cty.townships[HUAYUAN]
    red = dispute("花园二组宅基地械斗苗头")
    red.risk_level, red.responsible_person = "红", "王副镇长"
    red.deadline = date(2026, 3, 20)
    red.parties = [sc.PartyInput("孙三"), sc.PartyInput("周四")]
    sc.add_dispute(town, station.grids(town)[1].id, None, red)
    import_files(cty.county, [export_to(town, "2026-03", tmp_path, tmp_path / "o")],
                 unlock(cty.county))
    page = HomePage(cctx)
    show(qtbot, page)
    page.refresh()
    lines = [page.alert_list.item(i).text() for i in range(page.alert_list.count())]
    assert any(line.startswith("【花园】") and "孙三与周四" in line for line in lines), lines
