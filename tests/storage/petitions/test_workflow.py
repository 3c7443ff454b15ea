"""The workflow of a petition matter: every allowed step, every impossible one refused, the
deadline in each state, extensions, the 30-day 复查/复核 window, and the timeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from storage import accounts, petitions, station
from storage.errors import PermissionDenied, TransitionError, ValidationError
from storage.petitions import PetitionerInput, RegistrationInput
from storage.register import Register, Row
from tests.helpers.registers import FakeClock

D0 = date(2026, 3, 2)  # the FakeClock's day, a Monday


def new_matter(reg: Register, received: date = D0) -> Row:
    village = station.villages(reg)[0].id
    return petitions.register(reg, RegistrationInput(
        form="来访", received_on=received,
        petitioners=[PetitionerInput(name="王建华", gender="男", phone="13812345678")],
        summary="反映宅基地界址争议", category1="国土资源", category2="土地权属",
        problem_village_id=village,
        # several matters of one person on one day, each its own: the duplicate check has
        # its own tests (test_identity.py)
        duplicate_decision=petitions.NEW_MATTER))


# Arguments for each step, so that any step can be tried from any state.
STEP_ARGS: dict[str, dict[str, Any]] = {
    "accept": {}, "not_accept": {"reason": "属于法院职权", "legal_channel": "诉讼（人民法院）"},
    "not_reaccept": {"reason": "同一事实和理由已经复核终结"},
    "forward": {"mode": "转送", "unit": "镇自然资源所"}, "start_handling": {},
    "extend": {"days": 10, "reason": "需要现场测量"}, "reply": {"result": "解释说明"},
    "request_review": {}, "decide_review": {"result": "维持"}, "request_rereview": {},
    "decide_rereview": {"result": "维持"}, "rate": {"rating": "满意"}, "close": {},
}
FUNCS: dict[str, Callable[..., Row]] = {name: getattr(petitions, name) for name in STEP_ARGS}
# How to bring a new matter into each state.
PATHS: dict[str, list[str]] = {
    "registered": [],
    "accepted": ["accept"],
    "not_accepted": ["not_accept"],
    "not_reaccepted": ["not_reaccept"],
    "forwarded": ["accept", "forward"],
    "handling": ["accept", "start_handling"],
    "replied": ["accept", "reply"],
    "review": ["accept", "reply", "request_review"],
    "reviewed": ["accept", "reply", "request_review", "decide_review"],
    "rereview": ["accept", "reply", "request_review", "decide_review", "request_rereview"],
    "rereviewed": ["accept", "reply", "request_review", "decide_review", "request_rereview",
                   "decide_rereview"],
    "closed": ["accept", "reply", "close"],
}


def step(reg: Register, matter_id: str, name: str, on: date = D0) -> Row:
    return FUNCS[name](reg, matter_id, on, **STEP_ARGS[name])


def in_state(reg: Register, state: str) -> Row:
    m = new_matter(reg)
    for name in PATHS[state]:
        m = step(reg, m["id"], name)
    assert m["status"] == state
    return m


def test_paths_cover_every_state_and_step() -> None:
    assert set(PATHS) == set(petitions.STATUS_LABELS)
    assert set(STEP_ARGS) == set(petitions.STEPS)


@pytest.mark.parametrize(("state", "name"), [
    (state, name) for name, s in petitions.STEPS.items() for state in s.sources])
def test_every_allowed_step(reg: Register, state: str, name: str) -> None:
    m = in_state(reg, state)
    events = len(petitions.events_of(reg, m["id"]))
    after = step(reg, m["id"], name)
    expected = petitions.STEPS[name].target or state
    assert after["status"] == expected
    assert after["version"] > m["version"]
    timeline = petitions.events_of(reg, m["id"])
    assert len(timeline) == events + 1
    assert timeline[-1]["kind"] == name
    if expected in petitions.TERMINAL:
        assert after["closed_on"] == D0.isoformat()


@pytest.mark.parametrize("state", list(petitions.STATUS_LABELS))
def test_every_impossible_step_is_refused(reg: Register, state: str) -> None:
    m = in_state(reg, state)
    audit_before = reg.scalar("SELECT count(*) FROM audit_log")
    impossible = [name for name, s in petitions.STEPS.items() if state not in s.sources]
    assert impossible
    for name in impossible:
        with pytest.raises(TransitionError) as err:
            step(reg, m["id"], name)
        assert petitions.status_label(state) in str(err.value), name  # says why
        assert reg.get("matters", m["id"]) == m
        assert reg.scalar("SELECT count(*) FROM audit_log") == audit_before
    assert petitions.allowed_steps(state) == [n for n in petitions.STEPS if n not in impossible]


def test_required_reasons_and_choices(reg: Register) -> None:
    m = new_matter(reg)
    with pytest.raises(ValidationError) as err:
        petitions.not_accept(reg, m["id"], D0, "  ")
    assert err.value.field == "reason"
    petitions.accept(reg, m["id"], D0)
    with pytest.raises(ValidationError):
        petitions.forward(reg, m["id"], D0, "寄送", "镇司法所")
    with pytest.raises(ValidationError):
        petitions.forward(reg, m["id"], D0, "转送", "")
    with pytest.raises(ValidationError):
        petitions.reply(reg, m["id"], D0, "同意")
    assert reg.get("matters", m["id"])["status"] == "accepted"


def test_not_accept_keeps_reason_and_legal_channel(reg: Register) -> None:
    m = new_matter(reg)
    done = petitions.not_accept(reg, m["id"], D0, "属于劳动争议", "劳动人事争议仲裁")
    assert (done["decision_reason"], done["legal_channel"]) == ("属于劳动争议",
                                                                "劳动人事争议仲裁")
    assert done["due_date"] is None


# ----- deadlines per state ------------------------------------------------------------------

def test_due_dates_follow_the_matter(reg: Register, clock: FakeClock) -> None:
    m = new_matter(reg)
    # Registered Mon 2 Mar: 15 days, start day not counted -> Tue 17 Mar.
    assert (m["due_kind"], m["due_date"]) == ("acceptance_notice", "2026-03-17")
    clock.advance(days=8)
    m = petitions.accept(reg, m["id"], date(2026, 3, 10))
    # Accepted Tue 10 Mar: 60 days -> Sat 9 May 2026, a make-up working day after Labour Day.
    assert (m["due_kind"], m["due_date"]) == ("handling", "2026-05-09")
    m = petitions.forward(reg, m["id"], date(2026, 3, 10), "交办", "镇自然资源所")
    assert m["due_date"] == "2026-05-09"  # forwarding does not restart the clock
    clock.advance(days=60)
    m = petitions.extend(reg, m["id"], date(2026, 5, 8), 20, "需要现场测量")
    # 60 + 20 = 80 days -> Fri 29 May 2026.
    assert (m["due_date"], m["extension_days"]) == ("2026-05-29", 20)
    m = petitions.reply(reg, m["id"], date(2026, 5, 8), "不予支持")
    assert (m["due_kind"], m["due_date"]) == ("", None)  # the petitioner's move now
    window = petitions.petitioner_window(reg, m)
    assert window is not None and window.due == date(2026, 6, 8)  # Sun 7 Jun -> Mon 8 Jun
    m = petitions.request_review(reg, m["id"], date(2026, 5, 8))
    # 复查 decision: 30 days -> Sun 7 Jun -> Mon 8 Jun.
    assert (m["due_kind"], m["due_date"]) == ("review_decision", "2026-06-08")
    m = petitions.decide_review(reg, m["id"], date(2026, 5, 9), "维持")
    assert m["due_date"] is None
    clock.advance(days=2)
    m = petitions.request_rereview(reg, m["id"], date(2026, 5, 11))
    # 复核 decision: 30 days from Mon 11 May -> Wed 10 Jun.
    assert (m["due_kind"], m["due_date"]) == ("rereview_decision", "2026-06-10")
    m = petitions.decide_rereview(reg, m["id"], date(2026, 5, 11), "维持")
    m = petitions.close(reg, m["id"], date(2026, 5, 11))
    assert (m["status"], m["due_date"], m["closed_on"]) == ("closed", None, "2026-05-11")


def test_extension_is_at_most_30_days_in_all(reg: Register) -> None:
    m = in_state(reg, "handling")
    petitions.extend(reg, m["id"], D0, 15, "涉及多个部门")
    m = petitions.extend(reg, m["id"], D0, 15, "仍需核实")
    assert m["extension_days"] == 30
    assert m["due_date"] == "2026-06-01"  # 2 Mar + 90 days = Sun 31 May -> Mon 1 Jun
    with pytest.raises(ValidationError) as err:
        petitions.extend(reg, m["id"], D0, 1, "再延一天")
    assert err.value.field == "days"
    assert "30" in str(err.value)
    with pytest.raises(ValidationError):
        petitions.extend(reg, in_state(reg, "handling")["id"], D0, 31, "一次延长31日")
    with pytest.raises(ValidationError):
        petitions.extend(reg, in_state(reg, "handling")["id"], D0, 0, "零日")
    with pytest.raises(ValidationError):
        petitions.extend(reg, in_state(reg, "handling")["id"], D0, 10, "")
    assert reg.get("matters", m["id"])["extension_days"] == 30


def test_review_request_window_is_30_days_after_the_reply(reg: Register,
                                                          clock: FakeClock) -> None:
    on_time = in_state(reg, "replied")  # replied Mon 2 Mar: window to Wed 1 Apr
    late = in_state(reg, "replied")
    clock.advance(days=40)
    done = petitions.request_review(reg, on_time["id"], date(2026, 4, 1))
    assert done["status"] == "review"
    with pytest.raises(TransitionError, match="30日"):
        petitions.request_review(reg, late["id"], date(2026, 4, 2))
    assert reg.get("matters", late["id"])["status"] == "replied"
    # The same window applies to 复核 after the 复查 decision: decided Wed 1 Apr, 30 days ->
    # Fri 1 May, the Labour Day holiday (1-5 May) -> Wed 6 May.
    m = petitions.decide_review(reg, on_time["id"], date(2026, 4, 1), "维持")
    clock.advance(days=30)
    with pytest.raises(TransitionError):
        petitions.request_rereview(reg, m["id"], date(2026, 5, 7))
    assert petitions.request_rereview(reg, m["id"], date(2026, 5, 6))["status"] == "rereview"


# ----- dates, people, timeline -------------------------------------------------------------

def test_step_dates_cannot_be_in_the_future_or_before_the_last_step(reg: Register) -> None:
    m = new_matter(reg, D0 - timedelta(days=5))
    with pytest.raises(ValidationError):
        petitions.accept(reg, m["id"], D0 + timedelta(days=1))
    with pytest.raises(ValidationError) as err:
        petitions.accept(reg, m["id"], D0 - timedelta(days=6))
    assert "早于" in str(err.value)
    assert petitions.accept(reg, m["id"], D0 - timedelta(days=5))["status"] == "accepted"


def test_liaisons_cannot_move_matters(reg: Register) -> None:
    m = new_matter(reg)
    accounts.authenticate(reg, "liaison", "liaison-pass-1")
    with pytest.raises(PermissionDenied):
        petitions.accept(reg, m["id"], D0)
    assert reg.get("matters", m["id"])["status"] == "registered"


def test_timeline_records_who_did_what_and_when(reg: Register, clock: FakeClock) -> None:
    m = new_matter(reg)
    clock.advance(minutes=10)
    petitions.accept(reg, m["id"], D0, "经审查予以受理")
    accounts.authenticate(reg, "head", "head-pass-1")
    clock.advance(days=2)
    petitions.forward(reg, m["id"], D0 + timedelta(days=1), "转送", "镇自然资源所")
    clock.advance(days=20)
    petitions.reply(reg, m["id"], D0 + timedelta(days=20), "支持", "已协调划定界址")
    petitions.rate(reg, m["id"], D0 + timedelta(days=21), "满意")
    petitions.close(reg, m["id"], D0 + timedelta(days=22))
    timeline = [(e["kind"], e["occurred_on"], e["actor"], e["note"])
                for e in petitions.events_of(reg, m["id"])]
    assert timeline == [
        ("registered", "2026-03-02", "clerk", "来访"),
        ("accept", "2026-03-02", "clerk", "经审查予以受理"),
        ("forward", "2026-03-03", "head", ""),
        ("reply", "2026-03-22", "head", "已协调划定界址"),
        ("rate", "2026-03-23", "head", ""),
        ("close", "2026-03-24", "head", ""),
    ]
    final = reg.get("matters", m["id"])
    assert (final["rating"], final["reply_result"], final["handling_unit"]) == (
        "满意", "支持", "镇自然资源所")
    # Every change of the matter is in the audit log with its actor.
    actors = [r[0] for r in reg.conn.execute(
        "SELECT actor FROM audit_log WHERE record_id = ? ORDER BY seq", (m["id"],))]
    assert actors[0] == "clerk" and actors[-1] == "head"


def test_rating_after_closing_keeps_the_matter_closed(reg: Register) -> None:
    m = in_state(reg, "closed")
    rated = petitions.rate(reg, m["id"], D0, "基本满意")
    assert (rated["status"], rated["rating"]) == ("closed", "基本满意")
    with pytest.raises(ValidationError):
        petitions.rate(reg, m["id"], D0, "很好")


@pytest.mark.parametrize("name", ["accept", "extend", "request_review"])
def test_one_action_is_one_version_and_one_audit_entry(reg: Register, name: str) -> None:
    """The deadline columns change in the same update as the step that moves them."""
    path = {"accept": [], "extend": ["accept"], "request_review": ["accept", "reply"]}[name]
    matter = new_matter(reg)
    assert matter["version"] == 1 and matter["due_kind"]  # registered with its deadline
    for earlier in path:
        matter = step(reg, matter["id"], earlier)
    before_due = matter["due_date"]
    entries = reg.scalar("SELECT count(*) FROM audit_log WHERE table_name = 'matters'"
                         " AND record_id = ?", (matter["id"],))
    after = step(reg, matter["id"], name)
    assert after["version"] == matter["version"] + 1
    assert reg.scalar("SELECT count(*) FROM audit_log WHERE table_name = 'matters'"
                      " AND record_id = ?", (matter["id"],)) == entries + 1
    assert after["due_date"] != before_due
    assert after["due_date"] == petitions.current_deadline(reg, after).due.isoformat()  # type: ignore[union-attr]


def test_entering_a_holiday_moves_the_stored_deadlines_it_moves(reg: Register) -> None:

    early, late = new_matter(reg, D0 - timedelta(days=10)), new_matter(reg)
    due = date.fromisoformat(late["due_date"])
    assert date.fromisoformat(early["due_date"]) < due
    clerk = reg.actor
    reg.actor = accounts.find_user(reg, "head").actor()  # the station head enters holidays
    petitions.set_holiday(reg, due, is_workday=False, note="临时调休")
    moved = reg.get("matters", late["id"])
    assert date.fromisoformat(moved["due_date"]) > due
    assert moved["due_date"] == petitions.current_deadline(reg, moved).due.isoformat()  # type: ignore[union-attr]
    assert reg.get("matters", early["id"])["version"] == early["version"]  # not touched
    petitions.remove_holiday(reg, due)
    assert reg.get("matters", late["id"])["due_date"] == due.isoformat()
    reg.actor = clerk
