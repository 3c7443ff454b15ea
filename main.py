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


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help=_("登记库所在目录（默认：用户数据目录）"))
    common.add_argument("--json", action="store_true", help=_("输出机器可读的 JSON"))
    common.add_argument("--lang", choices=sorted(LANGUAGES), default=None)
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
