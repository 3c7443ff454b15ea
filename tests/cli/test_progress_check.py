"""``check`` sees a figures' summary (``matter_progress``) that no longer says what the events
say — a direct edit of the table — and names the matter; ``check --repair`` writes it again from
the events and changes no record. In this process, on a copy of the demo register."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import main
from storage import backup
from storage.db import DB_NAME
from tests.helpers.recovery import copy_demo, demo_register

__all__ = ["demo_register"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _records(path: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(path)
    try:
        return tuple(conn.execute(  # type: ignore[return-value]
            "SELECT (SELECT count(*) FROM audit_log), (SELECT count(*) FROM matter_events),"
            " (SELECT total(length(data)) FROM matter_events)").fetchone())
    finally:
        conn.close()


def test_check_names_an_edited_summary_and_repair_rebuilds_it(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, demo_register: Path) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    backup.make_backup(live, data, reason="daily")
    code, out, err = run(capsys, "check", "--data-dir", str(data))
    assert "办理进度汇总" not in out, out + err
    conn = sqlite3.connect(live)
    matter_id, number = conn.execute(
        "SELECT p.matter_id, m.number FROM matter_progress p JOIN matters m ON m.id = p.matter_id"
        " WHERE p.replied_on IS NOT NULL LIMIT 1").fetchone()
    conn.execute("UPDATE matter_progress SET replied_on = NULL WHERE matter_id = ?", (matter_id,))
    conn.commit()
    conn.close()
    before = _records(live)

    code, out, err = run(capsys, "check", "--data-dir", str(data))
    assert code == 1 and "办理进度汇总与事件记录对不上" in out and number in out
    assert "Traceback" not in err

    code, out, err = run(capsys, "check", "--repair", "--data-dir", str(data), "--json")
    assert code == 0, out + err
    found = json.loads(out)
    assert found["repaired_rows"] > 0
    assert not [p for p in found["problems"] if "办理进度汇总" in p]
    assert _records(live) == before  # no record, no audit entry changed
    assert (data / DB_NAME).exists()
