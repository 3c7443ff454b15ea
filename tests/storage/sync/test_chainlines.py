"""Audit entries as chain lines: the receiver's quick check agrees with recomputing every hash
from the decoded fields, and refuses every change to an entry it can verify."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage import audit
from storage.sync import chainlines

CODE = "320508102000"


def _chain(fields: list[list[Any]], withheld: set[int] = frozenset(),  # type: ignore[assignment]
           prev: str = audit.GENESIS) -> list[list[Any]]:
    """Rows of AUDIT_COLUMNS for entries with these nine fields, hashed as a station does."""
    rows = []
    for i, f in enumerate(fields):
        digest = audit.fields_hash(prev, f)
        if i in withheld:
            f = [*f[:7], None, None]
        rows.append([*f, prev, digest, int(i in withheld)])
        prev = digest
    return rows


def _fields(n: int, code: str = CODE) -> list[list[Any]]:
    return [[f"01JENTRY{i:018d}", code, f"2026-02-03T08:{i % 60:02d}:00", "clerk1", "insert",
             "petitioners", f"P{i}", None if i % 2 else '{"name":"旧"}',
             f'{{"name":"张伟{i}","note":"第一行\\n第二行 \\"引号\\" \\\\"}}']
            for i in range(n)]


def test_round_trip_and_check() -> None:
    rows = _chain(_fields(6), withheld={2})
    text = chainlines.encode(rows)
    assert text.count(b"\n") == 6
    assert chainlines.decode(text) == rows
    assert chainlines.check(text, CODE, audit.GENESIS) == (6, rows[-1][10])
    assert chainlines.check(b"", CODE, "a" * 64) == (0, "a" * 64)


def test_check_starts_where_the_manifest_says() -> None:
    rows = _chain(_fields(3), prev="b" * 64)
    text = chainlines.encode(rows)
    assert chainlines.check(text, CODE, "b" * 64)[1] == rows[-1][10]
    with pytest.raises(chainlines.BrokenChain):
        chainlines.check(text, CODE, audit.GENESIS)
    with pytest.raises(chainlines.BrokenChain):
        chainlines.check(text, CODE, "not a hash")


def test_every_byte_change_of_a_checkable_entry_is_found() -> None:
    rows = _chain(_fields(3), withheld={1})
    text = chainlines.encode(rows)
    withheld_line = text.split(b"\n")[1]
    start = text.index(withheld_line)
    # a withheld entry's fields after its link cannot be recomputed (only the link and the
    # nulls at the end can be checked)
    unverifiable = range(start + 67 + 2 + 64, start + len(withheld_line) - len(b",null,null]"))
    tried = 0
    for i in range(len(text)):
        if i in unverifiable:
            continue
        for flip in (0x01, 0x80):
            changed = bytearray(text)
            changed[i] ^= flip
            with pytest.raises(chainlines.BrokenChain):
                chainlines.check(bytes(changed), CODE, audit.GENESIS)
            tried += 1
    assert tried == 2 * (len(text) - len(unverifiable)) > 2 * 800
    for n in range(1, len(text)):
        if text[n - 1:n] == b"\n":
            continue  # whole entries missing: the manifest's count and head catch that
        with pytest.raises(chainlines.BrokenChain):
            chainlines.check(text[:n], CODE, audit.GENESIS)


def test_another_station_or_reordered_entries_are_refused() -> None:
    theirs = chainlines.encode(_chain(_fields(2, code="320508103000")))
    with pytest.raises(chainlines.BrokenChain):
        chainlines.check(theirs, CODE, audit.GENESIS)
    lines = chainlines.encode(_chain(_fields(3))).split(b"\n")
    swapped = b"\n".join([lines[0], lines[2], lines[1], b""])
    with pytest.raises(chainlines.BrokenChain) as err:
        chainlines.check(swapped, CODE, audit.GENESIS)
    assert err.value.index == 1


def test_a_withheld_entry_must_really_withhold() -> None:
    rows = _chain(_fields(2))
    rows[1][11] = 1  # claims withheld but still carries before/after
    with pytest.raises(chainlines.BrokenChain):
        chainlines.check(chainlines.encode(rows), CODE, audit.GENESIS)


def _line(pre: bytes, withheld: int = 0, digest: str | None = None) -> bytes:
    return b"%s %d %s\n" % ((digest or hashlib.sha256(pre).hexdigest()).encode(), withheld, pre)


G = audit.GENESIS


@pytest.mark.parametrize("pre", [
    f'["{G}","e1","{CODE}",oops]',  # not JSON
    f'["{G}","e1","{CODE}","a","b","c","d","e",null,null,"x"]',  # eleven values
    f'["{G}","e1","{CODE}","a","b","c","d","e",null]',  # nine
    f'["{G}","e1","{CODE}","a","b","c","d","e",null, null]',  # a space: not canonical
    f'["{G}","e1","{CODE}","\\u0041","b","c","d","e",null,null]',  # an escape orjson avoids
    f'["{G}","e1","\\u0033{CODE[1:]}","a","b","c","d","e",null,null]',  # station code escaped
    f'["{G}","e1","{CODE}",1,"b","c","d","e",null,null]',  # a number, not text
    f'["{G}","e1","{CODE}",{{"b":1,"a":2}},"b","c","d","e",null,null]',  # an object
    f'{{"prev":"{G}"}}',  # not a list
])
def test_an_entry_not_written_as_encode_writes_it_is_refused(pre: str) -> None:
    """Hashed honestly over its bytes, but bytes the station's encoder would never write: the
    county could not verify them again from the decoded fields, so they are refused now."""
    data = pre.encode()
    with pytest.raises(chainlines.BrokenChain):
        chainlines.check(_line(data), CODE, G)
    with pytest.raises(chainlines.BrokenChain):
        chainlines.decode(_line(data))


def test_a_withheld_entry_is_well_formed_too() -> None:
    garbage = f'["{G}","e1","{CODE}",garbage,null,null]'.encode()
    with pytest.raises(chainlines.BrokenChain):
        chainlines.check(_line(garbage, withheld=1, digest="c" * 64), CODE, G)
    fine = f'["{G}","e1","{CODE}","a","b","c","d","e",null,null]'.encode()
    assert chainlines.check(_line(fine, withheld=1, digest="c" * 64), CODE, G) == (1, "c" * 64)
    with pytest.raises(chainlines.BrokenChain):
        chainlines.check(_line(fine, withheld=1, digest="not hex!" * 8), CODE, G)


def test_entry_ids_with_quotes_and_backslashes_are_fine() -> None:
    fields = _fields(3)
    fields[1][0] = 'odd "id" \\ with escapes'
    rows = _chain(fields)
    text = chainlines.encode(rows)
    assert chainlines.check(text, CODE, audit.GENESIS) == (3, rows[-1][10])
    assert chainlines.decode(text) == rows


_text = st.one_of(st.none(), st.text(max_size=30))


@given(st.lists(st.lists(_text, min_size=9, max_size=9), min_size=1, max_size=5))
def test_quick_check_agrees_with_recomputing_from_decoded_fields(
        fields: list[list[str | None]]) -> None:
    for f in fields:
        f[0], f[1] = f[0] or "E", CODE  # an entry id and this station
    rows = _chain(fields)
    text = chainlines.encode(rows)
    decoded = chainlines.decode(text)
    prev = audit.GENESIS
    for e in decoded:
        assert audit.fields_hash(prev, e[:9]) == e[10]
        prev = e[10]
    assert chainlines.check(text, CODE, audit.GENESIS) == (len(rows), prev)
