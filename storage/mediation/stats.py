"""Monthly people's-mediation figures for the statistics report (docs/domain.md §4.4, §7.3):
cases accepted, succeeded (agreement reached), failed, the amount the agreements involve, split
by dispute type and by source; and how many petition matters and screened disputes were
resolved by mediation (agreement performed) in the month."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from storage.errors import ValidationError
from storage.i18n import _
from storage.mediation.model import SOURCE_GROUPS, fen_to_yuan
from storage.register import Register

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass
class TypeCounts:
    accepted: int = 0
    succeeded: int = 0
    failed: int = 0
    amount: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class MonthStats:
    month: str  # YYYY-MM
    accepted: int  # 受理: cases accepted in the month
    succeeded: int  # 调解成功: agreements that took effect in the month
    failed: int  # 调解不成 in the month
    terminated: int  # 终止调解 in the month
    amount: Decimal  # 协议涉及金额 of the month's agreements, in yuan
    written: int
    oral: int
    performed: int  # agreements performed in full in the month
    followups: int  # 回访 visits made in the month
    judicial_confirmed: int  # 司法确认 confirmed in the month
    open_at_end: int  # cases accepted by the month's end and not ended by then
    matters_resolved: int  # petition matters resolved by mediation in the month
    disputes_resolved: int  # screened disputes resolved by mediation in the month
    by_type: dict[str, TypeCounts] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)  # source code -> accepted
    by_source_group: dict[str, int] = field(default_factory=dict)  # 申请/主动/委托移送

    @property
    def concluded(self) -> int:
        """Cases whose mediation ended in the month: agreement, 调解不成 or 终止."""
        return self.succeeded + self.failed + self.terminated

    @property
    def success_rate(self) -> float | None:
        """调解成功率 over the same cases on both sides (docs/domain.md §7.3): of the cases
        concluded in the month, those with an agreement — cases still in mediation are in
        neither, a case accepted earlier counts in the month it ends."""
        return self.succeeded / self.concluded if self.concluded else None


def _check_month(month: str) -> str:
    if not _MONTH.match(month):
        raise ValidationError(_("月份应写成 2026-03 的样子。"), "month")
    return month


def month_stats(reg: Register, month: str, *, all_stations: bool = False) -> MonthStats:
    """The figures of ``month`` (YYYY-MM) for this station (or, in county mode with
    ``all_stations``, for every station in the register)."""
    _check_month(month)
    where = "deleted = 0" + ("" if all_stations else " AND station_code = ?")
    base: list[Any] = [] if all_stations else [reg.station_code]

    def rows(sql: str, extra: list[Any]) -> list[dict[str, Any]]:
        return reg.rows(sql, [*base, *extra])

    def count(sql: str) -> int:
        return int(reg.scalar(sql, [*base, month]) or 0)

    by_type: dict[str, TypeCounts] = {}
    by_source: dict[str, int] = {}
    by_group: dict[str, int] = {}
    accepted = rows(f"SELECT dispute_type, source FROM mediations WHERE {where}"
                    " AND substr(accepted_on, 1, 7) = ?", [month])
    for r in accepted:
        by_type.setdefault(r["dispute_type"], TypeCounts()).accepted += 1
        by_source[r["source"]] = by_source.get(r["source"], 0) + 1
        group_label = SOURCE_GROUPS[r["source"]]
        group = _(group_label)
        by_group[group] = by_group.get(group, 0) + 1
    agreements = rows(
        f"SELECT m.dispute_type, a.form, a.amount_fen FROM mediation_agreements a"
        f" JOIN mediations m ON m.id = a.mediation_id WHERE a.{where.replace('AND ', 'AND a.')}"
        " AND m.deleted = 0 AND substr(a.signed_on, 1, 7) = ?", [month])
    amount = 0
    for r in agreements:
        t = by_type.setdefault(r["dispute_type"], TypeCounts())
        t.succeeded += 1
        t.amount += fen_to_yuan(r["amount_fen"])
        amount += r["amount_fen"]
    ended = rows(f"SELECT dispute_type, status FROM mediations WHERE {where}"
                 " AND status IN ('failed', 'terminated') AND substr(outcome_on, 1, 7) = ?",
                 [month])
    for r in ended:
        by_type.setdefault(r["dispute_type"], TypeCounts()).failed += 1
    month_end = f"{month}-31"
    open_at_end = int(reg.scalar(
        f"SELECT count(*) FROM mediations WHERE {where} AND accepted_on <= ?"
        " AND (outcome_on IS NULL OR outcome_on > ?)", [*base, month_end, month_end]) or 0)
    performed_sql = (f"SELECT count(*) FROM mediations WHERE {where}"
                     " AND substr(performed_on, 1, 7) = ?")
    return MonthStats(
        month=month, accepted=len(accepted), succeeded=len(agreements),
        failed=sum(1 for r in ended if r["status"] == "failed"),
        terminated=sum(1 for r in ended if r["status"] == "terminated"),
        amount=fen_to_yuan(amount),
        written=sum(1 for r in agreements if r["form"] == "written"),
        oral=sum(1 for r in agreements if r["form"] == "oral"),
        performed=count(performed_sql),
        # the case's own row must be live too: a voided case (a tombstone) is in no figure
        followups=count(f"SELECT count(*) FROM mediation_followups WHERE {where}"
                        " AND mediation_id IN (SELECT id FROM mediations WHERE deleted = 0)"
                        " AND substr(visited_on, 1, 7) = ?"),
        judicial_confirmed=count(f"SELECT count(*) FROM mediation_agreements WHERE {where}"
                                 " AND mediation_id IN (SELECT id FROM mediations"
                                 " WHERE deleted = 0)"
                                 " AND jc_result = 'confirmed' AND substr(jc_decided_on, 1, 7) = ?"),
        open_at_end=open_at_end,
        matters_resolved=count(performed_sql + " AND matter_id IS NOT NULL"),
        disputes_resolved=count(performed_sql + " AND dispute_id IS NOT NULL"),
        by_type=dict(sorted(by_type.items())), by_source=by_source, by_source_group=by_group)
