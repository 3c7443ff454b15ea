"""Merge rules: tombstones hold against older bundles; same id and version with different
content waits for a person; a later version supersedes an open conflict."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from storage.errors import PermissionDenied, ValidationError
from storage.register import Actor, Register
from storage.sync import conflicts, merge
from storage.sync.payload import TableRows
from tests.helpers.registers import FakeClock
from tests.helpers.sync import (
    add_petition,
    as_head,
    export_to,
    import_files,
    link,
    make_county,
    make_township,
    unlock,
)

CODE = "320508102000"


def test_tombstone_holds_against_an_older_bundle(clock: FakeClock, tmp_path: Path) -> None:
    c = make_county(clock)
    t = make_township(clock)
    link(t, c)
    rng = random.Random(5)
    person, matter = add_petition(t, rng, 1)
    older = export_to(t, "2026-01", tmp_path, tmp_path / "outbox")
    as_head(t)
    with t.transaction():
        t.update("matters", matter, {"summary": "更正"})
    middle = export_to(t, "2026-02", tmp_path, tmp_path / "outbox")
    with t.transaction():
        t.delete("matters", matter)
    newest = export_to(t, "2026-02", tmp_path, tmp_path / "outbox")
    key = unlock(c)

    for path in (newest, older, middle):  # the deletion arrives first
        import_files(c, [path], key)

    row = c.rows("SELECT deleted, version, summary FROM matters WHERE id = ?", (matter,))[0]
    assert row == {"deleted": 1, "version": 3, "summary": "更正"}
    assert c.scalar("SELECT count(*) FROM matter_search WHERE matter_id = ?", (matter,)) == 0
    assert c.scalar("SELECT deleted FROM petitioners WHERE id = ?", (person.id,)) == 0


def _row(reg: Register, table: str, **values: Any) -> tuple[list[str], list[Any]]:
    cols = reg.columns(table)
    base = {"station_code": CODE, "created_at": "2026-03-01T09:00:00",
            "updated_at": "2026-03-01T09:00:00", "updated_by": "clerk", "deleted": 0,
            "name": "张三", "name_pinyin": "", "gender": "", "ethnic_group": "",
            "id_number": None, "birth_date": None, "phone": "", "address": "",
            "village_id": None, "occupation": ""}
    base.update(values)
    return cols, [base.get(c) for c in cols]


def _merge(reg: Register, *rows: tuple[list[str], list[Any]]) -> merge.TableCounts:
    total = merge.TableCounts()
    for cols, row in rows:
        ctx = merge.MergeContext(reg, CODE, f"bundle-{row}")
        with reg.transaction():
            total.add(merge.merge_table(ctx, TableRows("petitioners", cols, [row])))
    return total


@pytest.mark.parametrize("first_deleted", [True, False])
def test_deletion_wins_over_a_later_edit_in_either_order(reg: Register,
                                                         first_deleted: bool) -> None:
    tomb = _row(reg, "petitioners", id="P1", version=2, deleted=1, address="旧")
    edit = _row(reg, "petitioners", id="P1", version=5, deleted=0, address="另一处修改")
    _merge(reg, *((tomb, edit) if first_deleted else (edit, tomb)))
    assert reg.rows("SELECT deleted, address FROM petitioners WHERE id = 'P1'") == [
        {"deleted": 1, "address": "旧"}]


def test_same_version_different_content_waits_for_a_person(clock: FakeClock) -> None:
    c = make_county(clock)
    mine = _row(c, "petitioners", id="P1", version=3, address="东街1号")
    theirs = _row(c, "petitioners", id="P1", version=3, address="西街9号")
    counts = _merge(c, mine, theirs, theirs)  # the conflicting row arrives twice
    assert counts.conflicts == 2 and counts.created == 1
    assert c.scalar("SELECT address FROM petitioners WHERE id = 'P1'") == "东街1号"
    [conflict] = conflicts.conflicts(c)
    assert conflict.differences() == [("address", "东街1号", "西街9号")]

    c.actor = Actor("", "x", "x", "clerk")
    with pytest.raises(PermissionDenied):  # a clerk may not decide
        conflicts.decide(c, conflict.id, "incoming")
    as_head(c)
    decided = conflicts.decide(c, conflict.id, "incoming")
    assert decided.status == "took_incoming"
    assert c.rows("SELECT address, version FROM petitioners WHERE id = 'P1'") == [
        {"address": "西街9号", "version": 3}]  # the county never invents versions
    with pytest.raises(ValidationError):
        conflicts.decide(c, conflict.id, "local")


def test_a_later_version_supersedes_an_open_conflict(clock: FakeClock) -> None:
    c = make_county(clock)
    _merge(c, _row(c, "petitioners", id="P1", version=3, address="甲"),
           _row(c, "petitioners", id="P1", version=3, address="乙"))
    assert len(conflicts.conflicts(c)) == 1
    counts = _merge(c, _row(c, "petitioners", id="P1", version=4, address="丙"))
    assert counts.updated == 1
    assert conflicts.conflicts(c) == []
    assert [x.status for x in conflicts.conflicts(c, status=None)] == ["superseded"]
    assert c.scalar("SELECT address FROM petitioners WHERE id = 'P1'") == "丙"


def test_a_row_refused_by_a_uniqueness_rule_becomes_a_conflict(clock: FakeClock) -> None:
    c = make_county(clock)
    cols = c.columns("codes")

    def code_row(row_id: str, label: str) -> list[Any]:
        values = {"id": row_id, "station_code": CODE, "version": 1,
                  "created_at": "2026-03-01T09:00:00", "updated_at": "2026-03-01T09:00:00",
                  "updated_by": "head", "deleted": 0, "kind": "form", "code": "走访",
                  "label": label, "parent": "", "sort": 0, "active": 1}
        return [values[k] for k in cols]

    ctx = merge.MergeContext(c, CODE, "b1")
    with c.transaction():
        counts = merge.merge_table(ctx, TableRows("codes", cols, [code_row("A", "走访"),
                                                                  code_row("B", "来访")]))
    assert (counts.created, counts.conflicts) == (1, 1)
    [conflict] = conflicts.conflicts(c)
    assert conflict.kind == "duplicate" and conflict.record_id == "B"
    as_head(c)
    with pytest.raises(ValidationError):
        conflicts.decide(c, conflict.id, "incoming")
    assert conflicts.decide(c, conflict.id, "local").status == "kept_local"
