"""Deadlines against hand-checked dates.

Every holiday fact used below was looked up with chinese_calendar 1.11 before the expectation was
written (``chinese_calendar.is_workday`` / ``get_holiday_detail``):

* National Day 2025: rest Wed 2025-10-01 … Wed 2025-10-08; make-up workdays Sun 2025-09-28 and
  Sat 2025-10-11; Thu 2025-10-09 is a normal workday.
* Spring Festival 2026: rest Sun 2026-02-15 … Mon 2026-02-23; make-up workdays Sat 2026-02-14
  and Sat 2026-02-28; Tue 2026-02-24 is the first workday after it.
* Labour Day 2026: rest Fri 2026-05-01 … Tue 2026-05-05; Wed 2026-05-06 is a workday.
* The library covers 2004–2026 and raises NotImplementedError for 2027.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.deadlines import (
    DUE_SOON_DAYS,
    RULES,
    DeadlineKind,
    Unit,
    Urgency,
    add_one_month,
    add_working_days,
    compute_deadline,
    days_left,
    urgency,
)
from storage.errors import ValidationError
from storage.holidays import HolidayCalendar


@pytest.fixture
def cal() -> HolidayCalendar:
    return HolidayCalendar()


# -- the holiday facts the expectations rely on (guards against a changed library) ---------

def test_library_facts_used_by_these_tests() -> None:
    assert not any(chinese_calendar.is_workday(date(2025, 10, d)) for d in range(1, 9))
    assert chinese_calendar.is_workday(date(2025, 9, 28))  # Sunday, make-up workday
    assert chinese_calendar.is_workday(date(2025, 10, 11))  # Saturday, make-up workday
    assert not any(chinese_calendar.is_workday(date(2026, 2, d)) for d in range(15, 24))
    assert chinese_calendar.is_workday(date(2026, 2, 14))
    assert chinese_calendar.is_workday(date(2026, 2, 28))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 3, 1))


# -- HolidayCalendar ------------------------------------------------------------------------

def test_calendar_follows_library_for_known_years(cal: HolidayCalendar) -> None:
    assert cal.is_workday(date(2025, 10, 11)) is True  # make-up Saturday
    assert cal.is_workday(date(2025, 10, 8)) is False  # National Day, a Wednesday
    assert cal.is_workday(date(2026, 3, 2)) is True  # ordinary Monday
    assert cal.is_workday(date(2026, 3, 7)) is False  # ordinary Saturday
    assert cal.fallback_years == set()
    assert cal.knows_year(2026) and not cal.knows_year(2027)


def test_calendar_unknown_year_falls_back_to_weekends(cal: HolidayCalendar) -> None:
    # 2027-02-06 is lunar new year, but without a notice only weekends are rest days:
    # Mon 2027-02-08 counts as a workday, Sat 2027-02-13 as a rest day.
    assert cal.is_workday(date(2027, 2, 8)) is True
    assert cal.is_workday(date(2027, 2, 13)) is False
    assert cal.fallback_years == {2027}
    assert cal.years_needing_entry(date(2026, 12, 1), date(2028, 1, 5)) == [2027, 2028]
    assert cal.years_needing_entry(date(2028, 1, 5), date(2026, 12, 1)) == [2027, 2028]


def test_manual_entries_cover_a_year_and_override_the_library() -> None:
    cal = HolidayCalendar({
        date(2027, 2, 8): False,  # entered: Spring Festival rest day (a Monday)
        date(2027, 2, 20): True,  # entered: make-up Saturday
        date(2026, 3, 2): False,  # correction of a known year (hypothetical closure)
    })
    assert cal.is_workday(date(2027, 2, 8)) is False
    assert cal.is_workday(date(2027, 2, 20)) is True
    assert cal.is_workday(date(2027, 2, 9)) is True  # no entry: weekday rule
    assert cal.is_workday(date(2026, 3, 2)) is False  # manual beats library
    assert cal.knows_year(2027)
    assert cal.fallback_years == set()
    assert cal.years_needing_entry(date(2026, 1, 1), date(2027, 12, 31)) == []


def test_set_manual_invalidates_cache_and_fallback(cal: HolidayCalendar) -> None:
    monday = date(2027, 3, 1)
    assert cal.is_workday(monday) is True
    assert 2027 in cal.fallback_years
    cal.set_manual(monday, False)
    assert cal.is_workday(monday) is False
    assert cal.next_workday_on_or_after(monday) == date(2027, 3, 2)
    assert 2027 not in cal.fallback_years
    cal.remove_manual(monday)
    assert cal.is_workday(monday) is True
    assert not cal.knows_year(2027)


def test_next_workday_on_or_after(cal: HolidayCalendar) -> None:
    assert cal.next_workday_on_or_after(date(2025, 10, 1)) == date(2025, 10, 9)
    assert cal.next_workday_on_or_after(date(2025, 10, 11)) == date(2025, 10, 11)
    assert cal.next_workday_on_or_after(date(2026, 2, 15)) == date(2026, 2, 24)
    # Sat 2027-01-02 in an unknown year: weekend rule only -> Monday.
    assert cal.next_workday_on_or_after(date(2027, 1, 2)) == date(2027, 1, 4)


def test_calendar_accepts_datetime(cal: HolidayCalendar) -> None:
    from datetime import datetime
    assert cal.is_workday(datetime(2025, 10, 11, 9, 30)) is True


# -- counting rules -------------------------------------------------------------------------

def test_start_day_not_counted(cal: HolidayCalendar) -> None:
    # Mon 2026-03-02 + 15 days: Mar 3 is day 1 … Mar 17 is day 15; Tue 2026-03-17 is a workday.
    d = compute_deadline(DeadlineKind.TRIAGE, date(2026, 3, 2), cal)
    assert (d.nominal_due, d.due, d.moved, d.used_fallback) == (
        date(2026, 3, 17), date(2026, 3, 17), False, False)
    assert "第二十二条" in d.basis


def test_fifteen_days_landing_in_national_day_2025_moves_to_oct_9(cal: HolidayCalendar) -> None:
    # Mon 2025-09-22 + 15 = Tue 2025-10-07, inside the Oct 1–8 holiday; the next workday is
    # Thu 2025-10-09.
    d = compute_deadline(DeadlineKind.ACCEPTANCE_NOTICE, date(2025, 9, 22), cal)
    assert d.nominal_due == date(2025, 10, 7)
    assert d.due == date(2025, 10, 9)
    assert d.moved is True
    assert "2025年10月7日" in d.basis and "2025年10月9日" in d.basis


def test_last_day_on_make_up_saturday_stays(cal: HolidayCalendar) -> None:
    # Fri 2025-09-26 + 15 = Sat 2025-10-11, a make-up workday after National Day: no move.
    d = compute_deadline(DeadlineKind.TRIAGE, date(2025, 9, 26), cal)
    assert (d.due, d.moved) == (date(2025, 10, 11), False)
    # Sat 2025-09-13 + 15 = Sun 2025-09-28, a make-up workday before National Day: no move.
    d = compute_deadline(DeadlineKind.TRIAGE, date(2025, 9, 13), cal)
    assert (d.due, d.moved) == (date(2025, 9, 28), False)
    # Fri 2026-02-13 + 15 = Sat 2026-02-28, make-up workday after Spring Festival 2026.
    d = compute_deadline(DeadlineKind.TRIAGE, date(2026, 2, 13), cal)
    assert (d.due, d.moved) == (date(2026, 2, 28), False)


def test_sixty_days_across_spring_festival_2026(cal: HolidayCalendar) -> None:
    # Sat 2025-12-20 + 60: Dec 21–31 = 11 days, Jan = 31 (42), Feb 1–18 = 18 (60) -> Wed
    # 2026-02-18, inside the Feb 15–23 holiday -> Tue 2026-02-24.
    d = compute_deadline(DeadlineKind.HANDLING, date(2025, 12, 20), cal)
    assert (d.nominal_due, d.due, d.moved) == (date(2026, 2, 18), date(2026, 2, 24), True)
    # Fri 2026-01-02 + 60: Jan 3–31 = 29, Feb = 28 (57), Mar 1–3 = 3 (60) -> Tue 2026-03-03.
    # The whole festival lies inside the period but calendar days count it: no effect.
    d = compute_deadline(DeadlineKind.HANDLING, date(2026, 1, 2), cal)
    assert (d.due, d.moved) == (date(2026, 3, 3), False)


def test_objection_counts_five_working_days_across_national_day(cal: HolidayCalendar) -> None:
    # Start Mon 2025-09-29. Workdays after it: Tue 09-30 (1); Oct 1–8 holiday; Thu 10-09 (2),
    # Fri 10-10 (3), Sat 10-11 make-up (4); Sun 10-12 rest; Mon 10-13 (5).
    d = compute_deadline(DeadlineKind.OBJECTION, date(2025, 9, 29), cal)
    assert d.due == date(2025, 10, 13)
    assert d.moved is False and d.nominal_due == d.due
    assert "5个工作日" in d.basis


def test_objection_across_spring_festival_2026(cal: HolidayCalendar) -> None:
    # Start Thu 2026-02-12: Fri 02-13 (1), Sat 02-14 make-up (2), Feb 15–23 holiday,
    # Tue 02-24 (3), Wed 02-25 (4), Thu 02-26 (5).
    assert compute_deadline("objection", date(2026, 2, 12), cal).due == date(2026, 2, 26)


def test_working_days_start_on_a_holiday(cal: HolidayCalendar) -> None:
    # Received on Wed 2025-10-01 (holiday): Thu 10-09 (1), Fri 10-10 (2), Sat 10-11 (3),
    # Mon 10-13 (4), Tue 10-14 (5).
    assert add_working_days(date(2025, 10, 1), 5, cal) == date(2025, 10, 14)


def test_unknown_year_2027_uses_weekend_fallback(cal: HolidayCalendar) -> None:
    # Fri 2027-01-29 + 15 = Sat 2027-02-13. 2027 is unknown: weekends only -> Mon 2027-02-15.
    d = compute_deadline(DeadlineKind.TRIAGE, date(2027, 1, 29), cal)
    assert (d.nominal_due, d.due, d.moved) == (date(2027, 2, 13), date(2027, 2, 15), True)
    assert d.used_fallback is True
    assert cal.fallback_years == {2027}
    assert "2027年的节假日安排尚未录入" in d.basis


def test_2027_with_manual_entries_make_up_saturday() -> None:
    # The station head enters Sat 2027-02-13 as a make-up workday: same case as above stays.
    cal = HolidayCalendar({date(2027, 2, 13): True})
    d = compute_deadline(DeadlineKind.TRIAGE, date(2027, 1, 29), cal)
    assert (d.due, d.moved, d.used_fallback) == (date(2027, 2, 13), False, False)
    assert cal.fallback_years == set()


def test_2027_with_manual_entries_holidays() -> None:
    # Entered rest days Mon 02-15 and Tue 02-16: Sat 02-13 -> Sun 02-14 -> 15, 16 rest -> Wed
    # 2027-02-17.
    cal = HolidayCalendar({date(2027, 2, 15): False, date(2027, 2, 16): False})
    d = compute_deadline(DeadlineKind.TRIAGE, date(2027, 1, 29), cal)
    assert (d.due, d.moved, d.used_fallback) == (date(2027, 2, 17), True, False)


def test_fallback_only_when_the_deciding_days_are_unknown(cal: HolidayCalendar) -> None:
    # Wed 2026-12-16 + 15 = Thu 2026-12-31, a known workday: 2027 plays no part.
    d = compute_deadline(DeadlineKind.TRIAGE, date(2026, 12, 16), cal)
    assert (d.due, d.used_fallback) == (date(2026, 12, 31), False)
    # Sun 2026-12-20 + 15 = Mon 2027-01-04: the year is unknown, so this is a guess.
    d = compute_deadline(DeadlineKind.TRIAGE, date(2026, 12, 20), cal)
    assert (d.due, d.used_fallback) == (date(2027, 1, 4), True)


def test_handling_extension_up_to_thirty_days(cal: HolidayCalendar) -> None:
    # Mon 2026-03-02 + 60 + 30 = 90 days: Mar 3–31 = 29, Apr = 30 (59), May 1–31 = 31 (90)
    # -> Sun 2026-05-31, a rest day -> Mon 2026-06-01.
    d = compute_deadline(DeadlineKind.HANDLING, date(2026, 3, 2), cal, extension_days=30)
    assert (d.nominal_due, d.due, d.extension_days) == (
        date(2026, 5, 31), date(2026, 6, 1), 30)
    assert "延长30日" in d.basis
    with pytest.raises(ValidationError) as exc:
        compute_deadline(DeadlineKind.HANDLING, date(2026, 3, 2), cal, extension_days=31)
    assert exc.value.field == "extension_days"
    assert "30" in str(exc.value) and "31" in str(exc.value)
    with pytest.raises(ValidationError):
        compute_deadline(DeadlineKind.HANDLING, date(2026, 3, 2), cal, extension_days=-1)


@pytest.mark.parametrize("kind", [k for k in DeadlineKind if k is not DeadlineKind.HANDLING])
def test_other_kinds_refuse_extension(kind: DeadlineKind, cal: HolidayCalendar) -> None:
    with pytest.raises(ValidationError) as exc:
        compute_deadline(kind, date(2026, 3, 2), cal, extension_days=1)
    assert exc.value.field == "extension_days"


def test_rereview_decision_excludes_hearing_days(cal: HolidayCalendar) -> None:
    # Mon 2026-03-02 + 30 = Wed 2026-04-01; + 10 hearing days = Sat 2026-04-11 -> Mon 04-13.
    d = compute_deadline(DeadlineKind.REREVIEW_DECISION, date(2026, 3, 2), cal,
                         excluded_days=10)
    assert (d.nominal_due, d.due) == (date(2026, 4, 11), date(2026, 4, 13))
    assert compute_deadline(DeadlineKind.REREVIEW_DECISION, date(2026, 3, 2),
                            cal).due == date(2026, 4, 1)
    with pytest.raises(ValidationError):
        compute_deadline(DeadlineKind.REVIEW_DECISION, date(2026, 3, 2), cal, excluded_days=3)
    with pytest.raises(ValidationError):
        compute_deadline(DeadlineKind.REREVIEW_DECISION, date(2026, 3, 2), cal,
                         excluded_days=-3)


def test_review_windows(cal: HolidayCalendar) -> None:
    # Reply received Mon 2026-03-02 + 30 = Wed 2026-04-01 (workday) for each 30-day window.
    for kind in (DeadlineKind.REVIEW_REQUEST, DeadlineKind.REVIEW_DECISION,
                 DeadlineKind.REREVIEW_REQUEST):
        assert compute_deadline(kind, date(2026, 3, 2), cal).due == date(2026, 4, 1)


def test_judicial_confirmation_across_labour_day(cal: HolidayCalendar) -> None:
    # Agreement effective Wed 2026-04-01 + 30 = Fri 2026-05-01 (Labour Day, rest May 1–5)
    # -> Wed 2026-05-06.
    d = compute_deadline(DeadlineKind.JUDICIAL_CONFIRMATION, date(2026, 4, 1), cal)
    assert (d.nominal_due, d.due) == (date(2026, 5, 1), date(2026, 5, 6))
    assert "人民调解法" in d.basis


@pytest.mark.parametrize(("start", "nominal", "due"), [
    # Jan 31 -> Feb has no 31st -> Sat 2026-02-28, a make-up workday: stays.
    (date(2026, 1, 31), date(2026, 2, 28), date(2026, 2, 28)),
    # Jan 15 -> Sun 2026-02-15, Spring Festival -> Tue 2026-02-24.
    (date(2026, 1, 15), date(2026, 2, 15), date(2026, 2, 24)),
    # Dec 31 2025 -> Sat 2026-01-31 (ordinary rest day) -> Mon 2026-02-02.
    (date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 2)),
    # Leap year: Jan 31 2024 -> Thu 2024-02-29, a workday.
    (date(2024, 1, 31), date(2024, 2, 29), date(2024, 2, 29)),
])
def test_mediation_period_is_one_month(start: date, nominal: date, due: date,
                                       cal: HolidayCalendar) -> None:
    d = compute_deadline(DeadlineKind.MEDIATION_PERIOD, start, cal)
    assert (d.nominal_due, d.due) == (nominal, due)


def test_add_one_month() -> None:
    assert add_one_month(date(2026, 3, 31)) == date(2026, 4, 30)
    assert add_one_month(date(2026, 12, 15)) == date(2027, 1, 15)
    assert add_one_month(date(2025, 1, 29)) == date(2025, 2, 28)


def test_unknown_kind_is_refused(cal: HolidayCalendar) -> None:
    with pytest.raises(ValueError):
        compute_deadline("no_such_kind", date(2026, 3, 2), cal)


def test_every_kind_has_a_rule_with_a_cited_article() -> None:
    assert set(RULES) == set(DeadlineKind)
    for kind in DeadlineKind:
        assert "第" in RULES[kind].basis and "条" in RULES[kind].basis
        assert kind.label


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(list(DeadlineKind)),
       start=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 10, 31)))
def test_properties_of_every_deadline(kind: DeadlineKind, start: date) -> None:
    cal = HolidayCalendar()
    d = compute_deadline(kind, start, cal)
    rule = RULES[kind]
    assert cal.is_workday(d.due)
    assert d.due >= d.nominal_due > start
    assert d.moved == (d.due != d.nominal_due)
    # Every day skipped while moving is a rest day.
    day = d.nominal_due
    while day < d.due:
        assert not cal.is_workday(day)
        day += timedelta(days=1)
    if rule.unit is Unit.DAYS:
        assert (d.nominal_due - start).days == rule.limit
    elif rule.unit is Unit.WORKING_DAYS:
        between = [start + timedelta(days=i) for i in range(1, (d.due - start).days + 1)]
        assert sum(cal.is_workday(x) for x in between) == rule.limit
    assert not d.used_fallback


# -- urgency --------------------------------------------------------------------------------

@pytest.mark.parametrize(("due", "expected_left", "expected"), [
    (date(2026, 3, 1), -1, Urgency.OVERDUE),
    (date(2026, 3, 2), 0, Urgency.DUE_SOON),
    (date(2026, 3, 9), 7, Urgency.DUE_SOON),
    (date(2026, 3, 10), 8, Urgency.OK),
])
def test_urgency(due: date, expected_left: int, expected: Urgency) -> None:
    today = date(2026, 3, 2)
    assert days_left(due, today) == expected_left
    assert urgency(due, today) is expected
    assert DUE_SOON_DAYS == 7


def test_deadline_urgency_shortcut(cal: HolidayCalendar) -> None:
    d = compute_deadline(DeadlineKind.TRIAGE, date(2026, 3, 2), cal)  # due 2026-03-17
    assert d.days_left(date(2026, 3, 18)) == -1
    assert d.urgency(date(2026, 3, 18)) is Urgency.OVERDUE
    assert d.urgency(date(2026, 3, 1)) is Urgency.OK
