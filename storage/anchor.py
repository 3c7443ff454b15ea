"""The local anchor: the head of this station's audit chain (seq and hash of its newest entry),
written to a small file beside the register after every action that added entries, so that
`check` can tell a log whose newest entries were cut off, which was wiped, or which has entries
the program never wrote, from the log the program left (docs/architecture.md §7.1).

The file lives outside the register, so replacing or editing the register alone leaves the
anchor telling. It is not signed: whoever can write the data folder can rewrite it too — the
anchors such a person cannot reach are the bundles already at the county and the printed monthly
report (§7.1 says what each one proves).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage import audit
from storage.regfile import read_only_uri

log = logging.getLogger(__name__)

FILE_NAME = "audit-head.json"


@dataclass(frozen=True)
class Head:
    """A point of this station's chain: the local seq of its entry (0: none yet), the hash."""

    seq: int
    hash: str

    @property
    def short(self) -> str:
        """What a printout shows: the first 12 hex digits."""
        return self.hash[:12]


def current(conn: sqlite3.Connection, station_code: str) -> Head:
    """The newest entry of the chain (cheap: read from the end of the log)."""
    row = conn.execute("SELECT seq, hash FROM audit_log WHERE station_code = ?"
                       " ORDER BY seq DESC LIMIT 1", (station_code,)).fetchone()
    return Head(0, audit.GENESIS) if row is None else Head(int(row[0]), str(row[1]))


def read(data_dir: Path) -> Head | None:
    """The anchor as written, or None if there is none or it cannot be read as one."""
    try:
        value = json.loads((data_dir / FILE_NAME).read_text(encoding="utf-8"))
        return Head(int(value["seq"]), str(value["hash"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def write(data_dir: Path, station_code: str, head: Head) -> None:
    """Replace the anchor (write aside, then rename). A failure is logged, never raised: the
    action it follows has already been committed."""
    path = data_dir / FILE_NAME
    part = path.with_name(path.name + ".part")
    text = json.dumps({"station_code": station_code, "seq": head.seq, "hash": head.hash},
                      sort_keys=True)
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(part, path)
    except OSError as exc:
        log.warning("could not write the audit anchor %s: %s", path, exc)
        part.unlink(missing_ok=True)


def head_of_copy(conn: sqlite3.Connection) -> dict[str, Any] | None:
    """For a backup's sidecar (storage/backup.py): the copy's chain head as {seq, hash}, or None
    when the copy has no station or no log to speak of."""
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'station_code'").fetchone()
        code = str(json.loads(row[0])) if row else ""
        head = current(conn, code) if code else None
    except (sqlite3.Error, ValueError):
        return None
    return None if head is None else {"seq": head.seq, "hash": head.hash}


def after_restore(db_path: Path, aside: Path | None) -> None:
    """Restore (storage/restore.py) replaced the register by a backup on purpose: the anchor of
    the register it replaced is kept with that file (``aside``), and the anchor is set to the
    restored chain's head, so `check` does not report the entries the backup lacks as cut off."""
    path = db_path.parent / FILE_NAME
    if aside is not None and path.exists():
        try:
            shutil.copy2(path, aside / FILE_NAME)
        except OSError as exc:
            log.warning("could not keep the audit anchor with %s: %s", aside, exc)
    try:
        conn = sqlite3.connect(read_only_uri(db_path), uri=True)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'station_code'").fetchone()
            code = str(json.loads(row[0])) if row else ""
            head = current(conn, code)
        finally:
            conn.close()
    except (sqlite3.Error, ValueError) as exc:
        log.warning("could not read the restored register's audit head: %s", exc)
        path.unlink(missing_ok=True)
        return
    write(db_path.parent, code, head)
