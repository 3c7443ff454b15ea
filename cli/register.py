"""The petition register: ``demo-data`` builds a demo register, ``cases`` lists matters."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.common import (
    SubParsers,
    add_station_option,
    emit,
    int_in,
    open_for_cli,
    station_filter,
)
from storage.errors import ValidationError
from storage.i18n import _
from storage.paths import default_data_dir

DEMO_MAX = 100_000  # through the real code paths (about half an hour at this size)
BULK_MAX = 10_000_000


def cmd_demo_data(args: argparse.Namespace) -> int:
    if args.bulk:
        from storage import bulk

        summary = bulk.build(Path(args.data_dir or default_data_dir()), cases=args.cases,
                             seed=args.seed)
        emit(args, summary, _("基准登记库已生成：{path}（{n} 件，{s} 秒）").format(
            path=summary["path"], n=summary["cases"], s=summary["seconds"]))
        return 0
    if args.cases > DEMO_MAX:
        raise ValidationError(_("{value} 超出范围（应在 {low} 到 {high} 之间）").format(
            value=args.cases, low=0, high=DEMO_MAX), "cases")
    from storage import demo

    summary = demo.build(Path(args.data_dir or default_data_dir()), cases=args.cases,
                         seed=args.seed, months=args.months)
    emit(args, summary, _("演示登记库已生成：{path}").format(path=summary["path"]))
    return 0


def cmd_cases(args: argparse.Namespace) -> int:
    from storage import petitions

    reg = open_for_cli(args)
    try:
        rows = petitions.list_for_cli(reg, status=args.status, limit=args.limit,
                                      station_code=station_filter(reg, args.station),
                                      text=args.search or "")
    finally:
        reg.close()
    lines = [f"{r['number']}  {r['petitioner']}  {r['status_label']}  {r['due_date'] or '-'}"
             for r in rows]
    emit(args, rows, "\n".join(lines) if lines else _("没有符合条件的信访件。"))
    return 0


def add_commands(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo-data", parents=[common], help=_("生成演示登记库"))
    # up to 100,000 through the real code paths; --bulk builds benchmark registers beyond
    p.add_argument("--cases", type=int_in(0, BULK_MAX), default=600)
    p.add_argument("--seed", type=int_in(0, 2**31 - 1), default=1)
    p.add_argument("--months", type=int_in(1, 120), default=24)
    p.add_argument("--bulk", action="store_true",
                   help=_("成批生成基准测试用的大登记库（只有信访件，几分钟内生成百万件）"))
    p.set_defaults(func=cmd_demo_data)
    p = sub.add_parser("cases", parents=[common], help=_("列出信访件"))
    p.add_argument("--status", help=_("状态代码，如 registered、accepted、closed"))
    p.add_argument("--limit", type=int_in(1, 1_000_000), default=50)
    p.add_argument("--search", metavar="TEXT",
                   help=_("查找：姓名、身份证号、电话、编号或问题关键词，与信访件列表的查找相同"))
    add_station_option(p)
    p.set_defaults(func=cmd_cases)
