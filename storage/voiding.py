"""作废 and 更正, the parts every kind of record shares (docs/domain.md §3.6).

A record entered by mistake is voided, never removed: the row becomes a tombstone (so it leaves
every list, count and statistic that reads live rows, and the deletion travels in the next
bundle) that keeps its number and says why, when and on whose confirmation — the station head's.
A clerk asks for it and the head confirms with their own login and password on the spot; a head
confirms by doing it. A correction (更正) needs a reason too; the record's timeline shows it
with the values before, and the audit log keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storage import accounts
from storage.errors import PermissionDenied, TransitionError, ValidationError
from storage.i18n import _
from storage.register import Register, Row

REASON_LIMIT = 500


@dataclass(frozen=True)
class HeadConfirmation:
    """The station head's login and password, typed at the clerk's desk."""

    username: str
    password: str


def required_reason(text: str, label: str, field: str = "reason") -> str:
    """A reason is required for every correction and void, and kept in full."""
    reason = " ".join(text.split())
    if not reason:
        raise ValidationError(_("请填写{label}。").format(label=label), field)
    if len(reason) > REASON_LIMIT:
        raise ValidationError(_("{label}太长（最多{n}字）。").format(label=label, n=REASON_LIMIT),
                              field)
    return reason


def confirming_head(reg: Register, confirmation: HeadConfirmation | None) -> str:
    """The display name of the head who confirms a void: the signed-in head, or the head whose
    login and password were typed. Anyone else is refused, changing nothing."""
    reg.require_role("clerk", "head")
    reg.require_writable()
    if reg.actor.role == "head":
        return reg.actor.display_name
    if confirmation is None or not confirmation.username.strip():
        raise PermissionDenied(_("作废须经站长确认：请站长输入登录名和密码。"))
    return accounts.confirm_head(reg, confirmation.username, confirmation.password).display_name


def void_values(reg: Register, reason: str, confirmed_by: str) -> dict[str, Any]:
    """The columns a void sets on the tombstone (migration m007 gives every voidable table
    these four)."""
    return {"voided": 1, "void_reason": reason, "voided_at": reg.now(),
            "void_confirmed_by": confirmed_by}


def confirming_head_to_undo(reg: Register) -> str:
    """撤销作废 is the station head's own act (no clerk asks for it at the desk): the head's
    display name, or a refusal that changes nothing."""
    reg.require_writable()
    if reg.actor.role != "head":
        raise PermissionDenied(_("撤销作废只能由站长本人操作。"))
    return reg.actor.display_name


def unvoid_values() -> dict[str, Any]:
    """What 撤销作废 sets on the row taken back: live again, ``voided`` cleared. The void's
    reason, time and confirmation stay on the row: a live row with a void reason is one whose
    void was undone, which is how a county tells the undo from an older copy
    (storage/sync — merge)."""
    return {"voided": 0}


def voided_row(reg: Register, table: str, record_id: str) -> Row | None:
    """The row if it is a voided tombstone (for showing and reprinting it), else None."""
    rows = reg.rows(f"SELECT * FROM {table} WHERE id = ? AND deleted = 1 AND voided = 1",
                    (record_id,))
    return rows[0] if rows else None


def require_voided(reg: Register, table: str, record_id: str, what: str) -> Row:
    """The voided tombstone to take back, or a plain refusal (live, or not found)."""
    row = voided_row(reg, table, record_id)
    if row is None:
        raise TransitionError(_("{what}没有作废，无需撤销。").format(what=what))
    return row


def live_or_voided(reg: Register, table: str, record_id: str) -> Row:
    """A record to show: live, or voided (a plain tombstone is not found)."""
    return voided_row(reg, table, record_id) or reg.get(table, record_id)
