"""What every mediation action is made of: limits, the editor check, date checks, and the
timeline entries a step writes on the case (and on a linked petition matter or dispute)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from storage.errors import ValidationError
from storage.i18n import _
from storage.mediation.model import (  # noqa: F401 - re-exported API
    AGREEMENT_FORM_LABELS,
    APPLICATION_SIDE_LABELS,
    DOCUMENTS,
    ENDED_STATUSES,
    JC_RESULT_LABELS,
    OPEN_STATUSES,
    PARTY_KIND_LABELS,
    PERFORMANCE_LABELS,
    REFERRAL_SOURCES,
    RETENTION,
    ROUTES,
    SATISFACTION,
    SESSION_KIND_LABELS,
    SESSION_RESULT_LABELS,
    SIDE_LABELS,
    SOURCE_GROUPS,
    SOURCE_LABELS,
    STATUS_LABELS,
    STATUS_MATTERS,
    TICKABLE,
    Agreement,
    CaseDeadline,
    CaseSummary,
    ChecklistItem,
    Event,
    FollowUp,
    Mediation,
    MediationFile,
    Party,
    Session,
    agreement_of,
    agreement_row,
    available_actions,
    can_edit,
    case_row,
    checklist,
    deadline_warnings,
    events_of,
    followups_of,
    format_amount,
    get_case,
    list_cases,
    mediation_file,
    parse_amount,
    parties_of,
    sessions_of,
    source_label,
    status_label,
    table_exists,
)
from storage.register import Register
from storage.validation import (
    check_text,
)

LIMITS = {"title": 60, "facts": 4000, "claims": 1000, "referred_by": 60, "place": 100,
          "name": 40, "org_name": 60, "occupation": 40, "address": 100, "person": 20,
          "text": 4000, "reason": 500, "court": 60, "note": 500, "retention": 10}
MAX_EXTENSION_DAYS = 30  # per extension; court-linked practice (docs/domain.md §4.2)
CREDIT_CODE = re.compile(r"^[0-9A-Z]{18}$")


def current_day(reg: Register) -> date:
    return reg.clock().date()


def require_editor(reg: Register) -> None:
    reg.require_role("clerk", "head")
    reg.require_writable()


def clean_names(values: Iterable[str], *, field: str, label: str) -> list[str]:
    out: list[str] = []
    for v in values:
        name = check_text(v, field=field, label=label, max_len=LIMITS["person"])
        if name and name not in out:
            out.append(name)
    return out


def not_future(reg: Register, day: date, *, field: str, label: str) -> None:
    if day > current_day(reg):
        raise ValidationError(_("{label}不能晚于今天。").format(label=label), field)


def not_before(day: date, limit: date, *, field: str, label: str, limit_label: str) -> None:
    if day < limit:
        raise ValidationError(_("{label}（{d}）不能早于{limit_label}（{limit}）。").format(
            label=label, d=day.isoformat(), limit_label=limit_label, limit=limit.isoformat()), field)


def add_event(reg: Register, mediation_id: str, kind: str, on: date, note: str = "",
               data: dict[str, Any] | None = None) -> None:
    reg.insert("mediation_events", dict(
        mediation_id=mediation_id, kind=kind, occurred_on=on.isoformat(),
        actor=reg.actor.username, note=note,
        data=json.dumps(data or {}, ensure_ascii=False)))


def matter_event(reg: Register, matter_id: str, kind: str, on: date, note: str,
                  data: dict[str, Any]) -> None:
    reg.insert("matter_events", dict(
        matter_id=matter_id, kind=kind, occurred_on=on.isoformat(), actor=reg.actor.username,
        note=note, data=json.dumps(data, ensure_ascii=False)))


def update_dispute(reg: Register, dispute_id: str, changes: dict[str, Any]) -> None:
    """Write to the screening module's dispute, only the columns it has."""
    if not table_exists(reg, "disputes"):
        return
    cols = set(reg.columns("disputes"))
    reg.update("disputes", dispute_id, {k: v for k, v in changes.items() if k in cols})


