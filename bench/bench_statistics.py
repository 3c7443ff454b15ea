"""Statistics benchmark (not a test): every figure of a year at the county over 100,000 matters
(five townships, two years), next to a floor measured in the same run, as a ratio.

    python bench/bench_statistics.py [--matters 100000] [--rounds 3]

The register is made with bare INSERTs of the rows the desk writes (matters and their events:
registration, decision, extension, reply, rating, repeat visit) — the statistics read only those
tables, and the desk's write path would take an hour to make 100,000 matters here. Measured:

* ``compute``: the figures of 2026 for all five townships pooled (``statistics.compute``);
* ``report``: the same with 同比 and 环比 (three periods, ``statistics.report``);
* ``assess``: the county assessment (each township and the total, this year and last);
* the floor: the raw SQL aggregate of the same year — registrations by township with their
  channel, 来访 persons, 集体访, 越级访, 初件 in one GROUP BY, and the year's events by
  township and kind in another. It counts, but cannot tell a deadline, a reply on time or a
  latest rating: the ratio is what those cost.

Each is measured without and with the statistics indexes of m011_figures_indexes (and ANALYZE).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics as stats
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage import station  # noqa: E402
from storage import statistics as st  # noqa: E402
from storage.db import open_register  # noqa: E402
from storage.ids import new_id  # noqa: E402
from storage.migrations.m011_figures_indexes import INDEXES  # noqa: E402
from storage.register import Register  # noqa: E402

COUNTY = "320508000000"
TOWNS = [f"3205081{n:02d}000" for n in range(2, 7)]
FORMS = ("来访", "来访", "来信", "来电", "网信", "代办")
CATEGORIES = ("农村农业", "城乡建设", "劳动和社会保障", "民政", "国土资源", "政法", "卫生计生", "其他")
NOW = datetime(2026, 12, 15, 9, 0)


def clock() -> datetime:
    return NOW


def build(path: Path, matters: int, seed: int) -> Register:
    reg = open_register(path, clock=clock)
    station.set_up_station(reg, name="姑苏区信访局", short_name="姑苏", code=COUNTY, kind="county",
                           office_name="姑苏区信访局", phone="", address="", villages=[],
                           head_username="head", head_display_name="局长",
                           head_password="bench-pass-1")
    rng = random.Random(seed)
    stamp = NOW.isoformat()
    conn = reg.conn
    conn.execute("BEGIN")  # the register runs in autocommit: one transaction, one fsync
    for i, code in enumerate(TOWNS):
        conn.execute("INSERT INTO stations (id, station_code, version, created_at, updated_at,"
                     " updated_by, deleted, code, name, short_name, kind) VALUES"
                     " (?, ?, 1, ?, ?, 'bench', 0, ?, ?, ?, 'township')",
                     (new_id(), code, stamp, stamp, code, f"第{i + 1}镇", f"{i + 1}镇"))
    first = date(2025, 1, 1)
    days = (date(2026, 11, 30) - first).days
    people: list[tuple[Any, ...]] = []
    rows: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []

    def event(mid: str, code: str, kind: str, on: date, data: dict[str, Any]) -> None:
        events.append((new_id(), code, stamp, stamp, mid, kind, on.isoformat(),
                       json.dumps(data, ensure_ascii=False)))

    for n in range(matters):
        code = TOWNS[n % len(TOWNS)]
        received = first + timedelta(days=rng.randrange(days))
        pid, mid = new_id(), new_id()
        people.append((pid, code, stamp, stamp, f"某{n}", "13900000000"))
        visitors = 6 if rng.random() < 0.03 else 1
        form = rng.choice(FORMS)
        rows.append((mid, code, stamp, stamp, f"{code}-{received.year}-{n:06d}", n,
                     f"Q{n:07d}", form, received.isoformat(), "bench", pid, visitors,
                     int(visitors >= 5), int(rng.random() < 0.02), "反映问题",
                     rng.choice(CATEGORIES), "重件" if rng.random() < 0.1 else "初件",
                     "registered"))
        event(mid, code, "registered", received, {"form": form})
        if rng.random() < 0.05:
            event(mid, code, "not_accept", received + timedelta(days=rng.randrange(1, 20)),
                  {})
            continue
        if rng.random() < 0.92:
            accepted = received + timedelta(days=rng.randrange(1, 18))
            event(mid, code, "accept", accepted, {})
            if rng.random() < 0.1:
                event(mid, code, "repeat_visit", accepted + timedelta(days=3),
                      {"form": "来访", "visitors_count": 2})
            if rng.random() < 0.05:
                event(mid, code, "extend", accepted + timedelta(days=40), {"days": 20})
            if rng.random() < 0.85:
                replied = accepted + timedelta(days=rng.randrange(10, 75))
                event(mid, code, "reply", replied, {"result": "支持"})
                if rng.random() < 0.6:
                    event(mid, code, "rate", replied + timedelta(days=2),
                          {"rating": rng.choice(("满意", "满意", "基本满意", "不满意"))})
    conn.executemany("INSERT INTO petitioners (id, station_code, version, created_at,"
                     " updated_at, updated_by, deleted, name, phone) VALUES"
                     " (?, ?, 1, ?, ?, 'bench', 0, ?, ?)", people)
    conn.executemany(
        "INSERT INTO matters (id, station_code, version, created_at, updated_at, updated_by,"
        " deleted, number, seq, query_code, form, received_on, registered_by,"
        " petitioner_id, visitors_count, is_collective, is_skip_level, summary, category1,"
        " repeat_kind, status) VALUES (?, ?, 1, ?, ?, 'bench', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?, ?, ?)", rows)
    conn.executemany(
        "INSERT INTO matter_events (id, station_code, version, created_at, updated_at,"
        " updated_by, deleted, matter_id, kind, occurred_on, actor, data) VALUES"
        " (?, ?, 1, ?, ?, 'bench', 0, ?, ?, ?, 'bench', ?)", events)
    # the current-state columns the horizon filter reads
    conn.execute("UPDATE matters SET replied_on = (SELECT min(occurred_on) FROM matter_events"
                 " e WHERE e.matter_id = matters.id AND e.kind = 'reply'), closed_on = (SELECT"
                 " min(occurred_on) FROM matter_events e WHERE e.matter_id = matters.id AND"
                 " e.kind = 'not_accept')")
    conn.execute("COMMIT")
    print(f"register: {matters:,} matters, {len(events):,} events, {len(TOWNS)} townships",
          flush=True)
    return reg


def floor(reg: Register, period: st.Period, towns: list[str] = TOWNS) -> int:
    span = (period.first.isoformat(), period.last.isoformat())
    marks = ",".join("?" * len(towns))
    a = reg.conn.execute(
        "SELECT station_code, form, count(*), sum(visitors_count), sum(is_collective),"
        " sum(is_skip_level), sum(repeat_kind = '初件') FROM matters WHERE deleted = 0"
        f" AND station_code IN ({marks}) AND received_on BETWEEN ? AND ?"
        " GROUP BY station_code, form", [*towns, *span]).fetchall()
    b = reg.conn.execute(
        "SELECT m.station_code, e.kind, count(*) FROM matter_events e JOIN matters m"
        " ON m.id = e.matter_id WHERE e.deleted = 0 AND m.deleted = 0"
        f" AND m.station_code IN ({marks}) AND e.occurred_on BETWEEN ? AND ? GROUP BY 1, 2",
        [*towns, *span]).fetchall()
    return len(a) + len(b)


def timed(fn: Callable[[], Any], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return stats.median(times)


def measure(reg: Register, rounds: int) -> dict[str, float]:
    year, month = st.year(2026), st.month(2026, 10)
    return {
        "floor (raw SQL aggregate)": timed(lambda: floor(reg, year), rounds),
        "compute (one year, pooled)": timed(
            lambda: st.compute(reg, year, TOWNS, with_screening=False), rounds),
        "report (+ 同比/环比)": timed(
            lambda: st.report(reg, year, TOWNS, with_screening=False), rounds),
        "assess (5 townships + total)": timed(
            lambda: st.assess(reg, year, with_screening=False), rounds),
        "month floor (one township)": timed(lambda: floor(reg, month, TOWNS[:1]), rounds),
        "compute (one township, month)": timed(
            lambda: st.compute(reg, month, TOWNS[:1], with_screening=False), rounds),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--matters", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        reg = build(Path(tmp) / "data", args.matters, args.seed)
        print(f"built in {time.perf_counter() - t:.1f} s", flush=True)
        f = st.compute(reg, st.year(2026), TOWNS, with_screening=False)
        print(f"2026: 信访总量 {f.counts['total']:,}, 及时受理率 {f.rates['timely_acceptance'].text()},"
              f" 满意率 {f.rates['satisfaction'].text()}, reconciles: {f.reconciles()}")
        names = [name for name, _sql in INDEXES]
        for name in names:
            reg.conn.execute(f"DROP INDEX IF EXISTS {name}")
        reg.conn.execute("ANALYZE")
        without = measure(reg, args.rounds)
        for _name, sql in INDEXES:
            reg.conn.execute(sql)
        reg.conn.execute("ANALYZE")
        with_ = measure(reg, args.rounds)
        print(f"\n{'':30s} {'without indexes':>22s} {'with m011 indexes':>22s}")
        for key in without:
            floor_key = ("month floor (one township)" if "month" in key
                         else "floor (raw SQL aggregate)")
            print(f"{key:30s} {without[key] * 1000:10.0f} ms "
                  f"{without[key] / without[floor_key]:6.1f}×"
                  f"   {with_[key] * 1000:10.0f} ms {with_[key] / with_[floor_key]:6.1f}×")
        print("(× = ratio to the floor measured in the same run, same indexes)")
        reg.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
