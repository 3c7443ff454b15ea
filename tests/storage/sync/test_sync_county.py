"""County views over every township's records."""

from __future__ import annotations

import random
from pathlib import Path

from storage.sync import county
from tests.helpers.registers import FakeClock
from tests.helpers.sync import (
    add_petition,
    export_to,
    id_number,
    import_files,
    link,
    make_county,
    make_township,
    unlock,
)


def test_people_registered_in_two_townships_are_surfaced(clock: FakeClock,
                                                         tmp_path: Path) -> None:
    c = make_county(clock)
    a = make_township(clock, "320508102000")
    b = make_township(clock, "320508103000")
    link(a, c)
    link(b, c)
    rng = random.Random(4)
    shared = id_number(rng)
    for i in range(4):
        add_petition(a, rng, i + 1)
        add_petition(b, rng, i + 1)
    add_petition(a, rng, 10, id_num=shared)
    add_petition(a, rng, 11, id_num=shared)  # twice in the same township: not cross-township
    add_petition(b, rng, 10, id_num=shared.lower())  # typed with a lower-case x, if any
    only_a = id_number(rng)
    add_petition(a, rng, 12, id_num=only_a)
    files = [export_to(a, "2026-02", tmp_path, tmp_path / "oa"),
             export_to(b, "2026-02", tmp_path, tmp_path / "ob")]
    import_files(c, files, unlock(c))

    [person] = county.cross_township_petitioners(c)
    assert person.id_number == shared.upper()
    assert sorted({x.station_code for x in person.appearances}) == ["320508102000",
                                                                    "320508103000"]
    assert len(person.appearances) == 3 and all(x.matters == 1 for x in person.appearances)
    assert {x.station_name for x in person.appearances} == {"花园镇信访工作站", "石桥镇信访工作站"}

    assert county.station_choices(c) == [("320508102000", "花园镇信访工作站"),
                                         ("320508103000", "石桥镇信访工作站")]
    counts = county.record_counts(c)
    assert counts["320508102000"]["matters"] == 7 and counts["320508103000"]["matters"] == 5


def test_a_registered_station_that_never_sent_anything_shows_missing_months(
        clock: FakeClock) -> None:
    c = make_county(clock)
    t = make_township(clock)
    clock.now = clock.now.replace(year=2025, month=12)
    link(t, c)
    clock.now = clock.now.replace(year=2026, month=3)
    [h] = county.history(c)
    assert h.bundles == [] and h.missing_months == ["2025-12", "2026-01", "2026-02"]
