"""Core schema: station, villages and grids, users, classification codes, petitioners, petition
matters and their events, the audit log, drafts, settings, manual holidays, search index."""

from __future__ import annotations

from sqlite_utils import Database

from storage.migrations import MIGRATIONS
from storage.schema import create_record_table


@MIGRATIONS(name="m001_core")
def m001_core(db: Database) -> None:
    conn = db.conn
    conn.execute(
        "CREATE TABLE _record_tables (name TEXT PRIMARY KEY, synced INTEGER NOT NULL,"
        " sync_order INTEGER NOT NULL)"
    )
    # Local, never synced: settings of this installation and unsaved form drafts.
    conn.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(
        "CREATE TABLE drafts (key TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE holidays (day TEXT PRIMARY KEY, is_workday INTEGER NOT NULL,"
        " note TEXT NOT NULL DEFAULT '', entered_by TEXT NOT NULL, entered_at TEXT NOT NULL)"
    )
    # Append-only, hash-chained (storage/audit.py). seq orders the chain locally; entry_id is
    # global so that the county can hold the chains of every station side by side.
    conn.execute(
        """CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
            hash TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX idx_audit_record ON audit_log(table_name, record_id)")
    conn.execute(
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"""
    )
    conn.execute(
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"""
    )

    create_record_table(conn, "stations", """
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        short_name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('township', 'county', 'liaison')),
        office_name TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT ''
    """, sync_order=10)
    create_record_table(conn, "villages", """
        name TEXT NOT NULL,
        code TEXT NOT NULL,
        sort INTEGER NOT NULL DEFAULT 0
    """, sync_order=20)
    create_record_table(conn, "grids", """
        village_id TEXT NOT NULL REFERENCES villages(id),
        name TEXT NOT NULL,
        code TEXT NOT NULL DEFAULT '',
        liaison_id TEXT,
        sort INTEGER NOT NULL DEFAULT 0
    """, sync_order=30)
    conn.execute("CREATE INDEX idx_grids_village ON grids(village_id)")
    # Password hashes never leave the station.
    create_record_table(conn, "users", """
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('clerk', 'liaison', 'head', 'county')),
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        village_ids TEXT NOT NULL DEFAULT '[]'
    """, synced=False, sync_order=5)
    create_record_table(conn, "codes", """
        kind TEXT NOT NULL,
        code TEXT NOT NULL,
        label TEXT NOT NULL,
        parent TEXT NOT NULL DEFAULT '',
        sort INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1
    """, sync_order=15)
    conn.execute("CREATE UNIQUE INDEX idx_codes_kind_code ON codes(station_code, kind, code)")

    create_record_table(conn, "petitioners", """
        name TEXT NOT NULL,
        name_pinyin TEXT NOT NULL DEFAULT '',
        gender TEXT NOT NULL DEFAULT '',
        ethnic_group TEXT NOT NULL DEFAULT '',
        id_number TEXT,
        birth_date TEXT,
        phone TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        village_id TEXT,
        occupation TEXT NOT NULL DEFAULT ''
    """, sync_order=40)
    conn.execute("CREATE INDEX idx_petitioners_idnum ON petitioners(id_number)")
    conn.execute("CREATE INDEX idx_petitioners_phone ON petitioners(phone)")
    conn.execute("CREATE INDEX idx_petitioners_name ON petitioners(name)")
    conn.execute("CREATE INDEX idx_petitioners_pinyin ON petitioners(name_pinyin)")

    create_record_table(conn, "matters", """
        number TEXT NOT NULL,
        seq INTEGER NOT NULL,
        query_code TEXT NOT NULL,
        form TEXT NOT NULL,
        received_on TEXT NOT NULL,
        registered_by TEXT NOT NULL,
        petitioner_id TEXT NOT NULL REFERENCES petitioners(id),
        visitors_count INTEGER NOT NULL DEFAULT 1,
        persons_involved INTEGER NOT NULL DEFAULT 1,
        is_collective INTEGER NOT NULL DEFAULT 0,
        is_skip_level INTEGER NOT NULL DEFAULT 0,
        proxy_by TEXT NOT NULL DEFAULT '',
        summary TEXT NOT NULL,
        request TEXT NOT NULL DEFAULT '',
        facts TEXT NOT NULL DEFAULT '',
        category1 TEXT NOT NULL DEFAULT '',
        category2 TEXT NOT NULL DEFAULT '',
        purpose TEXT NOT NULL DEFAULT '',
        problem_village_id TEXT,
        repeat_kind TEXT NOT NULL DEFAULT '初件',
        repeat_visits INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL,
        decision_reason TEXT NOT NULL DEFAULT '',
        legal_channel TEXT NOT NULL DEFAULT '',
        handling_mode TEXT NOT NULL DEFAULT '',
        handling_unit TEXT NOT NULL DEFAULT '',
        accepted_on TEXT,
        extension_days INTEGER NOT NULL DEFAULT 0,
        extension_reason TEXT NOT NULL DEFAULT '',
        reply_result TEXT NOT NULL DEFAULT '',
        replied_on TEXT,
        review_stage TEXT NOT NULL DEFAULT '',
        rating TEXT NOT NULL DEFAULT '',
        due_kind TEXT NOT NULL DEFAULT '',
        due_date TEXT,
        closed_on TEXT,
        resolved_by_mediation INTEGER NOT NULL DEFAULT 0
    """, sync_order=50)
    conn.execute("CREATE UNIQUE INDEX idx_matters_number ON matters(station_code, number)")
    conn.execute("CREATE INDEX idx_matters_status_due ON matters(status, due_date)")
    conn.execute("CREATE INDEX idx_matters_petitioner ON matters(petitioner_id)")
    conn.execute("CREATE INDEX idx_matters_received ON matters(received_on)")
    create_record_table(conn, "matter_petitioners", """
        matter_id TEXT NOT NULL REFERENCES matters(id),
        petitioner_id TEXT NOT NULL REFERENCES petitioners(id),
        is_main INTEGER NOT NULL DEFAULT 0
    """, sync_order=55)
    conn.execute("CREATE INDEX idx_mp_matter ON matter_petitioners(matter_id)")
    conn.execute("CREATE INDEX idx_mp_petitioner ON matter_petitioners(petitioner_id)")
    create_record_table(conn, "matter_events", """
        matter_id TEXT NOT NULL REFERENCES matters(id),
        kind TEXT NOT NULL,
        occurred_on TEXT NOT NULL,
        actor TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL DEFAULT '{}'
    """, sync_order=60)
    conn.execute("CREATE INDEX idx_events_matter ON matter_events(matter_id, occurred_on)")

    # Search: one row per matter with petitioner names, ID numbers, phones and the texts.
    # Trigram FTS answers substrings of 3+ characters from the index; 1-2 character queries
    # (two-character names such as 张伟) are answered from the short `names` column (search.py).
    conn.execute(
        "CREATE VIRTUAL TABLE matter_search USING fts5(matter_id UNINDEXED, names, body,"
        " tokenize='trigram')"
    )
