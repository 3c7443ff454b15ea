"""Lists and searches that do not grow with the register:

- the two-character index (``storage.bigrams``): two-character terms such as 张伟 or 南塘 are
  found from an index instead of a ``LIKE`` scan of every name and summary; existing matters
  are indexed here, in matter order;
- one index per sort key of the case list (``search.SORT_KEYS``), so that a page is read from
  an index in order (keyset pagination) and the home counters count a range of the deadline
  index instead of every matter. The received-date index becomes part of the first one.
"""

from __future__ import annotations

from sqlite_utils import Database

from storage import bigrams
from storage.migrations import MIGRATIONS

_BATCH = 20_000


@MIGRATIONS(name="m013_scale_search")
def m013_scale_search(db: Database) -> None:
    conn = db.conn
    conn.execute("DROP INDEX IF EXISTS idx_matters_received")
    conn.execute("CREATE INDEX idx_matters_list_received ON matters(received_on, seq, id)")
    conn.execute("CREATE INDEX idx_matters_list_due ON matters(coalesce(due_date, '9999-99-99'),"
                 " number, id)")
    conn.execute("CREATE INDEX idx_matters_list_number ON matters(number, id)")
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
