"""The layer rule (docs/architecture.md §2): importing every module of ``storage`` and
``printing`` loads no PySide6 module and nothing from ``ui``, ``cli`` or ``main``. Checked in a
fresh interpreter, so that nothing the test run imported earlier can hide a violation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import importlib, json, pkgutil, sys
loaded, failed = [], {}
for package_name in ("storage", "printing"):
    package = importlib.import_module(package_name)
    loaded.append(package_name)
    for info in pkgutil.walk_packages(package.__path__, package_name + "."):
        try:
            importlib.import_module(info.name)
        except Exception as exc:  # reported, and fails the test
            failed[info.name] = f"{type(exc).__name__}: {exc}"
        else:
            loaded.append(info.name)
forbidden = sorted(m for m in sys.modules
                   if m.split(".")[0] in ("PySide6", "shiboken6", "ui", "cli", "main", "PyQt5",
                                          "PyQt6"))
print(json.dumps({"loaded": loaded, "failed": failed, "forbidden": forbidden}))
"""


def probe() -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_storage_and_printing_never_load_qt_ui_or_cli() -> None:
    result = probe()
    assert result["failed"] == {}
    assert result["forbidden"] == []
    loaded = result["loaded"]
    assert isinstance(loaded, list)
    # The walk really covered the packages (not just their __init__).
    expected = {p.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".")
                for pkg in ("storage", "printing") for p in (ROOT / pkg).rglob("*.py")
                if p.name != "__init__.py"}
    assert expected <= set(loaded)
    assert {"storage.register", "storage.demo", "storage.petitions.search"} <= set(loaded)


def test_the_probe_would_notice_a_qt_import() -> None:
    """The same check, fed a module that imports Qt, reports it (the test can fail)."""
    code = "import PySide6.QtCore\n" + PROBE
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    forbidden = json.loads(done.stdout.strip().splitlines()[-1])["forbidden"]
    assert "PySide6.QtCore" in forbidden
