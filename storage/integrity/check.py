"""`check`: integrity of the database file, of the audit chain, and of the backups."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from storage import audit, backup
from storage.errors import KnownStorageError
from storage.i18n import _
from storage.register import Register
from storage.sync import segments


@dataclass
class CheckReport:
    database_ok: bool
    audit_entries: int
    audit_broken_at: int | None
    audit_head: str
    backups: list[tuple[str, bool]] = field(default_factory=list)  # (file name, sound)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(reg: Register, data_dir: Path | None) -> CheckReport:
    result = reg.conn.execute("PRAGMA integrity_check").fetchone()[0]
    chain = audit.verify(reg.conn)
    report = CheckReport(result == "ok", chain.entries, chain.broken_at, chain.head)
    if result != "ok":
        report.problems.append(_("数据库完整性检查未通过：{detail}").format(detail=result))
    if not chain.ok:
        report.problems.append(_("审计日志在第{seq}条处被改动过，之后的记录无法验证。").format(
            seq=chain.broken_at))
    for sender in segments.senders(reg):
        received = segments.verify(reg, sender)
        if not received.ok:
            report.problems.append(_("从{sender}收到的审计记录在第{n}条处对不上，之后的记录无法验证。"
                                     ).format(sender=sender, n=received.broken_at))
    if data_dir is not None:
        for info in backup.list_backups(data_dir):
            try:
                backup.check_file(info.path)
                report.backups.append((info.path.name, True))
            except KnownStorageError:
                report.backups.append((info.path.name, False))
                report.problems.append(_("备份文件已损坏：{name}").format(name=info.path.name))
        if not report.backups:
            report.problems.append(_("还没有任何备份。"))
    return report
