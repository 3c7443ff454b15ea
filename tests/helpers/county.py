"""A county register holding two townships' matters, mediations and screenings, imported from
their bundles the way a stick brings them (for the county-view tests, storage and GUI)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storage import db, mediation, station
from storage import screening as sc
from storage.register import Register
from storage.sync import signkey
from tests.helpers.registers import CHEAP_HASHER, FakeClock
from tests.helpers.sync import (
    export_to,
    import_files,
    link,
    make_county,
    make_township,
    unlock,
)
from tests.storage.mediation.test_mediation import case_input, two_parties

HUAYUAN = "320508102000"  # 花园镇: two villages, four grids
SHIQIAO = "320508103000"  # 石桥镇: one village, two grids


@dataclass
class County:
    county: Register
    townships: dict[str, Register]


def add_matter(reg: Register, n: int, summary: str, *, village: int = 0) -> str:
    """A matter with a full case number (area code - year - sequence) and a problem village."""
    v = station.villages(reg)[village]
    with reg.transaction():
        p = reg.insert("petitioners", dict(name=f"{summary[:2]}某{n}", phone="13900000000",
                                           address=v.name))
        m = reg.insert("matters", dict(
            number=f"{reg.station_code}-2026-{n:05d}", seq=n,
            query_code=f"Q{reg.station_code[6:9]}{n:04d}", form="走访", received_on="2026-03-02", registered_by="clerk", petitioner_id=p["id"],
            summary=summary, status="registered", problem_village_id=v.id))
        reg.insert("matter_petitioners", dict(matter_id=m["id"], petitioner_id=p["id"],
                                              is_main=1))
    return str(m["id"])


def dispute(summary: str) -> sc.DisputeInput:
    return sc.DisputeInput(type="邻里", parties=[sc.PartyInput("赵一"), sc.PartyInput("钱二")],
                           summary=summary, risk_level="黄")


def fill_huayuan(reg: Register) -> None:
    add_matter(reg, 1, "花园镇春耕用水纠纷", village=0)
    add_matter(reg, 2, "花园镇拆迁补偿诉求", village=1)
    mediation.open_mediation(reg, case_input(reg, title="花园甲相邻通行纠纷"), two_parties())
    mediation.open_mediation(reg, case_input(reg, title="花园乙宅基地纠纷"), two_parties())
    grids = station.grids(reg)
    sc.report_zero(reg, grids[0].id)
    sc.add_dispute(reg, grids[1].id, None, dispute("花园一组滴水檐争执"))


def fill_shiqiao(reg: Register) -> None:
    add_matter(reg, 1, "石桥镇道路硬化诉求")
    mediation.open_mediation(reg, case_input(reg, title="石桥甲债务纠纷"), two_parties())
    sc.add_dispute(reg, station.grids(reg)[0].id, None, dispute("石桥一组界址争执"))


def county_with_two_townships(clock: FakeClock, tmp_path: Path,
                              county_dir: Path | None = None) -> County:
    c = make_county(clock, county_dir)
    towns = {HUAYUAN: make_township(clock, HUAYUAN), SHIQIAO: make_township(clock, SHIQIAO)}
    for t in towns.values():
        link(t, c)  # signs in as the township's head
    fill_huayuan(towns[HUAYUAN])
    fill_shiqiao(towns[SHIQIAO])
    files = [export_to(t, "2026-02", tmp_path, tmp_path / f"out{code}")
             for code, t in towns.items()]
    import_files(c, files, unlock(c))
    return County(c, towns)


def _copy(reg: Register, clock: FakeClock) -> Register:
    conn = db.connect(":memory:")
    reg.conn.backup(conn)
    copy = Register(conn, None, clock, password_hasher=CHEAP_HASHER)
    copy.actor = reg.actor
    if signkey.is_locked(copy):  # a register opened afresh: the head opens its signing key
        signkey.unlock(copy, "head-pass-1")
    return copy


def copy_of(built: County, clock: FakeClock) -> County:
    """Fresh in-memory copies of a county built by :func:`county_with_two_townships` (once, for
    the whole run: the ``two_townships`` fixture), on the test's own clock: each test changes its
    own copies only."""
    return County(_copy(built.county, clock),
                  {code: _copy(t, clock) for code, t in built.townships.items()})
