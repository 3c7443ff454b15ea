"""Document numbers (文号) such as ``〔2026〕花信受字第12号``.

Each kind of document has its own sequence per year, kept in the register's settings table
(``docno:受:2026`` holds the last number given). A record gets its number the first time the
document is printed (or previewed) and keeps it: the mapping ``docno-of:<kind>:<record>`` is
stored too, so a reprint carries the same number and no number is ever given twice.

Settings are local to the installation (never synced): numbers are the station's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storage import preferences, station
from storage.errors import ValidationError
from storage.i18n import N_, _
from storage.register import Register


@dataclass(frozen=True)
class DocKind:
    """A numbered kind of document: the character in its 文号 (受, 不受 …) and its name."""

    key: str
    word: str
    label: str


KINDS: dict[str, DocKind] = {
    "acceptance": DocKind("acceptance", N_("受"), N_("受理告知书")),
    "rejection": DocKind("rejection", N_("不受"), N_("不予受理告知书")),
    "no_further": DocKind("no_further", N_("不再受"), N_("不再受理告知书")),
    "extension": DocKind("extension", N_("延"), N_("延期办理告知书")),
    "reply": DocKind("reply", N_("复"), N_("答复意见书")),
    "appointment": DocKind("appointment", N_("约"), N_("约访通知书")),
}

#: Setting that overrides the station's abbreviation in document numbers (default: the first
#: character of the station's short name, 花园 -> 花).
PREFIX_SETTING = preferences.DOCUMENT_NUMBER_PREFIX.key


def prefix(reg: Register) -> str:
    return station.document_prefix(reg)


def word(reg: Register, kind: str) -> str:
    """``花信受字``."""
    return _("{prefix}信{word}字").format(prefix=prefix(reg), word=_(KINDS[kind].word))


def format_number(year: int, seq: int, doc_word: str) -> str:
    """``format_number(2026, 12, "花信受字")`` → ``〔2026〕花信受字第12号``."""
    return _("〔{year}〕{word}第{seq}号").format(year=year, word=doc_word, seq=seq)


def _sequence_key(kind: str, year: int) -> str:
    # The stored key never depends on the display language.
    return f"docno:{KINDS[kind].word}:{year}"


def _record_key(kind: str, record_key: str) -> str:
    return f"docno-of:{kind}:{record_key}"


def assigned(reg: Register, kind: str, record_key: str) -> str | None:
    """The number already given to this record's document of ``kind``, if any."""
    value: Any = reg.setting(_record_key(kind, record_key))
    if isinstance(value, dict) and value.get("number"):
        return str(value["number"])
    return None


def number_for(reg: Register, kind: str, record_key: str, year: int) -> str:
    """The document number of ``kind`` for ``record_key`` (a matter id, or matter id and event
    id): the stored one, else the next of ``year``'s sequence, stored at once."""
    if kind not in KINDS:
        raise ValidationError(_("未知的文书种类：{kind}").format(kind=kind))
    existing = assigned(reg, kind, record_key)
    if existing is not None:
        return existing
    with reg.transaction():
        # Read again inside the transaction: another desk may have numbered it a moment ago.
        existing = assigned(reg, kind, record_key)
        if existing is not None:
            return existing
        seq_key = _sequence_key(kind, year)
        seq = int(reg.setting(seq_key) or 0) + 1  # a counter: none yet is zero
        number = format_number(year, seq, word(reg, kind))
        reg.set_setting(seq_key, seq)
        reg.set_setting(_record_key(kind, record_key),
                        {"number": number, "year": year, "seq": seq})
    return number


def last_number(reg: Register, kind: str, year: int) -> int:
    """The last sequence number given for ``kind`` in ``year`` (0 if none)."""
    return int(reg.setting(_sequence_key(kind, year)) or 0)
