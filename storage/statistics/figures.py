"""Every figure of a period, computed as of the period's end (docs/domain.md §7.4).

Reproducible: what a figure counts is read from dated events (``occurred_on`` up to the
period's end) and from what was fixed at registration, never from a matter's current state —
printing October in December gives October's report unchanged. Each figure keeps the records
behind it (``members``) for the drill-down; each rate its numerator and denominator.

One pass: one query for the matters that can count (received by the end and, if older than
200 days, not concluded before the start), their progress as of the end (one row each,
``storage.matter_progress``: what their events up to the end add up to, latest rating included),
one for the period's repeat visits; the rest is counting in Python.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter
from typing import Any, TypeAlias

from storage import calendar_store, matter_progress, preferences
from storage.deadlines import DeadlineKind, compute_deadline
from storage.i18n import _
from storage.rates import Rate
from storage.register import Register
from storage.statistics import screening_reports
from storage.statistics.periods import Period

#: A matter older than this that was concluded before the period can count in nothing of it
#: (its acceptance and handling deadlines fall within ~130 days of receipt).
_HORIZON_DAYS = 200
DECISIONS = ("accept", "not_accept", "not_reaccept")
LEDGER = "ledger"  # matters.source of a matter brought in from the old 台账
DECISION_KEYS = {"accept": "accepted", "not_accept": "not_accepted",
                 "not_reaccept": "not_reaccepted"}


@dataclass
class Figures:
    """The figures of one period for a set of stations (one township, or several pooled)."""

    period: Period
    stations: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=dict)
    rates: dict[str, Rate] = field(default_factory=dict)
    by_form: dict[str, int] = field(default_factory=dict)  # 件次 per channel, repeat visits in
    by_category: dict[str, int] = field(default_factory=dict)
    by_village: dict[str, int] = field(default_factory=dict)
    replies: dict[str, int] = field(default_factory=dict)  # 支持 / 解释说明 / 不予支持
    ratings: dict[str, int] = field(default_factory=dict)  # latest rating of the rated matters
    mediation: dict[str, int] = field(default_factory=dict)
    #: figure key (or "form:来访", "category:民政", "<rate>.hit") -> record ids behind it
    members: dict[str, list[str]] = field(default_factory=dict)
    #: the earliest day this register holds a record of these stations (None: none at all)
    data_from: date | None = None

    def value(self, key: str) -> int | Rate:
        return self.rates[key] if key in self.rates else self.counts[key]

    def reconciles(self) -> bool:
        """上期末未办结 + 本期登记 = 本期办结 + 期末未办结."""
        c = self.counts
        return c["carried_in"] + c["new_matters"] == c["concluded"] + c["open_at_end"]


#: a row of matters or of their events, read by column name
Record: TypeAlias = "sqlite3.Row | dict[str, Any]"
def _records(reg: Register, sql: str, params: Sequence[Any]) -> list[sqlite3.Row]:
    """The rows of ``sql`` as ``sqlite3.Row``: read by name like ``Register.rows``' dicts but
    made in C — at a million matters ~125,000 rows, a tenth of a second less."""
    cur = reg.conn.cursor()
    cur.row_factory = sqlite3.Row
    return cur.execute(sql, params).fetchall()


def _in(stations: Sequence[str]) -> str:
    return ",".join("?" * len(stations))


class _Deadlines:
    """compute_deadline, remembered per start day as the ISO date the figures compare (the
    matters of a period share a few hundred start days: at a million matters a month reads
    ~60,000 matters and computes ~250 deadlines)."""

    def __init__(self, reg: Register) -> None:
        self.cal = calendar_store.calendar(reg)
        # kept on the register between computations (a report computes three periods, an
        # assessment two per township) while the holiday entries stay as they were
        version = tuple(reg.rows("SELECT count(*) AS n, max(entered_at) AS at, sum(is_workday)"
                                 " AS w FROM holidays")[0].values())
        kept = getattr(reg, "_statistics_due_memo", None)
        if kept is None or kept[0] != version:
            kept = (version, {})
            setattr(reg, "_statistics_due_memo", kept)  # noqa: B010 - a private cache
        self.memo: dict[tuple[DeadlineKind, str, int], str] = kept[1]

    def due(self, kind: DeadlineKind, start: str, extension: int = 0) -> str:
        """The deadline of ``kind`` from ``start`` (ISO dates both)."""
        key = (kind, start, extension)
        found = self.memo.get(key)
        if found is None:
            found = compute_deadline(kind, date.fromisoformat(start), self.cal,
                                     extension_days=min(extension, 30)).due.isoformat()
            self.memo[key] = found
        return found


def candidates(period: Period, stations: Sequence[str], columns: str = "m.id", *,
               join: str = "", join_params: Sequence[Any] = ()) -> tuple[str, list[Any]]:
    """A query of ``columns`` of the matters (``m``) that can count in ``period`` — received by
    its end and, if received more than ``_HORIZON_DAYS`` before its start, not concluded
    (replied or closed) before the start; ``join`` (with ``join_params``) joins more to each.

    Three index ranges, so that the cost follows the months around the period and not the size
    of the register: received within the horizon (``idx_matters_station_received_deleted``), and older
    ones still open or concluded since the start (``idx_matters_station_concluded``, m014) — a
    single ``received_on <= end`` range walked every matter ever received."""
    horizon = (period.first - timedelta(days=_HORIZON_DAYS)).isoformat()
    live = f"m.deleted = 0 AND m.station_code IN ({_in(stations)})"
    done = "coalesce(m.replied_on, m.closed_on)"
    part = f"SELECT {columns} FROM matters m{join} WHERE {live}"
    # "+received_on": not a range to walk by (the planner would take the received-date index
    # for "older than the horizon", i.e. most of the register)
    sql = (f"{part} AND m.received_on BETWEEN ? AND ?"
           f" UNION ALL {part} AND {done} IS NULL AND +m.received_on < ?"
           f" UNION ALL {part} AND {done} >= ? AND +m.received_on < ?")
    return sql, [*join_params, *stations, horizon, period.last.isoformat(),
                 *join_params, *stations, horizon,
                 *join_params, *stations, period.first.isoformat(), horizon]


def compute(reg: Register, period: Period, stations: Sequence[str] | None = None, *,
            with_screening: bool = True) -> Figures:
    """The figures of ``period`` for ``stations`` (default: this station) as of its end;
    ``with_screening=False`` leaves out 排查上报完整率 (it reads every month's sheet)."""
    stations = tuple(stations or (reg.station_code,))
    first, last = period.first.isoformat(), period.last.isoformat()
    out = Figures(period, stations)
    tally = _Tally(reg, period)
    # the candidates, each with its progress as of the end (one row each): never a walk of
    # every matter or every event; those that cannot count are left out in the query
    rows, params = candidates(
        period, stations, "m.id, m.received_on, m.form, m.visitors_count, m.is_collective,"
        " m.is_skip_level, m.category1, m.problem_village_id, m.repeat_kind, m.source, m.status,"
        f" m.closed_on, m.station_code, m.rowid AS n, {matter_progress.COLUMNS_READ}",
        join=matter_progress.AS_OF_JOIN, join_params=[last, last])
    skip, skip_params = _cannot_count(tally)
    matters = _records(reg, f"SELECT * FROM ({rows}) WHERE NOT {skip}", [*params, *skip_params])
    # in the order of the one range read before (ties in the breakdowns keep their order); an
    # ORDER BY would have the planner walk the received-date index for the older matters
    matters.sort(key=itemgetter("station_code", "received_on", "n"))
    # the period's repeat visits from their own index (m014), in the order they happened
    visits = reg.rows(
        "SELECT e.matter_id, e.data FROM matter_events e CROSS JOIN matters m"
        " ON m.id = e.matter_id"
        f" WHERE m.deleted = 0 AND m.station_code IN ({_in(stations)}) AND e.deleted = 0"
        " AND e.kind = 'repeat_visit' AND e.occurred_on BETWEEN ? AND ?"
        " ORDER BY e.occurred_on, e.rowid", [*stations, first, last])
    _count_matters(reg, out, tally, matters, visits)
    _count_mediation(reg, out)
    _count_backlog(reg, out)
    if with_screening:
        rate, missing = screening_reports.completeness(reg, period, stations)
        out.rates["screening_completeness"] = rate
        out.members["screening_completeness.missing"] = missing
    else:
        out.rates["screening_completeness"] = Rate(0, 0)
    out.data_from = _data_from(reg, stations)
    return out


def _earliest_start(deadlines: _Deadlines, kind: DeadlineKind, first: date,
                    extension: int) -> str:
    """The earliest start day whose deadline of ``kind`` falls on or after ``first``: a later
    start or a longer extension never brings a deadline forward, so every earlier start has its
    deadline before ``first``."""
    day = first
    limit = first - timedelta(days=2 * _HORIZON_DAYS)  # deadlines run ~130 days at most
    while day > limit and deadlines.due(kind, (day - timedelta(days=1)).isoformat(),
                                        extension) >= first.isoformat():
        day -= timedelta(days=1)
    return day.isoformat() if day > limit else date.min.isoformat()


def _data_from(reg: Register, stations: Sequence[str]) -> date | None:
    value = reg.scalar(f"SELECT min(received_on) FROM matters WHERE deleted = 0"
                       f" AND station_code IN ({_in(stations)})", list(stations))
    return date.fromisoformat(value) if value else None


class _Tally:
    """The counting of one period: record ids per figure and the breakdowns."""

    def __init__(self, reg: Register, period: Period) -> None:
        self.first, self.last = period.first.isoformat(), period.last.isoformat()
        self.deadlines = _Deadlines(reg)
        # the earliest receipt whose acceptance-notice deadline falls on or after the start
        self.notice_from = _earliest_start(self.deadlines, DeadlineKind.ACCEPTANCE_NOTICE,
                                           period.first, 0)
        # the earliest acceptance whose handling deadline, extended by at most 30 days, falls
        # on or after the start
        self.handling_from = _earliest_start(self.deadlines, DeadlineKind.HANDLING,
                                             period.first, 30)
        self.members: dict[str, list[str]] = {}
        self.by_form: Counter[str] = Counter()
        self.categories: Counter[str] = Counter()
        self.villages: Counter[str] = Counter()
        self.replies: Counter[str] = Counter()
        self.ratings: Counter[str] = Counter()
        self.persons = self.collective_persons = 0

    def add(self, key: str, matter_id: str) -> None:
        self.members.setdefault(key, []).append(matter_id)

    def item(self, matter_id: str, form: str, visitors: int) -> None:
        """One 件次 of the period in its channel: a registration or a repeat visit."""
        self.add("total", matter_id)
        self.by_form[form] += 1
        self.add(f"form:{form}", matter_id)
        if form == "来访":
            self.add("visit_batches", matter_id)
            self.persons += visitors

    def registered(self, m: Record) -> None:
        mid = m["id"]
        self.add("new_matters", mid)
        self.item(mid, m["form"], int(m["visitors_count"]))
        if m["is_collective"]:
            self.add("collective_batches", mid)
            self.collective_persons += int(m["visitors_count"])
        if m["is_skip_level"]:
            self.add("skip_level", mid)
        # as decided at registration: a later repeat visit never changes it
        self.add("first_petitions" if m["repeat_kind"] == "初件" else "repeat_petitions", mid)
        category = m["category1"] or _("未分类")
        self.categories[category] += 1
        self.add(f"category:{category}", mid)
        self.villages[m["problem_village_id"] or ""] += 1

    def decisions(self, mid: str, ev: Record) -> None:
        decided = ev["decided_on"]
        if not decided or not self.first <= decided <= self.last:
            return  # no decision in the period: none of the three counts it
        for key in DECISION_KEYS.values():
            if ev[f"{key}_on"] == decided:
                self.add(key, mid)

    def flow(self, m: Record, ev: Record) -> None:
        """办结 (a written reply, or not to (re)accept), what is open and overdue at the end,
        and the two deadline rates — all from events up to the end."""
        mid, received = m["id"], m["received_on"]
        first, last = self.first, self.last
        if m["source"] == LEDGER:
            self._historic(m)
            return
        concluded = ev["concluded_on"]
        if received < first and not (concluded and concluded < first):
            self.add("carried_in", mid)
        if concluded and first <= concluded <= last:
            self.add("concluded", mid)
        decided = ev["decided_on"]
        notice_due = self.deadlines.due(DeadlineKind.ACCEPTANCE_NOTICE, received)
        if first <= notice_due <= last:
            self.add("timely_acceptance", mid)
            if decided and decided <= notice_due:
                self.add("timely_acceptance.hit", mid)
        due = notice_due
        accepted = ev["accepted_on"]
        if accepted:
            # extensions up to the end: one after the deadline is refused (workflow.extend)
            due = self.deadlines.due(DeadlineKind.HANDLING, accepted,
                                     int(ev["extension"] or 0))
            if first <= due <= last:
                self.add("on_time_completion", mid)
                if ev["replied_on"] and ev["replied_on"] <= due:
                    self.add("on_time_completion.hit", mid)
        if concluded is None:
            self.add("open_at_end", mid)
            if due < last:
                self.add("overdue_at_end", mid)

    def _historic(self, m: Record) -> None:
        """A matter from the old 台账 (docs/domain.md §3.8): concluded on the ledger's 办结日期
        (it has no reply event), or still open if the ledger said so; it carries no statutory
        deadline, so it is in neither deadline rate nor ever overdue."""
        mid, received = m["id"], m["received_on"]
        concluded = m["closed_on"] if m["status"] == "closed" else None
        if concluded and concluded > self.last:
            concluded = None
        if received < self.first and not (concluded and concluded < self.first):
            self.add("carried_in", mid)
        if concluded and self.first <= concluded:
            self.add("concluded", mid)
        if concluded is None:
            self.add("open_at_end", mid)

    def rated(self, mid: str, ev: Record, rating: str | None) -> None:
        """参评率 and 满意率 over the same matters: answered in the period; rated = has a
        rating by the end, the latest of which is the one that counts."""
        replied = ev["replied_on"]
        if not (replied and self.first <= replied <= self.last):
            return
        self.replies[str(ev["result"] or "")] += 1
        self.add("rating_participation", mid)
        if rating:
            self.add("rating_participation.hit", mid)
            self.add("satisfaction", mid)
            self.ratings[rating] += 1
            if rating == "满意":
                self.add("satisfaction.hit", mid)


COUNTED = ("total", "new_matters", "repeat_visits", "visit_batches", "collective_batches",
           "skip_level", "first_petitions", "repeat_petitions", "accepted", "not_accepted",
           "not_reaccepted", "carried_in", "concluded", "open_at_end", "overdue_at_end")


def _cannot_count(t: _Tally) -> tuple[str, list[str]]:
    """An SQL condition over a candidate's row (its progress joined): it can count in no figure
    of the period — it is from the register itself (not the 台账), was received too early for
    its acceptance-notice deadline to reach the start, and its progress says it is settled
    (``matter_progress.settled``). Nearly half of the 200 days' matters at a million."""
    settled, params = matter_progress.settled(t.first, t.handling_from)
    return (f"(received_on < ? AND source IS NOT ? AND {settled})",
            [t.notice_from, LEDGER, *params])


def _count_matters(reg: Register, out: Figures, t: _Tally, matters: Sequence[Record],
                   visits: list[dict[str, Any]]) -> None:
    """``matters``: each candidate's row with its progress as of the end in the same row."""
    for m in matters:
        if t.first <= m["received_on"] <= t.last:
            t.registered(m)
        t.decisions(m["id"], m)
        t.flow(m, m)
        t.rated(m["id"], m, m["rating"])  # the latest by the end
    for v in visits:
        data = json.loads(v["data"] or "{}")
        t.add("repeat_visits", v["matter_id"])
        t.item(v["matter_id"], str(data.get("form") or "来访"),
               int(data.get("visitors_count") or 1))
    members = t.members
    out.counts.update({k: len(members.get(k, [])) for k in COUNTED})
    out.counts["visit_persons"] = t.persons
    out.counts["collective_persons"] = t.collective_persons
    members["visit_persons"] = members.get("visit_batches", [])
    members["collective_persons"] = members.get("collective_batches", [])
    for key in ("timely_acceptance", "on_time_completion", "rating_participation",
                "satisfaction"):
        out.rates[key] = Rate(len(members.get(f"{key}.hit", [])), len(members.get(key, [])))
    names = {r["id"]: r["name"] for r in reg.rows("SELECT id, name FROM villages")}
    out.by_form = dict(t.by_form.most_common())
    out.by_category = dict(t.categories.most_common())
    out.by_village = {names.get(k, k) or _("未填写"): n for k, n in t.villages.most_common()}
    out.replies = dict(t.replies)
    out.ratings = dict(t.ratings)
    out.members.update(members)


def _count_mediation(reg: Register, out: Figures) -> None:
    """调解成功率 over the same cases on both sides (docs/domain.md §7.3): of the cases
    concluded in the period (agreement, 调解不成 or 终止), those with an agreement."""
    first, last = out.period.first.isoformat(), out.period.last.isoformat()
    st = out.stations
    rows = reg.rows(
        "SELECT c.id, c.accepted_on, c.outcome_on, EXISTS (SELECT 1 FROM mediation_agreements a"
        " WHERE a.mediation_id = c.id AND a.deleted = 0 AND a.signed_on <= ?) AS agreed"
        f" FROM mediations c WHERE c.deleted = 0 AND c.station_code IN ({_in(st)})"
        " AND c.accepted_on <= ? AND (c.outcome_on IS NULL OR c.outcome_on >= ?)",
        [last, *st, last, first])
    concluded = [r for r in rows if r["outcome_on"] and first <= r["outcome_on"] <= last]
    succeeded = [r for r in concluded if r["agreed"]]
    accepted = [r for r in rows if first <= r["accepted_on"] <= last]
    ongoing = [r for r in rows if not r["outcome_on"] or r["outcome_on"] > last]
    out.rates["mediation_success"] = Rate(len(succeeded), len(concluded))
    out.members["mediation_success"] = [r["id"] for r in concluded]
    out.members["mediation_success.hit"] = [r["id"] for r in succeeded]
    out.members["mediation_accepted"] = [r["id"] for r in accepted]
    out.members["mediation_ongoing"] = [r["id"] for r in ongoing]
    out.mediation = {"accepted": len(accepted), "concluded": len(concluded),
                     "succeeded": len(succeeded), "ongoing_at_end": len(ongoing)}


def _count_backlog(reg: Register, out: Figures) -> None:
    """化解率 of 积案 (docs/domain.md §10.4): resolved in the period ÷ 积案总数 (listed by the
    end, neither resolved nor taken off the list before the start)."""
    first, last = out.period.first.isoformat(), out.period.last.isoformat()
    st = out.stations
    rows = reg.rows(
        f"SELECT id, resolved_on FROM backlog_cases WHERE deleted = 0 AND station_code IN"
        f" ({_in(st)}) AND listed_on <= ? AND (resolved_on IS NULL OR resolved_on >= ?)"
        " AND (excluded_on IS NULL OR excluded_on >= ?)", [*st, last, first, first])
    resolved = [r["id"] for r in rows if r["resolved_on"] and r["resolved_on"] <= last]
    out.rates["backlog_resolution"] = Rate(len(resolved), len(rows))
    out.members["backlog_resolution"] = [r["id"] for r in rows]
    out.members["backlog_resolution.hit"] = resolved


def threshold(reg: Register) -> int:
    """The 集体访 threshold the registrations were flagged with (for the printed note)."""
    return int(preferences.COLLECTIVE_THRESHOLD.read(reg))


def monthly_totals(reg: Register, year: int, stations: Sequence[str] | None = None
                   ) -> list[int]:
    """信访总量 of each month of ``year`` (12 numbers) for ``stations`` together."""
    out = [0] * 12
    for series in monthly_totals_by_station(reg, year, stations).values():
        out = [a + b for a, b in zip(out, series, strict=True)]
    return out


def monthly_totals_by_station(reg: Register, year: int, stations: Sequence[str] | None = None
                              ) -> dict[str, list[int]]:
    """信访总量 of each month of ``year`` per station (12 numbers each, every station listed):
    registrations + repeat visits, as ``compute`` counts them, in two grouped queries (the
    trend charts; the home page's townships compared)."""
    st = tuple(stations or (reg.station_code,))
    out = {code: [0] * 12 for code in st}
    span = [f"{year:04d}-01-01", f"{year:04d}-12-31"]
    # one count of an index range per station and month (m014's index holds all three
    # columns): grouping a year's rows by an expression of their day costs ten times more
    for code in st:
        for month in range(12):
            out[code][month] += reg.conn.execute(
                "SELECT count(*) FROM matters WHERE station_code = ? AND deleted = 0"
                " AND received_on BETWEEN ? AND ?",
                (code, f"{year:04d}-{month + 1:02d}-01", f"{year:04d}-{month + 1:02d}-31"),
            ).fetchone()[0]
    for code, month, n in reg.conn.execute(
            "SELECT m.station_code, CAST(substr(e.occurred_on, 6, 2) AS INTEGER), count(*)"
            " FROM matter_events e CROSS JOIN matters m ON m.id = e.matter_id"
            f" WHERE m.deleted = 0 AND e.deleted = 0 AND m.station_code IN ({_in(st)})"
            " AND e.kind = 'repeat_visit'"
            " AND e.occurred_on BETWEEN ? AND ? GROUP BY 1, 2", [*st, *span]):
        out[code][month - 1] += n
    return out


def pool(period: Period, parts: Sequence[Figures]) -> Figures:
    """Several stations' figures of one period as one (the county total): counts and
    breakdowns added, each rate's numerators over its denominators, the records joined —
    what ``compute`` gives for all of them at once, without reading the register again."""
    out = Figures(period, tuple(c for f in parts for c in f.stations))

    def add(into: dict[str, int], more: dict[str, int]) -> None:
        for k, n in more.items():
            into[k] = into.get(k, 0) + n

    for f in parts:
        add(out.counts, f.counts)
        for key, rate in f.rates.items():
            out.rates[key] = out.rates.get(key, Rate(0, 0)) + rate
        for mine, theirs in ((out.by_form, f.by_form), (out.by_category, f.by_category),
                             (out.by_village, f.by_village), (out.replies, f.replies),
                             (out.ratings, f.ratings), (out.mediation, f.mediation)):
            add(mine, theirs)
        for key, ids in f.members.items():
            out.members.setdefault(key, []).extend(ids)
        if f.data_from is not None and (out.data_from is None or f.data_from < out.data_from):
            out.data_from = f.data_from
    for name in ("by_form", "by_category", "by_village"):
        counts: dict[str, int] = getattr(out, name)
        setattr(out, name, dict(sorted(counts.items(), key=lambda kv: -kv[1])))
    return out
