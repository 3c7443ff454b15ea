"""Petition Desk (信访工作台) entry point.

``python main.py`` opens the GUI; sub-commands do headless work (design §4). Every sub-command
takes ``--data-dir``; with ``--json`` it prints machine-readable output. Errors print one plain
line and exit non-zero.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storage.errors import PetitionDeskError
from storage.i18n import DEFAULT_LANGUAGE, _, join_list, language_code, set_language
from storage.paths import data_dir_of, default_data_dir

Handler = Callable[[argparse.Namespace], int]


def open_for_cli(args: argparse.Namespace) -> Any:
    """Open the register for a headless command, acting as the operating-system user."""
    from storage.db import DB_NAME, open_register
    from storage.register import Actor

    data_dir = data_dir_of(args.data_dir)
    not_set_up = PetitionDeskError(_(
        "{path} 中还没有设置好的登记库：请先运行图形界面完成设置（乡镇工作站或县信访局），"
        "或用 demo-data 生成演示库。").format(path=data_dir))
    if not (data_dir / DB_NAME).is_file():  # a mistyped --data-dir must not create a register
        raise not_set_up
    reg = open_register(data_dir)
    if not reg.is_set_up:
        reg.close()
        raise not_set_up
    reg.actor = Actor("", f"cli:{getpass.getuser()}", _("命令行"), "head")
    return reg


def display_width(text: str) -> int:
    """Columns a terminal gives ``text``: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def aligned(rows: list[list[str]]) -> list[str]:
    """Rows of cells as lines whose columns line up, in Chinese and in English alike."""
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell + " " * (w - display_width(cell)) for cell, w in zip(r, widths,
                                                                                  strict=True))
            .rstrip() for r in rows]


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)


# ----- petition register --------------------------------------------------------------------
def cmd_demo_data(args: argparse.Namespace) -> int:
    from storage import demo

    summary = demo.build(Path(args.data_dir or default_data_dir()), cases=args.cases,
                         seed=args.seed, months=args.months)
    emit(args, summary, _("演示登记库已生成：{path}").format(path=summary["path"]))
    return 0


def cmd_cases(args: argparse.Namespace) -> int:
    from storage import petitions

    reg = open_for_cli(args)
    try:
        rows = petitions.list_for_cli(reg, status=args.status, limit=args.limit,
                                    station_code=station_filter(reg, args.station))
    finally:
        reg.close()
    lines = [f"{r['number']}  {r['petitioner']}  {r['status_label']}  {r['due_date'] or '-'}"
             for r in rows]
    emit(args, rows, "\n".join(lines) if lines else _("没有符合条件的信访件。"))
    return 0


def station_filter(reg: Any, code: str | None) -> str | None:
    """``--station``: refused in plain words at a township, or for a code the county has no
    data of (instead of an empty list that looks like "no cases")."""
    if code:
        from storage.sync import county

        county.township_view(reg, code)
    return code


def add_station_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--station", metavar="CODE",
                   help=_("只看一个乡镇（12位区划代码；县级汇总库使用）"))


def add_register_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                          common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo-data", parents=[common], help=_("生成演示登记库"))
    p.add_argument("--cases", type=int, default=600)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--months", type=int, default=24)
    p.set_defaults(func=cmd_demo_data)
    p = sub.add_parser("cases", parents=[common], help=_("列出信访件"))
    p.add_argument("--status", help=_("状态代码，如 registered、accepted、closed"))
    p.add_argument("--limit", type=int, default=50)
    add_station_option(p)
    p.set_defaults(func=cmd_cases)


# Each area adds its commands here (register, printing, mediation, screening, sync, maintenance).
COMMAND_GROUPS: list[Callable[..., None]] = [add_register_commands]


# ----- people's mediation -------------------------------------------------------------------
def cmd_mediations(args: argparse.Namespace) -> int:
    from storage import mediation
    from storage.clock import today

    reg = open_for_cli(args)
    try:
        day = today(reg.clock)
        cases = mediation.list_cases(reg, today=day, status=args.status,
                                     dispute_type=args.type, year=args.year,
                                     station_code=station_filter(reg, args.station)
                                     )[:args.limit]
    finally:
        reg.close()
    rows = []
    for c in cases:
        nxt = c.next_deadline
        rows.append(dict(
            id=c.id, station_code=c.station_code, number=c.number, title=c.title,
            dispute_type=c.dispute_type,
            source=c.source, status=c.status, status_label=c.status_label,
            accepted_on=c.accepted_on.isoformat(), village=c.village_name,
            next_deadline=None if nxt is None else dict(
                kind=nxt.kind, label=nxt.label, due=nxt.due.isoformat(),
                days_left=nxt.days_left)))
    lines = [f"{r['number']}  {r['status_label']}  {r['dispute_type']}  {r['title']}"
             + (f"  {r['next_deadline']['label']} {r['next_deadline']['due']}"
                if r["next_deadline"] else "") for r in rows]
    emit(args, rows, "\n".join(lines) if lines else _("没有符合条件的调解案件。"))
    return 0


