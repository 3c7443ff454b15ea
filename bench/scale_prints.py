"""The month's prints at county scale (``bench/bench_scale.py``; issue 17): ``print
monthly-report`` and ``print screening-sheet`` of the last whole month, in-process as the CLI
builds them (``printing.documents.build_document``), warm and cold, each beside a floor measured
in the same run:

* **reportlab floor** — reportlab alone laying out the same tables: every table the document
  draws through ``layout.data_table``, recorded from the document's own build (same cells, same
  column widths and type size), as a bare ``Table`` of reportlab ``Paragraph`` cells that wrap
  (CJK word wrap), header repeated; with the document's charts (reportlab drawings). Nothing of
  ours: no fallback fonts, no pre-wrapping, no seal or page furniture.
* **query floor** — the raw rows the month's figures need, read by plain SQL through an index:
  the matters received in the 200 days before the month's end (every deadline that can fall in
  the month starts there) with their progress rows up to the end (``matter_progress``: what
  their events add up to, day by day), the month's repeat visits, the counts
  by month of this year and the last (the trend); for the sheet, the disputes and reports the
  sheet lists. No deadline, no rule, no Python.

The ratio is the document over the sum of the two. And the whole command as a clerk runs it
(``main.py print … --out``, a fresh interpreter), cold and warm, against the target of 2 s.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from printing import documents, fonts, layout, monthly_report
from printing.layout import A4_LANDSCAPE, A4_PORTRAIT, clear_wrap_cache
from storage.db import open_register
from storage.register import Register

ROOT = Path(__file__).resolve().parents[1]
#: the whole command from a cold file: its spread on a shared machine is wide (1.9-2.8 s at a
#: million), one run says little
COLD_RUNS = 5
KINDS = ("monthly-report", "screening-sheet")
_ALIGN = {"left": TA_LEFT, "centre": TA_CENTER, "center": TA_CENTER, "right": TA_RIGHT}


def last_month(reg: Register) -> str:
    first = reg.clock().date().replace(day=1) - timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


# ----- the reportlab floor ------------------------------------------------------------------
@contextmanager
def recording() -> Iterator[list[tuple[Any, ...]]]:
    """Record every ``data_table`` call (columns, rows, width, size) while the block runs."""
    seen: list[tuple[Any, ...]] = []
    real = layout.data_table

    def spy(columns: Any, rows: Any, *, width: float, size: float = 9, **kw: Any) -> Any:
        rows = [list(r) for r in rows]
        seen.append((list(columns), rows, width, size))
        return real(columns, rows, width=width, size=size, **kw)

    patched = [m for m in list(sys.modules.values())
               if getattr(m, "data_table", None) is real and m is not layout]
    for m in patched:
        m.data_table = spy  # type: ignore[attr-defined]
    layout.data_table = spy  # type: ignore[assignment]
    try:
        yield seen
    finally:
        for m in patched:
            m.data_table = real  # type: ignore[attr-defined]
        layout.data_table = real  # type: ignore[assignment]


def bare_story(tables: list[tuple[Any, ...]], extra: list[Any]) -> list[Any]:
    """reportlab's own tables of the recorded cells: Paragraph cells that wrap, same widths."""
    story: list[Any] = []
    for columns, rows, width, size in tables:
        total = sum(c.weight for c in columns)
        widths = [width * c.weight / total for c in columns]
        head = ParagraphStyle("floor-head", fontName=fonts.HEI, fontSize=size,
                              leading=size * 4 / 3, alignment=TA_CENTER, wordWrap="CJK")
        body = [ParagraphStyle(f"floor-{i}", fontName=fonts.SONG, fontSize=size,
                               leading=size * 4 / 3, alignment=_ALIGN.get(c.align, TA_LEFT),
                               wordWrap="CJK") for i, c in enumerate(columns)]
        data = [[Paragraph(c.title, head) for c in columns]]
        data += [[Paragraph(str(v).replace("\n", "<br/>"), body[i]) for i, v in enumerate(row)]
                 for row in rows]
        story.append(Table(data, colWidths=widths, repeatRows=1, style=TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")])))
        story.append(Spacer(0, 6))
    return [*story, *extra]


def bare_pdf(story: list[Any], landscape: bool) -> bytes:
    spec = A4_LANDSCAPE if landscape else A4_PORTRAIT
    buf = BytesIO()
    SimpleDocTemplate(buf, pagesize=spec.size, leftMargin=spec.left, rightMargin=spec.right,
                      topMargin=spec.top, bottomMargin=spec.bottom).build(story)
    return buf.getvalue()


class Floor:
    """What one document's reportlab floor lays out, recorded once from the document itself."""

    def __init__(self, reg: Register, kind: str, month: str) -> None:
        self.kind = kind
        with recording() as seen:
            documents.build_document(reg, kind, month)
        self.tables = seen
        self.report = documents.monthly_report_data(reg, month) if kind == KINDS[0] else None

    def story(self) -> list[Any]:
        extra = monthly_report.charts_section(self.report) if self.report is not None else []
        return bare_story(self.tables, extra)

    def cells(self) -> int:
        return sum(len(rows) * len(cols) for cols, rows, _w, _s in self.tables)


# ----- the query floor ----------------------------------------------------------------------
def raw_queries(reg: Register, kind: str, month: str) -> int:
    year, mon = (int(x) for x in month.split("-"))
    first = date(year, mon, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    code = reg.station_code
    c = reg.conn
    if kind == "screening-sheet":
        n = len(c.execute("SELECT * FROM disputes WHERE station_code = ? AND found_month <= ?"
                          " AND deleted = 0", (code, month)).fetchall())
        n += len(c.execute("SELECT * FROM dispute_updates WHERE deleted = 0 AND period LIKE ?",
                           (f"{month}%",)).fetchall())
        return n
    horizon = (first - timedelta(days=200)).isoformat()
    n = len(c.execute(
        "SELECT id, received_on, form, visitors_count, is_collective, is_skip_level, category1,"
        " problem_village_id, repeat_kind, source, status, closed_on FROM matters"
        " WHERE station_code = ? AND deleted = 0 AND received_on BETWEEN ? AND ?",
        (code, horizon, last.isoformat())).fetchall())
    # what their events add up to by the end: every progress row (m016) up to the end
    n += len(c.execute(
        "SELECT p.* FROM matters m CROSS JOIN matter_progress p ON p.matter_id = m.id"
        " WHERE m.station_code = ? AND m.deleted = 0 AND m.received_on BETWEEN ? AND ?"
        " AND p.day <= ?", (code, horizon, last.isoformat(), last.isoformat())).fetchall())
    n += len(c.execute(
        "SELECT matter_id, data FROM matter_events WHERE kind = 'repeat_visit'"
        " AND occurred_on BETWEEN ? AND ?", (first.isoformat(), last.isoformat())).fetchall())
    for y in (year, year - 1):
        n += len(c.execute(
            "SELECT substr(received_on, 6, 2), count(*) FROM matters WHERE station_code = ?"
            " AND deleted = 0 AND received_on BETWEEN ? AND ? GROUP BY 1",
            (code, f"{y}-01-01", f"{y}-12-31")).fetchall())
    return n


# ----- measuring ----------------------------------------------------------------------------
def _timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _best(fn: Callable[[], Any], runs: int = 3) -> float:
    return min(_timed(fn) for _i in range(runs))


def _app(reg: Register, kind: str, month: str) -> float:
    clear_wrap_cache()  # no cell already wrapped by an earlier run
    return _timed(lambda: documents.build_document(reg, kind, month))


def cli_wall(folder: Path, kind: str, month: str, out: Path) -> float:
    """``main.py print KIND --month M --out F.pdf`` in a fresh interpreter, wall time."""
    # compiled modules kept, as an installed desk has them (this machine's environment sets
    # PYTHONDONTWRITEBYTECODE: every run would compile ~190 modules, 0.25 s)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "print", kind, "--month", month,
                    "--out", str(out), "--data-dir", str(folder)], check=True,
                   stdout=subprocess.DEVNULL, env={**env, "QT_QPA_PLATFORM": "offscreen"})
    return time.perf_counter() - t0


def bench_prints(folder: Path, n: int, add: Callable[..., None],
                 evict: Callable[[Path], None], *, whole_command: bool = True) -> None:
    """The rows of both documents at ``n`` matters (``add(size, figure, value, floor, ratio,
    note)``), the register in ``folder`` (read only: nothing here writes); ``whole_command``:
    also ``main.py print`` in a fresh interpreter."""
    reg = open_register(folder)
    month = last_month(reg)
    try:
        t_fonts = _timed(lambda: documents.build_document(reg, "screening-sheet", month))
        floors = {kind: Floor(reg, kind, month) for kind in KINDS}
        reportlab: dict[str, float] = {}
        for kind in KINDS:
            f = floors[kind]
            _app(reg, kind, month)  # statement cache, as a second print in the same session
            app = min(_app(reg, kind, month) for _i in range(3))
            q = _best(lambda k=kind: raw_queries(reg, k, month))  # type: ignore[misc]
            rl = min(_bare(f) for _i in range(3))
            add(f"{n:,}", f"{kind} {month} (warm)", f"{app * 1000:.0f} ms",
                f"reportlab {rl * 1000:.0f} ms + queries {q * 1000:.0f} ms",
                f"{app / (rl + q):.2f}x", f"{f.cells():,} table cells" + (
                    f"; the first print in this process +{t_fonts:.1f} s (fonts)"
                    if kind == KINDS[0] and t_fonts > 0.2 else ""))
            reportlab[kind] = rl
    finally:
        reg.close()
    for kind in KINDS:
        evict(folder)
        reg = open_register(folder)
        try:
            app = _app(reg, kind, month)
        finally:
            reg.close()
        evict(folder)
        reg = open_register(folder)
        try:
            q = _timed(lambda r=reg, k=kind: raw_queries(r, k, month))  # type: ignore[misc]
        finally:
            reg.close()
        rl = reportlab[kind]
        add(f"{n:,}", f"{kind} {month} (cold)", f"{app * 1000:.0f} ms",
            f"reportlab {rl * 1000:.0f} ms + queries cold {q * 1000:.0f} ms",
            f"{app / (rl + q):.2f}x", "file evicted before each")
    if not whole_command:
        return
    with tempfile.TemporaryDirectory() as tmp:
        for kind in KINDS:
            out = Path(tmp) / f"{kind}.pdf"
            cli_wall(folder, kind, month, out)  # modules compiled once
            colds = []
            for _i in range(COLD_RUNS):
                evict(folder)
                colds.append(cli_wall(folder, kind, month, out))
            warm = min(cli_wall(folder, kind, month, out) for _i in range(2))
            cold = statistics.median(colds)
            add(f"{n:,}", f"main.py print {kind} (whole command)", f"warm {warm:.2f} s",
                f"cold {cold:.2f} s", "-", "fresh interpreter: imports, open, fonts, figures,"
                f" layout, write (target <= 2 s); cold: median of {COLD_RUNS}"
                f" ({min(colds):.2f}-{max(colds):.2f} s), file evicted before each")


# ----- a register with its workflow events -------------------------------------------------
#: the events a matter's columns imply (the bulk builder writes only the registration event)
_EVENTS = (
    ("accept", "accepted_on", "'{}'", "accepted_on IS NOT NULL"),
    ("not_accept", "closed_on", "'{}'", "status = 'not_accepted' AND closed_on IS NOT NULL"),
    ("reply", "replied_on", "json_object('result', reply_result)", "replied_on IS NOT NULL"),
    ("rate", "closed_on", "json_object('rating', rating)",
     "status = 'closed' AND coalesce(rating, '') != '' AND closed_on IS NOT NULL"),
)


def with_workflow_events(folder: Path, target: Path) -> Path:
    """A copy of ``folder`` in ``target`` with the accept, not-accept, reply and rate events its
    matters' columns imply, written by plain INSERT … SELECT (no audit entries: the figures do
    not read them) — about four events a matter, as a working register has them."""
    from storage import matter_progress
    from storage.db import DB_NAME, connect

    shutil.copytree(folder, target)
    conn = connect(target / DB_NAME)
    try:
        t0 = time.perf_counter()
        conn.execute("BEGIN")
        # the progress summary (m016) written once from all the events afterwards, as the
        # migration does, instead of by its trigger once per event
        trigger = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'"
                               " AND name = 'matter_progress_insert'").fetchone()[0]
        conn.execute("DROP TRIGGER matter_progress_insert")
        for kind, day, data, where in _EVENTS:
            conn.execute(
                "INSERT INTO matter_events (id, station_code, version, created_at, updated_at,"
                " updated_by, deleted, matter_id, kind, occurred_on, actor, note, data,"
                f" actor_name) SELECT 'bench' || hex(randomblob(11)), station_code, 1,"
                f" {day} || 'T12:00:00', {day} || 'T12:00:00', 'bench', 0, id, '{kind}', {day},"
                f" 'bench', '', {data}, '' FROM matters WHERE deleted = 0 AND {where}")
        conn.execute(trigger)
        t1 = time.perf_counter()
        rows = matter_progress.rebuild(conn)
        summary = time.perf_counter() - t1
        conn.execute("COMMIT")
        conn.execute("ANALYZE matter_events")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        events = conn.execute("SELECT count(*) FROM matter_events").fetchone()[0]
        print(f"  workflow events added in {time.perf_counter() - t0:.0f} s: {events:,} events"
              f" (their progress summary {rows:,} rows in {summary:.0f} s)", flush=True)
    finally:
        conn.close()
    os.sync()  # the copy on disk before anything is timed (else the first eviction writes it)
    return target


