"""Real register data for the printing tests, made through the storage APIs only: petition
matters in every state that prints something, a mediation case from application to follow-up,
and a month of grid screening."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from storage import accounts, mediation, petitions, station
from storage import screening as sc
from storage.mediation import AgreementInput, CaseInput, FollowUpInput, PartyInput, SessionInput
from storage.petitions import PetitionerInput, RegistrationInput
from storage.register import Register, Row
from tests.helpers.registers import FakeClock

ID_NUMBER = "11010519491231002X"  # valid GB 11643 examples (docs/domain.md §6.1)
ID_NUMBER_2 = "440524188001010014"
ID_A = "110101199003070038"
MOBILE = "13812345678"
MOBILE_2 = "13912345678"


def petitioner(name: str = "吉𠮷", id_number: str = ID_NUMBER, phone: str = MOBILE,
               existing_id: str | None = None) -> PetitionerInput:
    return PetitionerInput(name=name, id_number=id_number, phone=phone,
                           address="花园镇春明村一组8号", existing_id=existing_id)


def register(reg: Register, received: date, *, people: list[PetitionerInput] | None = None,
             summary: str = "反映春明村一组二轮承包地被村组收回另行发包",
             request: str = "要求恢复1.8亩水田的承包经营权\n要求赔偿两年的种植收益损失",
             form: str = "来访") -> Row:
    village = station.villages(reg)[0].id
    return petitions.register(reg, RegistrationInput(
        form=form, received_on=received, petitioners=people or [petitioner()],
        summary=summary, request=request,
        facts="2026年1月村民小组会议调整承包地，本户水田被收回。",
        category1="农村农业", category2="土地承包经营", problem_village_id=village))


@dataclass
class Matters:
    registered: Row
    accepted: Row  # accepted, forwarded, extended once, replied
    rejected: Row
    earlier: Row  # went through 复查 and 复核
    no_further: Row


def build_matters(reg: Register) -> Matters:
    """The FakeClock stands on 2026-03-02; every step is dated on or before it."""
    registered = register(reg, date(2026, 3, 2), people=[petitioner("王堃", ID_A, MOBILE_2)],
                          summary="反映金桥路道路破损严重", request="要求尽快修复道路")
    accepted = register(reg, date(2026, 2, 20))
    mid = accepted["id"]
    petitions.accept(reg, mid, date(2026, 2, 24))
    petitions.forward(reg, mid, date(2026, 2, 24), "转送", "镇农业农村办")
    petitions.extend(reg, mid, date(2026, 2, 26), 20, "涉及1998年以来的承包台账核查，情况复杂")
    petitions.reply(reg, mid, date(2026, 3, 2), "支持",
                   "经查阅二轮延包合同和确权登记资料，该1.8亩水田登记在信访人户名下。")
    rejected = register(reg, date(2026, 2, 23),
                        people=[petitioner("刘䶮", ID_NUMBER_2, "0512-65432109")],
                        summary="反映苏州某机械厂拖欠工资", request="要求支付拖欠工资")
    petitions.not_accept(reg, rejected["id"], date(2026, 2, 25),
                        "该事项属于劳动争议，依法应当通过劳动争议仲裁程序解决", "劳动人事争议仲裁")
    earlier = register(reg, date(2025, 9, 1), people=[petitioner("张喆", "", "13700001111")],
                       summary="反映邻居宅基地界址争议", request="要求确定界址")
    eid = earlier["id"]
    for on, name, kw in ((date(2025, 9, 3), "accept", {}),
                         (date(2025, 10, 10), "reply", {"result": "解释说明"}),
                         (date(2025, 10, 20), "request_review", {}),
                         (date(2025, 11, 10), "decide_review", {"result": "维持"}),
                         (date(2025, 11, 20), "request_rereview", {}),
                         (date(2025, 12, 15), "decide_rereview", {"result": "维持"})):
        getattr(petitions, name)(reg, eid, on, **kw)
    person = petitions.petitioners_of(reg, eid)[0]
    no_further = register(reg, date(2026, 2, 26),
                          people=[petitioner("张喆", "", "13700001111", person["id"])],
                          summary="反映邻居宅基地界址争议", request="要求确定界址")
    petitions.not_reaccept(reg, no_further["id"], date(2026, 2, 27),
                          "同一事实和理由已经复核终结，不再受理")
    return Matters(registered, reg.get("matters", mid), reg.get("matters", rejected["id"]),
                   reg.get("matters", eid), reg.get("matters", no_further["id"]))


# ----- mediation -----------------------------------------------------------------------------

TODAY = date(2026, 3, 2)


def mediation_case(reg: Register) -> Row:
    """An applied-for case with a rare-name party: investigation, two sessions, a written
    agreement with an amount, performance and a follow-up."""
    case = mediation.open_mediation(reg, CaseInput(
        source="application", dispute_type="邻里", title="陈玥与李赟相邻通行纠纷",
        facts="李赟在两家之间的通道上堆放柴草，陈玥无法通行，双方多次争吵。",
        claims="清除通道上的柴草\n赔偿损失500元", accepted_on=TODAY - timedelta(days=20),
        amount="500", mediators=["陈调解"], recorder="李文静", place="春明村三组",
        village_id=station.villages(reg)[0].id), [
        PartyInput(side="a", name="陈玥", id_number=ID_A, phone=MOBILE, ethnic_group="汉族",
                   occupation="农民", address="春明村3组5号"),
        PartyInput(side="b", name="李赟", gender="女", age=52, phone=MOBILE_2,
                   address="春明村3组6号", agent="李小明")])
    cid = case["id"]
    mediation.record_session(reg, cid, SessionInput(
        held_on=TODAY - timedelta(days=18), kind="investigation", place="春明村3组",
        participants="村民小组长王伟", findings="通道宽1.2米，柴草堆放约半米。",
        record="问：柴草何时堆放？答：去年秋收后。"))
    mediation.record_session(reg, cid, SessionInput(
        held_on=TODAY - timedelta(days=15), place="春明村调解室", time="14:30",
        rights_notified=True, statement_a="通道被堵，要求清除并赔偿。",
        statement_b="柴草暂放，愿意搬走，但不同意赔偿。", record="双方分歧在赔偿数额。",
        result="continue"))
    mediation.record_session(reg, cid, SessionInput(
        held_on=TODAY - timedelta(days=12), place="春明村调解室", rights_notified=True,
        statement_a="同意降低赔偿。", statement_b="同意赔偿200元。",
        agreed="三日内清除柴草，赔偿200元", result="agreed"))
    signed = TODAY - timedelta(days=11)
    mediation.sign_agreement(reg, cid, AgreementInput(
        signed_on=signed, terms="一、李赟于三日内清除通道上的柴草；\n二、李赟赔偿陈玥损失200元。",
        issues="通道堆放柴草及赔偿数额", responsibilities="李赟负主要责任",
        performance_manner="自行清除并当面支付", performance_place="春明村3组通道",
        performance_deadline=signed + timedelta(days=3), amount="200"))
    mediation.record_performance(reg, cid, on=signed + timedelta(days=3), status="performed",
                                 note="已清除并支付", evidence="收条一张")
    mediation.record_followup(reg, cid, FollowUpInput(
        visited_on=TODAY - timedelta(days=2), visitor="陈调解", performance="已履行完毕",
        visited_persons="陈玥、李赟", satisfaction="满意"))
    return reg.get("mediations", cid)


# ----- screening ---------------------------------------------------------------------------------

def grids(reg: Register) -> dict[str, station.Grid]:
    return {f"{g.village_name}{g.name}": g for g in station.grids(reg)}


def screening_month(reg: Register, clock: FakeClock) -> None:
    """February 2026 (weeks 6–9): 春明村一组 finds two disputes in W06, 春明村二组 zero-reports
    every week, 九龙社区东片 reports once, 石桥村一组 never reports."""
    g = grids(reg)
    a, b, jl = (g[k].id for k in ("春明村一组", "春明村二组", "九龙社区东片"))
    clerk = reg.actor
    reg.actor = accounts.find_user(reg, "head").actor()
    sc.set_cadence(reg, "weekly")
    reg.set_setting("screening_start", "2026-02-01")
    reg.actor = clerk
    clock.now = datetime(2026, 2, 6, 9, 0)
    sc.add_dispute(reg, a, "2026-W06", sc.DisputeInput(
        type="征地拆迁", parties=[sc.PartyInput("吉𠮷", MOBILE), sc.PartyInput("王堃")],
        summary="征地补偿款分配有意见，拟集体上访", risk_level="红", persons_involved=35,
        may_collective=True, measures="镇村干部入户解释政策", responsible_unit="镇综治中心",
        responsible_person="刘副镇长", deadline=date(2026, 2, 20)))
    sc.add_dispute(reg, a, "2026-W06", sc.DisputeInput(
        type="邻里", parties=[sc.PartyInput("张喆", "0512-6512345"), sc.PartyInput("李赟")],
        summary="排水沟走向争执，院内积水", risk_level="黄", measures="村调委会上门调解",
        responsible_unit="村（社区）委员会", responsible_person="赵德福",
        deadline=date(2026, 2, 28)))
    sc.add_dispute(reg, jl, "2026-W06", sc.DisputeInput(
        type="婚姻家庭", parties=[sc.PartyInput("陈玥"), sc.PartyInput("刘䶮")],
        summary="赡养老人费用分担争执", risk_level="蓝"))
    for week, day in (("2026-W06", 6), ("2026-W07", 13), ("2026-W08", 20), ("2026-W09", 27)):
        clock.now = datetime(2026, 2, day, 10, 0)
        sc.report_zero(reg, b, week)
    clock.now = datetime(2026, 3, 2, 9, 0)
