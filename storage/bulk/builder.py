"""Benchmark registers of any size, in minutes: ``main.py demo-data --cases N --bulk``.

The demo builder (``storage.demo``) performs every registration and workflow step through the
real code paths — right for a demo, but 27 minutes for 100,000 matters. This builder is for
benchmarks only: the station, its villages, accounts and codes are set up by the demo builder
(real code, no matters), then the matters are *generated*: each matter, its petitioner (new, or
one who came before), the link row and the registration event, with one audit entry per row
exactly as ``Register.insert`` writes it (the whole row as ``after`` with its after-image hash,
chained by hash; the chain head anchored outside the file after each batch), written
``BATCH`` matters per transaction with ``executemany``. The secondary indexes are dropped for the
load and made again afterwards, the search indexes are filled in key order, then ``ANALYZE``.
Matters arrive in date order over the months, so the audit chain reads as if the station had
worked through them; each is in the state its age suggests (old ones closed, recent ones open
with a deadline), without the intermediate steps.

The result passes ``check`` like a real register and is read by the same queries. It is a
benchmark register: it holds no mediation cases, screenings or 包案 (the demo builds those).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import time as _time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import orjson
from argon2 import PasswordHasher

from storage import audit, bigrams, demo, petitions, rowimage, station
from storage.db import DB_NAME, open_register
from storage.errors import ValidationError
from storage.i18n import _
from storage.ids import new_query_code
from storage.register import Register
from storage.schema import BOOKKEEPING
from storage.validation import id_check_char

BATCH = 10_000  # matters per transaction
#: Bumped whenever what this builder writes changes: part of the bench cache's key.
BUILDER_VERSION = 2
LOADED = ("petitioners", "matters", "matter_petitioners", "matter_events")
REPEAT_SHARE = 0.3  # matters brought by someone who came before
MONTHLY = 8_500  # matters a month at most before the span grows (a county: ~20 townships)


@dataclass
class _Person:
    row: dict[str, Any]
    matters: int = 0


_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class _Ids:
    """ULIDs as ``storage.ids.new_id`` makes them (48-bit milliseconds, 80 random bits, Crockford
    base 32), stamped with the moment the generated row was made and drawn from the build's
    seeded generator — ten times faster than the ``ulid`` package, and sorted by time."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def at(self, moment: datetime) -> str:
        n = (int(moment.timestamp() * 1000) << 80) | self.rng.getrandbits(80)
        out = []
        for _i in range(26):
            n, digit = divmod(n, 32)
            out.append(_CROCKFORD[digit])
        return "".join(reversed(out))


def _sql_default(conn: sqlite3.Connection, expression: str | None) -> Any:
    return None if expression is None else conn.execute(f"SELECT {expression}").fetchone()[0]


