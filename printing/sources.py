"""Documents of a petition matter built from the register: the 登记回执, the decision notice
(受理 / 不予受理 / 不再受理), the 延期办理告知书 and the 答复意见书.

Each function reads the matter, its petitioners, its events and the station, and returns the
plain dataclass the renderer takes (``printing.receipt`` / ``printing.notices``). A document
that the matter's state does not allow is refused with a plain ``ValidationError`` (a notice
for a matter not yet decided, an extension notice for a matter never extended …).

Masking follows the station's settings (``mask_id_numbers``, ``mask_phones``, ``mask_names``).
Document numbers come from :mod:`printing.docnumbers`: given once, reused on every reprint.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from printing import docnumbers
from printing.layout import VoidMark, chinese_date
from printing.models import PetitionerInfo, StationInfo
from printing.notices import (
    AcceptanceNotice,
    ExtensionNotice,
    NoFurtherAcceptanceNotice,
    Outcome,
    RejectionNotice,
    ReplyItem,
    ReplyOpinion,
)
from printing.receipt import ReceiptData
from storage import calendar_store, codes, petitions, preferences, station
from storage.deadlines import RULES, Deadline, DeadlineKind, Unit, compute_deadline
from storage.errors import NotFound, ValidationError
from storage.i18n import N_, _
from storage.masking import MaskPolicy
from storage.register import Register, Row

# ----- settings (their defaults: storage/preferences.py) ---------------------------------------

REVIEW_ORGAN_SETTING = preferences.REVIEW_ORGAN.key
REPLY_COPIES_SETTING = preferences.REPLY_COPIES_TO.key
CHANNEL_ORGANS_SETTING = preferences.LEGAL_CHANNEL_ORGANS.key


def mask_policy(reg: Register, *, full_ids: bool = False) -> MaskPolicy:
    """The station's masking for printouts; ``full_ids`` prints ID numbers in full (the copy
    of a mediation agreement kept in the 卷宗, docs/domain.md §8.3)."""
    return MaskPolicy(id_numbers=preferences.MASK_ID_NUMBERS.read(reg) and not full_ids,
                      phones=preferences.MASK_PHONES.read(reg),
                      names=preferences.MASK_NAMES.read(reg))


def station_info(reg: Register) -> StationInfo:
    return StationInfo.from_station(station.station(reg))


def void_mark(row: Row) -> VoidMark | None:
    """The 作废 mark for a voided matter or mediation case (None for a live one)."""
    if not row.get("voided"):
        return None
    day = date.fromisoformat(str(row["voided_at"])[:10]) if row.get("voided_at") else None
    when = chinese_date(day) if day else ""
    confirmed = _("（{name}确认）").format(name=row["void_confirmed_by"]) \
        if row.get("void_confirmed_by") else ""
    return VoidMark(_("本件已于{when}作废：{reason}{confirmed}").format(
        when=when, reason=row.get("void_reason") or "", confirmed=confirmed))


# ----- finding the matter ----------------------------------------------------------------------

def find_matter(reg: Register, ref: str) -> Row:
    """A matter by its id or its number (``320508102000-2026-00012``; the tail ``2026-00012``
    or ``2026-12`` also works when it is unambiguous)."""
    ref = ref.strip()
    if not ref:
        raise ValidationError(_("请给出信访件的编号或ID。"), "case")
    # A voided matter is still found: its documents reprint marked 作废.
    live = "(deleted = 0 OR voided = 1)"
    rows = reg.rows(f"SELECT * FROM matters WHERE {live} AND (id = ? OR number = ?)",
                    (ref, ref))
    if not rows and "-" in ref:
        year_text, _sep, seq_text = ref.rpartition("-")
        year_text = year_text.rsplit("-", 1)[-1]
        if year_text.isdigit() and seq_text.isdigit():
            rows = reg.rows(f"SELECT * FROM matters WHERE {live} AND number LIKE ?"
                            " AND seq = ?", (f"%-{int(year_text)}-%", int(seq_text)))
    if not rows:
        raise NotFound(_("找不到信访件“{ref}”。").format(ref=ref))
    if len(rows) > 1:
        raise ValidationError(_("“{ref}”对应多件信访件，请给出完整编号。").format(ref=ref), "case")
    return rows[0]


def _petitioners(reg: Register, matter: Row) -> tuple[PetitionerInfo, ...]:
    people = petitions.petitioners_of(reg, matter["id"])
    if not people:
        people = reg.rows("SELECT * FROM petitioners WHERE id = ?", (matter["petitioner_id"],))
    return tuple(PetitionerInfo(name=p["name"], id_number=p["id_number"] or "",
                                phone=p["phone"] or "", address=p["address"] or "")
                 for p in people)


def _events(reg: Register, matter_id: str, kind: str) -> list[Row]:
    return [e for e in petitions.events_of(reg, matter_id) if e["kind"] == kind]


def _last_event(reg: Register, matter_id: str, kind: str) -> Row | None:
    found = _events(reg, matter_id, kind)
    return found[-1] if found else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _data(event: Row) -> dict[str, Any]:
    try:
        data = json.loads(event.get("data") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def matter_summary(matter: Row) -> str:
    """The summary as a noun phrase: the register's "反映…" loses its verb, because the notices
    say "你…反映…的问题" themselves."""
    text = " ".join(str(matter["summary"]).split()).rstrip("。；;，,.")
    for verb in ("反映", "来访反映", "来信反映", "来电反映"):
        if text.startswith(verb) and len(text) > len(verb) + 1:
            return text[len(verb):].lstrip("：:，, ")
    return text


def _form(matter: Row) -> str:
    """The stored form code (来访 when missing)."""
    return str(matter["form"] or "") or "来访"


def _base(reg: Register, matter: Row, issued_on: date, doc_number: str,
          policy: MaskPolicy | None) -> dict[str, Any]:
    return dict(station=station_info(reg), doc_number=doc_number, case_number=matter["number"],
                petitioners=_petitioners(reg, matter), form=codes.form_phrase(_form(matter)),
                received_on=date.fromisoformat(matter["received_on"]),
                summary=matter_summary(matter), issued_on=issued_on,
                policy=policy or mask_policy(reg))


# ----- the receipt -------------------------------------------------------------------------------

_LIMIT_TEXT = {Unit.DAYS: N_("{n}日内"), Unit.WORKING_DAYS: N_("{n}个工作日内"),
               Unit.MONTHS: N_("{n}个月内")}


def short_rule(deadline: Deadline) -> str:
    """``《信访工作条例》第二十三条：15日内`` — the article and the period, for the receipt."""
    rule = RULES[deadline.kind]
    article = _(rule.article)
    n = rule.limit + (deadline.extension_days if rule.unit is Unit.DAYS else 0)
    period = _(_LIMIT_TEXT[rule.unit]).format(n=n)
    if deadline.extension_days:
        period = _("{period}（含延长{n}日）").format(period=period, n=deadline.extension_days)
    return _("{article}：{period}").format(article=article, period=period)


def _unit(reg: Register, matter: Row) -> str:
    return str(matter["handling_unit"] or "") or station.station(reg).name


def next_step(reg: Register, matter: Row) -> tuple[str, Deadline | None]:
    """What happens next for the petitioner, and the statutory deadline it runs against."""
    status = matter["status"]
    if matter.get("voided"):
        return _("本件已作废，不再办理"), None
    deadline = petitions.current_deadline(reg, matter)
    if status == "registered":
        return _("本站将审查是否受理，并书面告知您"), deadline
    if status in ("accepted", "forwarded", "handling"):
        return _("已受理，由{unit}办理，办结后书面答复您").format(unit=_unit(reg, matter)), deadline
    if status == "replied":
        return (_("已书面答复；如对答复意见不服，可以向上一级机关申请复查"),
                petitions.petitioner_window(reg, matter))
    if status == "reviewed":
        return (_("已作出复查意见；如不服，可以向上一级机关申请复核"),
                petitions.petitioner_window(reg, matter))
    if status == "review":
        return _("正在复查，复查机关将书面答复您"), deadline
    if status == "rereview":
        return _("正在复核，复核机关将书面答复您"), deadline
    if status == "not_accepted":
        return _("不予受理，已书面告知您应当通过的法定途径"), None
    if status == "not_reaccepted":
        return _("不再受理，已书面告知您"), None
    return _("已办结"), None


def _registered_at(matter: Row) -> date | datetime:
    received = date.fromisoformat(matter["received_on"])
    try:
        created = datetime.fromisoformat(str(matter["created_at"]))
    except ValueError:
        return received
    # A letter registered days after it arrived keeps its own date; a visit shows the hour.
    return created.replace(tzinfo=None) if created.date() == received else received


def receipt_data(reg: Register, matter_id: str, *, policy: MaskPolicy | None = None
                 ) -> ReceiptData:
    """The 登记回执 of a matter (of a voided one too, marked 作废)."""
    matter = petitions.detail.matter(reg, matter_id)
    people = _petitioners(reg, matter)
    step, deadline = next_step(reg, matter)
    summary = " ".join(str(matter["summary"]).split()).rstrip("。")
    request = " ".join(str(matter["request"] or "").split()).rstrip("。")
    if request:
        summary = _("{summary}；{request}").format(summary=summary, request=request)
    return ReceiptData(
        station=station_info(reg), case_number=matter["number"], query_code=matter["query_code"],
        registered_at=_registered_at(matter), petitioner=people[0],
        form=codes.form_phrase(_form(matter)),
        summary=summary, next_step=step, deadline=deadline.due if deadline else None,
        deadline_rule=short_rule(deadline) if deadline else "",
        clerk=petitions.detail.registered_by(reg, matter),
        people=max(int(matter["visitors_count"] or 1), len(people)),
        policy=policy or mask_policy(reg), void=void_mark(matter))


# ----- the decision notice -------------------------------------------------------------------------

@dataclass(frozen=True)
class Channel:
    """Where a petitioner is sent for a matter of another legal channel (docs/domain.md §2.1)."""

    organ: str
    action: str
    item: str  # the item of Art.31 that routes it, e.g. "第（二）项"
    note: str = ""


CHANNELS: dict[str, Channel] = {
    "诉讼（人民法院）": Channel(N_("有管辖权的人民法院"), N_("提起诉讼"), N_("第（一）项")),
    "检察机关法律监督": Channel(N_("人民检察院"), N_("申请法律监督"), N_("第（一）项")),
    "公安机关依法处理": Channel(N_("公安机关"), N_("报案或者提出控告"), N_("第（一）项")),
    "劳动人事争议仲裁": Channel(
        N_("劳动人事争议仲裁委员会"), N_("申请劳动争议仲裁"), N_("第（二）项"),
        N_("劳动争议申请仲裁的时效期间为一年，从当事人知道或者应当知道其权利被侵害之日起计算")),
    "农村土地承包经营纠纷仲裁": Channel(
        N_("农村土地承包仲裁委员会"), N_("申请仲裁"), N_("第（二）项"),
        N_("农村土地承包经营纠纷申请仲裁的时效期间为二年，自当事人知道或者应当知道其权利被侵害"
           "之日起计算")),
    "党员申诉、申请复审": Channel(N_("有关党组织"), N_("提出申诉或者申请复审"), N_("第（三）项")),
    "行政复议": Channel(
        N_("行政复议机关"), N_("申请行政复议"), N_("第（四）项"),
        N_("申请行政复议，应当自知道或者应当知道该行政行为之日起六十日内提出")),
    "行政裁决": Channel(N_("依法有权裁决的行政机关"), N_("申请行政裁决"), N_("第（四）项")),
    "行政确认": Channel(N_("依法有权确认的行政机关"), N_("申请行政确认"), N_("第（四）项")),
    "行政许可": Channel(N_("依法有权许可的行政机关"), N_("申请行政许可"), N_("第（四）项")),
    "行政处罚": Channel(N_("依法有权处罚的行政机关"), N_("提出"), N_("第（四）项")),
    "属人大、法院、检察院职权": Channel(
        N_("有权处理的人民代表大会常务委员会、人民法院或者人民检察院"), N_("提出"), ""),
    "纪检监察机关": Channel(N_("纪检监察机关"), N_("提出检举控告"), ""),
}
GENERIC_CHANNEL = Channel(N_("依法有权处理的机关"), N_("提出"), "")


def channel_for(reg: Register, legal_channel: str) -> Channel:
    base = CHANNELS.get(legal_channel.strip())
    if base is None:
        base = Channel(GENERIC_CHANNEL.organ, GENERIC_CHANNEL.action, "") if not legal_channel \
            else Channel(GENERIC_CHANNEL.organ, _("通过{channel}途径提出").format(
                channel=legal_channel.strip()), "")
    organ = preferences.LEGAL_CHANNEL_ORGANS.read(reg).get(legal_channel.strip(), "")
    return Channel(organ or _(base.organ), _(base.action), _(base.item) if base.item else "",
                   _(base.note) if base.note else "")


def _decision_event(reg: Register, matter: Row, kind: str) -> Row:
    event = _last_event(reg, matter["id"], kind)
    if event is None:  # an imported matter without its timeline: the decision is on the matter
        day = matter["accepted_on"] if kind == "accept" else matter["closed_on"]
        if not day:
            raise ValidationError(_("该信访件的办理记录不完整，无法生成告知书。"), "case")
        return {"id": "", "occurred_on": day, "note": matter["decision_reason"], "data": "{}"}
    return event


def notice_kind(matter: Row) -> str:
    """Which decision notice a matter's state calls for: ``acceptance``, ``rejection`` or
    ``no_further``; refused while no decision has been made."""
    status = matter["status"]
    if status == "not_accepted":
        return "rejection"
    if status == "not_reaccepted":
        return "no_further"
    if status == "registered" or not matter["accepted_on"]:
        raise ValidationError(_("信访件{number}尚未作出受理决定（当前状态：{status}），"
                                "还不能打印告知书。").format(
            number=matter["number"], status=petitions.status_label(status)), "case")
    return "acceptance"


def acceptance_notice(reg: Register, matter: Row, policy: MaskPolicy | None = None
                      ) -> AcceptanceNotice:
    event = _decision_event(reg, matter, "accept")
    issued = date.fromisoformat(event["occurred_on"])
    accepted = date.fromisoformat(matter["accepted_on"])
    due = compute_deadline(DeadlineKind.HANDLING, accepted, calendar_store.calendar(reg)).due
    forward = _last_event(reg, matter["id"], "forward")
    unit = str(matter["handling_unit"] or "") or (
        str(_data(forward).get("unit", "")) if forward else "") or station.station(reg).name
    number = docnumbers.number_for(reg, "acceptance", matter["id"], issued.year)
    return AcceptanceNotice(**_base(reg, matter, issued, number, policy), accepted_on=accepted,
                            handling_unit=unit, due_on=due, query_code=matter["query_code"])


def rejection_notice(reg: Register, matter: Row, policy: MaskPolicy | None = None
                     ) -> RejectionNotice:
    event = _decision_event(reg, matter, "not_accept")
    issued = date.fromisoformat(event["occurred_on"])
    legal_channel = str(matter["legal_channel"] or _data(event).get("legal_channel", ""))
    channel = channel_for(reg, legal_channel)
    reason = str(matter["decision_reason"] or event["note"] or "").strip()
    if not reason:
        raise ValidationError(_("该信访件没有记录不予受理的理由，无法生成告知书。"), "reason")
    basis = _("《信访工作条例》第三十一条{item}").format(item=channel.item) if channel.item \
        else _("《信访工作条例》第二十三条")
    number = docnumbers.number_for(reg, "rejection", matter["id"], issued.year)
    return RejectionNotice(**_base(reg, matter, issued, number, policy), reason=reason,
                           competent_organ=channel.organ, legal_channel=channel.action,
                           legal_basis=basis, channel_note=channel.note)


def _earlier_rereview(reg: Register, matter: Row) -> tuple[str, date] | None:
    """The latest 复核意见 on an earlier matter of the same petitioner(s): (number, date)."""
    people = [p["id"] for p in petitions.petitioners_of(reg, matter["id"])] or \
        [matter["petitioner_id"]]
    marks = ",".join("?" * len(people))
    rows = reg.rows(
        "SELECT m.number, max(e.occurred_on) AS day FROM matters m"
        " JOIN matter_petitioners mp ON mp.matter_id = m.id AND mp.deleted = 0"
        " JOIN matter_events e ON e.matter_id = m.id AND e.deleted = 0"
        f" WHERE mp.petitioner_id IN ({marks}) AND m.id != ? AND m.deleted = 0"
        " AND e.kind = 'decide_rereview' AND e.occurred_on <= ?"
        " GROUP BY m.id ORDER BY day DESC LIMIT 1",
        [*people, matter["id"], matter["received_on"]])
    if not rows or not rows[0]["day"]:
        return None
    return str(rows[0]["number"]), date.fromisoformat(rows[0]["day"])


def no_further_notice(reg: Register, matter: Row, policy: MaskPolicy | None = None
                      ) -> NoFurtherAcceptanceNotice:
    event = _decision_event(reg, matter, "not_reaccept")
    issued = date.fromisoformat(event["occurred_on"])
    reason = str(matter["decision_reason"] or event["note"] or "").strip()
    earlier = _earlier_rereview(reg, matter)
    number = docnumbers.number_for(reg, "no_further", matter["id"], issued.year)
    if earlier is not None:
        return NoFurtherAcceptanceNotice(
            **_base(reg, matter, issued, number, policy),
            review_organ=preferences.REREVIEW_ORGAN.read(reg),
            review_date=earlier[1], previous_case=earlier[0], reason=reason)
    if not reason:
        raise ValidationError(_("该信访件没有记录不再受理的理由，无法生成告知书。"), "reason")
    return NoFurtherAcceptanceNotice(**_base(reg, matter, issued, number, policy), reason=reason)


Notice = AcceptanceNotice | RejectionNotice | NoFurtherAcceptanceNotice


def decision_notice(reg: Register, matter_id: str, *, policy: MaskPolicy | None = None
                    ) -> Notice:
    """The notice for the matter's decision, chosen by its state."""
    matter = petitions.detail.matter(reg, matter_id)
    kind = notice_kind(matter)
    if kind == "rejection":
        return rejection_notice(reg, matter, policy)
    if kind == "no_further":
        return no_further_notice(reg, matter, policy)
    return acceptance_notice(reg, matter, policy)


