"""One entry point for every printable document: ``build_document(reg, kind, ref)``.

The command line (``main.py print …``) and the GUI preview (``ui/print_preview.py``) both come
through here, so the PDF a clerk previews is byte for byte the kind of PDF the command writes.

Kinds and what ``ref`` names:

=========================  =========================================================
receipt, notice,           a petition matter (its id or number)
extension, reply
application, registration, a mediation case (its id or number, e.g. （2026）花园人调字第3号)
record, investigation,
agreement, followup, cover
screening-sheet,           a month, ``YYYY-MM``
monthly-report
assignment                 a 交办单 or 督办单 (its id or number, e.g. 〔2026〕姑信交字第3号)
feedback                   a 反馈 (its id or number), or the 交办/督办 it answers
appointment                a 约访 (its id)
holding-ledger             a leader (id or name), or ``all``
=========================  =========================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from printing import chainhead, monthly_report, sources
from printing.layout import A4_PORTRAIT, Progress, build_pdf, reporting_progress
from printing.monthly_report import MonthlyReport, build_report
from storage import codes, leadership, mediation, screening, statistics
from storage.errors import NotFound, ValidationError
from storage.i18n import N_, _
from storage.masking import MaskPolicy
from storage.register import Register
from storage.screening import parse_month


@dataclass(frozen=True)
class Document:
    """A built document: its kind, a title for the window and a file name to suggest."""

    kind: str
    title: str
    filename: str
    data: bytes


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # N_() msgid
    record: str  # "matter", "mediation" or "month"


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("receipt", N_("登记回执"), "matter"),
    Kind("notice", N_("告知书"), "matter"),
    Kind("extension", N_("延期办理告知书"), "matter"),
    Kind("reply", N_("答复意见书"), "matter"),
    Kind("application", N_("人民调解申请书"), "mediation"),
    Kind("registration", N_("人民调解受理登记表"), "mediation"),
    Kind("record", N_("人民调解记录"), "mediation"),
    Kind("investigation", N_("人民调解调查记录"), "mediation"),
    Kind("agreement", N_("人民调解协议书"), "mediation"),
    Kind("followup", N_("人民调解回访记录"), "mediation"),
    Kind("cover", N_("人民调解卷宗封面及目录"), "mediation"),
    Kind("screening-sheet", N_("矛盾纠纷排查表"), "month"),
    Kind("monthly-report", N_("信访工作统计月报"), "month"),
    Kind("assignment", N_("交办单／督办单"), "leadership"),
    Kind("feedback", N_("办理情况反馈表"), "leadership"),
    Kind("appointment", N_("约访通知书"), "leadership"),
    Kind("holding-ledger", N_("领导包案台账"), "leadership"),
)}

_UNSAFE = re.compile(r'[\\/:*?"<>|（）()\s]+')


def safe_filename(*parts: str) -> str:
    """A file name any USB stick accepts: ``登记回执-320508102000-2026-00012.pdf``."""
    return "-".join(_UNSAFE.sub("", p) for p in parts if p).strip("-") + ".pdf"


def find_mediation(reg: Register, ref: str) -> str:
    """A mediation case id by its id or its number (the full number, or ``2026-3``)."""
    ref = ref.strip()
    live = "(deleted = 0 OR voided = 1)"  # a voided case reprints, marked 作废
    rows = reg.rows(f"SELECT id FROM mediations WHERE {live} AND (id = ? OR number = ?)",
                    (ref, ref))
    if not rows:
        m = re.fullmatch(r"(\d{4})\D+(\d+)\D*", ref)
        if m:
            rows = reg.rows(f"SELECT id FROM mediations WHERE {live} AND year = ? AND seq = ?"
                            " AND station_code = ?",
                            (int(m.group(1)), int(m.group(2)), reg.station_code))
    if not rows:
        raise NotFound(_("找不到调解案件“{ref}”。").format(ref=ref))
    return str(rows[0]["id"])


def _matter_document(reg: Register, kind: str, ref: str, policy: MaskPolicy) -> Document:
    # each kind's module loads when it is printed: `main.py print` makes one document
    from printing.notices import (
        AcceptanceNotice,
        RejectionNotice,
        acceptance_story,
        extension_story,
        no_further_acceptance_story,
        rejection_story,
        reply_story,
    )
    from printing.receipt import build_receipt

    matter = sources.find_matter(reg, ref)
    number = matter["number"]
    if kind == "receipt":
        receipt = sources.receipt_data(reg, matter["id"], policy=policy)
        return Document(kind, _("登记回执 {number}").format(number=number),
                        safe_filename(_("登记回执"), number), build_receipt(receipt))
    if kind == "notice":
        notice = sources.decision_notice(reg, matter["id"], policy=policy)
        if isinstance(notice, AcceptanceNotice):
            title, story = _("信访事项受理告知书"), acceptance_story(notice)
        elif isinstance(notice, RejectionNotice):
            title, story = _("不予受理信访事项告知书"), rejection_story(notice)
        else:
            title, story = _("不再受理信访事项告知书"), no_further_acceptance_story(notice)
        doc_number = notice.doc_number
    elif kind == "extension":
        ext = sources.extension_notice(reg, matter["id"], policy=policy)
        title, story, doc_number = _("延期办理信访事项告知书"), extension_story(ext), ext.doc_number
    else:
        reply = sources.reply_opinion(reg, matter["id"], policy=policy)
        title, story, doc_number = _("信访事项答复意见书"), reply_story(reply), reply.doc_number
    station = sources.station_info(reg)
    data = build_pdf(story, spec=A4_PORTRAIT, title=f"{title} {number}",
                     author=station.office_name, subject=doc_number or number,
                     void=sources.void_mark(matter))
    return Document(kind, f"{title} {number}", safe_filename(title, number), data)


def _mediation_document(reg: Register, kind: str, ref: str, policy: MaskPolicy,
                        index: int | None) -> Document:
    from printing import mediation_docs

    f = mediation.mediation_file(reg, find_mediation(reg, ref))
    stories: dict[str, Callable[[], list[Any]]] = {
        "application": lambda: mediation_docs.application_story(f, policy),
        "registration": lambda: mediation_docs.registration_story(f, policy),
        "record": lambda: mediation_docs.records_story(f, policy, index=index),
        "investigation": lambda: mediation_docs.records_story(f, policy, investigations=True,
                                                              index=index),
        "agreement": lambda: mediation_docs.agreement_story(f, policy),
        "followup": lambda: mediation_docs.followups_story(f, policy, index=index),
        "cover": lambda: mediation_docs.cover_story(f),
    }
    title = _(KINDS[kind].label)
    if kind == "agreement" and f.agreement is not None and f.agreement.form == "oral":
        title = _("人民调解口头协议登记表")
    data = mediation_docs.build(stories[kind](), title, f)
    return Document(kind, f"{title} {f.case.number}", safe_filename(title, f.case.number), data)


def _month_document(reg: Register, kind: str, month: str, policy: MaskPolicy) -> Document:
    from printing import screening_sheet

    year, mon = parse_month(month)
    key = f"{year:04d}-{mon:02d}"
    sheet = screening.monthly_sheet(reg, year, mon)
    if kind == "screening-sheet":
        return Document(kind, sheet.title, safe_filename(_("矛盾纠纷排查表"), key),
                        screening_sheet.build_sheet(sheet, policy))
    report = monthly_report_data(reg, key, sheet=sheet)
    return Document(kind, report.title, safe_filename(_("信访工作统计月报"), key),
                    build_report(report))


def _leadership_document(reg: Register, kind: str, ref: str, policy: MaskPolicy) -> Document:
    from printing import leadership_docs

    makers = {"assignment": lambda: leadership_docs.assignment_pdf(reg, ref, policy),
              "feedback": lambda: leadership_docs.feedback_pdf(reg, ref, policy),
              "appointment": lambda: leadership_docs.appointment_pdf(reg, ref, policy),
              "holding-ledger": lambda: leadership_docs.ledger_pdf(reg, ref)}
    title, number, data = makers[kind]()
    return Document(kind, f"{title} {number}", safe_filename(title, number), data)


def monthly_report_data(reg: Register, month: str, *,
                        sheet: screening.ScreeningSheet | None = None) -> MonthlyReport:
    """The figures of the month's statistics report (also what the reports page shows)."""
    year, mon = parse_month(month)
    key = f"{year:04d}-{mon:02d}"
    stats = statistics.monthly(reg, key)
    stats = replace(stats, by_form=monthly_report.ordered(stats.by_form,
                                                          codes.labels(reg, "form")))
    if sheet is None:
        sheet = screening.monthly_sheet(reg, year, mon)
    # the trend chart: months of this year and the year before, as the reports page draws it
    trend = (tuple(statistics.monthly_totals(reg, year)),
             tuple(statistics.monthly_totals(reg, year - 1)))
    return MonthlyReport(station=sources.station_info(reg), station_code=reg.station_code,
                         stats=stats, screening=sheet, made_on=reg.clock().date(),
                         leadership=leadership.month_figures(reg, key),
                         chain_head=chainhead.head_text(reg), trend=trend)


