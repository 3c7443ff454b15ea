"""A year (or ``months``) of weekly grid screenings for the demo register: every grid reports
most weeks — some late, some not at all —, zero reports are common, disputes live across
several weeks and are updated, some high-risk, some past their deadline, some sent to
mediation or registered as petition matters, and each finished month is issued and locked
(one reopened with a reason). Everything goes through the real entry functions, with the
register's clock moved to the simulated moment of each entry, so audit times are realistic."""

from __future__ import annotations

import random
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from storage import codes, screening, station
from storage.errors import PetitionDeskError
from storage.register import SYSTEM, Register
from storage.screening import Period, issue_month, parse_month, periods_between, reopen_month

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = ("建国", "秀英", "桂兰", "志强", "海燕", "德明", "小红", "文华", "春生", "玉兰", "国平",
         "丽娟", "永福", "金凤", "红梅", "伟", "敏", "静", "军", "磊", "洋", "勇", "艳", "杰",
         "娜", "涛", "明", "超", "霞", "平", "刚", "燕", "辉", "鹏", "华", "喆", "堃", "赟")
LEADERS = ("王副镇长", "陈副书记", "刘副镇长", "周组织委员", "孙政法委员", "吴人大主席")
PLACES = ("村东头", "三组田头", "老街17号", "村委会门口", "集镇农贸市场", "河边承包地", "新村小区",
          "村北工地", "养殖场", "村小学旁")

SUMMARIES: dict[str, tuple[str, ...]] = {
    "婚姻家庭": ("夫妻因家庭琐事多次争吵，女方要求离婚，双方对子女抚养有分歧",
             "兄弟三人对老人赡养费分担意见不一，老人生活困难"),
    "邻里": ("两户因排水沟走向发生争执，一方堵塞水沟致另一方院内积水",
           "因建房采光和滴水问题发生口角，双方情绪激动"),
    "房屋宅基地": ("宅基地界址不清，翻建房屋时双方对围墙位置有争议",
              "祖宅分家析产纠纷，兄妹对老屋归属意见不一"),
    "合同": ("土地流转合同到期后，承包方拖欠最后一年流转费", "装修款结算纠纷，双方对工程量有争议"),
    "生产经营": ("合伙养殖散伙，双方对设备和存栏分割有争议",),
    "损害赔偿": ("散养家禽啄食邻居菜地，双方就赔偿数额协商不成", "村民被邻居家犬咬伤，医药费赔偿有争议"),
    "山林土地": ("承包地边界被耕占约半分地，双方多次争吵", "对山林承包经营权归属有争议"),
    "征地拆迁": ("对征地补偿款分配方案有意见，部分村民拟集体上访", "拆迁安置面积核定有异议"),
    "环境污染": ("养猪场气味和污水影响周边住户，多户联名反映", "小作坊夜间噪声扰民"),
    "劳动争议": ("农民工在村内工地务工被拖欠工资，人数较多", "工厂辞退职工未支付经济补偿"),
    "消费": ("购买农资种子出芽率低，农户要求赔偿",),
    "医疗": ("村卫生室诊疗后病情加重，家属要求说法",),
    "道路交通事故": ("电动车与三轮车相撞致一人受伤，赔偿未谈妥",),
    "物业": ("安置小区物业费上涨，业主拒交并与物业发生冲突",),
    "其他": ("村民对村务公开有意见，要求查看账目",),
}
MEASURES = ("村调委会上门调解，做双方思想工作", "网格员持续跟踪，约谈双方当事人", "联系镇司法所介入调解",
            "组织现场勘查，邀请老党员参与调处", "向包案领导汇报，制定化解方案", "约请双方到村委会面对面协商")
PROGRESS = ("再次上门走访，双方情绪趋于平稳", "已组织双方协商一次，分歧有所缩小", "当事人外出务工，电话联系沟通",
            "对方同意让步，正在拟定协议", "经村两委研究，提出化解方案", "未有新进展，继续跟踪")
TRANSFERS = ("镇派出所", "镇司法所", "人民法院", "镇综治中心")
RISK_WEIGHTS = (3, 10, 55, 32)  # most serious first


