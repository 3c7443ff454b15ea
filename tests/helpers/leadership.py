"""A county and a township that exchange bundles both ways (交办/督办 down, 反馈 up), and
small builders of leadership records for the tests."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from storage import leadership
from storage.register import Register
from storage.sync import downward, importer, keys
from tests.helpers.registers import FakeClock
from tests.helpers.sync import (
    add_petition,
    as_head,
    export_to,
    link,
    make_county,
    make_township,
    unlock,
)

TOWN_PASS = "town-pass-1"


def key_file(reg: Register) -> keys.KeyFile:
    """The register's public key file as it reaches the other side (through a folder)."""
    return keys.parse_key_file(json.dumps(keys.own_key_file(reg).to_json()).encode("utf-8"))


@dataclass
class Pair:
    """County ``county`` and township ``town`` with keys for both directions, a stick and
    each side's outbox (``tmp/county/outbox``, ``tmp/town/outbox``: where the GUI and the
    command line keep them for a register in ``tmp/county``, ``tmp/town``); ``matter_id`` is
    a township matter the county has imported."""

    county: Register
    town: Register
    tmp: Path
    matter_id: str

    @property
    def stick(self) -> Path:
        path = self.tmp / "stick"
        path.mkdir(exist_ok=True)
        return path

    def town_key(self) -> bytes:
        return keys.unlock_receiving_key(self.town, TOWN_PASS)

    def send_down(self, *, townships: list[str] | None = None) -> list[Path]:
        """The county writes its bundles for the township onto a fresh stick folder."""
        target = self.tmp / f"down-{len(list(self.tmp.glob('down-*')))}"
        target.mkdir()
        written = downward.export_down(self.county, target, self.tmp / "county" / "outbox",
                                       townships=townships)
        return [p for r in written for p in r.written]

    def town_imports(self, files: list[Path], **kw: object) -> list[importer.BundleReport]:
        return importer.import_bundles(self.town, files, self.town_key(), **kw)  # type: ignore[arg-type]

    def send_up(self, period: str = "2026-03") -> Path:
        target = self.tmp / f"up-{len(list(self.tmp.glob('up-*')))}"
        target.mkdir()
        return export_to(self.town, period, target, self.tmp / "town" / "outbox")

    def county_imports(self, files: list[Path]) -> list[importer.BundleReport]:
        return importer.import_bundles(self.county, files, unlock(self.county))


def pair(clock: FakeClock, tmp: Path, code: str = "320508102000", *,
         on_disk: bool = False) -> Pair:
    """Keys both ways, then the township's first bundle (one matter) imported at the county;
    ``on_disk``: the registers live in ``tmp/county`` and ``tmp/town``."""
    county = as_head(make_county(clock, tmp / "county" if on_disk else None))
    town = make_township(clock, code, tmp / "town" if on_disk else None)
    link(town, county)  # the township's signing key, the county's receiving key
    keys.create_signing_key(county)  # the county signs what it sends down
    keys.create_receiving_key(town, TOWN_PASS)  # the township reads what comes down
    keys.register_station(county, key_file(town))  # now with the township's receiving key
    keys.load_upstream(town, key_file(county))  # now with the county's signing key
    _person, matter_id = add_petition(town, random.Random(5), 1)
    result = Pair(county, town, tmp, matter_id)
    reports = result.county_imports([result.send_up("2026-02")])
    assert [r.status for r in reports] == ["imported"], reports[0].message
    return result


def jiaoban(county: Register, to: str = "320508102000", *, deadline: date = date(2026, 3, 20),
            summary: str = "反映村道积水影响出行") -> leadership.Assignment:
    return leadership.issue_assignment(county, leadership.AssignmentInput(
        to_station=to, deadline=deadline, summary=summary, request="尽快疏通排水沟",
        petitioner_name="赵大勇", petitioner_phone="13912345678", petitioner_address="第1村3组",
        requirements="查明情况，答复信访人", contact="县信访局 王科 0512-65000001"))


def duban(county: Register, matter_id: str, *, deadline: date = date(2026, 3, 16)
          ) -> leadership.Assignment:
    return leadership.issue_supervision(county, leadership.SupervisionInput(
        deadline=deadline, reason="信访人多次到县反映，久拖未决", level="重点督办",
        matter_id=matter_id))
