"""积案: the station's rules list overdue, repeatedly visited and not-accepted matters once; the
station adjusts the rules, lists by hand, takes matters off with a reason and records 化解 with
evidence; the month's figures (积案总数, 新增, 化解, 化解率) stay as they were when later things
happen."""

from __future__ import annotations

from datetime import date

import pytest

from storage import accounts, leadership, petitions
from storage.errors import PermissionDenied, TransitionError, ValidationError
from storage.register import Register, Row
from tests.helpers import register_data as rd
from tests.helpers.registers import FakeClock

IDS = ("110101199003070038", "440524188001010014", "11010519491231002X", "320508198001011238",
       "320508199202020026")


def _matter(reg: Register, received: date, n: int, summary: str) -> Row:
    return rd.register(reg, received, people=[rd.petitioner(f"信访人{'甲乙丙丁戊'[n]}", IDS[n],
                                                            f"1390000000{n}")],
                       summary=summary)


def _repeat(reg: Register, matter: Row, on: date) -> None:
    person = petitions.petitioners_of(reg, matter["id"])[0]
    petitions.register(reg, petitions.RegistrationInput(
        form="来访", received_on=on, summary="再次来访询问进度", attach_to_matter_id=matter["id"],
        petitioners=[rd.petitioner(person["name"], person["id_number"], person["phone"],
                                   person["id"])]))


def _as_head(reg: Register) -> None:
    reg.actor = accounts.find_user(reg, "head").actor()


@pytest.fixture
def matters(reg: Register) -> dict[str, Row]:
    """On 2026-03-02: an accepted matter long past its 60 days, one with three repeat visits,
    one whose petitioner asked for 复查, and a fresh one."""
    overdue = _matter(reg, date(2025, 11, 3), 0, "反映村集体收益分配不公")
    petitions.accept(reg, overdue["id"], date(2025, 11, 4))
    repeated = _matter(reg, date(2026, 2, 2), 1, "反映邻居违建遮挡采光")
    for day in (date(2026, 2, 10), date(2026, 2, 20), date(2026, 2, 27)):
        _repeat(reg, repeated, day)
    reviewed = _matter(reg, date(2025, 12, 1), 2, "反映低保资格被取消")
    petitions.accept(reg, reviewed["id"], date(2025, 12, 2))
    petitions.reply(reg, reviewed["id"], date(2025, 12, 20), "解释说明")
    petitions.request_review(reg, reviewed["id"], date(2026, 1, 5))
    fresh = _matter(reg, date(2026, 3, 2), 3, "反映路灯不亮")
    return {"overdue": overdue, "repeated": repeated, "reviewed": reviewed, "fresh": fresh}


def test_the_rules_list_each_matter_once(reg: Register, matters: dict[str, Row]) -> None:
    found = {c.matter_id: c for c in leadership.candidates(reg)}
    assert set(found) == {matters[k]["id"] for k in ("overdue", "repeated", "reviewed")}
    assert found[matters["overdue"]["id"]].reasons == ("overdue",)
    assert found[matters["repeated"]["id"]].reasons == ("repeat",)
    assert found[matters["repeated"]["id"]].qualified_on == date(2026, 2, 27)  # the third visit
    assert found[matters["reviewed"]["id"]].qualified_on == date(2026, 1, 5)

    assert leadership.sweep(reg) == 3
    assert leadership.sweep(reg) == 0  # listed once
    listed = {e.number: e for e in leadership.backlog(reg)}
    entry = listed[matters["overdue"]["number"]]
    assert entry.source == "rule" and entry.listed_on == date(2026, 3, 2)
    assert entry.age_days == (date(2026, 3, 2) - date(2025, 11, 3)).days
    assert entry.reason_text == "超期未答复"
    assert entry.last_action.startswith("受理")  # the matter's last step
    assert entry.leader == "" and entry.status_label == "未化解"


def test_the_station_adjusts_the_rules(reg: Register, matters: dict[str, Row]) -> None:
    with pytest.raises(PermissionDenied):
        leadership.set_rules(reg, leadership.Rules(30, 0, False))  # the clerk may not
    _as_head(reg)
    rules = leadership.set_rules(reg, leadership.Rules(overdue_days=30, repeat_visits=0,
                                                       review=False))
    assert rules.texts() == ["办理期限（60日，含延期）届满后30日仍未答复"]
    assert [c.matter_id for c in leadership.candidates(reg)] == [matters["overdue"]["id"]]
    leadership.set_rules(reg, leadership.Rules(overdue_days=90, repeat_visits=2, review=False))
    assert [c.matter_id for c in leadership.candidates(reg)] == [matters["repeated"]["id"]]
    with pytest.raises(ValidationError):
        leadership.set_rules(reg, leadership.Rules(overdue_days=-5))
    # the change is one audited settings entry, like every preference
    assert reg.scalar("SELECT count(*) FROM audit_log WHERE table_name = 'settings'") == 2


