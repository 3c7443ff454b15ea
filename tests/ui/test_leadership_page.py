"""The 包案督办 page by keyboard: a 交办 issued on the county's screen travels on a stick to the
township, is received, registered and answered there, and the answer travels back and shows on
the county's screen; a township keeps its leaders, a 包案 and its 积案 the same way."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from storage import accounts, leadership
from storage.register import Register
from tests.helpers import register_data as rd
from tests.helpers.keyboard import focused, show_active, type_text
from tests.helpers.leadership import TOWN_PASS, pair
from tests.helpers.registers import FakeClock
from tests.helpers.sync import COUNTY_PASS
from ui.context import AppContext
from ui.pages.leadership import LeadershipPage
from ui.pages.leadership_forms import Form
from ui.pages.sync import SyncPage
from ui.sync.widgets import cell

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def alt(qtbot: QtBot, key: Qt.Key) -> None:
    """Alt+letter as a person presses it: delivered to whatever has the focus."""
    qtbot.keyClick(focused(), key, ALT)


def activate(qtbot: QtBot, window: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def the_form(qtbot: QtBot) -> Form:
    """The form that just opened, once it has the keyboard."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), Form))
    form = QApplication.activeModalWidget()
    assert isinstance(form, Form)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and form.isAncestorOf(QApplication.focusWidget()))
    return form


def fill(qtbot: QtBot, entries: list[tuple[Qt.Key, str]]) -> None:
    """Alt+letter to a field, then type into it (what is there is replaced)."""
    for key, text in entries:
        alt(qtbot, key)
        qtbot.keyClick(focused(), Qt.Key.Key_A, CTRL)
        type_text(qtbot, focused(), text)


def save(qtbot: QtBot, form: Form) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not form.isVisible())


def test_a_jiaoban_goes_down_is_answered_and_comes_back(
        qtbot: QtBot, clock: FakeClock, tmp_path: Path, errors: list[str]) -> None:
    world = pair(clock, tmp_path)
    county = AppContext(world.county, tmp_path / "county")
    town = AppContext(world.town, tmp_path / "town")
    down_stick, up_stick = tmp_path / "stick-down", tmp_path / "stick-up"
    down_stick.mkdir()
    up_stick.mkdir()

    # the county's screen: Alt+J opens the 交办 form; every field by its Alt key
    cpage = LeadershipPage(county)
    show_active(qtbot, cpage, (1366, 768))
    cpage.refresh()
    cpage.focus_first()
    tab = cpage.county_tab
    assert tab is not None
    alt(qtbot, Qt.Key.Key_J)
    form = the_form(qtbot)
    assert form.fields["to_station"].hasFocus()  # the township comes first
    fill(qtbot, [(Qt.Key.Key_N, "赵大勇"), (Qt.Key.Key_P, "13912345678"),
                 (Qt.Key.Key_A, "第1村3组"), (Qt.Key.Key_S, "反映村道积水影响出行"),
                 (Qt.Key.Key_Q, "尽快疏通排水沟"), (Qt.Key.Key_C, "县信访局 王科")])
    save(qtbot, form)
    [issued] = leadership.assignments(world.county)
    assert (issued.petitioner_name, issued.summary) == ("赵大勇", "反映村道积水影响出行")
    assert issued.number in tab.message.text()
    assert cell(tab.table, 0, 0) == issued.number and cell(tab.table, 0, 5) == "办理中"
    assert cell(tab.summary, 0, 1) == "1"  # one issued to 花园
    assert "发往乡镇" in tab.sending.text()

    # 数据交换 → 发往乡镇: Alt+W writes the township's bundle onto the stick
    csync = SyncPage(county)
    show_active(qtbot, csync, (1366, 768))
    assert csync.down_panel is not None
    csync.show_tab(csync.down_panel)
    csync.down_panel.set_target(down_stick)
    activate(qtbot, csync)
    csync.down_panel.table.setFocus()
    alt(qtbot, Qt.Key.Key_W)
    qtbot.waitUntil(lambda: "可以拔出U盘" in csync.down_panel.result.text())
    assert [p.name for p in down_stick.iterdir()] == [
        "320508000000-320508102000-202603-001.pdsync"]

    # the township imports the stick with its own passphrase
    tsync = SyncPage(town)
    show_active(qtbot, tsync, (1366, 768))
    imp = tsync.import_panel
    assert imp is not None
    tsync.show_tab(imp)
    imp.set_paths([down_stick])
    activate(qtbot, tsync)
    alt(qtbot, Qt.Key.Key_P)
    type_text(qtbot, imp.passphrase, TOWN_PASS)
    alt(qtbot, Qt.Key.Key_I)
    qtbot.waitUntil(lambda: cell(imp.table, 0, 4) == "已导入")

    # the township's screen: the 交办 is there; Alt+R receives it as a matter, Alt+B answers
    tpage = LeadershipPage(town)
    show_active(qtbot, tpage, (1366, 768))
    tpage.refresh()
    tpage.focus_first()
    received = tpage.received_tab
    assert received is not None
    assert cell(received.table, 0, 0) == issued.number
    assert cell(received.table, 0, 2) == "姑苏区信访局"
    alt(qtbot, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: "登记为信访件" in received.message.text())
    matter = world.town.rows("SELECT number, summary FROM matters WHERE summary = ?",
                             ("反映村道积水影响出行",))
    assert len(matter) == 1 and matter[0]["number"] in received.message.text()
    received.table.setFocus()
    alt(qtbot, Qt.Key.Key_B)
    form = the_form(qtbot)
    fill(qtbot, [(Qt.Key.Key_J, "已组织疏通排水沟，当面答复信访人"), (Qt.Key.Key_P, "0512-66881234")])
    save(qtbot, form)
    qtbot.waitUntil(lambda: "已反馈" in received.message.text())
    assert cell(received.table, 0, 5) == "已反馈"

    # the township's monthly bundle carries the answer up
    exp = tsync.export_panel
    assert exp is not None
    tsync.show_tab(exp)
    exp.set_target(up_stick)
    exp.refresh()
    activate(qtbot, tsync)
    alt(qtbot, Qt.Key.Key_W)
    qtbot.waitUntil(lambda: "可以拔出U盘" in exp.done_label.text())

    cimp = csync.import_panel
    assert cimp is not None
    csync.show_tab(cimp)
    cimp.set_paths([up_stick])
    activate(qtbot, csync)
    alt(qtbot, Qt.Key.Key_P)
    type_text(qtbot, cimp.passphrase, COUNTY_PASS)
    alt(qtbot, Qt.Key.Key_I)
    # bundle 1 again (not yet confirmed by a receipt) and bundle 2 with the answer
    qtbot.waitUntil(lambda: [cell(cimp.table, r, 4) for r in range(cimp.table.rowCount())]
                    == ["以前已导入，未改动", "已导入"])

    # back on the county's screen: answered, on time, with what the township wrote
    activate(qtbot, cpage)
    cpage.refresh()
    assert cell(tab.table, 0, 5) == "已反馈" and cell(tab.table, 0, 6) == "2026-03-02"
    assert [cell(tab.summary, 0, c) for c in range(1, 6)] == ["1", "0", "1", "0", "1"]
    tab.table.setFocus()
    tab.table.selectRow(0)
    assert "已组织疏通排水沟" in tab.detail.text() and "如期反馈" in tab.detail.text()
    assert "都已写入U盘" in tab.sending.text()  # the township's chain confirmed the bundle
    assert errors == []


