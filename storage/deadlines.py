"""Every statutory time limit the station tracks, and the one place that counts them.

Limits (domain.md §1.2): 《信访工作条例》(2022) Art.22, 23, 34, 35, 36; people's mediation:
《人民调解工作若干规定》(2002) Art.33 and 《人民调解法》 Art.33.

Counting (domain.md §1.3, 《民法典》 Art.201 and 203):

* "N日" are calendar days. The start day is not counted, so the last day is ``start + N``.
* If that last day is not a working day — a Saturday or Sunday that is not a make-up working
  day (调休上班), or a statutory holiday — the period ends on the next working day.
* "N个工作日" counts only working days after the start day; the last day is the N-th of them.
* "一个月" is the same day of the next month (the month's last day when that day does not
  exist, e.g. 31 Jan -> 28 Feb), then moved off a rest day like any other limit.

An approved extension (HANDLING only, at most 30 days) lengthens the period, and days spent on
a hearing (REREVIEW_DECISION only) are not counted; both are added before the rest-day move.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum, StrEnum

from storage.errors import ValidationError
from storage.holidays import HolidayCalendar
from storage.i18n import N_, _, full_stop

#: A deadline this many calendar days away (or fewer) counts as "due this week".
DUE_SOON_DAYS = 7


class Unit(Enum):
    DAYS = "days"  # calendar days (日)
    WORKING_DAYS = "working_days"  # 工作日
    MONTHS = "months"  # 个月


class DeadlineKind(StrEnum):
    """The time limits; the values are stored in the register and must not change."""

    TRIAGE = "triage"
    ACCEPTANCE_NOTICE = "acceptance_notice"
    OBJECTION = "objection"
    HANDLING = "handling"
    REVIEW_REQUEST = "review_request"
    REVIEW_DECISION = "review_decision"
    REREVIEW_REQUEST = "rereview_request"
    REREVIEW_DECISION = "rereview_decision"
    MEDIATION_PERIOD = "mediation_period"
    JUDICIAL_CONFIRMATION = "judicial_confirmation"

    @property
    def rule(self) -> DeadlineRule:
        return RULES[self]

    @property
    def label(self) -> str:
        """Short translated name for lists and forms."""
        return _(RULES[self].label)


@dataclass(frozen=True)
class DeadlineRule:
    limit: int
    unit: Unit
    label: str  # N_() msgid
    basis: str  # N_() msgid citing the article
    max_extension: int = 0  # calendar days an approved extension may add
    excludes_hearing: bool = False  # hearing days are not counted (复核, Art.36)
    article: str = ""  # N_() msgid of the article alone, e.g. 《信访工作条例》第二十二条


RULES: dict[DeadlineKind, DeadlineRule] = {
    DeadlineKind.TRIAGE: DeadlineRule(
        15, Unit.DAYS, N_("登记转送交办"),
        N_("《信访工作条例》第二十二条：信访部门对信访事项应当自登记之日起15日内转送、交办"),
        article=N_("《信访工作条例》第二十二条")),
    DeadlineKind.ACCEPTANCE_NOTICE: DeadlineRule(
        15, Unit.DAYS, N_("书面告知受理"),
        N_("《信访工作条例》第二十三条：应当自收到信访事项之日起15日内书面告知信访人"),
        article=N_("《信访工作条例》第二十三条")),
    DeadlineKind.OBJECTION: DeadlineRule(
        5, Unit.WORKING_DAYS, N_("提出管辖异议"),
        N_("《信访工作条例》第二十三条第三款：不属于本机关职权范围的，应当自收到之日起5个工作日内提出异议"),
        article=N_("《信访工作条例》第二十三条第三款")),
    DeadlineKind.HANDLING: DeadlineRule(
        60, Unit.DAYS, N_("办理期限"),
        N_("《信访工作条例》第三十四条：应当自受理之日起60日内办结；情况复杂的，经批准可以适当延长办理期限，但延长期限不得超过30日"),
        max_extension=30,
        article=N_("《信访工作条例》第三十四条")),
    DeadlineKind.REVIEW_REQUEST: DeadlineRule(
        30, Unit.DAYS, N_("申请复查"),
        N_("《信访工作条例》第三十五条：信访人可以自收到书面答复之日起30日内请求上一级机关复查"),
        article=N_("《信访工作条例》第三十五条")),
    DeadlineKind.REVIEW_DECISION: DeadlineRule(
        30, Unit.DAYS, N_("复查意见"),
        N_("《信访工作条例》第三十五条：复查机关应当自收到复查请求之日起30日内提出复查意见"),
        article=N_("《信访工作条例》第三十五条")),
    DeadlineKind.REREVIEW_REQUEST: DeadlineRule(
        30, Unit.DAYS, N_("申请复核"),
        N_("《信访工作条例》第三十六条：信访人可以自收到书面复查意见之日起30日内请求上一级机关复核"),
        article=N_("《信访工作条例》第三十六条")),
    DeadlineKind.REREVIEW_DECISION: DeadlineRule(
        30, Unit.DAYS, N_("复核意见"),
        N_("《信访工作条例》第三十六条：复核机关应当自收到复核请求之日起30日内提出复核意见，听证所需时间不计算在内"),
        excludes_hearing=True,
        article=N_("《信访工作条例》第三十六条")),
    DeadlineKind.MEDIATION_PERIOD: DeadlineRule(
        1, Unit.MONTHS, N_("调解期限"),
        N_("《人民调解工作若干规定》第三十三条：人民调解委员会调解纠纷，一般在一个月内调结"),
        article=N_("《人民调解工作若干规定》第三十三条")),
    DeadlineKind.JUDICIAL_CONFIRMATION: DeadlineRule(
        30, Unit.DAYS, N_("申请司法确认"),
        N_("《人民调解法》第三十三条：双方当事人可以自调解协议生效之日起30日内共同申请司法确认"),
        article=N_("《人民调解法》第三十三条")),
}


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    start: date
    due: date  # the last day on which the step is still on time
    nominal_due: date  # the last day before it was moved off a rest day
    moved: bool
    #: True if a day that decided the result lies in a year for which no holiday notice is
    #: known (neither the library nor a manual entry): only weekends were treated as rest.
    used_fallback: bool
    basis: str  # translated, cites the article and says how the date was reached
    extension_days: int = 0
    excluded_days: int = 0

    def days_left(self, today: date) -> int:
        return days_left(self.due, today)

    def urgency(self, today: date) -> Urgency:
        return urgency(self.due, today)


class Urgency(StrEnum):
    OVERDUE = "overdue"  # today is after the due day
    DUE_SOON = "due_soon"  # due today or within DUE_SOON_DAYS calendar days
    OK = "ok"


def days_left(due: date, today: date) -> int:
    """Calendar days from ``today`` to ``due``: 0 on the due day, negative once overdue."""
    return (due - today).days


def urgency(due: date, today: date) -> Urgency:
    left = days_left(due, today)
    if left < 0:
        return Urgency.OVERDUE
    if left <= DUE_SOON_DAYS:
        return Urgency.DUE_SOON
    return Urgency.OK


def _cn_date(day: date) -> str:
    return _("{y}年{m}月{d}日").format(y=day.year, m=day.month, d=day.day)


def add_one_month(day: date) -> date:
    """Same day next month, or that month's last day when the day does not exist."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    last = _calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def add_working_days(start: date, count: int, cal: HolidayCalendar) -> date:
    """The ``n``-th working day after ``start`` (the start day itself is never counted)."""
    day = start
    counted = 0
    while counted < count:
        day += timedelta(days=1)
        if cal.is_workday(day):
            counted += 1
    return day


