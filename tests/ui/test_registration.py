"""The registration desk driven the way a clerk uses it: type, Tab, Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from storage import drafts, petitions
from tests.helpers.keyboard import type_and_tab, type_text
from ui.context import AppContext
from ui.pages.cases import CasesPage
from ui.pages.registration import RegistrationPage

ID_ZHANG = "11010519491231002X"


def make_page(qtbot: QtBot, ctx: AppContext) -> RegistrationPage:
    page = RegistrationPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    page.focus_first()
    # Window activation is asynchronous, even offscreen.
    qtbot.waitUntil(page.name.hasFocus)
    return page


def fill_by_keyboard(qtbot: QtBot, page: RegistrationPage, *, name: str, id_number: str,
                     phone: str, summary: str) -> None:
    """From 姓名 on, in tab order, the way a clerk types a walk-in visit."""
    assert QApplication.focusWidget() is page.name
    type_and_tab(qtbot, name)           # 姓名 -> 身份证号
    type_and_tab(qtbot, id_number)      # -> 性别 (filled from the ID)
    type_and_tab(qtbot, "")             # -> 民族
    type_and_tab(qtbot, "")             # -> 电话
    type_and_tab(qtbot, phone)          # -> 职业
    assert QApplication.focusWidget() is page.occupation
    page.summary.setFocus()
    type_text(qtbot, page.summary, summary)
    qtbot.keyClick(page.summary, Qt.Key.Key_Return)


def test_keyboard_registration_is_found_in_the_list(qtbot: QtBot, ctx: AppContext) -> None:
    reg = ctx.reg
    page = make_page(qtbot, ctx)
    fill_by_keyboard(qtbot, page, name="张伟", id_number=ID_ZHANG, phone="13812345678",
                     summary="反映承包地被占用问题")
    assert page.last_saved_id is not None, page.error.text()
    saved = reg.get("matters", page.last_saved_id)
    assert saved["summary"] == "反映承包地被占用问题"
    person = reg.get("petitioners", saved["petitioner_id"])
    assert (person["name"], person["gender"], person["phone"]) == ("张伟", "女", "13812345678")
    assert "已保存" in page.banner.text()
    assert page.name.text() == ""  # ready for the next petitioner
    assert drafts.load(reg, drafts.key_for(reg, "registration")) is None

    cases = CasesPage(ctx)
    qtbot.addWidget(cases)
    cases.focus_first()
    type_text(qtbot, cases.query, "张伟")
    qtbot.keyClick(cases.query, Qt.Key.Key_Return)
    assert cases.model.rowCount() == 1
    assert cases.model.ids == [saved["id"]]


def test_invalid_id_is_refused_at_the_field_and_nothing_saved(qtbot: QtBot, ctx: AppContext) -> None:
    reg = ctx.reg
    page = make_page(qtbot, ctx)
    fill_by_keyboard(qtbot, page, name="李四", id_number="110105194912310021",
                     phone="13812345678", summary="反映问题")
    assert page.last_saved_id is None
    assert "校验" in page.error.text() or "最后一位" in page.error.text()
    assert QApplication.focusWidget() is page.id_number
    assert reg.scalar("SELECT count(*) FROM matters") == 0
    # What was typed is kept, as a draft too.
    assert page.summary.text() == "反映问题"
    assert drafts.load(reg, drafts.key_for(reg, "registration"))["name"] == "李四"


def test_returning_petitioner_history_and_repeat_visit(qtbot: QtBot, ctx: AppContext) -> None:
    reg = ctx.reg
    page = make_page(qtbot, ctx)
    fill_by_keyboard(qtbot, page, name="张伟", id_number=ID_ZHANG, phone="13812345678",
                     summary="反映承包地被占用问题")
    first = page.last_saved_id
    page.focus_first()
    type_text(qtbot, page.name, "张伟")
    qtbot.keyClick(page.name, Qt.Key.Key_Tab)
    qtbot.keyClicks(page.id_number, ID_ZHANG)
    page.lookup_history()  # the debounce timer would do this 250 ms later
    assert "以前信访 1 次" in page.history.summary.text()
    assert page.history.matters.count() == 1
    assert page.history.attach.isEnabled()
    page.history.attach.setFocus()
    qtbot.keyClick(page.history.attach, Qt.Key.Key_Space)
    assert page.attach_to == first
    page.summary.setFocus()
    type_text(qtbot, page.summary, "再次来访催办")
    qtbot.keyClick(page.summary, Qt.Key.Key_Return)
    assert page.last_saved_id == first
    assert reg.scalar("SELECT count(*) FROM matters") == 1
    matter = reg.get("matters", first)
    # the original keeps the 初件/重件 it was registered with
    assert (matter["repeat_visits"], matter["repeat_kind"]) == (1, "初件")


def test_draft_survives_a_restart(qtbot: QtBot, ctx: AppContext) -> None:
    reg = ctx.reg
    page = make_page(qtbot, ctx)
    type_text(qtbot, page.name, "王堃")
    type_text(qtbot, page.summary, "宅基地边界纠纷")
    page.save_draft()  # the 400 ms timer would do this
    page.close()
    again = make_page(qtbot, ctx)  # a new window after a crash
    assert again.name.text() == "王堃"
    assert again.summary.text() == "宅基地边界纠纷"
    assert again.banner.isVisible()
    assert petitions.search_ids(reg, "王堃") == []  # a draft is not a record


def test_similar_names_are_suggested_not_merged(qtbot: QtBot, ctx: AppContext) -> None:
    reg = ctx.reg
    page = make_page(qtbot, ctx)
    fill_by_keyboard(qtbot, page, name="张伟", id_number=ID_ZHANG, phone="13812345678",
                     summary="反映问题")
    type_text(qtbot, page.name, "章伟")  # same pinyin, different person as far as we know
    page.lookup_history()
    assert page.history.similar.count() == 1
    assert "同音" in page.history.similar.item(0).text()
    assert reg.scalar("SELECT count(*) FROM petitioners") == 1
