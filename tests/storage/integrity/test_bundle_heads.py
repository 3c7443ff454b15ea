"""The chain head in every bundle (docs/architecture.md §7.1): the county keeps each station's
heads, so a station whose log was rewritten behind the program's back — even with its export
ledger adjusted to match — cannot send a bundle the county takes."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

from storage import audit
from storage.sync import importer
from tests.helpers.registers import FakeClock
from tests.helpers.sync import (
    add_petition,
    export_to,
    link,
    make_county,
    make_township,
    unlock,
)


def rehash_from(conn: sqlite3.Connection, seq_from: int) -> None:
    """Change the actor of entry ``seq_from`` and recompute every hash from there on."""
    conn.execute("DROP TRIGGER audit_log_no_update")
    prev = conn.execute("SELECT prev_hash FROM audit_log WHERE seq = ?", (seq_from,)).fetchone()[0]
    rows = conn.execute("SELECT seq, entry_id, station_code, at, actor, action, table_name,"
                        " record_id, before, after FROM audit_log WHERE seq >= ? ORDER BY seq",
                        (seq_from,)).fetchall()
    for seq, *values in rows:
        entry = dict(zip(("entry_id", "station_code", "at", "actor", "action", "table_name",
                          "record_id", "before", "after"), values, strict=True))
        if seq == seq_from:
            entry["actor"] = "nobody"
        digest = audit.entry_hash(prev, entry)
        conn.execute("UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                     (entry["actor"], prev, digest, seq))
        prev = digest


def test_a_rewritten_chain_is_refused_by_the_county(tmp_path: Path) -> None:
    clock = FakeClock()
    county, township = make_county(clock), make_township(clock)
    link(township, county)
    rng = random.Random(14)
    (tmp_path / "stick").mkdir()
    add_petition(township, rng, 1)
    first = export_to(township, "2026-02", tmp_path / "stick", tmp_path / "outbox")
    key = unlock(county)
    [ok] = importer.import_bundles(county, [first], key)
    assert ok.status == "imported"
    stored = json.loads(county.scalar("SELECT manifest FROM sync_imports"))
    assert stored["audit"]["seq"] > 0 and stored["audit"]["head"] == audit.head(township.conn)

    # behind the program's back: an old entry changed, the chain re-hashed, and the export
    # ledger made to agree, so that the station itself exports without complaint
    rehash_from(township.conn, 3)
    to_seq = township.scalar("SELECT audit_to_seq FROM sync_exports")
    township.conn.execute("UPDATE sync_exports SET audit_head = (SELECT hash FROM audit_log"
                          " WHERE seq = ?)", (to_seq,))
    add_petition(township, rng, 2)
    second = export_to(township, "2026-03", tmp_path / "stick", tmp_path / "outbox")
    [refused] = importer.import_bundles(county, [second], key)
    assert refused.status == "refused"
    assert "接不上" in refused.message
