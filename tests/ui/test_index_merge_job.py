"""After an import the window merges the search indexes' new segments on a thread of its own
(ui/upkeep.py ``merge_indexes``), kept with the window's background work (which the window
stops and waits for when it closes; stopping between steps: tests/storage/test_upkeep.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from storage import upkeep as store_upkeep
from storage.db import open_register
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up
from ui import upkeep
from ui.context import AppContext


def piled_register(data: Path) -> AppContext:
    reg = set_up(open_register(data, clock=FakeClock(), password_hasher=CHEAP_HASHER))
    for batch in range(6):  # six imports' worth of unmerged pair segments
        with reg.transaction(), store_upkeep.bulk_write(reg.conn):
            reg.conn.executemany(
                "INSERT INTO matter_grams(rowid, words) VALUES (?, ?)",
                [(batch * 1000 + i, f"g{batch:04d}{i:04d} gzzzz{i % 7:04d}") for i in range(200)])
    return AppContext(reg, data)


class Window(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.upkeep_jobs: list[object] = []


def test_the_merge_runs_off_the_gui_thread_and_is_kept_with_the_window(
        qtbot: QtBot, tmp_path: Path) -> None:
    ctx = piled_register(tmp_path / "data")
    piled = store_upkeep.segments(ctx.reg.conn, "matter_grams")
    window = Window()
    qtbot.addWidget(window)
    job = upkeep.merge_indexes(window, ctx)
    assert job is not None and window.upkeep_jobs == [job]
    with qtbot.waitSignal(job.done, timeout=30_000) as blocker:
        pass
    steps, error = blocker.args
    assert error is None and steps >= 2
    assert store_upkeep.segments(ctx.reg.conn, "matter_grams") < piled
    ctx.reg.close()

