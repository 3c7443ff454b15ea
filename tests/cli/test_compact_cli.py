"""``main.py compact``: the register written again compact, said in plain words (or JSON), and
refused in one plain line while the register is open. In this process, on a copy of the demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import main
from storage.db import open_register
from tests.helpers.recovery import copy_demo, demo_register
from tests.helpers.registers import CHEAP_HASHER

__all__ = ["demo_register"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_compact_says_what_it_did(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                  demo_register: Path) -> None:
    data = tmp_path / "data"
    copy_demo(demo_register, data)
    code, out, err = run(capsys, "compact", "--data-dir", str(data))
    assert code == 0, err
    assert "登记库已整理" in out and "信访件200件" in out and "审计链头相同" in out
    code, out, err = run(capsys, "compact", "--data-dir", str(data), "--json")
    assert code == 0, err
    found = json.loads(out)
    assert found["counts"]["matters"] == 200
    assert found["size_after"] <= found["size_before"]


def test_compact_is_refused_while_the_register_is_open(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, demo_register: Path) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    reg = open_register(data, password_hasher=CHEAP_HASHER)
    try:
        before = live.read_bytes()
        code, out, err = run(capsys, "compact", "--data-dir", str(data))
    finally:
        reg.close()
    assert code == 1 and out == ""
    assert err.strip().startswith("错误：登记库正在使用中") and len(err.strip().splitlines()) == 1
    assert live.read_bytes() == before


def test_check_says_when_compacting_is_worth_it(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path, demo_register: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from storage import compact

    data = tmp_path / "data"
    copy_demo(demo_register, data)
    code, out, _err = run(capsys, "check", "--data-dir", str(data))
    assert "整理登记库" not in out  # a small register with nothing to give back
    gb = 1024 ** 3
    monkeypatch.setattr(compact, "layout", lambda _conn: compact.Layout(10 * gb, 8 * gb))
    code, out, _err = run(capsys, "check", "--data-dir", str(data))
    assert "2.00 GB 空闲空间" in out and "main.py compact" in out
    code, out, _err = run(capsys, "check", "--data-dir", str(data), "--json")
    assert json.loads(out)["free_bytes"] == 2 * gb