def _check_adjustments(rule: DeadlineRule, extension_days: int, excluded_days: int) -> None:
    if extension_days < 0:
        raise ValidationError(_("延长的天数不能是负数。"), field="extension_days")
    if extension_days and not rule.max_extension:
        raise ValidationError(
            _("“{label}”的期限是法定的，不能延长。").format(label=_(rule.label)),
            field="extension_days")
    if extension_days > rule.max_extension:
        raise ValidationError(
            _("“{label}”最多只能延长{max}日，现在填的是{n}日。").format(
                label=_(rule.label), max=rule.max_extension, n=extension_days),
            field="extension_days")
    if excluded_days < 0:
        raise ValidationError(_("听证用去的天数不能是负数。"), field="excluded_days")
    if excluded_days and not rule.excludes_hearing:
        raise ValidationError(
            _("只有复核意见的期限可以扣除听证时间，“{label}”不能扣除。").format(
                label=_(rule.label)),
            field="excluded_days")


def compute_deadline(kind: DeadlineKind | str, start: date, calendar: HolidayCalendar, *,
                     extension_days: int = 0, excluded_days: int = 0) -> Deadline:
    """The last day for ``kind`` when the period starts on ``start`` (a day not itself counted).

    Raises ``ValidationError`` for an extension the rule does not allow (any extension except
    on HANDLING, or more than 30 days there) and for hearing days on any kind but
    REREVIEW_DECISION.
    """
    kind = DeadlineKind(kind)
    rule = RULES[kind]
    _check_adjustments(rule, extension_days, excluded_days)

    if rule.unit is Unit.WORKING_DAYS:
        nominal = add_working_days(start, rule.limit, calendar)
        consulted_from = start + timedelta(days=1)
    else:
        if rule.unit is Unit.MONTHS:
            nominal = start
            for _i in range(rule.limit):
                nominal = add_one_month(nominal)
        else:
            nominal = start + timedelta(days=rule.limit)
        nominal += timedelta(days=extension_days + excluded_days)
        consulted_from = nominal
    due = calendar.next_workday_on_or_after(nominal)

    guessed = calendar.years_needing_entry(consulted_from, due)
    parts = [_(rule.basis)]
    if extension_days:
        parts.append(_("经批准延长{n}日").format(n=extension_days))
    if excluded_days:
        parts.append(_("听证所用{n}日不计入").format(n=excluded_days))
    if due != nominal:
        parts.append(_("期限最后一日{nominal}是休息日，依《民法典》第二百零三条顺延至{due}").format(
            nominal=_cn_date(nominal), due=_cn_date(due)))
    if guessed:
        parts.append(_("{years}年的节假日安排尚未录入，暂只按周六、周日休息推算").format(
            years=_("、").join(str(y) for y in guessed)))
    return Deadline(
        kind=kind, start=start, due=due, nominal_due=nominal, moved=due != nominal,
        used_fallback=bool(guessed), basis=full_stop(_("；").join(parts)),
        extension_days=extension_days, excluded_days=excluded_days)
