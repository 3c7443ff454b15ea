"""The slow half of signing in — Argon2 at production cost, about half a second — on a thread of
its own, so that the sign-in window keeps painting and shows that it is checking (issue 15: the
window froze for 3.5 s after Enter).

``check(hasher, stored, password)`` runs on the worker; ``Prepared`` then stands in for the
register's hasher while ``accounts.authenticate`` runs as always on the GUI thread (its rules,
its writes, its one connection): asked to verify the same hash and password again, it answers
from the worker's result instead of hashing a second time; anything else goes to the real
hasher.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # argon2 loads when a password is checked, not with the sign-in window
    from argon2 import PasswordHasher


@dataclass(frozen=True)
class Checked:
    """What the worker found: the hash it verified (None: no such account, a dummy hash was
    made instead, at the same cost) and the outcome."""

    stored: str | None
    password: str
    ok: bool = False
    invalid: bool = False  # the stored hash is not an Argon2 hash
    dummy: str | None = None


def check(hasher: PasswordHasher, stored: str | None, password: str) -> Checked:
    from argon2.exceptions import InvalidHashError, VerificationError

    if stored is None:
        return Checked(None, password, dummy=hasher.hash(password))
    try:
        return Checked(stored, password, ok=bool(hasher.verify(stored, password)))
    except InvalidHashError:
        return Checked(stored, password, invalid=True)
    except VerificationError:
        return Checked(stored, password)


class Prepared:
    """The register's hasher, with one answer already known (see the module's doc)."""

    def __init__(self, real: PasswordHasher, checked: Checked) -> None:
        self.real = real
        self.checked = checked

    def verify(self, hash: str, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerifyMismatchError

        c = self.checked
        if c.stored is not None and (hash, password) == (c.stored, c.password):
            if c.invalid:
                raise InvalidHashError
            if not c.ok:
                raise VerifyMismatchError
            return True
        return bool(self.real.verify(hash, password))

    def hash(self, password: str, **kwargs: Any) -> str:
        if self.checked.dummy is not None and password == self.checked.password:
            return self.checked.dummy
        return self.real.hash(password, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)
