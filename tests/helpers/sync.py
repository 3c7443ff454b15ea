"""Registers, keys and petition data for the sync tests (no fixtures: plain helpers)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage import accounts, station
from storage.db import open_register
from storage.register import Register
from storage.sync import export, importer, keys, signkey
from tests.helpers.registers import CHEAP_HASHER, FakeClock

COUNTY_CODE = "320508000000"
COUNTY_PASS = "county-pass-1"
TOWNSHIPS = {
    "320508102000": ("花园镇", ["320508102200", "320508102201"]),
    "320508103000": ("石桥镇", ["320508103200"]),
}

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"


def as_head(reg: Register) -> Register:
    reg.actor = accounts.find_user(reg, "head").actor()
    return reg


def make_county(clock: FakeClock, data_dir: Path | None = None) -> Register:
    reg = open_register(data_dir, clock=clock, password_hasher=CHEAP_HASHER)
    station.set_up_station(
        reg, name="姑苏区信访局", short_name="姑苏", code=COUNTY_CODE, kind="county",
        office_name="姑苏区信访局", phone="0512-65000000", address="姑苏区", villages=[],
        head_username="head", head_display_name="县审核员", head_password="head-pass-1")
    signkey.sign_in(reg, "head", "head", "head-pass-1")  # as the sign-in dialog does
    keys.create_receiving_key(reg, COUNTY_PASS)
    return reg


def make_township(clock: FakeClock, code: str = "320508102000",
                  data_dir: Path | None = None) -> Register:
    name, villages = TOWNSHIPS[code]
    reg = open_register(data_dir, clock=clock, password_hasher=CHEAP_HASHER)
    station.set_up_station(
        reg, name=f"{name}信访工作站", short_name=name[:2], code=code, kind="township",
        office_name=f"{name}人民政府", phone="0512-66881234", address=f"{name}人民路1号",
        villages=[station.VillageSpec(f"第{i + 1}村", v, ["一组", "二组"])
                  for i, v in enumerate(villages)],
        head_username="head", head_display_name="王站长", head_password="head-pass-1")
    signkey.sign_in(reg, "head", "head", "head-pass-1")  # as the sign-in dialog does
    return reg


def link(township: Register, county: Register) -> None:
    """Exchange public key files the way people would (through a folder)."""
    as_head(township)
    keys.create_signing_key(township)
    keys.load_upstream(township, keys.parse_key_file(_key_bytes(county)))
    keys.register_station(county, keys.parse_key_file(_key_bytes(township)))


@contextmanager
def linked(clock: FakeClock, code: str = "320508102000") -> Iterator[tuple[Register, Register]]:
    """(township, county) with keys both ways, in memory; both closed afterwards."""
    county = make_county(clock)
    town = make_township(clock, code)
    link(town, county)
    try:
        yield town, county
    finally:
        town.close()
        county.close()


def _key_bytes(reg: Register) -> bytes:
    import json

    return json.dumps(keys.own_key_file(reg).to_json()).encode("utf-8")


def id_number(rng: random.Random) -> str:
    """A syntactically plausible 18-character citizen ID with a valid GB 11643 check digit."""
    body = "320508" + f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" \
        + f"{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


@dataclass
class Person:
    id: str
    name: str
    id_number: str
    phone: str


def add_petition(reg: Register, rng: random.Random, n: int, *,
                 id_num: str | None = None) -> tuple[Person, str]:
    """One petitioner and one matter, written through the register's write path."""
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    idn = id_num or id_number(rng)
    phone = "13" + "".join(str(rng.randint(0, 9)) for _ in range(9))
    with reg.transaction():
        p = reg.insert("petitioners", dict(name=name, id_number=idn, phone=phone,
                                           address=f"第{n}号院"))
        m = reg.insert("matters", dict(
            number=f"{reg.station_code[6:9]}-2026-{n:05d}", seq=n, query_code=f"Q{n:07d}",
            form="走访", received_on="2026-03-02", registered_by="clerk",
            petitioner_id=p["id"], summary=f"反映{name}家宅基地边界纠纷第{n}件",
            status="registered"))
        reg.insert("matter_petitioners", dict(matter_id=m["id"], petitioner_id=p["id"],
                                              is_main=1))
    return Person(p["id"], name, idn, phone), m["id"]


def export_to(reg: Register, period: str, target: Path, outbox: Path) -> Path:
    return export.export(reg, period, target, outbox, include_unconfirmed=False).written[0]


def unlock(county: Register) -> bytes:
    return keys.unlock_receiving_key(county, COUNTY_PASS)


def import_files(county: Register, files: list[Path], key: bytes, **kw: Any
                 ) -> list[importer.BundleReport]:
    return importer.import_bundles(county, files, key, **kw)


def snapshot(reg: Register, *, with_ledger: bool = False) -> dict[str, Any]:
    """Every synced table's rows, the audit log and open conflicts — to compare final states."""
    from storage import schema

    out: dict[str, Any] = {}
    for t in schema.record_tables(reg.conn, synced_only=True):
        out[t] = reg.rows(f"SELECT * FROM {t} ORDER BY id")
    from storage.sync import segments

    # each received chain in its order, whatever order its segments arrived in
    out["audit_chains"] = {s: list(segments.entries(reg, s)) for s in segments.senders(reg)}
    out["conflicts"] = reg.rows(
        "SELECT table_name, record_id, version, incoming_digest FROM sync_conflicts"
        " WHERE status = 'open' ORDER BY table_name, record_id, incoming_digest")
    out["joined"] = reg.rows("SELECT sender, seq, audit_applied FROM sync_imports"
                             " ORDER BY sender, seq")
    if with_ledger:
        out["ledger"] = reg.rows("SELECT bundle_hash, sender, seq FROM sync_imports ORDER BY "
                                 "sender, seq")
    return out
