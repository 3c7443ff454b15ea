"""Monthly mediation statistics and the demo generator."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from storage import mediation
from storage.demo import mediation as mediation_demo
from storage.errors import ValidationError
from storage.register import Register
from tests.storage.mediation.test_mediation import (
    TODAY,
    agreement,
    make_dispute,
    make_matter,
    open_case,
    session,
)


def test_month_counts(reg: Register) -> None:
    feb = date(2026, 2, 10)
    # accepted in February: two agreements (one linked to a matter), one failure
    a = open_case(reg, accepted_on=feb, dispute_type="邻里")
    mediation.record_session(reg, a["id"], session(held_on=feb + timedelta(days=2)))
    mediation.sign_agreement(reg, a["id"], agreement(signed_on=feb + timedelta(days=3),
                                                     amount="1200"))
    b = open_case(reg, accepted_on=feb, dispute_type="合同", source="court",
                  referred_by="吴中区人民法院")
    mediation.record_session(reg, b["id"], session(held_on=feb + timedelta(days=2)))
    mediation.sign_agreement(reg, b["id"], agreement(signed_on=date(2026, 3, 1),
                                                     amount="1.5万"))
    c = open_case(reg, accepted_on=feb, dispute_type="邻里", source="initiative")
    mediation.record_failure(reg, c["id"], on=feb + timedelta(days=5), reason="分歧大",
                             routes=["司法"])
    matter = make_matter(reg)
    m = mediation.open_mediation_from_matter(reg, matter["id"], dispute_type="房屋宅基地",
                                             mediators=["陈调解"], recorder="李文静",
                                             accepted_on=date(2026, 2, 25))
    mediation.add_party(reg, m["id"], mediation.PartyInput(side="b", name="王小明"))
    mediation.record_session(reg, m["id"], session(held_on=date(2026, 2, 26)))
    mediation.sign_agreement(reg, m["id"], agreement(signed_on=date(2026, 2, 27)))
    mediation.record_performance(reg, m["id"], on=TODAY, status="performed")

    feb_stats = mediation.month_stats(reg, "2026-02")
    assert (feb_stats.accepted, feb_stats.succeeded, feb_stats.failed) == (4, 2, 1)
    assert feb_stats.amount == Decimal("1200.00")
    # of the 3 cases concluded in February, 2 agreed (the 4th is still in mediation)
    assert feb_stats.success_rate == pytest.approx(2 / 3)
    assert feb_stats.by_type["邻里"].accepted == 2 and feb_stats.by_type["邻里"].failed == 1
    assert feb_stats.by_type["邻里"].amount == Decimal("1200.00")
    assert feb_stats.by_source == {"application": 1, "court": 1, "initiative": 1, "matter": 1}
    assert feb_stats.by_source_group == {"申请调解": 1, "接受委托移送调解": 1, "主动调解": 2}
    assert feb_stats.matters_resolved == 0 and feb_stats.open_at_end == 1  # b, agreed 1 Mar

    mar = mediation.month_stats(reg, "2026-03")
    assert (mar.accepted, mar.succeeded, mar.performed) == (0, 1, 1)
    assert mar.amount == Decimal("15000.00") and mar.by_type["合同"].succeeded == 1
    assert mar.matters_resolved == 1 and mar.disputes_resolved == 0
    # accepted in February, agreed in March: March's success (it was "—（1/0）" before)
    assert mar.success_rate == 1.0
    with pytest.raises(ValidationError):
        mediation.month_stats(reg, "2026-13")


def test_demo_makes_cases_in_every_state(reg: Register) -> None:
    make_matter(reg)
    dispute = make_dispute(reg)
    counts = mediation_demo.generate_demo(reg, random.Random(7), start=date(2025, 3, 1),
                                          months=13, count=120)
    assert counts["mediations"] == 120 and counts["refused"] == 0
    assert counts["from_matters"] == 1 and counts["from_disputes"] == 1
    assert reg.get("disputes", dispute["id"])["mediation_id"]
    statuses = {r["status"] for r in reg.rows("SELECT status FROM mediations")}
    assert statuses == set(mediation.STATUS_LABELS)
    perf = {r["performance_status"] for r in reg.rows("SELECT performance_status FROM mediations")}
    assert {"pending", "performed", "partial", "breached"} <= perf
    assert reg.scalar("SELECT count(*) FROM mediation_agreements WHERE form = 'oral'") > 0
    assert reg.scalar("SELECT count(*) FROM mediation_agreements WHERE jc_result != ''") > 0
    assert reg.scalar("SELECT count(*) FROM mediation_followups") > 0
    assert reg.scalar("SELECT max(period_extended_days) FROM mediations") > 0
    # every closed case has a complete file
    for row in reg.rows("SELECT id FROM mediations WHERE status = 'closed'"):
        assert not mediation.mediation_file(reg, row["id"]).missing_documents


def test_cli_lists_mediations(file_reg: Register, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    import main

    assert file_reg.path is not None
    open_case(file_reg)
    closed = open_case(file_reg, title="已终止的纠纷")
    mediation.terminate(file_reg, closed["id"], on=TODAY, reason="撤回申请")
    data_dir = str(file_reg.path.parent)
    assert main.main(["mediations", "--data-dir", data_dir, "--json", "--status", "open"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["number"] for r in rows] == ["（2026）花园人调字第1号"]
    assert rows[0]["next_deadline"]["kind"] == "period"
    assert main.main(["mediations", "--data-dir", data_dir]) == 0
    out = capsys.readouterr().out
    assert "已终止的纠纷" in out and "已终止" in out
