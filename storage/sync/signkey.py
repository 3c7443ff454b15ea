"""The station's Ed25519 signing key at rest (design §7, issue 14 finding 6): never in plain
words in ``settings`` (and so in every backup), yet nothing extra to type for the clerk.

The private key is encrypted (ChaCha20-Poly1305) under a random *key-encryption key*; that key
is kept in *slots*, one per account that may export (clerk, head, liaison, county), each
encrypted under a key derived with Argon2id from that account's password — the way a disk
encryption keeps one slot per passphrase. So:

- signing in (``sign_in``, called by the sign-in dialog with the password just typed) opens
  the account's slot and keeps the key-encryption key in memory for the session; an export then
  signs without asking anything;
- an account without a slot yet (new, or its password changed elsewhere) gets one as soon as
  the key is open in its session — after a head typed their password once (``unlock``);
- the command line, which has no sign-in, asks for a password once (``unlock``);
- a register written by an older version holds the key in plain base64: the first sign-in of an
  account that may export seals it and overwrites the plain copy (``secure_delete``).

Nothing here is written to the audit log or to a bundle; the session's secrets live in memory
only (a weak map keyed by the open ``Register``)."""

from __future__ import annotations

import os
import weakref
from dataclasses import dataclass, field
from typing import Any

from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from storage import logins
from storage.errors import BundleError, ValidationError
from storage.i18n import _
from storage.register import Register
from storage.sync import crypto

SETTING = "sync.sign_key"
#: accounts that sign what they send: they get a slot
SLOT_ROLES = ("clerk", "head", "liaison", "county")
_AAD = b"petitiondesk/signing-key/v1"


class SigningKeyLocked(BundleError):
    """The key is sealed and this session has not opened it (no password typed yet)."""


@dataclass
class _SlotMaker:
    """What a sign-in leaves in memory to (re)make that account's slot without the password."""

    salt: bytes
    params: dict[str, int]
    key: bytes


@dataclass
class _Session:
    kek: bytes | None = None
    makers: dict[str, _SlotMaker] = field(default_factory=dict)


_SESSIONS: weakref.WeakKeyDictionary[Register, _Session] = weakref.WeakKeyDictionary()


def _session(reg: Register) -> _Session:
    return _SESSIONS.setdefault(reg, _Session())


def _kdf_params(reg: Register) -> dict[str, int]:
    """The register's own password cost (production Argon2id; the tests' cheap one)."""
    h = reg.password_hasher
    return {"t": h.time_cost, "m": h.memory_cost, "p": h.parallelism}


def _derive(password: str, salt: bytes, params: dict[str, int]) -> bytes:
    if not (1 <= params["t"] <= 20 and 8 <= params["m"] <= 4 << 20 and 1 <= params["p"] <= 16):
        raise crypto.CryptoError("argon2 parameters out of range")
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=params["t"],
                           memory_cost=params["m"], parallelism=params["p"], hash_len=32,
                           type=Type.ID)


def _seal(key: bytes, secret: bytes, aad: bytes) -> dict[str, str]:
    nonce = os.urandom(crypto.NONCE_SIZE)
    return {"nonce": crypto.b64(nonce),
            "ciphertext": crypto.b64(ChaCha20Poly1305(key).encrypt(nonce, secret, aad))}


def _open(key: bytes, box: dict[str, Any], aad: bytes) -> bytes:
    try:
        return ChaCha20Poly1305(key).decrypt(crypto.unb64(box["nonce"], crypto.NONCE_SIZE),
                                             crypto.unb64(box["ciphertext"]), aad)
    except (KeyError, TypeError, InvalidTag) as exc:
        raise crypto.CryptoError("wrong key or damaged box") from exc


def _stored(reg: Register) -> dict[str, Any] | None:
    value = reg.setting(SETTING)
    return value if isinstance(value, dict) else None


def is_plain(reg: Register) -> bool:
    """An older version's plain base64 key (sealed at the next sign-in that can)."""
    stored = _stored(reg)
    return stored is not None and "private" in stored


def public_key(reg: Register) -> bytes | None:
    stored = _stored(reg)
    if stored is None:
        return None
    if "private" in stored:
        return crypto.signing_public(crypto.unb64(stored["private"], crypto.KEY_SIZE))
    return crypto.unb64(stored["public"], crypto.KEY_SIZE)


def _write(reg: Register, private: bytes, kek: bytes, created_at: str,
           slots: dict[str, Any]) -> None:
    public = crypto.signing_public(private)
    value = {"public": crypto.b64(public), "created_at": created_at,
             "sealed": _seal(kek, private, _AAD + public), "slots": slots}
    # the plain copy an older version left must not linger in a free page of the file
    reg.conn.execute("PRAGMA secure_delete = ON")
    try:
        reg.set_setting(SETTING, value)
    finally:
        reg.conn.execute("PRAGMA secure_delete = OFF")


def _slot(maker: _SlotMaker, kek: bytes, username: str) -> dict[str, Any]:
    return {"salt": crypto.b64(maker.salt), **maker.params,
            **_seal(maker.key, kek, _AAD + username.encode("utf-8"))}


def store(reg: Register, private: bytes) -> None:
    """Keep a new signing key sealed: a fresh key-encryption key, a slot for every account
    signed in during this session, the key open for the session. (Inside a transaction.)"""
    session = _session(reg)
    if not session.makers:  # nobody's password to seal it under: it could never be opened again
        raise ValidationError(_("请先以站长身份登录（命令行：输入站长的登录密码），再创建签名密钥。"))
    session.kek = os.urandom(32)
    slots = {name: _slot(maker, session.kek, name) for name, maker in session.makers.items()}
    _write(reg, private, session.kek, reg.now(), slots)


