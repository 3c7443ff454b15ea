"""Shared fixtures. Qt runs offscreen; tests that use qtbot are marked ``gui`` automatically."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from argon2 import PasswordHasher

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from storage import accounts, station
from storage.db import open_register
from storage.register import Register

if TYPE_CHECKING:
    from tests.storage.county_support import County

STATION_CODE = "320508102000"

# Argon2id at its cheapest for the registers the tests open: they make a few accounts each, and at
# production cost (the Register's default, checked in tests/storage/test_accounts.py) hashing
# them was most of the suite's time. Verifying reads the cost from each hash, so nothing else
# changes.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


class FakeClock:
    """A settable clock: tests move time instead of waiting for it."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 9, 0, 0)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


def set_up(reg: Register) -> Register:
    station.set_up_station(
        reg, name="花园镇信访工作站", short_name="花园", code=STATION_CODE, kind="township",
        office_name="花园镇人民政府", phone="0512-66881234", address="花园镇人民路1号",
        villages=[
            station.VillageSpec("春明村", "320508102200", ["一组", "二组"]),
            station.VillageSpec("九龙社区", "320508102001", ["东片"]),
            station.VillageSpec("石桥村", "320508102201", ["一组"]),
        ],
        head_username="head", head_display_name="王站长", head_password="head-pass-1")
    accounts.create_user(reg, "clerk", "李文静", "clerk", "clerk-pass-1")
    accounts.create_user(reg, "liaison", "赵德福", "liaison", "liaison-pass-1",
                         village_ids=(station.villages(reg)[0].id,))
    accounts.authenticate(reg, "clerk", "clerk-pass-1")
    return reg


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
    from tests.storage.county_support import county_with_two_townships

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
