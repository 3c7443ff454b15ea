"""Registering petition matters (信访事项): one form for 来访, 来信, 来电, 网信 and 代办.

``register`` validates everything first and then writes the petitioner(s), the matter, its first
event and its search row in one transaction, so nothing half-valid is ever saved. A visit about a
matter that is still open can instead be attached to it as a repeat visit (重复访).

Before anything is written the people on the form are recognised (by the person picked, the ID
number, or name and phone): a different name on a known ID number is refused until the clerk
decides (``identity.NameMismatch``), and a same-day, near-identical open matter of the same
person is refused as a new matter until the clerk says it is one (``DuplicateSuspected``). The
matter keeps each petitioner as registered — name, ID number, phone, address — on its link
row, and which of them represent a collective visit (at most five, [T2022] Art.20).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from storage import preferences
from storage.errors import ValidationError
from storage.i18n import _
from storage.ids import new_query_code
from storage.petitions import duplicates, identity, petitioners, search, workflow
from storage.register import Register, Row
from storage.validation import check_text

PROXY_FORM = "代办"
MAX_PEOPLE = 9999
#: 《信访工作条例》 Art.20 ¶3: several people with a common matter choose at most five.
MAX_REPRESENTATIVES = 5

LIMITS = {**petitioners.PERSON_LIMITS, "summary": 200, "request": 1000, "facts": 4000,
          "proxy_by": 20}


@dataclass
class PetitionerInput:
    name: str
    gender: str = ""
    ethnic_group: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    village_id: str | None = None
    occupation: str = ""
    existing_id: str | None = None  # the clerk picked a known person (e.g. a suggestion)
    is_representative: bool = False  # one of the (at most five) representatives
    # A name that differs from the one stored for the ID number: identity.USE_STORED, or
    # identity.RENAME with ``rename_reason`` (the clerk may also correct the ID number instead).
    name_decision: str = ""
    rename_reason: str = ""


@dataclass
class RegistrationInput:
    form: str
    received_on: date
    petitioners: list[PetitionerInput]
    summary: str
    request: str = ""
    facts: str = ""
    visitors_count: int = 1
    persons_involved: int = 1
    is_skip_level: bool = False
    proxy_by: str = ""
    category1: str = ""
    category2: str = ""
    purpose: str = ""
    problem_village_id: str | None = None
    attach_to_matter_id: str | None = None  # a repeat visit about this open matter
    # duplicates.NEW_MATTER: the clerk says a same-day, near-identical open matter of the same
    # person is a different matter after all.
    duplicate_decision: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Person:
    """One form row resolved: checked values, the stored person it is (None: new), and a
    rename (new name, reason) to record first."""

    values: dict[str, Any]
    person: Row | None
    rename: tuple[str, str] | None
    representative: bool


def collective_threshold(reg: Register) -> int:
    return preferences.COLLECTIVE_THRESHOLD.read(reg)


def validate(reg: Register, inp: RegistrationInput) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Check the whole form; return (petitioner values, matter values) or raise at the field."""
    today = reg.clock().date()
    if not inp.petitioners:
        raise ValidationError(_("请至少填写一名信访人。"), "petitioners.0.name")
    people = [petitioners.check_person(vars(p), f"petitioners.{i}.")
              for i, p in enumerate(inp.petitioners)]
    ids = [p["id_number"] for p in people if p["id_number"]]
    if len(ids) != len(set(ids)):
        raise ValidationError(_("同一身份证号码填写了两次。"), "petitioners.1.id_number")
    representatives = [i for i, p in enumerate(inp.petitioners) if p.is_representative]
    if len(representatives) > MAX_REPRESENTATIVES:
        raise ValidationError(_(
            "代表最多{max}人（《信访工作条例》第二十条），现在选了{n}人。").format(
                max=MAX_REPRESENTATIVES, n=len(representatives)),
            f"petitioners.{representatives[MAX_REPRESENTATIVES]}.is_representative")
    if inp.received_on > today:
        raise ValidationError(_("信访日期不能晚于今天。"), "received_on")
    if inp.received_on.year < 2000:
        raise ValidationError(_("信访日期不正确。"), "received_on")
    if not 1 <= inp.visitors_count <= MAX_PEOPLE:
        raise ValidationError(_("来访人数应在1到{n}之间。").format(n=MAX_PEOPLE),
                              "visitors_count")
    if not 1 <= inp.persons_involved <= MAX_PEOPLE * 10:
        raise ValidationError(_("涉及人数至少为1。"), "persons_involved")
    if inp.persons_involved < len(people):
        raise ValidationError(_("涉及人数不能少于填写的信访人人数。"), "persons_involved")
    proxy_by = inp.proxy_by.strip()
    if inp.form == PROXY_FORM and not proxy_by:
        if reg.actor.role == "liaison":
            proxy_by = reg.actor.display_name
        else:
            raise ValidationError(_("代办件请填写代办人（信访联络员）姓名。"), "proxy_by")
    matter = dict(
        form=inp.form, received_on=inp.received_on.isoformat(),
        summary=check_text(inp.summary, field="summary", label=_("概况"),
                           max_len=LIMITS["summary"], required=True),
        request=check_text(inp.request, field="request", label=_("诉求"),
                           max_len=LIMITS["request"]),
        facts=check_text(inp.facts, field="facts", label=_("事实和理由"),
                         max_len=LIMITS["facts"]),
        visitors_count=inp.visitors_count, persons_involved=inp.persons_involved,
        is_collective=int(inp.visitors_count >= collective_threshold(reg)),
        is_skip_level=int(inp.is_skip_level),
        proxy_by=check_text(proxy_by, field="proxy_by", label=_("代办人"),
                            max_len=LIMITS["proxy_by"]),
        category1=inp.category1.strip(), category2=inp.category2.strip(),
        purpose=inp.purpose.strip(), problem_village_id=inp.problem_village_id or None)
    if not inp.form.strip():
        raise ValidationError(_("请选择信访形式。"), "form")
    if matter["category2"] and not matter["category1"]:
        raise ValidationError(_("请先选择一级内容分类。"), "category1")
    return people, matter


