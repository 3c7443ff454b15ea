"""Petitioners: one row per person, de-duplicated by citizen ID number; the history a clerk sees
while typing (earlier matters, open ones, last outcome) and similar-name suggestions, which are
only ever offered, never merged automatically."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from pypinyin import lazy_pinyin

from storage.i18n import N_
from storage.register import Register, Row

#: Why a name is suggested as maybe the same person (msgids: show them with ``_()``).
SAME_SOUND = N_("同音")
ONE_APART = N_("一字之差")
OPEN_STATUSES = ("registered", "accepted", "forwarded", "handling", "review", "rereview")


@lru_cache(maxsize=4096)
def name_pinyin(name: str) -> str:
    """Toneless pinyin, syllables joined by spaces: 张伟 -> 'zhang wei' (for similar names)."""
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


def find_by_id_number(reg: Register, id_number: str) -> Row | None:
    rows = reg.rows("SELECT * FROM petitioners WHERE id_number = ? AND deleted = 0"
                    " ORDER BY updated_at DESC LIMIT 1", (id_number,))
    return rows[0] if rows else None


def find_by_name_phone(reg: Register, name: str, phone: str) -> Row | None:
    rows = reg.rows("SELECT * FROM petitioners WHERE name = ? AND phone = ? AND deleted = 0"
                    " ORDER BY updated_at DESC LIMIT 1", (name, phone))
    return rows[0] if rows else None


def matters_of(reg: Register, petitioner_id: str) -> tuple[PastMatter, ...]:
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
    person = None
    if id_number:
        person = find_by_id_number(reg, id_number)
    if person is None and name and phone:
        person = find_by_name_phone(reg, name, phone)
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
    for r in reg.rows("SELECT * FROM petitioners WHERE name_pinyin = ? AND deleted = 0"
                      " AND name != ? LIMIT 50", (py, name)):
        candidates[r["id"]] = (r, SAME_SOUND)
    # One character apart: same length, same surname or same given name (index on name).
    patterns = {name[0] + "_" * (len(name) - 1)} | {"_" + name[1:]}
    for pattern in patterns:
        for r in reg.rows("SELECT * FROM petitioners WHERE name LIKE ? AND deleted = 0"
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


def upsert(reg: Register, values: dict[str, Any], *, existing_id: str | None = None) -> Row:
    """Reuse the person (by chosen id or citizen ID number) and bring their details up to
    date, or create them. Must run inside the caller's transaction."""
    person = None
    if existing_id:
        person = reg.get("petitioners", existing_id)
    elif values.get("id_number"):
        person = find_by_id_number(reg, values["id_number"])
    values = dict(values, name_pinyin=name_pinyin(values["name"]))
    if person is None:
        return reg.insert("petitioners", values)
    # Keep what we knew when the clerk left a field empty this time.
    changes = {k: v for k, v in values.items() if v not in ("", None)}
    return reg.update("petitioners", person["id"], changes)
