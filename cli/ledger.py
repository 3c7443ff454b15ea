"""``import-ledger FILE``: bring a station's old 台账 into the register (docs/domain.md §3.8).

Columns with the usual names are recognised; ``--mapping M.json`` ({"列名": "字段"}) names the
rest and is remembered for files with the same columns. ``--dry-run`` checks every row and
writes nothing; ``--report F.xlsx`` saves the rows not imported, with the reason, to correct and
import again."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from cli.common import SubParsers, emit, open_for_cli
from storage.errors import ValidationError
from storage.i18n import _


def _choices(path: str | None) -> dict[str, str] | None:
    if not path:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ValidationError(_("找不到列对应文件：{path}").format(path=path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError(_("列对应文件应为 JSON，例如 {example}").format(
            example='{"来访群众": "姓名", "事项摘要": "概况"}')) from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValidationError(_("列对应文件应为 JSON，例如 {example}").format(
            example='{"来访群众": "姓名", "事项摘要": "概况"}'))
    return {str(k): v for k, v in data.items()}


def cmd_import_ledger(args: argparse.Namespace) -> int:
    from printing.ledger_report import write_rejected
    from storage import ledger

    table = ledger.read_table(args.file)
    given = _choices(args.mapping)
    reg = open_for_cli(args)
    try:
        choices = given if given is not None else ledger.remembered(reg, table.headers)
        mapping = ledger.resolve(table.headers, choices)
        preview = ledger.preview(reg, table, mapping)
        imported = 0
        if not args.dry_run:
            imported = ledger.import_rows(reg, preview).imported
            if given is not None:
                ledger.remember(reg, table.headers, given)
    finally:
        reg.close()
    ignored = [h for h, f in zip(table.headers, mapping.fields, strict=True)
               if f == ledger.IGNORE and h]
    if args.report and preview.bad:
        try:
            write_rejected(args.report, preview)
        except OSError as exc:
            raise ValidationError(_("无法保存 {path}：{reason}").format(
                path=args.report, reason=exc.strerror or exc)) from None
    data: dict[str, Any] = dict(
        file=table.file_name, rows=len(preview.rows), dry_run=args.dry_run,
        good=len(preview.good), imported=imported, already=len(preview.already),
        rejected=[dict(line=r.line, problems=list(r.problems)) for r in preview.bad],
        columns={h: f for h, f in zip(table.headers, mapping.fields, strict=True) if f},
        ignored=ignored, notes=list(preview.notes),
        report=args.report if args.report and preview.bad else None)
    lines = [(_("检查完毕（未导入）：{file} 共{rows}行，可导入{good}行，已导入过{already}行，"
                "有问题{bad}行。") if args.dry_run else
              _("导入完毕：{file} 共{rows}行，导入{imported}行，已导入过{already}行，"
                "有问题{bad}行未导入。")).format(
        file=table.file_name, rows=len(preview.rows), good=len(preview.good),
        imported=imported, already=len(preview.already), bad=len(preview.bad))]
    lines += list(preview.notes)
    if ignored:
        lines.append(_("未导入的列：{columns}（可用 --mapping 指定对应字段）").format(
            columns="、".join(ignored)))
    lines += [_("第{line}行：{problems}").format(line=r.line, problems="；".join(r.problems))
              for r in preview.bad]
    if data["report"]:
        lines.append(_("有问题的行已保存到 {path}，改正后可再导入该文件。").format(
            path=args.report))
    emit(args, data, "\n".join(lines))
    return 0


def add_commands(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("import-ledger", parents=[common],
                       help=_("导入旧台账（.xlsx/.xls/.csv）：识别常用列名，逐行检查，一次导入"))
    p.add_argument("file", help=_("台账文件"))
    p.add_argument("--mapping", metavar="M.json",
                   help=_("列对应文件（JSON，列名对应字段），导入后记住"))
    p.add_argument("--dry-run", action="store_true", help=_("只检查，不导入"))
    p.add_argument("--report", metavar="FILE.xlsx", help=_("把有问题的行保存为 Excel"))
    p.set_defaults(func=cmd_import_ledger)
