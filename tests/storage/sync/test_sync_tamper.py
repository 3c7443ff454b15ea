"""Bad bundles are refused with a plain message and nothing is written: every single-byte flip
and every truncation of a small bundle, and unsigned, wrongly signed, replayed, future-format,
unknown-station, another station's and misaddressed bundles."""

from __future__ import annotations

import random
import struct
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from storage.sync import crypto, fileformat, importer, keys, payload
from tests.helpers.registers import FakeClock
from tests.helpers.sync import (
    add_petition,
    as_head,
    export_to,
    import_files,
    link,
    make_county,
    make_township,
    snapshot,
    unlock,
)


class Setup:
    def __init__(self, clock: FakeClock, tmp: Path) -> None:
        self.tmp = tmp
        self.county = make_county(clock)
        self.town = make_township(clock)
        link(self.town, self.county)
        self.key = unlock(self.county)
        rng = random.Random(11)
        add_petition(self.town, rng, 1)
        first = export_to(self.town, "2026-02", tmp, tmp / "outbox")
        assert [r.status for r in import_files(self.county, [first], self.key)] == ["imported"]
        self.person, _ = add_petition(self.town, rng, 2)
        self.small = export_to(self.town, "2026-03", tmp, tmp / "outbox")  # bundle 2
        self.data = self.small.read_bytes()

    def attempt(self, data: bytes, name: str = "x.pdsync") -> importer.BundleReport:
        """Import ``data``; assert it was refused and nothing at all was written."""
        path = self.tmp / "try" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        changes = self.county.conn.total_changes
        [report] = importer.import_bundles(self.county, [path], self.key)
        assert report.status == "refused", (report.status, report.message)
        assert report.message
        assert self.county.conn.total_changes == changes
        return report

    def forge(self, *, manifest: dict[str, Any] | None = None, sign_key: bytes | None = None,
              inner: dict[str, Any] | None = None, aad_seq: int | None = None,
              version: int = fileformat.FORMAT_VERSION, zero_signature: bool = False) -> bytes:
        """Re-make bundle 2 with some part changed, signed properly (by the station's key unless
        ``sign_key`` is given) so that only the intended check can catch it."""
        sealed = fileformat.unpack(self.data)
        m = dict(sealed.manifest, **(manifest or {}))
        p = payload.open_sealed(sealed.payload, self.key, sealed.manifest["sender"],
                                sealed.manifest["seq"])
        p = replace(p, **(inner or {}))
        blob = crypto.seal(payload.encode(p), self.county_box(),
                           payload.aad(p.sender, aad_seq if aad_seq is not None else p.seq))
        data = fileformat.pack(m, blob, sign_key or keys.signing_private(self.town))
        if version != fileformat.FORMAT_VERSION or zero_signature:
            header = fileformat.HEADER.unpack_from(data)
            mlen = header[2]
            end = fileformat.HEADER.size + mlen
            data = (fileformat.HEADER.pack(fileformat.MAGIC, version, mlen) + data[12:end]
                    + (bytes(64) if zero_signature else data[end:end + 64]) + data[end + 64:])
        return data

    def county_box(self) -> bytes:
        box = keys.own_key_file(self.county).box_key
        assert box is not None
        return box


@pytest.fixture
def setup(clock: FakeClock, tmp_path: Path) -> Setup:
    return Setup(clock, tmp_path)


@pytest.mark.slow
def test_every_single_byte_flip_and_every_truncation_is_refused(setup: Setup) -> None:
    data = setup.data
    before = snapshot(setup.county, with_ledger=True)
    reasons: Counter[str] = Counter()
    tried = 0
    for i in range(len(data)):  # every byte changed: one bit (even offsets) or all bits (odd)
        flipped = bytearray(data)
        flipped[i] ^= 0x01 if i % 2 == 0 else 0xFF
        reasons[setup.attempt(bytes(flipped)).message] += 1
        tried += 1
    for n in range(len(data)):  # every truncation, down to the empty file
        reasons[setup.attempt(data[:n]).message] += 1
        tried += 1
    assert tried == 2 * len(data)
    assert snapshot(setup.county, with_ledger=True) == before
    print(f"\nbundle of {len(data)} bytes: {len(data)} single-byte flips and {len(data)} "
          f"truncations refused; messages: {dict(reasons.most_common())}")
    # and the untouched bundle is accepted, so the refusals above were not for another reason
    [ok] = importer.import_bundles(setup.county, [setup.small], setup.key)
    assert ok.status == "imported"


