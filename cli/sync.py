"""Sync bundles (storage/sync): ``export`` to a stick, ``import`` from one (with receipts),
``sync-history`` and ``sync-conflicts``; the parsers of ``keys`` and ``liaison`` too, whose
handlers are in cli/sync_keys.py, so that ``--help`` lists the sync commands together."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cli.common import (
    SubParsers,
    emit,
    int_in,
    month_arg,
    open_for_cli,
    passphrase,
    passphrase_option,
    unlock_signing,
)
from cli.sync_keys import cmd_sync_keys, cmd_sync_liaison
from storage.errors import PetitionDeskError
from storage.i18n import _, join_list

if TYPE_CHECKING:  # imported when a command runs: starting the GUI stays light
    from storage.register import Register
    from storage.sync.importer import BundleReport


def sync_dirs(reg: Register) -> tuple[Path, Path]:
    """The register's data folder and its outbox (the bundles kept until confirmed)."""
    from storage.sync import outbox

    assert reg.path is not None
    return reg.path.parent, outbox.outbox_dir(reg.path.parent)


def cmd_sync_export(args: argparse.Namespace) -> int:
    from storage.sync import export

    reg = open_for_cli(args)
    if reg.mode == "county":
        return export_down(args, reg)
    try:
        _data, outbox = sync_dirs(reg)
        unlock_signing(reg)
        result = export.export(reg, args.month if args.month is not None else export.default_period(reg), Path(args.to),
                               outbox, include_unconfirmed=not args.only_new)
    finally:
        reg.close()
    b = result.bundle
    data = {"path": str(result.written[0]), "seq": b.seq, "period": b.period,
            "records": b.records, "audit_entries": b.audit_entries, "bundle_hash": b.bundle_hash,
            "also_written": [str(p) for p in result.written[1:]],
            "confirmed_by_receipt": result.confirmed_by_receipt,
            "unverified_receipts": result.unverified_receipts}
    emit(args, data, "\n".join(filter(None, [str(result.written[0]), result.receipt_note])))
    return 0


def export_down(args: argparse.Namespace, reg: Register) -> int:
    """At the county, ``export`` writes its 交办/督办 for the townships (``--station``: one)."""
    from storage.sync import downward

    try:
        _data, outbox = sync_dirs(reg)
        unlock_signing(reg)
        results = downward.export_down(reg, Path(args.to), outbox,
                                       townships=[args.station] if args.station else None,
                                       period=args.month, include_unconfirmed=not args.only_new)
    finally:
        reg.close()
    data = [{"township": r.code, "name": r.name,
             "bundle": r.bundle.file_name if r.bundle else None,
             "records": r.bundle.records if r.bundle else 0,
             "written": [str(p) for p in r.written]} for r in results]
    lines = [_("{name}：{what}").format(
        name=r.name, what=_("新数据包 {file}（{n}条记录）").format(file=r.bundle.file_name,
                                                            n=r.bundle.records)
        if r.bundle else _("没有新的交办督办")) + (
        _("，另再写{k}个尚未确认收到的").format(k=len(r.written) - bool(r.bundle))
        if len(r.written) > bool(r.bundle) else "") for r in results]
    emit(args, data, "\n".join(lines) or _("还没有可以发送的乡镇（需登记含接收密钥的乡镇公钥文件）。"))
    return 0


