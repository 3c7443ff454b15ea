"""Shared fixtures. Qt runs offscreen; tests that use qtbot are marked ``gui`` automatically."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from storage.db import open_register
from storage.register import Register
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up

if TYPE_CHECKING:
    from tests.helpers.county import County


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def reg(clock: FakeClock) -> Iterator[Register]:
    """An in-memory register, set up, signed in as the clerk."""
    r = open_register(None, clock=clock, password_hasher=CHEAP_HASHER)
    yield set_up(r)
    r.close()


@pytest.fixture(scope="session")
def two_townships(tmp_path_factory: pytest.TempPathFactory) -> Iterator[County]:
    """The county of tests/storage/county_support.py, built once; tests take copies (``copy_of``)."""
    from tests.helpers.county import county_with_two_townships

    built = county_with_two_townships(FakeClock(), tmp_path_factory.mktemp("two-townships"))
    yield built
    for r in (built.county, *built.townships.values()):
        r.close()


@pytest.fixture
def file_reg(tmp_path: Path, clock: FakeClock) -> Iterator[Register]:
    """Like ``reg`` but on disk (WAL, backups)."""
    r = open_register(tmp_path / "data", clock=clock, password_hasher=CHEAP_HASHER)
    yield set_up(r)
    r.close()
