"""How petition work is led (docs/domain.md §10): leaders and the cases each holds (包案) with a
化解 plan, the 积案 backlog and its rules, the county's 交办/督办 to townships with their
feedback, leaders' reception days, 下访 and 约访, and the month's figures of all of it. Code
outside this package imports only from here.

* ``leaders``     — the station's leaders (names and posts; not accounts);
* ``holdings``    — 包案: plan, steps, notes, the 包案台账, what is overdue;
* ``backlog``     — 积案: the rules, listing, 化解 with evidence, the list;
* ``supervision`` — 交办单 / 督办单 (county) and 签收 / 反馈 (township), status per township;
* ``reception``   — 领导接访日, 下访, 约访 and its outcome on the matter's timeline;
* ``figures``     — the month's figures for the monthly report.
"""

from __future__ import annotations

from datetime import date

from storage.leadership.backlog import (
    OUTCOMES,
    RULE_LABELS,
    BacklogEntry,
    Candidate,
    Rules,
    backlog,
    candidates,
    exclude,
    rules,
    set_rules,
    sweep,
    unlisted,
)
from storage.leadership.backlog import STATUS_LABELS as BACKLOG_STATUS
from storage.leadership.backlog import add as add_to_backlog
from storage.leadership.backlog import resolve as resolve_backlog
from storage.leadership.figures import LeadershipFigures, figure_rows, month_figures
from storage.leadership.holdings import (
    SUBJECT_KINDS,
    Holding,
    HoldingInput,
    LeaderOverdue,
    LedgerRow,
    PlanStep,
    add_note,
    change_plan,
    complete_step,
    find_subject,
    hold,
    holding,
    holding_of,
    holdings,
    ledger,
    notes_of,
    overdue_by_leader,
    parse_steps,
    subject_label,
)
from storage.leadership.holdings import close as close_holding
from storage.leadership.holdings import home_alerts as holding_alerts
from storage.leadership.leaders import (
    Leader,
    add_leader,
    find_leader,
    leader,
    leaders,
    update_leader,
)
from storage.leadership.reception import (
    APPOINTMENT_STATUS,
    RECEPTION_KINDS,
    RECEPTION_STATUS,
    TIMELINE_EVENT,
    Appointment,
    AppointmentInput,
    CalendarEntry,
    Reception,
    ReceptionInput,
    appointment,
    appointments,
    cancel_reception,
    make_appointment,
    month_calendar,
    plan_reception,
    plan_weekly,
    reception,
    receptions,
    record_outcome,
    record_reception,
)
from storage.leadership.supervision import (
    LEVELS,
    PETITIONER_VIEWS,
    REPLY_KINDS,
    RESULTS,
    Assignment,
    AssignmentInput,
    Reply,
    ReplyInput,
    SupervisionInput,
    TownshipSummary,
    assignment,
    assignments,
    find_township_matter,
    issue_assignment,
    issue_supervision,
    per_township,
    receive,
    register_as_matter,
    reply,
    reply_by_ref,
    township_matter,
    withdraw,
)
from storage.leadership.supervision import STATUS_LABELS as ASSIGNMENT_STATUS
from storage.leadership.supervision import home_alerts as assignment_alerts
from storage.register import Register


def home_alerts(reg: Register, on: date | None = None) -> list[str]:
    """What the home page shows: unanswered 交办/督办 with their deadlines, then each leader's
    overdue 包案."""
    return assignment_alerts(reg, on) + holding_alerts(reg, on)


__all__ = [
    "APPOINTMENT_STATUS", "ASSIGNMENT_STATUS", "Appointment", "AppointmentInput", "Assignment",
    "AssignmentInput", "BACKLOG_STATUS", "BacklogEntry", "CalendarEntry", "Candidate",
    "Holding", "HoldingInput", "LEVELS", "Leader", "LeaderOverdue", "LeadershipFigures",
    "LedgerRow", "OUTCOMES", "PETITIONER_VIEWS", "PlanStep", "RECEPTION_KINDS",
    "RECEPTION_STATUS", "REPLY_KINDS", "RESULTS", "RULE_LABELS", "Reception", "ReceptionInput",
    "Reply", "ReplyInput", "Rules", "SUBJECT_KINDS", "SupervisionInput", "TIMELINE_EVENT",
    "TownshipSummary", "add_leader", "add_note", "add_to_backlog", "appointment",
    "appointments", "assignment", "assignments", "backlog", "cancel_reception", "candidates",
    "change_plan", "close_holding", "complete_step", "exclude", "figure_rows", "find_leader",
    "find_subject", "find_township_matter", "hold", "holding", "holding_of", "holdings",
    "home_alerts", "issue_assignment", "issue_supervision", "leader", "leaders", "ledger",
    "make_appointment", "month_calendar", "month_figures", "notes_of", "overdue_by_leader",
    "parse_steps", "per_township", "plan_reception", "plan_weekly", "receive", "reception",
    "receptions", "record_outcome", "record_reception", "register_as_matter", "reply",
    "reply_by_ref", "resolve_backlog", "rules", "set_rules", "subject_label", "sweep",
    "township_matter", "unlisted", "update_leader", "withdraw",
]
