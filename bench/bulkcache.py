"""Benchmark registers built once by the bulk builder (``main.py demo-data --bulk``) and kept in
``bench/.cache/`` under ``storage.bulk.cache_key`` (size, seed, builder version, schema): a
later run reuses them, a schema change builds afresh.

    python bench/bulkcache.py 100000 1000000     # build (or find) these sizes now
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage import bulk
from storage.db import DB_NAME

CACHE = Path(__file__).resolve().parent / ".cache"


def ensure(cases: int, seed: int = 1) -> tuple[Path, float | None]:
    """The cached register's folder, and the build's seconds when it was built just now."""
    target = CACHE / bulk.cache_key(cases, seed)
    if (target / DB_NAME).exists():
        return target, None
    shutil.rmtree(target, ignore_errors=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    bulk.build(target, cases=cases, seed=seed,
               progress=lambda text: print(f"  building {cases:,}: {text}", flush=True))
    seconds = time.perf_counter() - t0
    (target / "build-seconds.txt").write_text(f"{seconds:.1f}\n")
    return target, seconds


def build_seconds(folder: Path) -> float | None:
    try:
        return float((folder / "build-seconds.txt").read_text())
    except (OSError, ValueError):
        return None


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        folder, took = ensure(int(arg))
        print(f"{int(arg):,}: {folder}" + (f" (built in {took:.0f} s)" if took else " (cached)"))
