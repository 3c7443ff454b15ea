"""``main.py statistics``: the figures of a period headless, as text, JSON and .xlsx."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

import main
from storage.register import Register
from tests.helpers.registers import FakeClock
from tests.storage.statistics.test_hand_count import build


@pytest.fixture
def data_dir(file_reg: Register, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> str:
    build(file_reg, clock)
    from storage import db

    real_open = db.open_register
    monkeypatch.setattr(db, "open_register", lambda d, **_kw: real_open(
        d, clock=lambda: datetime(2026, 11, 30, 9, 0)))
    return str(file_reg.path.parent)  # type: ignore[union-attr]


def test_statistics_as_json_with_yoy_and_mom(data_dir: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["statistics", "--period", "2026-10", "--data-dir", data_dir,
                      "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    total = out["figures"]["total"]
    assert (total["label"], total["value"]) == ("信访总量", 4)
    assert total["yoy"] == {"base": 2.0, "change": 2.0, "percent": 100.0, "reason": ""}
    assert total["mom"]["percent"] == 300.0
    timely = out["figures"]["timely_acceptance"]
    assert timely["value"] == {"numerator": 1, "denominator": 3, "percent": 33.33}
    assert timely["formula"].startswith("受理告知期限在本期内")
    assert out["reconciles"] is True
    assert out["by_form"] == {"来访": 3, "来电": 1}


@pytest.mark.parametrize("period", ["2026-Q4", "2026", "2026-10-01..2026-10-31"])
def test_other_periods_and_the_xlsx(data_dir: str, tmp_path: Path, period: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.xlsx"
    assert main.main(["statistics", "--period", period, "--data-dir", data_dir,
                      "--xlsx", str(target)]) == 0
    text = capsys.readouterr().out
    assert "信访总量" in text and str(target) in text
    assert load_workbook(target)["统计指标"]["A4"].value == "信访总量"


def test_a_bad_period_is_one_plain_line(data_dir: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["statistics", "--period", "2026-13", "--data-dir", data_dir]) != 0
    err = capsys.readouterr().err
    assert "统计期间应写成" in err and "Traceback" not in err
