"""Escalating a screened dispute: to people's mediation (the mediation module opens the case and
later reports the outcome back onto the dispute: 化解中, then 已化解 / 人民调解 / date) or to a
petition matter (信访事项). Both are linked both ways and written into the dispute's history of
the current period, in one transaction with the case or matter."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from storage.errors import TransitionError, ValidationError
from storage.i18n import _
from storage.register import Register, Row
from storage.screening import rules
from storage.screening.entry import dispute, parties_of, record_update

MATTER_EVENT_KIND = "from_screening"  # matter timeline: "来自矛盾纠纷排查"


def _escalation_period(reg: Register, dispute: Row) -> Any:
    reg.require_role("clerk", "head")
    reg.require_writable()
    if dispute["status"] == rules.RESOLVED:
        raise TransitionError(_("这件纠纷已经化解，不需要再转出。"))
    period = rules.current_period(reg)
    rules.require_open_month(reg, period.month)
    return period


def send_to_mediation(reg: Register, dispute_id: str, *, accepted_on: date | None = None,
                      **changes: Any) -> Row:
    """Open a people's mediation case from the dispute (parties with phones: the first party
    on side 甲, the others on side 乙); returns the case row. ``changes`` override the
    prefilled case fields (title, facts, mediators, dispute_type …)."""
    from storage import mediation

    d = dispute(reg, dispute_id)
    period = _escalation_period(reg, d)
    parties = [mediation.PartyInput(side="a" if i == 0 else "b", name=p.name, phone=p.phone)
               for i, p in enumerate(parties_of(d))]
    on = accepted_on or rules.today(reg)
    with reg.transaction():
        case = mediation.open_mediation_from_dispute(reg, dispute_id, parties=parties,
                                                     accepted_on=on, **changes)
        after = dispute(reg, dispute_id)
        diff = {k: after[k] for k in ("status", "mediation_id") if after[k] != d[k]}
        record_update(reg, d, diff, note=_("转人民调解，案号{number}").format(
            number=case["number"]), period=period, report_id=None, on=rules.today(reg))
    return case


def register_as_matter(reg: Register, dispute_id: str, *, petitioners: list[str] | None = None,
                       form: str = "来访", received_on: date | None = None,
                       summary: str | None = None, request: str = "", category1: str = "",
                       category2: str = "", purpose: str = "",
                       mark_transferred: bool = True) -> Row:
    """Register the dispute as a petition matter (信访事项): the named parties (default: the
    first) become the petitioners. The matter's timeline says where it came from; the dispute
    points to the matter and, by default, is 已移交 to the petition desk. Returns the matter."""
    from storage import petitions

    d = dispute(reg, dispute_id)
    period = _escalation_period(reg, d)
    if d["matter_id"]:
        number = reg.scalar("SELECT number FROM matters WHERE id = ?", (d["matter_id"],))
        raise TransitionError(_("这件纠纷已登记为信访事项{number}。").format(number=number or ""))
    parties = parties_of(d)
    chosen = [p for p in parties if petitioners is None or p.name in petitioners]
    if petitioners is None:
        chosen = chosen[:1]
    if not chosen:
        raise ValidationError(_("请选择作为信访人的当事人。"), "petitioners")
    grid = rules.find_grid(reg, d["grid_id"])
    facts = _("{village}{grid}矛盾纠纷排查（{found}）：{summary}").format(
        village=grid.village_name, grid=grid.name, found=d["found_on"], summary=d["summary"])
    inp = petitions.RegistrationInput(
        form=form, received_on=received_on or rules.today(reg),
        petitioners=[petitions.PetitionerInput(name=p.name, phone=p.phone,
                                             village_id=d["village_id"]) for p in chosen],
        summary=(summary or d["summary"])[:petitions.LIMITS["summary"]], request=request,
        facts=facts[:petitions.LIMITS["facts"]], visitors_count=len(chosen),
        persons_involved=max(int(d["persons_involved"]), len(chosen)),
        category1=category1, category2=category2, purpose=purpose,
        problem_village_id=d["village_id"])
    with reg.transaction():
        matter = petitions.register(reg, inp)
        reg.insert("matter_events", dict(
            matter_id=matter["id"], kind=MATTER_EVENT_KIND, occurred_on=inp.received_on.isoformat(),
            actor=reg.actor.username,
            note=_("来自矛盾纠纷排查：{village}{grid}，{found}排查，{type}纠纷").format(
                village=grid.village_name, grid=grid.name, found=d["found_on"], type=d["type"]),
            data=json.dumps({"dispute_id": dispute_id}, ensure_ascii=False)))
        diff: dict[str, Any] = {"matter_id": matter["id"]}
        if mark_transferred:
            diff.update(status=rules.TRANSFERRED, resolved_on=None, resolution_way="",
                        transfer_to=_("信访工作站（信访事项{number}）").format(
                            number=matter["number"]),
                        transferred_on=rules.today(reg).isoformat())
        diff = {k: v for k, v in diff.items() if d.get(k) != v}
        record_update(reg, d, diff, note=_("登记为信访事项{number}").format(
            number=matter["number"]), period=period, report_id=None, on=rules.today(reg))
        reg.update("disputes", dispute_id, diff)
    return matter


def linked_matter(reg: Register, dispute_row: Row) -> Row | None:
    if not dispute_row.get("matter_id"):
        return None
    rows = reg.rows("SELECT * FROM matters WHERE id = ?", (dispute_row["matter_id"],))
    return rows[0] if rows else None


def linked_mediation(reg: Register, dispute_row: Row) -> Row | None:
    if not dispute_row.get("mediation_id"):
        return None
    rows = reg.rows("SELECT * FROM mediations WHERE id = ?", (dispute_row["mediation_id"],))
    return rows[0] if rows else None


def dispute_of_matter(reg: Register, matter_id: str) -> Row | None:
    """The other direction of the link: the screened dispute a matter came from."""
    rows = reg.rows("SELECT * FROM disputes WHERE matter_id = ? AND deleted = 0", (matter_id,))
    return rows[0] if rows else None
