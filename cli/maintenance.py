"""Maintenance: ``check`` (database, audit chain, backups), ``backup``, ``restore``."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.common import SubParsers, emit, open_for_cli
from storage.i18n import _
from storage.paths import data_dir_of


def cmd_check(args: argparse.Namespace) -> int:
    from storage import integrity

    reg = open_for_cli(args)
    try:
        report = integrity.check(reg, reg.path.parent if reg.path else None)
    finally:
        reg.close()
    text = [_("数据库：{s}").format(s=_("正常") if report.database_ok else _("有问题")),
            _("审计日志：{n}条，{s}").format(n=report.audit_entries, s=_("链条完整")
                                          if report.audit_broken_at is None else _("链条断裂")),
            _("备份：{n}个").format(n=len(report.backups))] + report.problems
    emit(args, dict(ok=report.ok, database_ok=report.database_ok,
                    audit_entries=report.audit_entries, audit_broken_at=report.audit_broken_at,
                    audit_head=report.audit_head, backups=report.backups,
                    problems=report.problems), "\n".join(text))
    return 0 if report.ok else 1


def cmd_backup(args: argparse.Namespace) -> int:
    from storage import backup

    reg = open_for_cli(args)
    try:
        assert reg.path is not None
        path = backup.make_backup(reg.conn, reg.path.parent, reason="manual",
                                  to_dir=Path(args.to))
    finally:
        reg.close()
    emit(args, {"path": str(path)}, str(path))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from storage import restore

    data_dir = data_dir_of(args.data_dir)
    result = restore.restore(Path(args.file), data_dir)
    emit(args, {"restored": str(result.backup), "taken_at": result.taken_at,
                "reason": result.reason, "counts": result.counts,
                "checksum_verified": result.checksum_verified,
                "previous_set_aside_in": str(result.set_aside) if result.set_aside else None},
         result.summary())
    return 0


def add_commands(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check", parents=[common], help=_("检查数据库、审计链和备份是否完好"))
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("backup", parents=[common], help=_("立即备份到指定目录"))
    p.add_argument("--to", required=True)
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", parents=[common],
                       help=_("用备份文件替换登记库（先核对备份；原文件移到 set-aside 目录；请先关闭程序）"))
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)
