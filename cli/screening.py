"""Grid screening: ``screenings`` shows the grid × period matrix, reminders and alerts."""

from __future__ import annotations

import argparse
from typing import Any

from cli.common import SubParsers, add_station_option, aligned, emit, int_in, open_for_cli
from storage.i18n import _


def cmd_screenings(args: argparse.Namespace) -> int:
    from storage import screening
    from storage.sync import county

    opened = open_for_cli(args)
    try:
        reg = county.township_view(opened, args.station) if args.station else opened
        periods = screening.default_periods(reg, args.periods)
        m = screening.completeness(reg, periods)
        data: dict[str, Any] = dict(
            periods=[dict(key=p.key, label=p.label) for p in m.periods],
            grids=[dict(village=r.grid.village_name, grid=r.grid.name, code=r.grid.code,
                        liaison=r.liaison,
                        cells=[dict(period=c.period.key, state=c.state.value, late=c.late)
                               for c in r.cells]) for r in m.rows],
            liaisons=[dict(liaison=x.liaison, grids=x.grids, missing=x.missing, due=x.due,
                           late=x.late) for x in m.liaisons],
            reminders=[r.text for r in screening.reminders(reg, lookback=args.periods)],
            alerts=[a.text for a in screening.home_alerts(reg)])
    finally:
        opened.close()
    table = [["", *(p.short_label for p in m.periods)]]
    table += [[f"{r.grid.village_name}{r.grid.name}", *(c.short_label or "·" for c in r.cells)]
              for r in m.rows]
    lines = aligned(table) + [""] + data["reminders"] + [""] + data["alerts"]
    emit(args, data, "\n".join(lines).rstrip())
    return 0


def add_commands(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("screenings", parents=[common],
                       help=_("网格排查完成情况（已报、零报告、迟报、未报）、催报名单和风险提醒"))
    p.add_argument("--periods", type=int_in(1, 260), default=8, help=_("显示最近几期（默认8）"))
    add_station_option(p)
    p.set_defaults(func=cmd_screenings)
