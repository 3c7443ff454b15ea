"""`check`: integrity of the database file, of the audit chain and the records it covers, of the
chain's head against the anchors outside the log, and of the backups. Every finding is one plain
sentence; a register too damaged to read is one of them, never a traceback."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from storage import anchor, audit, backup, matter_progress
from storage.errors import KnownStorageError, plain_storage_errors
from storage.i18n import _
from storage.integrity import anchors
from storage.integrity.records import RecordsReport, verify_records
from storage.register import Register
from storage.sync import segments

log = logging.getLogger(__name__)
#: matters named when the progress summary disagrees with the events
PROGRESS_SHOWN = 5


@dataclass
class CheckReport:
    database_ok: bool
    audit_entries: int
    audit_broken_at: int | None
    audit_head: str
    backups: list[tuple[str, bool]] = field(default_factory=list)  # (file name, sound)
    problems: list[str] = field(default_factory=list)
    records_checked: int = 0
    audit_seq: int = 0  # local seq of the head entry (what the printed report shows)
    deep: bool = False
    progress_repaired: int | None = None  # rows the repair wrote (None: no repair was needed)

    @property
    def ok(self) -> bool:
        return not self.problems


# What can go wrong reading a damaged file: SQLite's errors, undecodable text or JSON, values of
# the wrong type where a flipped byte changed one.
UNREADABLE = (sqlite3.Error, ValueError, TypeError, KeyError, IndexError, OverflowError)


def _step(report: CheckReport, what: str, run: Callable[[], None]) -> None:
    """Run one part of the check; if the file cannot be read that far, say so in one line."""
    try:
        run()
    except UNREADABLE as exc:
        log.warning("check: %s failed: %r", what, exc)
        report.database_ok = False
        report.problems.append(_("登记库已损坏，无法完成检查（{what}）。请用“恢复备份”从最近的"
                                 "备份恢复。").format(what=what))


def _backups(report: CheckReport, data_dir: Path) -> None:
    for info in backup.list_backups(data_dir):
        try:
            backup.check_file(info.path)
            report.backups.append((info.path.name, True))
        except (KnownStorageError, OSError):
            report.backups.append((info.path.name, False))
            report.problems.append(_("备份文件已损坏：{name}").format(name=info.path.name))
    if not report.backups:
        report.problems.append(_("还没有任何备份。"))


def check(reg: Register, data_dir: Path | None, *, deep: bool = False,
          repair: bool = False) -> CheckReport:
    """``deep``: SQLite's full ``integrity_check`` (every page and index) instead of the quicker
    ``quick_check``. ``repair``: a progress summary that disagrees with the events is rebuilt
    from them — after the chain head was compared with its anchors, and without writing the
    anchor (see ``_rebuild_progress``)."""
    report = CheckReport(True, 0, None, audit.GENESIS, deep=deep)

    def database() -> None:
        pragma = "integrity_check" if deep else "quick_check"
        result = str(reg.conn.execute(f"PRAGMA {pragma}").fetchone()[0])
        if result != "ok":
            report.database_ok = False
            report.problems.append(_("数据库完整性检查未通过：{detail}").format(detail=result))

    def chain() -> None:
        found = audit.verify(reg.conn)
        report.audit_entries, report.audit_broken_at = found.entries, found.broken_at
        report.audit_head = found.head
        if not found.ok:
            report.problems.append(_("审计日志在第{seq}条处被改动过，之后的记录无法验证。").format(
                seq=found.broken_at))
        for sender in segments.senders(reg):
            received = segments.verify(reg, sender)
            if not received.ok:
                report.problems.append(_("从{sender}收到的审计记录在第{n}条处对不上，之后的记录无法验证。"
                                         ).format(sender=sender, n=received.broken_at))

    def records() -> None:
        found: RecordsReport = verify_records(reg.conn, reg.station_code)
        report.records_checked = found.checked
        report.problems.extend(found.problems())

    def heads() -> None:
        code = reg.station_code
        report.audit_seq = anchor.current(reg.conn, code).seq
        if data_dir is not None:
            report.problems.extend(anchors.verify_local(reg.conn, code, data_dir))
            report.problems.extend(anchors.verify_backups(reg.conn, code, data_dir))
        report.problems.extend(anchors.verify_exports(reg.conn, code))

    def progress() -> None:
        wrong = matter_progress.differing(reg.conn, limit=PROGRESS_SHOWN + 1)
        if wrong and repair:
            report.progress_repaired = _rebuild_progress(reg)
            wrong = matter_progress.differing(reg.conn, limit=PROGRESS_SHOWN + 1)
        if wrong:
            numbers = [str(reg.scalar("SELECT coalesce(number, ?) FROM matters WHERE id = ?",
                                      (m, m)) or m) for m in wrong[:PROGRESS_SHOWN]]
            more = _("等") if len(wrong) > PROGRESS_SHOWN else ""
            report.problems.append(_(
                "统计报表所用的办理进度汇总与事件记录对不上（{numbers}{more}），报表数字可能不准。"
                "运行 check --repair 按事件记录重建汇总，不改动任何记录。").format(
                    numbers="、".join(numbers), more=more))

    _step(report, _("数据库文件"), database)
    _step(report, _("审计日志"), chain)
    _step(report, _("记录与审计日志核对"), records)
    _step(report, _("链头核对"), heads)
    _step(report, _("统计汇总核对"), progress)
    if data_dir is not None:
        _step(report, _("备份"), lambda: _backups(report, data_dir))
    return report


def _rebuild_progress(reg: Register) -> int:
    """Rebuild ``matter_progress`` from the events in one transaction (derived rows only: no
    record, no audit entry); the rows written. Not through ``Register.transaction``: after a
    commit that anchors the chain head outside the file, and a check must never overwrite the
    evidence it compares the log with (a truncated log would pass from then on)."""
    with plain_storage_errors(reg.path), reg.db.atomic():
        return matter_progress.rebuild(reg.conn)