# ----- extension and reply ---------------------------------------------------------------------------

def extension_notice(reg: Register, matter_id: str, *, event_id: str | None = None,
                     policy: MaskPolicy | None = None) -> ExtensionNotice:
    """The 延期办理告知书 of the matter's latest extension (or of ``event_id``)."""
    matter = petitions.detail.matter(reg, matter_id)
    extensions = _events(reg, matter_id, "extend")
    if event_id is not None:
        extensions = [e for e in extensions if e["id"] == event_id] or extensions[:0]
    if not extensions or not matter["accepted_on"]:
        raise ValidationError(_("信访件{number}没有延期办理的记录，不能打印延期办理告知书。").format(
            number=matter["number"]), "case")
    event = extensions[-1]
    all_events = _events(reg, matter_id, "extend")
    before = sum(int(_data(e).get("days", 0)) for e in all_events[:all_events.index(event)])
    days = int(_data(event).get("days", 0)) or max(0, int(matter["extension_days"]) - before)
    cal = calendar_store.calendar(reg)
    accepted = date.fromisoformat(matter["accepted_on"])
    original = compute_deadline(DeadlineKind.HANDLING, accepted, cal, extension_days=before).due
    new = compute_deadline(DeadlineKind.HANDLING, accepted, cal,
                           extension_days=before + days).due
    issued = date.fromisoformat(event["occurred_on"])
    number = docnumbers.number_for(reg, "extension", f"{matter_id}:{event['id']}", issued.year)
    return ExtensionNotice(**_base(reg, matter, issued, number, policy), accepted_on=accepted,
                           original_due=original, extension_days=days, new_due=new,
                           reason=str(event["note"] or matter["extension_reason"] or ""),
                           query_code=matter["query_code"])


