"""Start-up benchmark (issue 15, not a test): how soon the clerk sees the desk, each figure
beside a floor measured in the same run, as a ratio.

1. **Sign-in window first paint**: from starting the program (``main.py --data-dir …``, the real
   start-up path) to the first paint of the sign-in dialog; floor: starting a bare PySide6
   window (Python, Qt, one QWidget) to its first paint. Target ≤ 1.5 ×.
2. **Enter → main window**: on a 3,000-case demo register, from Enter in the sign-in dialog to
   the first paint of the main window; floor: verifying the same password hash (Argon2 at the
   register's cost) plus a bare QMainWindow's first paint. Target ≤ 1 s. Enter comes 3 s after
   the dialog appears (typing); a second line shows Enter at once, before anything preloaded.

Each figure is the median of ``--rounds`` fresh processes (offscreen Qt). The demo register is
built once and kept in ``bench/.cache/``.

    python bench/bench_startup.py [--rounds 5] [--cases 3000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache"
PASSWORD = "demo1234"
TYPING_MS = 3000  # a clerk types the login name and the password


# ----- the children (each a fresh process) ---------------------------------------------------

def _report(seconds: float) -> None:
    print(json.dumps({"seconds": seconds}), flush=True)
    os._exit(0)  # at once: no clean-up counted, no background work waited for


def _on_first_paint(target: type, then: object) -> None:
    """Call ``then()`` at the first paint of a widget of class ``target``."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class Watch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt
            if event.type() == QEvent.Type.Paint and isinstance(obj, target):
                then()  # type: ignore[operator]
            return False

    app = QApplication.instance()
    assert app is not None
    watch = Watch(app)
    app.installEventFilter(watch)


def child_bare(t0: float) -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv)
    _on_first_paint(QWidget, lambda: _report(time.time() - t0))
    window = QWidget()
    window.resize(480, 320)
    window.show()
    app.exec()


def child_login(t0: float, data_dir: str) -> None:
    """The real start (cli.main) until the sign-in dialog has painted: whether that happens
    in ui/start.py before the register is opened, or later in its exec()."""
    sys.path.insert(0, str(ROOT))
    from ui import login, start

    shell = start.show_shell

    def show_shell_and_report(app: object) -> object:
        dialog = shell(app)  # type: ignore[arg-type]
        _report(time.time() - t0)  # show_shell returns once the dialog has painted
        return dialog

    start.show_shell = show_shell_and_report  # type: ignore[assignment]

    def exec_(self: login.LoginDialog) -> int:  # without the early window: at its paint
        _on_first_paint(login.LoginDialog, lambda: _report(time.time() - t0))
        self.show()
        from PySide6.QtWidgets import QApplication

        QApplication.instance().exec()  # type: ignore[union-attr]
        return 0

    login.LoginDialog.exec = exec_  # type: ignore[method-assign, assignment]
    from cli import main

    main(["--data-dir", data_dir])


def child_enter(data_dir: str, typing_ms: int) -> None:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog, QMainWindow

    from ui import login

    original = QDialog.exec
    started: list[float] = []

    def press_enter(self: login.LoginDialog) -> None:
        started.append(time.perf_counter())
        self.try_login()

    def exec_(self: login.LoginDialog) -> int:
        self.username.setText("head")
        self.password.setText(PASSWORD)
        _on_first_paint(QMainWindow, lambda: _report(time.perf_counter() - started[0]))
        QTimer.singleShot(typing_ms, lambda: press_enter(self))  # after "typing the password"
        return int(original(self))

    login.LoginDialog.exec = exec_  # type: ignore[method-assign, assignment]
    from cli import main

    main(["--data-dir", data_dir])


def child_enter_floor(data_dir: str) -> None:
    """The password's hash verified once, then a bare QMainWindow to its first paint."""
    sys.path.insert(0, str(ROOT))
    import sqlite3

    from argon2 import PasswordHasher
    from PySide6.QtWidgets import QApplication, QMainWindow

    conn = sqlite3.connect(str(Path(data_dir) / "register.sqlite3"))
    stored = conn.execute("SELECT password_hash FROM users WHERE username = 'head'").fetchone()[0]
    conn.close()
    app = QApplication(sys.argv)
    t0 = time.perf_counter()
    PasswordHasher().verify(stored, PASSWORD)
    _on_first_paint(QMainWindow, lambda: _report(time.perf_counter() - t0))
    window = QMainWindow()
    window.resize(1280, 720)
    window.show()
    app.exec()


# ----- the parent ----------------------------------------------------------------------------

def run_child(*args: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    t0 = time.time()
    out = subprocess.run([sys.executable, __file__, "--child", *args, f"{t0!r}"],
                         capture_output=True, text=True, env=env, timeout=120, check=False)
    for line in out.stdout.splitlines():
        if line.startswith("{"):
            return float(json.loads(line)["seconds"])
    raise RuntimeError(f"child {args} reported nothing:\n{out.stdout}\n{out.stderr}")


def demo_register(cases: int) -> Path:
    data = CACHE / f"demo-{cases}"
    if not (data / "register.sqlite3").exists():
        print(f"building a {cases}-case demo register in {data} (once) …", flush=True)
        sys.path.insert(0, str(ROOT))
        from storage import demo

        demo.build(data, cases=cases, seed=5, months=24)
    return data


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--cases", type=int, default=3000)
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, *rest = args.child
        t0 = float(rest[-1])
        if kind == "bare":
            child_bare(t0)
        elif kind == "login":
            child_login(t0, rest[0])
        elif kind == "enter":
            child_enter(rest[0], int(rest[1]))
        elif kind == "enter-floor":
            child_enter_floor(rest[0])
        return 1  # a child that returns did not see its paint
    data = str(demo_register(args.cases))
    figures: dict[str, list[float]] = {k: [] for k in ("bare", "login", "enter", "at-once",
                                                       "floor")}
    for _round in range(args.rounds):  # interleaved: load on the machine hits both alike
        figures["bare"].append(run_child("bare"))
        figures["login"].append(run_child("login", data))
        figures["enter"].append(run_child("enter", data, str(TYPING_MS)))
        figures["at-once"].append(run_child("enter", data, "300"))
        figures["floor"].append(run_child("enter-floor", data))
    med = {k: statistics.median(v) for k, v in figures.items()}
    print(f"\nstart-up, median of {args.rounds} fresh processes (offscreen Qt), "
          f"{args.cases}-case demo register")
    print(f"{'measurement':44s} {'median':>9s} {'floor':>9s} {'ratio':>7s}  target")
    print(f"{'start → sign-in window first paint':44s} {med['login']:8.2f}s "
          f"{med['bare']:8.2f}s {med['login'] / med['bare']:6.2f}×  ≤ 1.5× "
          "(floor: bare PySide6 window)")
    print(f"{'Enter → main window first paint':44s} {med['enter']:8.2f}s "
          f"{med['floor']:8.2f}s {med['enter'] / med['floor']:6.2f}×  ≤ 1 s "
          "(floor: Argon2 verify + bare QMainWindow)")
    print(f"{'  the same, Enter 0.3 s after the window shows':44s} {med['at-once']:8.2f}s "
          f"{med['floor']:8.2f}s {med['at-once'] / med['floor']:6.2f}×  (no time to preload)")
    print(f"Enter is pressed {TYPING_MS / 1000:.0f} s after the sign-in window appears (the time "
          "to type a login name and password), during which the window's modules are imported "
          "(ui/app.py PRELOAD).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
