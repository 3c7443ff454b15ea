"""Reading audit entries in tests."""

from __future__ import annotations

from typing import Any

from storage.rowimage import ROW_KEY


def without_row_image(values: dict[str, Any]) -> dict[str, Any]:
    """An entry's before/after values without the hash of the whole row it carries (§7.1), so a
    test can compare the fields a change touched."""
    return {k: v for k, v in values.items() if k != ROW_KEY}
