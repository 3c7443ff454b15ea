"""Single-byte flips of a small register (issue 14, finding 3): `main.py check` on each flipped
copy ends in a plain message or finds the damage — never a traceback — and no flip changes a
record covered by the audit log while `check` says all is well.

Every ``STRIDE``-th byte of the file is flipped (all its bits), a prime stride so that the
sampled offsets fall at every position within a page. ``python -m
tests.storage.integrity.test_byte_flips [stride]`` prints the figures for the README."""

from __future__ import annotations

import contextlib
import io
import shutil
import sqlite3
import sys
import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

import main
from storage import backup, schema
from storage.db import DB_NAME, open_register
from storage.i18n import current_language, set_language
from tests.helpers import register_data as rd
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up

STRIDE = 997


def build(data_dir: Path) -> None:
    """A freshly set-up township with 10 matters, a few of them taken further."""
    reg = set_up(open_register(data_dir, clock=FakeClock(), password_hasher=CHEAP_HASHER))
    try:
        for i in range(10):
            row = rd.register(reg, date(2026, 2, 1) + timedelta(days=i),
                              summary=f"反映春明村一组第{i + 1}户宅基地界址争议")
            if i % 3 == 0:
                rd.petitions.accept(reg, row["id"], date(2026, 2, 2) + timedelta(days=i))
        backup.make_backup(reg.conn, data_dir, reason="manual")  # so that none is missing
    finally:
        reg.close()


def records(path: Path, *, indexed: bool = False) -> list[Any]:
    """Every row of every record table as SQLite reads it from ``path``: from the tables
    themselves, or (``indexed``) in the order of their id index, which holds a copy of each id."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if indexed:
            return [(t, conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall())
                    for t in schema.record_tables(conn)]
        return [(t, sorted(conn.execute(f"SELECT * FROM {t} NOT INDEXED").fetchall(), key=repr))
                for t in schema.record_tables(conn)]
    finally:
        conn.close()


def readable_the_same(path: Path, clean: list[Any], clean_indexed: list[Any]) -> tuple[bool,
                                                                                        bool]:
    """(the records are unchanged, and so is what their id index leads to)."""
    try:
        rows = records(path) == clean
    except sqlite3.Error:
        rows = False
    try:
        index = records(path, indexed=True) == clean_indexed
    except sqlite3.Error:
        index = False
    return rows, index


def check_cli(data_dir: Path, *options: str) -> tuple[int | None, str]:
    """(exit status, or None when the command ended in a traceback; what it printed)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main.main(["check", "--data-dir", str(data_dir), "--lang", "zh",
                                *options])
    except Exception as exc:  # a traceback: what the test counts
        return None, f"{type(exc).__name__}: {exc}"
    return status, out.getvalue() + err.getvalue()


def flip_trials(work: Path, stride: int) -> tuple[Counter[str], list[str]]:
    """Counts of outcomes over every ``stride``-th byte, and what went wrong where."""
    original = work / "original"
    build(original)
    clean = records(original / DB_NAME)
    clean_indexed = records(original / DB_NAME, indexed=True)
    data = (original / DB_NAME).read_bytes()
    status, text = check_cli(original)
    assert status == 0, text  # the untouched register passes
    outcomes: Counter[str] = Counter()
    bad: list[str] = []
    target = work / "flipped"
    for offset in range(0, len(data), stride):
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(original, target)
        flipped = bytearray(data)
        flipped[offset] ^= 0xFF
        (target / DB_NAME).write_bytes(bytes(flipped))
        status, text = check_cli(target)
        if status is None:
            outcomes["traceback"] += 1
            bad.append(f"{offset}: {text}")
        elif status != 0:
            outcomes["found or refused"] += 1
        else:
            rows, index = readable_the_same(target / DB_NAME, clean, clean_indexed)
            if not rows:
                outcomes["SILENT change"] += 1
                bad.append(f"{offset}: passed with a changed record")
            elif not index:
                # The records are intact, a copy of an id in an index is not: SQLite's quick
                # check does not compare indexes with their tables; the full one does.
                deep, _text = check_cli(target, "--deep")
                outcomes["index damage, found by --deep" if deep == 1
                         else "SILENT index damage"] += 1
                if deep != 1:
                    bad.append(f"{offset}: index damage passed --deep")
            else:
                outcomes["passed, records unchanged"] += 1
    outcomes["trials"] = len(range(0, len(data), stride))
    outcomes["file bytes"] = len(data)
    return outcomes, bad


@pytest.mark.slow
def test_single_byte_flips_never_end_in_a_traceback_nor_pass_silently(tmp_path: Path) -> None:
    language = current_language()
    try:
        outcomes, bad = flip_trials(tmp_path, STRIDE)
    finally:
        set_language(language)
    assert bad == []
    assert outcomes["traceback"] == outcomes["SILENT change"] == 0
    assert outcomes["SILENT index damage"] == 0
    assert outcomes["found or refused"] > 0


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        counts, problems = flip_trials(Path(tmp), int(sys.argv[1]) if len(sys.argv) > 1
                                       else STRIDE)
    print(dict(counts))
    print("\n".join(problems[:20]))
