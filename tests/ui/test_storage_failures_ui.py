"""A full disk at the registration desk (issue 14, finding 4): the save is refused in plain
words under the form, and the clerk is told truthfully whether the draft was kept; the crash
box no longer claims a draft it did not save."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from storage.db import open_register
from tests.helpers.keyboard import type_and_tab
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up
from tests.helpers.smalldisk import fill, small_disk
from tests.ui.test_registration import ID_ZHANG, make_page
from ui.app import crash_text
from ui.context import AppContext


@pytest.fixture
def ctx_on_small_disk(ctx: AppContext, tmp_path: Path  # noqa: ARG001 - fonts, QApplication
                      ) -> Iterator[tuple[AppContext, Path]]:
    with small_disk(tmp_path / "disk", "4m") as disk:
        reg = set_up(open_register(disk / "data", clock=FakeClock(),
                                   password_hasher=CHEAP_HASHER))
        reg.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        small = AppContext(reg, disk / "data")
        try:
            yield small, disk
        finally:
            for widget in QApplication.topLevelWidgets():  # before the register closes
                widget.close()
            QApplication.processEvents()
            reg.close()


def test_a_full_disk_at_save_says_so_and_that_the_draft_was_not_kept(
        qtbot: QtBot, ctx_on_small_disk: tuple[AppContext, Path]) -> None:
    ctx, disk = ctx_on_small_disk
    page = make_page(qtbot, ctx)
    type_and_tab(qtbot, "张伟")
    type_and_tab(qtbot, ID_ZHANG)
    page.summary.setText("反映承包地被占用问题")
    filler = fill(disk)
    qtbot.keyClick(page.summary, Qt.Key.Key_Return)
    assert page.last_saved_id is None
    assert "磁盘已满" in page.error.text() and "没能保存为草稿" in page.error.text()
    assert page.summary.text() == "反映承包地被占用问题"  # nothing typed is lost on screen
    assert ctx.reg.scalar("SELECT count(*) FROM matters") == 0
    assert ctx.keep_drafts() is False  # what the crash box would be told
    filler.unlink()
    qtbot.keyClick(page.summary, Qt.Key.Key_Return)  # room again: the same form saves
    assert page.last_saved_id is not None, page.error.text()


def test_the_crash_box_claims_a_draft_only_when_one_was_kept(tmp_path: Path) -> None:
    log = tmp_path / "petitiondesk.log"
    assert "已保存为草稿" in crash_text(log, True)
    assert "草稿" not in crash_text(log, None)
    assert "没能保存为草稿" in crash_text(log, False)
    assert "已自动保存为草稿" not in crash_text(log, False)