def _head(reg: Register) -> Register:
    reg.actor = accounts.find_user(reg, "head").actor()
    return reg


def test_a_township_keeps_leaders_cases_and_backlog_by_keyboard(
        qtbot: QtBot, ctx: AppContext, errors: list[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    reg = _head(ctx.reg)
    matter = rd.register(reg, date(2026, 2, 20))
    page = LeadershipPage(ctx)
    show_active(qtbot, page, (1366, 768))
    page.show_tab(page.leaders_tab)
    page.leaders_tab.focus_first()
    alt(qtbot, Qt.Key.Key_N)
    form = the_form(qtbot)
    fill(qtbot, [(Qt.Key.Key_N, "王建华"), (Qt.Key.Key_T, "副镇长")])
    save(qtbot, form)
    assert cell(page.leaders_tab.table, 0, 0) == "王建华"

    holdings = page.holdings_tab
    assert holdings is not None
    page.show_tab(holdings)
    activate(qtbot, page)
    holdings.focus_first()
    alt(qtbot, Qt.Key.Key_N)
    form = the_form(qtbot)
    fill(qtbot, [(Qt.Key.Key_U, matter["number"][-5:]), (Qt.Key.Key_P, "依法恢复承包经营权"),
                 (Qt.Key.Key_S, "2026-03-10 调阅二轮承包合同")])
    save(qtbot, form)
    assert cell(holdings.table, 0, 0) == "王建华（副镇长）"
    assert cell(holdings.table, 0, 5) == "2026-03-10 调阅二轮承包合同"
    assert "王建华" in holdings.message.text()
    # Alt+X: the same ledger as an Excel file
    monkeypatch.setattr("ui.pages.leadership.ask_save_path",
                        lambda *_args: tmp_path / "ledger")
    activate(qtbot, page)
    holdings.focus_first()
    alt(qtbot, Qt.Key.Key_X)
    qtbot.waitUntil(lambda: (tmp_path / "ledger.xlsx").exists())
    book = load_workbook(tmp_path / "ledger.xlsx")
    assert [c.value for c in book.active[4]][1:3] == ["王建华（副镇长）", "信访事项"]
    assert "ledger.xlsx" in holdings.message.text()

    # listed by hand on the backlog, then resolved with evidence
    backlog = page.backlog_tab
    assert backlog is not None
    page.show_tab(backlog)
    activate(qtbot, page)
    backlog.focus_first()
    alt(qtbot, Qt.Key.Key_A)
    form = the_form(qtbot)
    fill(qtbot, [(Qt.Key.Key_U, matter["number"]), (Qt.Key.Key_R, "信访老户，县里挂牌")])
    save(qtbot, form)
    assert cell(backlog.table, 0, 0) == matter["number"]
    assert cell(backlog.table, 0, 6) == "王建华（副镇长）"
    activate(qtbot, page)
    backlog.table.setFocus()
    backlog.table.selectRow(0)
    alt(qtbot, Qt.Key.Key_J)
    form = the_form(qtbot)
    fill(qtbot, [(Qt.Key.Key_E, "信访人签署息诉罢访承诺书")])
    save(qtbot, form)
    assert backlog.table.rowCount() == 0  # resolved: off the open list
    assert leadership.month_figures(reg, "2026-03").backlog_resolved == 1
    assert errors == []
