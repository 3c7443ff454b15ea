"""People's mediation: ``mediations`` lists the cases with their next deadline."""

from __future__ import annotations

import argparse
from typing import Any

from cli.common import (
    SubParsers,
    add_station_option,
    emit,
    int_in,
    open_for_cli,
    station_filter,
)
from storage.i18n import _


def cmd_mediations(args: argparse.Namespace) -> int:
    from storage import mediation
    from storage.clock import today

    reg = open_for_cli(args)
    try:
        day = today(reg.clock)
        cases = mediation.list_cases(reg, today=day, status=args.status,
                                     dispute_type=args.type, year=args.year,
                                     station_code=station_filter(reg, args.station)
                                     )[:args.limit]
    finally:
        reg.close()
    rows: list[dict[str, Any]] = []
    for c in cases:
        nxt = c.next_deadline
        rows.append(dict(
            id=c.id, station_code=c.station_code, number=c.number, title=c.title,
            dispute_type=c.dispute_type,
            source=c.source, status=c.status, status_label=c.status_label,
            accepted_on=c.accepted_on.isoformat(), village=c.village_name,
            next_deadline=None if nxt is None else dict(
                kind=nxt.kind, label=nxt.label, due=nxt.due.isoformat(),
                days_left=nxt.days_left)))
    lines = [f"{r['number']}  {r['status_label']}  {r['dispute_type']}  {r['title']}"
             + (f"  {r['next_deadline']['label']} {r['next_deadline']['due']}"
                if r["next_deadline"] else "") for r in rows]
    emit(args, rows, "\n".join(lines) if lines else _("没有符合条件的调解案件。"))
    return 0


def add_commands(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("mediations", parents=[common], help=_("列出人民调解案件"))
    p.add_argument("--status", choices=["open", "accepted", "mediating", "agreed", "closed",
                                        "failed", "terminated"],
                   help=_("状态：open（未结）、accepted、mediating、agreed、closed、failed、"
                          "terminated"))
    p.add_argument("--type", help=_("纠纷类型，如 邻里"))
    p.add_argument("--year", type=int_in(1900, 2199), help=_("受理年度"))
    p.add_argument("--limit", type=int_in(1, 1_000_000), default=200)
    add_station_option(p)
    p.set_defaults(func=cmd_mediations)
