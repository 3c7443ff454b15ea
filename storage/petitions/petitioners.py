"""Petitioners: one row per person, found by citizen ID number (the 15- and 18-digit forms of a
number are the same person) or, without one, by name and phone; the history a clerk sees while
typing (earlier matters, open ones, last outcome) and similar-name suggestions, which are only
ever offered, never merged automatically. A person merged into another (``merged_into``) is
never found again: their matters now belong to the person they were merged into."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from storage.errors import ValidationError
from storage.i18n import N_, _
from storage.register import Register, Row
from storage.validation import (
    check_text,
    cross_check_citizen_id,
    normalize_phone,
    parse_citizen_id,
)

#: Why a name is suggested as maybe the same person (msgids: show them with ``_()``).
SAME_SOUND = N_("同音")
ONE_APART = N_("一字之差")
OPEN_STATUSES = ("registered", "accepted", "forwarded", "handling", "review", "rereview")
#: Lengths of what is typed about a person (the matter's own limits are in matters.LIMITS).
PERSON_LIMITS = {"name": 20, "address": 100}
#: What a matter keeps of each petitioner as registered (matter_petitioners, migration m007).
SNAPSHOT = ("name", "gender", "ethnic_group", "id_number", "birth_date", "phone", "address",
            "village_id", "occupation")
#: Not removed and not merged into someone else (a merged row names the person kept).
LIVE = "deleted = 0 AND coalesce(merged_into, '') = ''"


@lru_cache(maxsize=4096)
def name_pinyin(name: str) -> str:
    """Toneless pinyin, syllables joined by spaces: 张伟 -> 'zhang wei' (for similar names)."""
    # pypinyin's dictionary takes 0.5 s and 70 MB to load: only when a name is first spelled
    # out (issue 17), not in every process that imports the petitions package.
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(name, errors="default"))


@dataclass(frozen=True)
class PastMatter:
    id: str
    number: str
    received_on: date
    status: str
    summary: str
    category: str
    reply_result: str
    rating: str

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class History:
    """What the desk shows beside the form for the person being typed."""

    petitioner: Row | None
    matters: tuple[PastMatter, ...]

    @property
    def is_first(self) -> bool:
        return not self.matters

    @property
    def open_matters(self) -> tuple[PastMatter, ...]:
        return tuple(m for m in self.matters if m.is_open)

    @property
    def last_outcome(self) -> PastMatter | None:
        closed = [m for m in self.matters if not m.is_open]
        return closed[0] if closed else None


@dataclass(frozen=True)
class Suggestion:
    petitioner_id: str
    name: str
    id_number: str | None
    phone: str
    address: str
    reason: str  # SAME_SOUND or ONE_APART
    matters: int


def canonical_id_number(text: str) -> str | None:
    """The 18-character form of a citizen ID number as typed (a 15-digit number converted),
    or None when it is not a valid number."""
    if not text or not text.strip():
        return None
    try:
        return parse_citizen_id(text).number
    except ValidationError:
        return None


def canonical_phone(text: str) -> str:
    """A phone number the way the register stores it, or "" when it is not one."""
    if not text or not text.strip():
        return ""
    try:
        return normalize_phone(text).number
    except ValidationError:
        return ""


def find_by_id_number(reg: Register, id_number: str) -> Row | None:
    """The person with this citizen ID number, typed in either form."""
    number = canonical_id_number(id_number)
    if number is None:
        return None
    rows = reg.rows(f"SELECT * FROM petitioners WHERE id_number = ? AND {LIVE}"
                    " ORDER BY updated_at DESC LIMIT 1", (number,))
    return rows[0] if rows else None


def find_by_name_phone(reg: Register, name: str, phone: str, *,
                       without_id: bool = False) -> Row | None:
    """A person registered without an ID number is the same person as the one with the same
    name and phone number. ``without_id``: only someone whose ID number is not known yet (an
    ID number typed now that the register does not know is not the person of another one)."""
    number = canonical_phone(phone)
    if not name.strip() or not number:
        return None
    extra = " AND id_number IS NULL" if without_id else ""
    rows = reg.rows(f"SELECT * FROM petitioners WHERE name = ? AND phone = ? AND {LIVE}{extra}"
                    " ORDER BY updated_at DESC LIMIT 1", (name.strip(), number))
    if rows:
        return rows[0]
    # Someone merged into another person is found as that person.
    merged = reg.rows("SELECT id FROM petitioners WHERE name = ? AND phone = ? AND deleted = 0"
                      " AND coalesce(merged_into, '') != '' ORDER BY updated_at DESC LIMIT 1",
                      (name.strip(), number))
    return live_person(reg, merged[0]["id"]) if merged else None


def live_person(reg: Register, person_id: str) -> Row:
    """The person, or the one they were merged into (a merge moves their matters there)."""
    person = reg.get("petitioners", person_id)
    seen = {person_id}
    while person["merged_into"] and person["merged_into"] not in seen:
        seen.add(person["merged_into"])
        person = reg.get("petitioners", person["merged_into"])
    return person


def recognise(reg: Register, *, existing_id: str | None = None, id_number: str = "",
              name: str = "", phone: str = "") -> Row | None:
    """The stored person a form is about: the one the clerk picked, else by ID number, else by
    name and phone."""
    if existing_id:
        return live_person(reg, existing_id)
    number = canonical_id_number(id_number)
    person = find_by_id_number(reg, number) if number else None
    if person is None:
        person = find_by_name_phone(reg, name, phone, without_id=number is not None)
    return person


def check_person(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A person's details as typed, checked and written the one way they are stored. ``prefix``
    names the form row at fault (``petitioners.1.``)."""
    name = check_text(str(values.get("name") or ""), field=prefix + "name", label=_("姓名"),
                      max_len=PERSON_LIMITS["name"], required=True)
    gender = str(values.get("gender") or "").strip()
    out: dict[str, Any] = dict(
        name=name, gender=gender, ethnic_group=str(values.get("ethnic_group") or "").strip(),
        address=check_text(str(values.get("address") or ""), field=prefix + "address",
                           label=_("住址"), max_len=PERSON_LIMITS["address"]),
        village_id=values.get("village_id") or None,
        occupation=str(values.get("occupation") or "").strip(),
        id_number=None, birth_date=None, phone="")
    if gender and gender not in ("男", "女"):
        raise ValidationError(_("性别只能是“男”或“女”。"), prefix + "gender")
    typed_id = str(values.get("id_number") or "")
    if typed_id.strip():
        try:
            cid = parse_citizen_id(typed_id)
        except ValidationError as exc:
            raise ValidationError(str(exc), prefix + "id_number") from None
        problems = cross_check_citizen_id(cid, gender or None, None)
        if problems:
            raise ValidationError(problems[0], prefix + "gender")
        out.update(id_number=cid.number, birth_date=cid.birth_date.isoformat(),
                   gender=gender or cid.gender)
    phone = str(values.get("phone") or "")
    if phone.strip():
        try:
            out["phone"] = normalize_phone(phone).number
        except ValidationError as exc:
            raise ValidationError(str(exc), prefix + "phone") from None
    return out


