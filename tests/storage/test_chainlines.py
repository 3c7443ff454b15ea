"""Audit entries as chain lines: the receiver's quick check agrees with recomputing every hash
from the decoded fields, and refuses every change to an entry it can verify."""

from __future__ import annotations

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


def test_unusual_entry_ids_take_the_slow_path_and_agree() -> None:
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
