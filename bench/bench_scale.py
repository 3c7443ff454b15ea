"""County-scale benchmark (not a test): registers of 100,000 and 1,000,000 matters built by the
bulk builder (``main.py demo-data --bulk``, cached in ``bench/.cache``), each figure printed next
to a floor measured in the same run, as a ratio, warm and cold (the register's file evicted
from the page cache with ``posix_fadvise(POSIX_FADV_DONTNEED)`` before each cold sample).

    python bench/bench_scale.py [--sizes 100000,1000000] [--terms 40]

Warm figures are the best of three runs per sample (the machine is shared; the slower runs
measure the other work), floors alike; p50/p95 are over the samples. Figures (issue 17):

* **Open** the register (``open_register`` then close: lock, header, application id, schema
  version, pragmas), warm (median of 15, each the best of 3) and cold (median of 5, the file
  evicted before each). Floor: what SQLite itself must read before any statement —
  ``sqlite3.connect`` and ``SELECT count(*) FROM sqlite_master`` (page 1, the header, and every
  page of the schema, which SQLite parses on the first statement), then close; cold alike.
  Target ≤ 2× warm.
* **2-character search** (names such as 张伟, places such as 南塘): what the case list does when
  one types — the first page of matching ids, the capped count and the page's rows — p50/p95
  over many terms. Floor: the raw pair-index lookup of the same term (every matching key).
  Beside it, for reference, the ``LIKE`` scan the search used before.
* **Case list first page** (empty search box): the first page, its rows and the capped count,
  as the list does. Floor: the raw ``SELECT id … ORDER BY received_on DESC LIMIT 200``.
* **Home counters**: the four counters and the deadline list (no floor: printed plainly).
* **Later-month export** of ~300 new registrations (~1,200 records): ``export.make_bundle``.
  Floor: read the same audit span and the same rows by id, serialise, compress — the least any
  export of those records must do. The previous month counts as exported by a ledger row
  written directly.
* The first export of a whole register and the import into a county that already holds it:
  ``bench/bench_county.py``.
* **Monthly report and screening sheet** (``bench/scale_prints.py``): the last whole month,
  in-process as ``main.py print`` builds them, warm and cold, beside reportlab laying out the
  same tables plus the raw queries of the month's rows; and the whole command, cold and warm.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import bulkcache, scale_prints
from storage import accounts, audit, bigrams, petitions, station
from storage.db import DB_NAME, open_register
from storage.register import Register
from storage.sync import collect, export, keys, payload, signkey

PASS = "bench-pass-1"
COUNTY = "320508000000"
NEW_MATTERS = 300


# ----- helpers ------------------------------------------------------------------------------
def evict(folder: Path, *, drop: bool = True) -> None:
    """Write the register's file to disk and drop it from the page cache (the next read comes
    from the disk). ``drop=False``: only write it out — after copying a register, so that the
    first fsync of what is measured does not write the whole copy."""
    for name in (DB_NAME, DB_NAME + "-wal"):
        path = folder / name
        if path.exists():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
                if drop:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def best(fn: Callable[[], Any], runs: int = 3) -> float:
    """The best of ``runs``: on a machine shared with other work the slower runs measure the
    other work (every warm figure and its floor are taken the same way)."""
    return min(timed(fn) for _i in range(runs))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add(self, *cells: str) -> None:
        self.rows.append(cells)
        print(" | ".join(cells), flush=True)


def head_of(reg: Register) -> None:
    reg.actor = accounts.find_user(reg, "head").actor()
    # as the sign-in dialog does: the head's password opens (or seals) the signing key
    stored = accounts.stored_hash(reg, "head")
    for password in ("demo1234", "head-pass-1"):
        try:
            reg.password_hasher.verify(stored or "", password)
        except Exception:  # not this one (a mismatch, or no such account)
            continue
        signkey.sign_in(reg, "head", "head", password)
        return


# ----- open ---------------------------------------------------------------------------------
def open_and_close(folder: Path) -> None:
    open_register(folder).close()


def floor_open(folder: Path) -> None:
    """What SQLite must read before any statement: the header page and the schema's pages."""
    conn = sqlite3.connect(str(folder / DB_NAME))
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()


