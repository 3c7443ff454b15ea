"""How the work is led (docs/domain.md §10): ``backlog`` lists the 积案 with leader, age, plan
and last action (at a township it first lists the matters the station's rules now meet);
``supervision`` lists every 交办/督办 with township, deadline and status."""

from __future__ import annotations

import argparse
from typing import Any

from cli.common import SubParsers, add_station_option, aligned, emit, open_for_cli
from storage.i18n import _, pgettext


def cmd_backlog(args: argparse.Namespace) -> int:
    from storage import leadership
    from storage.masking import MaskPolicy
    from storage.sync import county

    opened = open_for_cli(args)
    try:
        reg = county.township_view(opened, args.station) if args.station else opened
        listed = 0
        if reg.mode == "township" and not args.no_sweep:
            listed = leadership.sweep(reg)
        entries = leadership.backlog(reg, status=None if args.all else "open")
        rules = leadership.rules(reg).texts()
    finally:
        opened.close()
    policy = MaskPolicy(names=True)
    data: dict[str, Any] = {
        "rules": rules, "listed_now": listed,
        "backlog": [dict(e.to_json(), petitioner=policy.name(e.petitioner)) for e in entries]}
    table = [[_("编号"), _("信访人"), _("积案天数"), _("包案领导"), _("化解方案"), _("最近办理"),
              _("状态")]]
    table += [[e.number, policy.name(e.petitioner), str(e.age_days), e.leader or "—",
               (e.plan or "—")[:24],
               f"{e.last_action_on.isoformat() if e.last_action_on else ''} {e.last_action}"
               .strip()[:30] or "—", e.status_label] for e in entries]
    lines = [_("积案规则：{rules}").format(rules=_("；").join(rules) or _("（未启用）"))]
    if listed:
        lines.append(_("按规则新列入积案{n}件。").format(n=listed))
    lines += aligned(table) if entries else [_("没有积案。")]
    emit(args, data, "\n".join(lines))
    return 0


def cmd_supervision(args: argparse.Namespace) -> int:
    from storage import leadership
    from storage.sync import county

    opened = open_for_cli(args)
    try:
        reg = county.township_view(opened, args.station) if args.station else opened
        items = leadership.assignments(reg, status=args.status or None)
        opened_mode = opened.mode
    finally:
        opened.close()
    county_side = opened_mode == "county" and not args.station
    table = [[_("单号"), _("类别"), pgettext("表头", "乡镇") if county_side else _("交办单位"), _("期限"),
              _("状态"), _("反馈日期"), _("反映问题")]]
    for a in items:
        final = a.final
        table.append([a.number, a.kind_label, a.township if county_side else a.issuer,
                      a.deadline.isoformat(),
                      a.status_label, final.replied_on.isoformat() if final else "—",
                      a.summary[:24]])
    emit(args, [a.to_json() for a in items],
         "\n".join(aligned(table)) if items else _("没有交办督办件。"))
    return 0


def add_commands(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("backlog", parents=[common],
                       help=_("积案：包案领导、积案天数、化解方案、最近办理（乡镇先按规则列入新积案）"))
    p.add_argument("--all", action="store_true", help=_("也列出已化解和已移出的"))
    p.add_argument("--no-sweep", action="store_true", help=_("只列出，不按规则列入新积案"))
    add_station_option(p)
    p.set_defaults(func=cmd_backlog)
    p = sub.add_parser("supervision", parents=[common],
                       help=_("交办督办：每一件的乡镇、期限和状态（办理中、已反馈、已逾期）"))
    p.add_argument("--status", choices=["pending", "answered", "overdue", "withdrawn"],
                   help=_("只看某种状态"))
    add_station_option(p)
    p.set_defaults(func=cmd_supervision)
