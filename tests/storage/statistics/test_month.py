"""The month as the monthly report prints it: counts and rates against a hand-built month."""

from __future__ import annotations

from datetime import date

import pytest

from storage import petitions, statistics
from storage.errors import ValidationError
from storage.register import Register
from tests.helpers.registers import FakeClock


def _register(reg: Register, day: date, *, form: str = "来访", visitors: int = 1,
              name: str = "张伟", id_number: str = "", category: str = "农村农业",
              skip: bool = False) -> str:
    return petitions.register(reg, petitions.RegistrationInput(
        form=form, received_on=day, visitors_count=visitors, persons_involved=visitors,
        is_skip_level=skip, category1=category,
        petitioners=[petitions.PetitionerInput(name=name, id_number=id_number)],
        summary="反映问题"))["id"]


def test_volumes_and_rates(reg: Register, clock: FakeClock) -> None:
    clock.now = clock.now.replace(year=2026, month=3, day=31)
    a = _register(reg, date(2026, 3, 2), visitors=6, id_number="11010519491231002X")
    b = _register(reg, date(2026, 3, 3), form="来信", skip=True, name="李娜")
    c = _register(reg, date(2026, 3, 4), form="来电", name="王五", category="民政")
    # A repeat visit about the open matter a.
    petitions.register(reg, petitions.RegistrationInput(
        form="来访", received_on=date(2026, 3, 9), attach_to_matter_id=a,
        petitioners=[petitions.PetitionerInput(name="张伟", id_number="11010519491231002X")],
        summary="催办"))
    petitions.accept(reg, a, date(2026, 3, 10))       # notice due 3-17: on time
    petitions.not_accept(reg, b, date(2026, 3, 25), "属于诉讼程序", "诉讼（人民法院）")  # due 3-18: late
    # c (received 3-04, due 3-19) never decided: due in March, not timely.
    petitions.reply(reg, a, date(2026, 3, 20), "支持")
    petitions.rate(reg, a, date(2026, 3, 21), "满意")
    s = statistics.monthly(reg, "2026-03")
    assert (s.new_matters, s.repeat_visits, s.total_items) == (3, 1, 4)
    # the repeat visit is a 件次 of its channel and a 来访 batch of its month (§7.4)
    assert s.by_form == {"来访": 2, "来信": 1, "来电": 1}
    assert sum(s.by_form.values()) == s.total_items
    assert (s.visit_batches, s.visit_persons) == (2, 7)
    assert (s.collective_batches, s.collective_persons) == (1, 6)
    assert s.skip_level == 1
    assert s.by_category == {"农村农业": 2, "民政": 1}
    assert s.decided == {"受理": 1, "不予受理": 1, "不再受理": 0}
    assert (s.timely_acceptance.numerator, s.timely_acceptance.denominator) == (1, 3)
    assert s.rating_participation.text() == "100.0%（1/1）"
    assert s.satisfaction.percent == 100.0
    assert s.closed == 2  # 办结: the 不予受理 matter and the written reply to a
    assert (s.carried_in, s.open_at_end) == (0, 1)
    assert c in {r["id"] for r in reg.rows("SELECT id FROM matters WHERE due_date < '2026-03-31'")}
    assert s.overdue_at_end == 1
    april = statistics.monthly(reg, "2026-04")
    assert april.new_matters == 0 and april.timely_acceptance.denominator == 0
    assert april.timely_acceptance.text() == "—"


def test_bad_month_is_refused(reg: Register) -> None:
    with pytest.raises(ValidationError):
        statistics.monthly(reg, "2026-13")
