"""Registers for tests: a settable clock, cheap password hashing, the standard township."""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher

from storage import accounts, station
from storage.register import Register
from storage.sync import signkey

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
    # as the sign-in dialog does: the head's password seals a signing key made in this session
    signkey.sign_in(reg, "head", "head", "head-pass-1")
    return reg
