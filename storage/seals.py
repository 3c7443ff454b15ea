"""A seal: the after-image hash of every record of this station taken in one go, for records that
were written before entries carried after-images (registers older than m009) or that arrived
without an entry of this station (a liaison laptop's starter rows).

The hashes are kept in ``record_seals``; one audit entry (action ``seal``) carries the digest of
that whole table and the number of rows, so the seal is as tamper-evident as the chain that holds
it. Tamper evidence for such records starts at the seal: what happened to them before it can no
longer be proved. A later migration that adds a column with a default changes no row's image
(``rowimage.row_hash``); one that rewrites values of existing rows must seal again (``seal`` at
its end) — docs/architecture.md §7.1.
"""

from __future__ import annotations

import hashlib
import sqlite3

from storage import audit, rowimage, schema
from storage.ids import new_id

ACTION = "seal"
TABLE = "record_seals"


def digest(conn: sqlite3.Connection) -> tuple[int, str]:
    """(rows, SHA-256 over the sorted ``table id hash`` lines) of ``record_seals``."""
    sha = hashlib.sha256()
    count = 0
    for table, record_id, row_hash in conn.execute(
            f"SELECT table_name, record_id, row_hash FROM {TABLE}"
            " ORDER BY table_name, record_id"):
        sha.update(f"{table}\t{record_id}\t{row_hash}\n".encode())
        count += 1
    return count, sha.hexdigest()


def own_rows(conn: sqlite3.Connection, station_code: str) -> list[tuple[str, str, str]]:
    """(table, id, after-image hash) of every record of this station, tombstones included."""
    out: list[tuple[str, str, str]] = []
    for table in schema.record_tables(conn):
        defaults = rowimage.column_defaults(conn, table)
        cur = conn.execute(f"SELECT * FROM {table} WHERE station_code = ?", (station_code,))
        names = [d[0] for d in cur.description]
        for row in cur:
            values = dict(zip(names, row, strict=True))
            out.append((table, str(values["id"]), rowimage.row_hash(values, defaults)))
    return out


def seal(conn: sqlite3.Connection, station_code: str, *, at: str, actor: str,
         reason: str) -> int:
    """Replace the seal by one of every record as it stands now and append its entry; returns the
    number of records sealed (nothing is written for a register without records)."""
    rows = own_rows(conn, station_code) if station_code else []
    conn.execute(f"DELETE FROM {TABLE}")
    if not rows:
        return 0
    conn.executemany(f"INSERT INTO {TABLE}(table_name, record_id, row_hash) VALUES (?, ?, ?)",
                     rows)
    count, hexdigest = digest(conn)
    audit.append(conn, {
        "entry_id": new_id(), "station_code": station_code, "at": at, "actor": actor,
        "action": ACTION, "table_name": TABLE, "record_id": reason, "before": None,
        "after": {"rows": count, "digest": hexdigest}})
    return count
