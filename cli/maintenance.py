"""Maintenance: ``check`` (database, audit chain, backups), ``backup``, ``restore``,
``compact``."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from cli.common import SubParsers, emit, open_for_cli
from storage.errors import PetitionDeskError
from storage.i18n import _
from storage.paths import data_dir_of

log = logging.getLogger(__name__)


def _paper_head(text: str) -> tuple[int, str]:
    """``SEQ:HASH`` as printed in a monthly report's footer (e.g. ``1234:3fa9c2d1e0b7``)."""
    seq, _sep, short = text.partition(":")
    if not seq.strip().isdigit() or len(short.strip()) < 8 or len(seq.strip()) > 12:
        raise PetitionDeskError(_("链头的写法是“条数:哈希前几位”，例如 1234:3fa9c2d1e0b7。"))
    return int(seq), short.strip()


def cmd_check(args: argparse.Namespace) -> int:
    from storage import integrity

    paper = _paper_head(args.head) if args.head else None
    try:
        reg = open_for_cli(args)
    except integrity.UNREADABLE as exc:
        # too damaged to open at all: that is the finding, said plainly (the detail is logged)
        log.warning("check: cannot open the register: %r", exc)
        raise PetitionDeskError(_("登记库已损坏，无法打开。请用“恢复备份”从最近的备份恢复。")
                                ) from None
    try:
        report = integrity.check(reg, reg.path.parent if reg.path else None, deep=args.deep,
                                 repair=args.repair)
        paper_ok = None if paper is None else integrity.paper_head(
            reg.conn, reg.station_code, *paper)
        from storage import compact

        shape = compact.layout(reg.conn)
    except integrity.UNREADABLE as exc:
        log.warning("check: cannot read the register: %r", exc)
        raise PetitionDeskError(_("登记库已损坏，无法完成检查。请用“恢复备份”从最近的备份恢复。")
                                ) from None
    finally:
        reg.close()
    if paper_ok is False:
        report.problems.append(_("审计日志第{seq}条与打印件上的链头 {hash} 不一致：日志被改写或删减过。"
                                 ).format(seq=paper[0] if paper else 0,
                                          hash=paper[1] if paper else ""))
    text = [_("数据库：{s}").format(s=_("正常") if report.database_ok else _("有问题")),
            _("审计日志：{n}条，{s}").format(n=report.audit_entries, s=_("链条完整")
                                          if report.audit_broken_at is None else _("链条断裂")),
            _("链头：第{seq}条，{hash}").format(seq=report.audit_seq, hash=report.audit_head[:12]),
            _("已核对记录：{n}条").format(n=report.records_checked),
            _("备份：{n}个").format(n=len(report.backups))]
    if paper_ok:
        text.append(_("打印件上的链头与审计日志一致。"))
    if report.progress_repaired is not None:
        text.append(_("已按事件记录重建办理进度汇总（{n}行），记录未改动。").format(
            n=report.progress_repaired))
    if shape.worth_compacting:
        text.append(_("登记库文件中有 {free} 空闲空间：用“文件 → 整理登记库”或 main.py compact 整理后，"
                      "文件变小，统计读得更快。").format(free=compact.human_size(shape.free)))
    text += report.problems
    if report.ok:
        text.append(_("结论：未发现问题。"))
    else:
        text.append(_("结论：发现{n}个问题，见上。").format(n=len(report.problems)))
    emit(args, dict(ok=report.ok, database_ok=report.database_ok,
                    audit_entries=report.audit_entries, audit_broken_at=report.audit_broken_at,
                    audit_head=report.audit_head, audit_seq=report.audit_seq,
                    records_checked=report.records_checked, deep=report.deep,
                    paper_head_ok=paper_ok, backups=report.backups,
                    repaired_rows=report.progress_repaired, free_bytes=shape.free,
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


def cmd_compact(args: argparse.Namespace) -> int:
    """``compact``: the register written again, compact (storage/compact.py), with the bytes
    copied shown on the terminal as it goes (a million matters: about a minute)."""
    import sys

    from storage import compact

    data_dir = data_dir_of(args.data_dir)
    shown = [-1]

    def progress(done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        if not getattr(args, "json", False) and sys.stderr.isatty() and percent != shown[0]:
            shown[0] = percent
            print(f"\r{percent:3d}%", end="", file=sys.stderr, flush=True)

    result = compact.compact(data_dir, progress)
    if shown[0] >= 0:
        print(file=sys.stderr)
    emit(args, {"size_before": result.size_before, "size_after": result.size_after,
                "seconds": round(result.seconds, 1), "counts": result.counts},
         result.summary())
    return 0


def add_commands(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check", parents=[common],
                       help=_("检查数据库、审计链、记录与链头、备份是否完好"))
    p.add_argument("--deep", action="store_true",
                   help=_("逐页完整检查数据库文件（较慢）"))
    p.add_argument("--head", metavar="SEQ:HASH",
                   help=_("核对打印件（月报表页脚）上的链头，例如 1234:3fa9c2d1e0b7"))
    p.add_argument("--repair", action="store_true",
                   help=_("统计用的办理进度汇总与事件记录对不上时，按事件记录重建（不改动任何记录）"))
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("backup", parents=[common], help=_("立即备份到指定目录"))
    p.add_argument("--to", required=True)
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", parents=[common],
                       help=_("用备份文件替换登记库（先核对备份；原文件移到 set-aside 目录；请先关闭程序）"))
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser("compact", parents=[common],
                       help=_("整理登记库：重写文件，收回空闲空间，让统计读得更快（记录不变；请先关闭程序）"))
    p.set_defaults(func=cmd_compact)