def add_mediation_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                           common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("mediations", parents=[common], help=_("列出人民调解案件"))
    p.add_argument("--status", choices=["open", "accepted", "mediating", "agreed", "closed",
                                        "failed", "terminated"],
                   help=_("状态：open（未结）、accepted、mediating、agreed、closed、failed、"
                          "terminated"))
    p.add_argument("--type", help=_("纠纷类型，如 邻里"))
    p.add_argument("--year", type=int, help=_("受理年度"))
    p.add_argument("--limit", type=int, default=200)
    add_station_option(p)
    p.set_defaults(func=cmd_mediations)


COMMAND_GROUPS.append(add_mediation_commands)


# ----- maintenance ----------------------------------------------------------------------------
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
    from storage import backup
    from storage.db import DB_NAME

    data_dir = data_dir_of(args.data_dir)
    saved = backup.restore(Path(args.file), data_dir, DB_NAME)
    emit(args, {"restored": args.file, "previous_saved_as": str(saved)},
         _("已恢复。原登记库另存为：{path}").format(path=saved))
    return 0


def add_maintenance_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check", parents=[common], help=_("检查数据库、审计链和备份是否完好"))
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("backup", parents=[common], help=_("立即备份到指定目录"))
    p.add_argument("--to", required=True)
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", parents=[common],
                       help=_("用备份文件替换登记库（原文件另存，请先关闭程序）"))
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)


COMMAND_GROUPS.append(add_maintenance_commands)


# ----- sync bundles (storage/sync) ----------------------------------------------------------
def _ask_secret(prompt: str) -> str:
    """Asked without echo on a terminal; without one, a plain refusal (not a traceback)."""
    if not sys.stdin.isatty():
        raise PetitionDeskError(_("需要口令，但这里无法输入：请在终端中运行，或用 --passphrase-file "
                                  "或环境变量 PETITIONDESK_PASSPHRASE 提供。"))
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise PetitionDeskError(_("没有输入口令。")) from None


def _sync_passphrase(args: argparse.Namespace, prompt: str, *, confirm: bool = False) -> str:
    """--passphrase-file, else $PETITIONDESK_PASSPHRASE, else asked without echo."""
    if getattr(args, "passphrase_file", None):
        path = Path(args.passphrase_file)
        try:
            return path.read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise PetitionDeskError(_("无法读取口令文件 {path}：{error}").format(
                path=path, error=getattr(exc, "strerror", None) or exc)) from None
    if os.environ.get("PETITIONDESK_PASSPHRASE"):
        return os.environ["PETITIONDESK_PASSPHRASE"]
    value = _ask_secret(prompt)
    if confirm and _ask_secret(_("再输入一遍：")) != value:
        raise PetitionDeskError(_("两次输入的口令不一致。"))
    return value


def _sync_dirs(reg: Any) -> tuple[Path, Path]:
    from storage.sync import outbox

    assert reg.path is not None
    return reg.path.parent, outbox.outbox_dir(reg.path.parent)


