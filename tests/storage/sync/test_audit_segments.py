"""Received audit chains: one compressed segment per bundle, verified again by `check`; and the
migration that moved chains received before segments existed."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import orjson
import pytest
from sqlite_utils import Database

from storage import integrity
from storage.migrations import MIGRATIONS
from storage.sync import chainlines, payload, segments
from tests.helpers.registers import FakeClock
from tests.helpers.sync import (
    add_petition,
    export_to,
    import_files,
    link,
    make_county,
    make_township,
    unlock,
)

TOWN = "320508102000"


@pytest.fixture
def imported(clock: FakeClock, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A township whose two bundles the county imported."""
    c = make_county(clock)
    t = make_township(clock)
    link(t, c)
    rng = random.Random(3)
    files = []
    for i, month in enumerate(("2026-01", "2026-02")):
        for k in range(3):
            add_petition(t, rng, 3 * i + k + 1)
        files.append(export_to(t, month, tmp_path, tmp_path / "outbox"))
    import_files(c, files, unlock(c))
    yield t, c
    t.close()
    c.close()


def test_the_county_keeps_the_station_chain_hash_for_hash(imported) -> None:
    t, c = imported
    own = [list(r) for r in t.conn.execute(
        "SELECT entry_id, station_code, at, actor, action, table_name, record_id, before, after,"
        " prev_hash, hash FROM audit_log ORDER BY seq")]
    received = list(segments.entries(c, TOWN))
    assert [e[:7] + e[9:11] for e in received] == [e[:7] + e[9:] for e in own]
    for got, sent in zip(received, own, strict=True):
        if got[11]:  # withheld: the station's password hash never left it
            assert got[7:9] == [None, None] and "password_hash" in (sent[8] or sent[7])
        else:
            assert got[7:9] == sent[7:9]
    assert any(e[11] for e in received)
    assert segments.verify(c, TOWN).ok
    # the county's own chain holds only its own entries (one per imported bundle), and the
    # county's `check` is clean although it cannot recompute the withheld entries' hashes
    assert c.scalar("SELECT count(*) FROM audit_log WHERE station_code = ?", (TOWN,)) == 0
    assert integrity.check(c, None).ok


def test_check_finds_a_received_entry_changed_afterwards(imported) -> None:
    _t, c = imported
    assert not [p for p in integrity.check(c, None).problems if TOWN in p]
    body = c.conn.execute("SELECT body FROM sync_audit_segments WHERE seq = 2").fetchone()[0]
    entries = segments.unpack(body)
    assert "宅基地" in entries[1][8]
    entries[1][8] = entries[1][8].replace("宅基地", "承包地")  # someone edits a received entry
    c.conn.execute("DROP TRIGGER sync_audit_segments_no_update")
    c.conn.execute("UPDATE sync_audit_segments SET body = ? WHERE seq = 2",
                   (payload.compress(chainlines.encode(entries)),))
    report = segments.verify(c, TOWN)
    assert not report.ok
    assert [p for p in integrity.check(c, None).problems if TOWN in p]


@pytest.mark.parametrize("damage", ["line", "frame"])
def test_check_reports_a_stored_body_that_no_longer_reads(imported, damage: str) -> None:
    _t, c = imported
    body = c.conn.execute("SELECT body FROM sync_audit_segments WHERE seq = 2").fetchone()[0]
    first = c.scalar("SELECT entries FROM sync_audit_segments WHERE seq = 1")
    lines = payload.inflate(body).split(b"\n")
    lines[2] = lines[2][:70] + b"not json" + lines[2][78:]
    bad = payload.compress(b"\n".join(lines)) if damage == "line" else body[:-9]
    c.conn.execute("DROP TRIGGER sync_audit_segments_no_update")
    c.conn.execute("UPDATE sync_audit_segments SET body = ? WHERE seq = 2", (bad,))
    report = segments.verify(c, TOWN)
    assert report.broken_at == (first + 3 if damage == "line" else first + 1)
    assert [p for p in integrity.check(c, None).problems if TOWN in p]


