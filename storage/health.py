"""``PRAGMA quick_check`` off the opening path (docs/architecture.md §7): the window runs it on a
thread of its own once it is up, ``check`` runs it, and an opening runs it only after an unclean
shutdown or when an earlier check found damage (the marker file below). What it reads grows with
the register, so it never stands between the clerk and the sign-in dialog."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.regfile import read_only_uri

MARKER = "check-failed.txt"  # written when a background check finds damage; the next start checks


def quick_check(path: Path, *, limit: int = 5) -> str | None:
    """``None`` if the file passes, else what SQLite found (a few lines). Own connection, so
    any thread may call it."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=10)
        try:
            rows = [str(r[0]) for r in conn.execute(f"PRAGMA quick_check({int(limit)})")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(rows)


def mark_failed(data_dir: Path, detail: str) -> None:
    """Remember the damage: the next start checks before opening and offers the backups."""
    try:
        (data_dir / MARKER).write_text(detail + "\n", encoding="utf-8")
    except OSError:
        pass


def marked_failed(data_dir: Path) -> bool:
    return (data_dir / MARKER).exists()


def clear_mark(data_dir: Path) -> None:
    (data_dir / MARKER).unlink(missing_ok=True)
