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
from storage.i18n import _
from storage.paths import default_data_dir


def cmd_demo_data(args: argparse.Namespace) -> int:
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
                                      station_code=station_filter(reg, args.station))
    finally:
        reg.close()
    lines = [f"{r['number']}  {r['petitioner']}  {r['status_label']}  {r['due_date'] or '-'}"
             for r in rows]
    emit(args, rows, "\n".join(lines) if lines else _("没有符合条件的信访件。"))
    return 0


def add_commands(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo-data", parents=[common], help=_("生成演示登记库"))
    p.add_argument("--cases", type=int_in(0, 100_000), default=600)
    p.add_argument("--seed", type=int_in(0, 2**31 - 1), default=1)
    p.add_argument("--months", type=int_in(1, 120), default=24)
    p.set_defaults(func=cmd_demo_data)
    p = sub.add_parser("cases", parents=[common], help=_("列出信访件"))
    p.add_argument("--status", help=_("状态代码，如 registered、accepted、closed"))
    p.add_argument("--limit", type=int_in(1, 1_000_000), default=50)
    add_station_option(p)
    p.set_defaults(func=cmd_cases)
