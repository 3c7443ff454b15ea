"""Reading one matter for the detail view and for print: who registered it and who took each
step (by the names recorded with them, docs/architecture.md §3), where the problem is, and the
matter even when it was voided."""

from __future__ import annotations

from storage import attribution
from storage.register import Register, Row
from storage.voiding import live_or_voided


def matter(reg: Register, matter_id: str) -> Row:
    """The matter, live or voided (a voided matter is still shown, marked)."""
    return live_or_voided(reg, "matters", matter_id)


def registered_by(reg: Register, row: Row) -> str:
    """The display name of whoever registered the matter, at the station that registered it."""
    return attribution.person_name(reg, row["station_code"], row["registered_by"],
                                   row.get("registered_by_name") or "")


def actor(reg: Register, event: Row) -> str:
    """The display name of whoever took a timeline step."""
    return attribution.person_name(reg, event["station_code"], event["actor"],
                                   event.get("actor_name") or "")


def problem_village(reg: Register, row: Row) -> str:
    """The village the problem is in, by the township's own village list."""
    return attribution.village_name(reg, row["problem_village_id"])
