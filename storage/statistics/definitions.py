"""Every figure of the statistics (docs/domain.md §7.4): its key, its name, its unit, the
formula of a rate written out, what the drill-down lists behind it, and which way is better
in the county's ranking. Written once here; the reports page, the printed report, the
spreadsheet and the CLI all read these."""

from __future__ import annotations

from dataclasses import dataclass

from storage.i18n import N_, _

#: What a drill-down lists behind a figure.
MATTERS, MEDIATIONS, BACKLOG, SCREENING = "matters", "mediations", "backlog", "screening"


@dataclass(frozen=True)
class Definition:
    key: str
    label: str  # message id (Chinese)
    unit: str  # 件 / 批 / 人次 / "" for a rate
    formula: str  # the rule in words; for a rate: numerator ÷ denominator
    records: str = MATTERS
    lower_is_better: bool = True  # for the county ranking
    is_rate: bool = False

    @property
    def name(self) -> str:
        return _(self.label)

    @property
    def formula_text(self) -> str:
        return _(self.formula)


def _count(key: str, label: str, unit: str, formula: str, records: str = MATTERS) -> Definition:
    return Definition(key, label, unit, formula, records)


def _rate(key: str, label: str, formula: str, records: str = MATTERS) -> Definition:
    return Definition(key, label, "", formula, records, lower_is_better=False, is_rate=True)


DEFINITIONS: dict[str, Definition] = {d.key: d for d in (
    _count("total", N_("信访总量"), N_("件次"),
           N_("本期登记的信访件 + 本期发生的重复访（件次）")),
    _count("new_matters", N_("新登记信访件"), N_("件"), N_("登记日期在本期内的信访件（作废的不计）")),
    _count("repeat_visits", N_("重复访"), N_("次"),
           N_("本期发生的重复来访/来信，计入其发生月份，不改变原件的初件/重件")),
    _count("visit_batches", N_("来访批次"), N_("批"),
           N_("本期形式为来访的登记件与重复来访，每次计1批")),
    _count("visit_persons", N_("来访人次"), N_("人次"), N_("来访批次的来访人数之和")),
    _count("collective_batches", N_("集体访批次"), N_("批"),
           N_("本期登记的集体访（来访人数达到集体访人数标准）")),
    _count("collective_persons", N_("集体访人次"), N_("人次"), N_("集体访批次的来访人数之和")),
    _count("skip_level", N_("越级访"), N_("件"), N_("本期登记且标为越级访的信访件")),
    _count("first_petitions", N_("初件"), N_("件"), N_("本期登记的信访件中登记时判定为初件的")),
    _count("repeat_petitions", N_("重件"), N_("件"),
           N_("本期登记的信访件中登记时判定为重件的（同一信访人此前已有同类事项）")),
    _count("accepted", N_("受理"), N_("件"), N_("本期作出受理决定的信访件")),
    _count("not_accepted", N_("不予受理"), N_("件"), N_("本期作出不予受理决定的信访件")),
    _count("not_reaccepted", N_("不再受理"), N_("件"), N_("本期作出不再受理决定的信访件")),
    _count("carried_in", N_("上期末未办结"), N_("件"), N_("本期开始前登记、到本期开始时尚未办结的信访件")),
    _count("concluded", N_("本期办结"), N_("件"),
           N_("本期书面答复或决定不予受理/不再受理的信访件（办结）")),
    _count("open_at_end", N_("期末未办结"), N_("件"),
           N_("到期末尚未办结的信访件；上期末未办结 + 本期登记 = 本期办结 + 期末未办结")),
    _count("overdue_at_end", N_("期末已超期"), N_("件"),
           N_("到期末尚未办结、且按期末时的期限已经超过的信访件")),
    _rate("timely_acceptance", N_("及时受理率"),
          N_("受理告知期限在本期内、并在期限内作出受理/不予受理/不再受理决定的件数 ÷ 受理告知期限在本期内的件数")),
    _rate("on_time_completion", N_("按期办结率"),
          N_("办理期限（60日加期限届满前批准的延期）在本期内、并在期限内书面答复的件数 ÷ 办理期限在本期内的件数")),
    _rate("rating_participation", N_("参评率"),
          N_("本期答复的信访件中到期末已评价的件数 ÷ 本期答复的件数")),
    _rate("satisfaction", N_("满意率"),
          N_("参评率中已评价的件里，期末前最近一次评价为“满意”的件数 ÷ 已评价的件数")),
    _rate("mediation_success", N_("调解成功率"),
          N_("本期调解终结（达成协议、调解不成或终止）的案件中达成协议的件数 ÷ 本期调解终结的件数"),
          MEDIATIONS),
    _rate("backlog_resolution", N_("化解率"),
          N_("本期化解的积案件数 ÷ 本期积案总数（期末前列入、本期开始时尚未化解或移出）"), BACKLOG),
    _rate("screening_completeness", N_("排查上报完整率"),
          N_("本期应报的网格排查报告中已报（含零报告）的份数 ÷ 应报份数"), SCREENING),
)}

#: The figures shown with 同比/环比 (the main ones of the year-end summaries).
MAIN = ("total", "new_matters", "repeat_visits", "visit_batches", "visit_persons",
        "collective_batches", "skip_level", "first_petitions", "repeat_petitions", "concluded",
        "open_at_end", "overdue_at_end", "timely_acceptance", "on_time_completion",
        "rating_participation", "satisfaction", "mediation_success", "backlog_resolution",
        "screening_completeness")

#: The county assessment's indicators, in the order of its columns.
ASSESSED = ("total", "total_yoy", "timely_acceptance", "on_time_completion", "satisfaction",
            "first_petitions", "repeat_petitions", "collective_batches", "skip_level",
            "screening_completeness", "backlog_resolution")


def definition(key: str) -> Definition:
    return DEFINITIONS[key]