def bench_open(folder: Path, n: int, out: Table) -> None:
    open_and_close(folder)  # the statement caches and the file's first pages warm
    warm = [best(lambda: open_and_close(folder)) for _i in range(15)]
    floor = [best(lambda: floor_open(folder)) for _i in range(15)]
    out.add(f"{n:,}", "open the register (warm)", ms(statistics.median(warm)),
            f"connect + read the schema {ms(statistics.median(floor))}",
            f"{statistics.median(warm) / statistics.median(floor):.2f}x", "median of 15")
    cold, cold_floor = [], []
    for _i in range(5):
        for sink, fn in ((cold, open_and_close), (cold_floor, floor_open)):
            evict(folder)
            sink.append(timed(lambda f=fn: f(folder)))  # type: ignore[misc]
    out.add(f"{n:,}", "open the register (cold)", ms(statistics.median(cold)),
            f"connect + read the schema, cold {ms(statistics.median(cold_floor))}",
            f"{statistics.median(cold) / statistics.median(cold_floor):.2f}x",
            "median of 5, file evicted before each")


# ----- search and list ----------------------------------------------------------------------
def pick_terms(reg: Register, n: int) -> list[str]:
    """Two-character terms a clerk types: surname + first given character of real names
    (张伟), and village names (南塘)."""
    rng = random.Random(7)
    names = [r[0] for r in reg.conn.execute(
        "SELECT name FROM petitioners WHERE length(name) >= 2 ORDER BY rowid LIMIT 20000")]
    terms = {name[:2] for name in rng.sample(names, min(len(names), n * 3))}
    places = [v.name[:2] for v in station.villages(reg)]
    picked = sorted(terms)[: max(1, n - len(places))] + places
    rng.shuffle(picked)
    return picked


def list_as_the_case_list(reg: Register, text: str) -> int:
    filters = petitions.Filters()
    page = petitions.page_ids(reg, text, filters)
    rows = petitions.list_rows(reg, page.ids)
    petitions.count(reg, text, filters)
    return len(rows)


def floor_pairs(reg: Register, term: str) -> int:
    return len(reg.conn.execute("SELECT rowid FROM matter_grams WHERE matter_grams MATCH ?",
                                (bigrams.query(term),)).fetchall())


def like_scan(reg: Register, term: str) -> int:
    like = f"%{term}%"
    n = len(reg.conn.execute("SELECT id FROM petitioners WHERE name LIKE ?", (like,)).fetchall())
    n += len(reg.conn.execute("SELECT id FROM matters WHERE summary LIKE ?", (like,)).fetchall())
    return n


def bench_read(folder: Path, n: int, terms_wanted: int, out: Table) -> None:
    reg = open_register(folder)
    try:
        terms = pick_terms(reg, terms_wanted)
        for term in terms:  # warm up the cache and the statement cache
            list_as_the_case_list(reg, term)
        app = [best(lambda t=term: list_as_the_case_list(reg, t)) for term in terms]
        floor = [best(lambda t=term: floor_pairs(reg, t)) for term in terms]
        like = [best(lambda t=term: like_scan(reg, t), 1) for term in terms[:8]]
        out.add(f"{n:,}", "2-char search p95 (warm)", ms(pct(app, .95)),
                f"pair-index lookup p95 {ms(pct(floor, .95))}",
                f"{pct(app, .95) / pct(floor, .95):.2f}x",
                f"p50 {ms(pct(app, .5))}; LIKE scan (before) p50 {ms(pct(like, .5))}")
        first = [best(lambda: list_as_the_case_list(reg, "")) for _i in range(15)]
        raw = [best(lambda: reg.conn.execute(
            "SELECT id FROM matters ORDER BY received_on DESC LIMIT 200").fetchall())
            for _i in range(15)]
        out.add(f"{n:,}", "case list first page (warm)", ms(statistics.median(first)),
                f"raw first 200 ids {ms(statistics.median(raw))}",
                f"{statistics.median(first) / statistics.median(raw):.2f}x", "median of 15")
        home = [best(lambda: (petitions.home_counts(reg), petitions.due_soon(reg)))
                for _i in range(10)]
        out.add(f"{n:,}", "home counters + deadline list (warm)", ms(statistics.median(home)),
                "-", "-", "median of 10")
    finally:
        reg.close()
    # cold: evict before every sample, a fresh connection each time (as a first search of
    # the day would be)
    cold_app, cold_floor = [], []
    for term in terms[:12]:
        for sink, fn in ((cold_app, list_as_the_case_list), (cold_floor, floor_pairs)):
            evict(folder)
            reg = open_register(folder)
            try:
                sink.append(timed(lambda r=reg, t=term, f=fn: f(r, t)))  # type: ignore[misc]
            finally:
                reg.close()
    out.add(f"{n:,}", "2-char search p95 (cold)", ms(pct(cold_app, .95)),
            f"pair-index lookup p95 {ms(pct(cold_floor, .95))}",
            f"{pct(cold_app, .95) / pct(cold_floor, .95):.2f}x", f"{len(cold_app)} terms")
    cold_first, cold_raw = [], []
    for _i in range(5):
        for sink, fn2 in ((cold_first, lambda r: list_as_the_case_list(r, "")),
                          (cold_raw, lambda r: r.conn.execute(
                              "SELECT id FROM matters ORDER BY received_on DESC LIMIT 200"
                          ).fetchall())):
            evict(folder)
            reg = open_register(folder)
            try:
                sink.append(timed(lambda r=reg, f=fn2: f(r)))  # type: ignore[misc]
            finally:
                reg.close()
    out.add(f"{n:,}", "case list first page (cold)", ms(statistics.median(cold_first)),
            f"raw first 200 ids {ms(statistics.median(cold_raw))}",
            f"{statistics.median(cold_first) / statistics.median(cold_raw):.2f}x", "median of 5")


