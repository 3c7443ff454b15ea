"""Fixtures of the sync tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage.register import Register
from tests.helpers.registers import FakeClock
from tests.helpers.sync import linked


@pytest.fixture
def pair(clock: FakeClock) -> Iterator[tuple[Register, Register]]:
    """(township, county) with keys both ways."""
    with linked(clock) as both:
        yield both
