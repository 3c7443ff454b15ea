"""What an audit entry says about the record it changed, beyond the changed values: the hash of
the whole row as the write left it (its *after-image*), so that `check` can prove every live
record is exactly what its last entry says (docs/architecture.md §3, §7.1) — and which columns
are secrets that never enter the log.

The hash is SHA-256 over the canonical JSON of every column of the row, bookkeeping included
(a changed ``version``, ``deleted`` or ``station_code`` counts as much as a changed summary),
columns at their default left out (see :func:`row_hash`).
A secret (a password hash) is part of that row like any other value; the entry itself holds
only :data:`WITHHELD` in its place, so the log proves the secret unchanged without revealing it
(an Argon2 hash cannot be attacked through a SHA-256 of the row that contains it: the salt is
in the Argon2 hash, which the log does not hold).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Mapping
from typing import Any

import orjson

from storage.audit import canonical_json

#: The key of an entry's ``after`` (and ``before``) that holds the hash of the row as written
#: (and as found). Not a possible column name, so it never collides with a changed value.
ROW_KEY = "@row"
#: What an entry holds in place of a secret value.
WITHHELD = "<withheld>"
#: Columns that hold secrets, per table. Their values are never written into the audit log.
SECRET_COLUMNS: dict[str, frozenset[str]] = {"users": frozenset({"password_hash"})}


Defaults = Mapping[str, Any]
_NO_DEFAULT = object()


def _literal(sql: str | None) -> Any:
    """The value of a column's DEFAULT clause when it is a constant, else ``_NO_DEFAULT``."""
    if sql is None or sql.upper() == "NULL":
        return None
    if len(sql) >= 2 and sql[0] == sql[-1] == "'":
        return sql[1:-1].replace("''", "'")
    for kind in (int, float):
        try:
            return kind(sql)
        except ValueError:
            pass
    return _NO_DEFAULT


def column_defaults(conn: sqlite3.Connection, table: str) -> dict[str, Any]:
    """{column: its constant default} (no DEFAULT clause: NULL)."""
    out: dict[str, Any] = {}
    for _cid, name, _type, _notnull, default, _pk in conn.execute(f"PRAGMA table_info({table})"):
        value = _literal(default)
        if value is not _NO_DEFAULT:
            out[name] = value
    return out


def row_hash(row: Mapping[str, Any], defaults: Defaults) -> str:
    """The image hash of a row given as {column: value} (every column of the table).

    Columns holding their table's default are left out, so a later migration that adds a column
    with a default leaves every existing row's image as it was; a value changed to or from the
    default still changes the image (the column appears or disappears)."""
    values = {k: v for k, v in row.items()
              if not (k in defaults and v == defaults[k] and type(v) is type(defaults[k]))}
    try:
        # orjson writes canonical JSON for the values a row holds (text, integers, reals,
        # NULL) several times faster than the reference encoder; `check` hashes every row
        text = orjson.dumps(values, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # a BLOB (no record table has one today)
        text = canonical_json({k: (v.hex() if isinstance(v, bytes) else v)
                               for k, v in values.items()}).encode("utf-8")
    return hashlib.sha256(text).hexdigest()


def read_row(conn: sqlite3.Connection, table: str, record_id: str) -> dict[str, Any] | None:
    """The row as stored, every column (None if there is no such row)."""
    cur = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (record_id,))
    found = cur.fetchone()
    if found is None:
        return None
    return dict(zip([d[0] for d in cur.description], found, strict=True))


def scrub(table: str, values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """``values`` as they may enter the log: secret columns replaced by :data:`WITHHELD`."""
    if values is None:
        return None
    secret = SECRET_COLUMNS.get(table, frozenset())
    return {k: (WITHHELD if k in secret and v is not None else v) for k, v in values.items()}


def with_image(table: str, values: Mapping[str, Any] | None,
               row: Mapping[str, Any], defaults: Defaults) -> dict[str, Any]:
    """An entry's ``after`` (or ``before``): the scrubbed values plus the hash of the whole row
    as the write left it (or found it). The image in ``before`` must equal the previous entry's
    in ``after``, so a change made between two writes stays visible in the log."""
    out = scrub(table, values) or {}
    out[ROW_KEY] = row_hash(row, defaults)
    return out
