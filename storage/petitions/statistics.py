"""Monthly petition statistics for the county (docs/domain.md §7): volumes by channel in 件/批/人次,
collective and skip-level visits, first and repeat petitions, content fields, and the rates
the county assesses (及时受理率, 按期办结率, 参评率, 满意率).

Rates follow the definitions of docs/domain.md §7.3 (a synthesis; no official formula text exists):
- 及时受理率: of the matters whose acceptance-notice deadline fell in the month, those decided
  (受理 / 不予受理 / 不再受理) on or before that deadline.
- 按期办结率: of the matters whose handling deadline (60 days + approved extension) fell in the
  month, those answered (答复) on or before it.
- 参评率: of the matters answered in the month, those rated; 满意率: of the ratings given in the
  month, those 满意 (the denominator is rated matters, as 参评群众满意率 says).
Each rate keeps its numerator and denominator so that the printed report can show both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from storage import calendar_store
from storage.deadlines import DeadlineKind, compute_deadline
from storage.errors import ValidationError
from storage.i18n import _
from storage.register import Register

DECISIONS = ("accept", "not_accept", "not_reaccept")


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return None if self.denominator == 0 else 100.0 * self.numerator / self.denominator

    def text(self) -> str:
        p = self.percent
        return "—" if p is None else _("{p}（{n}/{d}）").format(
            p=f"{p:.1f}%", n=self.numerator, d=self.denominator)


@dataclass
class MonthlyStatistics:
    month: str
    station_code: str
    total_items: int  # 信访总量（件）: matters registered plus repeat visits in the month
    new_matters: int
    repeat_visits: int  # 重复访 attached to open matters
    by_form: dict[str, int]  # 件 per channel (来访/来信/来电/网信/代办)
    visit_batches: int  # 来访 批次
    visit_persons: int  # 来访 人次
    collective_batches: int
    collective_persons: int
    skip_level: int
    first_petitions: int  # 初件
    repeat_petitions: int  # 重件
    by_category: dict[str, int]
    by_village: dict[str, int]
    decided: dict[str, int]  # 受理 / 不予受理 / 不再受理 in the month
    replies: dict[str, int]  # 支持 / 解释说明 / 不予支持
    closed: int
    open_at_end: int
    overdue_at_end: int
    timely_acceptance: Rate
    on_time_completion: Rate
    rating_participation: Rate
    satisfaction: Rate
    ratings: dict[str, int]
    mediation: Any = None  # storage.mediation.stats.MonthStats when that module is present
    screening: dict[str, Any] = field(default_factory=dict)


def month_bounds(month: str) -> tuple[date, date]:
    try:
        year, mon = (int(x) for x in month.split("-"))
        first = date(year, mon, 1)
    except ValueError:
        raise ValidationError(_("月份格式应为 YYYY-MM，例如 2026-03。"), "month") from None
    last = date(year + mon // 12, mon % 12 + 1, 1).toordinal() - 1
    return first, date.fromordinal(last)


def _count_by(reg: Register, sql: str, params: list[Any]) -> dict[str, int]:
    return {str(r[0] or _("未分类")): int(r[1]) for r in reg.conn.execute(sql, params)}


def _events(reg: Register, kinds: tuple[str, ...], first: date, last: date,
            where: str, params: list[Any]) -> list[dict[str, Any]]:
    marks = ",".join("?" * len(kinds))
    return reg.rows(
        f"SELECT e.matter_id, e.kind, e.occurred_on, e.data FROM matter_events e"
        f" JOIN matters m ON m.id = e.matter_id WHERE e.deleted = 0 AND m.deleted = 0"
        f" AND e.kind IN ({marks}) AND e.occurred_on BETWEEN ? AND ? {where}",
        [*kinds, first.isoformat(), last.isoformat(), *params])


def _first_event(reg: Register, matter_id: str, kinds: tuple[str, ...]) -> str | None:
    marks = ",".join("?" * len(kinds))
    value = reg.scalar(f"SELECT min(occurred_on) FROM matter_events WHERE matter_id = ?"
                       f" AND deleted = 0 AND kind IN ({marks})", [matter_id, *kinds])
    return None if value is None else str(value)


def _timely_acceptance(reg: Register, first: date, last: date, where: str,
                       params: list[Any]) -> Rate:
    cal = calendar_store.calendar(reg)
    due_in_month = timely = 0
    # Deadlines fall at most ~20 days after receipt: look at matters received from 40 days before.
    start = date.fromordinal(first.toordinal() - 40).isoformat()
    for r in reg.rows(f"SELECT id, received_on FROM matters m WHERE m.deleted = 0"
                      f" AND m.received_on BETWEEN ? AND ? {where}",
                      [start, last.isoformat(), *params]):
        due = compute_deadline(DeadlineKind.ACCEPTANCE_NOTICE,
                               date.fromisoformat(r["received_on"]), cal).due
        if not first <= due <= last:
            continue
        due_in_month += 1
        decided = _first_event(reg, r["id"], DECISIONS)
        timely += int(decided is not None and decided <= due.isoformat())
    return Rate(timely, due_in_month)


def _on_time_completion(reg: Register, first: date, last: date, where: str,
                        params: list[Any]) -> Rate:
    cal = calendar_store.calendar(reg)
    due_in_month = on_time = 0
    start = date.fromordinal(first.toordinal() - 130).isoformat()
    for r in reg.rows(f"SELECT id, accepted_on, extension_days, replied_on FROM matters m"
                      f" WHERE m.deleted = 0 AND m.accepted_on BETWEEN ? AND ? {where}",
                      [start, last.isoformat(), *params]):
        due = compute_deadline(DeadlineKind.HANDLING, date.fromisoformat(r["accepted_on"]), cal,
                               extension_days=r["extension_days"]).due
        if not first <= due <= last:
            continue
        due_in_month += 1
        replied = _first_event(reg, r["id"], ("reply",))
        on_time += int(replied is not None and replied <= due.isoformat())
    return Rate(on_time, due_in_month)


def monthly(reg: Register, month: str, *, station_code: str | None = None) -> MonthlyStatistics:
    """Statistics of one month; at the county ``station_code`` selects one township."""
    first, last = month_bounds(month)
    code = station_code or reg.station_code
    where, params = " AND m.station_code = ?", [code]
    span = [first.isoformat(), last.isoformat()]
    base = f"FROM matters m WHERE m.deleted = 0 AND m.received_on BETWEEN ? AND ? {where}"
    q = [*span, *params]
    new = int(reg.scalar(f"SELECT count(*) {base}", q))
    repeats = len(_events(reg, ("repeat_visit",), first, last, where, params))
    by_form = _count_by(reg, f"SELECT m.form, count(*) {base} GROUP BY m.form", q)
    visits = reg.rows(f"SELECT count(*) AS n, coalesce(sum(visitors_count), 0) AS p {base}"
                      f" AND m.form = '来访'", q)[0]
    collective = reg.rows(f"SELECT count(*) AS n, coalesce(sum(visitors_count), 0) AS p {base}"
                          f" AND m.is_collective = 1", q)[0]
    villages = {r["id"]: r["name"] for r in reg.rows("SELECT id, name FROM villages")}
    by_village = {villages.get(k, k): v for k, v in _count_by(
        reg, f"SELECT m.problem_village_id, count(*) {base} GROUP BY 1", q).items()}
    decided_rows = _events(reg, DECISIONS, first, last, where, params)
    labels = {"accept": _("受理"), "not_accept": _("不予受理"), "not_reaccept": _("不再受理")}
    decided = {labels[k]: sum(1 for e in decided_rows if e["kind"] == k) for k in DECISIONS}
    # m.deleted = 0: a voided matter (a tombstone) is in no figure
    replies = _count_by(reg, "SELECT json_extract(e.data, '$.result'), count(*) FROM"
                             " matter_events e JOIN matters m ON m.id = e.matter_id"
                             " WHERE e.deleted = 0 AND m.deleted = 0 AND e.kind = 'reply'"
                             " AND e.occurred_on"
                             f" BETWEEN ? AND ? {where} GROUP BY 1", q)
    rated_rows = _events(reg, ("rate",), first, last, where, params)
    ratings = _count_by(reg, "SELECT json_extract(e.data, '$.rating'), count(*) FROM"
                             " matter_events e JOIN matters m ON m.id = e.matter_id"
                             " WHERE e.deleted = 0 AND m.deleted = 0 AND e.kind = 'rate'"
                             " AND e.occurred_on"
                             f" BETWEEN ? AND ? {where} GROUP BY 1", q)
    replied_ids = {e["matter_id"] for e in _events(reg, ("reply",), first, last, where, params)}
    rated_of_replied = int(reg.scalar(
        "SELECT count(DISTINCT matter_id) FROM matter_events WHERE kind = 'rate'"
        f" AND deleted = 0 AND matter_id IN ({','.join('?' * len(replied_ids))})",
        list(replied_ids))) if replied_ids else 0
    end = last.isoformat()
    open_at_end = int(reg.scalar(
        f"SELECT count(*) FROM matters m WHERE m.deleted = 0 AND m.received_on <= ? {where}"
        " AND (m.closed_on IS NULL OR m.closed_on > ?)", [end, *params, end]))
    overdue_at_end = int(reg.scalar(
        f"SELECT count(*) FROM matters m WHERE m.deleted = 0 AND m.due_date < ? {where}",
        [end, *params]))
    stats = MonthlyStatistics(
        month=month, station_code=code, total_items=new + repeats, new_matters=new,
        repeat_visits=repeats, by_form=by_form, visit_batches=int(visits["n"]),
        visit_persons=int(visits["p"]), collective_batches=int(collective["n"]),
        collective_persons=int(collective["p"]),
        skip_level=int(reg.scalar(f"SELECT count(*) {base} AND m.is_skip_level = 1", q)),
        first_petitions=int(reg.scalar(f"SELECT count(*) {base} AND m.repeat_kind = '初件'", q)),
        repeat_petitions=int(reg.scalar(f"SELECT count(*) {base} AND m.repeat_kind = '重件'",
                                        q)),
        by_category=_count_by(reg, f"SELECT m.category1, count(*) {base} GROUP BY 1"
                                   " ORDER BY 2 DESC", q),
        by_village=by_village, decided=decided, replies=replies,
        closed=int(reg.scalar(f"SELECT count(*) FROM matters m WHERE m.deleted = 0"
                              f" AND m.closed_on BETWEEN ? AND ? {where}", q)),
        open_at_end=open_at_end, overdue_at_end=overdue_at_end,
        timely_acceptance=_timely_acceptance(reg, first, last, where, params),
        on_time_completion=_on_time_completion(reg, first, last, where, params),
        rating_participation=Rate(rated_of_replied, len(replied_ids)),
        satisfaction=Rate(ratings.get("满意", 0), len(rated_rows)), ratings=ratings)
    try:
        from storage import mediation
    except ImportError:
        pass
    else:
        stats.mediation = mediation.month_stats(reg, month)
    return stats
