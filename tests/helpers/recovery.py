"""A small demo register (built once per test session) and the kinds of damage recovery must
survive: cut short, one byte overwritten, emptied, another program's database."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from storage import demo
from storage.db import DB_NAME
from tests.helpers.registers import CHEAP_HASHER


@pytest.fixture(scope="session")
def demo_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 200-case demo register (about 5 MB), closed; tests copy it (``copy_demo``). Built as
    of a fixed moment: a demo ending "now" has 200 matters at 9 o'clock and 202 at 11:40
    (what was planned after the end is left out), and the tests count them."""
    data = tmp_path_factory.mktemp("recovery-demo") / "data"
    demo.build(data, cases=200, seed=1, months=6, others=True, password_hasher=CHEAP_HASHER,
               now=datetime(2026, 12, 3, 9, 0))
    return data / DB_NAME


def copy_demo(demo_file: Path, data: Path) -> Path:
    data.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo_file, data / DB_NAME)
    return data / DB_NAME


def damage(path: Path, how: str) -> None:
    """``truncate`` (to 2,000,000 bytes), ``byte`` (one overwritten in the header), ``empty``,
    ``garbage`` (not a database at all)."""
    if how == "truncate":
        with open(path, "r+b") as f:
            f.truncate(2_000_000)
    elif how == "byte":
        with open(path, "r+b") as f:
            f.seek(3)
            f.write(b"\x00")
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "garbage":
        path.write_bytes(b"not a database, a letter\n" * 400)
    else:
        raise ValueError(how)


def foreign_database(path: Path) -> None:
    """A sound SQLite file of another program."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places(url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()


KINDS = ("truncate", "byte", "empty", "garbage")
