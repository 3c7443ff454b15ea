"""Private by default (design §7, issue 14 finding 6): the data folder 0700 and every file the
program writes — register, WAL, backups, keys, bundles, PDFs — 0600 on POSIX, whatever the
umask it was started with; a folder an older version left 0755/0644 is put right on opening."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.db import open_register
from tests.helpers.cli_town import run, township_with_keys
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def loose(folder: Path) -> list[str]:
    """Everything under ``folder`` (itself included) that others could read."""
    found = [folder, *folder.rglob("*")]
    return [f"{p} {oct(mode(p))}" for p in found
            if not p.is_symlink() and mode(p) & 0o077]


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A caller with the usual umask 022 (files 0644, folders 0755)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.usefixtures("open_umask")
def test_a_new_register_is_private_whatever_the_umask(tmp_path: Path) -> None:
    reg = set_up(open_register(tmp_path / "data", clock=FakeClock(),
                               password_hasher=CHEAP_HASHER))
    try:
        assert mode(tmp_path / "data") == 0o700
        assert mode(tmp_path / "data" / "register.sqlite3") == 0o600
    finally:
        reg.close()


@pytest.mark.usefixtures("open_umask")
def test_an_old_folder_left_readable_is_put_right_on_opening(tmp_path: Path) -> None:
    data = tmp_path / "data"
    set_up(open_register(data, clock=FakeClock(), password_hasher=CHEAP_HASHER)).close()
    (data / "backups").mkdir(exist_ok=True)
    (data / "backups" / "old.sqlite3").write_bytes(b"x")
    for p in [data, *data.rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    assert loose(data)
    open_register(data, clock=FakeClock(), password_hasher=CHEAP_HASHER).close()
    assert loose(data) == []


@pytest.mark.usefixtures("open_umask")
def test_what_the_commands_write_is_private(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PETITIONDESK_LANG", "zh_CN")
    monkeypatch.setenv("PETITIONDESK_PASSWORD", "head-pass-1")  # opens the sealed signing key
    data = township_with_keys(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    for argv in (["backup", "--to", str(out / "backups")],
                 ["print", "receipt", "--case", "320-2026-00001", "--out", str(out / "r.pdf")],
                 ["export", "--month", "2026-02", "--to", str(out)],
                 ["keys", "export", "--to", str(out / "keys")]):
        code, _out, err = run([*argv, "--data-dir", str(data)])
        assert code == 0, (argv, err)
    os.umask(0o022)  # main() made it 077; the check below must not depend on that
    written = [p for p in out.rglob("*") if p.is_file()]
    assert {p.suffix for p in written} >= {".pdf", ".pdsync", ".pdkey"}
    assert [f"{p} {oct(mode(p))}" for p in written if mode(p) != 0o600] == []
    assert loose(data) == []


@pytest.mark.usefixtures("open_umask")
def test_only_the_programs_own_folders_are_walked(tmp_path: Path) -> None:
    """A register kept in a folder that holds other things: those keep their modes, and an
    existing folder without a register (``--data-dir /``) is not closed."""
    data = tmp_path / "data"
    (data / "photos").mkdir(parents=True)
    (data / "photos" / "p.jpg").write_bytes(b"x")
    os.chmod(data, 0o755)
    open_register(data, clock=FakeClock(), password_hasher=CHEAP_HASHER).close()
    assert mode(data) == 0o755  # it held no register yet
    open_register(data, clock=FakeClock(), password_hasher=CHEAP_HASHER).close()
    assert mode(data) == 0o700 and mode(data / "register.sqlite3") == 0o600
    assert mode(data / "photos") == 0o755 and mode(data / "photos" / "p.jpg") == 0o644
