"""The station's signing key at rest (issue 14, finding 6: it sat in plain base64 in
``settings``, so in every backup): sealed under the accounts' passwords, opened by signing in,
an older register's plain key sealed at the first sign-in that can."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage import accounts, logins
from storage.db import open_register
from storage.errors import ValidationError
from storage.register import Register
from storage.sync import crypto, keys, signkey
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up


@pytest.fixture(autouse=True)
def as_head(file_reg: Register) -> None:
    file_reg.actor = accounts.find_user(file_reg, "head").actor()


def reopen(path: Path) -> Register:
    return open_register(path, clock=FakeClock(), password_hasher=CHEAP_HASHER)


def file_bytes(reg: Register) -> bytes:
    assert reg.path is not None
    reg.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return reg.path.read_bytes()


def test_the_private_key_is_nowhere_in_plain(file_reg: Register) -> None:
    keys.create_signing_key(file_reg)  # in a session the head signed into (tests/helpers)
    private = keys.signing_private(file_reg)
    stored = json.dumps(file_reg.setting(signkey.SETTING))
    assert "private" not in json.loads(stored)
    assert crypto.b64(private) not in stored
    data = file_bytes(file_reg)
    assert private not in data and crypto.b64(private).encode() not in data
    assert keys.own_key_file(file_reg).sign_key == crypto.signing_public(private)


def test_signing_in_opens_it_and_gives_other_accounts_a_slot(file_reg: Register) -> None:
    keys.create_signing_key(file_reg)
    private = keys.signing_private(file_reg)
    path = file_reg.path
    assert path is not None
    file_reg.close()

    reg = reopen(path.parent)
    try:
        assert signkey.is_locked(reg)
        with pytest.raises(signkey.SigningKeyLocked):
            keys.signing_private(reg)
        signkey.sign_in(reg, "clerk", "clerk", "clerk-pass-1")  # no slot of her own yet
        assert signkey.is_locked(reg)
        assert signkey.unlock(reg, "head-pass-1") == "head"  # the head types it once
        assert keys.signing_private(reg) == private
        assert "clerk" in reg.setting(signkey.SETTING)["slots"]  # ... and she has one now
    finally:
        reg.close()

    reg = reopen(path.parent)
    try:
        signkey.sign_in(reg, "clerk", "clerk", "clerk-pass-1")  # nothing else to type
        assert keys.signing_private(reg) == private
    finally:
        reg.close()


def test_an_older_registers_plain_key_is_sealed_at_the_first_sign_in(file_reg: Register) -> None:
    private, _public = crypto.new_signing_key()
    file_reg.set_setting(signkey.SETTING, {"private": crypto.b64(private),
                                           "created_at": "2026-01-05T09:00:00"})
    assert signkey.is_plain(file_reg)
    signkey.sign_in(file_reg, "head", "head", "head-pass-1")
    assert not signkey.is_plain(file_reg)
    assert keys.signing_private(file_reg) == private
    data = file_bytes(file_reg)
    assert crypto.b64(private).encode() not in data  # overwritten, not just unlinked


def test_a_guessed_password_is_counted_like_a_sign_in(file_reg: Register,
                                                      clock: FakeClock) -> None:
    keys.create_signing_key(file_reg)
    path = file_reg.path
    assert path is not None
    file_reg.close()
    reg = open_register(path.parent, clock=clock, password_hasher=CHEAP_HASHER)
    try:
        for _ in range(logins.LOCK_AFTER):
            clock.advance(seconds=60)
            with pytest.raises(ValidationError):
                signkey.unlock(reg, "guess")
        with pytest.raises(ValidationError, match="暂停"):
            signkey.unlock(reg, "head-pass-1")
    finally:
        reg.close()


def test_no_key_is_made_that_nobody_could_open(tmp_path: Path) -> None:
    reg = open_register(tmp_path / "d", clock=FakeClock(), password_hasher=CHEAP_HASHER)
    try:
        set_up(reg)
        signkey.forget(reg)  # a session nobody signed into with a password
        reg.actor = accounts.find_user(reg, "head").actor()
        with pytest.raises(ValidationError, match="登录"):
            keys.create_signing_key(reg)
        assert reg.setting(signkey.SETTING) is None
    finally:
        reg.close()


def test_guessed_receiving_key_passphrases_slow_down_and_lock(clock: FakeClock) -> None:
    """The import's passphrase (the county's receiving key) is a password too."""
    from tests.helpers.sync import COUNTY_PASS, make_county

    county = make_county(clock)
    try:
        for _ in range(logins.LOCK_AFTER - 1):
            clock.advance(seconds=60)
            with pytest.raises(ValidationError, match="口令不对"):
                keys.unlock_receiving_key(county, "guess-guess")
        clock.advance(seconds=60)
        with pytest.raises(ValidationError, match="暂停"):
            keys.unlock_receiving_key(county, "guess-guess")
        with pytest.raises(ValidationError, match="暂停"):
            keys.unlock_receiving_key(county, COUNTY_PASS)
        clock.advance(minutes=logins.HEAD_LOCK_MINUTES)
        assert keys.unlock_receiving_key(county, COUNTY_PASS)
    finally:
        county.close()
