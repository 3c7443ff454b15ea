"""更正 and 作废 of a registered matter (docs/domain.md §3.6).

- :func:`correct_matter`: any field the registration recorded — the matter's own (form, date,
  summary, category …) and each petitioner as registered on it — with a required reason. One
  transaction: the changed values, a ``correct`` event on the timeline listing every field
  with its value before and after, and the audit entries (which hold the values before too).
  Everything is checked the way registration checks it.
- :func:`void_matter`: a matter entered by mistake (twice, or not a petition at all) is voided
  with a reason and the station head's confirmation. It keeps its number (numbers are never
  given again), leaves every list and statistic, prints marked 作废 if reprinted, and reaches
  the county voided (a tombstone carrying the reason).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from storage.errors import ValidationError
from storage.i18n import N_, _
from storage.petitions import identity, matters, petitioners, search, workflow
from storage.register import Register, Row
from storage.voiding import (
    HeadConfirmation,
    confirming_head,
    confirming_head_to_undo,
    require_voided,
    required_reason,
    unvoid_values,
    void_values,
)

#: The matter's own fields a 更正 may change, with their labels.
MATTER_FIELDS = {
    "form": N_("信访形式"), "received_on": N_("信访日期"), "proxy_by": N_("代办人"),
    "summary": N_("概况"), "request": N_("诉求"), "facts": N_("事实和理由"),
    "category1": N_("内容分类"), "category2": N_("二级分类"), "purpose": N_("信访目的"),
    "problem_village_id": N_("问题属地"), "visitors_count": N_("来访人数"),
    "persons_involved": N_("涉及人数"), "is_skip_level": N_("越级访"),
}
#: Each petitioner as registered on the matter: what a 更正 may change.
LINK_FIELDS = {**identity.PERSON_FIELDS, "is_representative": N_("代表")}


def _as_input(matter: Row, people: list[Row]) -> matters.RegistrationInput:
    """The matter as the registration form would have it (to check a correction the same
    way)."""
    return matters.RegistrationInput(
        form=matter["form"], received_on=date.fromisoformat(matter["received_on"]),
        petitioners=[matters.PetitionerInput(
            name=p["name"], gender=p["gender"] or "", ethnic_group=p["ethnic_group"] or "",
            id_number=p["id_number"] or "", phone=p["phone"] or "", address=p["address"] or "",
            village_id=p["village_id"], occupation=p["occupation"] or "",
            is_representative=bool(p["is_representative"])) for p in people],
        summary=matter["summary"], request=matter["request"], facts=matter["facts"],
        visitors_count=matter["visitors_count"], persons_involved=matter["persons_involved"],
        is_skip_level=bool(matter["is_skip_level"]), proxy_by=matter["proxy_by"],
        category1=matter["category1"], category2=matter["category2"],
        purpose=matter["purpose"], problem_village_id=matter["problem_village_id"])


def _checked(reg: Register, matter: Row, people: list[Row], changes: dict[str, Any],
             link_changes: dict[str, dict[str, Any]]) -> tuple[dict[str, Any],
                                                               dict[str, dict[str, Any]]]:
    """(matter columns that change, link id -> link columns that change), checked as at
    registration."""
    current = _as_input(matter, people)
    typed = dict(changes)
    if "received_on" in typed and isinstance(typed["received_on"], str):
        typed["received_on"] = date.fromisoformat(typed["received_on"])
    if "is_skip_level" in typed:
        typed["is_skip_level"] = bool(typed["is_skip_level"])
    inp = replace(current, **typed)
    persons = list(inp.petitioners)
    for index, person in enumerate(people):
        link = link_changes.get(person["link_id"], {})
        if link:
            persons[index] = replace(persons[index], **link)
    inp = replace(inp, petitioners=persons)
    checked_people, values = matters.validate(reg, inp)
    if "visitors_count" not in changes:  # the flag is fixed at registration (domain §7.2)
        values["is_collective"] = matter["is_collective"]
    matter_diff = {k: v for k, v in values.items() if matter.get(k) != v}
    link_diff: dict[str, dict[str, Any]] = {}
    for person, values_now, typed_person in zip(people, checked_people, persons, strict=True):
        values_now = dict(values_now, is_representative=int(typed_person.is_representative))
        diff = {k: v for k, v in values_now.items() if person.get(k) != v}
        if diff:
            link_diff[person["link_id"]] = diff
    return matter_diff, link_diff


def correct_matter(reg: Register, matter_id: str, reason: str, *,
                   changes: dict[str, Any] | None = None,
                   petitioner_changes: dict[str, dict[str, Any]] | None = None) -> Row:
    """更正 the registration of a matter: ``changes`` to its own fields (``MATTER_FIELDS``),
    ``petitioner_changes`` maps a link id (``petitioners_of(...)[i]["link_id"]``) to changes of that
    petitioner as registered on this matter (``LINK_FIELDS``). The person's own record is
    corrected separately (``identity.correct_person``)."""
    reg.require_role("clerk", "head")
    reg.require_writable()
    changes = dict(changes or {})
    link_changes = {k: dict(v) for k, v in (petitioner_changes or {}).items() if v}
    unknown = set(changes) - set(MATTER_FIELDS)
    unknown |= {f for v in link_changes.values() for f in v} - set(LINK_FIELDS)
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    matter = workflow.live_matter(reg, matter_id)
    people = matters.petitioners_of(reg, matter_id)
    by_link = {p["link_id"]: p for p in people}
    if set(link_changes) - set(by_link):
        raise ValidationError(_("该信访人不在此信访件中。"), "petitioners")
    matter_diff, link_diff = _checked(reg, matter, people, changes, link_changes)
    if not matter_diff and not link_diff:
        raise ValidationError(_("没有需要更正的内容。"), "changes")
    reason = required_reason(reason, _("更正原因"))
    events = [e for e in matters.events_of(reg, matter_id) if e["kind"] != "registered"]
    if "received_on" in matter_diff and events and \
            matter_diff["received_on"] > min(e["occurred_on"] for e in events):
        raise ValidationError(_("信访日期不能晚于已有的办理环节（{day}）。").format(
            day=min(e["occurred_on"] for e in events)), "received_on")
    shown: dict[str, Any] = {
        "matter": {k: [matter[k], v] for k, v in matter_diff.items() if k in MATTER_FIELDS},
        "petitioners": {link: {"name": by_link[link]["name"],
                               "changes": {k: [by_link[link][k], v] for k, v in diff.items()
                                           if k in LINK_FIELDS}}
                        for link, diff in link_diff.items()}}
    legacy = {r["id"] for r in reg.rows(
        "SELECT id FROM matter_petitioners WHERE matter_id = ? AND name = ''", (matter_id,))}
    with reg.transaction():
        for link, diff in link_diff.items():
            if link in legacy:  # no registered details yet: keep them whole from now on
                person = by_link[link]
                diff = {**{k: person[k] for k in petitioners.SNAPSHOT}, **diff}
            reg.update("matter_petitioners", link, diff)
        if matter_diff:
            if "received_on" in matter_diff:
                for event in matters.events_of(reg, matter_id):
                    if event["kind"] == "registered":
                        reg.update("matter_events", event["id"],
                                   {"occurred_on": matter_diff["received_on"]})
            matter_diff.update(workflow.due_fields(reg, {**matter, **matter_diff}))
            reg.update("matters", matter_id, matter_diff)
        reg.insert("matter_events", dict(
            matter_id=matter_id, kind="correct", occurred_on=reg.clock().date().isoformat(),
            actor=reg.actor.username, note=reason,
            data=json.dumps(shown, ensure_ascii=False)))
        search.index_matter(reg, matter_id)
        return reg.get("matters", matter_id)


def void_matter(reg: Register, matter_id: str, reason: str,
                confirmation: HeadConfirmation | None = None) -> Row:
    """作废 a matter entered by mistake, with the reason and the station head's confirmation.
    Returns the voided row (a tombstone: ``deleted`` and ``voided`` set)."""
    matter = workflow.live_matter(reg, matter_id)
    reason = required_reason(reason, _("作废原因"))
    head = confirming_head(reg, confirmation)
    with reg.transaction():
        reg.insert("matter_events", dict(
            matter_id=matter_id, kind="void", occurred_on=reg.clock().date().isoformat(),
            actor=reg.actor.username, note=reason,
            data=json.dumps({"confirmed_by": head, "status": matter["status"]},
                            ensure_ascii=False)))
        reg.delete("matters", matter_id, dict(void_values(reg, reason, head), due_kind="",
                                              due_date=None))
        search.unindex_matter(reg, matter_id)
    return reg.get("matters", matter_id, include_deleted=True)


def unvoid_matter(reg: Register, matter_id: str, reason: str) -> Row:
    """撤销作废: the station head takes back a void made by mistake, with the reason. The matter
    is live again where it stood (its deadline recomputed), the timeline and the audit log say
    who undid it and why, and the next bundle carries it to the county live again."""
    head = confirming_head_to_undo(reg)
    matter = require_voided(reg, "matters", matter_id, _("该信访件"))
    reason = required_reason(reason, _("撤销作废原因"))
    with reg.transaction():
        revived = dict(matter, **unvoid_values(), deleted=0)
        reg.revive("matters", matter_id, dict(unvoid_values(), **workflow.due_fields(reg, revived)))
        reg.insert("matter_events", dict(
            matter_id=matter_id, kind="unvoid", occurred_on=reg.clock().date().isoformat(),
            actor=reg.actor.username, note=reason,
            data=json.dumps({"confirmed_by": head, "void_reason": matter["void_reason"]},
                            ensure_ascii=False)))
        search.index_matter(reg, matter_id)
    return reg.get("matters", matter_id)


def describe(event: Row, village_names: dict[str, str] | None = None) -> str:
    """What a ``correct`` event changed, in one line: 概况：甲→乙；张三 电话：…→…"""
    data = json.loads(event["data"] or "{}")
    names = village_names or {}

    def shown(key: str, value: Any) -> str:
        if value in (None, ""):
            return "—"
        if key in ("problem_village_id", "village_id"):
            return names.get(str(value), str(value))
        if key in ("is_skip_level", "is_representative"):
            return _("是") if value else _("否")
        text = " ".join(str(value).split())
        return text if len(text) <= 30 else text[:29] + "…"

    bits = [_("{field}：{before}→{after}").format(
        field=_(MATTER_FIELDS.get(str(k), str(k))), before=shown(k, v[0]), after=shown(k, v[1]))
        for k, v in dict(data.get("matter") or {}).items()]
    for person in dict(data.get("petitioners") or {}).values():
        bits += [_("{name} {field}：{before}→{after}").format(
            name=person.get("name", ""), field=_(LINK_FIELDS.get(str(k), str(k))), before=shown(k, v[0]),
            after=shown(k, v[1])) for k, v in dict(person.get("changes") or {}).items()]
    return _("；").join(bits)
