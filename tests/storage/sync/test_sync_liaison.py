"""A liaison's own laptop: starter file from the township, screenings entered there, carried back
as a bundle signed by the laptop and encrypted to the township, imported idempotently, and on to
the county."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from storage import accounts, audit, station
from storage.db import open_register
from storage.errors import ValidationError
from storage.register import Register
from storage.sync import conflicts, export, importer, keys, liaison, segments
from tests.helpers.registers import CHEAP_HASHER, FakeClock
from tests.helpers.sync import as_head, make_county, make_township, unlock

TOWN_PASS = "township-pass-1"
STARTER_PASS = "starter-pass-1"


def _report(reg: Register, grid: station.Grid, period: str, **extra: Any) -> dict[str, Any]:
    values = dict(grid_id=grid.id, village_id=grid.village_id, period=period, cadence="week",
                  period_start="2026-02-23", period_end="2026-03-01", month="2026-02",
                  due_on="2026-03-02", is_zero=1, screened_on="2026-02-27",
                  reported_at=reg.now(), reporter_id=reg.actor.user_id,
                  reporter_name=reg.actor.display_name, note="本周未发现矛盾纠纷")
    values.update(extra)
    with reg.transaction():
        return reg.insert("screening_reports", values)


class World:
    def __init__(self, clock: FakeClock, tmp: Path) -> None:
        self.tmp = tmp
        self.town = as_head(make_township(clock))
        self.user = accounts.create_user(self.town, "zhaodf", "赵德福", "liaison",
                                         "liaison-pass-1")
        first_village = station.villages(self.town)[0]
        self.mine = station.grids(self.town, first_village.id)
        for g in self.mine:
            station.assign_liaison(self.town, g.id, self.user.id)
        keys.create_receiving_key(self.town, TOWN_PASS)
        self.starter = liaison.make_starter(self.town, self.user.id, STARTER_PASS, tmp / "stick")
        self.laptop = open_register(None, clock=clock, password_hasher=CHEAP_HASHER)
        liaison.set_up_from_starter(self.laptop, self.starter.path, STARTER_PASS, "my-own-pass")
        self.key = keys.unlock_receiving_key(self.town, TOWN_PASS)

    def carry(self, period: str = "2026-02") -> Path:
        stick = self.tmp / "stick"
        stick.mkdir(exist_ok=True)
        return export.export(self.laptop, period, stick, self.tmp / "laptop-outbox",
                             include_unconfirmed=False).written[0]

    def take(self, path: Path) -> importer.BundleReport:
        as_head(self.town)
        [r] = importer.import_bundles(self.town, [path], self.key)
        return r


@pytest.fixture
def world(clock: FakeClock, tmp_path: Path) -> World:
    return World(clock, tmp_path)


def test_the_laptop_holds_only_the_liaisons_grids(world: World) -> None:
    lap = world.laptop
    assert (lap.mode, lap.station_code) == ("liaison", world.town.station_code)
    assert lap.actor.username == "zhaodf"
    assert {g.id for g in station.grids(lap)} == {g.id for g in world.mine}
    assert len(station.grids(world.town)) > len(world.mine)
    assert len(station.villages(lap)) == 1
    assert accounts.authenticate(lap, "zhaodf", "my-own-pass").role == "liaison"
    assert world.starter.path.name.startswith("320508102000-L01-")
    with pytest.raises(ValidationError, match="口令不对"):
        liaison.read_starter(world.starter.path, "not-the-passphrase")


def test_screenings_come_back_to_the_township_once(world: World) -> None:
    report = _report(world.laptop, station.grids(world.laptop)[0], "2026-W09")
    path = world.carry()
    assert path.name == "320508102000-L01-202602-001.pdsync"

    first = world.take(path)
    assert first.status == "imported", first.message
    assert first.counts["screening_reports"].created == 1
    assert world.take(path).status == "already"
    got = world.town.rows("SELECT * FROM screening_reports WHERE id = ?", (report["id"],))
    assert got == [report]
    # the township's own chain records the merge; the laptop's chain is kept beside it
    assert audit.verify(world.town.conn, world.town.station_code).ok
    assert world.town.scalar("SELECT count(*) FROM audit_log WHERE action = 'sync-insert'"
                             " AND record_id = ?", (report["id"],)) == 1
    assert segments.verify(world.town, "320508102000-L01").ok

    # and on to the county, with the township's chain intact
    county = make_county(world.town.clock)  # type: ignore[arg-type]
    keys.create_signing_key(world.town)
    keys.load_upstream(world.town, keys.own_key_file(county))
    keys.register_station(county, keys.own_key_file(world.town))
    to_county = export.export(world.town, "2026-02", world.tmp / "stick",
                              world.tmp / "town-outbox").written[0]
    [r] = importer.import_bundles(county, [to_county], unlock(county))
    assert r.status == "imported", r.message
    assert county.rows("SELECT * FROM screening_reports") == [report]
    assert segments.verify(county, world.town.station_code).ok


def test_a_laptop_cannot_change_what_is_not_its_own(world: World) -> None:
    lap = world.laptop
    lap.actor = accounts.find_user(lap, "zhaodf").actor()
    with lap.transaction():
        lap.update("grids", world.mine[0].id, {"name": "改名"})
    path = world.carry()
    changes = world.town.conn.total_changes
    r = world.take(path)
    assert r.status == "refused" and "不能修改" in r.message
    assert world.town.conn.total_changes == changes


def test_both_sides_editing_the_same_report_is_a_conflict_a_head_decides(world: World) -> None:
    report = _report(world.laptop, station.grids(world.laptop)[0], "2026-W09")
    assert world.take(world.carry()).status == "imported"
    with world.town.transaction():
        world.town.update("screening_reports", report["id"], {"note": "站里补记：已电话核实"})
    with world.laptop.transaction():
        world.laptop.update("screening_reports", report["id"], {"note": "联络员补记：走访两户"})
    r = world.take(world.carry())
    assert r.counts["screening_reports"].conflicts == 1
    assert world.town.scalar("SELECT note FROM screening_reports WHERE id = ?",
                             (report["id"],)) == "站里补记：已电话核实"
    [c] = conflicts.conflicts(world.town)
    conflicts.decide(world.town, c.id, "incoming")
    row = world.town.rows("SELECT note, version FROM screening_reports WHERE id = ?",
                          (report["id"],))[0]
    assert row == {"note": "联络员补记：走访两户", "version": 3}  # a new version, travels on


def test_a_starter_needs_grids_and_a_receiving_key(clock: FakeClock, tmp_path: Path) -> None:
    town = as_head(make_township(clock))
    user = accounts.create_user(town, "lisi", "李四", "liaison", "liaison-pass-1")
    with pytest.raises(ValidationError, match="接收密钥"):
        liaison.make_starter(town, user.id, STARTER_PASS, tmp_path)
    keys.create_receiving_key(town, TOWN_PASS)
    with pytest.raises(ValidationError, match="分配网格"):
        liaison.make_starter(town, user.id, STARTER_PASS, tmp_path)


def test_the_laptop_sends_to_the_township_named_in_the_starter(world: World) -> None:
    up = keys.upstream(world.laptop)
    assert up is not None and up.sender == world.town.station_code
    assert up.fingerprint == keys.own_key_file(world.town).fingerprint