def cmd_sync_import(args: argparse.Namespace) -> int:
    from storage import upkeep
    from storage.sync import importer, keys, receipts

    files = [Path(f) for f in args.files]
    for f in files:
        if not f.exists():
            raise PetitionDeskError(_("找不到 {path}：U盘是否已插好，路径是否写对？").format(path=f))
    reg = open_for_cli(args)
    receipt_error = ""
    try:
        # Checked before importing, so that a refusal leaves the register as it was.
        if args.receipt_to and not args.dry_run:
            if not keys.has_signing_key(reg):
                raise PetitionDeskError(_("本单位还没有签名密钥，无法开具回执：请先运行 "
                                          "keys create-signing，或去掉 --receipt-to。"))
            if not Path(args.receipt_to).is_dir():
                raise PetitionDeskError(_("找不到写回执的文件夹 {path}。").format(
                    path=args.receipt_to))
            unlock_signing(reg)
        key = keys.unlock_receiving_key(reg, passphrase(args, _("接收密钥口令：")))
        data_dir, _outbox = sync_dirs(reg)
        reports = importer.import_bundles(reg, files, key, dry_run=args.dry_run,
                                          data_dir=data_dir)
        if any(r.status == "imported" for r in reports):
            upkeep.catch_up_quietly(reg.conn)  # what the import left unmerged
        written: list[str] = []
        if args.receipt_to and not args.dry_run:
            outcome = receipts.write_after_import(reg, reports, Path(args.receipt_to))
            written = [str(path) for path in outcome.paths]
            if outcome.error is not None:
                receipt_error = outcome.error.user_text()
    finally:
        reg.close()
    emit(args, {"dry_run": args.dry_run, "bundles": [r.to_json() for r in reports],
                "receipts": written, "receipt_error": receipt_error},
         "\n".join(import_lines(reports)))
    if receipt_error:
        print(_("错误：{message}").format(message=_("导入已完成，但回执没有写出：{error}").format(
            error=receipt_error)), file=sys.stderr)
        return 1
    return 1 if any(r.status == "refused" for r in reports) else 0


def import_lines(reports: list[BundleReport]) -> list[str]:
    """One line per bundle file, its figures and gaps below it."""
    from storage.sync import importer

    lines = []
    for r in reports:
        t = r.totals
        # "already" says all there is to say; a refusal's reason follows its status
        lines.append(f"{r.file_name}: {_(importer.STATUS_LABELS[r.status])}"
                     + (f" — {r.message}" if r.message and r.status != "already" else ""))
        if r.status in ("ready", "imported"):
            lines.append("  " + _("新增{c} 更新{u} 删除{d} 未变{n} 忽略{i} 冲突{x}").format(
                c=t.created, u=t.updated, d=t.deleted, n=t.unchanged, i=t.ignored,
                x=t.conflicts))
        if r.gaps:
            lines.append("  " + _("缺少第{seqs}号数据包").format(
                seqs=join_list(str(s) for s in r.gaps)))
    if not reports:
        lines.append(_("没有找到数据包（*.pdsync）。"))
    return lines


def cmd_sync_history(args: argparse.Namespace) -> int:
    from storage.sync import county

    reg = open_for_cli(args)
    try:
        hist = county.history(reg)
    finally:
        reg.close()
    data = [{"sender": h.sender, "name": h.name, "bundles": [vars(b) for b in h.bundles],
             "gaps": h.gaps, "missing_months": h.missing_months, "late_months": h.late_months}
            for h in hist]
    lines = []
    for h in hist:
        parts = [_("{n}个数据包").format(n=len(h.bundles))]
        if h.gaps:
            parts.append(_("缺第{seqs}号").format(seqs=join_list(map(str, h.gaps))))
        if h.missing_months:
            parts.append(_("缺{months}月份").format(months=join_list(h.missing_months)))
        if h.late_months:
            parts.append(_("{months}迟交").format(months=join_list(h.late_months)))
        if len(parts) == 1:
            parts.append(_("不缺号、不缺月"))
        lines.append(_("{name}（{sender}）: {bundles}").format(
            name=h.name, sender=h.sender, bundles=_("，").join(parts)))
    emit(args, data, "\n".join(lines) or _("还没有登记任何单位。"))
    return 0


