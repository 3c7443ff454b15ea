"""The command line (docs/architecture.md §4): ``python main.py`` opens the GUI, sub-commands do
headless work. Every sub-command takes ``--data-dir``; with ``--json`` it prints
machine-readable output. Errors print one plain line and exit non-zero.

One module per command group, each adding its sub-commands with ``add_commands``:

- ``register``     demo-data, cases
- ``mediation``    mediations
- ``maintenance``  check, backup, restore
- ``sync``         export, import, keys, sync-history, sync-conflicts, liaison (``sync_keys``
                   holds the keys and liaison handlers)
- ``printing``     print receipt|notice|extension|reply|agreement|mediation-doc|…
- ``screening``    screenings
- ``leadership``   backlog, supervision
- ``ledger``       import-ledger (the old 台账 in)
- ``statistics``   statistics of a period (同比/环比, county assessment, --xlsx)
- ``common``       opening the register as ``cli:<os user>``, ``--json``, columns, passphrases
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import cast

from cli.common import (
    CommandGroup,
    Parser,
    SubParsers,
    refuse_empty_paths,
    refuse_undecodable,
)
from storage.errors import PetitionDeskError, plain_storage_errors
from storage.i18n import DEFAULT_LANGUAGE, _, language_code, set_language
from storage.private import restrict_umask


def command_groups() -> list[CommandGroup]:
    """Every group's ``add_commands``, in the order ``--help`` lists them. Imported here, not at
    the top: ``main.py`` without a sub-command starts the GUI and loads none of them (the
    sign-in window's first paint, issue 15)."""
    from cli import (
        leadership,
        ledger,
        maintenance,
        mediation,
        printing,
        register,
        screening,
        statistics,
        sync,
    )

    return [register.add_commands, mediation.add_commands, maintenance.add_commands,
            sync.add_commands, printing.add_commands, screening.add_commands,
            leadership.add_commands, ledger.add_commands, statistics.add_commands]


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", help=_("登记库所在目录（默认：用户数据目录）"))
    parser.add_argument("--demo", action="store_true", help=_("打开生成的演示登记库"))
    parser.add_argument("--lang", type=language_code, metavar="{en,zh}", default=None,
                        help=_("界面和打印文书的语言（默认：中文）"))
    parser.add_argument("--debug", action="store_true")


def gui_parser() -> argparse.ArgumentParser:
    """The options of ``main.py`` alone (the GUI), without the sub-commands."""
    parser = Parser(prog="main.py", description=_("信访工作台"))
    _global_options(parser)
    parser.set_defaults(command=None)
    return parser


def starts_gui(argv: list[str]) -> bool:
    """Whether the command line names no sub-command (and asks for no help): then the global
    options are all there is to parse."""
    if any(arg in ("-h", "--help") for arg in argv):
        return False
    try:
        _args, rest = gui_parser().parse_known_args(argv)
    except (PetitionDeskError, SystemExit):  # the full parser says what is wrong
        return False
    return not rest


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    # SUPPRESS: a sub-command's own default must not overwrite `main.py --data-dir D cases`.
    common.add_argument("--data-dir", default=argparse.SUPPRESS,
                        help=_("登记库所在目录（默认：用户数据目录）"))
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help=_("输出机器可读的 JSON"))
    common.add_argument("--lang", type=language_code, metavar="{en,zh}",
                        default=argparse.SUPPRESS,
                        help=_("界面和打印文书的语言（默认：中文）"))
    parser = Parser(prog="main.py", description=_("信访工作台"))
    _global_options(parser)
    # (the sub-commands are Parsers too: argparse makes them of the parser's own class)
    sub = cast(SubParsers, parser.add_subparsers(dest="command"))
    for add in command_groups():
        add(sub, common)
    return parser


def language_before_parsing(argv: list[str]) -> str:
    """``--lang X`` / ``--lang=X`` (else ``$PETITIONDESK_LANG``), read before argparse so that
    its help and error messages are already in that language; anything unknown → Chinese."""
    wanted = os.environ.get("PETITIONDESK_LANG", DEFAULT_LANGUAGE)
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            wanted = argv[i + 1]
        elif arg.startswith("--lang="):
            wanted = arg.split("=", 1)[1]
    try:
        return language_code(wanted)
    except ValueError:
        return DEFAULT_LANGUAGE


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    restrict_umask()  # every file this process makes (register, WAL, backups, PDFs) is 0600
    set_language(language_before_parsing(argv))
    try:
        refuse_undecodable(argv)
        args = (gui_parser() if starts_gui(argv) else build_parser()).parse_args(argv)
        refuse_empty_paths(args)
    except PetitionDeskError as exc:  # a refused command line: one line, like any refusal
        print(_("错误：{message}").format(message=one_line(exc.user_text())), file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.DEBUG if getattr(args, "debug", False) else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.command is None:
        from ui.start import run_gui  # the only way into Qt: the commands never load it

        return run_gui(args)
    try:
        with plain_storage_errors():
            return int(args.func(args))
    except PetitionDeskError as exc:
        print(_("错误：{message}").format(message=one_line(exc.user_text())), file=sys.stderr)
        return 1


def one_line(text: str) -> str:
    """A refusal is one line on the terminal, whatever the message was written for."""
    return " ".join(text.split())


__all__ = ["build_parser", "command_groups", "gui_parser", "language_before_parsing", "main",
           "starts_gui"]
