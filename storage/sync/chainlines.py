"""A sender's audit entries as they travel in a bundle and are kept by the receiver: one line
per entry, in chain order::

    <hash: 64 hex digits> SP <withheld: 0 or 1> SP <preimage> LF

*preimage* is exactly the bytes the entry's hash was taken over (``audit.preimage``: canonical
JSON of ``[prev_hash, entry_id, station_code, at, actor, action, table_name, record_id, before,
after]``; JSON escapes every line break, so an entry is always one line). An entry whose
before/after held a password hash travels with those two set to null and ``withheld`` 1: its
hash is stated, not recomputable, and only its link can be checked.

Why lines of preimages and not JSON rows: checking a chain needs the bytes that were hashed.
The receiver reads each line on its own (parse, confirm the bytes are the canonical encoding of
what they say, hash them) and keeps the text as it came. For a month of a township (50,000
entries, 24 MB of text) that takes 0.12 s; parsing the same entries as one JSON document took
0.15 s (their before/after texts are escaped JSON full of Chinese), re-encoding them to check
the hashes 0.08 s more, and packing them again for storage 0.06 s.
:func:`check` accepts exactly the texts whose :func:`decode` recomputes, field by field, to the
hashes they state (``segments.verify``, behind the `check` command, does that again later).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import orjson

from storage.audit import preimage

AUDIT_COLUMNS = ("entry_id", "station_code", "at", "actor", "action", "table_name", "record_id",
                 "before", "after", "prev_hash", "hash", "withheld")
_PREV, _HASH, _WITHHELD = 9, 10, 11
_HEX = frozenset(b"0123456789abcdef")
_TEXT_OR_NULL = frozenset({str, type(None)})
_PREIMAGE_AT = 67  # after "<64 hex> <0|1> "
_SEPARATORS = (b" 0 ", b" 1 ")


class BrokenChain(ValueError):
    """Entry number ``index`` (from 0) does not hold: malformed, unlinked or wrongly hashed."""

    def __init__(self, index: int) -> None:
        super().__init__(f"audit entry {index} does not verify")
        self.index = index


def encode(rows: Sequence[Sequence[Any]]) -> bytes:
    """Lines for entries given as rows of ``AUDIT_COLUMNS``."""
    return b"".join(
        b"%s %d %s\n" % (str(r[_HASH]).encode("ascii"), 1 if r[_WITHHELD] else 0,
                         preimage(str(r[_PREV]), r[:_PREV]))
        for r in rows)


def _is_hash(value: bytes) -> bool:
    return len(value) == 64 and _HEX.issuperset(value)


def _lines(text: bytes) -> list[bytes]:
    lines = text.split(b"\n")
    if lines.pop() != b"":  # the text must end with a line break (the empty text has no lines)
        raise BrokenChain(len(lines))
    return lines


def _parse(line: bytes) -> tuple[bytes, bool, bytes, list[str | None]] | None:
    """(stated hash, withheld, preimage, the ten values) of a line that is an entry written as
    ``encode`` writes it — ten texts or nulls in canonical JSON — or None. Parsing each line on
    its own is quick (its objects are freed at once); the round trip through orjson is the
    canonical-JSON test, as in ``audit.preimage``, whose property test holds the two equal."""
    separator = line[64:_PREIMAGE_AT]
    if separator not in _SEPARATORS:
        return None
    pre = line[_PREIMAGE_AT:]
    try:
        values = orjson.loads(pre)
    except orjson.JSONDecodeError:
        return None
    if type(values) is not list or len(values) != 10 \
            or not _TEXT_OR_NULL.issuperset(map(type, values)) or orjson.dumps(values) != pre:
        return None
    return line[:64], separator == b" 1 ", pre, values


def check(text: bytes, station_code: str, audit_from: str) -> tuple[int, str]:
    """Check every entry of ``text``: it is well formed, links to the one before (the first to
    ``audit_from``), belongs to ``station_code``, and — unless withheld, when its before/after
    must be null — hashes to what it states. Returns (entries, hash of the last); raises
    :class:`BrokenChain` at the first entry that does not hold."""
    prev = audit_from
    if not _is_hash(prev.encode("ascii", "replace")):
        raise BrokenChain(0)
    sha256 = hashlib.sha256
    lines = _lines(text)
    for i, line in enumerate(lines):
        entry = _parse(line)
        if entry is None:
            raise BrokenChain(i)
        digest, withheld, pre, values = entry
        if values[0] != prev or values[2] != station_code:
            raise BrokenChain(i)
        if withheld:
            if values[8] is not None or values[9] is not None or not _is_hash(digest):
                raise BrokenChain(i)
        elif sha256(pre).hexdigest().encode("ascii") != digest:
            raise BrokenChain(i)
        prev = digest.decode("ascii")
    return len(lines), prev


def decode(text: bytes) -> list[list[Any]]:
    """The entries as rows of ``AUDIT_COLUMNS``; :class:`BrokenChain` (a ValueError) at a line
    that is not an entry. Decoding checks form, not links or hashes (that is :func:`check`)."""
    rows: list[list[Any]] = []
    for i, line in enumerate(_lines(text)):
        entry = _parse(line)
        if entry is None or not (_is_hash(entry[0])):
            raise BrokenChain(i)
        digest, withheld, _pre, values = entry
        rows.append([*values[1:], values[0], digest.decode("ascii"), int(withheld)])
    return rows
