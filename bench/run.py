"""Run every benchmark script in ``bench/`` (``bench_*.py``) one after the other and say how each
went. Not part of the test run: ``make bench`` calls this.

    python bench/run.py [--only register,sync] [--list]

Each script prints its own table (every figure next to a floor measured in the same run, as a
ratio); run a script directly to pass it options, e.g. ``python bench/bench_register.py
--cases 20000``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover() -> list[Path]:
    return sorted(HERE.glob("bench_*.py"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="",
                    help="comma-separated names, e.g. register,sync (bench_ prefix optional)")
    ap.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    args = ap.parse_args()
    scripts = discover()
    if args.only:
        wanted = {w.strip().removeprefix("bench_").removesuffix(".py")
                  for w in args.only.split(",") if w.strip()}
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
        if not scripts:
            print(f"no benchmark matches {args.only!r}", file=sys.stderr)
            return 2
    if args.list:
        for s in scripts:
            print(s.name)
        return 0
    results: list[tuple[str, int, float]] = []
    for script in scripts:
        print(f"\n=== {script.name} " + "=" * max(0, 70 - len(script.name)), flush=True)
        t = time.perf_counter()
        code = subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode
        results.append((script.name, code, time.perf_counter() - t))
    print("\n=== summary " + "=" * 62)
    for name, code, seconds in results:
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"{name:28s} {status:18s} {seconds:8.1f} s")
    return 0 if all(code == 0 for _n, code, _s in results) else 1


if __name__ == "__main__":
    sys.exit(main())
