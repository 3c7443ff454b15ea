"""A size-limited file system for disk-full tests: a tmpfs of a few megabytes mounted for the
test (we are root in CI and here); where it cannot be mounted the test is skipped, saying why."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(point: Path, size: str) -> None:
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("a size-limited file system needs root to mount (tmpfs)")
    point.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                           str(point)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")


def _unmount(point: Path) -> None:
    subprocess.run(["umount", "-l", str(point)], capture_output=True, check=False)


@contextlib.contextmanager
def small_disk(point: Path, size: str = "4m") -> Iterator[Path]:
    """``point`` as a fresh file system of ``size``; unmounted afterwards, whatever happens."""
    _mount(point, size)
    try:
        yield point
    finally:
        _unmount(point)


def fill(directory: Path) -> Path:
    """Take every free byte of ``directory``'s file system; returns the filler (delete it to
    free the space again)."""
    filler = directory / "filler.bin"
    chunk = b"\0" * 65536
    with open(filler, "ab", buffering=0) as f:
        for size in (65536, 4096, 512, 1):
            while True:
                try:
                    f.write(chunk[:size])
                except OSError:
                    break
    return filler


def remount_read_only(point: Path) -> None:
    done = subprocess.run(["mount", "-o", "remount,ro", str(point)], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot remount read-only: {done.stderr.strip()}")


def leftovers(directory: Path) -> list[str]:
    """Unfinished files anything left behind (``.part``, ``.part-journal``, ``.pdf.part``)."""
    return sorted(p.name for p in directory.rglob("*") if ".part" in p.name)
