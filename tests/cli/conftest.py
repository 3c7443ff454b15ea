"""The command line has no sign-in: commands that sign (export, receipts) or make a signing key
take an account's password from $PETITIONDESK_PASSWORD (storage/sync/signkey.py). The test
registers' station head has this one."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def head_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PETITIONDESK_PASSWORD", "head-pass-1")
