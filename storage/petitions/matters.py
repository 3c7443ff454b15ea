"""Registering petition matters (信访事项): one form for 来访, 来信, 来电, 网信 and 代办.

``register`` validates everything first and then writes the petitioner(s), the matter, its first
event and its search row in one transaction, so nothing half-valid is ever saved. A visit about a
matter that is still open can instead be attached to it as a repeat visit (重复访).
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
from storage.petitions import petitioners, search, workflow
from storage.register import Register, Row
from storage.validation import (
    check_text,
    cross_check_citizen_id,
    normalize_phone,
    parse_citizen_id,
)

PROXY_FORM = "代办"
MAX_PEOPLE = 9999

LIMITS = {"name": 20, "address": 100, "summary": 200, "request": 1000, "facts": 4000,
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
    extra: dict[str, Any] = field(default_factory=dict)


def collective_threshold(reg: Register) -> int:
    return preferences.COLLECTIVE_THRESHOLD.read(reg)


def _check_person(person: PetitionerInput, index: int) -> dict[str, Any]:
    prefix = f"petitioners.{index}."
    name = check_text(person.name, field=prefix + "name", label=_("姓名"), max_len=LIMITS["name"],
                      required=True)
    values: dict[str, Any] = dict(
        name=name, gender=person.gender.strip(), ethnic_group=person.ethnic_group.strip(),
        address=check_text(person.address, field=prefix + "address", label=_("住址"),
                           max_len=LIMITS["address"]),
        village_id=person.village_id or None, occupation=person.occupation.strip(),
        id_number=None, birth_date=None, phone="")
    if person.gender and person.gender not in ("男", "女"):
        raise ValidationError(_("性别只能是“男”或“女”。"), prefix + "gender")
    if person.id_number.strip():
        try:
            cid = parse_citizen_id(person.id_number)
        except ValidationError as exc:
            raise ValidationError(str(exc), prefix + "id_number") from None
        problems = cross_check_citizen_id(cid, person.gender or None, None)
        if problems:
            raise ValidationError(problems[0], prefix + "gender")
        values.update(id_number=cid.number, birth_date=cid.birth_date.isoformat(),
                      gender=person.gender or cid.gender)
    if person.phone.strip():
        try:
            values["phone"] = normalize_phone(person.phone).number
        except ValidationError as exc:
            raise ValidationError(str(exc), prefix + "phone") from None
    return values


def validate(reg: Register, inp: RegistrationInput) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Check the whole form; return (petitioner values, matter values) or raise at the field."""
    today = reg.clock().date()
    if not inp.petitioners:
        raise ValidationError(_("请至少填写一名信访人。"), "petitioners.0.name")
    people = [_check_person(p, i) for i, p in enumerate(inp.petitioners)]
    ids = [p["id_number"] for p in people if p["id_number"]]
    if len(ids) != len(set(ids)):
        raise ValidationError(_("同一身份证号码填写了两次。"), "petitioners.1.id_number")
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


def register(reg: Register, inp: RegistrationInput) -> Row:
    """Save the registration as one action; returns the (new or attached) matter."""
    reg.require_role("clerk", "head", "liaison")
    reg.require_writable()
    people, values = validate(reg, inp)
    with reg.transaction():
        rows = [petitioners.upsert(reg, p, existing_id=src.existing_id)
                for p, src in zip(people, inp.petitioners, strict=True)]
        if inp.attach_to_matter_id:
            matter = workflow.record_repeat_visit(reg, inp.attach_to_matter_id, inp.received_on,
                                                  form=inp.form, summary=values["summary"],
                                                  petitioner_ids=[r["id"] for r in rows])
        else:
            number, seq = next_number(reg, inp.received_on.year)
            kind = _repeat_kind(reg, [r["id"] for r in rows],
                                (values["category1"], values["category2"]))
            fields = dict(values, number=number, seq=seq, query_code=new_query_code(),
                          registered_by=reg.actor.username, petitioner_id=rows[0]["id"],
                          repeat_kind=kind, status="registered")
            matter = reg.insert("matters", dict(fields, **workflow.due_fields(reg, fields)))
            for i, r in enumerate(rows):
                reg.insert("matter_petitioners", dict(matter_id=matter["id"],
                                                      petitioner_id=r["id"], is_main=int(i == 0)))
            reg.insert("matter_events", dict(
                matter_id=matter["id"], kind="registered", occurred_on=values["received_on"],
                actor=reg.actor.username, note=values["form"],
                data=json.dumps({"form": values["form"]}, ensure_ascii=False)))
        search.index_matter(reg, matter["id"])
    return matter


def petitioners_of(reg: Register, matter_id: str) -> list[Row]:
    return reg.rows(
        "SELECT p.*, mp.is_main FROM petitioners p JOIN matter_petitioners mp"
        " ON mp.petitioner_id = p.id AND mp.deleted = 0 WHERE mp.matter_id = ?"
        " ORDER BY mp.is_main DESC, p.name", (matter_id,))


def events_of(reg: Register, matter_id: str) -> list[Row]:
    # rowid last: steps taken within the same second keep the order they were taken in
    return reg.rows("SELECT * FROM matter_events WHERE matter_id = ? AND deleted = 0"
                    " ORDER BY occurred_on, created_at, rowid", (matter_id,))


def list_for_cli(reg: Register, *, status: str | None, limit: int,
                 station_code: str | None = None) -> list[dict[str, Any]]:
    """Newest matters first; ``station_code`` keeps one township's (at the county)."""
    from storage.masking import MaskPolicy

    sql = ("SELECT m.id, m.station_code, m.number, m.status, m.due_date, m.received_on, p.name"
           " FROM matters m JOIN petitioners p ON p.id = m.petitioner_id WHERE m.deleted = 0")
    params: list[Any] = []
    if status:
        sql += " AND m.status = ?"
        params.append(status)
    if station_code:
        sql += " AND m.station_code = ?"
        params.append(station_code)
    sql += " ORDER BY m.received_on DESC, m.seq DESC LIMIT ?"
    params.append(limit)
    policy = MaskPolicy(names=True)
    return [dict(id=r["id"], station_code=r["station_code"], number=r["number"],
                 petitioner=policy.name(r["name"]),
                 status=r["status"], status_label=workflow.status_label(r["status"]),
                 due_date=r["due_date"], received_on=r["received_on"])
            for r in reg.rows(sql, params)]
