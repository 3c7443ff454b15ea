"""The fast chain hash is byte for byte the hash of the canonical JSON it stands for."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from storage import audit

# Any text SQLite can hold (no lone surrogates), with quotes, backslashes and control characters.
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
fields = st.lists(st.one_of(st.none(), texts), min_size=9, max_size=9)


def _reference(prev: str, values: list[object]) -> str:
    return hashlib.sha256(audit.canonical_json([prev, *values]).encode("utf-8")).hexdigest()


@given(texts, fields)
def test_fast_hash_equals_canonical_json_hash(prev: str, values: list[str | None]) -> None:
    assert audit.fields_hash(prev, values) == _reference(prev, values)


@given(texts, st.lists(st.one_of(st.none(), texts, st.integers(), st.booleans()),
                       min_size=9, max_size=9))
def test_values_that_are_not_text_take_the_general_encoder(prev: str, values: list[object]) -> None:
    assert audit.fields_hash(prev, values) == _reference(prev, values)


def test_a_changed_field_changes_the_hash() -> None:
    values: list[str | None] = ["e", "320508102000", "2026-03-02T08:00:00", "clerk1", "update",
                                "matters", "01J", '{"status":"registered"}', '{"status":"accepted"}']
    changed = values[:8] + ['{"status":"closed"}']
    assert audit.fields_hash(audit.GENESIS, values) != audit.fields_hash(audit.GENESIS, changed)
