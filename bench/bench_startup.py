"""Start-up benchmark (issue 15, not a test): how soon the clerk sees the desk, each figure
beside a floor measured in the same run, as a ratio.

1. **Sign-in window first paint**: from starting the program (``main.py --data-dir …``, the real
   start-up path) to the first paint of the sign-in dialog; floor: starting a bare PySide6
   window (Python, Qt, one QWidget) to its first paint. Target ≤ 1.5 ×.
2. **Enter → main window**: on a 3,000-case demo register, from Enter in the sign-in dialog to
   the first paint of the main window; floor: verifying the same password hash (Argon2 at the
   register's cost) plus a bare QMainWindow's first paint. Target ≤ 1 s. Enter comes 3 s after
   the dialog appears (typing); a second line shows Enter at once, before anything preloaded.

3. **GUI memory**: the peak resident set (``VmHWM``) of the real program signed in, the main
   window up, its home charts drawn, the case list shown and scrolled down ``SCROLL_PAGES``
   pages (each fetching a page of rows), beside a bare PySide6 window's peak in the same run.
   Target ≤ 400 MB. Also timed in that process: from the main window's first paint to the home
   charts drawn (they are read after that paint), and from the home page to the case list's
   first paint.

Each figure is the median of ``--rounds`` fresh processes (offscreen Qt). The demo register is
built once and kept in ``bench/.cache/``. ``--register FOLDER`` runs the same on a copy of that
register (a bulk one: ``bench/bulkcache.py``; signing in writes, so never on the cached file
itself), made in ``bench/.cache`` and deleted afterwards.

    python bench/bench_startup.py [--rounds 5] [--cases 3000] [--register FOLDER]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache"
PASSWORD = "demo1234"
TYPING_MS = 3000  # a clerk types the login name and the password
SCROLL_PAGES = 5  # the case list scrolled to its end this many times (a page fetched each)


# ----- the children (each a fresh process) ---------------------------------------------------

def _report(seconds: float, **more: Any) -> None:
    print(json.dumps({"seconds": seconds, **more}), flush=True)
    os._exit(0)  # at once: no clean-up counted, no background work waited for


def _memory() -> dict[str, float]:
    """This process's peak and current resident set, in MB (Linux /proc)."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _sep, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            found[key] = int(value.split()[0]) / 1024
    return {"peak_mb": found["VmHWM"], "rss_mb": found["VmRSS"]}


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
    _on_first_paint(QWidget, lambda: _report(time.time() - t0, **_memory()))
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


def child_memory(data_dir: str) -> None:
    """Signed in (Enter at once), the main window up; then the case list shown (timed to its
    first paint) and scrolled to its end ``SCROLL_PAGES`` times; the peak resident set then."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QTableView

    from ui import login

    original = QDialog.exec
    app_of = QApplication.instance
    shown: dict[str, Any] = {}

    def scroll(window: Any, left: int) -> None:
        table = window.pages["cases"].table
        if left == 0:
            _report(shown["cases"], charts=shown["charts"], rows=table.model().rowCount(),
                    scroll=max(shown["scrolls"]), **_memory())
        bar = table.verticalScrollBar()
        t0 = time.perf_counter()
        bar.setValue(bar.maximum())  # the view fetches the next page near its end
        app_of().processEvents()  # type: ignore[union-attr]
        shown.setdefault("scrolls", []).append(time.perf_counter() - t0)
        QTimer.singleShot(50, lambda: scroll(window, left - 1))

    def on_main(window: QMainWindow) -> None:
        if "main" in shown:
            return
        shown["main"] = time.perf_counter()
        wait_for_charts(window)

    def wait_for_charts(window: Any) -> None:
        """The home page's charts are read after the window's first paint, on a thread: wait
        for them (the time the home page takes to be complete), then show the case list."""
        charts = window.pages["home"].charts
        if charts.pending or charts.reading is not None or not charts.refreshes:
            QTimer.singleShot(10, lambda: wait_for_charts(window))
            return
        shown["charts"] = time.perf_counter() - shown["main"]
        t0 = time.perf_counter()

        def painted() -> None:
            if "cases" not in shown:
                shown["cases"] = time.perf_counter() - t0
                QTimer.singleShot(50, lambda: scroll(window, SCROLL_PAGES))

        _on_first_paint(QTableView, painted)
        window.show_page("cases")

    def exec_(self: login.LoginDialog) -> int:
        self.username.setText("head")
        self.password.setText(PASSWORD)
        from PySide6.QtCore import QEvent, QObject

        class Watch(QObject):
            def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt
                if event.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow):
                    QTimer.singleShot(0, lambda: on_main(obj))  # type: ignore[arg-type]
                return False

        app = app_of()
        assert app is not None
        app.installEventFilter(Watch(app))
        QTimer.singleShot(300, self.try_login)
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
    return float(run_child_report(*args)["seconds"])


def run_child_report(*args: str) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    t0 = time.time()
    out = subprocess.run([sys.executable, __file__, "--child", *args, f"{t0!r}"],
                         capture_output=True, text=True, env=env, timeout=600, check=False)
    for line in out.stdout.splitlines():
        if line.startswith("{"):
            return dict(json.loads(line))
    raise RuntimeError(f"child {args} reported nothing:\n{out.stdout}\n{out.stderr}")


def copy_of(folder: Path) -> Path:
    """A copy of the register folder ``folder`` to sign in to (signing in writes: sessions, the
    audit log, today's backup), beside the cache on the same disk."""
    CACHE.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="bench-startup-", dir=CACHE))
    target = root / "register"
    print(f"copying {folder} to {target} …", flush=True)
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns("*.lock", "backups"))
    # a register built before the last migrations: brought up to date here, without the
    # backup opening would take first (minutes at a million), so that no child measures it
    sys.path.insert(0, str(ROOT))
    from storage import db

    conn = db.connect(target / db.DB_NAME)
    try:
        applied = db.migrate(conn, None)
    finally:
        conn.close()
    if applied:
        print(f"brought up to date: {', '.join(applied)}", flush=True)
    return target


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
    ap.add_argument("--register", type=Path, help="a register folder to measure (a copy of it)")
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
        elif kind == "memory":
            child_memory(rest[0])
        return 1  # a child that returns did not see its paint
    copy = copy_of(args.register) if args.register else None
    try:
        return measure(args, str(copy or demo_register(args.cases)))
    finally:
        if copy is not None:
            shutil.rmtree(copy.parent, ignore_errors=True)


