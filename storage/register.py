"""The register: one open database plus who is working on it. Every change goes through
``insert`` / ``update`` / ``delete`` here, inside ``transaction()``; each change bumps the
record's version and appends an audit entry (who, when, which record, values before and after,
and the hash of the whole row as written — its after-image, ``storage.rowimage`` — so `check`
can prove the live row is what the log says; secrets never enter the entry).
Sync bundles and the audit chain hook into this one place."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlite_utils import Database

from storage import anchor, audit, planner, preferences, rowimage
from storage.clock import Clock, iso, system_clock
from storage.errors import (
    ConcurrentChange,
    KnownStorageError,
    NotFound,
    PermissionDenied,
    plain_storage_errors,
)
from storage.i18n import N_, _
from storage.ids import new_id
from storage.schema import BOOKKEEPING, table_columns

Row = dict[str, Any]

ROLE_LABELS = {"clerk": N_("接访员"), "liaison": N_("信访联络员"), "head": N_("站长"),
               "county": N_("县级审核员")}


@dataclass(frozen=True)
class Actor:
    """The signed-in person; ``username`` is what audit entries and ``updated_by`` record."""

    user_id: str
    username: str
    display_name: str
    role: str
    village_ids: tuple[str, ...] = ()


SYSTEM = Actor("", "system", "系统", "head")


def production_password_hasher() -> PasswordHasher:
    """Argon2id with argon2-cffi's defaults: the RFC 9106 low-memory profile (64 MiB, 3 passes,
    4 lanes)."""
    return PasswordHasher()


class Register:
    def __init__(self, conn: sqlite3.Connection, path: Path | None, clock: Clock = system_clock,
                 *, password_hasher: PasswordHasher | None = None):
        self.conn = conn
        self.db = Database(conn)
        self.path = path
        self.clock = clock
        # How the passwords this register stores are hashed. Production strength unless told
        # otherwise (the tests pass a cheap one); verifying reads the cost from each hash.
        self.password_hasher = password_hasher if password_hasher is not None \
            else production_password_hasher()
        self.actor: Actor = SYSTEM
        self._columns: dict[str, list[str]] = {}
        # Run after the connection closes (the data folder's lock, storage/datalock.py).
        self.on_close: list[Callable[[], None]] = []
        self._anchored: anchor.Head | None = None
        self._defaults: dict[str, dict[str, Any]] = {}

    # ----- settings (local, not synced) -------------------------------------------------
    def setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def change_settings(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The station head changes preferences (threshold, masking, idle lock, language…):
        one transaction, one audit entry with the values before and after. Returns what
        actually changed. (``set_setting`` below is the plain store for internal state.)"""
        self.require_role("head")
        with self.transaction():
            before = {k: self.setting(k) for k in values}
            changed = {k: v for k, v in values.items() if before[k] != v}
            if changed:
                for key, value in changed.items():
                    self.set_setting(key, value)
                self._audit("update", "settings", "preferences",
                            {k: before[k] for k in changed}, changed, self.station_code)
        return changed

    def set_setting(self, key: str, value: Any) -> None:
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value, ensure_ascii=False)),
        )

    @property
    def station_code(self) -> str:
        return preferences.STATION_CODE.read(self)

    @property
    def mode(self) -> str:
        """'township', 'county' or 'liaison' (set at set-up)."""
        return preferences.MODE.read(self)

    @property
    def is_set_up(self) -> bool:
        return bool(self.station_code)

    # ----- transactions -----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Register]:
        """One user action = one transaction; nested calls become savepoints. A full disk, a
        locked or read-only file ends the outermost one as :class:`KnownStorageError` (plain
        words, everything rolled back). After the outermost one commits, the chain head is
        anchored outside the file (storage/anchor.py)."""
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        with plain_storage_errors(self.path), self.db.atomic():
            yield self
        if self.path is not None:
            self._anchor()

    def _anchor(self) -> None:
        code = self.station_code
        if not code:
            return
        head = anchor.current(self.conn, code)
        if head != self._anchored:
            anchor.write(self.path.parent if self.path else Path("."), code, head)
            self._anchored = head

    def now(self) -> str:
        return iso(self.clock())

    def require_role(self, *roles: str) -> None:
        if self.actor.role not in roles:
            raise PermissionDenied(_("您的账号（{role}）不能进行此操作。").format(
                role=_(ROLE_LABELS.get(self.actor.role, self.actor.role))))

    @property
    def read_only(self) -> bool:
        """A county register: the townships' records are looked at, never changed, here."""
        return self.mode == "county"

    def require_writable(self) -> None:
        if self.read_only and self.actor is not SYSTEM:
            raise PermissionDenied(_("县级汇总库中的乡镇数据只能查看，不能修改。"))

    # ----- reading ----------------------------------------------------------------------
    def columns(self, table: str) -> list[str]:
        if table not in self._columns:
            self._columns[table] = table_columns(self.conn, table)
        return self._columns[table]

    def defaults(self, table: str) -> dict[str, Any]:
        """The table's constant column defaults (what row images leave out, storage/rowimage)."""
        if table not in self._defaults:
            self._defaults[table] = rowimage.column_defaults(self.conn, table)
        return self._defaults[table]

    def get(self, table: str, record_id: str, *, include_deleted: bool = False) -> Row:
        cur = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (record_id,))
        row = cur.fetchone()
        if row is None or (row[self.columns(table).index("deleted")] and not include_deleted):
            raise NotFound(_("找不到该记录（可能已被删除）。"))
        return dict(zip(self.columns(table), row, strict=True))

    def rows(self, sql: str, params: Any = ()) -> list[Row]:
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # ----- the one write path -----------------------------------------------------------
    def _assert_in_transaction(self) -> None:
        if not self.conn.in_transaction:
            raise RuntimeError("writes must happen inside Register.transaction()")

    def _audit(self, action: str, table: str, record_id: str,
               before: Mapping[str, Any] | None, after: Mapping[str, Any] | None,
               station_code: str) -> None:
        audit.append(self.conn, {
            "entry_id": new_id(), "station_code": station_code, "at": self.now(),
            "actor": self.actor.username, "action": action, "table_name": table,
            "record_id": record_id,
            "before": None if before is None else dict(before),
            "after": None if after is None else dict(after),
        })

    def insert(self, table: str, values: Mapping[str, Any]) -> Row:
        self._assert_in_transaction()
        now = self.now()
        row: Row = {"id": new_id(), "station_code": self.station_code}
        if "actor_name" in self.columns(table):
            # Timelines name who acted by display name, so the name travels with the entry
            # (accounts never leave the station; docs/architecture.md §3).
            row["actor_name"] = self.actor.display_name
        row.update(values)
        row.update(version=1, created_at=now, updated_at=now, updated_by=self.actor.username,
                   deleted=0)
        cols = list(row)
        self.conn.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols],
        )
        stored = self.get(table, row["id"])
        self._audit("insert", table, row["id"], None,
                    rowimage.with_image(table, {k: v for k, v in row.items()
                                                if k not in BOOKKEEPING}, stored,
                                        self.defaults(table)),
                    str(row["station_code"]))
        return stored

    def update(self, table: str, record_id: str, changes: Mapping[str, Any], *,
               expected_version: int | None = None) -> Row:
        """Apply ``changes``; a no-op (nothing actually different) bumps nothing."""
        self._assert_in_transaction()
        current = self.get(table, record_id)
        if expected_version is not None and current["version"] != expected_version:
            raise ConcurrentChange(_("该记录已被他人修改，请刷新后再试。"))
        diff = {k: v for k, v in changes.items() if k not in BOOKKEEPING and current.get(k) != v}
        if not diff:
            return current
        new_version = current["version"] + 1
        assignments = ", ".join(f"{k} = ?" for k in diff)
        self.conn.execute(
            f"UPDATE {table} SET {assignments}, version = ?, updated_at = ?, updated_by = ? "
            "WHERE id = ?",
            [*diff.values(), new_version, self.now(), self.actor.username, record_id],
        )
        stored = self.get(table, record_id)
        self._audit("update", table, record_id,
                    rowimage.with_image(table, {k: current[k] for k in diff}, current,
                                        self.defaults(table)),
                    rowimage.with_image(table, diff, stored, self.defaults(table)),
                    str(current["station_code"]))
        return stored

    def delete(self, table: str, record_id: str,
               changes: Mapping[str, Any] | None = None) -> None:
        """Tombstone: the row stays, marked deleted, so the deletion travels in bundles.
        ``changes`` are set in the same version (why it was voided, and by whom): one action,
        one version, one audit entry, whose ``after`` holds those changes."""
        self._assert_in_transaction()
        current = self.get(table, record_id)
        diff = {k: v for k, v in (changes or {}).items()
                if k not in BOOKKEEPING and current.get(k) != v}
        assignments = "".join(f"{k} = ?, " for k in diff)
        self.conn.execute(
            f"UPDATE {table} SET {assignments}deleted = 1, version = ?, updated_at = ?,"
            " updated_by = ? WHERE id = ?",
            (*diff.values(), current["version"] + 1, self.now(), self.actor.username, record_id),
        )
        stored = self.get(table, record_id, include_deleted=True)
        self._audit("delete", table, record_id,
                    rowimage.with_image(table, {k: v for k, v in current.items()
                                                if k not in BOOKKEEPING}, current,
                                        self.defaults(table)),
                    rowimage.with_image(table, diff, stored, self.defaults(table)),
                    str(current["station_code"]))

    def revive(self, table: str, record_id: str, changes: Mapping[str, Any]) -> Row:
        """Take a tombstone back (撤销作废, storage/voiding.py): one new version, live again,
        with ``changes``; the audit entry's before is the tombstone as it was."""
        self._assert_in_transaction()
        current = self.get(table, record_id, include_deleted=True)
        if not current["deleted"]:
            raise RuntimeError(f"{table} {record_id} is not deleted")
        diff = {k: v for k, v in changes.items() if k not in BOOKKEEPING and current.get(k) != v}
        assignments = "".join(f"{k} = ?, " for k in diff)
        self.conn.execute(
            f"UPDATE {table} SET {assignments}deleted = 0, version = ?, updated_at = ?,"
            " updated_by = ? WHERE id = ?",
            (*diff.values(), current["version"] + 1, self.now(), self.actor.username, record_id),
        )
        stored = self.get(table, record_id)
        self._audit("update", table, record_id,
                    rowimage.with_image(table, {k: current[k] for k in (*diff, "deleted")},
                                        current, self.defaults(table)),
                    rowimage.with_image(table, {**diff, "deleted": 0}, stored,
                                        self.defaults(table)),
                    str(current["station_code"]))
        return stored

    def adopt(self, other: Register) -> None:
        """Go on with ``other``'s connection (the same register opened again, after
        ``storage.compact`` wrote its file anew); the signed-in user and the clock stay."""
        self.conn, self.db, self.path = other.conn, other.db, other.path
        self.on_close, other.on_close = other.on_close, []
        self._columns.clear()
        self._defaults.clear()
        self._anchored = None

    def close(self) -> None:
        self._keep_statistics_current()
        self.conn.close()
        while self.on_close:
            self.on_close.pop()()

    def _keep_statistics_current(self) -> None:
        """Before closing, ANALYZE the tables that outgrew their statistics
        (``storage.planner``); never in memory, never a reason for a close to fail."""
        if self.path is None:
            return
        try:
            if not self.conn.in_transaction:
                planner.refresh(self.conn)
        except (sqlite3.Error, KnownStorageError):  # closed already, busy, read-only …
            pass  # statistics only guide the planner
