"""A petitioner is one person (docs/domain.md §3.4): what may change about them, and how it is
kept.

- **A different name on a known ID number is a decision, never a side effect.** Registration
  refuses it (:class:`NameMismatch`) until the clerk uses the stored name, corrects the ID
  number, or records a change of name (更名, :func:`rename`) with a reason. A rename is kept as
  the person's history; every matter keeps the name it was registered under.
- **更正** of a person's details (:func:`correct_person`) needs a reason, and the person's
  timeline shows the values before (the audit log keeps them too).
- **Merging** two rows that turn out to be one person (:func:`merge`) is the station head's: the
  other person's matters move to the one kept, the other row stays (``merged_into``) so that
  :func:`undo_merge` can move exactly those matters back.

Every action is one transaction with its own ``petitioner_events`` entry (synced), so the
county sees the same history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from storage.errors import TransitionError, ValidationError
from storage.i18n import N_, _
from storage.petitions import petitioners, search
from storage.register import Register, Row
from storage.voiding import required_reason

#: What the clerk decided about a name that differs from the one stored for the ID number.
USE_STORED = "use_stored"
RENAME = "rename"

EVENT_LABELS = {
    "rename": N_("更名"),
    "correct": N_("更正"),
    "merge": N_("合并"),
    "merged_into": N_("并入他人"),
    "unmerge": N_("撤销合并"),
}
#: The person's details a 更正 may change, with their labels.
PERSON_FIELDS = {
    "name": N_("姓名"), "gender": N_("性别"), "ethnic_group": N_("民族"),
    "id_number": N_("身份证号"), "phone": N_("电话"), "address": N_("住址"),
    "village_id": N_("所在村"), "occupation": N_("职业"),
}
#: Filled on the person kept from the one merged into them when the kept one lacks it.
_FILLABLE = ("id_number", "birth_date", "gender", "ethnic_group", "phone", "address",
             "village_id", "occupation")


class NameMismatch(ValidationError):
    """The ID number typed is registered under another name; nothing was saved."""

    def __init__(self, index: int, person: Row, typed_name: str) -> None:
        super().__init__(_("此身份证号已登记为{stored}，与所填姓名不一致").format(
            stored=person["name"]), f"petitioners.{index}.name")
        self.index = index
        self.person_id = str(person["id"])
        self.stored_name = str(person["name"])
        self.typed_name = typed_name


@dataclass(frozen=True)
class PersonEvent:
    id: str
    kind: str
    occurred_on: date
    actor_name: str
    reason: str
    data: dict[str, Any]

    @property
    def label(self) -> str:
        return _(EVENT_LABELS.get(self.kind, self.kind))


def _editor(reg: Register) -> None:
    reg.require_role("clerk", "head")
    reg.require_writable()


def _live(reg: Register, person_id: str) -> Row:
    person = reg.get("petitioners", person_id)
    if person["merged_into"]:
        merged = reg.get("petitioners", person["merged_into"])
        raise TransitionError(_("此人已并入{name}，请在{name}的资料中操作。").format(
            name=merged["name"]))
    return person


def _event(reg: Register, person_id: str, kind: str, reason: str,
           data: dict[str, Any]) -> Row:
    return reg.insert("petitioner_events", dict(
        petitioner_id=person_id, kind=kind, occurred_on=reg.clock().date().isoformat(),
        actor=reg.actor.username, note=reason, data=json.dumps(data, ensure_ascii=False)))


def _reindex(reg: Register, person_id: str) -> None:
    for matter_id in {r["matter_id"] for r in reg.rows(
            "SELECT mp.matter_id FROM matter_petitioners mp JOIN matters m ON m.id = mp.matter_id"
            " WHERE mp.petitioner_id = ? AND mp.deleted = 0 AND m.deleted = 0", (person_id,))}:
        search.index_matter(reg, matter_id)


def rename_in_transaction(reg: Register, person: Row, new_name: str, reason: str) -> Row:
    """The rename itself, inside the caller's transaction (registration uses it too)."""
    updated = reg.update("petitioners", person["id"], {
        "name": new_name, "name_pinyin": petitioners.name_pinyin(new_name)})
    _event(reg, person["id"], "rename", reason,
           {"before": {"name": person["name"]}, "after": {"name": new_name}})
    _reindex(reg, person["id"])
    return updated


def check_rename(new_name: str, reason: str, current: str, *, prefix: str = "") -> tuple[str, str]:
    values = petitioners.check_person({"name": new_name}, prefix)
    reason = required_reason(reason, _("更名原因"), prefix + "rename_reason")
    if values["name"] == current:
        raise ValidationError(_("新姓名与原姓名相同。"), prefix + "name")
    return values["name"], reason


def rename(reg: Register, person_id: str, new_name: str, reason: str) -> Row:
    """更名: the person is now called ``new_name`` (e.g. after a legal change of name). The old
    name stays in the person's history; matters registered before keep the name they were
    registered under."""
    _editor(reg)
    person = _live(reg, person_id)
    name, reason = check_rename(new_name, reason, person["name"])
    with reg.transaction():
        return rename_in_transaction(reg, person, name, reason)


