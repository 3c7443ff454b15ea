"""``main.py restore`` / ``check`` / ``backup`` on damaged registers (issue 14 findings 1, 2, 5),
run in this process: a damaged register is refused with its backups listed; restore brings it back
and says what it recovered and from when; a flipped backup is refused and reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import main
from storage import backup, restore
from storage.db import DB_NAME, open_register
from tests.helpers.recovery import KINDS, copy_demo, damage, demo_register, foreign_database
from tests.helpers.registers import CHEAP_HASHER

__all__ = ["demo_register"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("how", KINDS)
def test_a_damaged_register_is_refused_with_its_backups_then_restored(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, demo_register: Path,
        how: str) -> None:
    data = tmp_path / "data"
    live = copy_demo(demo_register, data)
    code, out, err = run(capsys, "backup", "--to", str(data / "backups"), "--data-dir", str(data),
                         "--json")
    assert code == 0, err
    taken = Path(json.loads(out)["path"])
    damage(live, how)
    damaged = live.read_bytes()

    code, out, err = run(capsys, "cases", "--data-dir", str(data))
    assert code == 1 and "Traceback" not in err
    assert "可用的备份" in err and str(taken) in err and "main.py restore" in err
    assert live.read_bytes() == damaged  # refused, not initialised

    code, out, err = run(capsys, "restore", str(taken), "--data-dir", str(data))
    assert code == 0, err
    assert "已用" in out and "信访件200件" in out
    assert ("空的（0字节）" if how == "empty" else "set-aside") in out
    code, out, err = run(capsys, "cases", "--data-dir", str(data), "--json", "--limit", "500")
    assert code == 0, err
    assert len(json.loads(out)) == 200


def test_a_foreign_file_is_refused_and_left_alone(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    foreign_database(data / DB_NAME)
    before = (data / DB_NAME).read_bytes()
    code, _out, err = run(capsys, "check", "--data-dir", str(data))
    assert code == 1 and "不是信访工作台的登记库" in err and "没有备份" in err
    assert (data / DB_NAME).read_bytes() == before


def test_restore_is_refused_while_the_register_is_open(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path,
                                                       demo_register: Path) -> None:
    data = tmp_path / "data"
    copy_demo(demo_register, data)
    taken = backup.make_backup(data / DB_NAME, data, reason="manual")
    reg = open_register(data, password_hasher=CHEAP_HASHER)  # the window, say
    try:
        code, _out, err = run(capsys, "restore", str(taken), "--data-dir", str(data))
    finally:
        reg.close()
    assert code == 1 and "正在使用" in err and "Traceback" not in err
    assert not (data / restore.SET_ASIDE).exists()


def test_check_reports_and_restore_refuses_a_flipped_backup(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path,
                                                           demo_register: Path) -> None:
    data = tmp_path / "data"
    copy_demo(demo_register, data)
    taken = backup.make_backup(data / DB_NAME, data, reason="daily")
    raw = bytearray(taken.read_bytes())
    raw[100] ^= 0x04
    taken.write_bytes(bytes(raw))
    code, out, _err = run(capsys, "check", "--data-dir", str(data))
    assert code == 1 and f"备份文件已损坏：{taken.name}" in out
    code, _out, err = run(capsys, "restore", str(taken), "--data-dir", str(data))
    assert code == 1 and "校验值对不上" in err
