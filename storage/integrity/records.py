"""Do the records equal what the audit log says they are? For every record of this station the
last entry about it (or, for records older than entries with after-images, the seal of
``storage.seals``) states the hash of the whole row as written; the live row must hash to it.

What this finds, each as a plain sentence naming the record:

- a row changed outside the program (a summary, an ID number, a role, a password hash, a
  tombstone taken back, a damaged page) — its hash differs;
- a row removed from its table (a hard delete) — an entry or the seal names it, the row is gone;
- a row with no entry at all (inserted outside the program, or whose entries were removed);
- a seal table that does not match the digest its chained entry states.

Rows of other stations (received in bundles) are proved by their senders' chains, not here.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from storage import rowimage, schema, seals
from storage.i18n import N_, _

#: Plain names of the record tables people know; others are named by the table.
TABLE_LABELS = {
    "users": N_("账号"), "petitioners": N_("信访人"), "matters": N_("信访事项"),
    "matter_events": N_("事项办理记录"), "matter_petitioners": N_("事项信访人"),
    "mediations": N_("调解案件"), "mediation_parties": N_("调解当事人"),
    "screening_reports": N_("排查报告"), "disputes": N_("矛盾纠纷"),
    "villages": N_("村（社区）"), "grids": N_("网格"), "codes": N_("分类代码"),
    "stations": N_("工作站"),
}


@dataclass
class RecordsReport:
    checked: int = 0
    changed: list[tuple[str, str]] = field(default_factory=list)
    vanished: list[tuple[str, str]] = field(default_factory=list)
    unrecorded: list[tuple[str, str]] = field(default_factory=list)
    seal_ok: bool = True

    @property
    def ok(self) -> bool:
        return self.seal_ok and not (self.changed or self.vanished or self.unrecorded)

    def problems(self, limit: int = 10) -> list[str]:
        """Plain sentences, at most ``limit`` naming single records per kind."""
        out: list[str] = []
        if not self.seal_ok:
            out.append(_("记录封存表与审计日志中的封存摘要不符：封存的记录被改动过。"))
        for found, message, more in (
                (self.changed, N_("{what} {id} 被程序以外的方式改动过（与审计日志记载的不一致）。"),
                 N_("另有{n}条记录被程序以外的方式改动过。")),
                (self.vanished, N_("{what} {id} 已从登记库中消失（审计日志有记载，却没有删除记录）。"),
                 N_("另有{n}条记录已从登记库中消失。")),
                (self.unrecorded, N_("{what} {id} 在审计日志中没有任何记载。"),
                 N_("另有{n}条记录在审计日志中没有任何记载。"))):
            for table, record_id in found[:limit]:
                out.append(_(message).format(what=label(table), id=record_id))
            if len(found) > limit:
                out.append(_(more).format(n=len(found) - limit))
        return out


def label(table: str) -> str:
    return _(TABLE_LABELS[table]) if table in TABLE_LABELS else table


_PREFIX = '{"' + rowimage.ROW_KEY + '":"'
_END = len(_PREFIX) + 64


def _image(text: str | None) -> str | None:
    """The row image an entry's before/after states. The program writes them as canonical JSON
    (sorted keys), where ``@row`` sorts before every column name, so the image is always at the
    start: reading 75 characters is enough (the query asks for no more), and a text that does
    not start so states no image."""
    if text is None or len(text) < _END + 1 or not text.startswith(_PREFIX) \
            or text[_END] != '"':
        return None
    return text[len(_PREFIX):_END]


def _seal(conn: sqlite3.Connection, station_code: str,
          report: RecordsReport) -> tuple[int, dict[tuple[str, str], str]]:
    """(seq of the newest seal entry or 0, the sealed hashes); a mismatch is noted."""
    found = conn.execute(
        "SELECT seq, after FROM audit_log WHERE station_code = ? AND action = ?"
        " ORDER BY seq DESC LIMIT 1", (station_code, seals.ACTION)).fetchone()
    sealed = {(str(t), str(i)): str(h) for t, i, h in conn.execute(
        f"SELECT table_name, record_id, row_hash FROM {seals.TABLE}")}
    if found is None:
        report.seal_ok = not sealed
        return 0, {}
    try:
        stated = json.loads(found[1])
        report.seal_ok = [stated["rows"], stated["digest"]] == list(seals.digest(conn))
    except (ValueError, TypeError, KeyError):
        report.seal_ok = False
    return int(found[0]), sealed


def verify_records(conn: sqlite3.Connection, station_code: str) -> RecordsReport:
    """Walk this station's chain once: each entry's image of the row as found must equal the
    image the record's previous entry (or the seal) left; then every record of ``station_code``
    (and every row any of its entries names) must hash to its last image."""
    report = RecordsReport()
    tables = set(schema.record_tables(conn))
    seal_seq, sealed = _seal(conn, station_code, report)
    # key -> image the last entry (or the seal) left; None: an entry that states none
    last: dict[tuple[str, str], str | None] = {}
    between: set[tuple[str, str]] = set()
    sealed_in = seal_seq == 0
    for seq, table, record_id, before, after in conn.execute(
            f"SELECT seq, table_name, record_id, substr(before, 1, {_END + 1}),"
            f" substr(after, 1, {_END + 1}) FROM audit_log WHERE station_code = ? ORDER BY seq",
            (station_code,)):
        if not sealed_in and seq >= seal_seq:
            last.update(sealed)  # the seal stands for every record as it was then
            sealed_in = True
        if table not in tables:
            continue
        key = (str(table), str(record_id))
        found = _image(before)
        if found is not None and key in last and last[key] != found and key not in between:
            between.add(key)
            report.changed.append(key)
        last[key] = _image(after)
    if not sealed_in:
        last.update(sealed)
    for table in sorted(tables):
        defaults = rowimage.column_defaults(conn, table)
        cur = conn.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cur.description]
        for row in cur:
            values = dict(zip(names, row, strict=True))
            key = (table, str(values["id"]))
            if key not in last:
                if values["station_code"] == station_code:
                    report.checked += 1
                    report.unrecorded.append(key)
                continue  # another station's record, proved by its sender's chain
            report.checked += 1
            if last.pop(key) != rowimage.row_hash(values, defaults) and key not in between:
                report.changed.append(key)
    report.vanished.extend(sorted(last))
    return report
