"""County import at scale (not a test): a county that already holds a township's whole register
(100,000 or 1,000,000 matters) imports that township's next month, beside a floor from the same
run. Issue 17's target: the import ≤ 3× parse + plain INSERT into the same county.

    python bench/bench_county.py [--sizes 100000,1000000] [--runs 3]

Filling such a county is measured too, once: the township's first export of its whole register
(in numbered parts, ``export.make_bundles``) and their import into an empty county. The filled
county, the next month's bundle and its floor payload are cached in
``bench/.cache/county-<bulk register>/`` (the township copy is deleted after, to spare the disk),
so later runs only copy the county and import.

Per run, on a fresh copy of the filled county (its file evicted from the page cache first, as
after copying a stick at the start of a day — and warm, the copy just written):
* **import**: ``importer.import_bundles`` — verify, decrypt, check the chain, merge, ledger,
  search rows (unmerged: ``storage.upkeep``), one durable commit.
* **catch-up afterwards**: ``upkeep.catch_up`` — what the import left to the background (index
  merge, log checkpoint); printed separately, as the window runs it after the import is shown.
* **floor**: decompress, parse and plainly INSERT the same rows into a copy of the same county
  (no checks, no merge rules, no audit chain, no search index), one durable commit; cold and
  warm like the import.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import shutil
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import bulkcache
from bench.bench_scale import (
    NEW_MATTERS,
    Table,
    evict,
    floor_store,
    head_of,
    register_new,
    set_up_county,
    timed,
)
from storage import planner, upkeep
from storage.db import DB_NAME, connect, open_register
from storage.sync import collect, export, importer, keys, payload


def filled_county(folder: Path, out: Table, n: int) -> Path:
    """The cached county holding the bulk register ``folder``, with the next month's bundle
    (``later.pdsync``), its floor payload (``floor.bin``) and the fill's figures."""
    cache = bulkcache.CACHE / f"county-{folder.name}"
    figures_file = cache / "figures.json"
    older = sorted(bulkcache.CACHE.glob(f"county-bulk-{n}-s1-*/figures.json"))
    if not figures_file.exists() and older:
        # filled under an older schema: bring that county up to date instead of filling anew
        # (the fill takes ten minutes at a million; its figures are those of that fill)
        t0 = time.perf_counter()
        pending = bulkcache.migrate(older[-1].parent / "county")
        conn = connect(older[-1].parent / "county" / DB_NAME)
        try:  # as the county's next close would (storage.planner)
            pending += [f"ANALYZE {t}" for t in planner.refresh(conn)]
        finally:
            conn.close()
        older[-1].parent.rename(cache)
        print(f"  {older[-1].parent.name}: {', '.join(pending) or 'nothing'} applied in "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
    if not figures_file.exists():
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir(parents=True)
        _fill(folder, cache)
    figures = json.loads(figures_file.read_text())
    out.add(f"{n:,}", "first export of the whole register", f"{figures['export_s']:.0f} s",
            "-", "-", f"{figures['parts']} parts, {figures['bytes'] / 1e6:.0f} MB")
    out.add(f"{n:,}", "its import into an empty county", f"{figures['import_s']:.0f} s", "-", "-",
            f"{figures['records']:,} records + audit entries")
    return cache


def _fill(folder: Path, cache: Path) -> None:
    town_dir = cache / "town"
    print(f"  copying {folder.name} …", flush=True)
    shutil.copytree(folder, town_dir)
    county_dir, key = set_up_county(cache)
    town = open_register(town_dir)
    head_of(town)
    county = open_register(county_dir)
    head_of(county)
    keys.create_signing_key(town)
    keys.load_upstream(town, keys.own_key_file(county))
    keys.register_station(county, keys.own_key_file(town))
    today = town.clock().date()
    last_month = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    outbox = cache / "outbox"
    print("  first export …", flush=True)
    t0 = time.perf_counter()
    parts = export.make_bundles(town, last_month.strftime("%Y-%m"), outbox)
    t_export = time.perf_counter() - t0
    files = [outbox / p.file_name for p in parts]
    print(f"  first export: {len(parts)} parts in {t_export:.0f} s; importing …", flush=True)
    t0 = time.perf_counter()
    reports = importer.import_bundles(county, files, key, data_dir=county_dir)
    t_import = time.perf_counter() - t0
    assert all(r.status == "imported" for r in reports), [r.message for r in reports]
    upkeep.catch_up(county.conn)
    county.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    county.close()
    register_new(town, NEW_MATTERS)
    since = collect.since_last_export(town)
    later = export.make_bundle(town, today.strftime("%Y-%m"), outbox)
    changes = collect.collect(town, since)
    (cache / "floor.bin").write_bytes(payload.compress(orjson.dumps(
        [[t.name, t.columns, t.rows] for t in changes.tables])))
    shutil.move(str(outbox / later.file_name), cache / "later.pdsync")
    town.close()
    (cache / "key.hex").write_text(key.hex())
    (cache / "figures.json").write_text(json.dumps({
        "export_s": t_export, "import_s": t_import, "parts": len(parts),
        "bytes": sum(p.size for p in parts),
        "records": sum(p.records + p.audit_entries for p in parts),
        "later_records": later.records, "later_audit": later.audit_entries}))
    shutil.rmtree(town_dir)
    shutil.rmtree(outbox)


def measure(cache: Path, n: int, runs: int, out: Table, *, profile: bool = False) -> None:
    county_dir = cache / "county"
    key = bytes.fromhex((cache / "key.hex").read_text())
    blob = (cache / "floor.bin").read_bytes()
    figures = json.loads((cache / "figures.json").read_text())
    work = cache / "work"
    imports: dict[str, list[float]] = {"cold": [], "warm": []}
    floors: dict[str, list[float]] = {"cold": [], "warm": []}
    catch_ups = []
    for i in range(runs):
        for kind in ("cold", "warm"):
            floors[kind].append(floor_store(blob, county_dir, work, cold=kind == "cold"))
        for kind in ("cold", "warm"):
            shutil.copytree(county_dir, work)
            evict(work, drop=kind == "cold")  # written out either way (see evict)
            county = open_register(work)
            head_of(county)
            profiler = cProfile.Profile() if profile and i == 0 else None
            if profiler:
                profiler.enable()
            t0 = time.perf_counter()
            reports = importer.import_bundles(county, [cache / "later.pdsync"], key,
                                              data_dir=work)
            imports[kind].append(time.perf_counter() - t0)
            if profiler:
                profiler.disable()
                print(f"  profile of the {kind} import:")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            assert [r.status for r in reports] == ["imported"], reports[0].message
            catch_ups.append(timed(lambda c=county: upkeep.catch_up(c.conn)))  # type: ignore[misc]
            county.close()
            shutil.rmtree(work)
        print(f"  run {i + 1}: import cold {imports['cold'][-1] * 1000:.0f} ms, warm "
              f"{imports['warm'][-1] * 1000:.0f} ms, floors {floors['cold'][-1] * 1000:.0f} / "
              f"{floors['warm'][-1] * 1000:.0f} ms", flush=True)
    note = (f"{figures['later_records']:,} records + {figures['later_audit']:,} audit entries; "
            f"median of {runs}")
    for kind in ("warm", "cold"):
        t, floor = statistics.median(imports[kind]), statistics.median(floors[kind])
        out.add(f"{n:,}", f"import of the next month into the county ({kind})",
                f"{t * 1000:.0f} ms",
                f"parse+plain INSERT into the same county, {kind} {floor * 1000:.0f} ms",
                f"{t / floor:.2f}x", note)
    out.add(f"{n:,}", "then, in the background: index merge + log checkpoint",
            f"{statistics.median(catch_ups) * 1000:.0f} ms", "-", "-", "storage.upkeep.catch_up")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="where the first run's imports spend")
    args = ap.parse_args()
    out = Table()
    print("size | figure | value | floor (same run) | ratio | note")
    for n in (int(s) for s in args.sizes.split(",") if s.strip()):
        folder, _took = bulkcache.ensure(n)
        cache = filled_county(folder, out, n)
        measure(cache, n, args.runs, out, profile=args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
