"""What every command group shares: opening the register as the command line's user, printing
text or ``--json``, aligned columns, ``--station``, and asking for passphrases."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

from storage.errors import PetitionDeskError
from storage.i18n import _
from storage.paths import data_dir_of
from storage.regfile import DamagedRegisterError, ForeignFileError

if TYPE_CHECKING:  # imported when a command runs: starting the GUI stays light
    from storage.register import Register

Handler = Callable[[argparse.Namespace], int]
# (a string: argparse's class takes no type argument at run time)
SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
# A command group adds its sub-commands, each with the shared --data-dir, --json, --lang.
CommandGroup = Callable[[SubParsers, argparse.ArgumentParser], None]


class Parser(argparse.ArgumentParser):
    """argparse, but a refused command line is one plain line (not the usage block), like every
    other refusal; ``--help`` still shows the whole usage."""

    def error(self, message: str) -> NoReturn:
        raise CommandLineError(_("{message}（用 {prog} --help 查看用法）").format(
            message=message, prog=self.prog))


class CommandLineError(PetitionDeskError):
    """The command line itself was refused (an unknown option, a value out of range)."""


def refuse_undecodable(argv: list[str]) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates; nothing downstream (SQLite, the
    PDF, the bundle) can store them, so such a command line is refused before anything runs."""
    for arg in argv:
        try:
            arg.encode("utf-8")
            if "\0" in arg:  # (no shell passes one; a script calling main() might)
                raise UnicodeEncodeError("utf-8", arg, arg.index("\0"), arg.index("\0") + 1,
                                         "NUL")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "backslashreplace").decode("ascii", "replace")
            raise PetitionDeskError(_("命令行参数 {arg} 含有无法识别的字符（不是 UTF-8 编码的文字），"
                                      "请改正后再试。").format(arg=shown)) from None


#: The options and positionals that name a file or folder.
PATH_OPTIONS = {"data_dir": "--data-dir", "to": "--to", "out": "--out", "file": "FILE",
                "files": "FILE", "passphrase_file": "--passphrase-file",
                "receipt_to": "--receipt-to"}


def refuse_empty_paths(args: argparse.Namespace) -> None:
    """An empty path would quietly mean "the current folder"; it is refused instead."""
    for dest, flag in PATH_OPTIONS.items():
        value = getattr(args, dest, None)
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and not v.strip() for v in values):
            raise PetitionDeskError(_("{flag} 不能为空：请写出文件或文件夹的路径。").format(flag=flag))


