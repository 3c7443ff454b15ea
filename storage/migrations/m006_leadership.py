"""How the work is led (docs/domain.md §10): the station's leaders, the cases each holds (包案)
with a plan and progress notes, the backlog (积案), leaders' reception days and 下访, 约访
appointments, and the county's 交办单 / 督办单 to townships with the townships' feedback.

All are record tables that travel in bundles. The county's 交办/督办 (``assignments``) name the
township they are for in ``to_station``: a county→township bundle carries exactly the rows whose
``to_station`` is that township (storage/sync — downward). ``sync_exports`` gains
``bundle_seq``, the sequence number a bundle carries, which the county counts per township
(a station's upward bundles keep numbering 1, 2, 3…, equal to the ledger's own ``seq``).
"""

from __future__ import annotations

from sqlite_utils import Database

from storage.migrations import MIGRATIONS
from storage.schema import create_record_table


@MIGRATIONS(name="m006_leadership")
def m006_leadership(db: Database) -> None:
    conn = db.conn
    # Leaders are people the station names (镇长, 副书记…), not accounts: they never sign in.
    create_record_table(conn, "leaders", """
        name TEXT NOT NULL,
        post TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        sort INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
    """, sync_order=90)

    # 包案: one leader takes charge of a matter, a mediation case or a screened dispute until
    # it is resolved. ``steps`` is the 化解 plan: a JSON list of {text, due, done_on}.
    create_record_table(conn, "case_holdings", """
        leader_id TEXT NOT NULL REFERENCES leaders(id),
        subject_kind TEXT NOT NULL CHECK (subject_kind IN ('matter', 'mediation', 'dispute')),
        subject_id TEXT NOT NULL,
        subject_label TEXT NOT NULL,
        held_from TEXT NOT NULL,
        plan TEXT NOT NULL DEFAULT '',
        steps TEXT NOT NULL DEFAULT '[]',
        target_date TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'active'
            CHECK (status IN ('active', 'resolved', 'released')),
        closed_on TEXT,
        closing_note TEXT NOT NULL DEFAULT ''
    """, sync_order=91)
    conn.execute("CREATE INDEX idx_holdings_leader ON case_holdings(leader_id, status)")
    conn.execute("CREATE INDEX idx_holdings_subject ON case_holdings(subject_kind, subject_id)")
    create_record_table(conn, "holding_notes", """
        holding_id TEXT NOT NULL REFERENCES case_holdings(id),
        noted_on TEXT NOT NULL,
        note TEXT NOT NULL,
        by_name TEXT NOT NULL DEFAULT ''
    """, sync_order=92)
    conn.execute("CREATE INDEX idx_holding_notes ON holding_notes(holding_id, noted_on)")

    # 积案: a matter listed by the station's rules or by hand, until resolved (息诉罢访) or
    # taken off the list with a reason.
    create_record_table(conn, "backlog_cases", """
        matter_id TEXT NOT NULL REFERENCES matters(id),
        listed_on TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('rule', 'manual')),
        reasons TEXT NOT NULL DEFAULT '[]',
        reason TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'excluded')),
        resolved_on TEXT,
        outcome TEXT NOT NULL DEFAULT '',
        evidence TEXT NOT NULL DEFAULT '',
        confirmed_by TEXT NOT NULL DEFAULT '',
        excluded_on TEXT,
        excluded_reason TEXT NOT NULL DEFAULT ''
    """, sync_order=93)
    conn.execute("CREATE INDEX idx_backlog_matter ON backlog_cases(matter_id)")
    conn.execute("CREATE INDEX idx_backlog_status ON backlog_cases(status, listed_on)")

    # The county's 交办单 and 督办单: the county's own records, addressed to one township.
    create_record_table(conn, "assignments", """
        to_station TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('交办', '督办')),
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        number TEXT NOT NULL,
        issuer_name TEXT NOT NULL,
        issued_on TEXT NOT NULL,
        deadline TEXT NOT NULL,
        matter_id TEXT,
        matter_number TEXT NOT NULL DEFAULT '',
        parent_id TEXT,
        petitioner_name TEXT NOT NULL DEFAULT '',
        petitioner_phone TEXT NOT NULL DEFAULT '',
        petitioner_address TEXT NOT NULL DEFAULT '',
        form TEXT NOT NULL DEFAULT '',
        received_on TEXT,
        summary TEXT NOT NULL,
        request TEXT NOT NULL DEFAULT '',
        requirements TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT '',
        level TEXT NOT NULL DEFAULT '',
        issued_by TEXT NOT NULL DEFAULT '',
        contact TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'withdrawn'))
    """, sync_order=94)
    conn.execute("CREATE UNIQUE INDEX idx_assignments_number ON assignments(station_code, kind,"
                 " year, seq)")
    conn.execute("CREATE INDEX idx_assignments_to ON assignments(to_station, deadline)")
    # The township's 签收, 阶段反馈 and 办理情况反馈 (final) on one of them: the township's
    # own records, carried to the county in its monthly bundle.
    create_record_table(conn, "assignment_replies", """
        assignment_id TEXT NOT NULL REFERENCES assignments(id),
        kind TEXT NOT NULL CHECK (kind IN ('received', 'progress', 'final')),
        matter_id TEXT,
        year INTEGER NOT NULL DEFAULT 0,
        seq INTEGER NOT NULL DEFAULT 0,
        number TEXT NOT NULL DEFAULT '',
        replied_on TEXT NOT NULL,
        content TEXT NOT NULL DEFAULT '',
        result TEXT NOT NULL DEFAULT '',
        petitioner_view TEXT NOT NULL DEFAULT '',
        handled_by TEXT NOT NULL DEFAULT '',
        contact TEXT NOT NULL DEFAULT ''
    """, sync_order=95)
    conn.execute("CREATE INDEX idx_replies_assignment ON assignment_replies(assignment_id,"
                 " replied_on)")

    # 领导接访日 and 下访: a leader's day at the reception room, or out in a village.
    create_record_table(conn, "receptions", """
        leader_id TEXT NOT NULL REFERENCES leaders(id),
        kind TEXT NOT NULL CHECK (kind IN ('接访', '下访')),
        day TEXT NOT NULL,
        time_text TEXT NOT NULL DEFAULT '',
        place TEXT NOT NULL DEFAULT '',
        topic TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held',
                                                                 'cancelled')),
        batches INTEGER NOT NULL DEFAULT 0,
        persons INTEGER NOT NULL DEFAULT 0,
        matters_handled INTEGER NOT NULL DEFAULT 0,
        note TEXT NOT NULL DEFAULT ''
    """, sync_order=96)
    conn.execute("CREATE INDEX idx_receptions_day ON receptions(day)")
    # 约访: a petitioner invited to meet a leader about a matter.
    create_record_table(conn, "appointments", """
        matter_id TEXT NOT NULL REFERENCES matters(id),
        leader_id TEXT NOT NULL REFERENCES leaders(id),
        day TEXT NOT NULL,
        time_text TEXT NOT NULL DEFAULT '',
        place TEXT NOT NULL DEFAULT '',
        petitioner_name TEXT NOT NULL,
        purpose TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'scheduled'
            CHECK (status IN ('scheduled', 'held', 'missed', 'cancelled')),
        outcome TEXT NOT NULL DEFAULT ''
    """, sync_order=97)
    conn.execute("CREATE INDEX idx_appointments_day ON appointments(day)")

    # County → township bundles are numbered per township; upward bundles keep their numbers.
    conn.execute("ALTER TABLE sync_exports ADD COLUMN bundle_seq INTEGER NOT NULL DEFAULT 0")
    conn.execute("UPDATE sync_exports SET bundle_seq = seq")
    conn.execute("CREATE UNIQUE INDEX idx_exports_recipient_seq ON sync_exports(recipient,"
                 " bundle_seq)")
