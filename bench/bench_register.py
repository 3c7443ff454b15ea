"""Register benchmark (not a test): saving a registration and searching as the clerk types on a
large demo register, each figure printed next to a floor measured in the same run, as a ratio.

    python bench/bench_register.py [--cases 100000] [--seed 7] [--runs 20] [--cache DIR]
                                   [--rebuild]

The register is built once with ``storage.demo.build`` (the code behind ``main.py demo-data``:
the real write path, audit and all) and cached; measurements run on a scratch copy, so the
cache never changes. Floors:

* saving: the very rows ``matters.register`` wrote (petitioner, matter, link, event, search
  row), copied with fresh ids and written with bare INSERTs in one transaction — same file, same
  ``synchronous=FULL`` commit, no validation, no reads, no audit;
* search: the raw index query on the same data — an FTS5 ``MATCH`` for terms of 3+ characters,
  a ``LIKE`` over names (and summaries) for 1–2 character terms — fetching every match;
* opening: ``sqlite3.connect`` plus one query.

Target (issue 2): report the median and the worst of 20 for saving a registration and for
searching 100,000 cases.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage import accounts, petitions  # noqa: E402
from storage.db import DB_NAME, open_register  # noqa: E402
from storage.ids import new_id  # noqa: E402
from storage.register import Register  # noqa: E402
from storage.validation import id_check_char  # noqa: E402

SUMMARY_WORDS = ("承包地", "拖欠工资", "安置房", "补偿款", "宅基地", "排水沟", "违章搭建", "流转租金",
                 "集体资产", "养老保险", "最低生活保障", "噪声扰民", "偷排污水", "消防通道", "路灯损坏",
                 "土地征收", "村务公开", "聚众赌博", "道路破损", "过期食品")
SHORT_WORDS = ("低保", "漏水", "噪声", "赌博", "路灯", "拆迁", "工资", "补贴", "租金", "排水",
               "污水", "占用", "选举", "入学", "救助", "养老", "安置", "维修", "消防", "通行")
FIRST_KEYS = "张王陈徐朱周李刘吴孙沈顾陆钱杨黄金蒋许姚"


@dataclass
class Row:
    label: str
    times: list[float]
    floor_label: str
    floors: list[float]
    note: str = ""

    def cells(self) -> list[str]:
        med, worst = statistics.median(self.times), max(self.times)
        fmed = statistics.median(self.floors)
        ratio = med / fmed if fmed > 0 else float("inf")
        return [self.label, ms(med), ms(worst), self.floor_label, ms(fmed),
                f"{ratio:.1f}x", self.note]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


# ----- the register ---------------------------------------------------------------------------
def ensure_register(cache: Path, cases: int, seed: int, rebuild: bool) -> dict[str, Any]:
    """Build (or reuse) the demo register; returns what we know about its build.

    The build runs in a child process (so its memory and CPU are its own) through
    ``storage.demo.build`` — the code behind ``main.py demo-data`` — with the petition matters
    only: mediation cases and screenings do not bear on these figures.
    """
    info_file = cache / "build.json"
    data = cache / "register"
    if info_file.exists() and (data / DB_NAME).exists() and not rebuild:
        info: dict[str, Any] = json.loads(info_file.read_text(encoding="utf-8"))
        info["cached"] = True
        return info
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    print(f"building a {cases:,}-case demo register (storage.demo.build, seed {seed}) in "
          f"{data} — this takes several minutes…", flush=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--build-into", str(data), "--cases",
                           str(cases), "--seed", str(seed)], cwd=ROOT, stdout=subprocess.PIPE,
                          text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit("building the demo register failed (see above)")
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    info = dict(
        cases=cases, seed=seed, built_on=time.strftime("%Y-%m-%d %H:%M"),
        build_seconds=round(wall, 1),
        build_cpu_seconds=round(after.ru_utime + after.ru_stime
                                - before.ru_utime - before.ru_stime, 1),
        build_peak_rss_mb=round(after.ru_maxrss / 1024, 1),
        db_mb=round((data / DB_NAME).stat().st_size / 1e6, 1),
        summary={k: v for k, v in summary.items() if k != "logins"})
    info_file.write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    info["cached"] = False
    return info


def build_into(data: Path, cases: int, seed: int) -> int:
    """The child process: build, report progress on stderr, the summary as JSON on stdout."""
    from storage import demo

    last = [0.0]

    def progress(text: str) -> None:
        if time.perf_counter() - last[0] > 30:
            last[0] = time.perf_counter()
            print("  " + text, file=sys.stderr, flush=True)

    summary = demo.build(data, cases=cases, seed=seed, others=False, progress=progress)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def scratch_copy(cache: Path, work: Path) -> Path:
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(cache / "register", work)
    return work


# ----- opening ----------------------------------------------------------------------------------
def bench_open(work: Path, runs: int) -> Row:
    times, floors = [], []
    for _i in range(runs):
        t, reg = timed(lambda: open_register(work))
        reg.close()
        times.append(t)

        def bare() -> None:
            conn = sqlite3.connect(str(work / DB_NAME))
            conn.execute("SELECT count(*) FROM settings").fetchone()
            conn.close()

        floors.append(timed(bare)[0])
    return Row("open the register (open_register)", times, "sqlite3.connect + 1 query", floors,
               "header, application id and schema only; quick_check runs in the background")


# ----- search -----------------------------------------------------------------------------------
def pick_terms(reg: Register, rng: random.Random, runs: int) -> dict[str, list[str]]:
    def sample(sql: str) -> list[str]:
        values = sorted({r[0] for r in reg.conn.execute(sql) if r[0]})
        return rng.sample(values, min(runs, len(values)))

    two = sample("SELECT name FROM petitioners WHERE length(name) = 2")
    if "张伟" in two:
        two.remove("张伟")
    if reg.scalar("SELECT count(*) FROM petitioners WHERE name = '张伟'"):
        two = ["张伟", *two][:runs]
    ids = sample("SELECT id_number FROM petitioners WHERE id_number IS NOT NULL")
    phones = sample("SELECT phone FROM petitioners WHERE length(phone) = 11")
    id_fragments = []
    for n in ids:
        start = rng.randrange(0, 10)
        id_fragments.append(n[start:start + 8])
    return {
        "first keystroke (1 character)": list(FIRST_KEYS[:runs]),
        "two-character name": two,
        "three-character name": sample("SELECT name FROM petitioners WHERE length(name) = 3"),
        "ID number fragment (8 digits)": id_fragments,
        "phone fragment (7 digits)": [p[rng.randrange(0, 5):][:7] for p in phones],
        "summary word (3+ characters)": list(SUMMARY_WORDS[:runs]),
        "summary word (2 characters)": list(SHORT_WORDS[:runs]),
    }


def floor_query(conn: sqlite3.Connection, term: str) -> int:
    """The raw index query for one term, fetching every match."""
    if len(term) >= 3:
        phrase = '"' + term.replace('"', '""') + '"'
        rows = conn.execute("SELECT matter_id FROM matter_search WHERE matter_search MATCH ?",
                            (phrase,)).fetchall()
    else:
        like = f"%{term}%"
        rows = conn.execute("SELECT id FROM petitioners WHERE name LIKE ?", (like,)).fetchall()
        rows += conn.execute("SELECT id FROM matters WHERE summary LIKE ?", (like,)).fetchall()
    return len(rows)


def bench_search(reg: Register, terms: dict[str, list[str]]) -> list[Row]:
    out = []
    for label, values in terms.items():
        times, floors, hits = [], [], []
        for term in values:
            def app(term: str = term) -> int:
                ids = petitions.search_ids(reg, term)
                petitions.list_rows(reg, ids[:100])
                return len(ids)

            t, n = timed(app)
            times.append(t)
            hits.append(n)
            def floor(term: str = term) -> int:
                return floor_query(reg.conn, term)

            floors.append(timed(floor)[0])
        note = f"{len(values)} inputs, matches median {int(statistics.median(hits)):,}" \
               f" max {max(hits):,}"
        floor_label = "raw FTS5 MATCH" if len(values[0]) >= 3 else "raw LIKE name+summary"
        out.append(Row(f"search: {label}", times, floor_label, floors, note))
    return out


# ----- saving a registration ----------------------------------------------------------------------
SURNAMES = "张王陈徐朱周李刘吴孙沈顾陆钱"
GIVEN = ("伟", "建华", "秀英", "志强", "丽", "海峰", "桂英", "明", "静", "国庆")
TOPICS = (("农村农业", "土地承包经营", "反映承包地被邻户占用，多次协商未果"),
          ("劳动和社会保障", "工资福利", "反映在花园精密机械厂务工被拖欠工资8500元"),
          ("城乡建设", "住房保障与房地产", "反映安置小区房屋漏水，开发商拖延维修"),
          ("民政", "社会救助", "反映家庭因病致困，申请最低生活保障未获批准"))


def registration_inputs(reg: Register, rng: random.Random, runs: int
                        ) -> list[petitions.RegistrationInput]:
    villages = [r[0] for r in reg.conn.execute("SELECT id FROM villages")]
    returning = reg.rows("SELECT name, gender, id_number, phone FROM petitioners"
                         " WHERE id_number IS NOT NULL ORDER BY random() LIMIT ?", (runs,))
    today = date.today()
    out = []
    for i in range(runs):
        if i % 2 and returning:  # a returning petitioner, found by ID number
            r = returning.pop()
            person = petitions.PetitionerInput(name=r["name"], gender=r["gender"],
                                             id_number=r["id_number"], phone=r["phone"])
        else:
            gender = "男" if i % 3 else "女"
            body = (f"320508{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}"
                    f"{rng.randint(1, 28):02d}{rng.randrange(0, 500) * 2 + (gender == '男'):03d}")
            person = petitions.PetitionerInput(
                name=rng.choice(SURNAMES) + rng.choice(GIVEN) + "新", gender=gender,
                id_number=body + id_check_char(body),
                phone=f"139{rng.randrange(10 ** 8):08d}", address="花园镇春明村3组12号",
                village_id=rng.choice(villages))
        first, second, summary = rng.choice(TOPICS)
        out.append(petitions.RegistrationInput(
            form="来访", received_on=today, petitioners=[person], summary=summary,
            request="要求依法处理", facts="本人多次向村委会反映，至今没有结果。",
            category1=first, category2=second, purpose="求决",
            problem_village_id=rng.choice(villages),
            duplicate_decision=petitions.NEW_MATTER))  # each save is timed as a new matter
    return out


def bare_insert_same_rows(reg: Register, matter_id: str) -> float:
    """Copy the rows ``register`` wrote for ``matter_id`` with fresh ids; time bare INSERTs of
    them in one committed transaction."""
    conn = reg.conn
    matter = reg.get("matters", matter_id)
    person = reg.get("petitioners", matter["petitioner_id"])
    link = reg.rows("SELECT * FROM matter_petitioners WHERE matter_id = ?", (matter_id,))[0]
    event = reg.rows("SELECT * FROM matter_events WHERE matter_id = ?", (matter_id,))[0]
    names, body = conn.execute("SELECT names, body FROM matter_search WHERE rowid = ?",
                               (petitions.search_key(conn, matter_id),)).fetchone()
    pid, mid = new_id(), new_id()
    rows = [("petitioners", dict(person, id=pid)),
            ("matters", dict(matter, id=mid, petitioner_id=pid, number=matter["number"] + "F")),
            ("matter_petitioners", dict(link, id=new_id(), matter_id=mid, petitioner_id=pid)),
            ("matter_events", dict(event, id=new_id(), matter_id=mid))]
    statements = [(f"INSERT INTO {t} ({', '.join(r)}) VALUES ({', '.join('?' * len(r))})",
                   list(r.values())) for t, r in rows]
    statements.append(("INSERT INTO matter_search(matter_id, names, body) VALUES (?, ?, ?)",
                       [mid, names, body]))

    def write() -> None:
        conn.execute("BEGIN")
        for sql, params in statements:
            conn.execute(sql, params)
        conn.execute("COMMIT")

    return timed(write)[0]


def bench_save(reg: Register, inputs: Sequence[petitions.RegistrationInput]) -> Row:
    times, floors = [], []
    for inp in inputs:
        def save(inp: petitions.RegistrationInput = inp) -> dict[str, Any]:
            return petitions.register(reg, inp)

        t, row = timed(save)
        times.append(t)
        floors.append(bare_insert_same_rows(reg, row["id"]))
    return Row("save a registration (matters.register)", times,
               "bare INSERT same rows, 1 txn", floors,
               f"{len(inputs)} inputs, half returning petitioners; each its own committed "
               "transaction (synchronous=FULL)")


# ----- report -------------------------------------------------------------------------------------
def print_table(rows: list[Row]) -> None:
    head = ["measurement", "median", "worst", "floor", "floor median", "ratio", "notes"]
    cells = [r.cells() for r in rows]
    widths = [max(display_width(x) for x in col) for col in zip(head, *cells, strict=True)]
    for line in [head, ["-" * w for w in widths], *cells]:
        print("  ".join(pad(x, w) for x, w in zip(line, widths, strict=True)).rstrip())


def display_width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--cache", type=Path, default=None,
                    help="where the built register is kept between runs")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--build-into", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.build_into:
        return build_into(args.build_into, args.cases, args.seed)
    cache = args.cache or Path(tempfile.gettempdir()) / "petitiondesk-bench" / \
        f"register-{args.cases}-{args.seed}"
    rss_imports = peak_rss_mb()
    info = ensure_register(cache, args.cases, args.seed, args.rebuild)
    s = info["summary"]
    print(f"\nRegister: {s['cases']:,} matters, {s['petitioners']:,} petitioners, "
          f"{s['audit_entries']:,} audit entries, {info['db_mb']:,} MB "
          f"({'cached' if info['cached'] else 'built now'}: built on {info['built_on']})")
    print(f"Build (storage.demo.build, {info['cases']:,} cases): {info['build_seconds']} s wall, "
          f"{info['build_cpu_seconds']} s CPU, peak RSS {info['build_peak_rss_mb']} MB")
    work = scratch_copy(cache, cache.parent / f"scratch-{args.cases}-{args.seed}")
    rng = random.Random(args.seed)
    rows = [bench_open(work, min(args.runs, 5))]
    reg = open_register(work)
    try:
        rss_open = peak_rss_mb()
        accounts.authenticate(reg, "clerk1", "demo1234")
        rss_login = peak_rss_mb()
        rows += bench_search(reg, pick_terms(reg, rng, args.runs))
        rows.append(bench_save(reg, registration_inputs(reg, rng, args.runs)))
    finally:
        reg.close()
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nMedian and worst of {args.runs} (different inputs each); search = "
          "search_ids + list_rows of the first 100.\n")
    print_table(rows)
    print(f"\nPeak memory (RSS, this process): {peak_rss_mb():.0f} MB — {rss_imports:.0f} MB "
          f"after importing storage (pypinyin's dictionaries are most of it), {rss_open:.0f} MB "
          f"with the register open, {rss_login:.0f} MB after signing in (Argon2id uses 64 MiB); "
          f"the build's peak: {info['build_peak_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
