"""Failed sign-ins slow down and then lock (design §7, issue 14 finding 7).

Counted per login name as typed (a name that does not exist is counted too, so the answer never
tells which names exist), in the local table ``login_failures``:

- after the second failure the next try must wait ``delay_after(n)`` seconds: 1, 2, 4 … (at
  most 60), told in plain words — a rule on the register's clock, so tests move time instead of
  sleeping;
- the ``LOCK_AFTER``-th failure locks the account: even the right password is refused until a
  station head lifts the lock (settings → users). A head's own account unlocks by itself after
  ``HEAD_LOCK_MINUTES`` (else a station with one head would be shut out of its register);
- a successful sign-in clears the count.

The same rule guards every place a password is checked: signing in, unlocking the idle screen,
a head confirming a 作废, the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.errors import ValidationError, plain_storage_errors
from storage.i18n import _
from storage.register import Register

LOCK_AFTER = 5
MAX_DELAY_SECONDS = 60
HEAD_LOCK_MINUTES = 30


@dataclass(frozen=True)
class Failures:
    count: int
    last_failed_at: datetime


def delay_after(failures: int) -> int:
    """Seconds to wait before the next try after ``failures`` failures in a row: a single typo
    costs nothing, then 1, 2, 4 … seconds."""
    return 0 if failures <= 1 else min(2 ** (failures - 2), MAX_DELAY_SECONDS)


def _key(login: str) -> str:
    return login.strip().casefold()


def failures(reg: Register, login: str) -> Failures | None:
    row = reg.conn.execute("SELECT failures, last_failed_at FROM login_failures WHERE login = ?",
                           (_key(login),)).fetchone()
    return None if row is None else Failures(int(row[0]), datetime.fromisoformat(row[1]))


def is_locked(reg: Register, login: str, *, head: bool = False) -> bool:
    f = failures(reg, login)
    if f is None or f.count < LOCK_AFTER:
        return False
    return not (head and reg.clock() >= f.last_failed_at + timedelta(minutes=HEAD_LOCK_MINUTES))


def check_allowed(reg: Register, login: str, *, head: bool = False,
                  locked: str | None = None) -> None:
    """Before a password is even looked at: refused while locked or while the delay runs.
    ``locked``: the refusal while locked, for what is not an account (a key's passphrase)."""
    f = failures(reg, login)
    if f is None:
        return
    if is_locked(reg, login, head=head):
        raise ValidationError((locked or _(
            "该账号连续{n}次密码错误，已被锁定。请站长在“设置—用户”中解除锁定。")).format(n=f.count),
            "password")
    wait = (f.last_failed_at + timedelta(seconds=delay_after(f.count)) - reg.clock())
    seconds = int(wait.total_seconds() + 0.999)
    if seconds > 0 and f.count < LOCK_AFTER:
        raise ValidationError(_("密码错误次数较多，请 {s} 秒后再试。").format(s=seconds), "password")


def record_failure(reg: Register, login: str) -> int:
    """Count a wrong password (kept even though the sign-in fails); returns the count."""
    with plain_storage_errors():
        reg.conn.execute(
            "INSERT INTO login_failures(login, failures, last_failed_at) VALUES (?, 1, ?)"
            " ON CONFLICT(login) DO UPDATE SET failures = failures + 1,"
            " last_failed_at = excluded.last_failed_at", (_key(login), reg.now()))
    f = failures(reg, login)
    return 0 if f is None else f.count


def wrong_password(reg: Register, login: str, message: str, field: str = "password", *,
                   locked: str | None = None) -> ValidationError:
    """Count the failure; the refusal says how many tries are left, or that it is now locked
    (``locked``: in other words than an account's)."""
    count = record_failure(reg, login)
    if count >= LOCK_AFTER:
        return ValidationError((locked or _(
            "密码连续{n}次错误，该账号已被锁定。请站长在“设置—用户”中解除锁定。")).format(n=count),
            field)
    left = LOCK_AFTER - count
    if left <= 2:
        message += _("（再错{n}次，该账号将被锁定）").format(n=left)
    return ValidationError(message, field)


def clear(reg: Register, login: str) -> None:
    with plain_storage_errors():
        reg.conn.execute("DELETE FROM login_failures WHERE login = ?", (_key(login),))


def lift_lock(reg: Register, login: str) -> None:
    """A station head lets a locked account sign in again."""
    reg.require_role("head")
    clear(reg, login)
