"""Realistic demo mediation cases in every state, made through the same operations (and rules)
as the desk uses: some opened from petition matters and screened disputes of the register."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from storage import accounts, mediation, station
from storage.errors import PetitionDeskError
from storage.mediation import AgreementInput, CaseInput, FollowUpInput, PartyInput, SessionInput
from storage.register import Register
from storage.validation import id_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ("建国 秀英 桂英 志强 丽华 海燕 德明 玉兰 国平 春梅 永红 小军 伟 敏 静 磊 洋 勇 艳 杰 娟 涛"
         " 明 超 霞 平 刚 桂兰 建华 文斌 晓燕 金凤 玉梅 红梅 宏伟 家豪 子涵 雨轩 堃 喆 赟 玥").split()
MEDIATORS = ("陈国平", "周玉兰", "吴建华", "郑秀梅", "孙德胜")
RECORDERS = ("李文静", "钱晓燕")
OCCUPATIONS = ("农民", "工人", "个体经营者", "退（离）休人员", "无业人员", "教师")
COMPANIES = ("花园镇宏达建材有限公司", "苏州市恒通物业管理有限公司", "花园镇顺发运输队",
             "吴中区康宁医院", "花园镇美佳超市")
COURT = "苏州市吴中区人民法院"

# type -> (what happened, what the applicant asks, agreement terms, performance manner, amount)
STORIES: dict[str, list[tuple[str, str, str, str, tuple[int, int]]]] = {
    "邻里": [("{b}在两家之间的通道上堆放杂物，{a}出入不便，双方多次争吵。",
             "清除通道杂物，保证通行", "{b}于五日内清除通道杂物，今后不再堆放；{a}不再追究。",
             "自行清除", (0, 0)),
            ("{b}家空调外机正对{a}家窗户，噪音和热风影响休息。", "移装空调外机",
             "{b}于十日内将空调外机移至东侧墙面，移装费用由{b}承担。", "自行移装", (0, 0))],
    "婚姻家庭": [("{a}年迈多病，子女{b}对赡养费分担有争议，已拖欠半年。", "按月支付赡养费",
              "{b}自下月起每月5日前支付{a}赡养费{amount}元，医疗费凭票据分担。",
              "银行转账", (300, 1500))],
    "房屋宅基地": [("{a}与{b}宅基地相邻，{b}新建围墙越过原界址约半米。", "拆除越界部分围墙",
               "双方按原宅基地证界址重新确界，{b}于一个月内拆除越界部分，费用自理。",
               "自行拆除，村委会现场确认", (0, 0))],
    "损害赔偿": [("{b}饲养的狗咬伤{a}，花去医疗费等费用。", "赔偿医疗费、误工费",
              "{b}一次性赔偿{a}医疗费、误工费等共计{amount}元，双方再无其他纠葛。",
              "现金当面支付", (800, 12000))],
    "合同": [("{a}为{b}承包的鱼塘供应饲料，{b}尚欠货款未付。", "支付所欠货款",
            "{b}分两期向{a}支付货款共计{amount}元，第一期于十日内支付一半。",
            "银行转账", (5000, 60000))],
    "劳动争议": [("{a}在{b}处务工三个月，离职时工资未结清。", "结清拖欠工资",
              "{b}于十五日内一次性支付{a}工资{amount}元。", "银行转账", (3000, 20000))],
    "道路交通事故": [("{b}驾驶电动三轮车与{a}的电动自行车相撞，{a}受轻伤，车辆受损。",
                "赔偿医疗费、车辆修理费", "{b}赔偿{a}医疗费及车辆修理费共计{amount}元。",
                "现金当面支付", (1000, 30000))],
    "山林土地": [("{a}与{b}对承包地边界的田埂位置有争议，影响春耕。", "确认承包地边界",
              "以二轮承包合同附图为准，由村委会组织双方现场重新埋设界桩。", "现场确界",
              (0, 0))],
    "物业": [("{a}家楼上漏水，{b}作为物业公司未及时维修，墙面受损。", "维修并赔偿墙面损失",
            "{b}于七日内完成维修，并赔偿{a}墙面修复费用{amount}元。", "维修后转账",
            (500, 5000))],
    "消费": [("{a}在{b}购买的食品已过保质期，要求退一赔十。", "退货并赔偿",
            "{b}退还货款并赔偿{a}{amount}元。", "现金当面支付", (100, 2000))],
}
TYPE_WEIGHTS = {"邻里": 22, "婚姻家庭": 18, "房屋宅基地": 14, "损害赔偿": 12, "合同": 9,
                "劳动争议": 7, "道路交通事故": 7, "山林土地": 5, "物业": 3, "消费": 3}
ORGANISATION_TYPES = {"劳动争议", "物业", "消费", "合同"}


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _id_number(rng: random.Random, region: str) -> str:
    born = date(1945, 1, 1) + timedelta(days=rng.randrange(0, 365 * 58))
    body = f"{region}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + id_check_char(body)


def _person(rng: random.Random, side: str, region: str, village: str) -> PartyInput:
    with_id = rng.random() < 0.85
    return PartyInput(
        side=side, name=_name(rng), ethnic_group="汉族" if rng.random() < 0.95 else "回族",
        id_number=_id_number(rng, region) if with_id else "",
        gender="" if with_id else rng.choice(("男", "女")),
        age=None if with_id else rng.randrange(25, 80),
        occupation=rng.choice(OCCUPATIONS), phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        address=f"{village}{rng.randrange(1, 12)}组{rng.randrange(1, 60)}号",
        agent="" if rng.random() < 0.93 else _name(rng))


def _org(rng: random.Random) -> PartyInput:
    return PartyInput(side="b", name=rng.choice(COMPANIES), kind="organisation",
                      representative=_name(rng), representative_title="负责人",
                      address="花园镇工业园区", phone=f"0512-6{rng.randrange(10**6):06d}")


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _plain(reg: Register, rng: random.Random, accepted: date) -> tuple[CaseInput, list[PartyInput]]:
    villages = station.villages(reg)
    village = rng.choice(villages)
    dtype = _pick(rng, TYPE_WEIGHTS)
    region = reg.station_code[:6]
    a = _person(rng, "a", region, village.name)
    b = _org(rng) if dtype in ORGANISATION_TYPES and rng.random() < 0.5 else _person(
        rng, "b", region, village.name)
    parties = [a, b]
    if rng.random() < 0.12:
        parties.append(_person(rng, rng.choice("ab"), region, village.name))
    source = _pick(rng, {"application": 55, "initiative": 25, "police": 10, "court": 5,
                         "government": 5})
    facts, claims, _terms, _manner, (lo, hi) = rng.choice(STORIES[dtype])
    amount = rng.randrange(lo, hi + 1, 100) if hi else 0
    inp = CaseInput(
        source=source, dispute_type=dtype,
        title=f"{a.name}与{b.name}{dtype}纠纷"[:60], facts=facts.format(a=a.name, b=b.name),
        claims=claims, amount=amount, accepted_on=accepted,
        applied_on=accepted - timedelta(days=rng.randrange(0, 3)) if source == "application"
        else None,
        referred_by={"police": "花园派出所", "court": COURT, "government": "花园镇综治中心"}.get(
            source, ""),
        village_id=village.id, place=village.name,
        mediators=rng.sample(MEDIATORS, rng.choice((1, 2))), recorder=rng.choice(RECORDERS))
    return inp, parties


def _add_missing_side(reg: Register, rng: random.Random, case_id: str) -> None:
    sides = {p.side for p in mediation.parties_of(reg, case_id)}
    region = reg.station_code[:6]
    for side in ("a", "b"):
        if side not in sides:
            mediation.add_party(reg, case_id, _person(rng, side, region, "花园镇"))


def _session(rng: random.Random, on: date, *, agreed: bool, dtype: str) -> SessionInput:
    return SessionInput(
        held_on=on, time=f"{rng.choice((9, 10, 14, 15))}:{rng.choice(('00', '30'))}",
        place=rng.choice(("镇人民调解委员会调解室", "村委会会议室", "当事人家中")),
        participants=rng.choice(("", "村民小组长", "村妇女主任")), rights_notified=True,
        statement_a="申请人陈述了纠纷经过，坚持原请求。",
        statement_b=rng.choice(("被申请人承认部分事实，但认为要求过高。",
                                "被申请人表示愿意协商解决。")),
        findings=f"经调查核实，{dtype}纠纷事实基本清楚。",
        agreed="双方同意按调解方案达成协议" if agreed else "",
        record="" if agreed else "双方分歧较大，约定下次继续调解。",
        result="agreed" if agreed else "continue")


def _within(day: date, today: date) -> date:
    return min(day, today)


def _carry(reg: Register, rng: random.Random, case_id: str, accepted: date, today: date,
           counts: dict[str, int]) -> None:
    """Carry the case as far as its age allows, into a state drawn at random."""
    age = (today - accepted).days
    dtype = mediation.get_case(reg, case_id).dispute_type
    if rng.random() < 0.3:
        mediation.record_session(reg, case_id, SessionInput(
            held_on=_within(accepted + timedelta(days=1), today), kind="investigation",
            place="纠纷现场", record="走访了解纠纷经过，查看现场，询问周边群众。"))
    if age < 3:
        return
    roll = rng.random()
    if roll < 0.05:
        mediation.terminate(reg, case_id, on=_within(accepted + timedelta(days=2), today),
                            reason=rng.choice(("被申请人明确拒绝调解", "申请人撤回调解申请",
                                               "纠纷可能激化，已报告派出所处理")))
        counts["terminated"] += 1
        return
    first = _within(accepted + timedelta(days=rng.randrange(1, 6)), today)
    _add_missing_side(reg, rng, case_id)
    will_agree = roll > 0.15
    long_case = rng.random() < 0.12
    mediation.record_session(reg, case_id, _session(rng, first, agreed=False, dtype=dtype))
    due = mediation.get_case(reg, case_id).period_due
    if long_case and due - timedelta(days=3) <= today:
        mediation.extend_period(reg, case_id, days=15, agreed_on=due - timedelta(days=3),
                                reason="需等待伤情鉴定或补充材料，双方同意继续调解",
                                parties_consent=True)
    span = rng.randrange(3, 40 if long_case else 25)
    decided = max(accepted + timedelta(days=span), first + timedelta(days=1))
    if decided > today or age < 10:
        return  # still being mediated
    if not will_agree:
        mediation.record_session(reg, case_id, _session(rng, decided, agreed=False, dtype=dtype))
        mediation.record_failure(reg, case_id, on=decided, reason="双方对赔偿数额分歧过大，无法达成一致",
                                 routes=rng.sample(("仲裁", "行政", "司法"), rng.choice((1, 2))))
        counts["failed"] += 1
        return
    mediation.record_session(reg, case_id, _session(rng, decided, agreed=True, dtype=dtype))
    _agree(reg, rng, case_id, decided, today, dtype, counts)


def _agree(reg: Register, rng: random.Random, case_id: str, signed: date, today: date,
           dtype: str, counts: dict[str, int]) -> None:
    parties = mediation.parties_of(reg, case_id)
    a = next(p.name for p in parties if p.side == "a")
    b = next(p.name for p in parties if p.side == "b")
    _f, _c, terms, manner, (lo, hi) = rng.choice(STORIES[dtype])
    amount = rng.randrange(lo, hi + 1, 100) if hi else 0
    oral = rng.random() < 0.15
    deadline = signed + timedelta(days=rng.choice((0, 3, 7, 15, 30)))
    mediation.sign_agreement(reg, case_id, AgreementInput(
        signed_on=signed, form="oral" if oral else "written",
        terms=terms.format(a=a, b=b, amount=amount), issues="争议事项见纠纷事实",
        responsibilities=f"{b}负主要责任" if rng.random() < 0.6 else "双方均有责任",
        performance_manner=manner, performance_place="花园镇人民调解委员会",
        performance_deadline=deadline, amount=amount,
        status_matter="婚姻关系" if dtype == "婚姻家庭" and rng.random() < 0.1 else "",
        performed_at_signing=deadline == signed and rng.random() < 0.5))
    counts["agreed"] += 1
    agreement = mediation.agreement_of(reg, case_id)
    assert agreement is not None
    if (not oral and not agreement.status_matter and rng.random() < 0.15
            and agreement.jc_due is not None):
        applied = signed + timedelta(days=rng.randrange(1, 20))
        if applied <= min(today, agreement.jc_due):
            mediation.apply_judicial_confirmation(reg, case_id, applied_on=applied, court=COURT,
                                                  joint=True)
            decided = applied + timedelta(days=rng.randrange(3, 18))
            if decided <= today:
                rejected = rng.random() < 0.1
                mediation.record_judicial_result(
                    reg, case_id, result="rejected" if rejected else "confirmed",
                    decided_on=decided,
                    case_number=f"（{decided.year}）苏0506民特{rng.randrange(10, 900)}号",
                    note="协议部分内容不明确，无法执行" if rejected else "")
    case = mediation.get_case(reg, case_id)
    if case.performance_status != "performed":
        done = deadline + timedelta(days=rng.randrange(0, 5))
        if done <= today:
            r = rng.random()
            if r < 0.85:
                mediation.record_performance(reg, case_id, on=done, status="performed",
                                             evidence=rng.choice(("收条", "银行转账回单", "")))
            elif r < 0.93:
                mediation.record_performance(reg, case_id, on=done, status="partial",
                                             note="已履行一部分，余款约定下月付清")
            else:
                mediation.record_performance(reg, case_id, on=done, status="breached",
                                             note="义务人拒不履行，已告知可向人民法院起诉")
    case = mediation.get_case(reg, case_id)
    if case.followup_due and case.followup_due - timedelta(days=rng.randrange(0, 10)) <= today \
            and rng.random() < 0.8:
        visit = max(case.followup_due - timedelta(days=rng.randrange(0, 10)), signed)
        mediation.record_followup(reg, case_id, FollowUpInput(
            visited_on=min(visit, today), visitor=case.mediators[0],
            visited_persons=f"{a}、{b}",
            performance=case.performance_label + ("，双方关系缓和" if rng.random() < 0.7 else ""),
            satisfaction=rng.choices(("满意", "基本满意", "不满意"), (75, 20, 5))[0],
            risk="无" if rng.random() < 0.9 else "仍有矛盾，需继续关注"))
    case = mediation.get_case(reg, case_id)
    if case.performance_status in ("performed", "breached"):
        closed = (case.performed_on or deadline) + timedelta(days=rng.randrange(1, 10))
        if closed <= today and rng.random() < 0.85:
            mediation.close_case(reg, case_id, closed_on=closed, filed_by=case.recorder or "李文静",
                                 retention=rng.choice(("长期", "短期")),
                                 ticked=["identity", "rights_notice", "evidence", "power_of_attorney"])
            counts["closed"] += 1


def generate_demo(reg: Register, rng: random.Random, *, start: date, months: int,
                  count: int) -> dict[str, int]:
    """Create ``count`` mediation cases accepted between ``start`` and ``months`` later (never
    after today), carried to every state; some from petition matters and screened disputes."""
    today = reg.clock().date()
    end = min(start + timedelta(days=int(months * 30.4)), today)
    if end < start:
        return {"mediations": 0}
    saved_actor = reg.actor
    if not mediation.can_edit(reg):
        heads = [u for u in accounts.list_users(reg) if u.role in ("head", "clerk") and u.active]
        if heads:
            reg.actor = heads[0].actor()
    counts = {k: 0 for k in ("mediations", "from_matters", "from_disputes", "agreed", "failed",
                             "terminated", "closed", "refused")}
    matters = mediation.linkable_matters(reg, limit=max(1, count // 6))
    disputes = mediation.linkable_disputes(reg, limit=max(1, count // 5))
    span = (end - start).days
    try:
        for i in range(count):
            accepted = start + timedelta(days=rng.randrange(0, span + 1))
            try:
                case = _open(reg, rng, accepted, matters, disputes, i, counts)
                _carry(reg, rng, case["id"], date.fromisoformat(case["accepted_on"]), today,
                       counts)
            except PetitionDeskError:
                counts["refused"] += 1  # a random draw that the rules refuse: skip it
    finally:
        reg.actor = saved_actor
    return counts


def _open(reg: Register, rng: random.Random, accepted: date, matters: list[dict[str, Any]],
          disputes: list[dict[str, Any]], index: int, counts: dict[str, int]) -> dict[str, Any]:
    inp, parties = _plain(reg, rng, accepted)
    extra: dict[str, Any] = dict(dispute_type=inp.dispute_type, mediators=inp.mediators,
                 recorder=inp.recorder)
    if matters and index % 6 == 1:
        m = matters.pop()
        prefill, _parties = mediation.case_input_from_matter(reg, m["id"])
        if prefill.dispute_type:
            extra.pop("dispute_type")
        on = min(max(accepted, date.fromisoformat(m["received_on"]) + timedelta(days=3)),
                 reg.clock().date())
        case = mediation.open_mediation_from_matter(reg, m["id"], accepted_on=on,
                                                    **extra)
        counts["from_matters"] += 1
    elif disputes and index % 5 == 2:
        d = disputes.pop()
        found = d.get("found_on") or d["created_at"][:10]
        on = min(max(accepted, date.fromisoformat(found) + timedelta(days=1)),
                 reg.clock().date())
        prefill, _parties = mediation.case_input_from_dispute(reg, d["id"])
        if not prefill.dispute_type:
            extra["dispute_type"] = inp.dispute_type
        else:
            extra.pop("dispute_type")
        case = mediation.open_mediation_from_dispute(reg, d["id"], accepted_on=on, **extra)
        counts["from_disputes"] += 1
    else:
        case = mediation.open_mediation(reg, inp, parties)
    counts["mediations"] += 1
    return case
