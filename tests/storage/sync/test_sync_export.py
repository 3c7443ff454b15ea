"""Export discipline: a killed export leaves nothing that imports; a lost stick reveals nothing;
keys and key files; periods."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from storage.db import open_register
from storage.errors import BundleError, ValidationError
from storage.sync import crypto, export, importer, keys, safewrite
from storage.sync.outbox import exported
from tests.helpers.registers import FakeClock
from tests.helpers.sync import (
    add_petition,
    as_head,
    export_to,
    import_files,
    link,
    make_county,
    make_township,
    unlock,
)

ROOT = Path(__file__).resolve().parents[3]


def test_bundle_bytes_hold_no_name_id_number_or_phone(clock: FakeClock, tmp_path: Path) -> None:
    c = make_county(clock)
    t = make_township(clock)
    link(t, c)
    rng = random.Random(9)
    people = [add_petition(t, rng, i + 1)[0] for i in range(40)]
    path = export_to(t, "2026-02", tmp_path, tmp_path / "outbox")
    for data in (path.read_bytes(), (tmp_path / "outbox" / path.name).read_bytes()):
        for p in people:
            for secret in (p.name, p.id_number, p.phone, p.id_number[6:14]):
                for form in (secret.encode("utf-8"), secret.encode("utf-16-le"),
                             json.dumps(secret).encode("ascii")):
                    assert form not in data, secret
    # but they are all there once the county decrypts it
    import_files(c, [path], unlock(c))
    assert {r["id_number"] for r in c.rows("SELECT id_number FROM petitioners")} == {
        p.id_number for p in people}


def _town(clock: FakeClock) -> tuple[object, object]:
    c = make_county(clock)
    t = make_township(clock)
    link(t, c)
    return t, c


def test_an_export_killed_before_the_rename_leaves_no_file_that_imports(
        clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    t, c = _town(clock)
    add_petition(t, random.Random(1), 1)  # type: ignore[arg-type]
    stick, outbox = tmp_path / "stick", tmp_path / "outbox"
    stick.mkdir()

    def pulled(_part: Path, _final: Path) -> None:
        raise OSError(5, "Input/output error")

    # 1. the stick fails between writing the .part and the rename: the bundle stays recorded
    # and kept in the outbox, the stick holds nothing that imports
    real_rename = safewrite._rename
    monkeypatch.setattr(safewrite, "_rename", pulled)
    with pytest.raises(BundleError):
        export.export(t, "2026-02", stick, outbox)  # type: ignore[arg-type]
    assert list(stick.iterdir()) == []  # the unfinished .part was removed
    key = unlock(c)  # type: ignore[arg-type]
    assert importer.import_bundles(c, [stick], key) == []  # type: ignore[arg-type]

    # 2. the next attempt cleans the stick and writes the kept bundle again
    monkeypatch.setattr(safewrite, "_rename", real_rename)
    written = export.copy_to(t, 1, outbox, stick)  # type: ignore[arg-type]
    assert sorted(p.name for p in stick.iterdir()) == [written.name]
    [ok] = importer.import_bundles(c, [stick], key)  # type: ignore[arg-type]
    assert ok.status == "imported"


def test_an_export_killed_before_it_was_recorded_leaves_nothing(
        clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    t, _c = _town(clock)
    outbox = tmp_path / "outbox"
    real_write = export.write_synced
    left: list[bytes] = []

    def write_then_die(path: Path, data: bytes) -> None:
        real_write(path, data)
        left.append(data)
        raise KeyboardInterrupt  # the program is closed between writing and recording

    monkeypatch.setattr(export, "write_synced", write_then_die)
    with pytest.raises(KeyboardInterrupt):
        export.make_bundle(t, "2026-02", outbox)  # type: ignore[arg-type]
    assert exported(t) == []  # type: ignore[arg-type]
    assert list(outbox.iterdir()) == []
    monkeypatch.undo()
    # a hard kill would have left the .part behind: the next export discards it
    stray = outbox / "320508102000-202602-001.pdsync.part"
    stray.write_bytes(left[0])
    b = export.make_bundle(t, "2026-02", outbox)  # type: ignore[arg-type]
    assert b.seq == 1 and [p.name for p in outbox.iterdir()] == [b.file_name]
    assert (outbox / b.file_name).read_bytes() != left[0]  # a fresh bundle, not the stray


_KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from storage.db import open_register
    from storage.register import Actor
    from storage.sync import export, safewrite, signkey
    reg = open_register(Path(sys.argv[2]))
    reg.actor = Actor("", "cli", "cli", "head")
    signkey.unlock(reg, "head-pass-1")  # the sealed signing key, as the command line opens it
    real = safewrite._rename
    def die(part, final):
        if "stick" in str(part):
            os.kill(os.getpid(), signal.SIGKILL)
        real(part, final)
    safewrite._rename = die
    export.export(reg, "2026-02", Path(sys.argv[3]), Path(sys.argv[2]) / "outbox")
""")


