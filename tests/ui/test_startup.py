"""Start-up (issue 15): the sign-in window is painted before the register and the rest of the
desk load, and it waits for the register before anyone can sign in. The timings themselves are
in ``make bench`` (bench/bench_startup.py), never in a test."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from storage.register import Register
from ui.start import show_shell


def test_the_early_modules_load_no_storage_engine() -> None:
    """What runs before the first paint imports neither sqlite-utils, the register, argon2,
    reportlab nor pypinyin (each costs a noticeable part of a second)."""
    code = ("import sys, ui.start, ui.login\n"
            "heavy = [m for m in ('sqlite_utils', 'storage.register', 'storage.db', 'argon2',"
            " 'reportlab', 'pypinyin', 'ui.app', 'ui.main_window') if m in sys.modules]\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert out.stdout.strip() == "[]"


def test_the_gui_command_line_loads_no_sub_command() -> None:
    """``main.py [--data-dir D] [--lang en]`` is parsed without importing the sub-command
    modules (they cost ~12 ms before the first paint); anything else gets the full parser."""
    code = ("import sys, cli\n"
            "gui = cli.starts_gui(['--data-dir', '/tmp/x', '--lang', 'en', '--debug'])\n"
            "args = cli.gui_parser().parse_args(['--data-dir', '/tmp/x'])\n"
            "loaded = [m for m in sys.modules if m.startswith('cli.') and m != 'cli.common']\n"
            "print(gui, args.command, args.data_dir, loaded)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"PATH": ""})
    assert out.stdout.strip() == "True None /tmp/x []"
    from cli import starts_gui

    assert not starts_gui(["cases"]) and not starts_gui(["--help"])
    assert not starts_gui(["--data-dir", "/tmp/x", "check"]) and not starts_gui(["--bogus"])


def test_the_shell_waits_for_its_register(qtbot: QtBot, reg: Register) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    shell = show_shell(app)
    qtbot.addWidget(shell)
    assert shell.isVisible() and shell.reg is None
    assert not shell.buttons.isEnabled()
    shell.try_login()  # Enter before the register is open: nothing happens
    assert shell.job is None
    shell.attach(reg)
    assert shell.buttons.isEnabled() and "花园镇信访工作站" in shell.title.text()
