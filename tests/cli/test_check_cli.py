"""``main.py check`` in this process: plain words in Chinese (English with ``--lang en``), the
head of a printout compared with ``--head``, ``--deep``; a refusal is one line and exit 1."""

from __future__ import annotations

import contextlib
import io
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

import main
from storage import anchor, backup
from storage.db import DB_NAME, open_register
from storage.i18n import current_language, set_language
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("check") / "data"
    reg = set_up(open_register(data_dir, clock=FakeClock(), password_hasher=CHEAP_HASHER))
    try:
        backup.make_backup(reg.conn, data_dir, reason="manual")
    finally:
        reg.close()
    return data_dir


@pytest.fixture
def data_dir(built: Path, tmp_path: Path) -> Path:
    shutil.copytree(built, tmp_path / "data")
    return tmp_path / "data"


@pytest.fixture(autouse=True)
def keep_language() -> Iterator[None]:
    language = current_language()
    yield
    set_language(language)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main.main(list(argv))
    return status, out.getvalue(), err.getvalue()


def head_of(data_dir: Path) -> anchor.Head:
    conn = sqlite3.connect(data_dir / DB_NAME)
    try:
        return anchor.current(conn, "320508102000")
    finally:
        conn.close()


def test_a_sound_register_in_plain_chinese(data_dir: Path) -> None:
    status, out, err = run("check", "--data-dir", str(data_dir), "--lang", "zh", "--deep")
    head = head_of(data_dir)
    assert (status, err) == (0, "")
    assert f"链头：第{head.seq}条，{head.short}" in out
    assert "已核对记录：" in out and out.rstrip().endswith("结论：未发现问题。")


def test_in_english(data_dir: Path) -> None:
    status, out, _err = run("check", "--data-dir", str(data_dir), "--lang", "en")
    assert status == 0 and out.rstrip().endswith("Result: no problems found.")


def test_the_head_on_a_printout(data_dir: Path) -> None:
    head = head_of(data_dir)
    status, out, _err = run("check", "--data-dir", str(data_dir), "--lang", "zh",
                            "--head", f"{head.seq}:{head.short}")
    assert status == 0 and "打印件上的链头与审计日志一致。" in out
    status, out, _err = run("check", "--data-dir", str(data_dir), "--lang", "zh",
                            "--head", f"{head.seq}:0123456789ab")
    assert status == 1 and "与打印件上的链头 0123456789ab 不一致" in out


def test_a_malformed_head_is_one_plain_line(data_dir: Path) -> None:
    status, out, err = run("check", "--data-dir", str(data_dir), "--lang", "zh",
                           "--head", "abc")
    assert (status, out) == (1, "")
    assert err.startswith("错误：链头的写法") and err.count("\n") == 1


def test_a_tampered_register_says_what_and_exits_1(data_dir: Path) -> None:
    conn = sqlite3.connect(data_dir / DB_NAME)
    with conn:
        conn.execute("UPDATE users SET role = 'head' WHERE username = 'clerk'")
    conn.close()
    status, out, _err = run("check", "--data-dir", str(data_dir), "--lang", "zh")
    assert status == 1
    assert "账号" in out and "被程序以外的方式改动过" in out and "结论：发现1个问题" in out
