"""Where the registration desk's answers appear (issue 15): a refusal right under the field at
fault as well as above the save button; the "已保存" banner gone once the next visitor is typed
or the next save is refused; 打印回执 and Ctrl+P only for the visitor just saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from tests.helpers.keyboard import type_text
from tests.ui.test_registration import ID_ZHANG, fill_by_keyboard, make_page
from ui.context import AppContext
from ui.pages.registration import RegistrationPage


def _saved(qtbot: QtBot, ctx: AppContext) -> RegistrationPage:
    page = make_page(qtbot, ctx)
    fill_by_keyboard(qtbot, page, name="张伟", id_number=ID_ZHANG, phone="13812345678",
                     summary="反映承包地被占用问题")
    assert page.last_saved_id is not None, page.error.text()
    assert page.banner.isVisible() and page.print_button.isEnabled()
    return page


def test_a_refusal_shows_under_its_field(qtbot: QtBot, ctx: AppContext) -> None:
    page = make_page(qtbot, ctx)
    page.resize(900, 600)
    fill_by_keyboard(qtbot, page, name="李四", id_number="110105194912310021",
                     phone="13812345678", summary="反映问题")
    note = page.field_note
    assert note.isVisible() and note.text() == page.error.text() != ""
    below = page.id_number.mapTo(note.parentWidget(), QPoint(0, page.id_number.height()))
    assert 0 <= note.y() - below.y() <= 4 and note.x() == below.x()
    type_text(qtbot, page.id_number, "X")  # the clerk corrects it: the note goes
    assert not note.isVisible()


def test_the_saved_banner_and_the_receipt_go_with_the_next_visitor(qtbot: QtBot,
                                                                   ctx: AppContext) -> None:
    page = _saved(qtbot, ctx)
    type_text(qtbot, page.name, "王")
    assert not page.banner.isVisible()
    assert not page.print_button.isEnabled() and page.last_saved_id is None


def test_a_refused_save_hides_the_old_banner(qtbot: QtBot, ctx: AppContext) -> None:
    page = _saved(qtbot, ctx)
    qtbot.keyClick(page.name, Qt.Key.Key_Return)  # an empty form: refused
    assert page.error.text()
    assert not page.banner.isVisible()


def test_a_double_enter_after_a_save_puts_the_note_under_the_name(qtbot: QtBot,
                                                                   ctx: AppContext) -> None:
    """A hurried second Enter on the emptied form: the banner above the form goes, so the
    form moves up; the refusal must float under the name where it now is, not over the
    fields that moved into its old place."""
    page = _saved(qtbot, ctx)
    qtbot.keyClick(page.name, Qt.Key.Key_Return)
    qtbot.wait(50)
    note = page.field_note
    assert note.isVisible()
    below = page.name.mapTo(note.parentWidget(), QPoint(0, page.name.height()))
    assert 0 <= note.y() - below.y() <= 4 and note.x() == below.x()


def test_clear_and_refill_disables_the_receipt(qtbot: QtBot, ctx: AppContext,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    page = _saved(qtbot, ctx)
    opened: list[str] = []
    monkeypatch.setattr("ui.print_preview.show_document",
                        lambda _ctx, _kind, rid, _parent: opened.append(rid))
    page.discard()
    assert not page.print_button.isEnabled()
    qtbot.keyClick(page.name, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert opened == []


def test_a_date_after_today_is_refused_in_words(qtbot: QtBot, ctx: AppContext) -> None:
    """Issue 15: the date box dropped a future date without a word."""
    page = make_page(qtbot, ctx)
    page.received.setDate(ctx.today().addDays(1))
    assert page.received.date() == ctx.today().addDays(1)  # taken as typed ...
    fill_by_keyboard(qtbot, page, name="张伟", id_number=ID_ZHANG, phone="13812345678",
                     summary="反映承包地被占用问题")
    assert page.last_saved_id is None
    assert "不能晚于今天" in page.error.text()  # ... and refused in words, at the field
    assert page.field_note.isVisible()
