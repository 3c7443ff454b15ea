"""The trigram search rows keyed by a dense, time-ordered key instead of a hash of the matter id
(issue 17, the cold county import).

A hashed rowid put every new or replaced search row on a random page of the FTS5 ``%_content``
and ``%_docsize`` B-trees: at a million matters, a random disk read per matter when the county's
file is cold. ``matter_search_keys`` hands out keys in ascending order as matters are first
indexed (``petitions.new_search_keys``); here the existing rows get theirs in matter id order
(= time order, ids are ULIDs) and the index is rebuilt under them: a new FTS5 table with m001's
definition, the rows copied in key order (FTS5 writes ascending rowids fastest), the old table
dropped and the new one renamed. The old table's settings (``%_config``: automerge and the like)
are carried over.
"""

from __future__ import annotations

from sqlite_utils import Database

from storage.migrations import MIGRATIONS


@MIGRATIONS(name="m017_search_keys")
def m017_search_keys(db: Database) -> None:
    conn = db.conn
    conn.execute("CREATE TABLE matter_search_keys (key INTEGER PRIMARY KEY,"
                 " matter_id TEXT NOT NULL UNIQUE)")
    # every matter that has a search row (live ones), keys in matter id order
    conn.execute("INSERT INTO matter_search_keys(matter_id)"
                 " SELECT DISTINCT matter_id FROM matter_search ORDER BY matter_id")
    # m001's definition, under a new name
    conn.execute("CREATE VIRTUAL TABLE matter_search_rekeyed USING fts5(matter_id UNINDEXED,"
                 " names, body, tokenize='trigram')")
    for k, v in conn.execute("SELECT k, v FROM matter_search_config WHERE k != 'version'"
                             ).fetchall():
        conn.execute("INSERT INTO matter_search_rekeyed(matter_search_rekeyed, rank)"
                     " VALUES (?, ?)", (k, v))
    conn.execute("INSERT INTO matter_search_rekeyed(rowid, matter_id, names, body)"
                 " SELECT k.key, s.matter_id, s.names, s.body FROM matter_search s"
                 " JOIN matter_search_keys k ON k.matter_id = s.matter_id ORDER BY k.key")
    conn.execute("DROP TABLE matter_search")
    conn.execute("ALTER TABLE matter_search_rekeyed RENAME TO matter_search")
    # one segment instead of the dozens the copy left (1 s of the migration's 11–14 s at 100,000
    # matters: 1.0 s at 10,000, so about three minutes at a million)
    conn.execute("INSERT INTO matter_search(matter_search) VALUES ('optimize')")
