"""``statistics --period 2026-10|2026-Q3|2026|2026-01-01..2026-03-31 [--station CODE]
[--xlsx FILE] [--json]``: the figures of a period with 同比/环比 (docs/domain.md §7); at the
county without ``--station`` the county total and the townships' assessment."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cli.common import SubParsers, add_station_option, aligned, emit, open_for_cli
from storage.i18n import _


def _text(report: Any, assessment: Any) -> str:
    from storage import statistics

    lines = [_("{period}（{a}至{b}）").format(period=report.period.label(),
                                            a=report.period.first, b=report.period.last)]
    table = [[_("指标"), _("本期"), _("同比"), _("环比")]]
    for key, d in statistics.DEFINITIONS.items():
        value = report.current.value(key)
        shown = value.text() if isinstance(value, statistics.Rate) else f"{value}"
        if key in statistics.MAIN:
            table.append([d.name, shown, report.yoy(key).text(is_rate=d.is_rate),
                          report.mom(key).text(is_rate=d.is_rate)])
        else:
            table.append([d.name, shown, "", ""])
    lines += aligned(table)
    if assessment is not None:
        lines += ["", _("乡镇考核（名次）")]
        head = [_("乡镇"), *(statistics.indicator_label(k) for k in statistics.ASSESSED)]
        rows = [[r.name, *("—" if r.ranks[k] is None else str(r.ranks[k])
                           for k in statistics.ASSESSED)] for r in assessment.rows]
        lines += aligned([head, *rows])
        lines += [m.text() for m in assessment.missing]
    return "\n".join(lines)


def cmd_statistics(args: argparse.Namespace) -> int:
    from storage import station, statistics
    from storage.sync import county

    reg = open_for_cli(args)
    try:
        period = statistics.parse(args.period)
        assessment = None
        if args.station:
            county.township_view(reg, args.station)  # refused in plain words if unknown
            codes = [args.station]
            name = dict(county.station_choices(reg))[args.station]
        elif reg.mode == "county":
            codes = [c for c, _n in county.station_choices(reg)]
            name = station.station(reg).name
            assessment = statistics.assess(reg, period)
        else:
            codes = [reg.station_code]
            name = station.station(reg).name
        report = statistics.report(reg, period, codes)
        data: dict[str, Any] = statistics.report_data(report)
        data["station"] = name
        if assessment is not None:
            data["assessment"] = statistics.assessment_data(assessment)
        if args.xlsx:
            from printing import spreadsheet, statistics_xlsx

            path = spreadsheet.write_workbook(Path(args.xlsx), statistics_xlsx.statistics_sheets(
                report, name, reg.clock().date(), assessment))
            data["xlsx"] = str(path)
        text = _text(report, assessment)
    finally:
        reg.close()
    if args.xlsx:
        text += "\n" + _("已写入 {path}").format(path=args.xlsx)
    emit(args, data, text)
    return 0


def add_commands(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("statistics", parents=[common],
                       help=_("信访统计：月、季度、年或任意日期范围，含同比、环比和乡镇考核"))
    p.add_argument("--period", required=True,
                   help=_("2026-10（月）、2026-Q3（季度）、2026（年）或 2026-01-01..2026-03-31"))
    p.add_argument("--xlsx", metavar="FILE", help=_("同时写出 Excel 文件"))
    add_station_option(p)
    p.set_defaults(func=cmd_statistics)