def cmd_sync_export(args: argparse.Namespace) -> int:
    from storage.sync import export

    reg = open_for_cli(args)
    try:
        _data, outbox = _sync_dirs(reg)
        result = export.export(reg, args.month or export.default_period(reg), Path(args.to),
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


def cmd_sync_import(args: argparse.Namespace) -> int:
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
        key = keys.unlock_receiving_key(reg, _sync_passphrase(args, _("接收密钥口令：")))
        data_dir, _outbox = _sync_dirs(reg)
        reports = importer.import_bundles(reg, files, key, dry_run=args.dry_run,
                                          data_dir=data_dir)
        written: list[str] = []
        if args.receipt_to and not args.dry_run:
            outcome = receipts.write_after_import(reg, reports, Path(args.receipt_to))
            written = [str(path) for path in outcome.paths]
            if outcome.error is not None:
                receipt_error = outcome.error.user_text()
    finally:
        reg.close()
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
    emit(args, {"dry_run": args.dry_run, "bundles": [r.to_json() for r in reports],
                "receipts": written, "receipt_error": receipt_error}, "\n".join(lines))
    if receipt_error:
        print(_("错误：{message}").format(message=_("导入已完成，但回执没有写出：{error}").format(
            error=receipt_error)), file=sys.stderr)
        return 1
    return 1 if any(r.status == "refused" for r in reports) else 0


def _keys_text(reg: Any) -> tuple[dict[str, Any], str]:
    from storage.sync import keys

    own = keys.own_key_file(reg)
    data: dict[str, Any] = {
        "own": {"sender": own.sender, "signing_key": own.sign_key is not None,
                "receiving_key": own.box_key is not None, "fingerprint": own.fingerprint},
        "peers": [{"sender": p.sender, "name": p.name, "kind": p.kind, "direction": p.direction,
                   "fingerprint": p.fingerprint, "active": p.active}
                  for p in keys.peers(reg)]}
    has_keys = own.sign_key is not None or own.box_key is not None
    data["own"]["fingerprint"] = own.fingerprint if has_keys else None
    lines = [_("本单位 {sender}：签名密钥{s}，接收密钥{r}").format(
        sender=own.sender, s=_("已创建") if own.sign_key else _("未创建"),
        r=_("已创建") if own.box_key else _("未创建"))]
    lines.append(_("  指纹：{fp}").format(fp=own.fingerprint) if has_keys
                 else _("  还没有密钥，也就没有指纹。"))
    for p in keys.peers(reg):
        role = _("发往") if p.direction == "out" else _("接收自")
        lines.append(_("{role} {name}（{sender}）  {fingerprint}").format(
            role=role, name=p.name, sender=p.sender, fingerprint=p.fingerprint))
    return data, "\n".join(lines)


def cmd_sync_keys(args: argparse.Namespace) -> int:
    from storage.sync import keys

    reg = open_for_cli(args)
    try:
        out: dict[str, Any] = {}
        if args.action in ("create-county", "create-receiving"):
            out["fingerprint"] = keys.create_receiving_key(
                reg, _sync_passphrase(args, _("为接收密钥设置口令："), confirm=True),
                replace=args.replace)
        elif args.action == "create-signing":
            out["fingerprint"] = keys.create_signing_key(reg, replace=args.replace)
        elif args.action == "export":
            out["path"] = str(keys.write_key_file(reg, Path(args.to or ".")))
        elif args.action == "load-county":
            peer = keys.load_upstream(reg, keys.read_key_file(Path(args.file)),
                                      replace=args.replace)
            out.update(name=peer.name, fingerprint=peer.fingerprint)
        elif args.action == "register":
            peer = keys.register_station(reg, keys.read_key_file(Path(args.file)),
                                         replace=args.replace)
            out.update(name=peer.name, fingerprint=peer.fingerprint)
        data, text = _keys_text(reg)
    finally:
        reg.close()
    data.update(out)
    labels = {"fingerprint": _("指纹"), "path": _("文件"), "name": _("单位")}
    emit(args, data, "".join(_("{label}：{value}").format(label=labels[k], value=v) + "\n"
                             for k, v in out.items()) + text)
    return 0


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


def cmd_sync_liaison(args: argparse.Namespace) -> int:
    from storage import accounts
    from storage.sync import liaison

    if args.action == "starter":
        reg = open_for_cli(args)
        try:
            user = accounts.find_user(reg, args.liaison)
            info = liaison.make_starter(reg, user.id, _sync_passphrase(
                args, _("为启动文件设置口令（当面告诉联络员）："), confirm=True), Path(args.to))
        finally:
            reg.close()
        emit(args, {"path": str(info.path), "sender": info.sender, "grids": info.grids,
                    "records": info.records}, str(info.path))
        return 0
    from storage.db import open_register

    reg = open_register(data_dir_of(args.data_dir))
    try:
        actor = liaison.set_up_from_starter(
            reg, Path(args.file), _sync_passphrase(args, _("启动文件口令：")),
            os.environ.get("PETITIONDESK_PASSWORD")
            or _ask_secret(_("为本机的联络员账号设置密码：")))
    finally:
        reg.close()
    emit(args, {"username": actor.username}, _("本机已设置为联络员{name}的登记库。").format(
        name=actor.display_name))
    return 0


def add_sync_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                      common: argparse.ArgumentParser) -> None:
    secret = argparse.ArgumentParser(add_help=False)
    secret.add_argument("--passphrase-file", help=_("从文件读取口令（也可用环境变量 "
                                                    "PETITIONDESK_PASSPHRASE）"))
    p = sub.add_parser("export", parents=[common],
                       help=_("导出数据包到U盘或文件夹：上次导出以来的全部新增、修改和删除"))
    p.add_argument("--month", help=_("数据包所属的月份，如 2026-03（默认：上个月）；"
                                     "内容总是上次导出以来的全部改动"))
    p.add_argument("--to", required=True, help=_("U盘或文件夹"))
    p.add_argument("--only-new", action="store_true",
                   help=_("只写新数据包，不再附带县里尚未确认收到的旧数据包"))
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
    p.add_argument("--decide", type=int, help=_("要处理的冲突编号"))
    p.add_argument("--keep", choices=["local", "incoming"], default="local")
    p.set_defaults(func=cmd_sync_conflicts)
    p = sub.add_parser("liaison", parents=[common, secret],
                       help=_("联络员自用电脑：制作启动文件（乡镇）或用启动文件设置本机"))
    p.add_argument("action", choices=["starter", "setup"])
    p.add_argument("file", nargs="?", help=_("启动文件（setup）"))
    p.add_argument("--liaison", help=_("联络员登录名（starter）"))
    p.add_argument("--to", help=_("写入启动文件的文件夹（starter）"))
    p.set_defaults(func=cmd_sync_liaison)


