"""One table of station settings with their defaults (storage/preferences.py): read from the
whole source tree, no other module gives ``Register.setting`` a default or reads a key of the
table by hand — so every key read anywhere has exactly one default."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from storage import preferences, screening
from storage.i18n import DEFAULT_LANGUAGE
from storage.preferences import PREFERENCES
from storage.register import Register
from storage.sync import county

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "storage" / "preferences.py"


def _sources() -> list[Path]:
    return [*(p for pkg in ("storage", "printing", "ui", "cli") for p in (ROOT / pkg).rglob("*.py")),
            ROOT / "main.py"]


def _string_constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"``: keys are often named once at the top of a module."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, str):
            found.update({t.id: node.value.value for t in node.targets if isinstance(t, ast.Name)})
    return found


def _setting_calls(path: Path) -> list[tuple[int, str | None, bool]]:
    """(line, key if it can be read off the source, whether a default is passed) of every
    ``something.setting(...)`` call; passing on one's own ``default`` parameter (the county's
    township view does) is not a default of its own."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    constants = _string_constants(tree)
    calls = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "setting" and node.args):
            continue
        first = node.args[0]
        key = (first.value if isinstance(first, ast.Constant) and isinstance(first.value, str)
               else constants.get(first.id) if isinstance(first, ast.Name) else None)
        given = [*node.args[1:], *(k.value for k in node.keywords if k.arg == "default")]
        own_default = any(not (isinstance(arg, ast.Name) and arg.id == "default") for arg in given)
        calls.append((node.lineno, key, own_default))
    return calls


def test_no_module_but_the_table_gives_a_setting_a_default() -> None:
    found = [f"{path.relative_to(ROOT)}:{line} ({key})"
             for path in _sources() if path != TABLE
             for line, key, own_default in _setting_calls(path) if own_default]
    assert found == []


def test_no_module_reads_a_key_of_the_table_by_hand() -> None:
    found = [f"{path.relative_to(ROOT)}:{line} ({key})"
             for path in _sources() if path != TABLE
             for line, key, _default in _setting_calls(path) if key in PREFERENCES]
    assert found == []


def test_the_table_has_each_key_once_and_each_default_reads_as_its_own_type() -> None:
    entries = [value for name, value in vars(preferences).items()
               if isinstance(value, preferences.Preference) and name.isupper()]
    assert sorted(p.key for p in entries) == sorted(PREFERENCES)  # none left out of the table
    assert len({p.key for p in entries}) == len(entries)  # and none twice
    for entry in entries:
        assert entry.parse(entry.default) == entry.default, entry.key


def test_the_table_agrees_with_the_domains() -> None:
    assert preferences.SCREENING_CADENCE.default == screening.WEEKLY
    assert preferences.LANGUAGE.default == DEFAULT_LANGUAGE
    assert screening.SETTING_CADENCE == preferences.SCREENING_CADENCE.key
    assert county.DUE_DAY_SETTING == preferences.BUNDLE_DUE_DAY.key


def test_a_register_without_the_row_reads_the_default(reg: Register) -> None:
    assert preferences.MASK_NAMES.read(reg) is False
    assert preferences.IDLE_LOCK_MINUTES.read(reg) == 15
    assert preferences.LANGUAGE.stored(reg) is None  # never chosen: the caller decides
    assert preferences.REPLY_COPIES_TO.read(reg) == ()
    assert dict(preferences.LEGAL_CHANNEL_ORGANS.read(reg)) == {}


@pytest.mark.parametrize(("entry", "stored", "read"), [
    (preferences.MASK_NAMES, True, True),
    (preferences.MASK_ID_NUMBERS, False, False),
    (preferences.IDLE_LOCK_MINUTES, 30, 30),
    (preferences.LANGUAGE, "en", "en"),
    (preferences.SCREENING_ALERT_LEVELS, ["红"], ("红",)),
    (preferences.SCREENING_ALERT_LEVELS, "红", ()),  # not a list: none chosen
    (preferences.SCREENING_START, None, ""),
    (preferences.REVIEW_ORGAN, None, ""),
    (preferences.LEGAL_CHANNEL_ORGANS, ["not", "a", "mapping"], {}),
])
def test_a_stored_value_is_read_through_the_entrys_type(
        reg: Register, entry: preferences.Preference[object], stored: object,
        read: object) -> None:
    reg.set_setting(entry.key, stored)
    value = entry.read(reg)
    assert (dict(value) if entry is preferences.LEGAL_CHANNEL_ORGANS else value) == read
    assert entry.stored(reg) == value
