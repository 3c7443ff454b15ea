"""Accounts: Argon2id hashes, signing in, inactive users, and who may manage whom."""

from __future__ import annotations

import pytest

from storage import accounts, station
from storage.db import open_register
from storage.errors import PermissionDenied, ValidationError
from storage.register import Register
from tests.helpers.registers import FakeClock


def sign_in_as_head(reg: Register) -> None:
    accounts.authenticate(reg, "head", "head-pass-1")


def test_passwords_are_stored_as_argon2id_hashes(reg: Register) -> None:
    hashes = [r["password_hash"] for r in reg.rows("SELECT password_hash FROM users")]
    assert len(hashes) == 3
    for h in hashes:
        assert h.startswith("$argon2id$v=19$")
        assert "pass" not in h
    assert len(set(hashes)) == 3  # salted: no two alike


def test_a_register_hashes_at_production_cost_unless_told_otherwise(clock: FakeClock) -> None:
    """The tests' registers hash cheaply (tests/helpers/registers.py); one opened the way the app, the
    command line and the demo open theirs uses Argon2id at the RFC 9106 low-memory cost."""
    reg = open_register(None, clock=clock)
    try:
        station.set_up_station(
            reg, name="姑苏区信访局", short_name="姑苏", code="320508000000", kind="county",
            office_name="", phone="", address="", villages=[], head_username="head",
            head_display_name="审核员", head_password="head-pass-1")
        [h] = [r["password_hash"] for r in reg.rows("SELECT password_hash FROM users")]
    finally:
        reg.close()
    assert h.startswith("$argon2id$v=19$m=65536,t=3,p=4$")  # 64 MiB, 3 passes, 4 lanes


def test_right_password_signs_in_and_sets_the_actor(reg: Register) -> None:
    user = accounts.authenticate(reg, "head", "head-pass-1")
    assert user.role == "head"
    assert reg.actor.username == "head"
    assert reg.actor.role == "head"
    assert reg.actor.user_id == user.id


@pytest.mark.parametrize(("username", "password"), [
    ("head", "wrong-password"), ("head", ""), ("nobody", "head-pass-1"), ("HEAD", "head-pass-1")])
def test_wrong_credentials_are_refused_with_one_message(reg: Register, username: str,
                                                         password: str) -> None:
    with pytest.raises(ValidationError) as err:
        accounts.authenticate(reg, username, password)
    # Same words whether the user exists or not: no hint which names are valid.
    assert str(err.value) == "登录名或密码不正确。"
    assert err.value.field == "password"
    assert reg.actor.username == "clerk"  # still the one signed in before


def test_inactive_user_cannot_sign_in(reg: Register) -> None:
    sign_in_as_head(reg)
    clerk = accounts.find_user(reg, "clerk")
    accounts.update_user(reg, clerk.id, display_name=clerk.display_name, role="clerk",
                         active=False, village_ids=())
    with pytest.raises(ValidationError, match="停用"):
        accounts.authenticate(reg, "clerk", "clerk-pass-1")
    assert reg.actor.username == "head"
    accounts.update_user(reg, clerk.id, display_name=clerk.display_name, role="clerk",
                         active=True, village_ids=())
    assert accounts.authenticate(reg, "clerk", "clerk-pass-1").username == "clerk"


def test_clerk_cannot_create_or_change_users(reg: Register) -> None:
    assert reg.actor.role == "clerk"
    n = reg.scalar("SELECT count(*) FROM users")
    with pytest.raises(PermissionDenied, match="接访员"):
        accounts.create_user(reg, "sneaky", "某某", "head", "sneaky-pass")
    liaison = accounts.find_user(reg, "liaison")
    with pytest.raises(PermissionDenied):
        accounts.update_user(reg, liaison.id, display_name="改名", role="head", active=True,
                             village_ids=())
    with pytest.raises(PermissionDenied):
        accounts.set_password(reg, liaison.id, "new-pass-123")
    assert reg.scalar("SELECT count(*) FROM users") == n
    assert accounts.find_user(reg, "liaison").role == "liaison"


def test_liaison_cannot_create_users_either(reg: Register) -> None:
    accounts.authenticate(reg, "liaison", "liaison-pass-1")
    with pytest.raises(PermissionDenied):
        accounts.create_user(reg, "x1", "某某", "clerk", "abcdefg")


def test_head_manages_users(reg: Register) -> None:
    sign_in_as_head(reg)
    user = accounts.create_user(reg, "clerk2", "周晓燕", "clerk", "clerk2-pass")
    assert user.role == "clerk" and user.active
    assert accounts.authenticate(reg, "clerk2", "clerk2-pass").id == user.id
    sign_in_as_head(reg)
    accounts.set_password(reg, user.id, "reset-pass-9")
    with pytest.raises(ValidationError):
        accounts.authenticate(reg, "clerk2", "clerk2-pass")
    assert accounts.authenticate(reg, "clerk2", "reset-pass-9").username == "clerk2"


def test_everyone_may_change_their_own_password(reg: Register) -> None:
    clerk = accounts.find_user(reg, "clerk")
    accounts.set_password(reg, clerk.id, "my-new-pass")
    assert accounts.authenticate(reg, "clerk", "my-new-pass").username == "clerk"


def test_head_cannot_lock_themself_out(reg: Register) -> None:
    head = accounts.authenticate(reg, "head", "head-pass-1")
    with pytest.raises(ValidationError):
        accounts.update_user(reg, head.id, display_name=head.display_name, role="head",
                             active=False, village_ids=())
    with pytest.raises(ValidationError):
        accounts.update_user(reg, head.id, display_name=head.display_name, role="clerk",
                             active=True, village_ids=())
    assert accounts.find_user(reg, "head").active


@pytest.mark.parametrize(("username", "display", "role", "password", "field"), [
    ("head", "重名", "clerk", "abcdefg", "username"),
    ("bad name", "某某", "clerk", "abcdefg", "username"),
    ("ok_name", "", "clerk", "abcdefg", "display_name"),
    ("ok_name", "某某", "boss", "abcdefg", "role"),
    ("ok_name", "某某", "clerk", "short", "password"),
])
def test_bad_account_fields_are_refused_at_the_field(reg: Register, username: str, display: str,
                                                     role: str, password: str,
                                                     field: str) -> None:
    sign_in_as_head(reg)
    n = reg.scalar("SELECT count(*) FROM users")
    with pytest.raises(ValidationError) as err:
        accounts.create_user(reg, username, display, role, password)
    assert err.value.field == field
    assert reg.scalar("SELECT count(*) FROM users") == n