def compacted(folder: Path, target: Path, n: int, add: Callable[..., None]) -> Path:
    """A copy of ``folder`` in ``target``, then ``main.py compact`` on it (as a county runs it
    after its big first import or a migration), timed, with the file's size before and after."""
    shutil.copytree(folder, target)
    os.sync()
    before = (target / "register.sqlite3").stat().st_size
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "compact", "--data-dir",
                    str(target)], check=True, stdout=subprocess.DEVNULL)
    took = time.perf_counter() - t0
    after = (target / "register.sqlite3").stat().st_size
    os.sync()
    add(f"{n:,}", "main.py compact (whole command)", f"{took:.0f} s", "-", "-",
        f"file {before / 1e9:.2f} -> {after / 1e9:.2f} GB; copy verified (quick_check,"
        " records per table, chain head) before it replaces the register")
    return target


def compare_whole_command(scattered: Path, compact: Path, n: int, add: Callable[..., None],
                          evict: Callable[[Path], None], runs: int = 6) -> None:
    """``main.py print monthly-report`` on the register as it was and on its compacted copy,
    alternated (cold, then warm, on one, then the other, ``runs`` times): both meet the same
    machine, whatever else it is doing."""
    found: dict[Path, tuple[list[float], list[float]]] = {scattered: ([], []),
                                                          compact: ([], [])}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.pdf"
        for folder in found:
            month = _month_of(folder)
            cli_wall(folder, "monthly-report", month, out)  # modules compiled once
        for _i in range(runs):
            for folder, (colds, warms) in found.items():
                evict(folder)
                colds.append(cli_wall(folder, "monthly-report", month, out))
                warms.append(cli_wall(folder, "monthly-report", month, out))
    for folder, label in ((scattered, "as written"), (compact, "after compact")):
        colds, warms = found[folder]
        add(f"{n:,}", f"main.py print monthly-report (whole command), {label}",
            f"cold {statistics.median(colds):.2f} s", f"warm {statistics.median(warms):.2f} s",
            "-", f"medians of {runs}, the two registers alternated; cold {min(colds):.2f}-"
            f"{max(colds):.2f} s, warm {min(warms):.2f}-{max(warms):.2f} s (target <= 2 s)")


def _month_of(folder: Path) -> str:
    reg = open_register(folder)
    try:
        return last_month(reg)
    finally:
        reg.close()


def _bare(f: Floor) -> float:
    story = f.story()  # made before the clock starts: the floor times reportlab's layout
    return _timed(lambda: bare_pdf(story, landscape=f.kind == "screening-sheet"))
