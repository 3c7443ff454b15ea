"""``check`` sees a figures' summary (``matter_progress``) that no longer says what the events
say — a direct edit of the table — and names the matter; ``check --repair`` writes it again from
the events and changes no record. In this process, on a copy of the demo register."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import main
from storage import anchor, backup
from storage.db import DB_NAME, open_register
from tests.helpers.recovery import copy_demo, demo_register
from tests.helpers.registers import CHEAP_HASHER

__all__ = ["demo_register"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _anchored(data: Path) -> None:
    """The anchor a desk leaves beside its register (a copy of the demo comes without it)."""
    reg = open_register(data, password_hasher=CHEAP_HASHER)
    try:
        anchor.write(data, reg.station_code, anchor.current(reg.conn, reg.station_code))
    finally:
        reg.close()


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
    _anchored(data)
    code, out, err = run(capsys, "check", "--data-dir", str(data))
    assert code == 0, out + err
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
    assert found["ok"] and found["repaired_rows"] > 0
    assert _records(live) == before  # no record, no audit entry changed
    assert (data / DB_NAME).exists()


def test_repair_never_hides_a_log_cut_short(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                            demo_register: Path) -> None:
    """The anchor beside the register says the chain reached further than the log does (newest
    entries cut, or an older copy of the file put back): ``check --repair`` reports it as
    ``check`` does and leaves the anchor as it found it — a repair writes no anchor, and runs
    only after the head was compared."""
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    backup.make_backup(live, data, reason="daily")
    _anchored(data)
    held = anchor.read(data)
    assert held is not None
    text = json.loads((data / anchor.FILE_NAME).read_text())
    text["seq"], text["hash"] = held.seq + 3, "ab" * 32
    (data / anchor.FILE_NAME).write_text(json.dumps(text))
    conn = sqlite3.connect(live)
    conn.execute("DELETE FROM matter_progress WHERE matter_id ="
                 " (SELECT matter_id FROM matter_progress LIMIT 1)")
    conn.commit()
    conn.close()
    before = (data / anchor.FILE_NAME).read_bytes()

    code, out, _err = run(capsys, "check", "--data-dir", str(data), "--json")
    plain = [p for p in json.loads(out)["problems"] if "办理进度汇总" not in p]
    assert code == 1 and plain
    code, out, _err = run(capsys, "check", "--repair", "--data-dir", str(data), "--json")
    found = json.loads(out)
    assert code == 1 and found["problems"] == plain and found["repaired_rows"] > 0
    assert (data / anchor.FILE_NAME).read_bytes() == before
    code, out, _err = run(capsys, "check", "--data-dir", str(data), "--json")
    assert code == 1 and json.loads(out)["problems"] == plain