@dataclass
class _Sim:
    reg: Register
    rng: random.Random
    end: datetime
    grace: int
    reporters: dict[str, str]
    units: list[str]
    types: list[str]
    levels: list[str]
    stats: dict[str, int] = field(default_factory=dict)
    stubborn: set[str] = field(default_factory=set)
    mediations: dict[str, date] = field(default_factory=dict)

    def bump(self, key: str, count: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + count

    def at(self, moment: datetime) -> None:
        self.reg.clock = lambda: moment


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "150", "151", "187", "135")) + f"{rng.randrange(10**8):08d}"


def _reporters(reg: Register, rng: random.Random, grids: list[station.Grid]) -> dict[str, str]:
    """Who screens each grid: its liaison (assigned or of the village), else a made-up name."""
    from storage.screening import grid_liaisons

    known = grid_liaisons(reg, grids)
    return {g.id: (known[g.id].split("、")[0] if known[g.id] else _name(rng)) for g in grids}


def _new_dispute(sim: _Sim, grid: station.Grid, period: Period, found: date) -> None:
    rng = sim.rng
    dtype = rng.choice(sim.types)
    weights = [RISK_WEIGHTS[i] if i < len(RISK_WEIGHTS) else 10 for i in range(len(sim.levels))]
    level = rng.choices(sim.levels, weights=weights)[0]
    serious = level in screening.alert_levels(sim.reg)
    names: list[str] = []
    while len(names) < rng.choice((2, 2, 2, 3)):  # distinct: the same party twice is refused
        candidate = _name(rng)
        if candidate not in names:
            names.append(candidate)
    parties = [screening.PartyInput(n, _phone(rng) if rng.random() < 0.8 else "") for n in names]
    persons = len(parties) + (rng.randrange(5, 40) if serious or dtype in ("征地拆迁", "劳动争议")
                              else rng.randrange(0, 4))
    inp = screening.DisputeInput(
        type=dtype, parties=parties, persons_involved=persons,
        summary=rng.choice(SUMMARIES.get(dtype, SUMMARIES["其他"])), risk_level=level,
        place=grid.village_name + rng.choice(PLACES),
        may_collective=serious and persons >= 5 and rng.random() < 0.7,
        may_skip_level=serious and rng.random() < 0.3,
        may_criminal=level == sim.levels[0] and rng.random() < 0.5,
        measures=rng.choice(MEASURES), responsible_unit=rng.choice(sim.units),
        responsible_person=rng.choice(LEADERS) if serious or rng.random() < 0.6 else "",
        deadline=found + timedelta(days=rng.choice((7, 10, 15, 15, 30, 30, 45))),
        found_on=found)
    d = screening.add_dispute(sim.reg, grid.id, period.key, inp, reporter=sim.reporters[grid.id],
                          allow_similar=True)
    sim.bump("disputes")
    if serious:
        sim.bump("high_risk")
    if rng.random() < 0.08:
        sim.stubborn.add(d["id"])  # drags on past its deadline
    if rng.random() < (0.5 if serious else 0.15):
        _escalate(sim, d["id"])


def _escalate(sim: _Sim, dispute_id: str) -> None:
    from storage.screening import register_as_matter, send_to_mediation

    # A petition matter registered long ago would still sit unaccepted in the petition
    # register (the demo's matters follow their own plan), so only recent ones go there.
    recent = (sim.end.date() - screening.today(sim.reg)).days <= 45
    try:
        if not recent or sim.rng.random() < 0.6:
            send_to_mediation(sim.reg, dispute_id, mediators=[_name(sim.rng)])
            sim.mediations[dispute_id] = screening.today(sim.reg)
            sim.bump("to_mediation")
        else:
            register_as_matter(sim.reg, dispute_id)
            sim.bump("to_matter")
    except (PetitionDeskError, ImportError, TypeError):
        sim.bump("escalation_skipped")


