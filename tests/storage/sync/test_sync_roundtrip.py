"""Station -> stick -> county: the round trip, repeat imports, dry runs, re-exports, receipts."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import date, timedelta
from pathlib import Path

from storage import audit, matter_progress, petitions
from storage.register import Register
from storage.sync import county, export, importer, receipts, segments
from tests.helpers.registers import FakeClock
from tests.helpers.sync import (
    add_petition,
    as_head,
    export_to,
    import_files,
    snapshot,
    unlock,
)


def test_round_trip_brings_every_record_and_the_audit_chain(pair, tmp_path: Path) -> None:
    t, c = pair
    rng = random.Random(7)
    people = [add_petition(t, rng, i + 1) for i in range(12)]
    stick = tmp_path / "stick"
    stick.mkdir()
    path = export_to(t, "2026-02", stick, tmp_path / "outbox")
    assert path.name == "320508102000-202602-001.pdsync"

    reports = import_files(c, [stick], unlock(c))

    assert [r.status for r in reports] == ["imported"]
    assert reports[0].counts["matters"].created == 12
    assert reports[0].gaps == []
    for table in ("stations", "villages", "grids", "codes", "petitioners", "matters",
                  "matter_petitioners"):
        assert c.rows(f"SELECT * FROM {table} WHERE station_code = ? ORDER BY id",
                      (t.station_code,)) == t.rows(f"SELECT * FROM {table} ORDER BY id"), table
    # the station's chain continues at the county, hash for hash
    assert segments.head(c, t.station_code) == audit.head(t.conn, t.station_code)
    assert segments.verify(c, t.station_code).ok
    # the county's search finds what the station registered
    person, matter_id = people[3]
    assert petitions.search_ids(c, person.id_number) == [matter_id]


def test_importing_the_same_bundle_twice_changes_nothing(pair, tmp_path: Path) -> None:
    t, c = pair
    rng = random.Random(1)
    for i in range(5):
        add_petition(t, rng, i + 1)
    path = export_to(t, "2026-02", tmp_path, tmp_path / "outbox")
    key = unlock(c)
    import_files(c, [path], key)
    before = snapshot(c, with_ledger=True)
    changes = c.conn.total_changes

    again = import_files(c, [path, path], key)

    assert [r.status for r in again] == ["already", "already"]
    assert c.conn.total_changes == changes
    assert snapshot(c, with_ledger=True) == before


def test_dry_run_reports_exactly_what_the_import_then_does(pair, tmp_path: Path) -> None:
    t, c = pair
    rng = random.Random(2)
    people = [add_petition(t, rng, i + 1) for i in range(6)]
    first = export_to(t, "2026-02", tmp_path, tmp_path / "outbox")
    as_head(t)
    with t.transaction():
        t.update("petitioners", people[0][0].id, {"address": "新地址"})
        t.delete("matters", people[1][1])
    add_petition(t, rng, 7)
    second = export_to(t, "2026-03", tmp_path, tmp_path / "outbox")
    key = unlock(c)
    before = snapshot(c, with_ledger=True)

    dry = import_files(c, [second, first], key, dry_run=True)

    assert snapshot(c, with_ledger=True) == before
    assert [r.status for r in dry] == ["ready", "ready"]
    real = import_files(c, [second, first], key)
    assert [r.to_json()["counts"] for r in dry] == [r.to_json()["counts"] for r in real]
    by_seq = {r.seq: r for r in real}
    assert by_seq[2].counts["petitioners"].updated == 1
    assert by_seq[2].counts["matters"].deleted == 1
    assert by_seq[2].counts["matters"].created == 1


def test_re_export_of_the_same_month_is_safe(pair, tmp_path: Path) -> None:
    t, c = pair
    rng = random.Random(3)
    add_petition(t, rng, 1)
    one = export_to(t, "2026-02", tmp_path, tmp_path / "outbox")
    add_petition(t, rng, 2)
    two = export_to(t, "2026-02", tmp_path, tmp_path / "outbox")
    assert (one.name, two.name) == ("320508102000-202602-001.pdsync",
                                    "320508102000-202602-002.pdsync")
    import_files(c, [one, two], unlock(c))
    assert c.scalar("SELECT count(*) FROM matters") == 2
    assert c.scalar("SELECT count(DISTINCT id) FROM petitioners") == 2


def test_a_later_stick_carries_unconfirmed_bundles_until_a_receipt_confirms(
        pair, tmp_path: Path) -> None:
    t, c = pair
    as_head(c)
    from storage.sync import keys

    keys.create_signing_key(c)  # the county signs receipts
    keys.load_upstream(t, keys.own_key_file(c))  # station reloads the county key file
    as_head(t)
    outbox = tmp_path / "outbox"
    rng = random.Random(4)
    add_petition(t, rng, 1)
    lost = tmp_path / "lost-stick"
    lost.mkdir()
    export.export(t, "2026-02", lost, outbox)  # this stick never reaches the county
    add_petition(t, rng, 2)
    stick = tmp_path / "stick"
    stick.mkdir()
    result = export.export(t, "2026-03", stick, outbox)
    assert sorted(p.name for p in result.written) == ["320508102000-202602-001.pdsync",
                                                      "320508102000-202603-002.pdsync"]

    reports = import_files(c, [stick], unlock(c))
    assert [r.gaps for r in reports] == [[], []]
    receipts.write_receipt(c, stick, t.station_code)

    add_petition(t, rng, 3)
    result = export.export(t, "2026-03", stick, outbox)
    assert result.confirmed_by_receipt == 2
    assert [p.name for p in result.written] == ["320508102000-202603-003.pdsync"]
    assert sorted(p.name for p in outbox.iterdir()) == ["320508102000-202603-003.pdsync"]


def test_gaps_and_missing_months_show_in_the_county_history(
        pair, tmp_path: Path, clock: FakeClock) -> None:
    t, c = pair
    rng = random.Random(5)
    files = []
    for i, month in enumerate(("2026-01", "2026-02", "2026-03")):
        add_petition(t, rng, i + 1)
        files.append(export_to(t, month, tmp_path, tmp_path / "outbox"))
        clock.advance(days=31)
    reports = import_files(c, [files[0], files[2]], unlock(c))
    assert [r.gaps for r in reports] == [[2], [2]]
    assert reports[1].audit_waiting  # its chain waits for bundle 2

    h = county.history(c)[0]
    assert h.gaps == [2]
    assert "2026-02" in h.missing_months
    assert segments.verify(c, t.station_code).ok  # bundle 1's part of the chain
    assert segments.head(c, t.station_code) != audit.head(t.conn, t.station_code)

    import_files(c, [files[1]], unlock(c))
    h = county.history(c)[0]
    assert h.gaps == []
    assert all(b.audit_joined for b in h.bundles)
    assert segments.head(c, t.station_code) == audit.head(t.conn, t.station_code)
    assert segments.verify(c, t.station_code).ok


def test_bundles_are_late_after_the_due_day(pair, tmp_path: Path, clock: FakeClock) -> None:
    t, c = pair
    clock.now = clock.now.replace(month=3, day=20)
    path = export_to(t, "2026-02", tmp_path, tmp_path / "outbox")
    import_files(c, [path], unlock(c))
    h = county.history(c)[0]
    assert h.bundles[0].late and h.late_months == ["2026-02"]
    c.set_setting(county.DUE_DAY_SETTING, 25)
    assert county.history(c)[0].late_months == []


def test_dry_run_of_a_folder_with_nothing_new_writes_nothing(pair, tmp_path: Path) -> None:
    _t, c = pair
    changes = c.conn.total_changes
    assert importer.import_bundles(c, [tmp_path], unlock(c), dry_run=True) == []
    assert c.conn.total_changes == changes


def test_fast_paths_agree_with_the_reference_code(pair) -> None:
    """The importer's entry hash and bulk search rows are the audit and search modules' own
    results, computed faster; if either module changes, this fails."""
    from storage.sync import hooks

    t, _c = pair
    rng = random.Random(8)
    matters = [add_petition(t, rng, i + 1)[1] for i in range(5)]
    for r in t.rows("SELECT * FROM audit_log ORDER BY seq"):
        fields = [r[k] for k in ("entry_id", "station_code", "at", "actor", "action",
                                 "table_name", "record_id", "before", "after")]
        reference = hashlib.sha256(
            audit.canonical_json([r["prev_hash"], *fields]).encode("utf-8")).hexdigest()
        assert audit.fields_hash(r["prev_hash"], fields) == reference == r["hash"]
    expected = []
    with t.transaction():
        for m in matters:
            petitions.index_matter(t, m)
            expected.append(t.conn.execute(
                "SELECT matter_id, names, body FROM matter_search WHERE rowid = ?",
                (petitions.search_key(t.conn, m),)).fetchone())
    data = hooks.search_data(t, matters)
    assert sorted(data.rows) == sorted(expected)
    # and the pair index's sources, read by the same two queries
    kept = dict(t.conn.execute("SELECT matter_id, source FROM matter_gram_keys"))
    assert sorted(data.pairs) == sorted((m, kept[m]) for m in matters)


def test_an_import_keys_new_search_rows_after_the_existing_ones(pair, tmp_path: Path) -> None:
    """Issue 17: the county's search rows are keyed in time order — a bundle's new matters
    after every existing row, an updated matter under its old key, a tombstoned one gone."""
    t, c = pair
    rng = random.Random(11)
    first = [add_petition(t, rng, i + 1)[1] for i in range(4)]
    key = unlock(c)
    import_files(c, [export_to(t, "2026-02", tmp_path, tmp_path / "outbox")], key)
    keys = petitions.search_keys(c.conn, first)
    assert [keys[m] for m in sorted(first)] == sorted(keys.values())  # in id (= time) order
    top = int(c.scalar("SELECT max(key) FROM matter_search_keys"))
    old_summary = t.get("matters", first[0])["summary"]
    as_head(t)
    with t.transaction():
        t.update("matters", first[0], {"summary": "反映自来水管道破裂无人维修"})
        t.delete("matters", first[1])
    later = [add_petition(t, rng, i + 5)[1] for i in range(3)]
    import_files(c, [export_to(t, "2026-03", tmp_path, tmp_path / "outbox")], key)

    now = petitions.search_keys(c.conn, [*first, *later])
    assert now[first[0]] == keys[first[0]]  # updated: the same key, the row replaced
    assert petitions.search_ids(c, "自来水管道") == [first[0]]
    assert first[0] not in petitions.search_ids(c, old_summary)
    assert first[1] not in now  # tombstoned: row and key gone
    assert petitions.search_ids(c, t.get("matters", first[1], include_deleted=True)["summary"]
                                ) == []
    assert [now[m] for m in sorted(later)] == list(range(top + 1, top + 4))  # after the rest
    rows = dict(c.conn.execute("SELECT rowid, matter_id FROM matter_search"))
    assert rows == dict(c.conn.execute("SELECT key, matter_id FROM matter_search_keys"))
    assert sorted(rows.values()) == sorted([first[0], *first[2:], *later])


def test_the_county_keeps_the_progress_the_township_has(pair, tmp_path: Path) -> None:
    """The figures at the county read ``matter_progress`` written there by the import (its
    triggers), equal to the township's; a later bundle that voids an event moves it too."""
    t, c = pair
    rng = random.Random(11)
    ids = [add_petition(t, rng, i + 1)[1] for i in range(6)]
    day = date(2026, 3, 2)
    for n, matter_id in enumerate(ids):
        _event(t, matter_id, "accept", day + timedelta(days=n), {})
        if n % 2:
            _event(t, matter_id, "reply", day + timedelta(days=10 + n), {"result": "支持"})
    for stick in ("s1", "s2"):
        (tmp_path / stick).mkdir()
    import_files(c, [export_to(t, "2026-03", tmp_path / "s1", tmp_path / "o1").parent],
                 unlock(c))

    def progress(reg: Register) -> list[tuple[object, ...]]:
        return reg.conn.execute(
            "SELECT * FROM matter_progress WHERE matter_id IN (SELECT id FROM matters WHERE"
            " station_code = ?) ORDER BY matter_id, until", (t.station_code,)).fetchall()

    assert len(progress(t)) >= 9 and progress(c) == progress(t)
    reply = t.conn.execute("SELECT id FROM matter_events WHERE kind = 'reply' LIMIT 1"
                           ).fetchone()[0]
    with t.transaction():
        t.update("matter_events", reply, dict(deleted=1))
    import_files(c, [export_to(t, "2026-03", tmp_path / "s2", tmp_path / "o2").parent],
                 unlock(c))
    assert progress(c) == progress(t)
    assert matter_progress.differing(c.conn) == []


def _event(reg: Register, matter_id: str, kind: str, day: date, data: dict[str, str]) -> None:
    with reg.transaction():
        reg.insert("matter_events", dict(matter_id=matter_id, kind=kind,
                                         occurred_on=day.isoformat(), actor="clerk",
                                         data=json.dumps(data)))