def measure(args: argparse.Namespace, data: str) -> int:
    figures: dict[str, list[float]] = {k: [] for k in ("bare", "login", "enter", "at-once",
                                                       "floor", "cases", "charts", "scroll")}
    memory: dict[str, list[float]] = {k: [] for k in ("bare", "bare-rss", "desk", "desk-rss",
                                                      "rows")}
    for _round in range(args.rounds):  # interleaved: load on the machine hits both alike
        bare = run_child_report("bare")
        figures["bare"].append(bare["seconds"])
        memory["bare"].append(bare["peak_mb"])
        memory["bare-rss"].append(bare["rss_mb"])
        figures["login"].append(run_child("login", data))
        figures["enter"].append(run_child("enter", data, str(TYPING_MS)))
        figures["at-once"].append(run_child("enter", data, "300"))
        figures["floor"].append(run_child("enter-floor", data))
        desk = run_child_report("memory", data)
        figures["cases"].append(desk["seconds"])
        figures["charts"].append(desk["charts"])
        figures["scroll"].append(desk["scroll"])
        memory["desk"].append(desk["peak_mb"])
        memory["desk-rss"].append(desk["rss_mb"])
        memory["rows"].append(desk["rows"])
    med = {k: statistics.median(v) for k, v in figures.items()}
    mem = {k: statistics.median(v) for k, v in memory.items()}
    what = (f"register {args.register} ({matters(data):,} matters, a copy)" if args.register
            else f"{args.cases}-case demo register")
    print(f"\nstart-up, median of {args.rounds} fresh processes (offscreen Qt), {what}; "
          f"load average {os.getloadavg()[0]:.1f}")
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
    print(f"{'main window painted → home charts drawn':44s} {med['charts']:8.2f}s "
          f"{'-':>9s} {'':>7s}  (the year's and last year's totals; in the memory run)")
    print(f"{'home page → case list first paint':44s} {med['cases']:8.2f}s "
          f"{'-':>9s} {'':>7s}  (in the memory run)")
    print(f"{'case list: slowest of the scrolls to its end':44s} {med['scroll']:8.3f}s "
          f"{'-':>9s} {'':>7s}  (each fetches a page of rows; in the memory run)")
    print(f"{'GUI peak memory (VmHWM), case list scrolled':44s} {mem['desk']:7.0f}MB "
          f"{mem['bare']:7.0f}MB {mem['desk'] / mem['bare']:6.2f}×  ≤ 400 MB "
          f"(floor: bare PySide6 window's peak; {mem['rows']:.0f} rows fetched; resident "
          f"at the end {mem['desk-rss']:.0f} MB, bare {mem['bare-rss']:.0f} MB)")
    return 0


def matters(data: str) -> int:
    import sqlite3

    conn = sqlite3.connect(f"file:{Path(data) / 'register.sqlite3'}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM matters").fetchone()[0])
    finally:
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