def test_taken_off_the_list_it_is_not_listed_again(reg: Register, matters: dict[str, Row]
                                                   ) -> None:
    leadership.sweep(reg)
    entry = next(e for e in leadership.backlog(reg) if e.matter_id == matters["reviewed"]["id"])
    with pytest.raises(PermissionDenied):
        leadership.exclude(reg, entry.id, "复查机关已受理")  # the station head decides
    _as_head(reg)
    with pytest.raises(ValidationError):
        leadership.exclude(reg, entry.id, "  ")
    leadership.exclude(reg, entry.id, "已由县信访局复查，转县里办理")
    assert leadership.sweep(reg) == 0
    assert entry.matter_id not in {e.matter_id for e in leadership.backlog(reg)}
    assert [e.status for e in leadership.backlog(reg, status="excluded")] == ["excluded"]


def test_resolution_needs_evidence_and_counts_in_the_month(
        reg: Register, matters: dict[str, Row], clock: FakeClock) -> None:
    leadership.sweep(reg)
    by_matter = {e.matter_id: e for e in leadership.backlog(reg)}
    target = by_matter[matters["overdue"]["id"]]
    clock.advance(days=8)  # 2026-03-10
    with pytest.raises(ValidationError):
        leadership.resolve_backlog(reg, target.id, date(2026, 3, 10), outcome="息诉罢访",
                                   evidence="", confirmed_by="王建华")
    with pytest.raises(ValidationError):
        leadership.resolve_backlog(reg, target.id, date(2026, 3, 1), outcome="息诉罢访",
                                   evidence="息诉罢访承诺书", confirmed_by="王建华")  # before listing
    leadership.resolve_backlog(reg, target.id, date(2026, 3, 10), outcome="息诉罢访",
                               evidence="信访人签署息诉罢访承诺书，收益已补发", confirmed_by="王建华")
    with pytest.raises(TransitionError):
        leadership.resolve_backlog(reg, target.id, date(2026, 3, 10), outcome="息诉罢访",
                                   evidence="again", confirmed_by="王建华")

    march = leadership.month_figures(reg, "2026-03")
    assert (march.backlog_total, march.backlog_new, march.backlog_resolved) == (3, 3, 1)
    assert (march.backlog_rate.numerator, march.backlog_rate.denominator) == (1, 3)
    assert march.backlog_open_at_end == 2

    # April: one listed by hand, one taken off; March stays as it was
    clock.advance(days=30)  # 2026-04-09
    leadership.add_to_backlog(reg, matters["fresh"]["id"], "信访老户，县里挂牌的积案")
    with pytest.raises(ValidationError):
        leadership.add_to_backlog(reg, matters["fresh"]["id"], "again")
    _as_head(reg)
    leadership.exclude(reg, by_matter[matters["reviewed"]["id"]].id, "转县里办理")
    assert leadership.month_figures(reg, "2026-03") == march
    april = leadership.month_figures(reg, "2026-04")
    assert (april.backlog_total, april.backlog_new, april.backlog_resolved) == (3, 1, 0)
    assert april.backlog_open_at_end == 2  # the repeated one and the one listed by hand
    assert (april.backlog_year_rate.numerator, april.backlog_year_rate.denominator) == (1, 4)


def test_the_list_shows_the_leader_plan_and_last_action(
        reg: Register, matters: dict[str, Row], clock: FakeClock) -> None:
    leadership.sweep(reg)
    _as_head(reg)
    leader = leadership.add_leader(reg, "王建华", "副镇长")
    held = leadership.hold(reg, leadership.HoldingInput(
        leader.id, "matter", matters["repeated"]["id"], date(2026, 3, 31),
        plan="约谈双方，依法拆除违建"))
    clock.advance(days=1)
    leadership.add_note(reg, held.id, date(2026, 3, 3), "已约谈违建户，限期自行拆除")
    entry = next(e for e in leadership.backlog(reg) if e.matter_id == matters["repeated"]["id"])
    assert entry.leader == "王建华（副镇长）" and entry.plan == "约谈双方，依法拆除违建"
    assert entry.target_date == date(2026, 3, 31)
    assert (entry.last_action_on, entry.last_action) == (date(2026, 3, 3),
                                                          "已约谈违建户，限期自行拆除")
    assert entry.to_json()["leader"] == "王建华（副镇长）"