def _try_slot(stored: dict[str, Any], username: str, password: str
              ) -> bytes | None:
    slot = stored.get("slots", {}).get(username)
    if slot is None:
        return None
    try:
        key = _derive(password, crypto.unb64(slot["salt"]),
                      {k: int(slot[k]) for k in ("t", "m", "p")})
        return _open(key, slot, _AAD + username.encode("utf-8"))
    except (crypto.CryptoError, KeyError, ValueError, TypeError):
        return None  # a stale slot (the password was changed elsewhere): remade below


@dataclass(frozen=True)
class SignInWork:
    """What a sign-in needs from the register, read first on its own thread; the slow part
    (``derive``: Argon2 at production cost) may then run on a worker thread."""

    username: str
    role: str
    params: dict[str, int]
    stored: dict[str, Any] | None


@dataclass(frozen=True)
class Derived:
    maker: _SlotMaker | None
    kek: bytes | None


def prepare(reg: Register, username: str, role: str) -> SignInWork:
    return SignInWork(username, role, _kdf_params(reg), _stored(reg))


def derive(work: SignInWork, password: str) -> Derived:
    """Touches no register: safe on a worker thread."""
    if work.role not in SLOT_ROLES:
        return Derived(None, None)
    salt = os.urandom(16)
    maker = _SlotMaker(salt, work.params, _derive(password, salt, work.params))
    kek = None
    if work.stored is not None and "sealed" in work.stored:
        kek = _try_slot(work.stored, work.username, password)
    return Derived(maker, kek)


def apply(reg: Register, work: SignInWork, derived: Derived) -> None:
    """Back on the register's thread, after the password proved right: keep the slot maker,
    seal a plain key left by an older version, (re)make the account's slot when the key is
    open."""
    if derived.maker is None:
        return
    session = _session(reg)
    session.makers[work.username] = derived.maker
    stored = _stored(reg)
    if stored is None:
        return
    if "private" in stored:  # an older version's plain key: seal it now
        private = crypto.unb64(stored["private"], crypto.KEY_SIZE)
        with reg.transaction():
            store(reg, private)
        return
    if session.kek is None and stored == work.stored:
        session.kek = derived.kek
    if session.kek is not None:
        _add_slots(reg)


def sign_in(reg: Register, username: str, role: str, password: str) -> None:
    """After a successful sign-in (all three steps on this thread): open this account's slot
    (the key is then usable for the session), seal a plain key left by an older version, and
    (re)make the account's slot when the key is open."""
    work = prepare(reg, username, role)
    apply(reg, work, derive(work, password))


def _add_slots(reg: Register) -> None:
    """Give every account signed in during this session a current slot."""
    session = _session(reg)
    stored = _stored(reg)
    if session.kek is None or stored is None or "sealed" not in stored:
        return
    slots = dict(stored.get("slots", {}))
    for name, maker in session.makers.items():
        slots[name] = _slot(maker, session.kek, name)
    with reg.transaction():
        reg.set_setting(SETTING, {**stored, "slots": slots})


def unlock(reg: Register, password: str) -> str:
    """Open the key with any slot's password (the command line; a head helping a clerk whose
    account has no slot yet). Returns whose slot opened it."""
    stored = _stored(reg)
    if stored is None or "sealed" not in stored:
        return ""
    locked = _("密码连续{n}次错误，签名密钥已暂停解锁，请30分钟后再试。")
    logins.check_allowed(reg, "signing-key", head=True, locked=locked)  # guesses count
    for username in stored.get("slots", {}):
        kek = _try_slot(stored, username, password)
        if kek is not None:
            _session(reg).kek = kek
            logins.clear(reg, "signing-key")
            _add_slots(reg)
            return str(username)
    raise logins.wrong_password(reg, "signing-key", _("密码不对，无法解锁签名密钥。"),
                                locked=locked)


def sign_in_head(reg: Register, password: str) -> str:
    """The command line has no sign-in: the password of an active station head stands for
    one (to give that head a slot of a key made now). Returns the head's login name."""
    locked = _("密码连续{n}次错误，命令行已暂停接受站长密码，请30分钟后再试。")
    logins.check_allowed(reg, "command-line", head=True, locked=locked)
    for row in reg.rows("SELECT username, role, password_hash FROM users WHERE deleted = 0"
                        " AND active = 1 AND role IN ('head', 'county') ORDER BY username"):
        try:
            reg.password_hasher.verify(row["password_hash"], password)
        except (VerificationError, InvalidHashError):
            continue
        logins.clear(reg, "command-line")
        sign_in(reg, row["username"], row["role"], password)
        return str(row["username"])
    raise logins.wrong_password(reg, "command-line", _("这不是本站任何一位站长的登录密码。"),
                                locked=locked)


def is_locked(reg: Register) -> bool:
    """Sealed and not yet opened in this session."""
    stored = _stored(reg)
    return stored is not None and "sealed" in stored and _session(reg).kek is None


def private_key(reg: Register) -> bytes:
    stored = _stored(reg)
    if stored is None:
        raise BundleError(_("本站还没有签名密钥：请先在“密钥”中创建本站签名密钥。"))
    if "private" in stored:
        return crypto.unb64(stored["private"], crypto.KEY_SIZE)
    kek = _session(reg).kek
    if kek is None:
        raise SigningKeyLocked(_("签名密钥已加密保存，本次还没有解锁：请输入站长（或本账号）的登录密码解锁。"))
    try:
        return _open(kek, stored["sealed"], _AAD + crypto.unb64(stored["public"]))
    except crypto.CryptoError:
        raise BundleError(_("签名密钥已损坏，请从备份恢复。")) from None


def forget(reg: Register) -> None:
    """The session ends (sign-out, close): the opened key leaves memory."""
    _SESSIONS.pop(reg, None)
