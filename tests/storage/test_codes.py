"""Classification tables: seeded from docs/domain.md §2.2, editable by the station head."""

from __future__ import annotations

import pytest

from storage import accounts, codes
from storage.errors import PermissionDenied
from storage.register import Register


def _as_head(reg: Register) -> None:
    reg.actor = accounts.find_user(reg, "head").actor()


def test_seeded_content_categories_have_17_first_levels_with_children(reg: Register) -> None:
    cats = codes.categories(reg)
    assert len(cats) == 17
    assert all(cats.values())


def test_renaming_a_first_level_keeps_its_children(reg: Register) -> None:
    _as_head(reg)
    first = codes.list_codes(reg, "content_category", parent="")[0]
    children = codes.categories(reg)[first.label]
    codes.rename_code(reg, first.id, first.label + "（新）")
    cats = codes.categories(reg)
    assert first.label not in cats
    assert cats[first.label + "（新）"] == children
    added = codes.add_code(reg, "content_category", "新的二级", parent=first.code)
    assert codes.categories(reg)[first.label + "（新）"] == children + [added.label]


def test_only_the_station_head_edits_codes(reg: Register) -> None:
    first = codes.list_codes(reg, "content_category", parent="")[0]
    with pytest.raises(PermissionDenied):
        codes.rename_code(reg, first.id, "别的名字")
