"""``python main.py print …`` (``main.main``, run in this process with its output captured) on
a register built through storage in a temporary directory: every sub-command writes a PDF with
the document's text; a refusal is one plain line and exit status 1."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import main
from storage.db import open_register
from storage.i18n import current_language, set_language
from tests.helpers import register_data as rd
from tests.helpers.pdf import Pdf
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up


@dataclass
class Built:
    data_dir: Path
    matters: rd.Matters
    mediation_number: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    data_dir = tmp_path_factory.mktemp("register") / "data"
    clock = FakeClock()
    reg = set_up(open_register(data_dir, clock=clock, password_hasher=CHEAP_HASHER))
    try:
        rd.screening_month(reg, clock)
        matters = rd.build_matters(reg)
        case = rd.mediation_case(reg)
    finally:
        reg.close()
    yield Built(data_dir, matters, case["number"])


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def chinese(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The commands run in Chinese; the process's language is put back afterwards."""
    monkeypatch.setenv("PETITIONDESK_LANG", "zh_CN")
    language = current_language()
    yield
    set_language(language)


@pytest.fixture
def run(built: Built, capsys: pytest.CaptureFixture[str]) -> Run:
    """``main.py print ARGS --data-dir <built>``: exit status and what it printed."""

    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main.main(["print", *args, "--data-dir", str(built.data_dir)])
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return run


def printed(run: Run, tmp_path: Path, *args: str) -> Pdf:
    out = tmp_path / "out.pdf"
    result = run(*args, "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["path"] == str(out) and info["bytes"] == out.stat().st_size
    return Pdf(out.read_bytes())


def test_receipt(built: Built, run: Run, tmp_path: Path) -> None:
    pdf = printed(run, tmp_path, "receipt", "--case", built.matters.registered["number"])
    assert "信访事项登记回执" in pdf.flat_text and "王堃" in pdf.flat_text
    assert "139****5678" in pdf.flat_text


def test_notice_by_id_and_by_number(built: Built, run: Run, tmp_path: Path) -> None:
    pdf = printed(run, tmp_path, "notice", "--case", built.matters.rejected["id"])
    assert "不予受理信访事项告知书" in pdf.flat_text
    pdf = printed(run, tmp_path, "notice", "--case", built.matters.accepted["number"])
    assert "信访事项受理告知书" in pdf.flat_text and "〔2026〕花信受字第1号" in pdf.flat_text


def test_extension_and_reply(built: Built, run: Run, tmp_path: Path) -> None:
    ref = built.matters.accepted["number"]
    assert "办理期限延长20日" in printed(run, tmp_path, "extension", "--case", ref).flat_text
    assert "三、复查权利告知" in printed(run, tmp_path, "reply", "--case", ref).flat_text


def test_agreement_masked_and_full(built: Built, run: Run, tmp_path: Path) -> None:
    masked = printed(run, tmp_path, "agreement", "--mediation", built.mediation_number)
    assert "人民调解协议书" in masked.flat_text and rd.ID_A not in masked.flat_text
    full = printed(run, tmp_path, "agreement", "--mediation", "2026-1", "--full-ids")
    assert rd.ID_A in full.flat_text


@pytest.mark.parametrize(("kind", "expected"), [
    ("application", "人民调解申请书"), ("registration", "人民调解受理登记表"),
    ("record", "人民调解记录"), ("investigation", "人民调解调查记录"),
    ("followup", "人民调解回访记录"), ("cover", "卷内目录")])
def test_mediation_documents(built: Built, run: Run, tmp_path: Path, kind: str,
                             expected: str) -> None:
    pdf = printed(run, tmp_path, "mediation-doc", "--mediation", built.mediation_number,
                  "--kind", kind)
    assert expected in pdf.flat_text


def test_screening_sheet_and_monthly_report(run: Run, tmp_path: Path) -> None:
    sheet = printed(run, tmp_path, "screening-sheet", "--month", "2026-02")
    assert "2026年2月矛盾纠纷排查表" in sheet.flat_text
    assert all(w > h for w, h in sheet.page_sizes)
    report = printed(run, tmp_path, "monthly-report", "--month", "2026-02")
    assert "2026年2月信访工作统计月报" in report.flat_text and "及时受理率" in report.flat_text


@pytest.mark.parametrize(("args", "message"), [
    (("notice", "--case", "REGISTERED"), "尚未作出受理决定"),
    (("receipt", "--case", "2026-99999"), "找不到信访件"),
    (("agreement", "--mediation", "2026-77"), "找不到调解案件"),
    (("monthly-report", "--month", "2026-13"), "月份应写成"),
])
def test_refusals_are_plain_and_exit_one(built: Built, run: Run, tmp_path: Path,
                                         args: tuple[str, ...], message: str) -> None:
    args = tuple(built.matters.registered["id"] if a == "REGISTERED" else a for a in args)
    out = tmp_path / "never.pdf"
    result = run(*args, "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.startswith("错误：") and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_output_must_be_a_pdf_in_an_existing_folder(built: Built, run: Run,
                                                    tmp_path: Path) -> None:
    ref = built.matters.registered["number"]
    result = run("receipt", "--case", ref, "--out", str(tmp_path / "x.txt"))
    assert result.returncode == 1 and ".pdf" in result.stderr
    result = run("receipt", "--case", ref, "--out", str(tmp_path / "no" / "x.pdf"))
    assert result.returncode == 1 and "输出目录不存在" in result.stderr


def test_help_lists_every_document(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:  # argparse's --help exits (status 0)
        main.main(["print", "--help"])
    assert stop.value.code == 0
    stdout = capsys.readouterr().out
    for name in ("receipt", "notice", "extension", "reply", "agreement", "mediation-doc",
                 "screening-sheet", "monthly-report"):
        assert name in stdout