def test_signature_is_checked_before_anything_is_decrypted(
        setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    other_private, _ = crypto.new_signing_key()
    forged = setup.forge(sign_key=other_private)

    def no_decrypt(*_a: object, **_k: object) -> bytes:
        raise AssertionError("decrypted before the signature was checked")

    monkeypatch.setattr(crypto, "unseal", no_decrypt)
    report = setup.attempt(forged)
    assert "签名" in report.message


def test_unsigned_bundle_is_refused(setup: Setup) -> None:
    assert "没有签名" in setup.attempt(setup.forge(zero_signature=True)).message


def test_future_format_is_refused(setup: Setup) -> None:
    future = fileformat.FORMAT_VERSION + 1
    assert "更新版本" in setup.attempt(setup.forge(version=future)).message
    newer = setup.forge(manifest={"format_version": future})
    assert "更新版本" in setup.attempt(newer).message
    newer_schema = setup.forge(manifest={"schema": ["m001_core", "m999_future"]})
    assert "升级" in setup.attempt(newer_schema).message


def test_older_format_is_refused_in_plain_words(setup: Setup) -> None:
    report = setup.attempt(setup.forge(version=fileformat.FORMAT_VERSION - 1))
    assert "旧版本" in report.message and "升级发送单位" in report.message


def test_station_code_and_sequence_inside_must_match_the_manifest(setup: Setup) -> None:
    # the payload says bundle 2, the signed manifest says bundle 3 (sealed under 3's binding)
    assert "不一致" in setup.attempt(setup.forge(manifest={"seq": 3}, aad_seq=3)).message
    # the payload sealed for bundle 2 put under a manifest of bundle 3: cannot be opened
    assert "无法解密" in setup.attempt(setup.forge(manifest={"seq": 3})).message
    other = setup.forge(inner={"station_code": "320508103000"})
    assert "不一致" in setup.attempt(other).message


def test_records_of_another_station_are_refused(setup: Setup) -> None:
    sealed = fileformat.unpack(setup.data)
    p = payload.open_sealed(sealed.payload, setup.key, "320508102000", 2)
    t = p.tables[0]
    sc = t.columns.index("station_code")
    t.rows[0][sc] = "320508103000"
    forged = setup.forge(inner={"tables": p.tables})
    assert "不属于" in setup.attempt(forged).message


def test_unknown_station_is_refused(setup: Setup, clock: FakeClock) -> None:
    stranger = make_township(clock, "320508103000")
    as_head(stranger)
    keys.create_signing_key(stranger)
    keys.load_upstream(stranger, keys.own_key_file(setup.county))
    add_petition(stranger, random.Random(3), 1)
    (setup.tmp / "b").mkdir()
    path = export_to(stranger, "2026-02", setup.tmp / "b", setup.tmp / "outbox-b")
    assert "未登记" in setup.attempt(path.read_bytes()).message


def test_bundle_for_another_county_is_refused(setup: Setup, clock: FakeClock) -> None:
    other_county = make_county(clock)  # a second office with its own keys
    keys.register_station(other_county, keys.own_key_file(setup.town))
    path = setup.tmp / "for-first.pdsync"
    path.write_bytes(setup.data)
    changes = other_county.conn.total_changes
    [report] = importer.import_bundles(other_county, [path], unlock(other_county))
    assert report.status == "refused" and "其他单位" in report.message
    assert other_county.conn.total_changes == changes


def test_a_replayed_sequence_number_with_other_content_is_refused(setup: Setup) -> None:
    [ok] = importer.import_bundles(setup.county, [setup.small], setup.key)
    assert ok.status == "imported"
    # same bundle again: a no-op
    [again] = importer.import_bundles(setup.county, [setup.small], setup.key)
    assert again.status == "already"
    # a different bundle claiming to be number 2 (a station restored from an old backup)
    fork = setup.forge(inner={"period": "2026-03"}, manifest={"created_at": "2026-03-09T10:00:00"})
    assert "内容不同" in setup.attempt(fork).message


def test_part_files_are_never_imported(setup: Setup) -> None:
    report = setup.attempt(setup.data, name="320508102000-202603-002.pdsync.part")
    assert "没有写完" in report.message
    assert importer.bundle_files([setup.tmp / "try"]) == []


def test_header_lengths_that_overflow_are_refused(setup: Setup) -> None:
    data = bytearray(setup.data)
    data[8:12] = struct.pack(">I", 0xFFFFFFFF)
    assert setup.attempt(bytes(data)).message
