"""Is the register what it should be? ``check`` proves the database file, the audit chains (the
station's own and those received from townships), that every record of the station is what its
audit entries say, that the chain's head agrees with the anchors kept outside the log, and the
backups, and that the figures' summary of each matter's events (``matter_progress``) says
what the events say. Code outside this package imports only from here."""

from __future__ import annotations

from storage.integrity.anchors import paper_head
from storage.integrity.check import UNREADABLE, CheckReport, check
from storage.integrity.records import RecordsReport, verify_records

__all__ = ["UNREADABLE", "CheckReport", "RecordsReport", "check", "paper_head",
           "verify_records"]