def int_in(low: int, high: int) -> Callable[[str], int]:
    """An ``argparse`` type: a whole number from ``low`` to ``high`` (a huge number is refused
    here instead of overflowing SQLite or the calendar further on)."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(_("“{text}”不是整数").format(text=text)) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(_("{value} 超出范围（应在 {low} 到 {high} 之间）").format(
                value=text if len(text) < 20 else text[:17] + "…", low=low, high=high))
        return value

    parse.__name__ = "int"  # argparse names the type in its message
    return parse


def month_arg(text: str) -> str:
    """An ``argparse`` type: a month ``YYYY-MM`` between 1900 and 2199 (the calendar's range)."""
    stripped = text.strip()
    parts = stripped.split("-")
    if len(parts) != 2 or len(parts[0]) != 4 or len(parts[1]) != 2 \
            or not all(p.isascii() and p.isdigit() for p in parts) \
            or not (1900 <= int(parts[0]) <= 2199 and 1 <= int(parts[1]) <= 12):
        raise argparse.ArgumentTypeError(_("月份应写成 2026-03 的样子（1900—2199年），“{text}”不对"
                                           ).format(text=text))
    return stripped


def required(value: str | None, flag: str) -> str:
    """An option a sub-command's action needs (argparse cannot say "required for setup")."""
    if not value:
        raise PetitionDeskError(_("缺少 {flag}。").format(flag=flag))
    return value


def open_for_cli(args: argparse.Namespace) -> Register:
    """Open the register for a headless command, acting as the operating-system user."""
    from storage.db import DB_NAME, open_register
    from storage.register import Actor

    data_dir = data_dir_of(args.data_dir)
    not_set_up = PetitionDeskError(_(
        "{path} 中还没有设置好的登记库：请先运行图形界面完成设置（乡镇工作站或县信访局），"
        "或用 demo-data 生成演示库。").format(path=data_dir))
    if not (data_dir / DB_NAME).is_file():  # a mistyped --data-dir must not create a register
        offer = backups_offered(data_dir)
        if offer:
            raise PetitionDeskError(_("{path} 中没有登记库文件，但有它的备份。").format(
                path=data_dir) + "\n" + offer)
        raise not_set_up
    try:
        reg = open_register(data_dir)
    except (DamagedRegisterError, ForeignFileError) as exc:
        offer = backups_offered(data_dir)
        raise PetitionDeskError(exc.user_text() + _("没有做任何改动。") + (
            "\n" + offer if offer else "\n" + _("这个数据目录里没有备份。"))) from exc
    if not reg.is_set_up:
        reg.close()
        raise not_set_up
    reg.actor = Actor("", f"cli:{getpass.getuser()}", _("命令行"), "head")
    return reg


def backups_offered(data_dir: Path) -> str:
    """The backups of ``data_dir`` (newest first) and the command that restores one; "" if
    there are none."""
    from storage import backup

    found = backup.list_backups(data_dir)
    if not found:
        return ""
    lines = [_("可用的备份（最新的在前）：")]
    for b in found[:8]:
        lines.append(f"  {b.taken_at:%Y-%m-%d %H:%M}  {b.path}")
    lines.append(_("恢复：main.py restore <备份文件> --data-dir {path}").format(path=data_dir))
    return "\n".join(lines)


def account_password(prompt: str) -> str:
    """An account's password for a command that has no sign-in: $PETITIONDESK_PASSWORD, else
    asked without echo."""
    if os.environ.get("PETITIONDESK_PASSWORD"):
        return os.environ["PETITIONDESK_PASSWORD"]
    if not sys.stdin.isatty():
        raise PetitionDeskError(_("需要登录密码（签名密钥已加密保存），但这里无法输入：请在终端中运行，"
                                  "或用环境变量 PETITIONDESK_PASSWORD 提供。"))
    return ask_secret(prompt)


def unlock_signing(reg: Register) -> None:
    """Before a command signs (export, receipts): open the sealed signing key with one
    password, asked only when this process has not opened it."""
    from storage.sync import signkey

    if signkey.is_locked(reg):
        signkey.unlock(reg, account_password(
            _("签名密钥已加密保存：请输入站长（或有导出权限的账号）的登录密码：")))


def display_width(text: str) -> int:
    """Columns a terminal gives ``text``: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def aligned(rows: list[list[str]]) -> list[str]:
    """Rows of cells as lines whose columns line up, in Chinese and in English alike."""
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell + " " * (w - display_width(cell)) for cell, w in zip(r, widths,
                                                                                  strict=True))
            .rstrip() for r in rows]


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    """``data`` as JSON with ``--json``, else ``text``."""
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)


def station_filter(reg: Register, code: str | None) -> str | None:
    """``--station``: refused in plain words at a township, or for a code the county has no
    data of (instead of an empty list that looks like "no cases")."""
    if code:
        from storage.sync import county

        county.township_view(reg, code)
    return code


def add_station_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--station", metavar="CODE",
                        help=_("只看一个乡镇（12位区划代码；县级汇总库使用）"))


def passphrase_option() -> argparse.ArgumentParser:
    """The parent parser of the commands that need a passphrase."""
    secret = argparse.ArgumentParser(add_help=False)
    secret.add_argument("--passphrase-file", help=_("从文件读取口令（也可用环境变量 "
                                                    "PETITIONDESK_PASSPHRASE）"))
    return secret


def ask_secret(prompt: str) -> str:
    """Asked without echo on a terminal; without one, a plain refusal (not a traceback)."""
    if not sys.stdin.isatty():
        raise PetitionDeskError(_("需要口令，但这里无法输入：请在终端中运行，或用 --passphrase-file "
                                  "或环境变量 PETITIONDESK_PASSPHRASE 提供。"))
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise PetitionDeskError(_("没有输入口令。")) from None


def passphrase(args: argparse.Namespace, prompt: str, *, confirm: bool = False) -> str:
    """--passphrase-file, else $PETITIONDESK_PASSPHRASE, else asked without echo."""
    if getattr(args, "passphrase_file", None):
        path = Path(args.passphrase_file)
        try:
            return path.read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise PetitionDeskError(_("无法读取口令文件 {path}：{error}").format(
                path=path, error=getattr(exc, "strerror", None) or exc)) from None
    if os.environ.get("PETITIONDESK_PASSPHRASE"):
        return os.environ["PETITIONDESK_PASSPHRASE"]
    value = ask_secret(prompt)
    if confirm and ask_secret(_("再输入一遍：")) != value:
        raise PetitionDeskError(_("两次输入的口令不一致。"))
    return value
