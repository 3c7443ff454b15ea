"""A full disk during ``print`` and ``export`` (issue 14, finding 4): one plain line, exit 1,
no ``.part`` file left, and the register as it was. On a tmpfs of a few megabytes
(tests/helpers/smalldisk.py; skipped where it cannot be mounted)."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.i18n import current_language, set_language
from tests.helpers.cli_town import fingerprint, run, township_with_keys
from tests.helpers.smalldisk import fill, leftovers, small_disk

EMPTY = hashlib.sha256(b"").hexdigest()


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return township_with_keys(tmp_path_factory.mktemp("full-disk"))


@pytest.fixture(autouse=True)
def chinese(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PETITIONDESK_LANG", "zh_CN")
    language = current_language()
    yield
    set_language(language)


def _refused_plainly(code: int, err: str) -> None:
    assert code == 1 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and "磁盘已满" in lines[0], err


def test_print_to_a_full_disk_leaves_no_pdf_part(town: Path, tmp_path: Path) -> None:
    case = "320-2026-00001"  # the township's one matter (tests/helpers/sync.add_petition)
    with small_disk(tmp_path / "stick", "1m") as stick:
        fill(stick)
        code, _out, err = run(["print", "receipt", "--case", case, "--out",
                               str(stick / "回执.pdf"), "--data-dir", str(town)])
        _refused_plainly(code, err)
        assert leftovers(stick) == [] and not (stick / "回执.pdf").exists()


def test_export_to_a_full_stick_leaves_no_part_and_is_sent_again(town: Path,
                                                                 tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(town, data)
    with small_disk(tmp_path / "stick", "1m") as stick:
        filler = fill(stick)
        code, _out, err = run(["export", "--month", "2026-02", "--to", str(stick),
                               "--data-dir", str(data)])
        _refused_plainly(code, err)
        assert leftovers(stick) == [] and not list(stick.glob("*.pdsync"))
        assert leftovers(data) == []
        filler.unlink()
        # the bundle made before the stick filled up is kept and written with the next export
        code, out, err = run(["export", "--month", "2026-02", "--to", str(stick),
                              "--data-dir", str(data)])
        assert code == 0, err
        assert sorted(p.name[-16:] for p in stick.glob("*.pdsync")) == [
            "-202602-001.pdsync"[-16:], "-202602-002.pdsync"[-16:]]


def test_export_with_the_data_folder_full_changes_nothing(town: Path, tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "8m") as disk:
        data = disk / "data"
        shutil.copytree(town, data)
        stick = tmp_path / "stick"
        stick.mkdir()
        fill(disk)
        before = fingerprint(data)
        code, _out, err = run(["export", "--month", "2026-02", "--to", str(stick),
                               "--data-dir", str(data)])
        _refused_plainly(code, err)
        # (SQLite's shared-memory index and an empty log may stay: its own, rebuilt on open)
        after = {k: v for k, v in fingerprint(data).items()
                 if not k.endswith("-shm") and not (k.endswith("-wal") and v == EMPTY)}
        assert after == before and leftovers(disk) == []
        assert not list(stick.iterdir())
