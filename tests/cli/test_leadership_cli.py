"""The commands of how the work is led: ``backlog`` and ``supervision`` (text and ``--json``),
the county's ``export`` writing its 交办/督办 for the township and the township's ``import``,
and the new forms under ``print`` (PDF, and the 包案台账 as .xlsx)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

import main
from storage import accounts, leadership
from storage.i18n import current_language, set_language
from tests.helpers import register_data as rd
from tests.helpers.leadership import TOWN_PASS, duban, jiaoban, pair
from tests.helpers.pdf import Pdf
from tests.helpers.registers import FakeClock

HUAYUAN = "320508102000"


@pytest.fixture(autouse=True)
def chinese(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PETITIONDESK_LANG", "zh_CN")
    language = current_language()
    yield
    set_language(language)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_down_up_and_the_forms_on_the_command_line(tmp_path: Path, clock: FakeClock,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    world = pair(clock, tmp_path, on_disk=True)
    jb = jiaoban(world.county)
    dn = duban(world.county, world.matter_id)
    town = world.town
    town.actor = accounts.find_user(town, "head").actor()
    leader = leadership.add_leader(town, "王建华", "副镇长")
    leadership.hold(town, leadership.HoldingInput(
        leader.id, "matter", world.matter_id, date(2026, 3, 20), "约谈双方，现场勘界",
        leadership.parse_steps("2026-03-10 现场勘界")))
    later = rd.register(town, date(2026, 3, 2), people=[rd.petitioner("刘明")])
    visit = leadership.make_appointment(town, leadership.AppointmentInput(
        later["id"], leader.id, date(2026, 3, 5), "上午9时", "镇信访接待室"))
    world.county.close()
    town.close()
    county_dir, town_dir, stick = tmp_path / "county", tmp_path / "town", tmp_path / "stick"
    stick.mkdir()

    code, out, err = run(capsys, "export", "--to", str(stick), "--data-dir", str(county_dir),
                         "--json")
    assert code == 0, err
    [sent] = json.loads(out)
    assert sent["township"] == HUAYUAN and sent["records"] == 2
    monkeypatch.setenv("PETITIONDESK_PASSPHRASE", TOWN_PASS)
    code, out, err = run(capsys, "import", str(stick), "--data-dir", str(town_dir))
    assert code == 0, err
    # (the commands run on the real clock: the bundle's month and the statuses are today's)
    assert "320508000000-320508102000-" in out and "-001.pdsync: 已导入" in out

    code, out, err = run(capsys, "supervision", "--data-dir", str(town_dir))
    assert code == 0, err
    assert jb.number in out and dn.number in out and "姑苏区信访局" in out and "已逾期" in out
    code, out, _ = run(capsys, "supervision", "--json", "--data-dir", str(county_dir))
    assert {r["number"]: r["status"] for r in json.loads(out)} == {
        jb.number: "overdue", dn.number: "overdue"}
    code, out, _ = run(capsys, "supervision", "--status", "answered", "--data-dir",
                       str(county_dir))
    assert out.strip() == "没有交办督办件。"

    code, out, err = run(capsys, "backlog", "--json", "--data-dir", str(town_dir))
    assert code == 0, err
    data = json.loads(out)
    assert data["listed_now"] == 0 and data["backlog"] == []
    assert "同一事项重复来访3次及以上" in data["rules"]

    pdfs = tmp_path / "pdf"
    pdfs.mkdir()
    for args, data_dir, words in (
            (["assignment", "--ref", jb.number], county_dir, ("信访事项交办单", jb.number)),
            (["assignment", "--ref", dn.number], county_dir, ("信访事项督办单", "重点督办")),
            (["appointment", "--ref", visit.id], town_dir, ("约访通知书", "镇信访接待室")),
            (["holding-ledger", "--leader", "王建华"], town_dir, ("领导包案台账", "现场勘界"))):
        out_file = pdfs / f"{args[0]}-{len(list(pdfs.iterdir()))}.pdf"
        code, out, err = run(capsys, "print", *args, "--out", str(out_file), "--data-dir",
                             str(data_dir))
        assert code == 0, err
        text = Pdf(out_file.read_bytes()).flat_text
        assert all(w.replace(" ", "") in text for w in words), (args, text[:200])

    sheet = tmp_path / "ledger.xlsx"
    code, out, err = run(capsys, "print", "holding-ledger", "--out", str(sheet), "--data-dir",
                         str(town_dir), "--json")
    assert code == 0, err
    assert json.loads(out)["rows"] == 1
    book = load_workbook(io.BytesIO(sheet.read_bytes()))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[2][:4] == ("序号", "包案领导", "类别", "包案事项")
    assert rows[3][1] == "王建华（副镇长）" and rows[3][5].date() == date(2026, 3, 20)

    code, out, err = run(capsys, "print", "holding-ledger", "--out", str(pdfs / "x.pdf"),
                         "--data-dir", str(county_dir))
    assert code == 1 and out == "" and err.count("\n") == 1 and "--station" in err
