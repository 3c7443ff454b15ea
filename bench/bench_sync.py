"""Sync bundle benchmark (not a test): export of N changed records and import at the county,
each printed next to the floor measured in the same run — simply serialising (JSON, with the
bundle's own encoder) and compressing (zstd, the bundle's level) the same records — as a ratio.

    python bench/bench_sync.py [--records 50000] [--keep DIR]

Targets (issue 6): export of 50,000 changed records in at most 2 s; import at 50,000 records/s
or better.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage import accounts, station
from storage.db import open_register
from storage.register import Register
from storage.sync import collect, export, hooks, importer, keys, payload, signkey

PASS = "bench-pass-1"
RUNS = 3


def _set_up(reg: Register, code: str, kind: str) -> None:
    villages = [] if kind == "county" else [station.VillageSpec("春明村", code[:9] + "200")]
    station.set_up_station(reg, name=f"{code}站", short_name="站", code=code, kind=kind,
                           office_name="", phone="", address="", villages=villages,
                           head_username="head", head_display_name="站长",
                           head_password="head-pass-1")
    reg.actor = accounts.find_user(reg, "head").actor()
    signkey.sign_in(reg, "head", "head", "head-pass-1")  # as the sign-in dialog does


def build_township(data_dir: Path, records: int) -> Register:
    """``records`` changed records through the write path: petitioners, matters, their links
    and events (each insert also appends its audit entry)."""
    reg = open_register(data_dir)
    _set_up(reg, "320508102000", "township")
    rng = random.Random(1)
    per_case = 5  # petitioner, matter, matter_petitioner, two events
    with reg.transaction():
        for n in range(records // per_case):
            p = reg.insert("petitioners", dict(
                name="张" + "伟芳娜敏静丽强"[n % 7] + "明", id_number=f"3205081980{n:08d}",
                phone=f"138{n:08d}", address=f"花园镇人民路{n}号", occupation="农民"))
            m = reg.insert("matters", dict(
                number=f"HY-2026-{n:06d}", seq=n, query_code=f"Q{n:07d}", form="走访",
                received_on="2026-02-03", registered_by="clerk", petitioner_id=p["id"],
                summary="反映宅基地边界纠纷，请求依法确权。" * rng.randint(1, 4),
                request="请求调查处理", status="registered"))
            reg.insert("matter_petitioners", dict(matter_id=m["id"], petitioner_id=p["id"],
                                                  is_main=1))
            for k in range(2):
                reg.insert("matter_events", dict(matter_id=m["id"], kind="visit",
                                                 occurred_on="2026-02-03", actor="clerk",
                                                 note=f"第{k + 1}次来访，情绪平稳。"))
    return reg


def floor_serialise_compress(changes: collect.Changes) -> float:
    t0 = time.perf_counter()
    payload.compress(orjson.dumps([[t.name, t.columns, t.rows] for t in changes.tables]
                                  + [changes.audit]))
    return time.perf_counter() - t0


def floor_decompress_parse(blob: bytes) -> float:
    t0 = time.perf_counter()
    orjson.loads(payload.inflate(blob))
    return time.perf_counter() - t0


def floor_store(blob: bytes, template: Path, target: Path) -> float:
    """Decompress, parse and store the same rows with nothing else: one plain INSERT per row
    into the county's tables (same indexes, same pragmas), one commit — no checks, no merge
    rules, no audit chain, no search index. What any import of this bundle must at least do."""
    reg = _county_copy(template, target)
    conn = reg.conn
    t0 = time.perf_counter()
    tables = orjson.loads(payload.inflate(blob))[:-1]
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("BEGIN")
    for name, columns, rows in tables:
        conn.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES "
                         f"({', '.join('?' * len(columns))})", rows)
    conn.execute("COMMIT")
    took = time.perf_counter() - t0
    reg.close()
    return took


def _county_copy(template: Path, target: Path) -> Register:
    shutil.copytree(template, target)
    reg = open_register(target)
    reg.actor = accounts.find_user(reg, "head").actor()
    return reg


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=50_000)
    ap.add_argument("--keep", help="keep the registers in this folder")
    args = ap.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="bench-sync-"))
    try:
        t0 = time.perf_counter()
        town = build_township(root / "town", args.records)
        county = open_register(root / "county")
        _set_up(county, "320508000000", "county")
        keys.create_receiving_key(county, PASS)
        keys.create_signing_key(town)
        keys.load_upstream(town, keys.own_key_file(county))
        keys.register_station(county, keys.own_key_file(town))
        key = keys.unlock_receiving_key(county, PASS)
        county.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        county.close()
        print(f"set-up (not a result): {time.perf_counter() - t0:.1f} s")

        changes = collect.collect(town, collect.since_last_export(town))
        n = changes.records
        floor = min(floor_serialise_compress(changes) for _ in range(RUNS))
        blob = payload.compress(orjson.dumps(
            [[t.name, t.columns, t.rows] for t in changes.tables] + [changes.audit]))
        floor_in = min(floor_decompress_parse(blob) for _ in range(RUNS))
        rows_blob = payload.compress(orjson.dumps(
            [[t.name, t.columns, t.rows] for t in changes.tables] + [None]))
        floor_db = min(floor_store(rows_blob, root / "county", root / f"county-floor{i}")
                       for i in range(RUNS))

        t0 = time.perf_counter()
        bundle = export.make_bundle(town, "2026-02", root / "outbox")
        t_export = time.perf_counter() - t0
        stick = root / "stick"
        stick.mkdir(exist_ok=True)
        t0 = time.perf_counter()
        path = export.copy_to(town, bundle.seq, root / "outbox", stick)
        t_copy = time.perf_counter() - t0
        town.close()

        def import_into(name: str) -> float:
            reg = _county_copy(root / "county", root / name)
            t0 = time.perf_counter()
            [report] = importer.import_bundles(reg, [path], key, data_dir=root / name)
            took = time.perf_counter() - t0
            assert report.status == "imported", report.message
            assert report.totals.created == n, report.totals
            reg.close()
            return took

        # Each import into a fresh copy of the county register; three runs, like the floors.
        t_imports = sorted(import_into(f"county-full{i}") for i in range(RUNS))
        t_import = statistics.median(t_imports)
        saved = list(hooks.AFTER_MERGE)
        hooks.AFTER_MERGE.clear()  # no search index
        try:
            t_merge = statistics.median(import_into(f"county-bare{i}") for i in range(RUNS))
        finally:
            hooks.AFTER_MERGE[:] = saved

        size = path.stat().st_size
        print(f"records: {n} changed records + {len(changes.audit)} audit entries, "
              f"bundle {size / 1e6:.1f} MB")
        print(f"floor   serialise+compress the same records: {floor:.3f} s")
        print(f"floor   decompress+parse the same records:   {floor_in:.3f} s")
        print(f"floor   decompress+parse+plain INSERT of the same records, one commit: "
              f"{floor_db:.3f} s = {n / floor_db:,.0f} records/s")
        print(f"export  make bundle {t_export:.3f} s (target <= 2 s) = {t_export / floor:.2f} x "
              f"floor; then write to stick + read back + verify {t_copy:.3f} s")
        print(f"import  complete, median of {RUNS}: {t_import:.3f} s = {n / t_import:,.0f} "
              f"records/s (target >= 50,000/s) = {t_import / floor:.2f} x floor, "
              f"{t_import / floor_db:.2f} x plain-insert floor; runs "
              + ", ".join(f"{t:.3f}" for t in t_imports)
              + " s [verify, decrypt, check every audit hash, merge, backup before, search index]")
        print(f"import  without the search index, median of {RUNS}: {t_merge:.3f} s = "
              f"{n / t_merge:,.0f} records/s = {t_merge / floor:.2f} x floor")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
