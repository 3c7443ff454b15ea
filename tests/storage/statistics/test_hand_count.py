"""A small fixed register counted by hand: two townships (花园 HY, 石桥 SQ), October 2025,
September and October 2026. Every figure of October 2026, its 同比 (October 2025) and 环比
(September 2026), the year and the county ranking are checked against the count written out
below (docs/domain.md §7.4–§7.6). No Qt.

        HY                                              SQ
2025-10 y0a 张伟 来访1 农村农业 初件 受理10-20 答复10-28 满意   q0 周八 来访5(集体) 受理10-16 答复10-31 不满意
        y0b 李娜 来信 民政 初件 不予受理10-15
2026-09 s1 王五 来电 城乡建设 受理09-18 (办理期限11-17)
2026-10 a1 赵六 来访6(集体) 初件 受理10-14 重复来访10-20(来访2人) 答复10-30 基本满意
        a2 孙七 来电 越级 初件 未决定 (告知期限10-28，期末超期)   b1 吴九 来信 受理10-16 答复10-29 满意
        a3 张伟 来访1 农村农业 重件 受理10-30 (告知期限10-29，迟)
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from storage import petitions, statistics
from storage.rates import Rate
from storage.register import Register
from tests.helpers.registers import FakeClock

HY, SQ = "320508102000", "320508103000"
ZHANG = "11010519491231002X"
D = date.fromisoformat


def _in(reg: Register, code: str) -> None:
    reg.set_setting("station_code", code)


def _reg(reg: Register, day: str, name: str, *, form: str = "来访", visitors: int = 1,
         category: str = "农村农业", skip: bool = False, id_number: str = "",
         attach: str | None = None) -> str:
    return petitions.register(reg, petitions.RegistrationInput(
        form=form, received_on=D(day), visitors_count=visitors, persons_involved=visitors,
        category1=category, is_skip_level=skip, attach_to_matter_id=attach,
        petitioners=[petitions.PetitionerInput(name=name, id_number=id_number)],
        summary="反映问题"))["id"]


@pytest.fixture
def county(reg: Register, clock: FakeClock) -> Register:
    return build(reg, clock)


def build(reg: Register, clock: FakeClock) -> Register:
    """The register of the module's docstring, in ``reg`` (HY is its own station again)."""
    clock.now = datetime(2026, 11, 30, 9, 0)
    _in(reg, HY)
    y0a = _reg(reg, "2025-10-13", "张伟", id_number=ZHANG)
    y0b = _reg(reg, "2025-10-14", "李娜", form="来信", category="民政")
    petitions.not_accept(reg, y0b, D("2025-10-15"), "属于诉讼程序", "诉讼（人民法院）")
    petitions.accept(reg, y0a, D("2025-10-20"))
    petitions.reply(reg, y0a, D("2025-10-28"), "支持")
    petitions.rate(reg, y0a, D("2025-10-29"), "满意")
    s1 = _reg(reg, "2026-09-14", "王五", form="来电", category="城乡建设")
    petitions.accept(reg, s1, D("2026-09-18"))
    a1 = _reg(reg, "2026-10-12", "赵六", visitors=6, category="城乡建设")
    a2 = _reg(reg, "2026-10-13", "孙七", form="来电", category="民政", skip=True)
    a3 = _reg(reg, "2026-10-14", "张伟", id_number=ZHANG)
    petitions.accept(reg, a1, D("2026-10-14"))
    _reg(reg, "2026-10-20", "赵六", visitors=2, category="城乡建设", attach=a1)
    petitions.reply(reg, a1, D("2026-10-30"), "解释说明")
    petitions.rate(reg, a1, D("2026-10-31"), "基本满意")
    petitions.accept(reg, a3, D("2026-10-30"))
    assert [reg.get("matters", m)["repeat_kind"] for m in (a1, a2, a3)] == ["初件", "初件", "重件"]
    _in(reg, SQ)
    q0 = _reg(reg, "2025-10-15", "周八", visitors=5)
    petitions.accept(reg, q0, D("2025-10-16"))
    petitions.reply(reg, q0, D("2025-10-31"), "支持")
    petitions.rate(reg, q0, D("2025-10-31"), "不满意")
    b1 = _reg(reg, "2026-10-15", "吴九", form="来信")
    petitions.accept(reg, b1, D("2026-10-16"))
    petitions.reply(reg, b1, D("2026-10-29"), "支持")
    petitions.rate(reg, b1, D("2026-10-30"), "满意")
    _in(reg, HY)
    return reg