def _finish_mediation(sim: _Sim, dispute_id: str) -> bool:
    """Let the mediation module record the agreement, performed at signing: the resolution
    flows back onto the dispute. False if that module cannot do it here."""
    try:
        from storage import mediation

        case_id = screening.dispute(sim.reg, dispute_id)["mediation_id"]
        today = screening.today(sim.reg)
        mediation.record_session(sim.reg, case_id, mediation.SessionInput(
            held_on=today, recorder=_name(sim.rng), record="双方陈述各自意见，调解员释法说理",
            result="agreed", agreed="双方同意和解"))
        mediation.sign_agreement(sim.reg, case_id, mediation.AgreementInput(
            signed_on=today, terms="双方自愿达成和解，互不追究", form="oral",
            performed_at_signing=True))
    except (PetitionDeskError, ImportError, TypeError, AttributeError, KeyError):
        return False
    return screening.dispute(sim.reg, dispute_id)["status"] == screening.RESOLVED


def _progress(sim: _Sim, dispute: dict[str, Any], period: Period, grid: station.Grid) -> None:
    """One week's word on an open dispute."""
    rng = sim.rng
    today = min(screening.today(sim.reg), period.end)
    if dispute["id"] in sim.mediations:
        if (today - sim.mediations[dispute["id"]]).days >= 14 and rng.random() < 0.5:
            if _finish_mediation(sim, dispute["id"]):
                sim.bump("resolved")
                del sim.mediations[dispute["id"]]
        return
    prog = screening.DisputeProgress(note=rng.choice(PROGRESS))
    roll = rng.random()
    stubborn = dispute["id"] in sim.stubborn
    if dispute["status"] == screening.OPEN and roll < 0.5:
        prog.status = screening.IN_PROGRESS
    elif roll < (0.03 if stubborn else 0.35 if dispute["risk_level"] in screening.alert_levels(sim.reg)
                 else 0.6):
        prog.status = screening.RESOLVED
        prog.resolved_on = today
        prog.resolution_way = rng.choices(list(screening.RESOLUTION_WAYS), (50, 25, 5, 20))[0]
        prog.followup = rng.choice(("双方表示满意，未再发生矛盾", "回访时双方关系已缓和", ""))
    elif not stubborn and roll < 0.66:
        prog.status = screening.TRANSFERRED
        prog.transfer_to = rng.choice(TRANSFERS)
    elif roll < 0.75 and dispute["deadline"] and dispute["deadline"] < today.isoformat() and not stubborn:
        prog.deadline = today + timedelta(days=15)
        prog.note += "；申请延长化解时限"
    if rng.random() < 0.08 and dispute["risk_level"] != sim.levels[0]:
        prog.risk_level = sim.levels[max(0, sim.levels.index(dispute["risk_level"]) - 1)]
        prog.responsible_person = dispute["responsible_person"] or rng.choice(LEADERS)
        prog.deadline = prog.deadline or today + timedelta(days=10)
    try:
        screening.update_dispute(sim.reg, dispute["id"], prog, period_key=period.key,
                             reporter=sim.reporters[grid.id])
    except PetitionDeskError:
        sim.bump("update_skipped")
        return
    sim.bump("updates")
    if prog.status == screening.RESOLVED:
        sim.bump("resolved")


def _report(sim: _Sim, grid: station.Grid, period: Period) -> None:
    """The grid's report of period ``p``, entered at the current simulated moment."""
    rng = sim.rng
    open_ones = [d for d in screening.carried_disputes(sim.reg, grid.id, period)
                 if d["status"] in screening.ACTIVE_STATUSES]
    found = period.start + timedelta(days=rng.randrange(0, 7 if period.cadence == "weekly" else 10))
    found = min(found, period.end, screening.today(sim.reg))
    new = rng.random() < 0.12
    updates = [d for d in open_ones if rng.random() < 0.7]
    if not new and not updates:
        screening.report_zero(sim.reg, grid.id, period.key, screened_on=found,
                          reporter=sim.reporters[grid.id])
        sim.bump("zero_reports")
    for d in updates:
        _progress(sim, d, period, grid)
    if new:
        _new_dispute(sim, grid, period, found)
    if screening.find_report(sim.reg, grid.id, period.key) is not None:
        sim.bump("reports")


