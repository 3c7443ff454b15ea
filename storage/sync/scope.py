"""What a liaison laptop holds and may send back, worked out from the schema rather than listed
by name: the liaison's grids, their villages, the station's reference tables, and every synced
table that hangs off grids through foreign keys (screening reports, disputes, their updates —
and whatever later migrations add under them)."""

from __future__ import annotations

from typing import Any

from storage import schema
from storage.register import Register
from storage.sync.payload import TableRows

# Given whole to a liaison laptop, read-only there.
REFERENCE_TABLES = ("stations", "codes", "month_locks")


def foreign_keys(reg: Register, table: str) -> list[tuple[str, str]]:
    """(column, referenced table) pairs of ``table``."""
    return [(r[3], r[2]) for r in reg.conn.execute(f"PRAGMA foreign_key_list({table})")]


def grid_scoped_tables(reg: Register) -> list[str]:
    """Synced tables reachable from ``grids`` by following foreign keys to their children."""
    synced = schema.record_tables(reg.conn, synced_only=True)
    reached = {"grids"}
    grew = True
    while grew:
        grew = False
        for t in synced:
            if t not in reached and any(ref in reached for _col, ref in foreign_keys(reg, t)):
                reached.add(t)
                grew = True
    return [t for t in synced if t in reached and t != "grids"]


def _rows(reg: Register, table: str) -> tuple[list[str], list[list[Any]]]:
    cur = reg.conn.execute(f"SELECT * FROM {table} WHERE station_code = ? ORDER BY id",
                           (reg.station_code,))
    return [d[0] for d in cur.description], [list(r) for r in cur.fetchall()]


def liaison_grids(reg: Register, user_id: str) -> set[str]:
    return {r[0] for r in reg.conn.execute(
        "SELECT id FROM grids WHERE liaison_id = ? AND deleted = 0 AND station_code = ?",
        (user_id, reg.station_code))}


def starter_tables(reg: Register, user_id: str) -> list[TableRows]:
    """The rows a new liaison laptop starts from, parents before children."""
    grid_ids = liaison_grids(reg, user_id)
    included: dict[str, set[Any]] = {}
    out: list[TableRows] = []
    cols, rows = _rows(reg, "grids")
    grid_rows = [r for r in rows if r[cols.index("id")] in grid_ids]
    village_ids = {r[cols.index("village_id")] for r in grid_rows}
    included["grids"] = grid_ids
    scoped = grid_scoped_tables(reg)
    for table in schema.record_tables(reg.conn, synced_only=True):
        if table == "grids":
            out.append(TableRows(table, cols, grid_rows))
            continue
        tcols, trows = _rows(reg, table)
        if table == "villages":
            keep = [r for r in trows if r[tcols.index("id")] in village_ids]
        elif table in REFERENCE_TABLES:
            keep = trows
        elif table in scoped:
            links = [(tcols.index(c), ref) for c, ref in foreign_keys(reg, table)
                     if ref in included]
            keep = [r for r in trows if any(r[i] in included[ref] for i, ref in links)]
        else:
            continue
        included[table] = {r[tcols.index("id")] for r in keep}
        if keep:
            out.append(TableRows(table, tcols, keep))
    return out
