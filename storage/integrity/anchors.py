"""Is this station's audit log the one the program left? A chain that verifies proves only that
it agrees with itself: someone who cuts its newest entries, wipes it, or appends entries hashed
the right way leaves a chain that verifies. The heads kept outside the log say otherwise:

- the local anchor file (``storage.anchor``), written after every action: its entry must be in
  the log with the same hash, and the log must end there;
- every backup's sidecar (``storage.backup``): the head of the copy must be a point of the log
  (unless the register was restored after that backup was made);
- every bundle sent (``sync_exports``): the entry it ended with must still be in the log, with
  the hash the bundle carried to the county (the county keeps it too — `storage/sync`);
- a printed monthly report: its footer names the head (seq and short hash), which
  :func:`paper_head` compares.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from storage import anchor, audit, backup, seals
from storage.anchor import Head
from storage.i18n import _
from storage.restore import SET_ASIDE


def _hash_at(conn: sqlite3.Connection, station_code: str, seq: int) -> str | None:
    if seq == 0:
        return audit.GENESIS
    row = conn.execute("SELECT hash FROM audit_log WHERE seq = ? AND station_code = ?",
                       (seq, station_code)).fetchone()
    return None if row is None else str(row[0])


def _against(conn: sqlite3.Connection, station_code: str, held: Head, now: Head,
             where: str) -> list[str]:
    found = _hash_at(conn, station_code, held.seq)
    if found is None:
        if now.seq == 0:
            return [_("审计日志已被清空：{where}记载它至少有{seq}条。").format(
                where=where, seq=held.seq)]
        return [_("审计日志的最新部分被删去了：{where}记载到第{seq}条，日志现在只到第{now}条。"
                  ).format(where=where, seq=held.seq, now=now.seq)]
    if found != held.hash:
        return [_("审计日志被改写过：第{seq}条与{where}记载的不一致。").format(
            where=where, seq=held.seq)]
    return []


def verify_local(conn: sqlite3.Connection, station_code: str, data_dir: Path) -> list[str]:
    """The log against the anchor file beside the register."""
    now = anchor.current(conn, station_code)
    held = anchor.read(data_dir)
    where = _("本机链头记录（{name}）").format(name=anchor.FILE_NAME)
    if held is None:
        if (data_dir / anchor.FILE_NAME).exists():
            return [_("本机链头记录（{name}）已损坏，无法核对审计日志是否完整。").format(
                name=anchor.FILE_NAME)]
        # An older register has none until its first action after the upgrade (whose entry
        # then follows the seal); after that, a missing file is itself a finding.
        newest = conn.execute("SELECT action FROM audit_log WHERE station_code = ?"
                              " ORDER BY seq DESC LIMIT 1", (station_code,)).fetchone()
        if newest is None or newest[0] == seals.ACTION:
            return []
        return [_("本机链头记录（{name}）不见了，无法核对审计日志的最新部分。").format(
            name=anchor.FILE_NAME)]
    problems = _against(conn, station_code, held, now, where)
    if not problems and now.seq > held.seq:
        extra = int(conn.execute("SELECT count(*) FROM audit_log WHERE station_code = ?"
                                 " AND seq > ?", (station_code, held.seq)).fetchone()[0])
        problems.append(_("审计日志在{where}之后多出{n}条记录，不是本程序写入的。").format(
            where=where, n=extra))
    return problems


def verify_exports(conn: sqlite3.Connection, station_code: str) -> list[str]:
    """The log against the head of every bundle sent."""
    now = anchor.current(conn, station_code)
    problems: list[str] = []
    for seq, to_seq, head in conn.execute(
            "SELECT seq, audit_to_seq, audit_head FROM sync_exports ORDER BY seq"):
        where = _("第{n}号数据包").format(n=seq)
        found = _against(conn, station_code, Head(int(to_seq), str(head)), now, where)
        if found:
            problems.extend(found)
            break  # the earliest one says it; the later ones only repeat it
    return problems


def _restored_since(data_dir: Path) -> datetime | None:
    """When the register was last replaced by a backup on purpose (its set-aside folder)."""
    stamps = []
    for folder in (data_dir / SET_ASIDE).glob("*"):
        try:
            stamps.append(datetime.strptime(folder.name, "%Y%m%d-%H%M%S-%f"))
        except ValueError:
            continue
    return max(stamps, default=None)


def verify_backups(conn: sqlite3.Connection, station_code: str, data_dir: Path) -> list[str]:
    """The log against the head each backup's sidecar recorded: a backup made before the last
    restore may be ahead of the log on purpose; every other one must be a point of it."""
    now = anchor.current(conn, station_code)
    restored = _restored_since(data_dir)
    for info in sorted(backup.list_backups(data_dir), key=lambda i: i.taken_at):
        head = (info.sidecar or {}).get("audit_head")
        if not isinstance(head, dict) or (restored is not None and info.taken_at <= restored):
            continue
        try:
            held = Head(int(head["seq"]), str(head["hash"]))
        except (KeyError, TypeError, ValueError):
            continue
        where = _("备份{name}").format(name=info.path.name)
        found = _against(conn, station_code, held, now, where)
        if found:
            return found
    return []


def paper_head(conn: sqlite3.Connection, station_code: str, seq: int, short: str) -> bool:
    """Does the log hold, at entry ``seq``, the hash a printout names by its first digits?"""
    found = _hash_at(conn, station_code, seq)
    return found is not None and len(short) >= 8 and found.startswith(short.lower())
