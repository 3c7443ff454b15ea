"""Sync bundles (docs/architecture.md §5): the keys registry of the units we exchange bundles with, the ledgers
of bundles exported and imported, conflicts waiting for a person, and the audit entries that
arrive from other registers. These are local bookkeeping tables: none of them travels in a bundle.
"""

from __future__ import annotations

from sqlite_utils import Database

from storage.migrations import MIGRATIONS


@MIGRATIONS(name="m004_sync")
def m004_sync(db: Database) -> None:
    conn = db.conn
    # Units whose bundles we import (direction 'in': stations at the county, liaison laptops at
    # a township) or to which we export (direction 'out': the county, or the township for a
    # liaison). ``sender`` is the unit's bundle identity: the 12-digit area code of a station,
    # "<area code>-Lnn" for a liaison laptop.
    conn.execute(
        """CREATE TABLE sync_peers (
            sender TEXT PRIMARY KEY,
            station_code TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('township', 'county', 'liaison')),
            direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
            sign_key TEXT,
            box_key TEXT,
            fingerprint TEXT NOT NULL,
            user_id TEXT,
            registered_at TEXT NOT NULL,
            registered_by TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1
        )"""
    )
    # Every bundle this register made: the record of processing PIPL Art.55-56 asks for (when,
    # who, how many records, to whom), the chain of bundle hashes, and where copies were written.
    conn.execute(
        """CREATE TABLE sync_exports (
            seq INTEGER PRIMARY KEY,
            sender TEXT NOT NULL,
            period TEXT NOT NULL,
            file_name TEXT NOT NULL UNIQUE,
            bundle_hash TEXT NOT NULL UNIQUE,
            prev_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            recipient TEXT NOT NULL,
            recipient_fingerprint TEXT NOT NULL,
            audit_to_seq INTEGER NOT NULL,
            audit_from TEXT NOT NULL,
            audit_head TEXT NOT NULL,
            records INTEGER NOT NULL,
            audit_entries INTEGER NOT NULL,
            counts TEXT NOT NULL,
            size INTEGER NOT NULL,
            confirmed_at TEXT,
            confirmed_by TEXT NOT NULL DEFAULT ''
        )"""
    )
    conn.execute(
        """CREATE TABLE sync_export_copies (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            seq INTEGER NOT NULL REFERENCES sync_exports(seq),
            path TEXT NOT NULL,
            written_at TEXT NOT NULL,
            written_by TEXT NOT NULL,
            verified INTEGER NOT NULL
        )"""
    )
    # Every bundle imported; the hash makes a repeat a no-op, (sender, seq) finds gaps.
    conn.execute(
        """CREATE TABLE sync_imports (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            bundle_hash TEXT NOT NULL UNIQUE,
            sender TEXT NOT NULL,
            station_code TEXT NOT NULL,
            seq INTEGER NOT NULL,
            period TEXT NOT NULL,
            created_at TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            audit_from TEXT NOT NULL,
            audit_head TEXT NOT NULL,
            audit_applied INTEGER NOT NULL DEFAULT 0,
            imported_at TEXT NOT NULL,
            imported_by TEXT NOT NULL,
            file_name TEXT NOT NULL,
            manifest TEXT NOT NULL,
            result TEXT NOT NULL,
            UNIQUE (sender, seq)
        )"""
    )
    # Audit entries of a bundle that arrived before the bundle preceding it: they wait here and
    # join the chain once the gap is filled, so the chain is the same in whatever order bundles
    # come in.
    conn.execute(
        """CREATE TABLE sync_pending_audit (
            sender TEXT NOT NULL,
            seq INTEGER NOT NULL,
            audit_from TEXT NOT NULL,
            audit_head TEXT NOT NULL,
            entries TEXT NOT NULL,
            PRIMARY KEY (sender, seq)
        )"""
    )
    # The audit chains of liaison laptops, kept at the township beside its own chain (they share
    # the township's area code, so they cannot live in audit_log).
    conn.execute(
        """CREATE TABLE sync_remote_audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            sender TEXT NOT NULL,
            entry_id TEXT NOT NULL UNIQUE,
            station_code TEXT NOT NULL,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            table_name TEXT NOT NULL,
            record_id TEXT NOT NULL,
            before TEXT,
            after TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            withheld INTEGER NOT NULL DEFAULT 0
        )"""
    )
    conn.execute("CREATE INDEX idx_remote_audit_sender ON sync_remote_audit(sender, seq)")
    # Audit entries (in audit_log) whose before/after the sender withheld because they held a
    # secret (password hashes never leave a station): the chain links are checked, the content
    # hash cannot be.
    conn.execute("CREATE TABLE sync_withheld_audit (entry_id TEXT PRIMARY KEY)")
    conn.execute(
        """CREATE TABLE sync_conflicts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('version', 'duplicate')),
            table_name TEXT NOT NULL,
            record_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            sender TEXT NOT NULL,
            bundle_hash TEXT NOT NULL,
            local_row TEXT,
            incoming_row TEXT NOT NULL,
            incoming_digest TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            detected_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'kept_local', 'took_incoming', 'superseded')),
            decided_at TEXT,
            decided_by TEXT NOT NULL DEFAULT '',
            UNIQUE (table_name, record_id, version, incoming_digest)
        )"""
    )
    conn.execute("CREATE INDEX idx_conflicts_status ON sync_conflicts(status, detected_at)")
