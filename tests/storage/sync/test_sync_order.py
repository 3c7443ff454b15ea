"""Importing a set of bundles in any order — repeats included — gives the same final state."""

from __future__ import annotations

import random
import sqlite3
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.register import Register
from storage.sync import importer, segments
from tests.helpers.registers import CHEAP_HASHER, FakeClock
from tests.helpers.sync import (
    add_petition,
    as_head,
    export_to,
    link,
    make_county,
    make_township,
    snapshot,
    unlock,
)


def _history(t: Register, rng: random.Random, out: Path, months: list[str]) -> list[Path]:
    """Several months of a station's work: new matters, edits, deletions, deleting what a
    previous month edited, one month with nothing new."""
    files = []
    made: list[tuple[str, str]] = []
    n = 0
    for i, month in enumerate(months):
        if i != 2:
            for _ in range(3):
                n += 1
                person, matter = add_petition(t, rng, n)
                made.append((person.id, matter))
        as_head(t)
        with t.transaction():
            if i >= 1:
                pid, mid = made[rng.randrange(len(made))]
                if t.scalar("SELECT deleted FROM matters WHERE id = ?", (mid,)) == 0:
                    t.update("matters", mid, {"summary": f"{month}补充情况"})
                t.update("petitioners", pid, {"address": f"{month}新住址{rng.randint(1, 99)}"})
            if i >= 2:
                live = [m for _p, m in made
                        if t.scalar("SELECT deleted FROM matters WHERE id = ?", (m,)) == 0]
                t.delete("matters", live[0])
        files.append(export_to(t, month, out, out / "outbox"))
    return files


@lru_cache(maxsize=1)
def _world() -> tuple[bytes, list[Path], dict[str, object]]:
    """Two townships' bundles (built once), a template county, and the in-order result."""
    clock = FakeClock()
    out = Path(tempfile.mkdtemp(prefix="sync-order-"))
    county = make_county(clock)
    files: list[Path] = []
    for code, seed in (("320508102000", 1), ("320508103000", 2)):
        t = make_township(clock, code)
        link(t, county)
        folder = out / code
        folder.mkdir()
        files += _history(t, random.Random(seed), folder, ["2025-11", "2025-12", "2026-01",
                                                            "2026-02"])
        t.close()
    template = sqlite3.connect(":memory:")
    county.conn.backup(template)
    reference = _fresh(template)
    key = unlock(reference)
    for f in files:  # in order, one by one
        [r] = importer.import_bundles(reference, [f], key)
        assert r.status == "imported", r.message
    expected = snapshot(reference)
    assert all(segments.verify(reference, code).ok
               for code in ("320508102000", "320508103000"))
    return key, files, {"template": template, "expected": expected}


def _fresh(template: sqlite3.Connection) -> Register:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    template.backup(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    reg = Register(conn, None, FakeClock(), password_hasher=CHEAP_HASHER)
    as_head(reg)
    return reg


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_any_order_of_imports_gives_the_same_state(data: st.DataObject) -> None:
    key, files, world = _world()
    order = data.draw(st.permutations(files))
    repeats = data.draw(st.lists(st.sampled_from(files), max_size=3))
    sequence = list(order)
    for f in repeats:
        sequence.insert(data.draw(st.integers(0, len(sequence))), f)
    batch = data.draw(st.booleans())
    reg = _fresh(world["template"])  # type: ignore[arg-type]
    if batch:  # all files offered at once (the importer sorts them) ...
        importer.import_bundles(reg, sequence, key)
    else:  # ... or carried in one by one, in any order
        for f in sequence:
            importer.import_bundles(reg, [f], key)
    assert snapshot(reg) == world["expected"]
    assert reg.scalar("SELECT count(*) FROM sync_imports") == len(files)
    reg.close()
