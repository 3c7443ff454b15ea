"""Benchmark registers built once by the bulk builder (``main.py demo-data --bulk``) and kept in
``bench/.cache/`` under ``storage.bulk.cache_key`` (size, seed, builder version, schema): a
later run reuses them. After a schema change a cached register of the same size, seed and
builder version is copied and brought up to date by the pending migrations (minutes at a
million, where a build takes ten or more); without one, it is built afresh.

    python bench/bulkcache.py 100000 1000000     # build (or find) these sizes now
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlite_utils import Database

from storage import bulk
from storage.db import DB_NAME, connect
from storage.migrations import MIGRATIONS

CACHE = Path(__file__).resolve().parent / ".cache"


def ensure(cases: int, seed: int = 1) -> tuple[Path, float | None]:
    """The cached register's folder, and the build's seconds when it was built just now."""
    target = CACHE / bulk.cache_key(cases, seed)
    if (target / DB_NAME).exists():
        return target, None
    shutil.rmtree(target, ignore_errors=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    older = _older(cases, seed)
    if older is not None:
        _migrate_copy(older, target, cases)
        return target, None
    t0 = time.perf_counter()
    bulk.build(target, cases=cases, seed=seed,
               progress=lambda text: print(f"  building {cases:,}: {text}", flush=True))
    seconds = time.perf_counter() - t0
    (target / "build-seconds.txt").write_text(f"{seconds:.1f}\n")
    (target / "builder-version.txt").write_text(f"{bulk.BUILDER_VERSION}\n")
    return target, seconds


def _older(cases: int, seed: int) -> Path | None:
    """A cached register of ``cases`` and ``seed`` made by this builder version under an older
    schema (folders from before the version was written down count as this version)."""
    for folder in sorted(CACHE.glob(f"bulk-{cases}-s{seed}-*"), key=lambda p: p.stat().st_mtime,
                         reverse=True):
        version = folder / "builder-version.txt"
        if not (folder / DB_NAME).exists() or not (folder / "build-seconds.txt").exists():
            continue  # not finished
        if version.exists() and version.read_text().strip() != str(bulk.BUILDER_VERSION):
            continue
        return folder
    return None


def _migrate_copy(older: Path, target: Path, cases: int) -> None:
    """Copy ``older`` (never changed) aside, apply the pending migrations to the copy (no
    backup first: it is a copy), then put it in place under ``target``."""
    work = CACHE / f".{target.name}.migrate-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        t0 = time.perf_counter()
        shutil.copytree(older, work)
        pending = migrate(work)
        print(f"  {cases:,}: {older.name} brought up to date ({', '.join(pending) or 'nothing'})"
              f" in {time.perf_counter() - t0:.0f} s", flush=True)
        (work / "migrated-from.txt").write_text(f"{older.name}: {', '.join(pending)}\n")
        os.replace(work, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def migrate(folder: Path) -> list[str]:
    """Apply the pending migrations to the register in ``folder`` (a cached copy: no backup
    first); returns their names."""
    conn = connect(folder / DB_NAME)
    try:
        pending = [m.name for m in MIGRATIONS.pending(Database(conn))]
        MIGRATIONS.apply(Database(conn))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return pending


def build_seconds(folder: Path) -> float | None:
    try:
        return float((folder / "build-seconds.txt").read_text())
    except (OSError, ValueError):
        return None


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        folder, took = ensure(int(arg))
        print(f"{int(arg):,}: {folder}" + (f" (built in {took:.0f} s)" if took else " (cached)"))