def test_received_segments_cannot_be_changed_or_removed(imported) -> None:
    _t, c = imported
    with pytest.raises(sqlite3.IntegrityError):
        c.conn.execute("DELETE FROM sync_audit_segments")
    with pytest.raises(sqlite3.IntegrityError):
        c.conn.execute("UPDATE sync_audit_segments SET entries = 0")


def test_migration_moves_chains_received_before_segments(clock: FakeClock) -> None:
    """A county at m004 that had imported bundles 1 and 3 of a township (3 waiting for 2)."""
    t = make_township(clock)
    rng = random.Random(4)
    for k in range(6):
        add_petition(t, rng, k + 1)
    chain = [list(r) for r in t.conn.execute(
        "SELECT entry_id, station_code, at, actor, action, table_name, record_id, before, after,"
        " prev_hash, hash FROM audit_log ORDER BY seq")]
    cut1, cut2 = len(chain) // 3, 2 * len(chain) // 3
    spans = {1: chain[:cut1], 2: chain[cut1:cut2], 3: chain[cut2:]}
    withheld = chain[1][0]

    conn = sqlite3.connect(":memory:")
    db = Database(conn)
    MIGRATIONS.apply(db, stop_before="m005_audit_segments")
    conn.execute("INSERT INTO settings(key, value) VALUES ('station_code', ?)",
                 (json.dumps("320508000000"),))
    cols = "entry_id, station_code, at, actor, action, table_name, record_id, before, after," \
           " prev_hash, hash"
    conn.executemany(f"INSERT INTO audit_log({cols}) VALUES ({','.join('?' * 11)})",
                     spans[1])  # bundle 1 joined the chain
    own = ["e-own", "320508000000", "2026-02-02", "head", "sync-import", "sync_imports",
           f"{TOWN}#1", None, "{}", "0" * 64, "1" * 64]
    conn.execute(f"INSERT INTO audit_log({cols}) VALUES ({','.join('?' * 11)})", own)
    conn.execute("INSERT INTO sync_withheld_audit(entry_id) VALUES (?)", (withheld,))
    for seq, applied in ((1, 1), (3, 0)):
        span = spans[seq]
        conn.execute(
            "INSERT INTO sync_imports(bundle_hash, sender, station_code, seq, period, created_at,"
            " prev_hash, audit_from, audit_head, audit_applied, imported_at, imported_by,"
            " file_name, manifest, result) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (f"h{seq}", TOWN, TOWN, seq, "2026-01", "2026-02-01", "p", span[0][9], span[-1][10],
             applied, "2026-02-02", "head", "f", "{}", "{}"))
    conn.execute("INSERT INTO sync_pending_audit(sender, seq, audit_from, audit_head, entries)"
                 " VALUES (?,?,?,?,?)", (TOWN, 3, spans[3][0][9], spans[3][-1][10],
                                        json.dumps([[*e, 0] for e in spans[3]])))

    MIGRATIONS.apply(db)

    got = {r[0]: orjson.loads(payload.inflate(r[1])) for r in conn.execute(
        "SELECT seq, body FROM sync_audit_segments ORDER BY seq")}
    # bodies written before bundle format 2 are JSON rows; segments still reads them
    assert {r[0]: segments.unpack(r[1]) for r in conn.execute(
        "SELECT seq, body FROM sync_audit_segments")} == got
    assert sorted(got) == [1, 3]
    assert [e[:11] for e in got[1]] == spans[1]
    assert [e[11] for e in got[1]] == [int(e[0] == withheld) for e in spans[1]]
    assert [e[:11] for e in got[3]] == spans[3]
    assert [list(r) for r in conn.execute(f"SELECT {cols} FROM audit_log")] == [own]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not tables & {"sync_remote_audit", "sync_pending_audit", "sync_withheld_audit"}
    with pytest.raises(sqlite3.IntegrityError):  # the append-only guard is back
        conn.execute("DELETE FROM audit_log")
    t.close()
