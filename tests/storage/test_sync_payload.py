"""The payload codec: what goes in comes out; a hostile or broken compressed stream is refused
before it can exhaust memory."""

from __future__ import annotations

import pytest
import zstandard

from storage.errors import BundleError
from storage.sync import crypto, payload

AAD_SENDER, AAD_SEQ = "320508102000", 4


def _payload() -> payload.Payload:
    rows = [["01J", "张伟", 1, 0, None, 2.5], ["01K", "䶮𠮷\n\"引号\"", 2, 1, "x", -1.0]]
    return payload.Payload(AAD_SENDER, AAD_SENDER, AAD_SEQ, "2026-02",
                           [payload.TableRows("petitioners",
                                              ["id", "name", "version", "deleted", "note", "f"],
                                              rows)],
                           [["e1", AAD_SENDER, "2026-02-03T08:00:00", "clerk1", "insert",
                             "petitioners", "01J", None, '{"name":"张伟"}', "0" * 64, "a" * 64, 0]])


def _open(compressed: bytes) -> payload.Payload:
    private, public = crypto.new_box_key()
    blob = crypto.seal(compressed, public, payload.aad(AAD_SENDER, AAD_SEQ))
    return payload.open_sealed(blob, private, AAD_SENDER, AAD_SEQ)


def test_round_trip_keeps_every_value() -> None:
    p = _payload()
    assert _open(payload.compress(payload.serialise(p))) == p


def test_frame_claiming_more_than_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    text = payload.serialise(_payload())
    monkeypatch.setattr(payload, "MAX_PLAINTEXT", len(text) - 1)
    with pytest.raises(BundleError):
        _open(payload.compress(text))


def test_frame_without_its_size_is_refused() -> None:
    text = payload.serialise(_payload())
    sizeless = zstandard.ZstdCompressor(write_content_size=False).compress(text)
    with pytest.raises(BundleError):
        _open(sizeless)


@pytest.mark.parametrize("damage", ["truncate", "trailing", "garbage"])
def test_broken_stream_is_refused(damage: str) -> None:
    good = payload.compress(payload.serialise(_payload()))
    bad = {"truncate": good[:-5], "trailing": good + b"\x00extra",
           "garbage": b"not a zstd frame at all"}[damage]
    with pytest.raises(BundleError):
        _open(bad)
