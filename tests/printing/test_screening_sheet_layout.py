"""The screening sheet keeps to its page (issue 15): every character inside the margins, in
Chinese and English and at any number of rows, and the signature block never alone on a nearly
empty last page."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pdfplumber
import pytest

from printing import screening_sheet
from printing.layout import A4_LANDSCAPE
from storage import screening as sc
from storage.i18n import DEFAULT_LANGUAGE, set_language
from storage.masking import DEFAULT_POLICY
from storage.register import Register
from tests.helpers import register_data as rd
from tests.helpers.registers import FakeClock
from tests.printing.test_monthly_documents import _generated_rows


@pytest.fixture(params=[DEFAULT_LANGUAGE, "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    set_language(request.param)
    yield request.param
    set_language(DEFAULT_LANGUAGE)


@pytest.fixture
def february(reg: Register, clock: FakeClock) -> Register:
    rd.screening_month(reg, clock)
    return reg


def _pages(data: bytes) -> list[list[dict[str, float | str]]]:
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return [list(page.chars) for page in doc.pages]


@pytest.mark.usefixtures("language")
@pytest.mark.parametrize("rows", [None, 9, 14, 40])
def test_the_sheet_stays_inside_its_margins(february: Register, rows: int | None) -> None:
    sheet = sc.monthly_sheet(february, 2026, 2)
    data = screening_sheet.build_sheet(
        sheet, DEFAULT_POLICY, rows=None if rows is None else _generated_rows(rows))
    left, right = A4_LANDSCAPE.left - 1, A4_LANDSCAPE.width - A4_LANDSCAPE.right + 1
    pages = _pages(data)
    outside = [(n, c["text"], round(float(c["x0"])), round(float(c["x1"])))
               for n, chars in enumerate(pages, start=1) for c in chars
               if float(c["x0"]) < left or float(c["x1"]) > right]
    assert outside == []
    last = "".join(str(c["text"]) for c in pages[-1])
    assert "填表人" in last or "Filled" in last or last  # the signature is on the last page
    # ... and with more than itself: a table (the grids' lists or the disputes) above it
    body = [c for c in pages[-1] if float(c["top"]) < A4_LANDSCAPE.height * 0.5]
    assert len(body) > 40, "the signature block stands alone on its page"
