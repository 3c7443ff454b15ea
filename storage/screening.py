"""Grid dispute screening (矛盾纠纷排查, domain §5, issue 5) — the public face of the modules:

* ``screening_periods``  — weekly / half-monthly / monthly periods and their keys;
* ``screening_rules``    — settings (cadence, grace days, alert levels), who may report for a
  grid, month locks;
* ``screening_entry``    — zero reports, disputes, later periods' updates;
* ``screening_status``   — completeness matrix, reminders, dispute list, home alerts;
* ``screening_locks``    — issuing the monthly sheet locks the month; the head reopens it;
* ``screening_escalation`` — to people's mediation and to a petition matter;
* ``screening_sheet``    — the monthly sheet's data (``monthly_sheet``);
* ``screening_demo``     — a year of realistic screenings for the demo register.
"""

from __future__ import annotations

from storage.screening_demo import generate_demo
from storage.screening_entry import (
    DisputeInput,
    DisputeProgress,
    Party,
    PartyInput,
    add_dispute,
    carried_disputes,
    dispute,
    dispute_history,
    edit_dispute,
    find_report,
    parties_of,
    report_disputes,
    report_zero,
    update_dispute,
    withdraw_report,
)
from storage.screening_escalation import register_as_matter, send_to_mediation
from storage.screening_locks import issue_month, lock_history, reopen_month
from storage.screening_periods import Period, parse_period, period_containing
from storage.screening_rules import (
    ACTIVE_STATUSES,
    IN_PROGRESS,
    OPEN,
    RESOLUTION_WAYS,
    RESOLVED,
    STATUSES,
    TRANSFERRED,
    cadence,
    current_period,
    entry_grids,
    is_locked,
    month_lock,
    set_cadence,
)
from storage.screening_sheet import ScreeningSheet, SheetRow, monthly_sheet
from storage.screening_status import (
    CellState,
    Completeness,
    DisputeAlert,
    completeness,
    default_periods,
    home_alerts,
    list_disputes,
    reminders,
)

__all__ = [
    "ACTIVE_STATUSES", "IN_PROGRESS", "OPEN", "RESOLUTION_WAYS", "RESOLVED", "STATUSES",
    "TRANSFERRED", "CellState", "Completeness", "DisputeAlert", "DisputeInput",
    "DisputeProgress", "Party", "PartyInput", "Period", "ScreeningSheet", "SheetRow",
    "add_dispute", "cadence", "carried_disputes", "completeness", "current_period", "default_periods", "dispute",
    "dispute_history", "edit_dispute", "entry_grids", "find_report", "generate_demo", "home_alerts",
    "is_locked", "issue_month", "list_disputes", "lock_history", "month_lock", "monthly_sheet",
    "parse_period", "parties_of", "period_containing", "register_as_matter", "reminders",
    "reopen_month", "report_disputes", "report_zero", "send_to_mediation", "set_cadence",
    "update_dispute", "withdraw_report",
]

