"""A township on disk for command-line tests: a petition, its signing key, the county's key
loaded — so that ``export``, ``print`` and ``keys`` get as far as they can. And running
``main.main`` in this process with its output captured."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import random
from pathlib import Path

import main
from storage import station
from storage.db import open_register
from tests.helpers.registers import CHEAP_HASHER, FakeClock
from tests.helpers.sync import COUNTY_CODE, add_petition, as_head, make_township


def run(argv: list[str]) -> tuple[int, str, str]:
    """``main.py argv`` in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main.main(argv)
        except SystemExit as exc:  # --help
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (SQLite's -wal and -shm included) by content."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def township_with_keys(root: Path) -> Path:
    """Build the township in ``root / "data"`` (and its county in ``root / "county"``)."""
    clock = FakeClock()
    town = as_head(make_township(clock, data_dir=root / "data"))
    add_petition(town, random.Random(1), 1)
    town.close()
    county_dir = root / "county"
    county = open_register(county_dir, clock=clock, password_hasher=CHEAP_HASHER)
    station.set_up_station(county, name="姑苏区信访局", short_name="姑苏", code=COUNTY_CODE,
                           kind="county", office_name="", phone="", address="", villages=[],
                           head_username="head", head_display_name="审核员",
                           head_password="head-pass-1")
    county.close()
    os.environ["PETITIONDESK_PASSPHRASE"] = "county-pass-1"
    password = os.environ.get("PETITIONDESK_PASSWORD")
    os.environ["PETITIONDESK_PASSWORD"] = "head-pass-1"  # seals the signing key for the head
    try:
        for argv in (["keys", "create-county", "--data-dir", str(county_dir)],
                     ["keys", "export", "--to", str(root / "keys"), "--data-dir", str(county_dir)],
                     ["keys", "create-signing", "--data-dir", str(root / "data")]):
            assert run(argv)[0] == 0, argv
        county_key = next((root / "keys").glob("*.pdkey"))
        assert run(["keys", "load-county", str(county_key), "--data-dir",
                    str(root / "data")])[0] == 0
    finally:
        del os.environ["PETITIONDESK_PASSPHRASE"]
        if password is None:
            del os.environ["PETITIONDESK_PASSWORD"]
        else:
            os.environ["PETITIONDESK_PASSWORD"] = password
    return root / "data"
