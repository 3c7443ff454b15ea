"""Is the register what it should be? ``check`` proves the database file, the audit chains (the
station's own and those received from townships) and the backups. Code outside this package
imports only from here."""

from __future__ import annotations

from storage.integrity.check import CheckReport, check

__all__ = ["CheckReport", "check"]
