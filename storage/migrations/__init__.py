# ruff: noqa: I001 - import order is migration order, not alphabetical
"""Numbered, append-only schema migrations (sqlite-utils ``Migrations``).

Each module registers its steps on the one ``MIGRATIONS`` set; never edit a step that has shipped,
add a new one. ``storage.db.open_register`` backs the file up before applying pending steps and
refuses a register that has steps this build does not know (written by a newer version).
"""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("petitiondesk")

# Import order is application order.
from storage.migrations import m001_core  # noqa: E402,F401
from storage.migrations import m002_mediation  # noqa: E402,F401
from storage.migrations import m003_screening  # noqa: E402,F401
from storage.migrations import m004_sync  # noqa: E402,F401
from storage.migrations import m005_audit_segments  # noqa: E402,F401
from storage.migrations import m006_leadership  # noqa: E402,F401
from storage.migrations import m007_identity  # noqa: E402,F401
from storage.migrations import m008_recovery_application_id  # noqa: E402,F401
from storage.migrations import m009_tamper_seal  # noqa: E402,F401
from storage.migrations import m012_ledger_import  # noqa: E402,F401
from storage.migrations import m013_scale_search  # noqa: E402,F401
from storage.migrations import m010_hardening_logins  # noqa: E402,F401
from storage.migrations import m011_figures_indexes  # noqa: E402,F401
from storage.migrations import m014_report_indexes  # noqa: E402,F401
from storage.migrations import m015_gui_tombstones  # noqa: E402,F401
from storage.migrations import m016_matter_progress  # noqa: E402,F401
from storage.migrations import m017_search_keys  # noqa: E402,F401
