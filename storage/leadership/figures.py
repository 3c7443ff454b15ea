"""The month's figures of how the work is led (docs/domain.md §10.4): 包案, 积案 (积案总数, 新增,
化解, 化解率), 交办/督办 and leaders' reception. Counted as of the month's end from dated records,
so a month printed later gives the same figures. They join the monthly report beside the
petition statistics (``month_figures``, ``figure_rows``); a township's figures at the county
come from the same function on the county's view of that township."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from storage.errors import ValidationError
from storage.i18n import _
from storage.leadership.supervision import assignments
from storage.rates import Rate
from storage.register import Register


@dataclass(frozen=True)
class LeadershipFigures:
    month: str
    # 包案
    holdings_at_end: int  # held by a leader at the month's end
    holdings_new: int
    holdings_resolved: int
    holdings_resolved_on_time: int  # 如期办结: resolved by the target date
    holdings_overdue_at_end: int
    # 积案
    backlog_total: int  # 积案总数: carried into the month plus listed in it
    backlog_new: int
    backlog_resolved: int
    backlog_rate: Rate  # 化解 ÷ 积案总数 of the month
    backlog_open_at_end: int
    backlog_year_rate: Rate  # 化解 this year to the month's end ÷ the year's 积案 so far
    # 交办/督办 (received at a township, issued at the county)
    assignments_new: int
    assignments_answered: int
    assignments_answered_on_time: int
    assignments_pending_at_end: int
    assignments_overdue_at_end: int
    assignments_on_time_rate: Rate  # of those due in the month, answered by their deadline
    # 领导接访
    reception_days: int  # 接访 天次 held
    reception_batches: int
    reception_persons: int
    visits_down: int  # 下访 held
    appointments_held: int  # 约访 人次 received


def _bounds(month: str) -> tuple[date, date]:
    try:
        year, mon = (int(x) for x in month.split("-"))
        first = date(year, mon, 1)
    except ValueError:
        raise ValidationError(_("月份格式应为 YYYY-MM，例如 2026-03。"), "month") from None
    return first, date(year + mon // 12, mon % 12 + 1, 1) - timedelta(days=1)


def _count(reg: Register, sql: str, *params: object) -> int:
    return int(reg.scalar(sql, (reg.station_code, *params)) or 0)


def _backlog_total(reg: Register, start: date, end: date) -> int:
    """Listed by ``end`` and neither resolved nor taken off the list before ``start``."""
    return _count(reg, "SELECT count(*) FROM backlog_cases WHERE deleted = 0 AND station_code = ?"
                       " AND listed_on <= ? AND (resolved_on IS NULL OR resolved_on >= ?)"
                       " AND (excluded_on IS NULL OR excluded_on >= ?)",
                  end.isoformat(), start.isoformat(), start.isoformat())


def month_figures(reg: Register, month: str) -> LeadershipFigures:
    first, last = _bounds(month)
    span = (first.isoformat(), last.isoformat())
    end = last.isoformat()
    holdings = "SELECT count(*) FROM case_holdings WHERE deleted = 0 AND station_code = ?"
    resolved = holdings + " AND status = 'resolved' AND closed_on BETWEEN ? AND ?"
    backlog = "SELECT count(*) FROM backlog_cases WHERE deleted = 0 AND station_code = ?"
    total = _backlog_total(reg, first, last)
    backlog_resolved = _count(reg, backlog + " AND resolved_on BETWEEN ? AND ?", *span)
    year_start = date(first.year, 1, 1)
    year_resolved = _count(reg, backlog + " AND resolved_on BETWEEN ? AND ?",
                           year_start.isoformat(), end)
    received = [a for a in assignments(reg, on=last, issued_until=last) if not a.withdrawn]
    answered = [a for a in received if a.final is not None and first <= a.final.replied_on <= last]
    due = [a for a in received if first <= a.deadline <= last]
    open_at_end = [a for a in received if a.final is None or a.final.replied_on > last]
    receptions = "SELECT {what} FROM receptions WHERE deleted = 0 AND station_code = ?" \
                 " AND status = 'held' AND kind = ? AND day BETWEEN ? AND ?"
    held = reg.rows(receptions.format(what="count(DISTINCT day) AS days, coalesce(sum(batches),"
                                           " 0) AS batches, coalesce(sum(persons), 0) AS persons"),
                    (reg.station_code, "接访", *span))[0]
    return LeadershipFigures(
        month=month,
        holdings_at_end=_count(reg, holdings + " AND held_from <= ? AND (closed_on IS NULL"
                                               " OR closed_on > ?)", end, end),
        holdings_new=_count(reg, holdings + " AND held_from BETWEEN ? AND ?", *span),
        holdings_resolved=_count(reg, resolved, *span),
        holdings_resolved_on_time=_count(reg, resolved + " AND closed_on <= target_date", *span),
        holdings_overdue_at_end=_count(reg, holdings + " AND held_from <= ? AND (closed_on IS"
                                                       " NULL OR closed_on > ?) AND target_date < ?",
                                       end, end, end),
        backlog_total=total,
        backlog_new=_count(reg, backlog + " AND listed_on BETWEEN ? AND ?", *span),
        backlog_resolved=backlog_resolved,
        backlog_rate=Rate(backlog_resolved, total),
        backlog_open_at_end=_backlog_total(reg, last + timedelta(days=1), last),
        backlog_year_rate=Rate(year_resolved, _backlog_total(reg, year_start, last)),
        assignments_new=sum(1 for a in received if first <= a.issued_on <= last),
        assignments_answered=len(answered),
        assignments_answered_on_time=sum(1 for a in answered if a.on_time),
        assignments_pending_at_end=sum(1 for a in open_at_end if a.deadline >= last),
        assignments_overdue_at_end=sum(1 for a in open_at_end if a.deadline < last),
        assignments_on_time_rate=Rate(
            sum(1 for a in due if a.final is not None and a.final.replied_on <= a.deadline
                and a.final.replied_on <= last), len(due)),
        reception_days=int(held["days"]), reception_batches=int(held["batches"]),
        reception_persons=int(held["persons"]),
        visits_down=_count(reg, receptions.format(what="count(*)"), "下访", *span),
        appointments_held=_count(reg, "SELECT count(*) FROM appointments WHERE deleted = 0"
                                      " AND station_code = ? AND status = 'held'"
                                      " AND day BETWEEN ? AND ?", *span))


def _pct(rate: Rate) -> str:
    return rate.text()


def figure_rows(figures: LeadershipFigures, *, county: bool = False) -> list[tuple[str, str, str]]:
    """The figures as (section, item, value) rows: the reports page and the printed report."""
    f = figures
    holding, backlog = _("领导包案"), _("积案化解")
    supervision = _("交办督办")
    reception = _("领导接访")
    got = _("本月交办/督办") if county else _("本月收到交办/督办")
    return [
        (holding, _("月末包案"), _("{n}件（逾期{m}件）").format(n=f.holdings_at_end,
                                                         m=f.holdings_overdue_at_end)),
        (holding, _("本月新包案／化解"), _("{a}件／{b}件（如期{c}件）").format(
            a=f.holdings_new, b=f.holdings_resolved, c=f.holdings_resolved_on_time)),
        (backlog, _("积案总数"), _("{n}件（本月新增{m}件）").format(n=f.backlog_total,
                                                          m=f.backlog_new)),
        (backlog, _("本月化解"), _("{n}件").format(n=f.backlog_resolved)),
        (backlog, _("本月化解率"), _pct(f.backlog_rate)),
        (backlog, _("本年累计化解率"), _pct(f.backlog_year_rate)),
        (backlog, _("月末未化解"), _("{n}件").format(n=f.backlog_open_at_end)),
        (supervision, got, _("{n}件").format(n=f.assignments_new)),
        (supervision, _("本月反馈办结"), _("{n}件（如期{m}件）").format(
            n=f.assignments_answered, m=f.assignments_answered_on_time)),
        (supervision, _("月末办理中／已逾期"), _("{a}件／{b}件").format(
            a=f.assignments_pending_at_end, b=f.assignments_overdue_at_end)),
        (supervision, _("交办件如期办结率"), _pct(f.assignments_on_time_rate)),
        (reception, _("领导接访"), _("{d}天次，{b}批{p}人次").format(
            d=f.reception_days, b=f.reception_batches, p=f.reception_persons)),
        (reception, _("领导下访／约访"), _("{v}次／{a}人次").format(v=f.visits_down,
                                                              a=f.appointments_held)),
    ]
