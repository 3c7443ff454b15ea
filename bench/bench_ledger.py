"""Ledger import benchmark (not a test): a station's old 台账 of N rows (.xlsx, the usual
columns, all rows good) imported into an on-disk register — read, check every row, write every
good row through the desk's write path (petitioner, matter, link, two timeline events, the search
row, an audit entry for each record) in one transaction — printed next to the floor measured in
the same run: a plain ``executemany`` INSERT of the same rows (petitioners, matters and their
links) into the same register, one commit, no checks, no audit, no search index.

    python bench/bench_ledger.py [--rows 3000] [--runs 3]

Issue 18: "the ledger import rate, beside a floor (a plain insert of the same rows)".
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage import accounts, ledger, station
from storage.db import open_register
from storage.ids import new_id
from storage.register import Register
from tests.helpers import ledger as lg

CODE = "320508102000"


def fresh_register(data_dir: Path) -> Register:
    reg = open_register(data_dir)
    station.set_up_station(
        reg, name="花园镇信访工作站", short_name="花园", code=CODE, kind="township",
        office_name="花园镇人民政府", phone="", address="",
        villages=[station.VillageSpec("春明村", "320508102200"),
                  station.VillageSpec("九龙社区", "320508102001"),
                  station.VillageSpec("石桥村", "320508102201")],
        head_username="head", head_display_name="站长", head_password="head-pass-1")
    reg.actor = accounts.find_user(reg, "head").actor()
    return reg


def timed_import(path: Path, data_dir: Path) -> tuple[float, float, float, int]:
    reg = fresh_register(data_dir)
    try:
        t0 = time.perf_counter()
        table = ledger.read_table(path)
        t1 = time.perf_counter()
        preview = ledger.preview(reg, table, ledger.resolve(table.headers))
        t2 = time.perf_counter()
        outcome = ledger.import_rows(reg, preview)
        t3 = time.perf_counter()
    finally:
        reg.close()
    return t1 - t0, t2 - t1, t3 - t2, outcome.imported


def timed_floor(book: lg.Ledger, data_dir: Path) -> float:
    """The same rows as plain rows of the same tables: executemany, one commit."""
    reg = fresh_register(data_dir)
    try:
        now = reg.now()
        common = dict(station_code=CODE, version=1, created_at=now, updated_at=now,
                      updated_by="head", deleted=0)
        people, matters, links = [], [], []
        for i, row in enumerate(book.rows):
            pid, mid = new_id(), new_id()
            people.append(dict(common, id=pid, name=row[2], id_number=row[3], phone=row[4]))
            matters.append(dict(
                common, id=mid, number=row[1], seq=0, query_code=f"Q{i:07d}", form="来访",
                received_on=row[5], registered_by="head", petitioner_id=pid, summary=row[7],
                request=row[8], status="closed", closed_on=row[5], source="ledger"))
            links.append(dict(common, id=new_id(), matter_id=mid, petitioner_id=pid, is_main=1,
                              name=row[2], id_number=row[3], phone=row[4]))
        t = time.perf_counter()
        with reg.transaction():
            for table, rows in (("petitioners", people), ("matters", matters),
                                ("matter_petitioners", links)):
                cols = list(rows[0])
                reg.conn.executemany(
                    f"INSERT INTO {table} ({', '.join(cols)})"
                    f" VALUES ({', '.join('?' * len(cols))})", [[r[c] for c in cols] for r in rows])
        return time.perf_counter() - t
    finally:
        reg.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=3000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    book = lg.make(args.rows, error_every=10**9)
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as tmp:
        root = Path(tmp)
        path = lg.write_xlsx(book, root / "台账.xlsx")
        reads, checks, writes, floors = [], [], [], []
        for run in range(args.runs):
            read, check, write, imported = timed_import(path, root / f"import-{run}")
            assert imported == args.rows, imported
            reads.append(read)
            checks.append(check)
            writes.append(write)
            floors.append(timed_floor(book, root / f"floor-{run}"))
        n = args.rows
        read, check, write, floor = (statistics.median(x) for x in (reads, checks, writes,
                                                                     floors))
        total = read + check + write
        print(f"ledger: {n} rows (.xlsx, {path.stat().st_size // 1024} KiB), median of "
              f"{args.runs} runs, each into a fresh on-disk register (WAL, synchronous=FULL)")
        print(f"floor   plain executemany INSERT of the same rows (3 tables), one commit: "
              f"{floor:.3f} s = {n / floor:,.0f} rows/s")
        print(f"read    .xlsx via calamine:             {read:.3f} s = {n / read:,.0f} rows/s")
        print(f"check   preview of every row:           {check:.3f} s = {n / check:,.0f} rows/s")
        print(f"write   one transaction, write path:    {write:.3f} s = {n / write:,.0f} rows/s"
              f" = {write / floor:.1f} x floor")
        print(f"import  read + check + write:           {total:.3f} s = {n / total:,.0f} rows/s"
              f" = {total / floor:.1f} x floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
