"""A sender's audit entries as they travel in a bundle and are kept by the receiver: one line
per entry, in chain order::

    <hash: 64 hex digits> SP <withheld: 0 or 1> SP <preimage> LF

*preimage* is exactly the bytes the entry's hash was taken over (``audit.preimage``: canonical
JSON of ``[prev_hash, entry_id, station_code, at, actor, action, table_name, record_id, before,
after]``; JSON escapes every line break, so an entry is always one line). An entry whose
before/after held a password hash travels with those two set to null and ``withheld`` 1: its
hash is stated, not recomputable, and only its link can be checked.

Why lines of preimages and not JSON rows: checking a chain needs only the bytes that were
hashed. The receiver hashes each line's preimage and compares the link at its start, parsing
and re-encoding nothing. For a month of a township (50,000 entries, 24 MB of text) that takes a
few hundredths of a second; parsing the same entries as JSON rows took 0.15 s (their before/after
texts are escaped JSON full of Chinese), re-encoding them to check the hashes 0.08 s more, and
packing them again for storage 0.06 s. Each entry's full structure is read when a chain is shown
or verified again (:func:`decode`, ``segments.verify`` behind the `check` command), which also
recomputes every hash from the decoded fields.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

import orjson

from storage.audit import preimage

AUDIT_COLUMNS = ("entry_id", "station_code", "at", "actor", "action", "table_name", "record_id",
                 "before", "after", "prev_hash", "hash", "withheld")
_PREV, _HASH, _WITHHELD = 9, 10, 11
_HEX = frozenset(b"0123456789abcdef")

# The fast path (see _fast_line): entry id and station code without quotes or backslashes, as
# every station writes them, so their ends are found without a JSON parser; anything else takes
# the slow path. The two hashes are matched as any 64 bytes (three times faster than a hex
# class): the stated one is compared with a computed hex digest or checked by _is_hash, the
# linked one with the previous entry's.
_FAST_LINE = rb'(.{64}) ([01]) \["(.{64})","[^"\\]*","%s",'
_PREIMAGE_AT = 67
_WITHHELD_TAIL = b",null,null]"


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


def _slow_parts(line: bytes) -> tuple[bytes, bytes, bytes, bytes, str] | None:
    """(hash, withheld, preimage, prev, station code) of a line the fast pattern did not fit."""
    parts = line.split(b" ", 2)
    if len(parts) != 3 or not _is_hash(parts[0]) or parts[1] not in (b"0", b"1"):
        return None
    try:
        values = orjson.loads(parts[2])
    except orjson.JSONDecodeError:
        return None
    if not (isinstance(values, list) and len(values) == 10 and isinstance(values[0], str)
            and isinstance(values[2], str)):
        return None
    return parts[0], parts[1], parts[2], values[0].encode("utf-8"), values[2]


def check(text: bytes, station_code: str, audit_from: str) -> tuple[int, str]:
    """Check every entry of ``text``: it links to the one before (the first to ``audit_from``),
    belongs to ``station_code``, and — unless withheld, when its before/after must be null —
    hashes to what it states. Returns (entries, hash of the last); raises :class:`BrokenChain`
    at the first entry that does not hold."""
    prev = audit_from.encode("ascii")
    if not _is_hash(prev):
        raise BrokenChain(0)
    fast = re.compile(_FAST_LINE % re.escape(station_code.encode("utf-8")), re.DOTALL).match
    sha256 = hashlib.sha256
    lines = _lines(text)
    for i, line in enumerate(lines):
        m = fast(line)
        if m is not None and line.endswith(b"]"):
            digest, withheld, linked = m.group(1, 2, 3)
            pre = line[_PREIMAGE_AT:]
        else:
            slow = _slow_parts(line)
            if slow is None or slow[4] != station_code:
                raise BrokenChain(i)
            digest, withheld, pre, linked = slow[:4]
        if linked != prev:
            raise BrokenChain(i)
        if withheld == b"1":
            if not (pre.endswith(_WITHHELD_TAIL) and _is_hash(digest)):
                raise BrokenChain(i)
        elif sha256(pre).hexdigest().encode("ascii") != digest:
            raise BrokenChain(i)
        prev = digest
    return len(lines), prev.decode("ascii")


def decode(text: bytes) -> list[list[Any]]:
    """The entries as rows of ``AUDIT_COLUMNS``; ValueError on a line that is not an entry."""
    rows: list[list[Any]] = []
    for i, line in enumerate(_lines(text)):
        slow = _slow_parts(line)
        if slow is None:
            raise BrokenChain(i)
        values = orjson.loads(slow[2])
        rows.append([*values[1:], values[0], slow[0].decode("ascii"), int(slow[1])])
    return rows
