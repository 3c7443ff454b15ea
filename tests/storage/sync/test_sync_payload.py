"""The payload codec: what goes in comes out; a hostile or broken compressed stream is refused
before it can exhaust memory."""

from __future__ import annotations

import struct

import pytest
import zstandard

from storage.errors import BundleError
from storage.sync import chainlines, crypto, payload

AAD_SENDER, AAD_SEQ = "320508102000", 4


def _payload() -> payload.Payload:
    rows = [["01J", "张伟", 1, 0, None, 2.5], ["01K", "䶮𠮷\n\"引号\"", 2, 1, "x", -1.0]]
    return payload.Payload(AAD_SENDER, AAD_SENDER, AAD_SEQ, "2026-02",
                           [payload.TableRows("petitioners",
                                              ["id", "name", "version", "deleted", "note", "f"],
                                              rows)],
                           chainlines.encode([[
                               "e1", AAD_SENDER, "2026-02-03T08:00:00", "clerk1", "insert",
                               "petitioners", "01J", None, '{"name":"张伟"}', "0" * 64, "a" * 64,
                               0]]))


def _open(plain: bytes) -> payload.Payload:
    private, public = crypto.new_box_key()
    blob = crypto.seal(plain, public, payload.aad(AAD_SENDER, AAD_SEQ))
    return payload.open_sealed(blob, private, AAD_SENDER, AAD_SEQ)


def _frames(records: bytes, audit: bytes) -> bytes:
    return struct.pack(">Q", len(records)) + records + audit


def test_round_trip_keeps_every_value() -> None:
    p = _payload()
    got = _open(payload.encode(p))
    assert got == p
    # the audit frame is kept as received: it becomes the sender's segment, byte for byte
    assert got.audit_frame and payload.inflate(got.audit_frame) == p.audit


@pytest.mark.parametrize("frame", ["records", "audit"])
def test_frame_claiming_more_than_the_limit_is_refused(
        monkeypatch: pytest.MonkeyPatch, frame: str) -> None:
    p = _payload()
    records = payload.serialise(p)
    audit = p.audit * (1 if frame == "records" else 3)  # the frame under test is the larger
    monkeypatch.setattr(payload, "MAX_PLAINTEXT", len(records if frame == "records" else audit) - 1)
    assert len(records if frame == "audit" else audit) <= payload.MAX_PLAINTEXT
    with pytest.raises(BundleError):
        _open(_frames(payload.compress(records), payload.compress(audit)))


def test_the_limit_holds_for_both_frames_together(monkeypatch: pytest.MonkeyPatch) -> None:
    p = _payload()
    records = payload.serialise(p)
    monkeypatch.setattr(payload, "MAX_PLAINTEXT", len(records) + len(p.audit) - 1)
    with pytest.raises(BundleError):
        _open(payload.encode(p))


@pytest.mark.parametrize("frame", ["records", "audit"])
def test_frame_without_its_size_is_refused(frame: str) -> None:
    p = _payload()
    sizeless = zstandard.ZstdCompressor(write_content_size=False).compress
    records, audit = payload.serialise(p), p.audit
    with pytest.raises(BundleError):
        _open(_frames(sizeless(records) if frame == "records" else payload.compress(records),
                      sizeless(audit) if frame == "audit" else payload.compress(audit)))


@pytest.mark.parametrize("damage", ["truncate", "trailing", "garbage", "length", "short"])
def test_broken_stream_is_refused(damage: str) -> None:
    good = payload.encode(_payload())
    length = struct.unpack_from(">Q", good)[0]
    bad = {"truncate": good[:-5], "trailing": good + b"\x00extra",
           "garbage": b"not a zstd frame at all",
           "length": struct.pack(">Q", length + 3) + good[8:],  # frames split in the wrong place
           "short": good[:5]}[damage]
    with pytest.raises(BundleError):
        _open(bad)
