"""Month closing: issuing the monthly screening sheet locks the month (no report, dispute or
update dated in it can change); the station head may reopen it with a reason. Both are kept in
the ``month_locks`` record (with its history) and, like every change, in the audit log."""

from __future__ import annotations

import json
from datetime import date

from storage.errors import TransitionError, ValidationError
from storage.i18n import _
from storage.register import Register
from storage.screening import rules
from storage.screening.periods import month_bounds, month_key, periods_of_month
from storage.validation import check_text

MIN_REASON = 4


def _last_day(reg: Register, year: int, month: int) -> date:
    periods = periods_of_month(rules.cadence(reg), year, month)
    return periods[-1].end if periods else month_bounds(year, month)[1]


def issue_month(reg: Register, year: int, month: int) -> rules.MonthLock:
    """The monthly sheet is issued: lock the month. Clerk or head; the month's last screening
    period must be over (issuing earlier would shut out that period's reports)."""
    reg.require_role("clerk", "head")
    reg.require_writable()
    key = month_key(year, month)
    last = _last_day(reg, year, month)
    if rules.today(reg) <= last:
        raise ValidationError(_(
            "{year}年{month}月的最后一个排查周期到{last}才结束，结束后才能出具该月排查表。")
            .format(year=year, month=month, last=last.isoformat()), "month")
    current = rules.lock_row(reg, key)
    if current is not None and current["locked"]:
        raise TransitionError(_("{year}年{month}月的排查表已于{when}出具，该月已锁定。").format(
            year=year, month=month, when=str(current["issued_at"])[:16].replace("T", " ")))
    entry = {"action": "issue", "at": reg.now(), "by": reg.actor.display_name, "reason": ""}
    with reg.transaction():
        if current is None:
            reg.insert("month_locks", dict(month=key, locked=1, issued_at=entry["at"],
                                           issued_by=reg.actor.display_name,
                                           history=json.dumps([entry], ensure_ascii=False)))
        else:
            history = json.loads(current["history"]) + [entry]
            reg.update("month_locks", current["id"], dict(
                locked=1, issued_at=entry["at"], issued_by=reg.actor.display_name,
                history=json.dumps(history, ensure_ascii=False)))
    lock = rules.month_lock(reg, key)
    assert lock is not None
    return lock


def reopen_month(reg: Register, year: int, month: int, reason: str) -> rules.MonthLock:
    """Station head only, with a reason (recorded in the lock's history and the audit log)."""
    reg.require_role("head")
    reg.require_writable()
    key = month_key(year, month)
    reason = check_text(reason, field="reason", label=_("重新打开的理由"), max_len=200,
                        required=True)
    if len(reason) < MIN_REASON:
        raise ValidationError(_("请把重新打开的理由写清楚（至少{n}个字）。").format(
            n=MIN_REASON), "reason")
    current = rules.lock_row(reg, key)
    if current is None or not current["locked"]:
        raise TransitionError(_("{year}年{month}月没有锁定，不需要重新打开。").format(
            year=year, month=month))
    entry = {"action": "reopen", "at": reg.now(), "by": reg.actor.display_name,
             "reason": reason}
    history = json.loads(current["history"]) + [entry]
    with reg.transaction():
        reg.update("month_locks", current["id"], dict(
            locked=0, reopened_at=entry["at"], reopened_by=reg.actor.display_name,
            reopen_reason=reason, history=json.dumps(history, ensure_ascii=False)))
    lock = rules.month_lock(reg, key)
    assert lock is not None
    return lock


def lock_history(reg: Register, year: int, month: int) -> list[dict[str, str]]:
    """Each issue and reopening of the month: action, at, by, reason."""
    row = rules.lock_row(reg, month_key(year, month))
    return [] if row is None else [dict(x) for x in json.loads(row["history"])]


def locked_months(reg: Register) -> list[str]:
    return [r["month"] for r in reg.rows(
        "SELECT month FROM month_locks WHERE station_code = ? AND locked = 1 AND deleted = 0"
        " ORDER BY month", (reg.station_code,))]