# ----- export and import --------------------------------------------------------------------
def set_up_county(root: Path) -> tuple[Path, bytes]:
    county = open_register(root / "county")
    station.set_up_station(county, name="县信访局", short_name="县", code=COUNTY, kind="county",
                           office_name="", phone="", address="", villages=[],
                           head_username="head", head_display_name="局长",
                           head_password="head-pass-1")
    head_of(county)
    keys.create_receiving_key(county, PASS)
    key = keys.unlock_receiving_key(county, PASS)
    county.close()
    return root / "county", key


def mark_exported(reg: Register) -> None:
    """The ledger row of a previous export covering the whole chain so far, written directly
    (a real first export of a register this large takes minutes, its import far longer)."""
    seq = int(reg.scalar("SELECT coalesce(max(seq), 0) FROM audit_log"))
    head = audit.head(reg.conn, reg.station_code)
    with reg.transaction():
        reg.conn.execute(
            "INSERT INTO sync_exports(seq, sender, period, file_name, bundle_hash, prev_hash,"
            " created_at, created_by, recipient, recipient_fingerprint, audit_to_seq,"
            " audit_from, audit_head, records, audit_entries, counts, size, bundle_seq)"
            " VALUES (1, ?, '2000-01', 'bench-marked', ?, ?, ?, 'bench', ?, '', ?, ?, ?, 0, 0,"
            " '{}', 0, 1)", (keys.sender_of(reg), "0" * 64, audit.GENESIS, reg.now(), COUNTY,
                             seq, audit.GENESIS, head))


def register_new(reg: Register, n: int) -> None:
    """``n`` registrations through the real code path, today, by a clerk."""
    rng = random.Random(11)
    reg.actor = accounts.find_user(reg, "clerk1").actor()
    villages = station.villages(reg)
    for i in range(n):
        petitions.register(reg, petitions.RegistrationInput(
            form="来访", received_on=reg.clock().date(),
            petitioners=[petitions.PetitionerInput(
                name=rng.choice("张王陈李刘") + rng.choice("伟芳娜敏静丽强") + "新",
                phone=f"139{i:08d}")],
            summary=f"反映{rng.choice(villages).name}道路破损第{i}处", category1="交通运输",
            category2="道路建设", problem_village_id=rng.choice(villages).id,
            duplicate_decision=petitions.NEW_MATTER))
    head_of(reg)


def floor_export(reg: Register) -> float:
    """Read the span after the last export and the rows it names, serialise, compress."""
    t0 = time.perf_counter()
    since = collect.since_last_export(reg)
    entries = reg.conn.execute(
        "SELECT * FROM audit_log WHERE seq > ? ORDER BY seq", (since.audit_seq,)).fetchall()
    touched: dict[str, set[str]] = {}
    for e in entries:
        touched.setdefault(e[6], set()).add(e[7])
    tables = []
    for table, ids in touched.items():
        ordered = sorted(ids)
        rows = []
        for i in range(0, len(ordered), 500):
            part = ordered[i:i + 500]
            rows += reg.conn.execute(f"SELECT * FROM {table} WHERE id IN"
                                     f" ({','.join('?' * len(part))})", part).fetchall()
        tables.append([table, rows])
    payload.compress(orjson.dumps([tables, entries]))
    return time.perf_counter() - t0


def floor_store(blob: bytes, county: Path, target: Path, *, cold: bool = False) -> float:
    shutil.copytree(county, target)
    evict(target, drop=cold)
    reg = open_register(target)
    conn = reg.conn
    t0 = time.perf_counter()
    tables = orjson.loads(payload.inflate(blob))
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("BEGIN")
    for name, columns, rows in tables:
        conn.executemany(f"INSERT OR IGNORE INTO {name} ({', '.join(columns)}) VALUES "
                         f"({', '.join('?' * len(columns))})", rows)
    conn.execute("COMMIT")
    took = time.perf_counter() - t0
    reg.close()
    shutil.rmtree(target, ignore_errors=True)
    return took