def next_number(reg: Register, year: int) -> tuple[str, int]:
    prefix = f"{reg.station_code}-{year}-"
    # The newest number of the year from the unique (station_code, number) index: a lookup, not
    # a scan of the year's matters. Numbers are zero-padded to 5 digits, so the highest string
    # is the highest number until 99999; past that, count the year the slow way.
    last = reg.scalar("SELECT seq FROM matters WHERE station_code = ? AND number >= ?"
                      " AND number < ? ORDER BY number DESC LIMIT 1",
                      (reg.station_code, prefix, prefix[:-1] + "."))
    if last is not None and last >= 99999:
        last = reg.scalar("SELECT max(seq) FROM matters WHERE station_code = ? AND number >= ?"
                          " AND number < ?", (reg.station_code, prefix, prefix[:-1] + "."))
    seq = int(last or 0) + 1
    return f"{prefix}{seq:05d}", seq


def _repeat_kind(reg: Register, person_ids: list[str], category: tuple[str, str]) -> str:
    """重件 if one of the petitioners already brought a matter of the same content category
    (second level when given, else first level); otherwise 初件. The official rule is not
    published (docs/domain.md §7.2), so this is the station's working definition."""
    first, second = category
    if not first:
        return "初件"
    column, value = ("category2", second) if second else ("category1", first)
    marks = ",".join("?" * len(person_ids))
    n = reg.scalar(
        f"SELECT count(*) FROM matters m JOIN matter_petitioners mp ON mp.matter_id = m.id"
        f" WHERE mp.petitioner_id IN ({marks}) AND m.deleted = 0 AND m.{column} = ?",
        [*person_ids, value])
    return "重件" if n else "初件"


def _resolve(reg: Register, inp: RegistrationInput, people: list[dict[str, Any]]
             ) -> list[_Person]:
    """Who each form row is, and what the clerk decided where the name differs."""
    out: list[_Person] = []
    seen: set[str] = set()
    for index, (values, src) in enumerate(zip(people, inp.petitioners, strict=True)):
        prefix = f"petitioners.{index}."
        person = petitioners.recognise(reg, existing_id=src.existing_id,
                                       id_number=values["id_number"] or "",
                                       name=values["name"], phone=values["phone"])
        rename = None
        if person is not None:
            if person["id"] in seen:
                raise ValidationError(_("同一个人填写了两次。"), prefix + "name")
            seen.add(person["id"])
            if src.existing_id and values["id_number"] and person["id_number"] != \
                    values["id_number"]:
                other = petitioners.find_by_id_number(reg, values["id_number"])
                raise ValidationError(
                    _("此身份证号已登记为{name}，不是所选的人。").format(name=other["name"])
                    if other is not None else
                    _("所选的人登记的身份证号与所填的不同；如需更正，请在信访人资料中更正。"),
                    prefix + "id_number")
            if person["name"] != values["name"]:
                if src.name_decision == identity.USE_STORED:
                    values = dict(values, name=person["name"])
                elif src.name_decision == identity.RENAME:
                    rename = identity.check_rename(values["name"], src.rename_reason,
                                                   person["name"], prefix=prefix)
                else:
                    raise identity.NameMismatch(index, person, values["name"])
        out.append(_Person(values, person, rename, src.is_representative))
    return out


def link_values(person: Row, *, is_main: bool, representative: bool) -> dict[str, Any]:
    """A matter_petitioners row: the person as registered on this matter."""
    return dict(petitioner_id=person["id"], is_main=int(is_main),
                is_representative=int(representative), **petitioners.snapshot(person))


