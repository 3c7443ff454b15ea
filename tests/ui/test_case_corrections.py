"""更正, 作废 and the petitioner's own record from the case detail, by keyboard (docs/domain.md
§3.4, §3.6): Alt+K corrects (the reason first), Alt+Z voids (a clerk types the head's login and
password), Alt+X opens the chosen petitioner's record where Alt+N renames, Alt+C corrects and,
for the head, Alt+M merges and Alt+U undoes a merge. And the county's detail names the
township's people and village (both sign in as ``head``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from storage import accounts, petitions, station
from storage.petitions import PetitionerInput, RegistrationInput
from storage.register import Register, Row
from tests.helpers.keyboard import focused, show_active, type_text
from tests.helpers.registers import FakeClock
from tests.helpers.sync import as_head, export_to, import_files, link, make_county, make_township
from tests.helpers.sync import unlock as unlock_county
from ui.case_detail import CaseDetailDialog
from ui.context import AppContext
from ui.corrections import PersonDialog
from ui.pages.cases import CasesPage
from ui.pages.mediation_dialogs import FormDialog

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
TODAY = date(2026, 3, 2)
ID_ZHANG = "320508198001011238"


def register(reg: Register, name: str = "张建困", id_number: str = ID_ZHANG,
             phone: str = "13812345678", summary: str = "反映承包地被邻户占用") -> Row:
    return petitions.register(reg, RegistrationInput(
        form="来访", received_on=TODAY, summary=summary,
        petitioners=[PetitionerInput(name=name, id_number=id_number, phone=phone)],
        problem_village_id=station.villages(reg)[0].id,
        duplicate_decision=petitions.NEW_MATTER))


def detail(qtbot: QtBot, ctx: AppContext, matter_id: str) -> CaseDetailDialog:
    dlg = CaseDetailDialog(ctx, matter_id)
    show_active(qtbot, dlg)
    return dlg


def alt_opens(qtbot: QtBot, key: Qt.Key, owner: QWidget) -> QDialog:
    """Alt+key in ``owner`` opens a form or window; returns it once it is the active one."""
    qtbot.waitUntil(lambda: QApplication.activeWindow() is owner
                    and QApplication.focusWidget() is not None, timeout=3000)
    qtbot.keyClick(focused(), key, ALT)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), QDialog)
                    and QApplication.activeWindow() is not owner, timeout=3000)
    window = QApplication.activeWindow()
    assert isinstance(window, QDialog)
    return window


def tab_to(qtbot: QtBot, target: QWidget) -> QWidget:
    for _i in range(80):
        w = focused()
        if w is target or target.isAncestorOf(w):
            return w
        qtbot.keyClick(w, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target!r}")


def retype(qtbot: QtBot, widget: QWidget, text: str) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(qtbot, widget, text)


def save(qtbot: QtBot, form: QDialog, owner: QWidget) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=3000)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is owner, timeout=3000)


def timeline(dlg: CaseDetailDialog) -> list[list[str]]:
    t = dlg.timeline
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_a_correction_by_keyboard_shows_the_values_before(qtbot: QtBot, ctx: AppContext,
                                                          reg: Register) -> None:
    m = register(reg)
    dlg = detail(qtbot, ctx, m["id"])
    form = alt_opens(qtbot, Qt.Key.Key_K, dlg)
    assert isinstance(form, FormDialog)
    assert form.fields["reason"].hasFocus()
    type_text(qtbot, focused(), "登记时姓名录错")
    retype(qtbot, tab_to(qtbot, form.fields["petitioners.0.name"]), "张建国")
    save(qtbot, form, dlg)
    last = timeline(dlg)[-1]
    assert last[1] == "更正" and last[2] == "李文静"
    assert "登记时姓名录错" in last[3] and "姓名：张建困→张建国" in last[3]
    # the person's own record still says otherwise: the detail points it out
    assert dlg.people.item(0, 0).text() == "张建国（资料中为张建困）"


def test_a_correction_without_a_reason_stays_open(qtbot: QtBot, ctx: AppContext,
                                                  reg: Register, errors: list[str]) -> None:
    m = register(reg)
    dlg = detail(qtbot, ctx, m["id"])
    form = alt_opens(qtbot, Qt.Key.Key_K, dlg)
    retype(qtbot, tab_to(qtbot, form.fields["summary"]), "反映宅基地被邻户占用")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    assert form.isVisible()
    assert errors and "更正原因" in errors[-1]
    assert form.fields["reason"].hasFocus()
    assert reg.get("matters", m["id"])["summary"] == "反映承包地被邻户占用"
    form.reject()


def test_a_clerk_voids_with_the_heads_login(qtbot: QtBot, ctx: AppContext, reg: Register,
                                           errors: list[str]) -> None:
    m = register(reg)
    dlg = detail(qtbot, ctx, m["id"])
    form = alt_opens(qtbot, Qt.Key.Key_Z, dlg)
    assert form.fields["reason"].hasFocus()
    type_text(qtbot, focused(), "同一来访登记了两次")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    type_text(qtbot, focused(), "head")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    type_text(qtbot, focused(), "wrong-pass")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # Enter on a one-line field confirms
    assert form.isVisible() and "站长登录名或密码不正确" in errors[-1]
    assert form.fields["head_password"].hasFocus()
    retype(qtbot, focused(), "head-pass-1")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=3000)
    assert dlg.status_label.text() == "已作废"
    assert dlg.void_banner.isVisible()
    assert "王站长确认" in dlg.void_banner.text() and "同一来访登记了两次" in dlg.void_banner.text()
    assert dlg.step_buttons == {}
    assert not dlg.record_buttons["correct"].isVisible()
    assert dlg.deadline_label.text().startswith("已作废")
    assert timeline(dlg)[-1][1] == "作废（王站长确认）"
    assert petitions.search_ids(reg, "") == []


def test_the_petitioners_record_rename_and_correct(qtbot: QtBot, ctx: AppContext,
                                                   reg: Register) -> None:
    m = register(reg, name="张建国")
    dlg = detail(qtbot, ctx, m["id"])
    person = alt_opens(qtbot, Qt.Key.Key_X, dlg)
    assert isinstance(person, PersonDialog)
    assert not person.buttons["merge"].isVisible()  # a clerk does not merge
    form = alt_opens(qtbot, Qt.Key.Key_N, person)
    type_text(qtbot, focused(), "张建邦")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    type_text(qtbot, focused(), "经派出所变更姓名")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=3000)
    assert person.title.text() == "张建邦"
    assert "曾用名：张建国" in person.details.text()
    assert "更名（张建国→张建邦）" in person.history.item(0).text()
    form = alt_opens(qtbot, Qt.Key.Key_C, person)
    type_text(qtbot, focused(), "电话记错一位")
    retype(qtbot, tab_to(qtbot, form.fields["phone"]), "13812345679")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=3000)
    assert "电话：13812345678→13812345679" in person.history.item(1).text()
    person.reject()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg, timeout=3000)
    # the matter shows the name it was registered under, and the name now
    assert dlg.people.item(0, 0).text() == "张建国 现名张建邦"


def test_the_head_merges_two_rows_of_one_person_and_undoes_it(qtbot: QtBot, ctx: AppContext,
                                                               reg: Register) -> None:
    with_id = register(reg, name="张建国")
    letter = register(reg, name="张建国", id_number="", phone="0512-65123456",
                      summary="来信反映路灯不亮")
    accounts.authenticate(reg, "head", "head-pass-1")
    dlg = detail(qtbot, ctx, with_id["id"])
    person = alt_opens(qtbot, Qt.Key.Key_X, dlg)
    form = alt_opens(qtbot, Qt.Key.Key_M, person)
    type_text(qtbot, focused(), "6512")  # find the other by phone
    picks = form.fields["other"]
    assert picks.count() == 1  # type: ignore[attr-defined]
    type_text(qtbot, tab_to(qtbot, form.fields["reason"]), "来信人即张建国本人")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=3000)
    assert reg.get("matters", letter["id"])["petitioner_id"] == with_id["petitioner_id"]
    assert any("合并" in person.history.item(i).text() for i in range(person.history.count()))
    form = alt_opens(qtbot, Qt.Key.Key_U, person)
    type_text(qtbot, focused(), "核实后不是同一人")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=3000)
    assert reg.get("matters", letter["id"])["petitioner_id"] == letter["petitioner_id"]
    assert not person.buttons["undo_merge"].isVisible()


# ----- at the county --------------------------------------------------------------------------

@pytest.fixture
def county_ctx(qtbot: QtBot, clock: FakeClock, tmp_path: Path) -> Iterator[AppContext]:  # noqa: ARG001 - qtbot starts the QApplication
    county = make_county(clock)
    town = make_township(clock)
    link(town, county)
    accounts.create_user(town, "clerk", "李文静", "clerk", "clerk-pass-1")
    as_head(town)
    m = petitions.register(town, RegistrationInput(
        form="来访", received_on=TODAY, summary="反映承包地被邻户占用",
        petitioners=[PetitionerInput(name="张建国", id_number=ID_ZHANG, phone="13812345678")],
        problem_village_id=station.villages(town)[1].id))
    accounts.authenticate(town, "clerk", "clerk-pass-1")
    petitions.accept(town, m["id"], TODAY)
    files = [export_to(town, "2026-02", tmp_path, tmp_path / "outbox")]
    import_files(county, files, unlock_county(county))
    as_head(county)  # the county's own "head": 县审核员
    yield AppContext(county, None)
    for widget in QApplication.topLevelWidgets():
        widget.close()
    QApplication.processEvents()
    county.close()
    town.close()


def test_the_county_detail_names_the_townships_people_and_village(qtbot: QtBot,
                                                                  county_ctx: AppContext) -> None:
    page = CasesPage(county_ctx)
    show_active(qtbot, page, (1366, 740))
    page.table.setFocus()
    page.table.selectRow(0)
    seen: dict[str, object] = {}

    def look(tries: int = 0) -> None:
        # the detail opens modal: read it from inside its own event loop, then close it
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, CaseDetailDialog):
            if tries < 200:
                QTimer.singleShot(20, lambda: look(tries + 1))
            return
        grid = dlg.info
        cells = [[grid.itemAtPosition(r, c) for c in range(4)] for r in range(grid.rowCount())]
        seen["info"] = {row[c].widget().text().rstrip("："): row[c + 1].widget().text()
                        for row in cells for c in (0, 2)
                        if row[c] is not None and row[c + 1] is not None}
        seen["actors"] = [row[2] for row in timeline(dlg)]
        seen["can_correct"] = dlg.record_buttons["correct"].isVisibleTo(dlg)
        dlg.reject()

    QTimer.singleShot(0, look)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # returns once the detail is closed
    info = seen["info"]
    assert isinstance(info, dict)
    assert info["登记人"] == "王站长"  # not the county's own "head", 县审核员
    assert info["问题所在地"] == "第2村"  # the township's village
    assert seen["actors"] == ["王站长", "李文静"]
    assert seen["can_correct"] is False  # nothing is written at the county