def bench_sync(folder: Path, n: int, root: Path, out: Table) -> None:
    """The later-month export (the previous month marked exported by a ledger row). The first
    export and the import into a county holding the matters: bench/bench_county.py."""
    town_dir = root / "town"
    shutil.copytree(folder, town_dir)
    town = open_register(town_dir)
    head_of(town)
    keys.create_signing_key(town)
    county_dir, _key = set_up_county(root)
    county = open_register(county_dir)
    keys.load_upstream(town, keys.own_key_file(county))
    county.close()
    mark_exported(town)
    register_new(town, NEW_MATTERS)
    today = town.clock().date()
    evict(town_dir)
    t_floor_cold = floor_export(town)
    evict(town_dir)
    t_cold = timed(lambda: export.make_bundle(town, today.strftime("%Y-%m"), root / "outbox"))
    later = export.exported_bundle(town, int(town.scalar("SELECT max(seq) FROM sync_exports")))
    # warm: the same export again from a ledger without the bundle just made
    town.conn.execute("DELETE FROM sync_exports WHERE seq = ?", (later.seq,))
    (root / "outbox" / later.file_name).rename(root / later.file_name)
    t_floor = min(floor_export(town) for _i in range(3))
    t_warm = timed(lambda: export.make_bundle(town, today.strftime("%Y-%m"), root / "outbox"))
    town.close()
    out.add(f"{n:,}", "later-month export (warm)", f"{t_warm * 1000:.0f} ms",
            f"read span+rows, serialise, compress {t_floor * 1000:.0f} ms",
            f"{t_warm / t_floor:.2f}x", f"{later.records:,} records, "
            f"{later.audit_entries:,} audit entries")
    out.add(f"{n:,}", "later-month export (cold)", f"{t_cold * 1000:.0f} ms",
            f"same floor, cold {t_floor_cold * 1000:.0f} ms", f"{t_cold / t_floor_cold:.2f}x",
            "file evicted before each")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--terms", type=int, default=40)
    ap.add_argument("--skip-sync", action="store_true")
    ap.add_argument("--skip-read", action="store_true", help="no search, list or home figures")
    ap.add_argument("--skip-prints", action="store_true",
                    help="no monthly report or screening sheet (bench/scale_prints.py)")
    ap.add_argument("--skip-open", action="store_true", help="no open figures")
    ap.add_argument("--workflow-events", action="store_true",
                    help="the prints again on a copy with the accept/reply/rate events its"
                         " matters imply (the bulk builder writes only registrations)")
    args = ap.parse_args()
    out = Table()
    print("size | figure | value | floor (same run) | ratio | note")
    for n in (int(s) for s in args.sizes.split(",") if s.strip()):
        folder, took = bulkcache.ensure(n)
        took = took or bulkcache.build_seconds(folder)
        size = (folder / DB_NAME).stat().st_size
        out.add(f"{n:,}", "bulk build (main.py demo-data --bulk)",
                f"{took:.0f} s" if took else "cached", "-", "-", f"file {size / 1e9:.2f} GB")
        if not args.skip_open:
            bench_open(folder, n, out)
        if not args.skip_read:
            bench_read(folder, n, args.terms, out)
        if not args.skip_prints:
            scale_prints.bench_prints(folder, n, out.add, evict)
        if args.workflow_events:
            root = Path(tempfile.mkdtemp(prefix="bench-events-", dir=bulkcache.CACHE))
            try:
                copy = scale_prints.with_workflow_events(folder, root / "register")
                scale_prints.bench_prints(copy, n, lambda size, figure, *rest: out.add(
                    size, f"{figure} [with workflow events]", *rest), evict)
                # a copy of it after `compact` (its pages together again), then the whole
                # command on both, alternated
                tight = scale_prints.compacted(copy, root / "compacted", n, out.add)
                scale_prints.bench_prints(tight, n, lambda size, figure, *rest: out.add(
                    size, f"{figure} [with workflow events, compacted]", *rest), evict,
                    whole_command=False)
                scale_prints.compare_whole_command(copy, tight, n, lambda size, figure, *rest:
                                                   out.add(size, f"{figure} [with workflow"
                                                           " events]", *rest), evict)
            finally:
                shutil.rmtree(root, ignore_errors=True)
        if not args.skip_sync:
            root = Path(tempfile.mkdtemp(prefix="bench-scale-", dir=bulkcache.CACHE))
            try:
                bench_sync(folder, n, root, out)
            finally:
                shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
