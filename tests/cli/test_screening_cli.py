"""``main.py screenings``: the completeness matrix, reminders and alerts for scripts."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

import main
from cli.common import aligned, display_width
from storage import screening as sc
from storage.register import Register
from tests.helpers.registers import FakeClock


def test_screenings_command_prints_the_matrix_as_json(file_reg: Register, clock: FakeClock,
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    grids = sc.entry_grids(file_reg)
    clock.now = datetime(2026, 3, 6, 10, 0)
    sc.report_zero(file_reg, grids[0].id, "2026-W10")
    sc.add_dispute(file_reg, grids[1].id, "2026-W10", sc.DisputeInput(
        type="邻里", parties=[sc.PartyInput("张三"), sc.PartyInput("李四")], summary="排水沟",
        risk_level="红", responsible_person="王副镇长",
        deadline=datetime(2026, 3, 20).date()))
    data_dir = str(file_reg.path.parent)  # type: ignore[union-attr]
    # The command reads the system clock: pin "now" to 10 March (week 10 overdue).
    from storage import db

    real_open = db.open_register
    monkeypatch.setattr(db, "open_register", lambda d, **_kw: real_open(
        d, clock=lambda: datetime(2026, 3, 10, 9, 0)))
    assert main.main(["screenings", "--data-dir", data_dir, "--periods", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [p["key"] for p in out["periods"]] == ["2026-W10", "2026-W11"]
    states = {f"{g['village']}{g['grid']}": g["cells"][0]["state"] for g in out["grids"]}
    assert states == {"春明村一组": "zero", "春明村二组": "reported", "九龙社区东片": "missing",
                      "石桥村一组": "missing"}
    assert any(r.startswith("九龙社区东片") for r in out["reminders"])
    assert len(out["alerts"]) == 1 and "红色风险" in out["alerts"][0]


@pytest.mark.parametrize("rows", [
    [["", "第10周", "第11周"], ["春明村一组", "零报告", "待报"], ["九龙社区东片", "有纠纷·迟", "·"]],
    [["", "Week 10", "Week 11"], ["春明村一组", "Zero report", "Due"],
     ["九龙社区东片", "Disputes · late", "·"]],
])
def test_text_tables_line_up_in_both_languages(rows: list[list[str]]) -> None:
    def starts(line: str, cells: list[str]) -> tuple[int, ...]:
        out, at = [], 0
        for cell in cells:
            at = line.index(cell, at)
            out.append(display_width(line[:at]))
            at += len(cell)
        return tuple(out)

    lines = aligned(rows)
    columns = {starts(line, row)[1:] for line, row in zip(lines, rows, strict=True)}
    assert len(columns) == 1  # every column starts at the same terminal column on every line
