"""Grid dispute screening (矛盾纠纷排查, docs/domain.md §5): one report per grid per period — a zero report
or the disputes found —, the disputes that live across periods, their week-by-week updates, and
the month locks set when the monthly sheet is issued. All travel in sync bundles, parents first.
"""

from __future__ import annotations

from sqlite_utils import Database

from storage.migrations import MIGRATIONS
from storage.schema import create_record_table


@MIGRATIONS(name="m003_screening")
def m003_screening(db: Database) -> None:
    conn = db.conn
    create_record_table(conn, "screening_reports", """
        grid_id TEXT NOT NULL REFERENCES grids(id),
        village_id TEXT NOT NULL REFERENCES villages(id),
        period TEXT NOT NULL,
        cadence TEXT NOT NULL,
        period_start TEXT NOT NULL,
        period_end TEXT NOT NULL,
        month TEXT NOT NULL,
        due_on TEXT NOT NULL,
        is_zero INTEGER NOT NULL DEFAULT 0 CHECK (is_zero IN (0, 1)),
        screened_on TEXT NOT NULL,
        reported_at TEXT NOT NULL,
        reporter_id TEXT NOT NULL DEFAULT '',
        reporter_name TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    """, sync_order=80)
    # One live report per grid and period: a second entry is refused (or merged by the caller),
    # never counted twice. Tombstoned (withdrawn) reports do not block a new one.
    conn.execute("CREATE UNIQUE INDEX idx_sreports_grid_period ON screening_reports(grid_id, period)"
                 " WHERE deleted = 0")
    conn.execute("CREATE INDEX idx_sreports_month ON screening_reports(month)")

    create_record_table(conn, "disputes", """
        grid_id TEXT NOT NULL REFERENCES grids(id),
        village_id TEXT NOT NULL REFERENCES villages(id),
        report_id TEXT NOT NULL REFERENCES screening_reports(id),
        found_period TEXT NOT NULL,
        found_month TEXT NOT NULL,
        found_on TEXT NOT NULL,
        screener TEXT NOT NULL,
        type TEXT NOT NULL,
        parties TEXT NOT NULL,
        party_details TEXT NOT NULL DEFAULT '[]',
        persons_involved INTEGER NOT NULL DEFAULT 2,
        place TEXT NOT NULL DEFAULT '',
        summary TEXT NOT NULL,
        risk_level TEXT NOT NULL,
        may_collective INTEGER NOT NULL DEFAULT 0,
        may_skip_level INTEGER NOT NULL DEFAULT 0,
        may_criminal INTEGER NOT NULL DEFAULT 0,
        measures TEXT NOT NULL DEFAULT '',
        responsible_unit TEXT NOT NULL DEFAULT '',
        responsible_person TEXT NOT NULL DEFAULT '',
        deadline TEXT,
        status TEXT NOT NULL DEFAULT '未化解'
            CHECK (status IN ('未化解', '化解中', '已化解', '已移交')),
        transfer_to TEXT NOT NULL DEFAULT '',
        transferred_on TEXT,
        resolved_on TEXT,
        resolution_way TEXT NOT NULL DEFAULT '',
        followup TEXT NOT NULL DEFAULT '',
        remarks TEXT NOT NULL DEFAULT '',
        mediation_id TEXT,
        matter_id TEXT
    """, sync_order=81)
    conn.execute("CREATE INDEX idx_disputes_grid ON disputes(grid_id, found_on)")
    conn.execute("CREATE INDEX idx_disputes_status ON disputes(status, deadline)")
    conn.execute("CREATE INDEX idx_disputes_report ON disputes(report_id)")

    # What a later period said about a dispute: the changed fields (before/after) and the note.
    # ``report_id`` is the grid report of that period, NULL when the station itself recorded the
    # change (escalation, a phone call).
    create_record_table(conn, "dispute_updates", """
        dispute_id TEXT NOT NULL REFERENCES disputes(id),
        report_id TEXT REFERENCES screening_reports(id),
        period TEXT NOT NULL,
        month TEXT NOT NULL,
        updated_on TEXT NOT NULL,
        by_name TEXT NOT NULL,
        status TEXT NOT NULL,
        changes TEXT NOT NULL DEFAULT '{}',
        note TEXT NOT NULL DEFAULT ''
    """, sync_order=82)
    conn.execute("CREATE INDEX idx_dupdates_dispute ON dispute_updates(dispute_id, period)")
    conn.execute("CREATE INDEX idx_dupdates_report ON dispute_updates(report_id)")

    create_record_table(conn, "month_locks", """
        month TEXT NOT NULL,
        locked INTEGER NOT NULL DEFAULT 1 CHECK (locked IN (0, 1)),
        issued_at TEXT,
        issued_by TEXT NOT NULL DEFAULT '',
        reopened_at TEXT,
        reopened_by TEXT NOT NULL DEFAULT '',
        reopen_reason TEXT NOT NULL DEFAULT '',
        history TEXT NOT NULL DEFAULT '[]'
    """, sync_order=85)
    conn.execute("CREATE UNIQUE INDEX idx_month_locks_month ON month_locks(station_code, month)"
                 " WHERE deleted = 0")
