"""Petition Desk (信访工作台) entry point.

``python main.py`` opens the GUI; sub-commands do headless work (design §4). Every sub-command
takes ``--data-dir``; with ``--json`` it prints machine-readable output. Errors print one plain
line and exit non-zero.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storage.errors import PetitionDeskError
from storage.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, set_language

APP_NAME = "PetitionDesk"
Handler = Callable[[argparse.Namespace], int]


def default_data_dir() -> Path:
    """--data-dir, else $PETITIONDESK_DATA_DIR, else the user data directory (platformdirs)."""
    env = os.environ.get("PETITIONDESK_DATA_DIR")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def demo_data_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False)) / "demo"


def open_for_cli(args: argparse.Namespace) -> Any:
    """Open the register for a headless command, acting as the operating-system user."""
    from storage.db import open_register
    from storage.register import Actor

    reg = open_register(Path(args.data_dir) if args.data_dir else default_data_dir())
    if not reg.is_set_up and not getattr(args, "allow_empty", False):
        reg.close()
        raise PetitionDeskError(_("该数据目录中还没有设置好的登记库：请先运行图形界面完成设置，"
                                  "或用 demo-data 生成演示库。"))
    reg.actor = Actor("", f"cli:{getpass.getuser()}", _("命令行"), "head")
    return reg


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)


# ----- petition register --------------------------------------------------------------------
def cmd_demo_data(args: argparse.Namespace) -> int:
    from storage import demo

    summary = demo.build(Path(args.data_dir or default_data_dir()), cases=args.cases,
                         seed=args.seed, months=args.months)
    emit(args, summary, _("演示登记库已生成：{path}").format(path=summary["path"]))
    return 0


def cmd_cases(args: argparse.Namespace) -> int:
    from storage import matters

    reg = open_for_cli(args)
    try:
        rows = matters.list_for_cli(reg, status=args.status, limit=args.limit)
    finally:
        reg.close()
    lines = [f"{r['number']}  {r['petitioner']}  {r['status_label']}  {r['due_date'] or '-'}"
             for r in rows]
    emit(args, rows, "\n".join(lines) if lines else _("没有符合条件的信访件。"))
    return 0


def add_register_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                          common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo-data", parents=[common], help=_("生成演示登记库"))
    p.add_argument("--cases", type=int, default=600)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--months", type=int, default=24)
    p.set_defaults(func=cmd_demo_data)
    p = sub.add_parser("cases", parents=[common], help=_("列出信访件"))
    p.add_argument("--status", help=_("状态代码，如 registered、accepted、closed"))
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_cases)


# Each area adds its commands here (register, printing, mediation, screening, sync, maintenance).
COMMAND_GROUPS: list[Callable[..., None]] = [add_register_commands]


# ----- people's mediation -------------------------------------------------------------------
def cmd_mediations(args: argparse.Namespace) -> int:
    from storage import mediation
    from storage.clock import today

    reg = open_for_cli(args)
    try:
        day = today(reg.clock)
        cases = mediation.list_cases(reg, today=day, status=args.status,
                                     dispute_type=args.type, year=args.year)[:args.limit]
    finally:
        reg.close()
    rows = []
    for c in cases:
        nxt = c.next_deadline
        rows.append(dict(
            id=c.id, number=c.number, title=c.title, dispute_type=c.dispute_type,
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


def add_mediation_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                           common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("mediations", parents=[common], help=_("列出人民调解案件"))
    p.add_argument("--status", choices=["open", "accepted", "mediating", "agreed", "closed",
                                        "failed", "terminated"],
                   help=_("状态：open（未结）、accepted、mediating、agreed、closed、failed、"
                          "terminated"))
    p.add_argument("--type", help=_("纠纷类型，如 邻里"))
    p.add_argument("--year", type=int, help=_("受理年度"))
    p.add_argument("--limit", type=int, default=200)
    p.set_defaults(func=cmd_mediations)


COMMAND_GROUPS.append(add_mediation_commands)


# ----- maintenance ----------------------------------------------------------------------------
def cmd_check(args: argparse.Namespace) -> int:
    from storage import maintenance

    reg = open_for_cli(args)
    try:
        report = maintenance.check(reg, reg.path.parent if reg.path else None)
    finally:
        reg.close()
    text = [_("数据库：{s}").format(s=_("正常") if report.database_ok else _("有问题")),
            _("审计日志：{n}条，{s}").format(n=report.audit_entries, s=_("链条完整")
                                          if report.audit_broken_at is None else _("链条断裂")),
            _("备份：{n}个").format(n=len(report.backups))] + report.problems
    emit(args, dict(ok=report.ok, database_ok=report.database_ok,
                    audit_entries=report.audit_entries, audit_broken_at=report.audit_broken_at,
                    audit_head=report.audit_head, backups=report.backups,
                    problems=report.problems), "\n".join(text))
    return 0 if report.ok else 1


def cmd_backup(args: argparse.Namespace) -> int:
    from storage import backup

    reg = open_for_cli(args)
    try:
        assert reg.path is not None
        path = backup.make_backup(reg.conn, reg.path.parent, reason="manual",
                                  to_dir=Path(args.to))
    finally:
        reg.close()
    emit(args, {"path": str(path)}, str(path))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from storage import backup
    from storage.db import DB_NAME

    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    saved = backup.restore(Path(args.file), data_dir, DB_NAME)
    emit(args, {"restored": args.file, "previous_saved_as": str(saved)},
         _("已恢复。原登记库另存为：{path}").format(path=saved))
    return 0


def add_maintenance_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check", parents=[common], help=_("检查数据库、审计链和备份是否完好"))
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("backup", parents=[common], help=_("立即备份到指定目录"))
    p.add_argument("--to", required=True)
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", parents=[common],
                       help=_("用备份文件替换登记库（原文件另存，请先关闭程序）"))
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)


COMMAND_GROUPS.append(add_maintenance_commands)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a sub-command's own default must not overwrite `main.py --data-dir D cases`.
    common.add_argument("--data-dir", default=argparse.SUPPRESS,
                        help=_("登记库所在目录（默认：用户数据目录）"))
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help=_("输出机器可读的 JSON"))
    common.add_argument("--lang", choices=sorted(LANGUAGES), default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="main.py", description=_("信访工作台"))
    parser.add_argument("--data-dir", help=_("登记库所在目录（默认：用户数据目录）"))
    parser.add_argument("--demo", action="store_true", help=_("打开生成的演示登记库"))
    parser.add_argument("--lang", choices=sorted(LANGUAGES), default=None)
    parser.add_argument("--debug", action="store_true")
    sub = parser.add_subparsers(dest="command")
    for add in COMMAND_GROUPS:
        add(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    lang = os.environ.get("PETITIONDESK_LANG", DEFAULT_LANGUAGE)
    if "--lang" in argv:
        lang = argv[argv.index("--lang") + 1]
    set_language(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if getattr(args, "debug", False) else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.command is None:
        from ui.app import run_gui

        return run_gui(args)
    try:
        return int(args.func(args))
    except PetitionDeskError as exc:
        print(_("错误：") + exc.user_text(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