OCT = statistics.parse("2026-10")
ZERO = Rate(0, 0)

HAND: dict[tuple[str, str], dict[str, object]] = {
    (HY, "2026-10"): dict(
        total=4, new_matters=3, repeat_visits=1, visit_batches=3, visit_persons=9,
        collective_batches=1, collective_persons=6, skip_level=1, first_petitions=2,
        repeat_petitions=1, accepted=2, not_accepted=0, not_reaccepted=0, carried_in=1,
        concluded=1, open_at_end=3, overdue_at_end=1, timely_acceptance=Rate(1, 3),
        on_time_completion=ZERO, rating_participation=Rate(1, 1), satisfaction=Rate(0, 1),
        mediation_success=ZERO, backlog_resolution=ZERO),
    (SQ, "2026-10"): dict(
        total=1, new_matters=1, repeat_visits=0, visit_batches=0, visit_persons=0,
        collective_batches=0, collective_persons=0, skip_level=0, first_petitions=1,
        repeat_petitions=0, accepted=1, not_accepted=0, not_reaccepted=0, carried_in=0,
        concluded=1, open_at_end=0, overdue_at_end=0, timely_acceptance=Rate(1, 1),
        on_time_completion=ZERO, rating_participation=Rate(1, 1), satisfaction=Rate(1, 1),
        mediation_success=ZERO, backlog_resolution=ZERO),
    (HY, "2025-10"): dict(
        total=2, new_matters=2, repeat_visits=0, visit_batches=1, visit_persons=1,
        collective_batches=0, skip_level=0, first_petitions=2, repeat_petitions=0,
        accepted=1, not_accepted=1, carried_in=0, concluded=2, open_at_end=0,
        overdue_at_end=0, timely_acceptance=Rate(2, 2), rating_participation=Rate(1, 1),
        satisfaction=Rate(1, 1)),
    (SQ, "2025-10"): dict(
        total=1, new_matters=1, visit_batches=1, visit_persons=5, collective_batches=1,
        collective_persons=5, accepted=1, concluded=1, open_at_end=0,
        timely_acceptance=Rate(1, 1), rating_participation=Rate(1, 1),
        satisfaction=Rate(0, 1)),
    (HY, "2026-09"): dict(
        total=1, new_matters=1, accepted=1, concluded=0, open_at_end=1,
        timely_acceptance=Rate(1, 1)),
    (SQ, "2026-09"): dict(total=0, new_matters=0, open_at_end=0, timely_acceptance=ZERO),
    (HY, "2026"): dict(total=5, new_matters=4, repeat_visits=1, carried_in=0, concluded=1,
                       open_at_end=3, timely_acceptance=Rate(2, 4)),
}


@pytest.mark.parametrize("station,period", list(HAND))
def test_every_figure_matches_the_hand_count(county: Register, station: str,
                                             period: str) -> None:
    f = statistics.compute(county, statistics.parse(period), (station,), with_screening=False)
    got = {k: f.value(k) for k in HAND[(station, period)]}
    assert got == HAND[(station, period)]
    assert f.reconciles()


def test_breakdowns_of_october(county: Register) -> None:
    hy = statistics.compute(county, OCT, (HY,), with_screening=False)
    assert hy.by_form == {"来访": 3, "来电": 1}
    assert hy.by_category == {"城乡建设": 1, "民政": 1, "农村农业": 1}
    assert (hy.replies, hy.ratings) == ({"解释说明": 1}, {"基本满意": 1})
    both = statistics.compute(county, OCT, (HY, SQ), with_screening=False)
    assert both.by_form == {"来访": 3, "来电": 1, "来信": 1}
    assert both.counts["total"] == 5 and both.rates["satisfaction"] == Rate(1, 2)


