"""The window's start-up on a damaged register (issue 14 findings 1, 2, 5): "用最近的备份恢复？"
answered with 恢复 restores by renaming aside and opens the register, saying what was recovered;
a second window on the same folder is refused; the background check speaks only on damage."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from storage import backup, datalock, health
from storage.db import DB_NAME
from tests.helpers.boxes import answer_boxes
from tests.helpers.recovery import copy_demo, damage, demo_register, foreign_database
from ui import app as ui_app
from ui import upkeep
from ui.context import AppContext

__all__ = ["demo_register"]


def test_the_restore_offer_on_a_truncated_register_restores_and_opens(
        qtbot: QtBot, tmp_path: Path, demo_register: Path) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    taken = backup.make_backup(live, data, reason="daily")
    damage(live, "truncate")
    seen: list[str] = []
    QTimer.singleShot(0, answer_boxes(qtbot, ["恢复", "OK"], seen))
    reg = ui_app.open_or_explain(data)
    assert reg is not None
    try:
        assert reg.scalar("SELECT count(*) FROM matters") == 200
    finally:
        reg.close()
    assert "不完整" in seen[0] and "用最近的备份恢复？" in seen[0]
    assert taken.name[9:13] in seen[0].replace("-", "")  # the backup's year
    assert "信访件200件" in seen[1] and "set-aside" in seen[1]


def test_a_damaged_backup_is_said_so_and_the_next_one_offered(
        qtbot: QtBot, tmp_path: Path, demo_register: Path) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    backup.make_backup(live, data, reason="daily")
    newer = backup.make_backup(live, data, reason="manual")
    raw = bytearray(newer.read_bytes())
    raw[50] ^= 0x10
    newer.write_bytes(bytes(raw))
    damage(live, "empty")
    seen: list[str] = []
    QTimer.singleShot(0, answer_boxes(qtbot, ["恢复", "恢复", "OK"], seen))
    reg = ui_app.open_or_explain(data)
    assert reg is not None
    reg.close()
    assert "校验值对不上" in seen[1] and "每日备份" in seen[1]


def test_a_foreign_file_is_refused_and_declining_leaves_it_alone(
        qtbot: QtBot, tmp_path: Path, demo_register: Path) -> None:
    data = tmp_path / "data"
    copy_demo(demo_register, data)
    backup.make_backup(data / DB_NAME, data, reason="daily")
    (data / DB_NAME).unlink()
    foreign_database(data / DB_NAME)
    before = (data / DB_NAME).read_bytes()
    seen: list[str] = []
    QTimer.singleShot(0, answer_boxes(qtbot, ["退出"], seen))
    assert ui_app.open_or_explain(data) is None
    assert "不是信访工作台的登记库" in seen[0]
    assert (data / DB_NAME).read_bytes() == before


def test_a_second_window_on_the_same_folder_is_refused(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ARG001
    data = tmp_path / "data"
    data.mkdir()
    first = datalock.desk_lock(data)
    assert first.acquire(exclusive=True)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda _p, _t, text, *_a, **_k: shown.append(text))
    monkeypatch.setattr(ui_app, "install_crash_handler", lambda _d: None)
    args = argparse.Namespace(demo=False, data_dir=str(data), lang=None)
    try:
        assert ui_app.run_gui(args) == 1
    finally:
        first.release()
    assert "已经在另一个信访工作台窗口中打开了" in shown[0]
    assert not (data / DB_NAME).exists()


def test_the_background_check_speaks_only_when_it_finds_damage(
        qtbot: QtBot, tmp_path: Path, demo_register: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from storage.db import open_register
    from tests.helpers.registers import CHEAP_HASHER

    data = tmp_path / "data"
    copy_demo(demo_register, data)
    reg = open_register(data, password_hasher=CHEAP_HASHER)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a, **_k: warnings.append(text))
    window = QWidget()
    qtbot.addWidget(window)
    try:
        ctx = AppContext(reg, data)
        jobs = upkeep.start(window, ctx)
        for job in jobs:
            job.wait(60)
        qtbot.wait(50)  # the queued reports arrive
        assert warnings == [] and len(backup.list_backups(data)) == 1
        monkeypatch.setattr(health, "quick_check", lambda _p, **_k: "page 300: btreeInitPage error")
        upkeep.start(window, ctx, take_backup=False)
        qtbot.waitUntil(lambda: bool(warnings), timeout=60_000)
        assert "btreeInitPage" in warnings[0]
        assert health.marked_failed(data)
    finally:
        reg.close()


def test_the_manual_backup_runs_off_the_gui_thread_and_reports(
        qtbot: QtBot, tmp_path: Path, demo_register: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from storage import accounts
    from storage.db import open_register
    from tests.helpers.registers import CHEAP_HASHER
    from ui.main_window import MainWindow

    data = tmp_path / "data"
    copy_demo(demo_register, data)
    stick = tmp_path / "stick"
    stick.mkdir()
    reg = open_register(data, password_hasher=CHEAP_HASHER)
    reg.actor = accounts.find_user(reg, "head").actor()
    infos: list[str] = []
    monkeypatch.setattr("ui.main_window.QFileDialog.getExistingDirectory",
                        lambda *_a, **_k: str(stick))
    monkeypatch.setattr("ui.main_window.QMessageBox.information",
                        lambda _p, _t, text, *_a, **_k: infos.append(text))
    window = MainWindow(AppContext(reg, data))
    qtbot.addWidget(window)
    try:
        window.backup_to()
        assert window.upkeep_jobs[-1].worker is not None
        assert not window.busy.isHidden()  # a busy bar while it runs (issue 15)
        qtbot.waitUntil(lambda: bool(infos), timeout=60_000)
        assert window.busy.isHidden()
        taken = backup.list_in(stick)
        assert len(taken) == 1 and str(taken[0].path) in infos[0]
        backup.check_file(taken[0].path)
    finally:
        window.close()
        reg.close()


def test_a_missing_register_with_backups_is_offered_its_backup(
        qtbot: QtBot, tmp_path: Path, demo_register: Path) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    backup.make_backup(live, data, reason="daily")
    live.unlink()
    seen: list[str] = []
    QTimer.singleShot(0, answer_boxes(qtbot, ["恢复", "OK"], seen))
    reg = ui_app.open_or_explain(data)
    assert reg is not None
    try:
        assert reg.scalar("SELECT count(*) FROM matters") == 200
    finally:
        reg.close()
    assert "没有登记库文件，但有它的备份" in seen[0] and "原来没有登记库文件" in seen[1]
    # declining makes a new register (the first-run wizard follows)
    (data / DB_NAME).unlink()
    QTimer.singleShot(0, answer_boxes(qtbot, ["不恢复，新建登记库"], seen))
    reg = ui_app.open_or_explain(data)
    assert reg is not None and not reg.is_set_up
    reg.close()
