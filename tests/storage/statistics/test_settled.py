"""The figures skip the candidates that cannot count (``figures._cannot_count``, in SQL):
on a hand-made register of nine months of matters — accepted, not accepted, extended, replied,
rated, open, voided, repeat visits, a reply voided and given again, a matter not accepted and
then taken up again and replied to across a month's boundary, one from the 台账 — every figure
of every month and quarter (members, rates and breakdowns included) is what counting every
candidate one by one gives. No Qt."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from storage import petitions
from storage.register import Register
from storage.statistics import figures
from storage.statistics.periods import parse
from tests.helpers.registers import FakeClock

TODAY = date(2026, 11, 30)


def _register(reg: Register, day: date, name: str, attach: str | None = None) -> str:
    return petitions.register(reg, petitions.RegistrationInput(
        form="来访", received_on=day, visitors_count=1, persons_involved=1,
        category1="农村农业", attach_to_matter_id=attach,
        petitioners=[petitions.PetitionerInput(name=name)], summary="反映问题"))["id"]


def _event(reg: Register, matter_id: str, kind: str, day: date,
           data: dict[str, Any] | None = None) -> None:
    """An event as a correction or an import can leave it, outside the workflow's order."""
    reg.conn.execute(
        "INSERT INTO matter_events (id, station_code, version, created_at, updated_at,"
        " updated_by, deleted, matter_id, kind, occurred_on, actor, note, data, actor_name)"
        " VALUES (?, ?, 1, ?, ?, 'test', 0, ?, ?, ?, 'test', '', ?, '')",
        (f"ev-{matter_id}-{kind}-{day}", reg.station_code, f"{day}T12:00:00",
         f"{day}T12:00:00", matter_id, kind, day.isoformat(), json.dumps(data or {})))


def _until_today(steps: list[tuple[int, Any]], received: date) -> None:
    for offset, step in steps:
        if received + timedelta(days=offset) <= TODAY:
            step(received + timedelta(days=offset))


def build(reg: Register, clock: FakeClock) -> None:
    clock.now = datetime(2026, 11, 30, 9, 0)
    p = petitions
    day, i = date(2026, 3, 2), 0
    while day <= date(2026, 11, 27):
        mid = _register(reg, day, f"人{i}")
        kind = i % 9
        if kind == 0:
            _until_today([(3, lambda d, m=mid: p.accept(reg, m, d)),
                          (20, lambda d, m=mid: p.reply(reg, m, d, "支持")),
                          (22, lambda d, m=mid: p.rate(reg, m, d, "满意"))], day)
        elif kind == 1:
            _until_today([(2, lambda d, m=mid: p.not_accept(reg, m, d, "不属于受理范围"))], day)
        elif kind == 2:
            _until_today([(5, lambda d, m=mid: p.accept(reg, m, d)),
                          (40, lambda d, m=mid: p.extend(reg, m, d, 20, "情况复杂")),
                          (75, lambda d, m=mid: p.reply(reg, m, d, "解释说明")),
                          (80, lambda d, m=mid: p.rate(reg, m, d, "不满意"))], day)
        elif kind == 4:  # voided after its reply
            _until_today([(1, lambda d, m=mid: p.accept(reg, m, d)),
                          (10, lambda d, m=mid: p.reply(reg, m, d, "支持"))], day)
            reg.conn.execute("UPDATE matters SET deleted = 1 WHERE id = ?", (mid,))
        elif kind == 5:  # a repeat visit, then handled
            _until_today([(7, lambda d, m=mid, n=i: _register(reg, d, f"人{n}", attach=m)),
                          (8, lambda d, m=mid: p.accept(reg, m, d)),
                          (30, lambda d, m=mid: p.reply(reg, m, d, "不予支持"))], day)
        elif kind == 6:  # not accepted, taken up again two months later, replied, rated
            _until_today([(2, lambda d, m=mid: _event(reg, m, "not_accept", d)),
                          (60, lambda d, m=mid: _event(reg, m, "accept", d)),
                          (90, lambda d, m=mid: _event(reg, m, "reply", d, {"result": "支持"})),
                          (95, lambda d, m=mid: _event(reg, m, "rate", d, {"rating": "满意"}))],
                         day)
        elif kind == 7:  # the reply voided, another given later
            _until_today([(4, lambda d, m=mid: p.accept(reg, m, d)),
                          (12, lambda d, m=mid: _event(reg, m, "reply", d, {"result": "支持"})),
                          (50, lambda d, m=mid: _event(reg, m, "reply", d,
                                                       {"result": "解释说明"}))], day)
            reg.conn.execute("UPDATE matter_events SET deleted = 1 WHERE matter_id = ? AND"
                             " kind = 'reply' AND occurred_on = ?",
                             (mid, (day + timedelta(days=12)).isoformat()))
        elif kind == 8 and i == 8:  # from the old 台账, closed before the months counted
            reg.conn.execute("UPDATE matters SET source = ?, status = 'closed', closed_on = ?"
                             " WHERE id = ?", (figures.LEDGER, "2026-03-20", mid))
        # kind 3: left open
        day += timedelta(days=3)
        i += 1


def _everything(f: figures.Figures) -> tuple[Any, ...]:
    return (f.counts, f.rates, f.members, f.by_form, f.by_category, f.by_village, f.replies,
            f.ratings, f.mediation, f.data_from)


PERIODS = [f"2026-{m:02d}" for m in range(4, 12)] + ["2026-Q2", "2026-Q3", "2026"]


@pytest.mark.parametrize("key", PERIODS)
def test_skipping_the_settled_changes_no_figure(reg: Register, clock: FakeClock,
                                                monkeypatch: pytest.MonkeyPatch,
                                                key: str) -> None:
    build(reg, clock)
    period = parse(key)
    read: list[int] = []  # the candidates' rows made into Python rows, per computation
    real = figures._records

    def spy(reg: Register, sql: str, params: Any) -> Any:
        rows = real(reg, sql, params)
        read.append(len(rows))
        return rows

    monkeypatch.setattr(figures, "_records", spy)
    skipping = figures.compute(reg, period, with_screening=False)
    monkeypatch.setattr(figures, "_cannot_count", lambda _tally: ("0", []))
    one_by_one = figures.compute(reg, period, with_screening=False)
    assert _everything(skipping) == _everything(one_by_one)
    assert skipping.counts["new_matters"] > 0
    if period.kind == "month" and key >= "2026-07":
        assert read[0] < read[1]  # the path under test was taken: some were left out


def test_earliest_start_is_the_first_day_whose_deadline_reaches_the_start(
        reg: Register) -> None:
    deadlines = figures._Deadlines(reg)
    first = date(2026, 10, 1)
    for kind, ext in ((figures.DeadlineKind.ACCEPTANCE_NOTICE, 0),
                      (figures.DeadlineKind.HANDLING, 30)):
        start = date.fromisoformat(figures._earliest_start(deadlines, kind, first, ext))
        assert deadlines.due(kind, start.isoformat(), ext) >= first.isoformat()
        for back in range(1, 200):
            before = (start - timedelta(days=back)).isoformat()
            assert deadlines.due(kind, before, ext) < first.isoformat()