def cmd_sync_conflicts(args: argparse.Namespace) -> int:
    from storage.sync import conflicts

    reg = open_for_cli(args)
    try:
        if args.decide is not None:
            conflicts.decide(reg, args.decide, args.keep)
        items = conflicts.conflicts(reg)
    finally:
        reg.close()
    data = [{"id": c.id, "kind": c.kind, "table": c.table_name, "record_id": c.record_id,
             "version": c.version, "sender": c.sender,
             "differences": [list(d) for d in c.differences()]} for c in items]
    lines = [f"#{c.id} {c.table_name} {c.record_id} v{c.version} ({c.sender}): "
             + "; ".join(f"{col}: {here!r} / {inc!r}" for col, here, inc in c.differences())
             for c in items]
    emit(args, data, "\n".join(lines) or _("没有待处理的冲突。"))
    return 0


def add_commands(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    secret = passphrase_option()
    p = sub.add_parser("export", parents=[common],
                       help=_("导出数据包到U盘或文件夹：上次导出以来的全部新增、修改和删除"))
    p.add_argument("--month", type=month_arg, help=_("数据包所属的月份，如 2026-03（默认：上个月）；"
                                     "内容总是上次导出以来的全部改动"))
    p.add_argument("--to", required=True, help=_("U盘或文件夹"))
    p.add_argument("--only-new", action="store_true",
                   help=_("只写新数据包，不再附带县里尚未确认收到的旧数据包"))
    p.add_argument("--station", metavar="CODE",
                   help=_("县级汇总库：只发给这个乡镇（默认：有新交办督办的每个乡镇）"))
    p.set_defaults(func=cmd_sync_export)
    p = sub.add_parser("import", parents=[common, secret],
                       help=_("导入数据包：校验、解密、合并（县级，或乡镇导入联络员数据）"))
    p.add_argument("files", nargs="+", help=_("数据包文件或所在文件夹"))
    p.add_argument("--dry-run", action="store_true", help=_("只显示将会发生什么，不做改动"))
    p.add_argument("--receipt-to", help=_("导入后把回执写到这个文件夹（通常是同一个U盘）"))
    p.set_defaults(func=cmd_sync_import)
    p = sub.add_parser("keys", parents=[common, secret], help=_("密钥：创建、导出、载入、登记、查看指纹"))
    p.add_argument("action", nargs="?", default="show",
                   choices=["show", "create-county", "create-receiving", "create-signing",
                            "export", "load-county", "register"],
                   help=_("show 查看本单位密钥和指纹；create-county 县级创建接收密钥；"
                          "create-receiving 乡镇为联络员电脑创建接收密钥；create-signing 创建签名密钥；"
                          "export 导出本单位公钥文件；load-county 载入县级公钥文件；"
                          "register 县级登记乡镇公钥文件"))
    p.add_argument("file", nargs="?", help=_("公钥文件（load-county、register）"))
    p.add_argument("--to", help=_("导出公钥文件的文件夹（export）"))
    p.add_argument("--replace", action="store_true", help=_("替换已有的密钥或登记"))
    p.set_defaults(func=cmd_sync_keys)
    p = sub.add_parser("sync-history", parents=[common], help=_("各单位数据包记录：缺号、缺月、迟交"))
    p.set_defaults(func=cmd_sync_history)
    p = sub.add_parser("sync-conflicts", parents=[common], help=_("列出或处理导入冲突"))
    p.add_argument("--decide", type=int_in(1, 1_000_000_000), help=_("要处理的冲突编号"))
    p.add_argument("--keep", choices=["local", "incoming"], default="local")
    p.set_defaults(func=cmd_sync_conflicts)
    p = sub.add_parser("liaison", parents=[common, secret],
                       help=_("联络员自用电脑：制作启动文件（乡镇）或用启动文件设置本机"))
    p.add_argument("action", choices=["starter", "setup"])
    p.add_argument("file", nargs="?", help=_("启动文件（setup）"))
    p.add_argument("--liaison", help=_("联络员登录名（starter）"))
    p.add_argument("--to", help=_("写入启动文件的文件夹（starter）"))
    p.set_defaults(func=cmd_sync_liaison)