def _entry_moment(sim: _Sim, period: Period, reliability: float) -> datetime | None:
    """When the report of ``p`` comes in: usually by the due date, sometimes late, sometimes
    never (None)."""
    rng = sim.rng
    if rng.random() > reliability:
        return None
    due = period.due(sim.grace)
    if rng.random() < 0.08:
        day = due + timedelta(days=rng.randrange(1, 5))
    else:
        day = period.end - timedelta(days=rng.randrange(0, 2)) + timedelta(days=rng.randrange(0, 2))
        day = min(day, due)
    return datetime.combine(day, time(rng.randrange(8, 18), rng.randrange(60)))


def generate_demo(reg: Register, rng: random.Random, *, start: date,
                  months: int) -> dict[str, int]:
    """Screenings from ``start`` for ``months`` months (not beyond the register's "now") for
    every grid of the station; returns counts of what was made."""
    saved_clock, saved_actor = reg.clock, reg.actor
    end = saved_clock()
    grids = station.grids(reg)
    year, month = divmod(start.month - 1 + months, 12)
    month += 1
    nominal_end = date(start.year + year, month, min(start.day, monthrange(start.year + year,
                                                                          month)[1]))
    stop = min(nominal_end - timedelta(days=1), end.date())
    sim = _Sim(reg, rng, end, screening.grace_days(reg), _reporters(reg, rng, grids),
               codes.labels(reg, "handling_unit") or ["镇综治中心"],
               codes.labels(reg, "dispute_type"), screening.risk_levels(reg))
    # Whole periods from ``start`` on: nothing is reported before the station existed.
    periods = [p for p in periods_between(screening.cadence(reg), start, stop) if p.start >= start]
    if not periods:
        return {}
    reg.set_setting(screening.SETTING_START, periods[0].start.isoformat())
    reliability = {g.id: rng.choice((0.8, 0.9, 0.95, 0.97, 0.99)) for g in grids}
    events: list[tuple[datetime, int, Callable[[], None]]] = []
    for p in periods:
        for g in grids:
            moment = _entry_moment(sim, p, reliability[g.id])
            if moment is None:
                sim.bump("missing")
            elif moment <= end:
                events.append((moment, len(events), partial(_report, sim, g, p)))
                if moment.date() > p.due(sim.grace):
                    sim.bump("late")
    months_done = sorted({p.month for p in periods})
    reopen_at = months_done[len(months_done) // 2] if len(months_done) > 2 else None
    for key in months_done:
        y, m = parse_month(key)
        last_end = max(p.end for p in periods if p.month == key)
        moment = datetime.combine(last_end + timedelta(days=sim.grace + 7), time(16, 30))
        if moment <= end and last_end <= stop:
            events.append((moment, len(events), partial(_issue, sim, y, m)))
            if key == reopen_at:
                events.append((moment + timedelta(days=2), len(events),
                               partial(_reopen, sim, y, m)))
    events.sort(key=lambda e: (e[0], e[1]))
    if reg.actor.role not in ("clerk", "head"):
        reg.actor = SYSTEM
    try:
        for moment, _i, action in events:
            sim.at(moment)
            action()
    finally:
        reg.clock, reg.actor = saved_clock, saved_actor
    sim.stats["overdue"] = int(reg.scalar(
        "SELECT count(*) FROM disputes WHERE deleted = 0 AND status IN (?, ?) AND deadline < ?",
        (*screening.ACTIVE_STATUSES, end.date().isoformat())))
    sim.stats["months"] = len(months_done)
    sim.stats["grids"] = len(grids)
    return dict(sorted(sim.stats.items()))


def _issue(sim: _Sim, year: int, month: int) -> None:
    try:
        issue_month(sim.reg, year, month)
        sim.bump("months_locked")
    except PetitionDeskError:
        sim.bump("issue_skipped")


def _reopen(sim: _Sim, year: int, month: int) -> None:
    actor = sim.reg.actor
    sim.reg.actor = SYSTEM if actor.role != "head" else actor
    try:
        reopen_month(sim.reg, year, month, "村里补交了漏报的纠纷台帐，需要更正后重新出具")
        sim.bump("months_reopened")
        issue_month(sim.reg, year, month)
    except PetitionDeskError:
        sim.bump("issue_skipped")
    finally:
        sim.reg.actor = actor