def correct_person(reg: Register, person_id: str, changes: dict[str, Any], reason: str) -> Row:
    """更正 a person's details recorded wrongly (a typo in the name, a wrong phone …). Matters
    keep what they registered (correct a matter's own record with ``correct_matter``)."""
    _editor(reg)
    person = _live(reg, person_id)
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    merged = {k: person[k] for k in PERSON_FIELDS} | dict(changes)
    values = petitioners.check_person(merged)
    # What checking derives (the birth date, a gender left empty) changes along with the field
    # it comes from.
    diff = {k: v for k, v in values.items() if person.get(k) != v}
    if not diff:
        raise ValidationError(_("没有需要更正的内容。"), "changes")
    reason = required_reason(reason, _("更正原因"))
    if diff.get("id_number"):
        other = petitioners.find_by_id_number(reg, diff["id_number"])
        if other is not None and other["id"] != person_id:
            raise ValidationError(_("该身份证号已登记为{name}；如是同一人，请由站长合并。").format(
                name=other["name"]), "id_number")
    if "name" in diff:
        diff["name_pinyin"] = petitioners.name_pinyin(diff["name"])
    shown = {k: [person.get(k), v] for k, v in diff.items() if k in PERSON_FIELDS}
    with reg.transaction():
        updated = reg.update("petitioners", person_id, diff)
        _event(reg, person_id, "correct", reason, {"changes": shown})
        _reindex(reg, person_id)
    return updated


def _shared_matter(reg: Register, first: str, second: str) -> str | None:
    return reg.scalar(
        "SELECT m.number FROM matter_petitioners a JOIN matter_petitioners b"
        " ON a.matter_id = b.matter_id AND b.deleted = 0 JOIN matters m ON m.id = a.matter_id"
        " WHERE a.petitioner_id = ? AND b.petitioner_id = ? AND a.deleted = 0 LIMIT 1",
        (first, second))


def merge(reg: Register, keep_id: str, other_id: str, reason: str) -> Row:
    """The station head merges ``other_id`` into ``keep_id``: two rows that are one person.
    The other's matters (and the registered names on them) move to the one kept; details the
    kept one lacks are taken over; the other row stays, marked, so the merge can be undone.
    Returns the merge event (``undo_merge`` takes its id)."""
    reg.require_role("head")
    reg.require_writable()
    if keep_id == other_id:
        raise ValidationError(_("请选择另一个人。"), "other")
    keep, other = _live(reg, keep_id), _live(reg, other_id)
    reason = required_reason(reason, _("合并原因"))
    if keep["id_number"] and other["id_number"] and keep["id_number"] != other["id_number"]:
        raise ValidationError(_("两人的身份证号不同（{a}、{b}），不是同一人，不能合并。").format(
            a=keep["id_number"], b=other["id_number"]), "other")
    shared = _shared_matter(reg, keep_id, other_id)
    if shared:
        raise ValidationError(_("两人同是信访件{number}的信访人，是两个人，不能合并。").format(
            number=shared), "other")
    links = [r["id"] for r in reg.rows(
        "SELECT id FROM matter_petitioners WHERE petitioner_id = ? AND deleted = 0",
        (other_id,))]
    matters = [r["id"] for r in reg.rows(
        "SELECT id FROM matters WHERE petitioner_id = ?", (other_id,))]
    filled = {k: [keep[k], other[k]] for k in _FILLABLE if not keep[k] and other[k]}
    with reg.transaction():
        for link in links:
            reg.update("matter_petitioners", link, {"petitioner_id": keep_id})
        for matter in matters:
            if reg.rows("SELECT 1 FROM matters WHERE id = ? AND deleted = 0", (matter,)):
                reg.update("matters", matter, {"petitioner_id": keep_id})
            else:  # a voided matter is a tombstone: it stays with the person it named
                matters = [m for m in matters if m != matter]
        if filled:
            reg.update("petitioners", keep_id, {k: v[1] for k, v in filled.items()})
        reg.update("petitioners", other_id, {"merged_into": keep_id})
        event = _event(reg, keep_id, "merge", reason, {
            "other_id": other_id, "other_name": other["name"], "links": links,
            "matters": matters, "filled": filled})
        _event(reg, other_id, "merged_into", reason, {
            "keep_id": keep_id, "keep_name": keep["name"], "merge_event": event["id"]})
        _reindex(reg, keep_id)
    return event