_OUTCOMES = {"支持": Outcome.SUPPORT, "解释说明": Outcome.EXPLAIN, "不予支持": Outcome.REJECT}


def _requests(matter: Row) -> list[str]:
    lines = [line.strip(" 　；;。") for line in str(matter["request"] or "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) == 1:  # "要求甲；要求乙" typed on one line
        parts = [p.strip() for p in lines[0].replace(";", "；").split("；") if p.strip()]
        lines = parts or lines
    return lines or [_("要求解决{summary}的问题").format(summary=matter_summary(matter))]


def reply_opinion(reg: Register, matter_id: str, *, policy: MaskPolicy | None = None
                  ) -> ReplyOpinion:
    """The 答复意见书 drafted from the matter and its 答复 step: the requests as recorded, the
    outcome chosen at the reply, and the reply's note as the facts found."""
    matter = petitions.detail.matter(reg, matter_id)
    event = _last_event(reg, matter_id, "reply")
    if event is None or not matter["accepted_on"]:
        raise ValidationError(_("信访件{number}还没有作出答复，不能打印答复意见书。").format(
            number=matter["number"]), "case")
    result = str(_data(event).get("result") or matter["reply_result"] or "")
    outcome = _OUTCOMES.get(result)
    if outcome is None:
        raise ValidationError(_("答复记录中没有处理意见（支持、解释说明或不予支持）。"), "result")
    issued = date.fromisoformat(event["occurred_on"])
    note = str(event["note"] or "").strip()
    items = tuple(ReplyItem(request, outcome, "") for request in _requests(matter))
    copies = [unit for unit in preferences.REPLY_COPIES_TO.read(reg) if unit.strip()]
    unit = str(matter["handling_unit"] or "")
    if unit and unit not in copies:
        copies.append(unit)
    number = docnumbers.number_for(reg, "reply", matter_id, issued.year)
    return ReplyOpinion(
        **_base(reg, matter, issued, number, policy),
        accepted_on=date.fromisoformat(matter["accepted_on"]),
        findings=note,
        legal_basis=_("《信访工作条例》等有关法律法规和政策的规定"), items=items,
        review_organ=preferences.REVIEW_ORGAN.read(reg) or _("上一级行政机关"),
        copies_to=tuple(copies))


# ----- what a matter can print ---------------------------------------------------------------------

def documents_for(reg: Register, matter: Row) -> list[tuple[str, str]]:
    """(kind, menu label) of the documents valid for the matter's current state."""
    out = [("receipt", _("登记回执"))]
    try:
        kind = notice_kind(matter)
    except ValidationError:
        kind = ""
    labels = {"acceptance": _("受理告知书"), "rejection": _("不予受理告知书"),
              "no_further": _("不再受理告知书")}
    if kind:
        out.append(("notice", labels[kind]))
    if matter["accepted_on"] and _events(reg, matter["id"], "extend"):
        out.append(("extension", _("延期办理告知书")))
    if matter["accepted_on"] and _events(reg, matter["id"], "reply"):
        out.append(("reply", _("答复意见书")))
    return out
