"""Unsaved form contents, kept so that what a clerk typed survives a crash or a power cut.

Drafts are local working state, not records: they are written immediately (outside any user
action, WAL + synchronous=FULL make each write durable) and deleted when the form is saved or
the clerk discards it.
"""

from __future__ import annotations

import json
from typing import Any

from storage.errors import plain_storage_errors
from storage.register import Register


def save(reg: Register, key: str, data: dict[str, Any]) -> None:
    """Keep ``data``; a full disk or a locked register is a ``KnownStorageError`` (the caller
    must then not tell the clerk the draft was kept)."""
    with plain_storage_errors():
        reg.conn.execute(
            "INSERT INTO drafts(key, data, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET data = excluded.data,"
            " updated_at = excluded.updated_at",
            (key, json.dumps(data, ensure_ascii=False), reg.now()))


def load(reg: Register, key: str) -> dict[str, Any] | None:
    row = reg.conn.execute("SELECT data FROM drafts WHERE key = ?", (key,)).fetchone()
    return None if row is None else dict(json.loads(row[0]))


def discard(reg: Register, key: str) -> None:
    reg.conn.execute("DELETE FROM drafts WHERE key = ?", (key,))


def key_for(reg: Register, form: str) -> str:
    """One draft per form per user, so two clerks sharing a PC keep their own."""
    return f"{form}:{reg.actor.username}"