def undo_merge(reg: Register, merge_event_id: str, reason: str) -> Row:
    """The station head undoes a merge: the matters that moved go back to the person they came
    from, the details taken over are given back (unless changed since), and both are separate
    people again. Returns the person who comes back."""
    reg.require_role("head")
    reg.require_writable()
    event = reg.get("petitioner_events", merge_event_id)
    if event["kind"] != "merge":
        raise ValidationError(_("这不是一次合并。"), "event")
    data = json.loads(event["data"] or "{}")
    keep_id, other_id = str(event["petitioner_id"]), str(data["other_id"])
    undone = reg.scalar("SELECT count(*) FROM petitioner_events WHERE kind = 'unmerge'"
                        " AND deleted = 0 AND json_extract(data, '$.merge_event') = ?",
                        (merge_event_id,))
    other = reg.get("petitioners", other_id)
    if undone or other["merged_into"] != keep_id:
        raise TransitionError(_("这次合并已经撤销过了。"))
    reason = required_reason(reason, _("撤销原因"))
    keep = reg.get("petitioners", keep_id)
    restore = {k: v[0] for k, v in dict(data.get("filled") or {}).items() if keep[k] == v[1]}
    with reg.transaction():
        for link in data.get("links") or []:
            if reg.rows("SELECT 1 FROM matter_petitioners WHERE id = ? AND petitioner_id = ?"
                        " AND deleted = 0", (link, keep_id)):
                reg.update("matter_petitioners", link, {"petitioner_id": other_id})
        for matter in data.get("matters") or []:
            if reg.rows("SELECT 1 FROM matters WHERE id = ? AND petitioner_id = ?"
                        " AND deleted = 0", (matter, keep_id)):
                reg.update("matters", matter, {"petitioner_id": other_id})
        if restore:
            reg.update("petitioners", keep_id, restore)
        returned = reg.update("petitioners", other_id, {"merged_into": None})
        for person in (keep_id, other_id):
            _event(reg, person, "unmerge", reason, {
                "merge_event": merge_event_id, "keep_id": keep_id, "other_id": other_id,
                "other_name": other["name"], "keep_name": keep["name"]})
        _reindex(reg, keep_id)
        _reindex(reg, other_id)
    return returned


def events_of(reg: Register, person_id: str) -> list[PersonEvent]:
    """The person's own history (renames, corrections, merges), oldest first."""
    return [PersonEvent(r["id"], r["kind"], date.fromisoformat(r["occurred_on"]),
                        r["actor_name"] or r["actor"], r["note"], json.loads(r["data"] or "{}"))
            for r in reg.rows("SELECT * FROM petitioner_events WHERE petitioner_id = ?"
                              " AND deleted = 0 ORDER BY occurred_on, created_at, rowid",
                              (person_id,))]


def former_names(reg: Register, person_id: str) -> list[str]:
    """Names the person was known by before a 更名, oldest first."""
    return [str(e.data["before"]["name"]) for e in events_of(reg, person_id)
            if e.kind == "rename"]


def open_merges(reg: Register, person_id: str) -> list[PersonEvent]:
    """The merges into this person that can still be undone."""
    undone = {str(e.data.get("merge_event")) for e in events_of(reg, person_id)
              if e.kind == "unmerge"}
    return [e for e in events_of(reg, person_id) if e.kind == "merge" and e.id not in undone]


def describe(event: PersonEvent) -> str:
    """One line of a person's history: 更名（王五→张建国）, 更正（电话：…→…）…"""
    if event.kind == "rename":
        return _("{what}（{before}→{after}）").format(
            what=event.label, before=event.data["before"]["name"],
            after=event.data["after"]["name"])
    if event.kind == "correct":
        bits = [_("{field}：{before}→{after}").format(
            field=_(PERSON_FIELDS.get(str(k), str(k))), before=v[0] or "—", after=v[1] or "—")
            for k, v in dict(event.data.get("changes") or {}).items()]
        return _("{what}（{changes}）").format(what=event.label, changes=_("；").join(bits))
    if event.kind == "merge":
        return _("{what}：{name}并入本人（{n}件）").format(
            what=event.label, name=event.data.get("other_name", ""),
            n=len(event.data.get("links") or []))
    if event.kind == "merged_into":
        return _("{what}：并入{name}").format(what=event.label,
                                            name=event.data.get("keep_name", ""))
    if event.kind == "unmerge":
        return _("{what}：{other}与{keep}重新分开").format(
            what=event.label, other=event.data.get("other_name", ""),
            keep=event.data.get("keep_name", ""))
    return event.label


def find_people(reg: Register, text: str, *, exclude_id: str | None = None,
                limit: int = 20) -> list[Row]:
    """People (not merged away) whose name, ID number or phone contains ``text``: whom to
    merge with."""
    text = text.strip()
    if not text:
        return []
    like = f"%{text}%"
    rows = reg.rows(
        f"SELECT p.*, (SELECT count(*) FROM matter_petitioners mp JOIN matters m"
        f" ON m.id = mp.matter_id AND m.deleted = 0 WHERE mp.petitioner_id = p.id"
        f" AND mp.deleted = 0) AS matters FROM petitioners p WHERE p.{petitioners.LIVE}"
        f" AND (p.name LIKE ? OR p.id_number LIKE ? OR p.phone LIKE ?)"
        f" ORDER BY p.name LIMIT ?", (like, like, like, limit + 1))
    return [r for r in rows if r["id"] != exclude_id][:limit]
