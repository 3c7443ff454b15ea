"""Replacing a key that is already here: only on purpose. A station that loaded the county's
receiving key would otherwise encrypt its next bundle to whoever's key file it was handed; a
county would accept bundles signed by a new key for a station it knows."""

from __future__ import annotations

import pytest

from storage.errors import ValidationError
from storage.sync import keys
from tests.helpers.registers import FakeClock
from tests.helpers.sync import _key_bytes, as_head, link, make_county, make_township


def test_a_different_county_receiving_key_needs_replace(clock: FakeClock) -> None:
    county, town = make_county(clock), make_township(clock)
    link(town, county)
    loaded = keys.upstream(town)
    assert loaded is not None
    impostor = make_county(clock)  # same county code, a different receiving key
    other = keys.parse_key_file(_key_bytes(impostor))
    assert keys.upstream_key_change(town, other) == loaded
    with pytest.raises(ValidationError, match="--replace"):
        keys.load_upstream(town, other)
    assert keys.upstream(town) == loaded  # unchanged
    keys.load_upstream(town, other, replace=True)
    assert keys.upstream(town).box_key == other.box_key  # type: ignore[union-attr]


def test_the_same_county_key_with_a_signing_key_added_is_an_update(clock: FakeClock) -> None:
    county, town = make_county(clock), make_township(clock)
    link(town, county)
    as_head(county)
    keys.create_signing_key(county)  # the county starts writing receipts
    updated = keys.parse_key_file(_key_bytes(county))
    assert keys.upstream_key_change(town, updated) is None
    keys.load_upstream(town, updated)
    assert keys.upstream(town).sign_key == updated.sign_key  # type: ignore[union-attr]


def test_a_station_with_a_new_signing_key_needs_replace_at_the_county(clock: FakeClock) -> None:
    county, town = make_county(clock), make_township(clock)
    link(town, county)
    keys.create_signing_key(town, replace=True)  # the station's laptop was reinstalled
    new = keys.parse_key_file(_key_bytes(town))
    assert keys.station_key_change(county, new) is not None
    with pytest.raises(ValidationError, match="--replace"):
        keys.register_station(county, new)
    keys.register_station(county, new, replace=True)
    assert keys.station_key_change(county, new) is None
