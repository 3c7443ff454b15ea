"""Fault trials (issue 14): a process killed with SIGKILL while it backs up (between saves) or
restores. Each trial runs the work in a child process — the kill of a real process is the point —
and then opens the register as the next start would: nothing confirmed is lost, the register
opens and passes ``quick_check``, no ``.part``, journal or orphan is left, every listed backup
verifies. ``-s`` prints the figures quoted in the README's reliability table."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import backup, health, integrity, restore
from storage.db import DB_NAME, open_register
from storage.errors import KnownStorageError
from tests.helpers.recovery import copy_demo, demo_register
from tests.helpers.registers import CHEAP_HASHER

__all__ = ["demo_register"]

ROOT = Path(__file__).resolve().parents[2]
TRIALS = 20

BACKUP_CHILD = """
import sys
from pathlib import Path
from storage import backup
from storage.db import open_register
from tests.helpers.registers import CHEAP_HASHER
data = Path(sys.argv[1])
reg = open_register(data, password_hasher=CHEAP_HASHER)
print("ready", flush=True)
n = 0
while True:
    n += 1
    with reg.transaction():
        reg.insert("villages", {"name": f"村{n}", "code": f"{320508102300 + n}", "sort": n})
    print("confirmed", n, flush=True)
    backup.make_backup(reg.path, data, reason="daily" if n % 2 else "manual")
"""

RESTORE_CHILD = """
import sys
from pathlib import Path
from storage import restore
print("ready", flush=True)
restore.restore(Path(sys.argv[2]), Path(sys.argv[1]))
print("done", flush=True)
"""


def child(code: str, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill_after(proc: subprocess.Popen[str], delay: float) -> str:
    """Wait for the child's "ready", let it work ``delay`` seconds, SIGKILL it; its output."""
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.strip() == "ready", (first, proc.stderr.read() if proc.stderr else "")
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, _err = proc.communicate(timeout=60)
    return out


def leftovers(data: Path) -> list[Path]:
    found = [p for p in data.rglob("*") if p.name.endswith(".part")
             or p.name == restore.JOURNAL or p.name.endswith(restore.PART_SUFFIX)]
    folder = backup.backup_dir(data)
    if folder.is_dir():
        found += [p for p in folder.iterdir() if p.name.endswith(backup.SUFFIX)
                  and not backup.sidecar_path(p).exists()]
    return found


@pytest.mark.slow
def test_sigkill_during_backups_loses_nothing_and_leaves_nothing(
        tmp_path: Path, demo_register: Path) -> None:
    rng = random.Random(14)
    confirmed_total = lost = killed_mid_backup = 0
    for trial in range(TRIALS):
        data = tmp_path / f"b{trial}"
        copy_demo(demo_register, data)
        out = kill_after(child(BACKUP_CHILD, str(data)), rng.uniform(0.05, 1.5))
        confirmed = [int(line.split()[1]) for line in out.splitlines()
                     if line.startswith("confirmed")]
        parts_before = [p for p in backup.backup_dir(data).glob("*.part")] \
            if backup.backup_dir(data).is_dir() else []
        killed_mid_backup += bool(parts_before)
        reg = open_register(data, password_hasher=CHEAP_HASHER)  # the next start
        try:
            names = {r[0] for r in reg.conn.execute("SELECT name FROM villages")}
            lost += sum(f"村{n}" not in names for n in confirmed)
            assert reg.scalar("SELECT count(*) FROM matters") == 200
        finally:
            reg.close()
        confirmed_total += len(confirmed)
        assert health.quick_check(data / DB_NAME) is None
        assert leftovers(data) == []
        for b in backup.list_backups(data):
            backup.check_file(b.path)
    print(f"\nbackup kills: {TRIALS} trials, {confirmed_total} saves confirmed, {lost} lost, "
          f"{killed_mid_backup} killed with a backup half-written, 0 leftovers")
    assert lost == 0


@pytest.mark.slow
def test_sigkill_during_restore_leaves_the_old_or_the_new_register(
        tmp_path: Path, demo_register: Path) -> None:
    rng = random.Random(17)
    outcomes = {"old": 0, "restored": 0}
    finished_by_next_start = 0
    for trial in range(TRIALS):
        data = tmp_path / f"r{trial}"
        copy_demo(demo_register, data)
        taken = backup.make_backup(data / DB_NAME, data, reason="manual")
        reg = open_register(data, password_hasher=CHEAP_HASHER)
        with reg.transaction():  # the old register has one village the backup has not
            reg.insert("villages", {"name": "备份后的村", "code": "320508102399", "sort": 99})
        reg.close()
        out = kill_after(child(RESTORE_CHILD, str(data), str(taken)), rng.uniform(0.0, 0.6))
        finished_by_next_start += (data / restore.JOURNAL).exists()
        reg = open_register(data, password_hasher=CHEAP_HASHER)  # finishes a decided restore
        try:
            after = reg.scalar("SELECT count(*) FROM villages WHERE name = '备份后的村'")
            assert reg.scalar("SELECT count(*) FROM matters") == 200
            report = integrity.check(reg, data)  # records, chain and its anchor agree
            assert report.ok, report.problems
        finally:
            reg.close()
        if "done" in out:
            assert after == 0
        outcomes["old" if after else "restored"] += 1
        if not after:  # the old register is kept aside, whole
            aside = sorted((data / restore.SET_ASIDE).iterdir())
            assert len(aside) == 1 and (aside[0] / DB_NAME).stat().st_size > 0
        assert health.quick_check(data / DB_NAME) is None
        assert leftovers(data) == []
    print(f"\nrestore kills: {TRIALS} trials, {outcomes['old']} left the old register, "
          f"{outcomes['restored']} the restored one ({finished_by_next_start} finished by the next "
          f"start), 0 mixed, 0 leftovers")
    assert outcomes["old"] + outcomes["restored"] == TRIALS


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 6 MB file system of its own (tmpfs); skipped where it cannot be mounted."""
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_during_backup_and_restore_leaves_nothing_partial(
        small_disk: Path, tmp_path: Path, demo_register: Path) -> None:
    data = small_disk / "data"
    live = copy_demo(demo_register, data)  # 4.8 MB of 6: no room for a copy
    before = live.read_bytes()
    with pytest.raises(KnownStorageError, match="磁盘空间不足") as caught:
        backup.make_backup(live, data, reason="manual")
    assert "\n" not in str(caught.value)
    assert leftovers(data) == [] and backup.list_backups(data) == []
    # a backup taken where there is room, restored into the full disk
    elsewhere = tmp_path / "elsewhere"
    copy_demo(demo_register, elsewhere)
    taken = backup.make_backup(elsewhere / DB_NAME, elsewhere, reason="manual")
    with pytest.raises(KnownStorageError, match="磁盘空间不足"):
        restore.restore(taken, data)
    assert live.read_bytes() == before and leftovers(data) == []
    assert not (data / restore.SET_ASIDE).exists()
    reg = open_register(data, password_hasher=CHEAP_HASHER)
    try:
        assert reg.scalar("SELECT count(*) FROM matters") == 200
    finally:
        reg.close()
