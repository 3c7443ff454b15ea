"""What the county sees across townships: each station's bundle history (gaps in the sequence,
months with no bundle, months that came late), record counts per station, the station filter for
lists, and petitioners who appear in more than one township (same citizen ID number)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from storage import schema
from storage.clock import today
from storage.register import Register
from storage.sync import keys

DUE_DAY_SETTING = "sync.due_day"
DEFAULT_DUE_DAY = 10  # a month's bundle is due by the 10th of the following month


@dataclass(frozen=True)
class ReceivedBundle:
    seq: int
    period: str
    created_at: str
    imported_at: str
    records: int
    file_name: str
    late: bool
    audit_joined: bool


@dataclass(frozen=True)
class StationHistory:
    sender: str
    station_code: str
    name: str
    kind: str
    active: bool
    bundles: list[ReceivedBundle]
    gaps: list[int]
    missing_months: list[str]
    late_months: list[str]

    @property
    def last_imported_at(self) -> str | None:
        return max((b.imported_at for b in self.bundles), default=None)


def _next_month(period: str) -> str:
    y, m = int(period[:4]), int(period[5:7])
    return f"{y + (m == 12)}-{1 if m == 12 else m + 1:02d}"


def due_date(reg: Register, period: str) -> date:
    nxt = _next_month(period)
    day = int(reg.setting(DUE_DAY_SETTING, DEFAULT_DUE_DAY))
    return date(int(nxt[:4]), int(nxt[5:7]), max(1, min(day, 28)))


def _months(first: str, last: str) -> list[str]:
    out = []
    p = first
    while p <= last:
        out.append(p)
        p = _next_month(p)
    return out


def _last_complete_month(reg: Register) -> str:
    d = today(reg.clock).replace(day=1)
    prev = date(d.year - 1, 12, 1) if d.month == 1 else d.replace(month=d.month - 1)
    return prev.strftime("%Y-%m")


def history(reg: Register) -> list[StationHistory]:
    """Every sender we accept bundles from, with what arrived and what is missing or late."""
    out = []
    for peer in keys.peers(reg, "in"):
        rows = reg.rows("SELECT * FROM sync_imports WHERE sender = ? ORDER BY seq", (peer.sender,))
        bundles = [ReceivedBundle(
            r["seq"], r["period"], r["created_at"], r["imported_at"],
            int(json.loads(r["manifest"]).get("records", 0)), r["file_name"],
            date.fromisoformat(r["created_at"][:10]) > due_date(reg, r["period"]),
            bool(r["audit_applied"])) for r in rows]
        seqs = {b.seq for b in bundles}
        gaps = [s for s in range(1, max(seqs, default=0)) if s not in seqs]
        first = min((b.period for b in bundles), default=peer.registered_at[:7])
        periods = {b.period for b in bundles}
        expected = _months(first, _last_complete_month(reg))
        missing = [p for p in expected if p not in periods]
        late = sorted({b.period for b in bundles
                       if all(x.late for x in bundles if x.period == b.period)})
        out.append(StationHistory(peer.sender, peer.station_code, peer.name, peer.kind,
                                  peer.active, bundles, gaps, missing, late))
    return out


def station_choices(reg: Register) -> list[tuple[str, str]]:
    """(area code, name) of every township whose records are held here, for list filters."""
    return [(r["code"], r["name"]) for r in reg.rows(
        "SELECT code, name FROM stations WHERE deleted = 0 AND kind = 'township' ORDER BY code")]


def record_counts(reg: Register) -> dict[str, dict[str, int]]:
    """station code -> table -> live records, over every synced table."""
    out: dict[str, dict[str, int]] = {}
    for t in schema.record_tables(reg.conn, synced_only=True):
        for code, n in reg.conn.execute(
                f"SELECT station_code, count(*) FROM {t} WHERE deleted = 0 GROUP BY station_code"):
            out.setdefault(code, {})[t] = n
    return out


@dataclass(frozen=True)
class Appearance:
    station_code: str
    station_name: str
    petitioner_id: str
    name: str
    matters: int
    last_received_on: str | None


@dataclass(frozen=True)
class SharedPetitioner:
    id_number: str
    appearances: list[Appearance]

    @property
    def names(self) -> list[str]:
        return sorted({a.name for a in self.appearances})


def cross_township_petitioners(reg: Register) -> list[SharedPetitioner]:
    """People (same citizen ID number) registered by more than one township, most stations
    first."""
    rows = reg.rows(
        "SELECT upper(trim(p.id_number)) AS idn, p.id, p.station_code, p.name,"
        " coalesce(s.name, p.station_code) AS sname,"
        " (SELECT count(*) FROM matter_petitioners mp JOIN matters m ON m.id = mp.matter_id"
        "   WHERE mp.petitioner_id = p.id AND mp.deleted = 0 AND m.deleted = 0) AS n,"
        " (SELECT max(m.received_on) FROM matter_petitioners mp JOIN matters m"
        "   ON m.id = mp.matter_id WHERE mp.petitioner_id = p.id AND mp.deleted = 0"
        "   AND m.deleted = 0) AS last_on"
        " FROM petitioners p LEFT JOIN stations s ON s.code = p.station_code AND s.deleted = 0"
        " WHERE p.deleted = 0 AND upper(trim(p.id_number)) IN ("
        "   SELECT upper(trim(id_number)) FROM petitioners WHERE deleted = 0"
        "   AND coalesce(trim(id_number), '') != '' GROUP BY upper(trim(id_number))"
        "   HAVING count(DISTINCT station_code) > 1)"
        " ORDER BY idn, p.station_code")
    grouped: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        grouped.setdefault(r["idn"], []).append(r)
    people = [SharedPetitioner(idn, [Appearance(r["station_code"], r["sname"], r["id"], r["name"],
                                                r["n"], r["last_on"]) for r in rs])
              for idn, rs in grouped.items()]
    return sorted(people, key=lambda p: (-len({a.station_code for a in p.appearances}),
                                         p.id_number))
