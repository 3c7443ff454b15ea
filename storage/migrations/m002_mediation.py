"""People's mediation (人民调解, docs/domain.md §4): cases, parties, sessions, agreement, follow-ups and
the case timeline. All are record tables that travel in sync bundles (parents first)."""

from __future__ import annotations

from sqlite_utils import Database

from storage.migrations import MIGRATIONS
from storage.schema import create_record_table


@MIGRATIONS(name="m002_mediation")
def m002_mediation(db: Database) -> None:
    conn = db.conn
    create_record_table(conn, "mediations", """
        number TEXT NOT NULL,
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        committee TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL CHECK (source IN ('application', 'initiative', 'police', 'court',
                                                'government', 'matter', 'dispute')),
        referred_by TEXT NOT NULL DEFAULT '',
        matter_id TEXT,
        dispute_id TEXT,
        dispute_type TEXT NOT NULL,
        title TEXT NOT NULL,
        facts TEXT NOT NULL,
        claims TEXT NOT NULL DEFAULT '',
        amount_fen INTEGER NOT NULL DEFAULT 0,
        village_id TEXT,
        place TEXT NOT NULL DEFAULT '',
        applied_on TEXT,
        accepted_on TEXT NOT NULL,
        registered_by TEXT NOT NULL,
        mediators TEXT NOT NULL DEFAULT '[]',
        recorder TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('accepted', 'mediating', 'agreed', 'closed',
                                               'failed', 'terminated')),
        period_due TEXT NOT NULL,
        period_extended_days INTEGER NOT NULL DEFAULT 0,
        outcome_on TEXT,
        failure_reason TEXT NOT NULL DEFAULT '',
        routes TEXT NOT NULL DEFAULT '[]',
        termination_reason TEXT NOT NULL DEFAULT '',
        performance_status TEXT NOT NULL DEFAULT '',
        performed_on TEXT,
        followup_due TEXT,
        closed_on TEXT,
        filed_by TEXT NOT NULL DEFAULT '',
        filed_on TEXT,
        retention TEXT NOT NULL DEFAULT '',
        file_note TEXT NOT NULL DEFAULT '',
        docs_ticked TEXT NOT NULL DEFAULT '[]'
    """, sync_order=70)
    conn.execute("CREATE UNIQUE INDEX idx_mediations_number ON mediations(station_code, number)")
    conn.execute("CREATE INDEX idx_mediations_status ON mediations(status, period_due)")
    conn.execute("CREATE INDEX idx_mediations_accepted ON mediations(accepted_on)")
    conn.execute("CREATE INDEX idx_mediations_matter ON mediations(matter_id)")
    conn.execute("CREATE INDEX idx_mediations_dispute ON mediations(dispute_id)")

    create_record_table(conn, "mediation_parties", """
        mediation_id TEXT NOT NULL REFERENCES mediations(id),
        side TEXT NOT NULL CHECK (side IN ('a', 'b')),
        kind TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
        name TEXT NOT NULL,
        gender TEXT NOT NULL DEFAULT '',
        ethnic_group TEXT NOT NULL DEFAULT '',
        birth_date TEXT,
        age INTEGER,
        occupation TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        id_number TEXT NOT NULL DEFAULT '',
        representative TEXT NOT NULL DEFAULT '',
        representative_title TEXT NOT NULL DEFAULT '',
        agent TEXT NOT NULL DEFAULT '',
        sort INTEGER NOT NULL DEFAULT 0
    """, sync_order=71)
    conn.execute("CREATE INDEX idx_mparties_mediation ON mediation_parties(mediation_id)")

    create_record_table(conn, "mediation_sessions", """
        mediation_id TEXT NOT NULL REFERENCES mediations(id),
        kind TEXT NOT NULL CHECK (kind IN ('investigation', 'mediation')),
        held_on TEXT NOT NULL,
        time TEXT NOT NULL DEFAULT '',
        place TEXT NOT NULL DEFAULT '',
        mediators TEXT NOT NULL DEFAULT '[]',
        recorder TEXT NOT NULL DEFAULT '',
        participants TEXT NOT NULL DEFAULT '',
        present_party_ids TEXT NOT NULL DEFAULT '[]',
        rights_notified INTEGER NOT NULL DEFAULT 0,
        statement_a TEXT NOT NULL DEFAULT '',
        statement_b TEXT NOT NULL DEFAULT '',
        findings TEXT NOT NULL DEFAULT '',
        agreed TEXT NOT NULL DEFAULT '',
        record TEXT NOT NULL DEFAULT '',
        result TEXT NOT NULL DEFAULT 'continue'
    """, sync_order=72)
    conn.execute("CREATE INDEX idx_msessions_mediation ON mediation_sessions(mediation_id)")

    create_record_table(conn, "mediation_agreements", """
        mediation_id TEXT NOT NULL REFERENCES mediations(id),
        form TEXT NOT NULL CHECK (form IN ('written', 'oral')),
        number TEXT NOT NULL,
        signed_on TEXT NOT NULL,
        facts TEXT NOT NULL DEFAULT '',
        issues TEXT NOT NULL DEFAULT '',
        responsibilities TEXT NOT NULL DEFAULT '',
        terms TEXT NOT NULL,
        performance_manner TEXT NOT NULL DEFAULT '',
        performance_place TEXT NOT NULL DEFAULT '',
        performance_deadline TEXT,
        copies INTEGER NOT NULL DEFAULT 0,
        amount_fen INTEGER NOT NULL DEFAULT 0,
        status_matter TEXT NOT NULL DEFAULT '',
        jc_due TEXT,
        jc_applied_on TEXT,
        jc_court TEXT NOT NULL DEFAULT '',
        jc_result TEXT NOT NULL DEFAULT '',
        jc_decided_on TEXT,
        jc_case_number TEXT NOT NULL DEFAULT '',
        jc_note TEXT NOT NULL DEFAULT ''
    """, sync_order=73)
    conn.execute("CREATE INDEX idx_magreements_mediation ON mediation_agreements(mediation_id)")

    create_record_table(conn, "mediation_followups", """
        mediation_id TEXT NOT NULL REFERENCES mediations(id),
        visited_on TEXT NOT NULL,
        visitor TEXT NOT NULL,
        visited_persons TEXT NOT NULL DEFAULT '',
        performance TEXT NOT NULL DEFAULT '',
        satisfaction TEXT NOT NULL DEFAULT '',
        lawsuit TEXT NOT NULL DEFAULT '',
        risk TEXT NOT NULL DEFAULT '',
        measures TEXT NOT NULL DEFAULT '',
        next_due TEXT
    """, sync_order=74)
    conn.execute("CREATE INDEX idx_mfollowups_mediation ON mediation_followups(mediation_id)")

    create_record_table(conn, "mediation_events", """
        mediation_id TEXT NOT NULL REFERENCES mediations(id),
        kind TEXT NOT NULL,
        occurred_on TEXT NOT NULL,
        actor TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL DEFAULT '{}'
    """, sync_order=75)
    conn.execute("CREATE INDEX idx_mevents_mediation ON mediation_events(mediation_id, occurred_on)")
