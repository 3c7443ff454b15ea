"""文件 → 整理登记库 as the station head uses it: asked first (the room it needs, about how long),
整理 pressed, a progress window, the summary — and the same head goes on working in the same
window; 不整理 changes nothing; a clerk has no such menu entry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from storage import accounts, compact, integrity
from storage.db import DB_NAME, open_register
from storage.register import Register
from tests.helpers.boxes import answer_boxes
from tests.helpers.county import add_matter
from tests.helpers.keyboard import show_active
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up
from ui.background import Job
from ui.context import AppContext
from ui.main_window import MainWindow


@pytest.fixture
def head_ctx(qtbot: QtBot, tmp_path: Path, clock: FakeClock  # noqa: ARG001 - starts Qt
             ) -> Iterator[AppContext]:
    data = tmp_path / "data"
    reg = set_up(open_register(data, clock=clock, password_hasher=CHEAP_HASHER))
    reg.actor = accounts.find_user(reg, "head").actor()
    for n in range(1, 6):
        add_matter(reg, n, f"整理前的第{n}件")
    yield AppContext(reg, data)
    for job in Job.running():  # the home page's chart, read on a thread of its own
        job.wait()
    for widget in QApplication.topLevelWidgets():
        widget.close()
    QApplication.processEvents()
    reg.close()


def test_the_head_compacts_the_register_and_goes_on(qtbot: QtBot, head_ctx: AppContext) -> None:
    reg: Register = head_ctx.reg
    window = MainWindow(head_ctx)
    show_active(qtbot, window, (1366, 740))
    assert window.compact_action.isEnabled()
    seen: list[str] = []
    QTimer.singleShot(0, answer_boxes(qtbot, ["整理", "OK"], seen))
    window.compact_action.trigger()
    assert len(seen) == 2, seen
    assert "整理需要磁盘空闲空间" in seen[0] and "大约 1 分钟" in seen[0]
    assert "登记库已整理" in seen[1] and "信访件5件" in seen[1]
    assert not compact.rewriting(reg)
    assert reg.actor.username == "head"
    add_matter(reg, 6, "整理后的第6件")  # the same window writes on, through its new connection
    assert reg.scalar("SELECT count(*) FROM matters") == 6
    assert not list(reg.path.parent.glob("*.part")) if reg.path else False
    assert integrity.check(reg, head_ctx.data_dir).audit_broken_at is None


def test_declining_changes_nothing(qtbot: QtBot, head_ctx: AppContext) -> None:
    window = MainWindow(head_ctx)
    show_active(qtbot, window, (1366, 740))
    assert head_ctx.data_dir is not None
    live = head_ctx.data_dir / DB_NAME
    conn = head_ctx.reg.conn
    before = live.stat().st_ino
    seen: list[str] = []
    QTimer.singleShot(0, answer_boxes(qtbot, ["不整理"], seen))
    window.compact_action.trigger()
    assert len(seen) == 1
    assert head_ctx.reg.conn is conn and live.stat().st_ino == before


def test_a_clerk_has_no_compaction(qtbot: QtBot, head_ctx: AppContext) -> None:
    head_ctx.reg.actor = accounts.find_user(head_ctx.reg, "clerk").actor()
    window = MainWindow(head_ctx)
    show_active(qtbot, window, (1366, 740))
    assert not window.compact_action.isEnabled()


def test_a_backup_still_running_is_waited_for_a_moment_then_compacting_is_refused(
        qtbot: QtBot, head_ctx: AppContext) -> None:
    """Never minutes of a frozen window: a background job that does not end within a moment
    means 请过几分钟再整理, and nothing changed."""
    import threading

    assert head_ctx.data_dir is not None
    live = head_ctx.data_dir / DB_NAME
    inode = live.stat().st_ino
    release = threading.Event()
    job = Job("daily-backup", lambda: release.wait(30)).start()
    window = MainWindow(head_ctx)
    show_active(qtbot, window, (1366, 740))
    seen: list[str] = []
    try:
        QTimer.singleShot(0, answer_boxes(qtbot, ["整理", "OK"], seen))
        window.compact_action.trigger()
    finally:
        release.set()
        job.wait()
    assert len(seen) == 2 and "后台的备份或检查还没有完成" in seen[1], seen
    assert not compact.rewriting(head_ctx.reg) and live.stat().st_ino == inode
