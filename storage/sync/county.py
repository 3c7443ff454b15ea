"""What the county sees across townships: each station's bundle history (gaps in the sequence,
months with no bundle, months that came late), record counts per station, the station filter for
lists, a read-only view of one township (its screening matrix, ledger and monthly sheet through
the station's own functions) with a per-township screening summary of a month, and petitioners
who appear in more than one township (same citizen ID number)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from storage import preferences, schema, screening
from storage.clock import today
from storage.errors import NotFound, PermissionDenied
from storage.i18n import _
from storage.register import Register
from storage.sync import keys

DUE_DAY_SETTING = preferences.BUNDLE_DUE_DAY.key


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
    day = preferences.BUNDLE_DUE_DAY.read(reg)
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


def short_names(reg: Register) -> dict[str, str]:
    """area code -> short name (简称, else the name) of every station held here, for the 乡镇
    column of the county's lists."""
    return {r["code"]: r["short_name"] or r["name"] for r in reg.rows(
        "SELECT code, name, short_name FROM stations WHERE deleted = 0")}


# ----- one township, read through the township's own functions -------------------------------
#: Screening settings a township keeps locally (settings never travel in a bundle); the view
#: reads them off the township's own reports instead.
_SCREENING_SETTINGS = (screening.SETTING_CADENCE, screening.SETTING_GRACE,
                       screening.SETTING_START)


class TownshipView(Register):
    """One township's records inside the county register, for the read functions a station uses
    on itself (screening matrix, reminders, dispute ledger, monthly sheet, villages…): the same
    connection, clock and reviewer, but ``station_code`` is the township's — and every write is
    refused, whoever is signed in.

    Settings are the county's, except the township's screening cadence and grace days, which
    are read off its latest report (a report stores its cadence and due date), and its tracking
    start, which falls back to the day the township was set up."""

    def __init__(self, reg: Register, code: str) -> None:
        self.county = reg
        super().__init__(reg.conn, reg.path, reg.clock)
        self.actor = reg.actor
        self.code = code
        self._screening: dict[str, Any] | None = None

    # Always the county register's own connection, read when used: a window keeps its views
    # while the register is compacted and opened anew (storage/compact.py, Register.adopt).
    @property
    def conn(self) -> sqlite3.Connection:
        return self.county.conn

    @conn.setter
    def conn(self, _value: sqlite3.Connection) -> None:
        pass

    @property
    def db(self) -> Database:
        return self.county.db

    @db.setter
    def db(self, _value: Database) -> None:
        pass

    def setting(self, key: str, default: Any = None) -> Any:
        if key == "station_code":
            return self.code
        if key == "mode":
            return "county"
        if key in _SCREENING_SETTINGS:
            return self._screening_settings().get(key, default)
        return self.county.setting(key, default)

    def _screening_settings(self) -> dict[str, Any]:
        if self._screening is None:
            self._screening = {}
            rows = self.rows(
                "SELECT cadence, period_end, due_on FROM screening_reports"
                " WHERE station_code = ? AND deleted = 0"
                " ORDER BY period_start DESC, reported_at DESC LIMIT 1", (self.code,))
            if rows:
                r = rows[0]
                self._screening[screening.SETTING_CADENCE] = r["cadence"]
                self._screening[screening.SETTING_GRACE] = max(0, (
                    date.fromisoformat(r["due_on"]) - date.fromisoformat(r["period_end"])).days)
        return self._screening

    def _refuse(self) -> PermissionDenied:
        return PermissionDenied(_("县级汇总库中的乡镇数据只能查看，不能修改。"))

    @contextmanager
    def transaction(self) -> Iterator[Register]:
        self.require_writable()  # always refuses
        yield self

    def require_writable(self) -> None:
        raise self._refuse()

    def set_setting(self, key: str, value: Any) -> None:  # noqa: ARG002 - refused whatever
        raise self._refuse()

    def _assert_in_transaction(self) -> None:
        raise self._refuse()

    def close(self) -> None:
        """The connection is the county register's: it stays open."""


def township_view(reg: Register, code: str) -> TownshipView:
    """A read-only view of township ``code`` (one of ``station_choices``) at the county."""
    if reg.mode != "county":
        raise PermissionDenied(_("只有县级汇总库可以查看各乡镇的数据。"))
    if not any(c == code for c, _name in station_choices(reg)):
        raise NotFound(_("没有该乡镇（{code}）的数据。").format(code=code))
    return TownshipView(reg, code)


@dataclass(frozen=True)
class ScreeningSummary:
    """One township's screening in one month (the figures of its monthly sheet)."""

    station_code: str
    name: str
    grids: int
    expected: int  # grid × period reports that were due
    reported: int  # reports with disputes
    zero: int  # zero reports
    late: int
    missing: int
    due: int  # not in yet, not late yet
    disputes: int  # on the month's sheet (new and carried over)
    new: int
    active: int  # 未化解 + 化解中
    resolved: int  # resolved in the month
    overdue: int
    locked: bool  # the township issued the month's sheet


def screening_summary(reg: Register, year: int, month: int) -> list[ScreeningSummary]:
    """Per township: grids, reports received, zero reports, disputes open and resolved in
    ``year``-``month`` — each computed by the township's own sheet rules."""
    from storage.screening import monthly_sheet

    out = []
    for code, name in station_choices(reg):
        sheet = monthly_sheet(township_view(reg, code), year, month)
        r, t = sheet.reports, sheet.totals
        out.append(ScreeningSummary(code, name, len(sheet.grids), r.expected, r.reported,
                                    r.zero, r.late, r.missing, r.due, t.total, t.new, t.active,
                                    t.resolved_in_month, t.overdue, sheet.locked))
    return out


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
        " WHERE p.deleted = 0 AND coalesce(p.merged_into, '') = ''"
        " AND upper(trim(p.id_number)) IN ("
        "   SELECT upper(trim(id_number)) FROM petitioners WHERE deleted = 0"
        "   AND coalesce(merged_into, '') = ''"
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
