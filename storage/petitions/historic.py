"""Matters of earlier years brought in from a station's old 台账 (docs/domain.md §3.8).

The same write path as a registration at the desk — the form is checked by ``matters.validate``,
the people are recognised by ``matters._resolve`` (a known ID number with another name is refused
with ``identity.NameMismatch``, never a rename), every row goes through ``Register.insert`` with
its audit entry — but the matter is historic:

* it keeps the ledger's number (or gets the next number of its year when the ledger had none)
  and its date;
* it is concluded (已办结 on the ledger's 办结日期, else on its date of receipt) unless the ledger
  says it is still being handled; either way no statutory deadline is stored on it, so nothing
  imported is ever listed as overdue by today's clock;
* a person the register already knows keeps the details on record (a ledger of 2019 does not
  replace today's phone number); the matter keeps the ledger's values as registered then;
* it is marked ``source = 'ledger'`` with the row's stable ``ledger_key``, and its timeline says
  when, by whom and from which file and row it was imported.

Must run inside the caller's transaction (one import = one transaction).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from storage.errors import ValidationError
from storage.i18n import _
from storage.ids import new_query_code
from storage.petitions import matters, petitioners, search
from storage.register import Register, Row

LEDGER = "ledger"
_NUMBER_LIMIT = 40


@dataclass(frozen=True)
class HistoricInput:
    registration: matters.RegistrationInput
    number: str  # the ledger's 编号, "" when it had none
    ledger_key: str
    concluded: bool = True
    closed_on: date | None = None
    origin: str = ""  # "file name, row N" for the timeline


def number_taken(reg: Register, number: str) -> bool:
    return reg.scalar("SELECT 1 FROM matters WHERE station_code = ? AND number = ?",
                      (reg.station_code, number)) is not None


def key_imported(reg: Register, key: str) -> bool:
    return reg.scalar("SELECT 1 FROM matters WHERE station_code = ? AND ledger_key = ?",
                      (reg.station_code, key)) is not None


def _number(reg: Register, inp: HistoricInput) -> tuple[str, int]:
    number = inp.number.strip()
    if not number:
        return matters.next_number(reg, inp.registration.received_on.year)
    if len(number) > _NUMBER_LIMIT:
        raise ValidationError(_("编号太长（最多{n}个字）。").format(n=_NUMBER_LIMIT), "number")
    if number_taken(reg, number):
        raise ValidationError(_("编号“{number}”已被本站另一件事项使用。").format(number=number),
                              "number")
    # A ledger number written the desk's own way keeps its place in that year's sequence.
    own = re.fullmatch(rf"{re.escape(reg.station_code)}-\d{{4}}-(\d{{5}})", number)
    return number, int(own.group(1)) if own else 0


def _fill_in(reg: Register, values: dict[str, Any], person: Row | None) -> Row:
    """A new person as the ledger has them; a known one only gains what the register lacks."""
    if person is None:
        return petitioners.upsert(reg, values, None)
    missing = {k: v for k, v in values.items()
               if v not in ("", None) and person.get(k) in ("", None) and k != "name"}
    return reg.update("petitioners", person["id"], missing) if missing else person


def register_historic(reg: Register, inp: HistoricInput) -> Row:
    """Write one ledger row as a matter (inside the caller's transaction)."""
    reg.require_role("clerk", "head")
    reg.require_writable()
    form = inp.registration
    people, values = matters.validate(reg, form)
    resolved = matters._resolve(reg, form, people)
    if inp.closed_on is not None and inp.closed_on < form.received_on:
        raise ValidationError(_("办结日期早于信访日期。"), "closed_on")
    if inp.closed_on is not None and inp.closed_on > reg.clock().date():
        raise ValidationError(_("办结日期不能晚于今天。"), "closed_on")
    # no savepoint per row: the caller's one transaction is the unit (Register.insert
    # refuses to write outside one)
    rows = [_fill_in(reg, r.values, r.person) for r in resolved]
    number, seq = _number(reg, inp)
    kind = matters._repeat_kind(reg, [r["id"] for r in rows],
                                (values["category1"], values["category2"]))
    received = values["received_on"]
    closed_on = (inp.closed_on.isoformat() if inp.closed_on else received) \
        if inp.concluded else None
    matter = reg.insert("matters", dict(
        values, number=number, seq=seq, query_code=new_query_code(),
        registered_by=reg.actor.username, registered_by_name=reg.actor.display_name,
        petitioner_id=rows[0]["id"], repeat_kind=kind,
        status="closed" if inp.concluded else "handling",
        accepted_on=None if inp.concluded else received, closed_on=closed_on,
        due_kind="", due_date=None, source=LEDGER, ledger_key=inp.ledger_key))
    for i, (person, r) in enumerate(zip(rows, resolved, strict=True)):
        # as registered then: the ledger's own details, the person's where it had none
        link = matters.link_values(person, is_main=i == 0, representative=r.representative)
        link.update({k: v for k, v in r.values.items()
                     if k in petitioners.SNAPSHOT and v not in ("", None)})
        reg.insert("matter_petitioners", dict(link, matter_id=matter["id"]))
    reg.insert("matter_events", dict(
        matter_id=matter["id"], kind="registered", occurred_on=received,
        actor=reg.actor.username, note=values["form"],
        data=json.dumps({"form": values["form"], "visitors_count": values["visitors_count"],
                         "source": LEDGER}, ensure_ascii=False)))
    reg.insert("matter_events", dict(
        matter_id=matter["id"], kind="imported", occurred_on=reg.clock().date().isoformat(),
        actor=reg.actor.username,
        note=_("从台账导入（{origin}），台账记为{state}").format(
            origin=inp.origin or "—", state=_("已办结") if inp.concluded else _("办理中")),
        data=json.dumps({"origin": inp.origin, "number": inp.number,
                         "concluded": inp.concluded, "closed_on": closed_on},
                        ensure_ascii=False)))
    search.index_matter(reg, matter["id"])
    return matter