def test_yoy_and_mom_of_october(county: Register) -> None:
    hy = statistics.report(county, OCT, (HY,), with_screening=False)
    assert (hy.year_before.period.key, hy.previous.period.key) == ("2025-10", "2026-09")
    yoy, mom = hy.yoy("total"), hy.mom("total")
    assert (yoy.base, yoy.diff, yoy.percent) == (2, 2, 100.0)
    assert (mom.base, mom.diff, mom.percent) == (1, 3, 300.0)
    assert yoy.text() == "+2（+100.0%）"
    timely = hy.yoy("timely_acceptance")
    assert timely.diff == pytest.approx(100 / 3 - 100)
    assert timely.percent == pytest.approx(-200 / 3)
    assert timely.text(is_rate=True) == "-66.7个百分点（-66.7%）"
    sq = statistics.report(county, OCT, (SQ,), with_screening=False)
    assert (sq.yoy("total").diff, sq.yoy("total").percent) == (0, 0.0)
    assert (sq.mom("total").diff, sq.mom("total").percent, sq.mom("total").reason) == (
        1, None, "上期为0")
    assert sq.mom("total").text() == "+1（—，上期为0）"
    # a rate with no base: "—" and why
    assert sq.mom("satisfaction").text(is_rate=True) == "—（上期无可计算的基数）"
    # no data at all before: 2024-10 has nothing to compare with
    old = statistics.report(county, statistics.parse("2025-10"), (SQ,), with_screening=False)
    assert old.yoy("total").text() == "—（上年同期无数据）"


def test_the_county_ranking_of_october(county: Register) -> None:
    a = statistics.assess(county, OCT, [(HY, "花园镇"), (SQ, "石桥镇")], with_screening=False)
    hy, sq = a.rows
    assert hy.values["total"] == 4 and sq.values["total"] == 1
    assert {k: (hy.ranks[k], sq.ranks[k]) for k in statistics.ASSESSED} == {
        "total": (2, 1), "total_yoy": (2, 1), "timely_acceptance": (2, 1),
        "on_time_completion": (None, None), "satisfaction": (2, 1),
        "first_petitions": (2, 1), "repeat_petitions": (2, 1),
        "collective_batches": (2, 1), "skip_level": (2, 1),
        "screening_completeness": (None, None), "backlog_resolution": (None, None)}
    total = a.total.values
    assert (total["total"], total["timely_acceptance"], total["satisfaction"]) == (
        5, Rate(2, 4), Rate(1, 2))
    change = total["total_yoy"]
    assert isinstance(change, statistics.Change)
    assert (change.diff, round(change.percent or 0, 1)) == (2, 66.7)
    assert (total["first_petitions"], total["repeat_petitions"],
            total["collective_batches"], total["skip_level"]) == (3, 1, 1, 1)
    assert a.missing == []  # a station register has no bundles to miss


def test_ties_share_a_rank(county: Register) -> None:
    sept = statistics.assess(county, statistics.parse("2026-09"),
                             [(HY, "花园镇"), (SQ, "石桥镇")], with_screening=False)
    assert [r.ranks["skip_level"] for r in sept.rows] == [1, 1]


def test_monthly_totals_agree_with_the_figures(county: Register) -> None:
    totals = statistics.monthly_totals(county, 2026, (HY,))
    assert totals == [0] * 8 + [1, 4, 0, 0]
    assert totals[9] == statistics.compute(county, OCT, (HY,), with_screening=False).counts[
        "total"]
    assert statistics.monthly_totals(county, 2025, (HY, SQ))[9] == 3


@pytest.mark.parametrize("period", ["2026-10", "2026", "2025-10", "2026-09"])
def test_pooled_figures_equal_the_figures_computed_together(county: Register,
                                                            period: str) -> None:
    p = statistics.parse(period)
    parts = [statistics.compute(county, p, (code,), with_screening=False) for code in (HY, SQ)]
    pooled = statistics.pool(p, parts)
    together = statistics.compute(county, p, (HY, SQ), with_screening=False)
    assert (pooled.counts, pooled.rates, pooled.by_form, pooled.by_category, pooled.replies,
            pooled.ratings, pooled.mediation, pooled.data_from) == (
        together.counts, together.rates, together.by_form, together.by_category,
        together.replies, together.ratings, together.mediation, together.data_from)
    assert {k: sorted(v) for k, v in pooled.members.items()} == {
        k: sorted(v) for k, v in together.members.items()}
