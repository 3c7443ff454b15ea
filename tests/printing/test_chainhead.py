"""The printed monthly report names the audit chain's head on every page's footer (seq and the
first 12 hex digits of its hash), as `check --head` takes it (docs/architecture.md §7.1)."""

from __future__ import annotations

from printing import documents
from storage import anchor, integrity
from storage.register import Register
from tests.helpers.pdf import Pdf


def test_every_page_of_the_monthly_report_names_the_head(reg: Register) -> None:
    head = anchor.current(reg.conn, reg.station_code)
    doc = documents.build_document(reg, "monthly-report", "2026-02")
    pages = [" ".join(t.split()) for t in Pdf(doc.data).pages_text]
    assert pages and all(f"审计链头 {head.seq}:{head.short}" in t for t in pages)
    assert integrity.paper_head(reg.conn, reg.station_code, head.seq, head.short)
