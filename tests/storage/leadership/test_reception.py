"""Leaders meeting petitioners: a fixed reception weekday on the calendar, 下访, a 约访 whose
outcome lands on the matter's timeline, and the month's reception figures."""

from __future__ import annotations

from datetime import date

import pytest

from storage import accounts, leadership, petitions
from storage.errors import TransitionError, ValidationError
from storage.register import Register
from tests.helpers import register_data as rd
from tests.helpers.registers import FakeClock


@pytest.fixture
def people(reg: Register) -> list[leadership.Leader]:
    clerk = reg.actor
    reg.actor = accounts.find_user(reg, "head").actor()
    made = [leadership.add_leader(reg, "周国平", "党委书记"),
            leadership.add_leader(reg, "刘明", "镇长")]
    reg.actor = clerk
    return made


def test_reception_days_and_visits_down(reg: Register, people: list[leadership.Leader],
                                        clock: FakeClock) -> None:
    # every Friday of March, the two leaders in turn
    days = leadership.plan_weekly(reg, [p.id for p in people], 4, date(2026, 3, 1),
                                  date(2026, 3, 31), time_text="上午8:30-11:30",
                                  place="镇信访接待室")
    assert days == 4
    planned = leadership.receptions(reg, date(2026, 3, 1), date(2026, 3, 31))
    assert [(r.day.day, r.leader.name) for r in planned] == [
        (6, "周国平"), (13, "刘明"), (20, "周国平"), (27, "刘明")]
    down = leadership.plan_reception(reg, leadership.ReceptionInput(
        people[1].id, "下访", date(2026, 3, 2), "下午", "春明村村委会", "宅基地纠纷集中走访"))
    with pytest.raises(ValidationError):
        leadership.record_reception(reg, planned[0].id, batches=3, persons=5)  # not yet 6 March
    clock.advance(days=5)  # Saturday 7 March
    leadership.record_reception(reg, planned[0].id, batches=3, persons=7, matters_handled=2,
                                note="当场答复2件")
    with pytest.raises(ValidationError):
        leadership.record_reception(reg, planned[1].id, batches=3, persons=2)  # 人次 < 批次
    leadership.record_reception(reg, down.id, batches=1, persons=4)
    calendar = leadership.month_calendar(reg, 2026, 3)
    assert calendar[0].day == date(2026, 3, 2) and calendar[0].kind == "visit"
    assert calendar[1].text.startswith("领导接访日：周国平（党委书记）")
    assert calendar[1].status == "已开展"

    march = leadership.month_figures(reg, "2026-03")
    assert (march.reception_days, march.reception_batches, march.reception_persons,
            march.visits_down) == (1, 3, 7, 1)


def test_an_appointment_and_its_outcome_on_the_timeline(
        reg: Register, people: list[leadership.Leader], clock: FakeClock) -> None:
    matter = rd.register(reg, date(2026, 2, 20))
    with pytest.raises(ValidationError):
        leadership.make_appointment(reg, leadership.AppointmentInput(
            matter["id"], people[0].id, date(2026, 3, 1), "上午9时", "镇信访接待室"))  # past
    made = leadership.make_appointment(reg, leadership.AppointmentInput(
        matter["id"], people[0].id, date(2026, 3, 4), "上午9时", "镇信访接待室",
        "当面听取对承包地调整的意见"))
    assert made.petitioner_name == "吉𠮷" and made.status_label == "已约"
    with pytest.raises(ValidationError):
        leadership.record_outcome(reg, made.id, "held", "已接谈")  # 4 March has not come
    clock.advance(days=2)
    with pytest.raises(ValidationError):
        leadership.record_outcome(reg, made.id, "held", "")  # what was said is required
    leadership.record_outcome(reg, made.id, "held", "周书记当面听取诉求，承诺一周内答复")
    with pytest.raises(TransitionError):
        leadership.record_outcome(reg, made.id, "missed", "")

    last = petitions.events_of(reg, matter["id"])[-1]
    assert last["kind"] == leadership.TIMELINE_EVENT
    assert last["occurred_on"] == "2026-03-04"
    assert last["note"] == "周国平（党委书记）约访已接谈：周书记当面听取诉求，承诺一周内答复"
    assert petitions.EVENT_LABELS[last["kind"]] == "领导约访"
    assert leadership.month_figures(reg, "2026-03").appointments_held == 1
    # the matter's workflow goes on after it
    petitions.accept(reg, matter["id"], date(2026, 3, 4))