def build_document(reg: Register, kind: str, ref: str, *, full_ids: bool = False,
                   index: int | None = None, progress: Progress | None = None) -> Document:
    """Build the document ``kind`` of the record ``ref`` from the register.

    ``full_ids`` prints ID numbers in full (the agreement kept in the 卷宗); ``index`` picks
    one 调解记录 / 回访记录 (1-based) instead of all of them. ``progress(done, total)`` follows
    the layout (a busy bar until the total is known); False stops it (:class:`Cancelled`).
    """
    with reporting_progress(progress):
        return _build_document(reg, kind, ref, full_ids=full_ids, index=index)


def _build_document(reg: Register, kind: str, ref: str, *, full_ids: bool,
                    index: int | None) -> Document:
    if kind not in KINDS:
        raise ValidationError(_("未知的文书种类：{kind}").format(kind=kind), "kind")
    if full_ids and kind != "agreement":
        raise ValidationError(_("只有存入卷宗的调解协议书可以打印完整的身份证号码。"), "full_ids")
    policy = sources.mask_policy(reg, full_ids=full_ids)
    record = KINDS[kind].record
    if record == "matter":
        return _matter_document(reg, kind, ref, policy)
    if record == "mediation":
        return _mediation_document(reg, kind, ref, policy, index)
    if record == "leadership":
        return _leadership_document(reg, kind, ref, policy)
    return _month_document(reg, kind, ref, policy)


def mediation_documents(case_file: mediation.MediationFile) -> list[tuple[str, str]]:
    """(kind, menu label) of the documents a mediation case has data for."""
    out: list[tuple[str, str]] = []
    if case_file.case.source == "application":
        out.append(("application", _("人民调解申请书")))
    out.append(("registration", _("人民调解受理登记表")))
    if case_file.investigations:
        out.append(("investigation", _("人民调解调查记录（{n}份）").format(
            n=len(case_file.investigations))))
    if case_file.mediation_sessions:
        out.append(("record", _("人民调解记录（{n}份）").format(n=len(case_file.mediation_sessions))))
    if case_file.agreement is not None:
        out.append(("agreement", _("人民调解口头协议登记表") if case_file.agreement.form == "oral"
                    else _("人民调解协议书")))
    if case_file.followups:
        out.append(("followup", _("人民调解回访记录（{n}份）").format(n=len(case_file.followups))))
    out.append(("cover", _("卷宗封面及卷内目录")))
    return out


__all__ = ["KINDS", "Document", "build_document", "find_mediation", "mediation_documents",
           "monthly_report_data", "safe_filename"]