class _Tables:
    """Column lists and defaults of the loaded tables, so that columns added by later
    migrations are filled with their defaults and every row is written whole."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.columns: dict[str, list[str]] = {}
        self.defaults: dict[str, dict[str, Any]] = {}
        for table in LOADED:
            info = conn.execute(f"PRAGMA table_info({table})").fetchall()
            self.columns[table] = [r[1] for r in info]
            self.defaults[table] = {r[1]: _sql_default(conn, r[4]) for r in info}

    def full(self, table: str, values: dict[str, Any]) -> dict[str, Any]:
        row = dict(self.defaults[table])
        row.update(values)
        return row


class _Generator:
    """Plausible people and matters (the demo's vocabulary), fast."""

    def __init__(self, rng: random.Random, reg: Register, today: date) -> None:
        self.rng = rng
        self.today = today
        self.code = reg.station_code
        self.villages = station.villages(reg)
        self.surnames = [s for s, _w in demo.SURNAMES]
        self.surname_weights = [w for _s, w in demo.SURNAMES]
        self.topics = list(demo.TOPICS)
        self.topic_weights = [t[2] for t in demo.TOPICS]
        self.id_prefixes = [p for p, _w in demo.ID_PREFIXES]
        self.pinyin: dict[str, str] = {}
        self.used_ids: set[str] = set()

    def name(self, male: bool) -> str:
        rng = self.rng
        surname = rng.choices(self.surnames, weights=self.surname_weights)[0]
        if rng.random() < 0.3:
            return surname + rng.choice(demo.MALE_SINGLE if male else demo.FEMALE_SINGLE)
        first, second = ((demo.MALE_FIRST, demo.MALE_SECOND) if male
                         else (demo.FEMALE_FIRST, demo.FEMALE_SECOND))
        return surname + rng.choice(first) + rng.choice(second)

    def name_pinyin(self, name: str) -> str:
        if name not in self.pinyin:
            self.pinyin[name] = petitions.name_pinyin(name)
        return self.pinyin[name]

    def id_number(self, male: bool, born: date) -> str | None:
        rng = self.rng
        for _attempt in range(20):
            seq = rng.randrange(500) * 2 + int(male)
            body = f"{rng.choice(self.id_prefixes)}{born:%Y%m%d}{seq:03d}"
            number = body + id_check_char(body)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number
        return None

    def person(self) -> dict[str, Any]:
        rng = self.rng
        male = rng.random() < 0.58
        born = self.today - timedelta(days=int(rng.triangular(19, 88, 55) * 365.25))
        name = self.name(male)
        village = rng.choice(self.villages)
        has_id = rng.random() < 0.85
        return dict(
            name=name, name_pinyin=self.name_pinyin(name), gender="男" if male else "女",
            ethnic_group="汉族", id_number=self.id_number(male, born) if has_id else None,
            birth_date=born.isoformat() if has_id else None,
            phone=rng.choice(demo.MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}",
            address=f"{village.name}{rng.randint(1, 12)}组{rng.randint(1, 88)}号",
            village_id=village.id, occupation=rng.choice(("农民", "工人", "个体经营者",
                                                         "退（离）休人员", "无业人员")))

    def content(self, village: station.Village) -> tuple[str, str, str, str]:
        rng = self.rng
        first, second, _w, summary, request = rng.choices(self.topics,
                                                          weights=self.topic_weights)[0]
        values = dict(
            village=village.name, group=rng.randint(1, 12),
            person=rng.choice("张王陈徐朱周李刘吴孙沈顾陆钱") + "某",
            mu=rng.choice(("0.3", "0.5", "0.8", "1.2", "2")), year=self.today.year - 1,
            amount=rng.choice((2800, 4600, 8500, 12000, 23600, 36000)),
            area=rng.choice((6, 12, 18, 25, 40)), company=rng.choice(demo.COMPANIES),
            road=rng.choice(demo.ROADS))
        return first, second, summary.format(**values), request.format(**values)


def _state(rng: random.Random, received: date, today: date, unit: str) -> dict[str, Any]:
    """The matter's columns for the state its age suggests (no intermediate steps)."""
    age = (today - received).days

    def after(days: int) -> str:
        return min(received + timedelta(days=days), today).isoformat()

    if age <= 12 and rng.random() < 0.7:
        return dict(status="registered", due_kind="accept",
                    due_date=(received + timedelta(days=15)).isoformat())
    if rng.random() < 0.08:
        return dict(status="not_accepted", decision_reason=demo.NOT_ACCEPT_DEFAULT[0],
                    legal_channel=demo.NOT_ACCEPT_DEFAULT[1], closed_on=after(10))
    accepted = dict(accepted_on=after(8), handling_mode="直接办理", handling_unit=unit)
    if age <= 70:
        return dict(accepted, status="handling", due_kind="handle",
                    due_date=(received + timedelta(days=68)).isoformat())
    result = rng.choice(("支持", "解释说明", "不予支持"))
    replied = dict(accepted, reply_result=result, replied_on=after(55))
    if age <= 100 and rng.random() < 0.5:
        return dict(replied, status="replied")
    return dict(replied, status="closed", rating=rng.choice(("满意", "基本满意", "不满意")),
                closed_on=after(90))


def _moments(rng: random.Random, count: int, start: date, today: date) -> Iterator[datetime]:
    """``count`` registration moments over the span, in order, in office hours."""
    span = (today - start).days + 1
    days = sorted(start + timedelta(days=int(span * rng.random())) for _i in range(count))
    for d in days:
        yield datetime.combine(d, time(rng.randint(8, 16), rng.randrange(60), rng.randrange(60)))


class _Chain:
    """The station's audit chain, extended in memory and written with each batch."""

    def __init__(self, conn: sqlite3.Connection, station_code: str, ids: _Ids) -> None:
        self.ids = ids
        # rowimage.row_hash leaves out columns holding their default (checked by a test)
        self.defaults = {t: rowimage.column_defaults(conn, t) for t in LOADED}
        self.prev = audit.head(conn, station_code)
        self.station_code = station_code
        self.rows: list[tuple[Any, ...]] = []

    def insert(self, table: str, row: dict[str, Any], moment: datetime, at: str,
               actor: str) -> None:
        # as Register.insert writes it: the values, and the whole row's after-image hash
        # (storage.rowimage; orjson writes canonical_json's bytes for text, numbers and None)
        values = {k: v for k, v in row.items() if k not in BOOKKEEPING}
        defaults = self.defaults[table]
        image = {k: v for k, v in row.items()
                 if not (k in defaults and type(v) is type(defaults[k]) and v == defaults[k])}
        values[rowimage.ROW_KEY] = hashlib.sha256(
            orjson.dumps(image, option=orjson.OPT_SORT_KEYS)).hexdigest()
        after = orjson.dumps(values, option=orjson.OPT_SORT_KEYS).decode()
        fields = (self.ids.at(moment), self.station_code, at, actor, "insert", table, row["id"],
                  None, after)
        digest = audit.fields_hash(self.prev, fields)
        self.rows.append((*fields, self.prev, digest))
        self.prev = digest


def _drop_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the secondary indexes of the loaded tables and of the audit log; return their SQL."""
    marks = ",".join("?" * (len(LOADED) + 1))
    found = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks})", (*LOADED, "audit_log")).fetchall()
    for name, _sql in found:
        conn.execute(f"DROP INDEX {name}")
    return [sql for _name, sql in found]


def build(data_dir: Path, *, cases: int, seed: int = 1, months: int | None = None,
          progress: Callable[[str], None] | None = None,
          password_hasher: PasswordHasher | None = None) -> dict[str, Any]:
    """Create a benchmark register of ``cases`` matters in ``data_dir`` (empty or new)."""
    if cases < 0:
        raise ValidationError(_("案件数不能为负数。"), "cases")
    months = months or max(24, min(120, -(-cases // MONTHLY)))
    if not 1 <= months <= 120:
        raise ValidationError(_("月数应在1到120之间。"), "months")
    started = _time.perf_counter()
    data_dir = Path(data_dir).absolute()
    if (data_dir / DB_NAME).exists():
        raise ValidationError(_("目录 {path} 中已经有一个登记库，基准登记库不会覆盖它。"
                                "请指定一个空目录或新目录。").format(path=data_dir), "data_dir")
    work = data_dir.parent / f".{data_dir.name}.bulk-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        # the station, villages, accounts and codes through the real code paths
        demo.build(work, cases=0, seed=seed, months=months, others=False,
                   password_hasher=password_hasher)
        summary = _fill(work, cases=cases, seed=seed, months=months, progress=progress,
                        password_hasher=password_hasher)
        data_dir.mkdir(parents=True, exist_ok=True)
        for item in work.iterdir():
            os.replace(item, data_dir / item.name)
        work.rmdir()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary.update(path=str(data_dir), seed=seed, months=months, bulk=True,
                   seconds=round(_time.perf_counter() - started, 1))
    return summary


def _fill(work: Path, *, cases: int, seed: int, months: int,
          progress: Callable[[str], None] | None,
          password_hasher: PasswordHasher | None) -> dict[str, Any]:
    started = _time.perf_counter()
    rng = random.Random(seed)
    reg = open_register(work, password_hasher=password_hasher)
    try:
        conn = reg.conn
        today = reg.clock().date()
        start = today - timedelta(days=round(months * 30.44))
        gen = _Generator(rng, reg, today)
        tables = _Tables(conn)
        clerks = [(u, n) for u, n, role in demo.STAFF if role == "clerk"]
        units = demo.UNIT_BY_CATEGORY
        conn.execute("PRAGMA synchronous = OFF")  # a crash mid-build leaves no register at all
        conn.execute("PRAGMA cache_size = -262144")
        index_sql = _drop_indexes(conn)
        code = reg.station_code
        ids = _Ids(rng)
        chain = _Chain(conn, code, ids)
        people: list[_Person] = []
        numbers: dict[int, int] = {}
        pending: dict[str, list[dict[str, Any]]] = {t: [] for t in LOADED}
        search_rows: list[tuple[str, str, str]] = []  # matter id, names, body
        pair_rows: list[tuple[str, str]] = []

        def flush() -> None:
            with reg.transaction():
                for table in LOADED:
                    cols = tables.columns[table]
                    conn.executemany(
                        f"INSERT INTO {table} ({', '.join(cols)})"
                        f" VALUES ({', '.join('?' * len(cols))})",
                        [[r[c] for c in cols] for r in pending[table]])
                    pending[table].clear()
                conn.executemany(
                    "INSERT INTO audit_log(entry_id, station_code, at, actor, action, table_name,"
                    " record_id, before, after, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    chain.rows)
                chain.rows.clear()
                # keys in matter order (= id order, time order), as the migration gives them
                keys = petitions.new_search_keys(conn, [m for m, _n, _b in search_rows])
                conn.executemany("INSERT INTO matter_search(rowid, matter_id, names, body)"
                                 " VALUES (?, ?, ?, ?)",
                                 [(keys[m], m, names, body) for m, names, body in search_rows])
                search_rows.clear()
                bigrams.append_new(conn, pair_rows)
                pair_rows.clear()

        def add(table: str, values: dict[str, Any], moment: datetime, actor: str
                ) -> dict[str, Any]:
            at = moment.isoformat(timespec="seconds")
            row = tables.full(table, dict(
                values, id=ids.at(moment), station_code=code, version=1, created_at=at,
                updated_at=at, updated_by=actor, deleted=0))
            pending[table].append(row)
            chain.insert(table, row, moment, at, actor)
            return row

        for index, moment in enumerate(_moments(rng, cases, start, today)):
            actor, actor_name = rng.choice(clerks)
            if people and rng.random() < REPEAT_SHARE:
                person = rng.choice(people)
            else:
                person = _Person(add("petitioners", gen.person(), moment, actor))
                people.append(person)
            p = person.row
            village = next((v for v in gen.villages if v.id == p["village_id"]), gen.villages[0])
            first, second, summary, request = gen.content(village)
            received = moment.date()
            seq = numbers[received.year] = numbers.get(received.year, 0) + 1
            form = demo.FORMS[rng.randrange(len(demo.FORMS))][0]
            matter = add("matters", dict(
                number=f"{code}-{received.year}-{seq:05d}", seq=seq,
                query_code=new_query_code(), form=form, received_on=received.isoformat(),
                registered_by=actor, registered_by_name=actor_name, petitioner_id=p["id"],
                summary=summary, request=request, facts=rng.choice(demo.FACTS),
                category1=first, category2=second, purpose="求决",
                problem_village_id=village.id, repeat_kind="重件" if person.matters else "初件",
                **_state(rng, received, today, units.get(first, ""))), moment, actor)
            person.matters += 1
            add("matter_petitioners", dict(petitions.snapshot(p), matter_id=matter["id"],
                                           petitioner_id=p["id"], is_main=1,
                                           is_representative=0), moment, actor)
            add("matter_events", dict(
                matter_id=matter["id"], kind="registered", occurred_on=received.isoformat(),
                actor=actor, actor_name=actor_name, note=form,
                data=json.dumps({"form": form, "visitors_count": 1}, ensure_ascii=False)),
                moment, actor)
            body = " ".join(x for x in (matter["number"], matter["query_code"], summary, request,
                                        matter["facts"], first, second) if x)
            search_rows.append((matter["id"], petitions.person_terms(
                p["name"], p["name"], p["id_number"], p["phone"]), body))
            pair_rows.append((matter["id"], bigrams.source([p["name"]], summary)))
            if (index + 1) % BATCH == 0:
                flush()
                if progress:
                    progress(f"{index + 1:,} matters,"
                             f" {_time.perf_counter() - started:.0f} s")
        flush()
        if progress:
            progress("indexes")
        with reg.transaction():
            for sql in index_sql:
                conn.execute(sql)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return dict(cases=cases, petitioners=len(people),
                    audit_entries=reg.scalar("SELECT count(*) FROM audit_log"),
                    database=str(work / DB_NAME))
    finally:
        reg.close()


def cache_key(cases: int, seed: int = 1) -> str:
    """What a cached benchmark register is kept under: its size, seed, this builder's version
    and the schema (an empty register's ``sqlite_master``), so any schema change builds
    afresh."""
    empty = open_register(None)
    try:
        schema = "\n".join(r[0] for r in empty.conn.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"))
    finally:
        empty.close()
    digest = hashlib.sha256(f"{schema}|{BUILDER_VERSION}".encode()).hexdigest()[:10]
    return f"bulk-{cases}-s{seed}-{digest}"
