"""Before a registration is saved: is this a matter the station already has open? (docs/domain.md
§3.5, §7.2)

The open matters of the same person (any of the petitioners on the form) are the candidates, or,
when the clerk asks, only those of the same content category. One whose summary is
near-identical and that was received the same day is *suggested*: the desk offers to attach the
visit to it as a repeat visit (重复访) by default, and the register refuses to make it a new
matter unless the clerk says it is one (:class:`DuplicateSuspected`). Attached, it stays one
matter: the visit is an event on it with its own date, channel and number of people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from storage.errors import PetitionDeskError
from storage.i18n import _
from storage.petitions import petitioners
from storage.register import Register

#: The clerk's answer when a suggested duplicate is really a different matter.
NEW_MATTER = "new"
#: How alike two summaries must be to count as the same (difflib's ratio, punctuation and
#: spaces ignored); a summary contained in the other counts too.
NEAR_IDENTICAL = 0.8
_NOISE = re.compile(r"[\s，。、；：,.;:！!？?“”\"'（）()【】\[\]—\-…]+")


def _plain(text: str) -> str:
    return _NOISE.sub("", text)


def near_identical(first: str, second: str) -> bool:
    """Two summaries say the same thing (the clerk typed it again, slightly differently)."""
    a, b = _plain(first), _plain(second)
    if not a or not b:
        return False
    if a in b or b in a:
        return min(len(a), len(b)) >= 4 or a == b
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= NEAR_IDENTICAL


@dataclass(frozen=True)
class Candidate:
    """An open matter of the same person."""

    matter_id: str
    number: str
    received_on: date
    summary: str
    category: str
    status: str
    same_day: bool
    near_identical: bool
    same_category: bool

    @property
    def suggested(self) -> bool:
        """Attach to this one unless the clerk says otherwise."""
        return self.same_day and self.near_identical


class DuplicateSuspected(PetitionDeskError):
    """A same-day, near-identical open matter of the same person exists; nothing was saved.
    ``candidates`` are those matters, the first the one to attach to."""

    def __init__(self, candidates: list[Candidate]) -> None:
        first = candidates[0]
        super().__init__(_(
            "此人今天已登记过内容几乎相同、尚未办结的信访件{number}（{summary}）。"
            "请作为重复来访记入该件；确属另一件事的，请选择“登记为新件”。").format(
                number=first.number, summary=first.summary))
        self.candidates = candidates
        self.field = "summary"


def candidates_for(reg: Register, person_ids: Iterable[str], *, received_on: date,
                   summary: str, category: tuple[str, str] = ("", ""),
                   same_category: bool = False) -> list[Candidate]:
    """Open matters of any of ``person_ids``, suggested ones first, then newest first."""
    ids = [p for p in dict.fromkeys(person_ids) if p]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    states = ",".join("?" * len(petitioners.OPEN_STATUSES))
    rows = reg.rows(
        f"SELECT DISTINCT m.id, m.number, m.received_on, m.summary, m.category1, m.category2,"
        f" m.status, m.seq FROM matters m JOIN matter_petitioners mp ON mp.matter_id = m.id"
        f" AND mp.deleted = 0 WHERE mp.petitioner_id IN ({marks}) AND m.deleted = 0"
        f" AND m.status IN ({states})", [*ids, *petitioners.OPEN_STATUSES])
    first, second = category
    out = []
    for r in rows:
        alike = (bool(first) and r["category1"] == first
                 and (not second or not r["category2"] or r["category2"] == second))
        if same_category and not alike:
            continue
        out.append(Candidate(
            r["id"], r["number"], date.fromisoformat(r["received_on"]), r["summary"],
            "/".join(x for x in (r["category1"], r["category2"]) if x), r["status"],
            r["received_on"] == received_on.isoformat(), near_identical(summary, r["summary"]),
            alike))
    out.sort(key=lambda c: (not c.suggested, -c.received_on.toordinal(), c.number),
             reverse=False)
    return out
