"""Record identifiers: ULIDs made once at the station, sortable by creation time."""

from __future__ import annotations

import secrets

# Query codes are read aloud and typed by petitioners: no 0/O, 1/I/L.
_QUERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_id() -> str:
    from ulid import ULID  # here, not at the top: 0.1 s off every start-up (issue 15)

    return str(ULID())


def new_query_code(length: int = 8) -> str:
    return "".join(secrets.choice(_QUERY_ALPHABET) for _ in range(length))
