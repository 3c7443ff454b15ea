"""The old 台账 in (docs/domain.md §3.8): a 1,000-row ledger with deliberate errors made by the
test imports its good rows in one go, lists each bad row with its reason, and a second import
adds nothing; .csv (GB18030, UTF-8 with BOM), .xls and .xlsx are read; a mapping is remembered."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from printing import spreadsheet as xs
from storage import ledger, petitions, statistics
from storage.errors import ValidationError
from storage.register import Register
from tests.helpers import ledger as lg


def _register_known_person(reg: Register) -> None:
    petitions.register(reg, petitions.RegistrationInput(
        form="来访", received_on=date(2026, 2, 2), summary="反映宅基地纠纷",
        petitioners=[petitions.PetitionerInput(name=lg.KNOWN_NAME, id_number=lg.KNOWN_ID,
                                               phone="13812345678")]))


def _preview(reg: Register, path: Path) -> ledger.Preview:
    table = ledger.read_table(path)
    return ledger.preview(reg, table, ledger.resolve(table.headers))


@pytest.fixture(scope="module")
def thousand() -> lg.Ledger:
    return lg.make(1000)


def test_thousand_rows_good_in_bad_listed_second_import_adds_nothing(
        reg: Register, thousand: lg.Ledger, tmp_path: Path) -> None:
    _register_known_person(reg)
    path = lg.write_xlsx(thousand, tmp_path / "台账.xlsx")
    first = _preview(reg, path)
    assert len(first.rows) == 1000
    bad = {r.line: r.problems for r in first.bad}
    assert set(bad) == set(thousand.errors), sorted(set(bad) ^ set(thousand.errors))
    for line, fragment in thousand.errors.items():
        assert any(fragment in p for p in bad[line]), (line, fragment, bad[line])
    assert len(first.good) == thousand.good == 900
    audit_before = reg.scalar("SELECT count(*) FROM audit_log")

    outcome = ledger.import_rows(reg, first)
    assert outcome.imported == 900 and len(outcome.rejected) == 100
    assert reg.scalar("SELECT count(*) FROM matters WHERE source = 'ledger'") == 900
    # every imported record went through the write path: one audit entry per row written
    assert reg.scalar("SELECT count(*) FROM audit_log") - audit_before >= 900 * 5
    # the known person was not renamed by the rows that gave their ID number another name
    assert petitions.find_by_id_number(reg, lg.KNOWN_ID)["name"] == lg.KNOWN_NAME

    second = _preview(reg, path)
    assert not second.good and len(second.already) == 900
    assert set(r.line for r in second.bad) == set(thousand.errors)
    assert ledger.import_rows(reg, second).imported == 0
    assert reg.scalar("SELECT count(*) FROM matters WHERE source = 'ledger'") == 900


def test_imported_matters_keep_number_and_date_are_historic_and_counted(
        reg: Register, tmp_path: Path) -> None:
    small = lg.make(30, error_every=1000)
    small.rows[4][12] = "办理中"
    small.rows[5][12] = "已办结"
    path = lg.write_xlsx(small, tmp_path / "small.xlsx", title=None)
    ledger.import_rows(reg, _preview(reg, path))
    m = reg.rows("SELECT * FROM matters WHERE number = ?", (small.rows[5][1],))[0]
    assert (m["received_on"], m["status"], m["closed_on"], m["source"]) == (
        small.rows[5][5], "closed", small.rows[5][5], "ledger")
    assert m["due_date"] is None and m["due_kind"] == ""
    still = reg.rows("SELECT * FROM matters WHERE number = ?", (small.rows[4][1],))[0]
    assert still["status"] == "handling" and still["due_date"] is None
    # nothing imported is overdue by today's clock
    assert reg.scalar("SELECT count(*) FROM matters WHERE source = 'ledger'"
                      " AND due_date IS NOT NULL") == 0
    kinds = [e["kind"] for e in petitions.events_of(reg, m["id"])]
    assert kinds == ["registered", "imported"]
    # the year's volume counts them: the base of next year's 同比
    month = small.rows[0][5][:7]
    in_month = sum(1 for r in small.rows if str(r[5]).startswith(month))
    assert statistics.monthly(reg, month).new_matters == in_month


def test_rejected_rows_report_corrected_and_imported_again(
        reg: Register, tmp_path: Path) -> None:
    small = lg.make(40)
    path = lg.write_csv(small, tmp_path / "台账.csv")
    preview = _preview(reg, path)
    ledger.import_rows(reg, preview)
    headers, rows = ledger.rejected_table(preview)
    assert headers[-1] == "问题" and len(rows) == len(small.errors)
    report = xs.write_workbook(tmp_path / "未导入.xlsx", [xs.Sheet("未导入", [
        xs.Column(h) for h in headers], rows)])
    # the clerk fills in the missing summary and imports the report
    fixed_rows = [list(r) for r in rows]
    missing = [r for r in fixed_rows if "缺少概况" in str(r[-1])]
    missing[0][7] = "反映邻里排水沟堵塞问题"
    xs.write_workbook(report, [xs.Sheet("未导入", [xs.Column(h) for h in headers],
                                        fixed_rows)])
    again = _preview(reg, report)
    assert [r.line for r in again.good] == [fixed_rows.index(missing[0]) + 2]
    assert ledger.import_rows(reg, again).imported == 1


def test_csv_in_gb18030_and_utf8_bom_xls_and_xlsx_read_alike(tmp_path: Path) -> None:
    small = lg.make(25, error_every=1000)
    tables = [ledger.read_table(p) for p in (
        lg.write_csv(small, tmp_path / "a.csv", "gb18030"),
        lg.write_csv(small, tmp_path / "b.csv", "utf-8-sig"),
        lg.write_xls(small, tmp_path / "c.xls"),
        lg.write_xlsx(small, tmp_path / "d.xlsx", title="花园镇信访台账"))]
    for t in tables:
        assert t.headers == lg.HEADERS
        assert len(t.rows) == 25 and t.rows[0][0] == (3 if t.file_name == "d.xlsx" else 2)
        assert t.rows[3][1][2] == small.rows[3][2]  # the name, in Chinese
        assert str(t.rows[3][1][5])[:10] == small.rows[3][5]
        assert str(t.rows[3][1][3]) == small.rows[3][3]


def test_mapping_for_unknown_headers_is_remembered(reg: Register, tmp_path: Path) -> None:
    small = lg.make(10, error_every=1000)
    small.headers = tuple({"姓名": "来访群众", "反映问题": "事项摘要"}.get(h, h)
                          for h in small.headers)
    table = ledger.read_table(lg.write_xlsx(small, tmp_path / "x.xlsx"))
    assert [table.headers[i] for i in ledger.unrecognised(table.headers)] == [
        "来访群众", "事项摘要"]
    with pytest.raises(ValidationError, match="姓名"):
        ledger.preview(reg, table, ledger.resolve(table.headers))
    assert ledger.remembered(reg, table.headers) is None
    ledger.remember(reg, table.headers, {"来访群众": "姓名", "事项摘要": "summary"})
    again = ledger.read_table(lg.write_xlsx(small, tmp_path / "y.xlsx", title="另一份"))
    choices = ledger.remembered(reg, again.headers)
    assert choices == {"来访群众": "name", "事项摘要": "summary"}
    assert len(ledger.preview(reg, again, ledger.resolve(again.headers, choices)).good) == 10


def test_unreadable_files_are_one_plain_message(tmp_path: Path) -> None:
    for name, data in (("a.txt", b"x"), ("b.xlsx", b"not a zip"), ("c.csv", b"")):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ValidationError):
            ledger.read_table(tmp_path / name)
    with pytest.raises(ValidationError, match="找不到"):
        ledger.read_table(tmp_path / "missing.xlsx")


def test_a_rename_at_the_desk_after_the_import_is_no_problem_of_the_ledger(
        reg: Register, tmp_path: Path) -> None:
    small = lg.make(6, error_every=1000)
    path = lg.write_xlsx(small, tmp_path / "a.xlsx")
    ledger.import_rows(reg, _preview(reg, path))
    person = petitions.find_by_id_number(reg, str(small.rows[2][3]))
    petitions.rename(reg, person["id"], "新名字", "依法变更姓名")
    again = _preview(reg, path)
    assert not again.bad and len(again.already) == 6
    # a new row of the same person under the old name is still refused
    small.rows.append(list(small.rows[2]))
    small.rows[-1][1], small.rows[-1][5] = "新编号-1", "2025-12-01"
    third = _preview(reg, lg.write_xlsx(small, tmp_path / "b.xlsx"))
    assert [r.line for r in third.bad] == [8] and "已登记为“新名字”" in third.bad[0].problems[0]
