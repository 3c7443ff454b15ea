"""The two-character index (``storage.bigrams``): two-character terms such as 张伟 or 南塘 are
found from an index instead of a ``LIKE`` scan of every name and summary. Existing matters are
indexed here, in matter order."""

from __future__ import annotations

from sqlite_utils import Database

from storage import bigrams
from storage.migrations import MIGRATIONS

_BATCH = 20_000


@MIGRATIONS(name="m013_scale_search")
def m013_scale_search(db: Database) -> None:
    conn = db.conn
    bigrams.create_tables(conn)
    names: dict[str, list[str]] = {}
    for matter_id, name in conn.execute(
            "SELECT mp.matter_id, p.name FROM matter_petitioners mp JOIN petitioners p"
            " ON p.id = mp.petitioner_id WHERE mp.deleted = 0 ORDER BY mp.rowid"):
        names.setdefault(matter_id, []).append(name)
    batch: list[tuple[str, str]] = []
    for matter_id, summary in conn.execute(
            "SELECT id, summary FROM matters WHERE deleted = 0 ORDER BY id").fetchall():
        batch.append((matter_id, bigrams.source(names.get(matter_id, []), summary)))
        if len(batch) >= _BATCH:
            bigrams.append_new(conn, batch)
            batch = []
    if batch:
        bigrams.append_new(conn, batch)
