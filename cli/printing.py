"""``main.py print …``: every document headless, the same PDFs the GUI previews
(docs/architecture.md §4).

    print receipt --case ID --out F.pdf          登记回执
    print notice --case ID --out F.pdf           受理 / 不予受理 / 不再受理告知书 (by the decision)
    print extension --case ID --out F.pdf        延期办理告知书 (the latest extension)
    print reply --case ID --out F.pdf            答复意见书
    print agreement --mediation ID --out F.pdf [--full-ids]   人民调解协议书
    print mediation-doc --mediation ID --kind application|registration|record|investigation|
          followup|cover [--index N] --out F.pdf
    print screening-sheet --month YYYY-MM --out F.pdf   矛盾纠纷排查表
    print monthly-report --month YYYY-MM --out F.pdf    信访工作统计月报
    print assignment --ref NUMBER --out F.pdf    交办单 / 督办单 (by the record)
    print feedback --ref NUMBER --out F.pdf      办理情况反馈表
    print appointment --ref ID --out F.pdf       约访通知书
    print holding-ledger [--leader NAME] --out F.pdf|F.xlsx   领导包案台账

``--case`` takes the matter's id or number; ``--mediation`` the case's id or number. A refusal
(no decision yet, no agreement, unknown month …) prints one plain line and exits 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.common import Handler, SubParsers, emit, int_in, month_arg, open_for_cli
from storage.errors import PetitionDeskError, plain_storage_errors
from storage.i18n import _

if TYPE_CHECKING:  # imported when a command runs: starting the GUI stays light
    from storage.register import Register

MEDIATION_KINDS = ("application", "registration", "record", "investigation", "followup",
                   "cover")


def _write(path: Path, data: bytes) -> None:
    from printing.layout import write_output

    if path.suffix.lower() != ".pdf":
        raise PetitionDeskError(_("输出文件应以 .pdf 结尾：{path}").format(path=path))
    if not path.parent.exists():
        raise PetitionDeskError(_("输出目录不存在：{path}").format(path=path.parent))
    with plain_storage_errors(path):
        write_output(data, path)


MONTH_DOCUMENTS = ("screening-sheet", "monthly-report")
#: documents of one township's own records: at the county they need ``--station``
STATION_DOCUMENTS = (*MONTH_DOCUMENTS, "holding-ledger")


def _township(reg: Register, kind: str, station: str | None) -> Register:
    """At the county a month's sheet or report is a township's (``--station``): the county's
    own area code has no matters, and its figures would all be zero."""
    from storage.errors import ValidationError

    if station:
        # only here: the sync package loads the key and crypto modules (~0.1 s a command)
        from storage.sync import county

        return county.township_view(reg, station)
    if reg.read_only and kind in STATION_DOCUMENTS:
        raise ValidationError(_("县级汇总库打印月报、排查表或包案台账时，请用 --station 指定乡镇"
                                "（sync-history 列出各乡镇的代码）。"), "station")
    return reg


def run_print(args: argparse.Namespace, kind: str, ref: str, **options: Any) -> int:
    """Build ``kind`` of ``ref`` from the register ``args`` names and write it to ``args.out``;
    print the result (text, or JSON with ``--json``)."""
    from printing.documents import build_document

    reg = open_for_cli(args)
    try:
        doc = build_document(_township(reg, kind, getattr(args, "station", None)), kind, ref,
                             **options)
    finally:
        reg.close()
    out = Path(args.out)
    _write(out, doc.data)
    emit(args, {"kind": doc.kind, "title": doc.title, "path": str(out),
                "bytes": len(doc.data)},
         _("已生成 {title}：{path}").format(title=doc.title, path=out))
    return 0


def run_ledger(args: argparse.Namespace) -> int:
    """``print holding-ledger``: the PDF, or with ``--out F.xlsx`` the same rows in Excel."""
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        return run_print(args, "holding-ledger", args.leader)
    from printing.leadership_docs import ledger_rows
    from printing.ledger_xlsx import ledger_workbook
    from storage import station

    reg = open_for_cli(args)
    try:
        view = _township(reg, "holding-ledger", args.station)
        who, rows = ledger_rows(view, args.leader)
        data = ledger_workbook(station.station(view).name, who, rows, view.clock().date())
    finally:
        reg.close()
    if not out.parent.exists():
        raise PetitionDeskError(_("输出目录不存在：{path}").format(path=out.parent))
    from printing.layout import write_output

    with plain_storage_errors(out):
        write_output(data, out)  # the same .part, fsync, rename and 0600 as a PDF
    emit(args, {"kind": "holding-ledger", "title": _("领导包案台账"), "path": str(out),
                "rows": len(rows), "bytes": len(data)},
         _("已生成 {title}：{path}").format(title=_("领导包案台账"), path=out))
    return 0


def add_commands(sub: SubParsers, common: argparse.ArgumentParser) -> None:
    """``print`` and its sub-commands (each with ``--help``, ``--data-dir``, ``--json``)."""

    def handler(kind: str | None, ref: str, **fixed: str) -> Handler:
        def run(args: argparse.Namespace) -> int:
            options = {k: getattr(args, v) for k, v in fixed.items()}
            return run_print(args, kind or args.kind, getattr(args, ref), **options)
        return run

    parser = sub.add_parser("print", help=_("打印文书（生成PDF）：回执、告知书、调解文书、月报"))
    kinds = parser.add_subparsers(dest="document", metavar="DOCUMENT")
    kinds.required = True
    out = argparse.ArgumentParser(add_help=False)
    out.add_argument("--out", required=True, help=_("输出的PDF文件"))
    case = argparse.ArgumentParser(add_help=False)
    case.add_argument("--case", required=True, help=_("信访件ID或编号"))
    mediation = argparse.ArgumentParser(add_help=False)
    mediation.add_argument("--mediation", required=True, help=_("调解案件ID或案号"))
    month = argparse.ArgumentParser(add_help=False)
    month.add_argument("--month", required=True, type=month_arg, help=_("月份，如 2026-03"))
    month.add_argument("--station", metavar="CODE",
                       help=_("县级汇总库：打印哪个乡镇的（12位区划代码）"))
    for name, kind, text in (
            ("receipt", "receipt", _("信访事项登记回执")),
            ("notice", "notice", _("受理、不予受理或不再受理告知书（按信访件的决定）")),
            ("extension", "extension", _("延期办理告知书（最近一次延期）")),
            ("reply", "reply", _("答复意见书"))):
        p = kinds.add_parser(name, parents=[common, case, out], help=text)
        p.set_defaults(func=handler(kind, "case"))
    p = kinds.add_parser("agreement", parents=[common, mediation, out],
                         help=_("人民调解协议书（口头协议为登记表）"))
    p.add_argument("--full-ids", action="store_true",
                   help=_("打印完整的身份证号码（存入卷宗的一份）"))
    p.set_defaults(func=handler("agreement", "mediation", full_ids="full_ids"))
    p = kinds.add_parser("mediation-doc", parents=[common, mediation, out],
                         help=_("其他调解文书：申请书、受理登记表、调解记录、调查记录、回访记录、"
                                "卷宗封面"))
    p.add_argument("--kind", required=True, choices=MEDIATION_KINDS,
                   help=_("application 申请书，registration 受理登记表，record 调解记录，"
                          "investigation 调查记录，followup 回访记录，cover 卷宗封面及目录"))
    p.add_argument("--index", type=int_in(1, 10_000), help=_("只打印第N份调解记录或回访记录"))
    p.set_defaults(func=handler(None, "mediation", index="index"))
    for name, text in zip(MONTH_DOCUMENTS, (_("月度矛盾纠纷排查表"), _("信访工作统计月报")),
                          strict=True):
        p = kinds.add_parser(name, parents=[common, month, out], help=text)
        p.set_defaults(func=handler(name, "month"))
    ref = argparse.ArgumentParser(add_help=False)
    ref.add_argument("--ref", required=True, help=_("单号或ID"))
    for name, text in (("assignment", _("交办单或督办单（按单据类别）")),
                       ("feedback", _("办理情况反馈表（反馈单号，或所答复的交办督办单号）")),
                       ("appointment", _("约访通知书（约访ID）"))):
        p = kinds.add_parser(name, parents=[common, ref, out], help=text)
        p.set_defaults(func=handler(name, "ref"))
    p = kinds.add_parser("holding-ledger", parents=[common],
                         help=_("领导包案台账（--out 以 .xlsx 结尾时生成Excel表格）"))
    p.add_argument("--leader", default="all", help=_("领导姓名（默认：全部领导）"))
    p.add_argument("--out", required=True, help=_("输出的PDF或Excel文件"))
    p.add_argument("--station", metavar="CODE",
                   help=_("县级汇总库：打印哪个乡镇的（12位区划代码）"))
    p.set_defaults(func=run_ledger)

