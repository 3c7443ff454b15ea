"""User accounts with roles and Argon2id password hashes; the station head manages them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from argon2.exceptions import InvalidHashError, VerificationError

from storage import logins
from storage.errors import NotFound, ValidationError
from storage.i18n import _
from storage.register import ROLE_LABELS, Actor, Register

MIN_PASSWORD = 6
ROLES = tuple(ROLE_LABELS)


@dataclass(frozen=True)
class User:
    id: str
    username: str
    display_name: str
    role: str
    active: bool
    village_ids: tuple[str, ...]

    @property
    def role_label(self) -> str:
        return _(ROLE_LABELS[self.role])

    def actor(self) -> Actor:
        return Actor(self.id, self.username, self.display_name, self.role, self.village_ids)


def _user(row: dict[str, Any]) -> User:
    return User(row["id"], row["username"], row["display_name"], row["role"],
                bool(row["active"]), tuple(json.loads(row["village_ids"])))


def _check_fields(username: str, display_name: str, role: str, password: str | None) -> None:
    if not username or len(username) > 32 or not username.replace("_", "").isalnum():
        raise ValidationError(_("登录名只能用字母、数字或下划线，最多32个字符。"), "username")
    if not display_name or len(display_name) > 20:
        raise ValidationError(_("请填写姓名（最多20个字）。"), "display_name")
    if role not in ROLES:
        raise ValidationError(_("请选择角色。"), "role")
    if password is not None and len(password) < MIN_PASSWORD:
        raise ValidationError(
            _("密码至少需要{n}个字符。").format(n=MIN_PASSWORD), "password")


def check_account(username: str, display_name: str, password: str) -> None:
    """The first head's account as the set-up takes it, or a refusal naming the field (the
    wizard asks on its account page; nothing is written)."""
    _check_fields(username.strip(), display_name.strip(), "head", password)


def create_user(reg: Register, username: str, display_name: str, role: str, password: str,
                *, village_ids: tuple[str, ...] = (), _setup: bool = False) -> User:
    """Add an account (station head only, except the first head made by the set-up wizard)."""
    if not _setup:
        reg.require_role("head")
    username = username.strip()
    display_name = display_name.strip()
    _check_fields(username, display_name, role, password)
    if reg.scalar("SELECT count(*) FROM users WHERE username = ?", (username,)):
        raise ValidationError(_("登录名“{name}”已被使用。").format(name=username), "username")
    with reg.transaction():
        row = reg.insert("users", dict(
            username=username, display_name=display_name, role=role,
            password_hash=reg.password_hasher.hash(password),
            village_ids=json.dumps(list(village_ids))))
    return _user(row)


def update_user(reg: Register, user_id: str, *, display_name: str, role: str, active: bool,
                village_ids: tuple[str, ...]) -> User:
    reg.require_role("head")
    current = get_user(reg, user_id)
    _check_fields(current.username, display_name.strip(), role, None)
    if current.id == reg.actor.user_id and (not active or role != "head"):
        raise ValidationError(_("不能停用自己的账号或取消自己的站长角色。"), "role")
    with reg.transaction():
        row = reg.update("users", user_id, dict(
            display_name=display_name.strip(), role=role, active=int(active),
            village_ids=json.dumps(list(village_ids))))
    return _user(row)


def set_password(reg: Register, user_id: str, password: str) -> None:
    """The head resets anyone's password; everyone may change their own."""
    if user_id != reg.actor.user_id:
        reg.require_role("head")
    if len(password) < MIN_PASSWORD:
        raise ValidationError(
            _("密码至少需要{n}个字符。").format(n=MIN_PASSWORD), "password")
    with reg.transaction():
        row = reg.update("users", user_id, {"password_hash": reg.password_hasher.hash(password)})
    logins.clear(reg, row["username"])  # a new password from the head also lifts a lock


def get_user(reg: Register, user_id: str) -> User:
    return _user(reg.get("users", user_id))


def list_users(reg: Register) -> list[User]:
    return [_user(r) for r in reg.rows(
        "SELECT * FROM users WHERE deleted = 0 ORDER BY role, username")]


def authenticate(reg: Register, username: str, password: str) -> User:
    """Check the password; on success the register acts as this user from now on."""
    row = reg.rows("SELECT * FROM users WHERE username = ? AND deleted = 0",
                   (username.strip(),))
    is_head = bool(row) and row[0]["role"] == "head"
    logins.check_allowed(reg, username, head=is_head)  # slowed down, or locked
    wrong = _("登录名或密码不正确。")
    if not row:
        reg.password_hasher.hash(password)  # same cost either way: no hint which usernames exist
        raise logins.wrong_password(reg, username, wrong)
    user = _user(row[0])
    try:
        reg.password_hasher.verify(row[0]["password_hash"], password)
    except (VerificationError, InvalidHashError):
        raise logins.wrong_password(reg, username, wrong) from None
    logins.clear(reg, username)
    if not user.active:
        raise ValidationError(_("该账号已停用，请联系站长。"), "username")
    if reg.password_hasher.check_needs_rehash(row[0]["password_hash"]):
        reg.actor = user.actor()
        with reg.transaction():
            reg.update("users", user.id, {"password_hash": reg.password_hasher.hash(password)})
    reg.actor = user.actor()
    return user


def find_user(reg: Register, username: str) -> User:
    rows = reg.rows("SELECT * FROM users WHERE username = ? AND deleted = 0", (username,))
    if not rows:
        raise NotFound(_("没有这个账号。"))
    return _user(rows[0])


def confirm_head(reg: Register, username: str, password: str) -> User:
    """The station head confirms an action the signed-in clerk asks for (作废): their own login
    and password, checked like a sign-in, without signing anyone in or out."""
    row = reg.rows("SELECT * FROM users WHERE username = ? AND deleted = 0 AND role = 'head'"
                   " AND active = 1", (username.strip(),))
    logins.check_allowed(reg, username, head=True)  # the same brake as signing in
    wrong = _("站长登录名或密码不正确。")
    if not row:
        reg.password_hasher.hash(password)  # same cost either way
        raise logins.wrong_password(reg, username, wrong, "head_password")
    try:
        reg.password_hasher.verify(row[0]["password_hash"], password)
    except (VerificationError, InvalidHashError):
        raise logins.wrong_password(reg, username, wrong, "head_password") from None
    logins.clear(reg, username)
    return _user(row[0])


def stored_hash(reg: Register, username: str) -> str | None:
    """The password hash ``authenticate`` will check for ``username`` (None: no such account),
    so that a window can verify it off its own thread first (ui/login.py)."""
    row = reg.rows("SELECT password_hash FROM users WHERE username = ? AND deleted = 0",
                   (username.strip(),))
    return str(row[0]["password_hash"]) if row else None