def test_a_process_killed_mid_export_leaves_no_file_that_imports(
        clock: FakeClock, tmp_path: Path) -> None:
    c = make_county(clock)
    t = make_township(clock, data_dir=tmp_path / "town")
    link(t, c)
    add_petition(t, random.Random(2), 1)
    t.close()
    stick = tmp_path / "stick"
    stick.mkdir()
    proc = subprocess.run([sys.executable, "-c", _KILLER, str(ROOT), str(tmp_path / "town"),
                           str(stick)], capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    leftovers = list(stick.iterdir())
    assert [p.suffix for p in leftovers] == [".part"]
    key = unlock(c)
    changes = c.conn.total_changes
    assert all(r.status == "refused" for r in importer.import_bundles(c, leftovers, key))
    assert importer.import_bundles(c, [stick], key) == []
    assert c.conn.total_changes == changes
    # the killed run had recorded the bundle; after a restart it is written again and imports
    t = open_register(tmp_path / "town", clock=clock)
    as_head(t)
    export.copy_to(t, 1, tmp_path / "town" / "outbox", stick)
    assert [(r.status, r.message) for r in importer.import_bundles(c, [stick], key)] == [("imported", "")]


def test_the_stick_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "a.pdsync"
    target.write_bytes(b"something else")
    with pytest.raises(BundleError, match="没有覆盖"):
        safewrite.write_new_file(target, b"bundle")
    assert target.read_bytes() == b"something else"
    assert safewrite.write_new_file(tmp_path / "b", b"same") == tmp_path / "b"
    assert safewrite.write_new_file(tmp_path / "b", b"same") == tmp_path / "b"  # repeat: fine


def test_export_needs_keys_and_a_past_month(clock: FakeClock, tmp_path: Path) -> None:
    t = make_township(clock)
    with pytest.raises(BundleError, match="公钥"):
        export.plan(t)
    c = make_county(clock)
    link(t, c)
    plan = export.plan(t)
    assert (plan.seq, plan.period, plan.recipient_name) == (1, "2026-02", "姑苏区信访局")
    assert plan.counts["codes"]["records"] > 0
    for bad in ("2026-13", "26-02", "2026-04"):
        with pytest.raises(ValidationError):
            export.make_bundle(t, bad, tmp_path)


def test_fingerprints_are_digits_to_read_aloud(clock: FakeClock) -> None:
    c = make_county(clock)
    fp = keys.own_key_file(c).fingerprint
    groups = fp.split(" ")
    assert len(groups) == 6 and all(len(g) == 5 and g.isdigit() for g in groups)
    # the same key file read back has the same fingerprint; a changed key does not
    again = keys.parse_key_file(json.dumps(keys.own_key_file(c).to_json()).encode())
    assert again.fingerprint == fp
    obj = keys.own_key_file(c).to_json()
    obj["box_key"] = crypto.b64(crypto.new_box_key()[1])
    with pytest.raises(BundleError, match="指纹"):
        keys.parse_key_file(json.dumps(obj).encode())


def test_receiving_key_is_kept_under_a_passphrase(clock: FakeClock) -> None:
    c = make_county(clock)
    stored = json.dumps(c.setting("sync.box_key"))
    private = unlock(c)
    assert crypto.b64(private) not in stored
    with pytest.raises(ValidationError, match="口令不对"):
        keys.unlock_receiving_key(c, "wrong-passphrase")
    with pytest.raises(ValidationError):
        keys.create_receiving_key(c, "short")


def test_station_of_another_county_cannot_be_registered(clock: FakeClock) -> None:
    c = make_county(clock)
    outsider = keys.KeyFile("320600102000", "320600102000", "外县某镇", "township",
                            crypto.new_signing_key()[1], None)
    with pytest.raises(ValidationError, match="不属于本县"):
        keys.register_station(c, outsider)


def test_drive_finder_is_honest(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from storage.sync import drives

    stick = tmp_path / "media" / "clerk" / "KINGSTON"
    stick.mkdir(parents=True)
    monkeypatch.setattr(drives, "_linux_candidates", lambda _user: [(stick, True)])
    monkeypatch.setattr(drives.os.path, "ismount", lambda p: Path(p) == stick)
    monkeypatch.setattr(drives.sys, "platform", "linux")
    found = drives.find_drives()
    assert [d.path for d in found] == [stick] and "KINGSTON" in found[0].display
    monkeypatch.setattr(drives.os.path, "ismount", lambda _p: False)
    assert drives.find_drives() == []


def test_outbox_recovery_finishes_or_discards_part_files(clock: FakeClock, tmp_path: Path) -> None:
    t, _c = _town(clock)
    outbox = tmp_path / "outbox"
    b = export.make_bundle(t, "2026-02", outbox)  # type: ignore[arg-type]
    final = outbox / b.file_name
    os.rename(final, safewrite.part_path(final))  # killed after recording, before the rename
    (outbox / "stray.pdsync.part").write_bytes(b"half")
    export.recover_outbox(t, outbox)  # type: ignore[arg-type]
    assert sorted(p.name for p in outbox.iterdir()) == [b.file_name]
    assert export.local_bytes(t, 1, outbox)  # type: ignore[arg-type]
