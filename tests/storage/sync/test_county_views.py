"""The county's station filter over every township's matters, mediations and screenings, and
the read-only view of one township (no Qt)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from storage import mediation, petitions, station
from storage import screening as sc
from storage.errors import NotFound, PermissionDenied
from storage.screening import CellState
from storage.sync import county
from tests.helpers.county import (
    HUAYUAN,
    SHIQIAO,
    County,
    copy_of,
    county_with_two_townships,
)
from tests.helpers.registers import FakeClock

TODAY = date(2026, 3, 2)


@pytest.fixture
def cty(clock: FakeClock, two_townships: County) -> Iterator[County]:
    c = copy_of(two_townships, clock)
    yield c
    for reg in (c.county, *c.townships.values()):
        reg.close()


def summaries(reg: object, ids: list[str]) -> list[str]:
    from storage.register import Register

    assert isinstance(reg, Register)
    return sorted(r["summary"] for r in petitions.list_rows(reg, ids))


def test_matters_filter_by_station(cty: County) -> None:
    c = cty.county
    everything = petitions.search_ids(c, "")
    assert len(everything) == 3
    hy = petitions.search_ids(c, "", petitions.Filters(station_code=HUAYUAN))
    sq = petitions.search_ids(c, "", petitions.Filters(station_code=SHIQIAO))
    assert summaries(c, hy) == ["花园镇拆迁补偿诉求", "花园镇春耕用水纠纷"]
    assert summaries(c, sq) == ["石桥镇道路硬化诉求"]
    # the village filter narrows within the chosen township: its own villages only
    villages = station.villages(c, HUAYUAN)
    assert [v.name for v in villages] == ["第1村", "第2村"]
    assert [v.name for v in station.villages(c, SHIQIAO)] == ["第1村"]
    assert station.villages(c) == []  # the county has no villages of its own
    in_second = petitions.search_ids(c, "", petitions.Filters(station_code=HUAYUAN,
                                                        village_id=villages[1].id))
    assert summaries(c, in_second) == ["花园镇拆迁补偿诉求"]
    # full case numbers at the county, and the short name of each station
    rows = petitions.list_rows(c, sq)
    assert rows[0]["number"] == f"{SHIQIAO}-2026-00001" and rows[0]["station_code"] == SHIQIAO
    assert county.short_names(c) == {"320508000000": "姑苏", HUAYUAN: "花园", SHIQIAO: "石桥"}


def test_mediations_filter_by_station(cty: County) -> None:
    c = cty.county
    every = mediation.list_cases(c, today=TODAY)
    assert sorted(s.title for s in every) == ["石桥甲债务纠纷", "花园乙宅基地纠纷",
                                              "花园甲相邻通行纠纷"]
    assert {s.station_code for s in every} == {HUAYUAN, SHIQIAO}
    hy = mediation.list_cases(c, today=TODAY, station_code=HUAYUAN)
    assert sorted(s.title for s in hy) == ["花园乙宅基地纠纷", "花园甲相邻通行纠纷"]
    assert all(s.station_code == HUAYUAN for s in hy)
    [sq] = mediation.list_cases(c, today=TODAY, station_code=SHIQIAO, status="open")
    assert sq.title == "石桥甲债务纠纷" and sq.number == "（2026）石桥人调字第1号"
    # other filters still apply together with the station
    assert mediation.list_cases(c, today=TODAY, station_code=SHIQIAO, text="花园") == []
    # nothing can be opened or changed at the county
    assert not mediation.can_edit(c)
    with pytest.raises(PermissionDenied):
        mediation.record_failure(c, sq.id, on=TODAY, reason="双方不同意", routes=["诉讼"])


def test_a_township_keeps_seeing_only_its_own_mediations(cty: County) -> None:
    town = cty.townships[SHIQIAO]
    assert [s.title for s in mediation.list_cases(town, today=TODAY)] == ["石桥甲债务纠纷"]
    # asking for another station's code at a township finds nothing of its own
    assert mediation.list_cases(town, today=TODAY, station_code=HUAYUAN) == []


def test_township_view_shows_that_townships_screening(cty: County) -> None:
    c = cty.county
    hy = county.township_view(c, HUAYUAN)
    sq = county.township_view(c, SHIQIAO)
    assert hy.station_code == HUAYUAN and hy.mode == "county"
    assert c.station_code == "320508000000"  # the county register itself is untouched

    m = sc.completeness(hy)
    assert [f"{r.grid.village_name}{r.grid.name}" for r in m.rows] == [
        "第1村一组", "第1村二组", "第2村一组", "第2村二组"]
    current = [r.cells[-1].state for r in m.rows]
    assert current == [CellState.ZERO, CellState.REPORTED, CellState.DUE, CellState.DUE]
    assert len(sc.completeness(sq).rows) == 2

    assert [d["summary"] for d in sc.list_disputes(hy)] == ["花园一组滴水檐争执"]
    assert [d["summary"] for d in sc.list_disputes(sq)] == ["石桥一组界址争执"]
    assert [v.name for v in station.villages(sq)] == ["第1村"]

    sheet = sc.monthly_sheet(hy, 2026, 3)
    assert sheet.station_name == "花园镇信访工作站"
    assert [r.summary for r in sheet.rows] == ["花园一组滴水檐争执"]
    assert (sheet.reports.reported, sheet.reports.zero, sheet.reports.due) == (1, 1, 2)
    assert sheet.cadence == "weekly"


def test_township_view_refuses_every_write(cty: County) -> None:
    c = cty.county
    hy = county.township_view(c, HUAYUAN)
    grid = station.grids(hy)[2]
    with pytest.raises(PermissionDenied):
        sc.report_zero(hy, grid.id)
    with pytest.raises(PermissionDenied):
        sc.issue_month(hy, 2026, 2)
    [d] = sc.list_disputes(hy)
    with pytest.raises(PermissionDenied):
        sc.update_dispute(hy, d["id"], sc.DisputeProgress(note="县里改", status=sc.RESOLVED),
                          in_report=False)
    with pytest.raises(PermissionDenied), hy.transaction():
        pass
    with pytest.raises(PermissionDenied):
        hy.set_setting("station_code", HUAYUAN)
    with pytest.raises(PermissionDenied):
        hy.insert("villages", dict(name="县里加的村", code="320508102299", sort=9))
    assert c.scalar("SELECT count(*) FROM screening_reports WHERE grid_id = ?",
                    (grid.id,)) == 0
    assert c.scalar("SELECT count(*) FROM villages WHERE name = '县里加的村'") == 0
    hy.close()  # the county's connection stays open
    assert c.scalar("SELECT count(*) FROM stations") == 3


def test_township_view_reads_the_townships_cadence_off_its_reports(cty: County) -> None:
    """Settings never travel; a half-monthly township is still shown half-monthly."""
    c = cty.county
    c.conn.execute(  # as if 石桥镇 reported half-monthly, due three days after the period
        "UPDATE screening_reports SET cadence = 'half_monthly', period = '2026-03-1',"
        " period_start = '2026-03-01', period_end = '2026-03-15', due_on = '2026-03-18'"
        " WHERE station_code = ?", (SHIQIAO,))
    sq = county.township_view(c, SHIQIAO)
    assert (sc.cadence(sq), sc.grace_days(sq)) == ("half_monthly", 3)
    assert sc.completeness(sq).periods[-1].key == "2026-03-1"
    hy = county.township_view(c, HUAYUAN)
    assert (sc.cadence(hy), sc.grace_days(hy)) == ("weekly", 1)


def test_township_view_only_at_the_county_and_for_a_township_held(cty: County) -> None:
    with pytest.raises(NotFound):
        county.township_view(cty.county, "320508199000")
    with pytest.raises(PermissionDenied):
        county.township_view(cty.townships[HUAYUAN], SHIQIAO)


def test_screening_summary_per_township(cty: County) -> None:
    rows = county.screening_summary(cty.county, 2026, 3)
    assert [(r.station_code, r.name) for r in rows] == [(HUAYUAN, "花园镇信访工作站"),
                                                        (SHIQIAO, "石桥镇信访工作站")]
    hy, sq = rows
    assert (hy.grids, hy.reported, hy.zero, hy.due, hy.disputes, hy.active, hy.resolved) == (
        4, 1, 1, 2, 1, 1, 0)
    assert (sq.grids, sq.reported, sq.zero, sq.due, sq.disputes, sq.active) == (2, 1, 0, 1, 1, 1)
    assert not hy.locked and not sq.locked


def test_county_names_each_grid_after_its_latest_reporter(cty: County) -> None:
    """Accounts stay at the station, so the county names a grid's liaison after whoever filed
    its latest report; a grid nobody has reported for stays unassigned."""
    hy = county.township_view(cty.county, HUAYUAN)
    town = cty.townships[HUAYUAN]
    reporter = town.rows("SELECT reporter_name FROM screening_reports")[0]["reporter_name"]
    assert reporter
    rows = sc.completeness(hy).rows
    assert [r.liaison for r in rows] == [reporter, reporter, "", ""]
    # At the station an unassigned grid stays visibly unassigned, for the head to fix.
    assert [r.liaison for r in sc.completeness(town).rows] == ["", "", "", ""]


def test_command_line_lists_one_township(clock: FakeClock, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    import json

    import main

    county_dir = tmp_path / "county"
    county_with_two_townships(clock, tmp_path, county_dir)
    d = str(county_dir)

    def listed(*argv: str) -> list[dict[str, object]]:
        assert main.main([*argv, "--data-dir", d, "--json"]) == 0
        return list(json.loads(capsys.readouterr().out))

    cases = listed("cases", "--station", SHIQIAO)
    assert [(c["station_code"], str(c["number"])[:12]) for c in cases] == [(SHIQIAO, SHIQIAO)]
    assert len(listed("cases")) == 3
    assert {m["station_code"] for m in listed("mediations", "--station", HUAYUAN)} == {HUAYUAN}
    assert main.main(["screenings", "--station", HUAYUAN, "--data-dir", d, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["grids"]) == 4
    assert main.main(["screenings", "--station", "320508999000", "--data-dir", d]) != 0
    assert "320508999000" in capsys.readouterr().err