def check_registration(reg: Register, inp: RegistrationInput) -> None:
    """Everything ``register`` checks before the duplicate check, writing nothing: the desk
    asks this before it offers the person's open matters."""
    people, _values = validate(reg, inp)
    _resolve(reg, inp, people)


def register(reg: Register, inp: RegistrationInput) -> Row:
    """Save the registration as one action; returns the (new or attached) matter."""
    reg.require_role("clerk", "head", "liaison")
    reg.require_writable()
    people, values = validate(reg, inp)
    resolved = _resolve(reg, inp, people)
    if not inp.attach_to_matter_id and inp.duplicate_decision != duplicates.NEW_MATTER:
        same = [c for c in duplicates.candidates_for(
            reg, (r.person["id"] for r in resolved if r.person is not None),
            received_on=inp.received_on, summary=values["summary"]) if c.suggested]
        if same:
            raise duplicates.DuplicateSuspected(same)
    with reg.transaction():
        rows = []
        for r in resolved:
            person = r.person
            if person is not None and r.rename is not None:
                person = identity.rename_in_transaction(reg, person, *r.rename)
            rows.append(petitioners.upsert(reg, r.values, person))
        representatives = [r.representative for r in resolved]
        if inp.attach_to_matter_id:
            matter = workflow.record_repeat_visit(
                reg, inp.attach_to_matter_id, inp.received_on, form=inp.form,
                summary=values["summary"], people=rows, representatives=representatives,
                visitors_count=inp.visitors_count)
        else:
            number, seq = next_number(reg, inp.received_on.year)
            kind = _repeat_kind(reg, [r["id"] for r in rows],
                                (values["category1"], values["category2"]))
            fields = dict(values, number=number, seq=seq, query_code=new_query_code(),
                          registered_by=reg.actor.username,
                          registered_by_name=reg.actor.display_name,
                          petitioner_id=rows[0]["id"], repeat_kind=kind, status="registered")
            matter = reg.insert("matters", dict(fields, **workflow.due_fields(reg, fields)))
            for i, (person, representative) in enumerate(zip(rows, representatives,
                                                              strict=True)):
                reg.insert("matter_petitioners", dict(
                    link_values(person, is_main=i == 0, representative=representative),
                    matter_id=matter["id"]))
            reg.insert("matter_events", dict(
                matter_id=matter["id"], kind="registered", occurred_on=values["received_on"],
                actor=reg.actor.username, note=values["form"],
                data=json.dumps({"form": values["form"],
                                 "visitors_count": values["visitors_count"]},
                                ensure_ascii=False)))
        search.index_matter(reg, matter["id"])
    return matter


_REGISTERED = ", ".join(
    f"CASE WHEN mp.name != '' THEN mp.{column} ELSE p.{column} END AS {column}"
    for column in petitioners.SNAPSHOT)


def petitioners_of(reg: Register, matter_id: str) -> list[Row]:
    """The matter's petitioners as registered on it (main petitioner first, then in the order
    entered): ``id`` is the person, ``link_id`` the link row; ``current_name`` is what the
    person is called now (after a 更名 it differs from ``name``). Links written before the
    registered details were kept (or arriving from an older station) show the person."""
    return reg.rows(
        f"SELECT p.id, mp.id AS link_id, mp.is_main, mp.is_representative, {_REGISTERED},"
        " p.name AS current_name, p.merged_into FROM matter_petitioners mp"
        " JOIN petitioners p ON p.id = mp.petitioner_id"
        " WHERE mp.matter_id = ? AND mp.deleted = 0 ORDER BY mp.is_main DESC, mp.rowid",
        (matter_id,))


def main_petitioner(reg: Register, matter_id: str) -> Row | None:
    """The matter's main petitioner as registered on it (what its receipt printed), or None."""
    people = petitioners_of(reg, matter_id)
    return people[0] if people else None


def events_of(reg: Register, matter_id: str) -> list[Row]:
    # rowid last: steps taken within the same second keep the order they were taken in
    return reg.rows("SELECT * FROM matter_events WHERE matter_id = ? AND deleted = 0"
                    " ORDER BY occurred_on, created_at, rowid", (matter_id,))


def list_for_cli(reg: Register, *, status: str | None, limit: int,
                 station_code: str | None = None, text: str = "") -> list[dict[str, Any]]:
    """The first ``limit`` matters exactly as the case list shows them for the search ``text``
    (newest first; ``station_code`` keeps one township's at the county)."""
    from storage.masking import MaskPolicy

    filters = search.Filters(statuses=(status,) if status else (),
                             station_code=station_code or "")
    ids = search.page_ids(reg, text, filters, limit=limit).ids
    policy = MaskPolicy(names=True)
    return [dict(id=r["id"], station_code=r["station_code"], number=r["number"],
                 petitioner=policy.name(r["petitioner"]),
                 status=r["status"], status_label=workflow.status_label(r["status"]),
                 due_date=r["due_date"], received_on=r["received_on"])
            for r in search.list_rows(reg, ids)]