def snapshot(person: Row) -> dict[str, Any]:
    """The person as a matter registers them (the columns a matter keeps)."""
    return {column: person[column] for column in SNAPSHOT}


def matters_of(reg: Register, petitioner_id: str) -> tuple[PastMatter, ...]:
    """The person's matters, newest first (voided ones are not among them)."""
    rows = reg.rows(
        "SELECT DISTINCT m.id, m.number, m.received_on, m.status, m.summary, m.category1,"
        " m.category2, m.reply_result, m.rating FROM matters m"
        " JOIN matter_petitioners mp ON mp.matter_id = m.id AND mp.deleted = 0"
        " WHERE mp.petitioner_id = ? AND m.deleted = 0 ORDER BY m.received_on DESC, m.seq DESC",
        (petitioner_id,))
    return tuple(PastMatter(r["id"], r["number"], date.fromisoformat(r["received_on"]),
                            r["status"], r["summary"],
                            "/".join(x for x in (r["category1"], r["category2"]) if x),
                            r["reply_result"], r["rating"]) for r in rows)


def history(reg: Register, *, id_number: str | None = None, name: str = "",
            phone: str = "") -> History:
    """The person's earlier matters, found by ID number, else by name plus phone."""
    person = recognise(reg, id_number=id_number or "", name=name, phone=phone)
    if person is None:
        return History(None, ())
    return History(person, matters_of(reg, person["id"]))


def _one_apart(first: str, second: str) -> bool:
    return len(first) == len(second) and sum(x != y for x, y in zip(first, second, strict=True)) == 1


def similar(reg: Register, name: str, *, exclude_id: str | None = None,
            limit: int = 8) -> list[Suggestion]:
    """People whose name sounds the same (same toneless pinyin) or differs by one character."""
    name = name.strip()
    if len(name) < 2:
        return []
    py = name_pinyin(name)
    candidates: dict[str, tuple[Row, str]] = {}
    for r in reg.rows(f"SELECT * FROM petitioners WHERE name_pinyin = ? AND {LIVE}"
                      " AND name != ? LIMIT 50", (py, name)):
        candidates[r["id"]] = (r, SAME_SOUND)
    # One character apart: same length, same surname or same given name (index on name).
    patterns = {name[0] + "_" * (len(name) - 1)} | {"_" + name[1:]}
    for pattern in patterns:
        for r in reg.rows(f"SELECT * FROM petitioners WHERE name LIKE ? AND {LIVE}"
                          " AND name != ? LIMIT 400", (pattern, name)):
            if r["id"] not in candidates and _one_apart(r["name"], name):
                candidates[r["id"]] = (r, ONE_APART)
    out = []
    for pid, (r, reason) in candidates.items():
        if pid == exclude_id:
            continue
        n = reg.scalar("SELECT count(*) FROM matter_petitioners WHERE petitioner_id = ?"
                       " AND deleted = 0", (pid,))
        out.append(Suggestion(pid, r["name"], r["id_number"], r["phone"], r["address"], reason,
                              int(n)))
    out.sort(key=lambda s: (s.reason != SAME_SOUND, -s.matters, s.name))
    return out[:limit]


def upsert(reg: Register, values: dict[str, Any], person: Row | None) -> Row:
    """Bring the recognised ``person``'s details up to date with what was typed, or create
    them. The name is never changed here: a different name is the clerk's decision (更名,
    ``identity.rename``), taken before. Must run inside the caller's transaction."""
    values = dict(values, name_pinyin=name_pinyin(values["name"]))
    if person is None:
        return reg.insert("petitioners", values)
    # Keep what we knew when the clerk left a field empty this time.
    changes = {k: v for k, v in values.items()
               if v not in ("", None) and k not in ("name", "name_pinyin")}
    return reg.update("petitioners", person["id"], changes)