COMMAND_GROUPS.append(add_sync_commands)


# ----- printing (printing/cli.py: print receipt|notice|extension|reply|agreement|…) ----------
def add_print_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                       common: argparse.ArgumentParser) -> None:
    from printing.cli import add_print_commands as add

    add(sub, common, opener=open_for_cli, emitter=emit)


COMMAND_GROUPS.append(add_print_commands)


# ----- grid screening -------------------------------------------------------------------------
def cmd_screenings(args: argparse.Namespace) -> int:
    from storage import screening
    from storage.sync import county

    opened = open_for_cli(args)
    try:
        reg = county.township_view(opened, args.station) if args.station else opened
        periods = screening.default_periods(reg, args.periods)
        m = screening.completeness(reg, periods)
        data = dict(
            periods=[dict(key=p.key, label=p.label) for p in m.periods],
            grids=[dict(village=r.grid.village_name, grid=r.grid.name, code=r.grid.code,
                        liaison=r.liaison,
                        cells=[dict(period=c.period.key, state=c.state.value, late=c.late)
                               for c in r.cells]) for r in m.rows],
            liaisons=[dict(liaison=x.liaison, grids=x.grids, missing=x.missing, due=x.due,
                           late=x.late) for x in m.liaisons],
            reminders=[r.text for r in screening.reminders(reg, lookback=args.periods)],
            alerts=[a.text for a in screening.home_alerts(reg)])
    finally:
        opened.close()
    table = [["", *(p.short_label for p in m.periods)]]
    table += [[f"{r.grid.village_name}{r.grid.name}", *(c.short_label or "·" for c in r.cells)]
              for r in m.rows]
    lines = aligned(table) + [""] + data["reminders"] + [""] + data["alerts"]
    emit(args, data, "\n".join(lines).rstrip())
    return 0


def add_screening_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                           common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("screenings", parents=[common],
                       help=_("网格排查完成情况（已报、零报告、迟报、未报）、催报名单和风险提醒"))
    p.add_argument("--periods", type=int, default=8, help=_("显示最近几期（默认8）"))
    add_station_option(p)
    p.set_defaults(func=cmd_screenings)


COMMAND_GROUPS.append(add_screening_commands)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a sub-command's own default must not overwrite `main.py --data-dir D cases`.
    common.add_argument("--data-dir", default=argparse.SUPPRESS,
                        help=_("登记库所在目录（默认：用户数据目录）"))
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help=_("输出机器可读的 JSON"))
    common.add_argument("--lang", type=language_code, metavar="{en,zh}",
                        default=argparse.SUPPRESS,
                        help=_("界面和打印文书的语言（默认：中文）"))
    parser = argparse.ArgumentParser(prog="main.py", description=_("信访工作台"))
    parser.add_argument("--data-dir", help=_("登记库所在目录（默认：用户数据目录）"))
    parser.add_argument("--demo", action="store_true", help=_("打开生成的演示登记库"))
    parser.add_argument("--lang", type=language_code, metavar="{en,zh}", default=None,
                        help=_("界面和打印文书的语言（默认：中文）"))
    parser.add_argument("--debug", action="store_true")
    sub = parser.add_subparsers(dest="command")
    for add in COMMAND_GROUPS:
        add(sub, common)
    return parser


def language_before_parsing(argv: list[str]) -> str:
    """``--lang X`` / ``--lang=X`` (else ``$PETITIONDESK_LANG``), read before argparse so that
    its help and error messages are already in that language; anything unknown → Chinese."""
    wanted = os.environ.get("PETITIONDESK_LANG", DEFAULT_LANGUAGE)
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            wanted = argv[i + 1]
        elif arg.startswith("--lang="):
            wanted = arg.split("=", 1)[1]
    try:
        return language_code(wanted)
    except ValueError:
        return DEFAULT_LANGUAGE


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    set_language(language_before_parsing(argv))
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if getattr(args, "debug", False) else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.command is None:
        from ui.app import run_gui

        return run_gui(args)
    try:
        return int(args.func(args))
    except PetitionDeskError as exc:
        print(_("错误：{message}").format(message=exc.user_text()), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
