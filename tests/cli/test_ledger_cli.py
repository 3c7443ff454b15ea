"""``main.py import-ledger``: dry run, import, report of rejected rows, a remembered mapping,
and one plain line (never a traceback) for whatever the clerk got wrong."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

import main
from storage.register import Register
from tests.helpers import ledger as lg


@pytest.fixture
def data_dir(file_reg: Register, monkeypatch: pytest.MonkeyPatch) -> str:
    from storage import db

    real_open = db.open_register
    monkeypatch.setattr(db, "open_register", lambda d, **_kw: real_open(
        d, clock=lambda: datetime(2026, 3, 2, 9, 0)))
    return str(file_reg.path.parent)  # type: ignore[union-attr]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_dry_run_then_import_then_again(data_dir: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    small = lg.make(50)
    path = str(lg.write_xlsx(small, tmp_path / "台账.xlsx"))
    code, out, _err = run(capsys, "import-ledger", path, "--data-dir", data_dir, "--dry-run",
                          "--json")
    data = json.loads(out)
    assert code == 0 and data["imported"] == 0 and data["good"] == small.good
    assert [r["line"] for r in data["rejected"]] == sorted(small.errors)
    report = tmp_path / "未导入.xlsx"
    code, out, _err = run(capsys, "import-ledger", path, "--data-dir", data_dir,
                          "--report", str(report))
    assert code == 0 and out.startswith(f"导入完毕：台账.xlsx 共50行，导入{small.good}行")
    assert f"第{min(small.errors)}行：" in out
    ws = load_workbook(report).active
    assert ws.cell(1, ws.max_column).value == "问题" and ws.max_row == len(small.errors) + 1
    code, out, _err = run(capsys, "import-ledger", path, "--data-dir", data_dir, "--json")
    data = json.loads(out)
    assert data["imported"] == 0 and data["already"] == small.good


def test_mapping_file_is_used_and_remembered(data_dir: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    small = lg.make(8, error_every=1000)
    small.headers = tuple({"姓名": "来访群众"}.get(h, h) for h in small.headers)
    path = str(lg.write_xlsx(small, tmp_path / "a.xlsx"))
    code, _out, err = run(capsys, "import-ledger", path, "--data-dir", data_dir)
    assert code == 1 and err.strip() == "错误：还没有指定哪一列是：姓名。"
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"来访群众": "姓名"}, ensure_ascii=False), encoding="utf-8")
    assert run(capsys, "import-ledger", path, "--data-dir", data_dir, "--dry-run",
               "--mapping", str(mapping))[0] == 0
    code, out, _err = run(capsys, "import-ledger", path, "--data-dir", data_dir,
                          "--mapping", str(mapping), "--json")
    assert code == 0 and json.loads(out)["imported"] == 8
    other = lg.make(8, seed=7, error_every=1000)
    other.headers = small.headers
    for row in other.rows:
        row[1] = f"B{row[1]}"
    code, out, _err = run(capsys, "import-ledger", str(lg.write_xlsx(other, tmp_path / "b.xlsx")),
                          "--data-dir", data_dir, "--json")
    assert code == 0 and json.loads(out)["imported"] == 8  # the mapping was remembered


@pytest.mark.parametrize("argv, message", [
    (["missing.xlsx"], "找不到文件"),
    (["notes.txt"], "只能导入"),
    (["ok.csv", "--mapping", "nope.json"], "找不到列对应文件"),
    (["ok.csv", "--mapping", "bad.json"], "列对应文件应为 JSON"),
    (["ok.csv", "--report", "no/such/dir/r.xlsx"], "无法保存"),
])
def test_mistakes_are_one_plain_line(data_dir: str, tmp_path: Path, argv: list[str],
                                     message: str, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "bad.json").write_text("[1, 2]")
    lg.write_csv(lg.make(12), tmp_path / "ok.csv")
    code, _out, err = run(capsys, "import-ledger", *argv, "--data-dir", data_dir)
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
