"""Conflicts a person decides: the same record, same version, different content (or an incoming
row a uniqueness rule refused). Nothing is overwritten until someone chooses.

Choosing the incoming version at the county replaces the row as it is (the county never edits a
station's records, and must not start a chain entry under the station's code); at a township it
becomes a new version through the ordinary write path, so the decision travels on to the county.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from storage import audit
from storage.errors import ValidationError
from storage.i18n import _
from storage.ids import new_id
from storage.register import Register
from storage.schema import BOOKKEEPING
from storage.sync import hooks

DECIDE_ROLES = ("head", "county")


@dataclass(frozen=True)
class Conflict:
    id: int
    kind: str
    table_name: str
    record_id: str
    version: int
    sender: str
    local: dict[str, Any] | None
    incoming: dict[str, Any]
    detail: str
    detected_at: str
    status: str

    @property
    def record_text(self) -> str:
        """What a person recognises the record by: its number, title or name, else its id."""
        row = {**(self.local or {}), **self.incoming}
        for key in ("number", "title", "name", "summary"):
            if row.get(key):
                return str(row[key])[:30]
        return self.record_id

    def differences(self) -> list[tuple[str, Any, Any]]:
        """(column, here, incoming) for every data column that differs."""
        local = self.local or {}
        return [(c, local.get(c), v) for c, v in self.incoming.items()
                if c not in BOOKKEEPING and local.get(c) != v]


def _conflict(row: dict[str, Any]) -> Conflict:
    return Conflict(row["id"], row["kind"], row["table_name"], row["record_id"], row["version"],
                    row["sender"], None if row["local_row"] is None else json.loads(row["local_row"]),
                    json.loads(row["incoming_row"]), row["detail"], row["detected_at"], row["status"])


def conflicts(reg: Register, *, status: str | None = "open") -> list[Conflict]:
    sql = "SELECT * FROM sync_conflicts"
    params: tuple[str, ...] = ()
    if status:
        sql += " WHERE status = ?"
        params = (status,)
    return [_conflict(r) for r in reg.rows(sql + " ORDER BY detected_at, id", params)]


def get(reg: Register, conflict_id: int) -> Conflict:
    rows = reg.rows("SELECT * FROM sync_conflicts WHERE id = ?", (conflict_id,))
    if not rows:
        raise ValidationError(_("找不到这条冲突记录。"))
    return _conflict(rows[0])


def _take_incoming(reg: Register, conflict: Conflict) -> None:
    row = reg.rows(f"SELECT version, deleted FROM {conflict.table_name} WHERE id = ?", (conflict.record_id,))
    if not row or row[0]["version"] != conflict.version or row[0]["deleted"]:
        raise ValidationError(_("这条记录在此之后已经有了更新的版本，请刷新冲突列表。"))
    if reg.mode == "county":
        cols = [k for k in conflict.incoming if k != "id" and k in reg.columns(conflict.table_name)]
        reg.conn.execute(
            f"UPDATE {conflict.table_name} SET {', '.join(f'{k} = ?' for k in cols)} WHERE id = ?",
            [conflict.incoming[k] for k in cols] + [conflict.record_id])
    else:
        reg.update(conflict.table_name, conflict.record_id,
                   {k: v for k, v in conflict.incoming.items() if k not in BOOKKEEPING})


def decide(reg: Register, conflict_id: int, choice: str) -> Conflict:
    """``choice`` is 'local' (keep the row here) or 'incoming' (take the bundle's version)."""
    reg.require_role(*DECIDE_ROLES)
    c = get(reg, conflict_id)
    if c.status != "open":
        raise ValidationError(_("这条冲突已经处理过了。"))
    if choice not in ("local", "incoming"):
        raise ValidationError(_("请选择保留哪一个版本。"))
    if choice == "incoming" and c.kind == "duplicate":
        raise ValidationError(_("导入的这条记录与本机另一条记录重复（编号等相同），只能保留本机版本；"
                                "如确需采用，请与该站核对后由该站修改。"))
    with reg.transaction():
        if choice == "incoming":
            _take_incoming(reg, c)
            hooks.after_merge(reg, {c.table_name: {c.record_id}})
        reg.conn.execute(
            "UPDATE sync_conflicts SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?",
            ("took_incoming" if choice == "incoming" else "kept_local", reg.now(),
             reg.actor.username, conflict_id))
        audit.append(reg.conn, {
            "entry_id": new_id(), "station_code": reg.station_code, "at": reg.now(),
            "actor": reg.actor.username, "action": "sync-decide", "table_name": "sync_conflicts",
            "record_id": str(conflict_id), "before": None,
            "after": {"table": c.table_name, "record_id": c.record_id, "version": c.version,
                      "choice": choice}})
    return get(reg, conflict_id)
