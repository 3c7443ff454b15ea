"""The definitions of docs/domain.md §7.4, each a rule with a test that fails without it:
a repeat visit is an item of its month and never rewrites 初件/重件; 办结 is the written reply
(or not to (re)accept) and reconciles; 满意率 divides by the matters 参评率 counts as rated
(latest rating up to the end); 调解成功率 counts the same cases on both sides; an extension
after the deadline is refused; and a past period is computed as of its end."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from storage import mediation, petitions, statistics
from storage.errors import ValidationError
from storage.register import Register
from tests.helpers.registers import FakeClock
from tests.storage.mediation.test_mediation import agreement, open_case, session

ZHANG = "11010519491231002X"
OCT, NOV = statistics.parse("2026-10"), statistics.parse("2026-11")


def at(clock: FakeClock, day: date) -> None:
    clock.now = datetime(day.year, day.month, day.day, 9, 0)


def register(reg: Register, day: date, *, form: str = "来访", visitors: int = 1,
             name: str = "张伟", id_number: str = "", attach: str | None = None) -> str:
    return petitions.register(reg, petitions.RegistrationInput(
        form=form, received_on=day, visitors_count=visitors, persons_involved=visitors,
        category1="农村农业", attach_to_matter_id=attach,
        petitioners=[petitions.PetitionerInput(name=name, id_number=id_number)],
        summary="反映问题" if attach is None else "催办"))["id"]


def snapshot(f: statistics.Figures) -> tuple[object, ...]:
    return (f.counts, f.rates, f.by_form, f.by_category, f.replies, f.ratings,
            {k: sorted(v) for k, v in f.members.items()})


@pytest.fixture
def october(reg: Register, clock: FakeClock) -> dict[str, str]:
    """Two matters in October, a repeat visit, a reply and a rating."""
    at(clock, date(2026, 10, 31))
    a = register(reg, date(2026, 10, 8), id_number=ZHANG)
    b = register(reg, date(2026, 10, 9), form="来信", name="李娜")
    petitions.accept(reg, a, date(2026, 10, 12))
    petitions.accept(reg, b, date(2026, 10, 13))
    register(reg, date(2026, 10, 20), visitors=2, id_number=ZHANG, attach=a)
    petitions.reply(reg, a, date(2026, 10, 27), "支持")
    petitions.rate(reg, a, date(2026, 10, 28), "不满意")
    return {"a": a, "b": b}


def test_a_repeat_visit_is_an_item_of_its_month_in_its_channel(
        reg: Register, october: dict[str, str]) -> None:
    f = statistics.compute(reg, OCT)
    c = f.counts
    assert (c["new_matters"], c["repeat_visits"], c["total"]) == (2, 1, 3)
    assert f.by_form == {"来访": 2, "来信": 1}
    assert sum(f.by_form.values()) == c["total"]
    assert (c["visit_batches"], c["visit_persons"]) == (2, 3)
    # the original matter stays 初件: the visit does not make it 重件
    assert (c["first_petitions"], c["repeat_petitions"]) == (2, 0)
    assert reg.get("matters", october["a"])["repeat_kind"] == "初件"


def test_a_past_month_is_computed_as_of_its_end(
        reg: Register, clock: FakeClock, october: dict[str, str]) -> None:
    before = snapshot(statistics.compute(reg, OCT))
    a, b = october["a"], october["b"]
    at(clock, date(2026, 11, 20))
    petitions.rate(reg, a, date(2026, 11, 3), "满意")  # rated again
    register(reg, date(2026, 11, 4), form="来电", id_number=ZHANG, attach=a)
    petitions.extend(reg, b, date(2026, 11, 4), 10, "需要现场核实")
    petitions.reply(reg, b, date(2026, 11, 5), "解释说明")
    petitions.rate(reg, b, date(2026, 11, 6), "满意")
    c = register(reg, date(2026, 11, 9), name="王五")
    petitions.not_accept(reg, c, date(2026, 11, 10), "属于诉讼程序", "诉讼（人民法院）")
    assert snapshot(statistics.compute(reg, OCT)) == before
    oct_ = statistics.compute(reg, OCT)
    assert oct_.rates["satisfaction"] == statistics.Rate(0, 1)  # the October rating
    assert oct_.counts["open_at_end"] == 1  # b, answered only in November
    nov = statistics.compute(reg, NOV)
    assert (nov.counts["repeat_visits"], nov.by_form) == (1, {"来电": 1, "来访": 1})
    assert (nov.counts["concluded"], nov.counts["carried_in"], nov.counts["open_at_end"]) == (
        2, 1, 0)


def test_a_written_reply_concludes_and_the_flow_reconciles(
        reg: Register, clock: FakeClock, october: dict[str, str]) -> None:
    f = statistics.compute(reg, OCT)
    assert f.counts["concluded"] == 1  # a, answered in writing; not yet 办结 by `close`
    assert f.members["concluded"] == [october["a"]]
    assert (f.counts["carried_in"], f.counts["open_at_end"]) == (0, 1)
    assert f.reconciles()
    at(clock, date(2026, 12, 31))
    for period in ("2026-11", "2026-12", "2026-Q4", "2026", "2026-10-15..2026-12-20"):
        assert statistics.compute(reg, statistics.parse(period)).reconciles(), period


def test_satisfaction_divides_by_the_rated_matters_of_participation(
        reg: Register, clock: FakeClock, october: dict[str, str]) -> None:
    a = october["a"]
    petitions.rate(reg, a, date(2026, 10, 30), "满意")  # the same matter rated again
    f = statistics.compute(reg, OCT)
    assert f.rates["rating_participation"] == statistics.Rate(1, 1)
    assert f.rates["satisfaction"] == statistics.Rate(1, 1)  # once, its latest rating
    assert f.members["satisfaction"] == f.members["rating_participation.hit"]
    assert f.ratings == {"满意": 1}
    # a rating given in November of a matter answered in October: not October's, not November's
    at(clock, date(2026, 11, 30))
    petitions.reply(reg, october["b"], date(2026, 11, 2), "支持")
    nov = statistics.compute(reg, NOV)
    assert (nov.rates["rating_participation"], nov.rates["satisfaction"]) == (
        statistics.Rate(0, 1), statistics.Rate(0, 0))


def test_an_extension_after_the_deadline_is_refused_with_the_reason(
        reg: Register, clock: FakeClock, october: dict[str, str]) -> None:
    b = october["b"]
    due = petitions.current_deadline(reg, reg.get("matters", b))
    assert due is not None
    at(clock, due.due + timedelta(days=3))
    before = reg.get("matters", b)
    with pytest.raises(ValidationError) as refused:
        petitions.extend(reg, b, due.due + timedelta(days=1), 10, "需要现场核实")
    assert due.due.isoformat() in str(refused.value)
    assert "届满前" in str(refused.value)
    assert reg.get("matters", b) == before
    assert petitions.extend(reg, b, due.due, 10, "需要现场核实")["extension_days"] == 10


def test_mediation_success_counts_the_cases_concluded_in_the_period(
        reg: Register, clock: FakeClock) -> None:
    at(clock, date(2026, 2, 27))
    agreed = open_case(reg, accepted_on=date(2026, 1, 28))  # accepted in January
    mediation.record_session(reg, agreed["id"], session(held_on=date(2026, 2, 9)))
    mediation.sign_agreement(reg, agreed["id"], agreement(signed_on=date(2026, 2, 10)))
    failed = open_case(reg, accepted_on=date(2026, 2, 3))
    mediation.record_failure(reg, failed["id"], on=date(2026, 2, 20), reason="双方分歧大",
                             routes=["司法"])
    open_case(reg, accepted_on=date(2026, 2, 5))  # still in mediation: in neither
    open_case(reg, accepted_on=date(2026, 2, 6))
    f = statistics.compute(reg, statistics.parse("2026-02"))
    assert f.rates["mediation_success"] == statistics.Rate(1, 2)
    assert sorted(f.members["mediation_success"]) == sorted([agreed["id"], failed["id"]])
    assert f.mediation == {"accepted": 3, "concluded": 2, "succeeded": 1, "ongoing_at_end": 2}
    # the monthly mediation figures say the same
    assert mediation.month_stats(reg, "2026-02").success_rate == 0.5
    assert statistics.compute(reg, statistics.parse("2026-01")).rates[
        "mediation_success"] == statistics.Rate(0, 0)


def test_a_voided_matter_is_in_no_figure(reg: Register, october: dict[str, str]) -> None:
    from storage.voiding import HeadConfirmation

    petitions.void_matter(reg, october["b"], "重复登记", HeadConfirmation("head", "head-pass-1"))
    f = statistics.compute(reg, OCT)
    assert october["b"] not in {i for ids in f.members.values() for i in ids}
    assert (f.counts["new_matters"], f.counts["total"]) == (1, 2)


def test_a_holiday_entered_later_moves_the_deadline_the_figures_use(
        reg: Register, clock: FakeClock) -> None:
    """The deadlines are remembered between computations only while the holidays stay."""
    from storage import accounts

    at(clock, date(2026, 10, 31))
    m = register(reg, date(2026, 10, 12))  # notice due Tuesday 27 October
    petitions.accept(reg, m, date(2026, 10, 28))
    assert statistics.compute(reg, OCT).rates["timely_acceptance"] == statistics.Rate(0, 1)
    accounts.authenticate(reg, "head", "head-pass-1")
    petitions.set_holiday(reg, date(2026, 10, 27), False, "调休")
    assert statistics.compute(reg, OCT).rates["timely_acceptance"] == statistics.Rate(1, 1)


def test_matters_from_the_old_ledger_count_and_conclude_on_their_date(
        reg: Register, clock: FakeClock) -> None:
    """They count in the volume of their month (so 同比 has a base) and conclude on the
    ledger's 办结日期; having no statutory deadline they are in no deadline rate."""
    at(clock, date(2026, 10, 31))
    with reg.transaction():
        for n, (day, closed, concluded) in enumerate((
                ("2025-10-09", "2025-10-20", True), ("2025-10-12", "2025-11-03", True),
                ("2025-10-15", None, False))):
            petitions.register_historic(reg, petitions.HistoricInput(
                registration=petitions.RegistrationInput(
                    form="来信", received_on=date.fromisoformat(day), category1="民政",
                    petitioners=[petitions.PetitionerInput(name=f"旧{n}")],
                    summary="台账事项"),
                number="", ledger_key=f"k{n}", concluded=concluded,
                closed_on=date.fromisoformat(closed) if closed else None))
    last_year = statistics.compute(reg, statistics.parse("2025-10"))
    c = last_year.counts
    assert (c["new_matters"], c["total"], c["concluded"], c["open_at_end"]) == (3, 3, 1, 2)
    assert (c["overdue_at_end"], last_year.rates["timely_acceptance"]) == (0, statistics.Rate(0, 0))
    assert last_year.reconciles()
    nov = statistics.compute(reg, statistics.parse("2025-11"))
    assert (nov.counts["carried_in"], nov.counts["concluded"], nov.counts["open_at_end"]) == (
        2, 1, 1)
    register(reg, date(2026, 10, 8))
    report = statistics.report(reg, OCT)
    assert (report.yoy("total").base, report.yoy("total").diff) == (3, -2)
