"""The monthly statistics report to the county (docs/domain.md §7), portrait A4.

Figures come from ``storage.petitions.statistics.monthly`` (petitions and the assessed rates, each rate
with its numerator and denominator and the definition it was counted by), its ``mediation``
figures (``storage.mediation.stats``) and the month's screening sheet
(``storage.screening.sheet``). Nothing is counted here: the report only lays the figures out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from printing import chainhead, charts
from printing.layout import (
    A4_PORTRAIT,
    Column,
    SealBlock,
    build_pdf,
    chinese_date,
    chinese_month,
    data_table,
    info_line,
    para,
    scaled,
    side_by_side,
    styles,
)
from printing.leadership_docs import leadership_section
from printing.models import StationInfo
from storage import codes, leadership, petitions
from storage.i18n import N_, _
from storage.mediation import MonthStats
from storage.screening import ScreeningSheet
from storage.statistics import MonthlyStatistics, Rate

WIDTH = A4_PORTRAIT.frame_width
SIZE = 10.5


@dataclass(frozen=True)
class MonthlyReport:
    """What the report prints: the station, the month's statistics, the month's screening
    sheet (None when screening is not kept) and the day the report is made."""

    station: StationInfo
    station_code: str
    stats: MonthlyStatistics
    screening: ScreeningSheet | None
    made_on: date
    #: 包案, 积案, 交办/督办 and leaders' reception (storage/leadership — figures)
    leadership: leadership.LeadershipFigures | None = None
    #: the audit chain's head when printed, in every page's footer (printing/chainhead.py)
    chain_head: str = ""
    #: 信访总量 of each month of the report's year and of the year before (the trend chart)
    trend: tuple[tuple[int, ...], tuple[int, ...]] | None = None

    @property
    def year_month(self) -> tuple[int, int]:
        year, month = self.stats.month.split("-")
        return int(year), int(month)

    @property
    def title(self) -> str:
        year, month = self.year_month
        return _("{month}信访工作统计月报").format(month=chinese_month(year, month))


def _heading(text: str) -> Flowable:
    return para(text, scaled(styles().heading, 13, 20, firstLineIndent=0, spaceBefore=10,
                             spaceAfter=4))


def _table(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> Table:
    if not rows:
        rows = [tuple(["—"] * len(columns))]
    return data_table(columns, rows, width=WIDTH, size=SIZE)


def _share(count: int, total: int) -> str:
    return f"{100.0 * count / total:.1f}%" if total else "—"


def ordered(counts: dict[str, int], order: Sequence[str]) -> dict[str, int]:
    """``counts`` in the order of a code table (labels it lacks go last, as they came)."""
    out = {k: counts[k] for k in order if k in counts}
    out.update((k, v) for k, v in counts.items() if k not in out)
    return out


def _counts(title: str, counts: dict[str, int], unit_label: str) -> Table:
    total = sum(counts.values())
    rows = [(label, str(n), _share(n, total)) for label, n in counts.items()]
    if rows:
        rows.append((_("合计"), str(total), "100.0%" if total else "—"))
    return _table([Column(title, 3.0), Column(unit_label, 1.2, "right"),
                   Column(_("占比"), 1.2, "right")], rows)


def _labelled(counts: dict[str, int], label: Callable[[str], str]) -> dict[str, int]:
    """``counts`` keyed by stored values, re-keyed by their labels in the current language."""
    out: dict[str, int] = {}
    for key, n in counts.items():
        shown = label(key)
        out[shown] = out.get(shown, 0) + n
    return out


def _rate(rate: Rate) -> tuple[str, str, str]:
    p = rate.percent
    return str(rate.numerator), str(rate.denominator), "—" if p is None else f"{p:.1f}%"


def volume_section(st: MonthlyStatistics) -> list[Flowable]:
    rows = [
        (_("信访总量"), _("{n}件次").format(n=st.total_items),
         _("新登记{new}件，重复来访{rep}次").format(new=st.new_matters, rep=st.repeat_visits)),
        (_("来访"), _("{b}批{p}人次").format(b=st.visit_batches, p=st.visit_persons), ""),
        (_("集体访"), _("{b}批{p}人次").format(b=st.collective_batches,
                                            p=st.collective_persons),
         _("来访人数达到集体访标准的")),
        (_("越级访"), _("{n}件").format(n=st.skip_level), ""),
        (_("初件／重件"), _("{a}件／{b}件").format(a=st.first_petitions, b=st.repeat_petitions),
         _("同一信访人反映同类问题的为重件")),
    ]
    return [
        _heading(_("一、信访总量")),
        _table([Column(_("项目"), 1.6), Column(_("数量"), 1.6, "right", whole=True),
                Column(_("说明"), 3.2)], rows),
        Spacer(0, 6),
        _counts(_("信访形式"), _labelled(st.by_form, codes.form_label), _("件数")),
    ]


def handling_section(st: MonthlyStatistics) -> list[Flowable]:
    rows = [(label, str(n)) for label, n in st.decided.items()]
    rows += [(_("答复：{result}").format(result=petitions.value_label(label)), str(n))
             for label, n in ordered(st.replies, petitions.REPLY_RESULTS).items()]
    rows += [(_("本月办结"), str(st.closed)), (_("月末未办结"), str(st.open_at_end)),
             (_("月末已超期"), str(st.overdue_at_end))]
    return [_heading(_("四、办理情况")),
            _table([Column(_("项目"), 3.0), Column(_("件数"), 1.2, "right")], rows)]


RATE_NOTES = {
    "timely": N_("书面告知期限在本月届满的信访件中，在期限内作出受理、不予受理或不再受理决定的"),
    "on_time": N_("办理期限（60日，含批准的延期）在本月届满的信访件中，在期限内答复的"),
    "participation": N_("本月答复的信访件中，信访人参加满意度评价的"),
    "satisfaction": N_("本月参评的信访件中，评价为“满意”的"),
}


def _note(key: str) -> str:
    note = RATE_NOTES[key]
    return _(note)


def rates_section(st: MonthlyStatistics) -> list[Flowable]:
    rows = [
        (_("及时受理率"), *_rate(st.timely_acceptance), _note("timely")),
        (_("按期办结率"), *_rate(st.on_time_completion), _note("on_time")),
        (_("参评率"), *_rate(st.rating_participation), _note("participation")),
        (_("满意率"), *_rate(st.satisfaction), _note("satisfaction")),
    ]
    out: list[Flowable] = [
        _heading(_("五、考核指标")),
        _table([Column(_("指标"), 1.3), Column(_("分子"), 0.7, "right"),
                Column(_("分母"), 0.7, "right"), Column(_("比率"), 0.9, "right"),
                Column(_("统计口径"), 4.2)], rows),
    ]
    if st.ratings:
        out.append(Spacer(0, 6))
        out.append(_counts(_("满意度评价"), _labelled(ordered(st.ratings, petitions.RATINGS),
                                                     petitions.value_label), _("件数")))
    return out


def mediation_section(stats: MonthStats) -> list[Flowable]:
    rate = f"{100.0 * stats.success_rate:.1f}%" if stats.success_rate is not None else "—"
    rows = [
        (_("受理"), _("{n}件").format(n=stats.accepted)),
        (_("调解成功（达成协议）"), _("{n}件（书面{w}件，口头{o}件）").format(
            n=stats.succeeded, w=stats.written, o=stats.oral)),
        (_("调解成功率"), _("{rate}（{s}/{a}）").format(rate=rate, s=stats.succeeded,
                                                 a=stats.concluded)),
        (_("调解不成／终止调解"), _("{f}件／{t}件").format(f=stats.failed, t=stats.terminated)),
        (_("协议涉及金额"), _("{amount}元").format(amount=f"{stats.amount:,.2f}")),
        (_("协议履行完毕"), _("{n}件").format(n=stats.performed)),
        (_("回访"), _("{n}次").format(n=stats.followups)),
        (_("司法确认"), _("{n}件").format(n=stats.judicial_confirmed)),
        (_("月末在调"), _("{n}件").format(n=stats.open_at_end)),
        (_("经调解化解的信访事项／排查纠纷"), _("{a}件／{b}件").format(
            a=stats.matters_resolved, b=stats.disputes_resolved)),
    ]
    out: list[Flowable] = [
        _heading(_("六、人民调解")),
        _table([Column(_("项目"), 2.4), Column(_("数量"), 3.0)], rows),
    ]
    if stats.by_type:
        out.append(Spacer(0, 6))
        type_rows = [(t, str(c.accepted), str(c.succeeded), str(c.failed), f"{c.amount:,.2f}")
                     for t, c in stats.by_type.items()]
        out.append(_table([Column(_("纠纷类型"), 1.6), Column(_("受理"), 0.8, "right"),
                           Column(_("成功"), 0.8, "right"), Column(_("不成或终止"), 1.0, "right"),
                           Column(_("涉及金额（元）"), 1.4, "right")], type_rows))
    if stats.by_source_group:
        out.append(Spacer(0, 6))
        out.append(_counts(_("案件来源"), stats.by_source_group, _("受理件数")))
    return out


def screening_section(sheet: ScreeningSheet | None) -> list[Flowable]:
    out: list[Flowable] = [_heading(_("七、矛盾纠纷排查"))]
    if sheet is None:
        out.append(para(_("本月无排查记录。"), scaled(styles().body_plain, SIZE, 16)))
        return out
    t, r = sheet.totals, sheet.reports
    rows = [
        (_("列入排查表的纠纷"), _("{n}件（新排查{a}件，上期结转{b}件）").format(
            n=t.total, a=t.new, b=t.carried_over)),
        (_("涉及人数"), _("{n}人").format(n=t.persons_involved)),
        (_("本月化解／已移交"), _("{a}件／{b}件").format(a=t.resolved_in_month,
                                                    b=t.transferred)),
        (_("尚在化解（其中逾期）"), _("{a}件（{b}件）").format(a=t.active, b=t.overdue)),
        (_("可能引发集体访／越级访／民转刑"), _("{a}件／{b}件／{c}件").format(
            a=t.may_collective, b=t.may_skip_level, c=t.may_criminal)),
        (_("网格报送"), _("应报{e}期次：有纠纷{r}、零报告{z}、迟报{late}、未报{m}").format(
            e=r.expected, r=r.reported, z=r.zero, late=r.late, m=r.missing)),
    ]
    out.append(_table([Column(_("项目"), 2.4), Column(_("数量"), 3.0)], rows))
    types = [(label, n) for label, n in sheet.by_type if n]
    risks = [(label, n) for label, n in sheet.by_risk if n]
    if types:
        out.append(Spacer(0, 6))
        out.append(_counts(_("纠纷类型"), dict(types), _("件数")))
    if risks:
        out.append(Spacer(0, 6))
        out.append(_counts(_("风险等级"), dict(risks), _("件数")))
    return out


def _pct(rate: Rate) -> str:
    p = rate.percent
    return "—" if p is None else _("{p}（{n}/{d}）").format(
        p=f"{p:.1f}%", n=rate.numerator, d=rate.denominator)


def summary_rows(report: MonthlyReport) -> list[tuple[str, str, str]]:
    """The month at a glance, as (section, item, value) rows — what the reports page shows
    on screen; the printed report has the same figures in full."""
    st = report.stats
    rows: list[tuple[str, str, str]] = [
        (_("信访总量"), _("信访总量"), _("{n}件次").format(n=st.total_items)),
        (_("信访总量"), _("新登记／重复来访"), _("{a}件／{b}次").format(
            a=st.new_matters, b=st.repeat_visits)),
        (_("信访总量"), _("来访"), _("{b}批{p}人次").format(b=st.visit_batches,
                                                       p=st.visit_persons)),
        (_("信访总量"), _("集体访"), _("{b}批{p}人次").format(b=st.collective_batches,
                                                        p=st.collective_persons)),
        (_("信访总量"), _("越级访"), _("{n}件").format(n=st.skip_level)),
        (_("信访总量"), _("初件／重件"), _("{a}件／{b}件").format(a=st.first_petitions,
                                                           b=st.repeat_petitions)),
    ]
    rows += [(_("办理情况"), label, _("{n}件").format(n=n)) for label, n in st.decided.items()]
    rows += [(_("办理情况"), _("答复：{r}").format(r=petitions.value_label(label)),
              _("{n}件").format(n=n))
             for label, n in ordered(st.replies, petitions.REPLY_RESULTS).items()]
    rows += [
        (_("办理情况"), _("本月办结"), _("{n}件").format(n=st.closed)),
        (_("办理情况"), _("月末未办结／已超期"), _("{a}件／{b}件").format(
            a=st.open_at_end, b=st.overdue_at_end)),
        (_("考核指标"), _("及时受理率"), _pct(st.timely_acceptance)),
        (_("考核指标"), _("按期办结率"), _pct(st.on_time_completion)),
        (_("考核指标"), _("参评率"), _pct(st.rating_participation)),
        (_("考核指标"), _("满意率"), _pct(st.satisfaction)),
    ]
    m = st.mediation
    if isinstance(m, MonthStats):
        rate = f"{100.0 * m.success_rate:.1f}%" if m.success_rate is not None else "—"
        rows += [
            (_("人民调解"), _("受理／调解成功"), _("{a}件／{s}件").format(a=m.accepted,
                                                                s=m.succeeded)),
            (_("人民调解"), _("调解成功率"), _("{rate}（{s}/{a}）").format(
                rate=rate, s=m.succeeded, a=m.concluded)),
            (_("人民调解"), _("协议涉及金额"), _("{amount}元").format(amount=f"{m.amount:,.2f}")),
        ]
    sheet = report.screening
    if sheet is not None:
        t, r = sheet.totals, sheet.reports
        rows += [
            (_("矛盾纠纷排查"), _("列入排查表的纠纷"), _("{n}件（新排查{a}件）").format(
                n=t.total, a=t.new)),
            (_("矛盾纠纷排查"), _("本月化解／逾期未化解"), _("{a}件／{b}件").format(
                a=t.resolved_in_month, b=t.overdue)),
            (_("矛盾纠纷排查"), _("网格报送"), _("应报{e}，零报告{z}，未报{m}").format(
                e=r.expected, z=r.zero, m=r.missing)),
        ]
    if report.leadership is not None:
        rows += leadership.figure_rows(report.leadership)
    return rows


def charts_section(report: MonthlyReport) -> list[Flowable]:
    """The trend, the categories and the channels, as the 统计报表 page shows them."""
    st = report.stats
    year, month = report.year_month
    half = WIDTH / 2
    out: list[Flowable] = []
    if report.trend is not None:
        out.append(charts.trend(year, report.trend[0], report.trend[1], month, WIDTH))
    out.append(side_by_side([charts.bars(_("按内容分类"), st.by_category, half),
                             charts.pie(_("按信访形式"), st.by_form, half)], [half, half]))
    return [KeepTogether(out)]


def report_story(report: MonthlyReport) -> list[Flowable]:
    st = report.stats
    s = styles()
    year, month = report.year_month
    story: list[Flowable] = [
        para(report.title, scaled(s.title, 20, 30, spaceAfter=6)),
        info_line([(_("填报单位"), report.station.name), (_("区划代码"), report.station_code),
                   (_("统计月份"), chinese_month(year, month))]),
        Spacer(0, 4),
        *volume_section(st),
        *charts_section(report),
        _heading(_("二、内容分类")),
        _counts(_("内容分类"), st.by_category, _("件数")),
        _heading(_("三、问题属地")),
        _counts(_("村（社区）"), st.by_village, _("件数")),
        *handling_section(st),
        *rates_section(st),
    ]
    if isinstance(st.mediation, MonthStats):
        story.extend(mediation_section(st.mediation))
    story.extend(screening_section(report.screening))
    if report.leadership is not None:
        story.extend(leadership_section(report.leadership))
    sign = para(_("填报人：＿＿＿＿＿＿\n审核人：＿＿＿＿＿＿\n填报日期：{date}").format(
        date=chinese_date(report.made_on)), scaled(s.small, 11, 24))
    seal = SealBlock(report.station.name, report.made_on, size=11, diameter=32 * mm,
                     right_indent_chars=2, space_before=0)
    story.append(KeepTogether([Spacer(0, 12), side_by_side([sign, seal],
                                                           [WIDTH * 0.5, WIDTH * 0.5],
                                                           valign="MIDDLE")]))
    return story


def build_report(report: MonthlyReport) -> bytes:
    return build_pdf(report_story(report), spec=A4_PORTRAIT, title=report.title,
                     author=report.station.name, subject=report.stats.month,
                     on_page=chainhead.footer(report.chain_head) if report.chain_head else None)


__all__ = ["MonthlyReport", "build_report", "ordered", "report_story", "summary_rows"]
