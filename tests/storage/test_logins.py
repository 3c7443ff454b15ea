"""Failed sign-ins slow down and lock (issue 14, finding 7: 30 wrong passwords in a row met no
delay and no lockout). The rule runs on the register's clock: the tests move time."""

from __future__ import annotations

import pytest

from storage import accounts, logins
from storage.errors import PermissionDenied, ValidationError
from storage.register import Register
from tests.helpers.registers import FakeClock


def wrong(reg: Register, clock: FakeClock, login: str = "clerk", times: int = 1) -> None:
    for _ in range(times):
        clock.advance(seconds=logins.MAX_DELAY_SECONDS)  # past any delay: the count still grows
        with pytest.raises(ValidationError, match="不正确|锁定"):
            accounts.authenticate(reg, login, "not-the-password")


def test_each_failure_makes_the_next_try_wait_longer(reg: Register, clock: FakeClock) -> None:
    wrong(reg, clock)
    assert logins.delay_after(1) == 0  # one typo costs nothing
    waits = []
    for n in range(2, 5):
        wrong(reg, clock)
        with pytest.raises(ValidationError, match="秒后再试") as refused:
            accounts.authenticate(reg, "clerk", "clerk-pass-1")  # even the right one, too soon
        waits.append(refused.value.user_text())
        assert logins.delay_after(n) == 2 ** (n - 2)
    assert [w.split("请 ")[1].split(" 秒")[0] for w in waits] == ["1", "2", "4"]
    clock.advance(seconds=4)
    assert accounts.authenticate(reg, "clerk", "clerk-pass-1").username == "clerk"
    assert logins.failures(reg, "clerk") is None  # a success clears the count


def test_the_fifth_failure_locks_until_a_head_lifts_it(reg: Register, clock: FakeClock) -> None:
    wrong(reg, clock, times=3)
    clock.advance(seconds=60)
    with pytest.raises(ValidationError, match="再错1次"):
        accounts.authenticate(reg, "clerk", "nope")
    clock.advance(seconds=60)
    with pytest.raises(ValidationError, match="已被锁定"):
        accounts.authenticate(reg, "clerk", "nope")
    clock.advance(days=3)
    with pytest.raises(ValidationError, match="已被锁定"):
        accounts.authenticate(reg, "clerk", "clerk-pass-1")  # the right password, still locked
    assert logins.is_locked(reg, "clerk")
    with pytest.raises(PermissionDenied):
        logins.lift_lock(reg, "clerk")  # (the signed-in clerk may not)
    reg.actor = accounts.find_user(reg, "head").actor()
    logins.lift_lock(reg, "clerk")
    assert accounts.authenticate(reg, "clerk", "clerk-pass-1").username == "clerk"


def test_a_new_password_from_the_head_lifts_the_lock(reg: Register, clock: FakeClock) -> None:
    wrong(reg, clock, times=logins.LOCK_AFTER)
    reg.actor = accounts.find_user(reg, "head").actor()
    accounts.set_password(reg, accounts.find_user(reg, "clerk").id, "fresh-pass-2")
    assert accounts.authenticate(reg, "clerk", "fresh-pass-2").username == "clerk"


def test_thirty_wrong_passwords_in_a_row_get_nowhere(reg: Register, clock: FakeClock) -> None:
    """The finding as measured: 30 tries, each as soon as allowed."""
    for _ in range(30):
        clock.advance(seconds=1)
        with pytest.raises(ValidationError):
            accounts.authenticate(reg, "clerk", "guess")
    assert logins.failures(reg, "clerk").count == logins.LOCK_AFTER  # type: ignore[union-attr]
    assert logins.is_locked(reg, "clerk")


def test_a_head_is_let_in_again_after_a_while(reg: Register, clock: FakeClock) -> None:
    """A station with one head must not be shut out of its own register for good."""
    wrong(reg, clock, "head", times=logins.LOCK_AFTER)
    with pytest.raises(ValidationError, match="已被锁定"):
        accounts.authenticate(reg, "head", "head-pass-1")
    clock.advance(minutes=logins.HEAD_LOCK_MINUTES)
    assert accounts.authenticate(reg, "head", "head-pass-1").role == "head"


def test_unknown_names_are_slowed_down_alike(reg: Register, clock: FakeClock) -> None:
    wrong(reg, clock, "nobody", times=2)
    with pytest.raises(ValidationError, match="秒后再试"):
        accounts.authenticate(reg, "nobody", "x")


def test_the_heads_confirmation_is_guarded_too(reg: Register, clock: FakeClock) -> None:
    for _ in range(logins.LOCK_AFTER):
        clock.advance(seconds=60)
        with pytest.raises(ValidationError):
            accounts.confirm_head(reg, "head", "wrong")
    with pytest.raises(ValidationError, match="已被锁定"):
        accounts.confirm_head(reg, "head", "head-pass-1")
