"""A realistic demo register: one township station, its villages, grids and accounts, and
``cases`` petition matters over ``months`` months ending today.

Everything is written through the real code paths — ``station.set_up_station``,
``accounts.create_user``, ``matters.register`` and the ``workflow`` steps — so every record has
its version, its audit entry and its search row, and every rule (validation, numbering, 初件/重件,
deadlines, the 30-day review window) is obeyed exactly as at the desk. The register's clock is a
settable :class:`DemoClock`: the generator plans every action with a date, sorts them, and moves
the clock to each action's moment before performing it, so audit timestamps, case numbers and
deadlines read as if the station had worked through those months.

This is a generator, not a user action: actions are grouped into one transaction per
``BATCH`` actions (each action is still its own savepoint), which keeps a 100,000-case build to
minutes instead of one fsync per click.
"""

from __future__ import annotations

import os
import random
import shutil
import time as _time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from storage import accounts, calendar_store, codes, petitions, station
from storage.db import DB_NAME, open_register
from storage.demo import leadership as demo_leadership
from storage.demo import mediation as demo_mediation
from storage.demo import screening as demo_screening
from storage.errors import ValidationError
from storage.holidays import HolidayCalendar
from storage.i18n import _
from storage.register import Actor, Register
from storage.validation import id_check_char

BATCH = 2000  # actions per transaction while building
DEMO_PASSWORD = "demo1234"

# ----- the station ----------------------------------------------------------------------------
STATION_NAME = "花园镇信访工作站"
STATION_SHORT = "花园"
STATION_CODE = "320508102000"  # 江苏省苏州市姑苏区 (320508) + 镇 102 (docs/domain.md §6.2)
STATION_OFFICE = "花园镇人民政府"
STATION_PHONE = "0512-66881234"
STATION_ADDRESS = "花园镇人民路1号"

# (name, last 3 digits of the 12-digit code, grids). 001–199 社区, 200–399 村 (docs/domain.md §6.2).
VILLAGES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("九龙社区", "001", ("东片网格", "西片网格")),
    ("南塘社区", "002", ("第一网格", "第二网格", "第三网格")),
    ("春明村", "200", ("一组网格", "二组网格")),
    ("石桥村", "201", ("石桥网格",)),
    ("荷花村", "202", ("东网格", "西网格")),
    ("新丰村", "203", ("第一网格", "第二网格", "第三网格")),
    ("东湖村", "204", ("东湖网格",)),
    ("沙河村", "205", ("南岸网格", "北岸网格")),
    ("桃园村", "206", ("第一网格", "第二网格")),
    ("永安村", "207", ("永安网格",)),
    ("金桥村", "208", ("第一网格", "第二网格")),
)

# (username, display name, role)
STAFF: tuple[tuple[str, str, str], ...] = (
    ("clerk1", "李文静", "clerk"),
    ("clerk2", "周晓燕", "clerk"),
    ("clerk3", "顾明", "clerk"),
    ("liaison1", "赵德福", "liaison"),
    ("liaison2", "钱美华", "liaison"),
    ("liaison3", "孙志强", "liaison"),
    ("liaison4", "沈桂英", "liaison"),
    ("liaison5", "陆海峰", "liaison"),
    ("liaison6", "朱秀兰", "liaison"),
)
HEAD = ("head", "陈建国", "head")

# ----- people ---------------------------------------------------------------------------------
# Surnames with rough weights (common in southern Jiangsu first), and a few compound ones.
SURNAMES: tuple[tuple[str, int], ...] = (
    ("张", 60), ("王", 60), ("陈", 55), ("徐", 40), ("朱", 38), ("周", 36), ("李", 36),
    ("刘", 30), ("吴", 30), ("孙", 25), ("沈", 25), ("顾", 22), ("陆", 22), ("钱", 18),
    ("杨", 18), ("黄", 16), ("金", 15), ("蒋", 14), ("许", 14), ("姚", 12), ("冯", 12),
    ("潘", 12), ("唐", 11), ("马", 10), ("高", 10), ("胡", 10), ("郁", 6), ("曹", 9),
    ("邹", 7), ("严", 7), ("袁", 7), ("蔡", 7), ("程", 6), ("汤", 6), ("赵", 9), ("施", 6),
    ("范", 6), ("钟", 5), ("邵", 5), ("俞", 5), ("浦", 3), ("戴", 5), ("汪", 5), ("宋", 5),
    ("郑", 6), ("谢", 5), ("韩", 5), ("何", 5), ("丁", 5), ("夏", 5), ("包", 3), ("季", 3),
    ("殷", 3), ("缪", 2), ("龚", 3), ("尤", 2), ("华", 3), ("江", 3), ("薛", 3), ("葛", 3),
    ("倪", 3), ("卫", 2), ("任", 3), ("邱", 3), ("凌", 2), ("叶", 4), ("秦", 3), ("章", 4),
    ("欧阳", 1), ("司马", 1), ("诸葛", 1),
)
MALE_SINGLE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳峰"
FEMALE_SINGLE = "芳娟敏静丽艳娜霞婷雪慧颖琳莉萍燕红玲梅洁琴云倩"
MALE_FIRST = "建志国文永海晓德明金伟俊子浩宇家嘉天世振荣根福"
MALE_SECOND = "华明强平军峰林兵刚勇东生荣伟涛杰斌龙辉宏宇轩豪博然泽睿康"
FEMALE_FIRST = "秀桂玉美丽晓小春海雪佳雅思欣子梦文金凤红"
FEMALE_SECOND = "英兰芳华珍娟萍燕琴梅霞红玲婷静怡琪涵悦颖雯琳"
OLD_MALE = ("建国", "国庆", "金根", "根生", "福明", "德福", "阿大", "小弟", "永康", "志华",
            "建新", "卫东", "国平", "水根", "林根", "雪根", "荣生", "福林", "长生", "炳元")
OLD_FEMALE = ("秀英", "桂英", "秀兰", "玉兰", "凤英", "美华", "阿妹", "桂珍", "金娣", "小妹",
              "秀珍", "凤珍", "月英", "彩英", "杏娣", "巧珍", "菊英", "根娣", "雪珍", "林娣")
# People whose names need characters outside the common set (Ext-A 䶮, Ext-B 𠮷, and the
# less common 堃 喆 赟 玥): the printing and search layers must handle them.
RARE_PEOPLE: tuple[tuple[str, str], ...] = (
    ("刘䶮", "男"), ("王堃", "男"), ("陈喆", "男"), ("周赟", "男"), ("李玥", "女"),
    ("𠮷秀英", "女"), ("张喆", "男"), ("徐赟", "男"), ("孙玥", "女"), ("杨堃", "男"),
)
RARE_GIVEN = "堃喆赟玥淼焱犇"

# 6-digit address codes (GB/T 2260) of people who might come to a Suzhou township: Suzhou's
# districts and county-level cities (including the retired 沧浪/平江/金阊/吴江市 codes, still
# on older cards), other Jiangsu counties, and counties that send many migrant workers.
ID_PREFIXES: tuple[tuple[str, int], ...] = (
    ("320508", 30), ("320505", 6), ("320506", 8), ("320507", 6), ("320509", 6),
    ("320581", 5), ("320582", 4), ("320583", 5), ("320585", 3), ("320502", 6),
    ("320503", 5), ("320504", 4), ("320584", 3), ("320282", 2), ("320481", 2),
    ("320981", 2), ("321281", 2), ("320623", 2), ("320723", 2), ("320826", 2),
    ("321322", 3), ("341221", 3), ("341222", 3), ("342221", 2), ("411421", 2),
    ("511321", 2),
)
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
                   "151", "152", "153", "155", "157", "158", "159", "173", "177", "180",
                   "181", "182", "187", "188", "189", "191", "198", "199")
OCCUPATIONS: tuple[tuple[str, int], ...] = (
    ("农民", 40), ("工人", 15), ("个体经营者", 8), ("退（离）休人员", 10), ("无业人员", 8),
    ("企业管理人员", 3), ("专业技术人员", 2), ("教师", 2), ("自由职业者", 4), ("学生", 1),
    ("其他", 3),
)
ETHNIC: tuple[tuple[str, int], ...] = (("汉族", 970), ("回族", 10), ("满族", 6), ("苗族", 5),
                                       ("土家族", 5), ("壮族", 4))

# ----- matters --------------------------------------------------------------------------------
FORMS: tuple[tuple[str, int], ...] = (("来访", 45), ("来信", 14), ("来电", 19), ("网信", 14),
                                      ("代办", 8))
PURPOSES: tuple[tuple[str, int], ...] = (("求决", 62), ("申诉", 12), ("揭发控告", 8),
                                         ("意见建议", 14), ("其他", 4))
# (first level, second level, weight, summary template, request template)
TOPICS: tuple[tuple[str, str, int, str, str], ...] = (
    ("农村农业", "土地承包经营", 60, "反映{village}{group}组承包地被邻户{person}占用约{mu}亩，多次协商未果",
     "要求村委会依法确认承包地边界，恢复耕种"),
    ("农村农业", "土地承包经营", 25, "反映{village}土地流转租金{year}年度未按合同支付",
     "要求承租方按合同支付流转租金{amount}元"),
    ("农村农业", "村务管理", 40, "反映{village}{year}年集体资产出租收入未公开，村务公开栏长期未更新",
     "要求公开集体资产收支明细"),
    ("农村农业", "村务管理", 20, "反映{village}{group}组道路硬化工程分配不公",
     "要求重新核定道路硬化方案"),
    ("农村农业", "惠农补贴", 25, "反映本人{year}年耕地地力保护补贴未发放到位",
     "要求核实并补发补贴"),
    ("农村农业", "基层选举和社区建设", 8, "反映{village}村民小组长选举程序不规范",
     "要求依法重新组织选举"),
    ("农村农业", "村镇建设", 15, "反映{village}{group}组排水沟堵塞，雨天积水进屋",
     "要求疏通排水沟"),
    ("国土资源", "土地征收", 45, "反映{village}{group}组土地征收补偿款分配不合理，本户少分{amount}元",
     "要求重新核算补偿款"),
    ("国土资源", "集体土地上房屋拆迁与补偿", 35, "反映{village}拆迁安置房面积核定有误，少算{area}平方米",
     "要求按政策重新核定安置面积"),
    ("国土资源", "土地权属", 25, "反映与邻居{person}宅基地界址存在争议",
     "要求镇自然资源所现场确权"),
    ("城乡建设", "住房保障与房地产", 20, "反映{village}安置小区房屋漏水，开发商拖延维修",
     "要求督促维修"),
    ("城乡建设", "建设管理", 20, "反映邻居{person}违章搭建彩钢棚，影响通行和采光",
     "要求依法拆除违章建筑"),
    ("城乡建设", "城市建设和市政管理", 15, "反映{road}路灯损坏多日无人维修",
     "要求尽快修复路灯"),
    ("城乡建设", "工程质量", 10, "反映自建房施工方偷工减料，墙体开裂", "要求施工方返工并赔偿"),
    ("劳动和社会保障", "工资福利", 45, "反映在{company}务工被拖欠工资{amount}元",
     "要求用人单位支付拖欠工资"),
    ("劳动和社会保障", "劳动关系", 20, "反映{company}未签订劳动合同即辞退本人",
     "要求支付经济补偿"),
    ("劳动和社会保障", "城镇居民社会保险", 15, "反映本人城乡居民养老保险缴费年限计算有误",
     "要求核实缴费年限"),
    ("劳动和社会保障", "退休政策及待遇", 10, "反映本人退休待遇核定偏低", "要求重新核定退休待遇"),
    ("民政", "社会救助", 35, "反映家庭因病致困，申请最低生活保障未获批准",
     "要求重新审核低保申请"),
    ("民政", "优抚", 8, "反映本人退役军人优待金未按时发放", "要求补发优待金"),
    ("民政", "殡葬管理", 5, "反映{village}有人在承包地内乱埋乱葬", "要求依法整治"),
    ("环境保护", "环境污染", 35, "反映{company}夜间生产噪声扰民，影响休息",
     "要求环保部门查处"),
    ("环境保护", "环境污染", 20, "反映{village}河道有企业偷排污水，河水发黑发臭",
     "要求查处偷排行为并治理河道"),
    ("政法", "社会治安", 15, "反映{village}{group}组有人聚众赌博", "要求公安机关依法查处"),
    ("政法", "诉讼", 10, "反映本人与{person}借款纠纷判决后对方拒不履行",
     "要求协调法院强制执行"),
    ("政法", "仲裁与调解", 8, "反映与邻居{person}因通行问题发生纠纷", "要求组织调解"),
    ("交通运输", "道路建设", 12, "反映{road}道路破损严重，雨天无法通行", "要求尽快修复道路"),
    ("卫生计生", "医患纠纷", 6, "反映在镇卫生院就诊后病情加重，认为存在过错",
     "要求卫生院说明情况并赔偿"),
    ("教育文体", "学生权益", 5, "反映子女入学被安排到较远学校", "要求就近入学"),
    ("纪检监察", "干部作风", 6, "反映{village}村干部办事推诿、态度生硬", "要求调查处理"),
    ("纪检监察", "滥用职权", 4, "反映{village}村干部在低保评定中优亲厚友", "要求调查处理"),
    ("经济管理", "安全生产", 5, "反映{company}厂房消防通道被堵塞，存在安全隐患",
     "要求安监部门检查"),
    ("商贸旅游", "消费维权", 4, "反映在镇上超市购买过期食品，商家拒绝退换", "要求依法处理"),
    ("党务政务", "政务服务", 6, "反映办理宅基地审批手续来回跑多次未办成", "要求明确办理流程和时限"),
    ("其他", "其他", 6, "咨询{village}老宅翻建政策", "要求告知办理流程"),
)
COMPANIES = ("花园精密机械厂", "鑫达纺织有限公司", "恒丰建材厂", "苏华电子有限公司",
             "东湖物流有限公司", "永盛五金加工厂", "金桥木业有限公司", "顺达建筑工程队")
ROADS = ("人民路", "花园大道", "沙河路", "桃园路", "金桥路", "春明路", "永安路")
FACTS = (
    "本人多次向村委会反映，村委会答复正在协调，但至今没有结果。",
    "双方曾在村调解委员会主持下协商两次，对方不同意调解方案。",
    "已向有关单位口头反映，未收到书面答复。",
    "提供了合同复印件、照片和证人联系方式。",
    "该问题已持续一年多，影响家庭正常生活。",
)
UNIT_BY_CATEGORY = {
    "农村农业": "镇农业农村办", "国土资源": "镇自然资源所", "城乡建设": "镇城建办",
    "劳动和社会保障": "镇劳动保障所", "民政": "镇社会事务办", "环境保护": "镇生态环境办",
    "政法": "镇综治中心", "交通运输": "镇城建办", "卫生计生": "镇卫生院",
    "教育文体": "镇中心学校", "纪检监察": "镇党政办", "经济管理": "镇市场监管所",
    "商贸旅游": "镇市场监管所", "党务政务": "镇党政办", "其他": "村（社区）委员会",
}
# Reasons for 不予受理 by category, with the legal channel the petitioner is sent to (§2.1).
NOT_ACCEPT = {
    "劳动和社会保障": ("该事项属于劳动争议，应依法申请劳动人事争议仲裁", "劳动人事争议仲裁"),
    "农村农业": ("该事项属于土地承包经营纠纷，可依法申请农村土地承包经营纠纷仲裁",
                 "农村土地承包经营纠纷仲裁"),
    "政法": ("该事项已进入诉讼程序，应依照诉讼程序向人民法院提出", "诉讼（人民法院）"),
    "纪检监察": ("该事项属于检举控告，应向纪检监察机关提出", "纪检监察机关"),
    "国土资源": ("对征收补偿决定不服，应依法申请行政复议", "行政复议"),
}
NOT_ACCEPT_DEFAULT = ("该事项应通过诉讼途径解决，请向人民法院提出", "诉讼（人民法院）")
NOT_REACCEPT_REASON = "同一事实和理由已经复核终结，不再受理"
REPLY_RESULTS: tuple[tuple[str, int], ...] = (("支持", 35), ("解释说明", 45), ("不予支持", 20))
RATINGS_BY_RESULT: dict[str, tuple[tuple[str, int], ...]] = {
    "支持": (("满意", 80), ("基本满意", 17), ("不满意", 3)),
    "解释说明": (("满意", 45), ("基本满意", 40), ("不满意", 15)),
    "不予支持": (("满意", 15), ("基本满意", 35), ("不满意", 50)),
}
EXTENSION_REASONS = ("涉及多个部门，需进一步调查核实", "需要现场测量并等待测绘结果",
                     "当事人较多，需逐户核实情况")

ALL_STATES = tuple(petitions.STATUS_LABELS)
DEADLINE_STATES = ("registered", "accepted", "forwarded", "handling", "review", "rereview")


class DemoClock:
    """The register's clock while building: the generator sets it to each action's moment."""

    def __init__(self, now: datetime) -> None:
        self.now = now.replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def set(self, when: datetime) -> None:
        self.now = when.replace(microsecond=0)


# ----- planning ---------------------------------------------------------------------------------
@dataclass
class _Person:
    key: int
    name: str
    gender: str
    typed_id: str  # as the clerk types it: 18 digits, a legacy 15-digit number, or ""
    typed_gender: str  # "" when the clerk left it to be derived from the ID number
    phone: str
    address: str
    village: int
    occupation: str
    ethnic: str


@dataclass
class _Step:
    on: date
    name: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Plan:
    index: int
    received: date
    form: str
    people: list[_Person]
    village: int
    category: tuple[str, str]
    purpose: str
    summary: str
    request: str
    facts: str
    visitors: int = 1
    involved: int = 1
    skip_level: bool = False
    liaison: int | None = None  # 代办 by this liaison (index into the liaison list)
    steps: list[_Step] = field(default_factory=list)
    repeat_visits: list[date] = field(default_factory=list)
    matter_id: str | None = None
    forced: bool = False


def _weighted(rng: random.Random, items: Sequence[tuple[str, int]]) -> str:
    return rng.choices([i[0] for i in items], weights=[i[1] for i in items])[0]


class _People:
    """Makes plausible, distinct people: names, valid ID numbers, phones, addresses."""

    def __init__(self, rng: random.Random, today: date, villages: Sequence[str]) -> None:
        self.rng = rng
        self.today = today
        self.villages = villages
        self.used_ids: set[str] = set()
        self.count = 0
        self._surnames = [s for s, _w in SURNAMES]
        self._surname_weights = [w for _s, w in SURNAMES]

    def _given(self, gender: str, born: date) -> str:
        rng = self.rng
        male = gender == "男"
        if rng.random() < 0.01:
            return rng.choice(RARE_GIVEN) + (rng.choice(MALE_SECOND if male else FEMALE_SECOND)
                                             if rng.random() < 0.4 else "")
        if born.year < 1965 and rng.random() < 0.3:
            return rng.choice(OLD_MALE if male else OLD_FEMALE)
        if rng.random() < 0.25:
            return rng.choice(MALE_SINGLE if male else FEMALE_SINGLE)
        first, second = (MALE_FIRST, MALE_SECOND) if male else (FEMALE_FIRST, FEMALE_SECOND)
        return rng.choice(first) + rng.choice(second)

    def _id_number(self, gender: str, born: date, *, legacy: bool) -> str:
        rng = self.rng
        for _attempt in range(100):
            prefix = _weighted(rng, ID_PREFIXES)
            seq = rng.randrange(0, 500) * 2 + (1 if gender == "男" else 0)
            if legacy:  # GB 11643-1989: YYMMDD, no check digit; the register converts it
                number = f"{prefix}{born:%y%m%d}{seq:03d}"
                full = f"{prefix}{born:%Y%m%d}{seq:03d}"
                full += id_check_char(full)
            else:
                body = f"{prefix}{born:%Y%m%d}{seq:03d}"
                number = full = body + id_check_char(body)
            if full not in self.used_ids:
                self.used_ids.add(full)
                return number
        raise RuntimeError("could not find an unused ID number")  # practically unreachable

    def _phone(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.80:
            number = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
            # Clerks type numbers in several ways; the register normalises them.
            return f"{number[:3]} {number[3:7]} {number[7:]}" if rng.random() < 0.1 else number
        if r < 0.93:
            return f"0512-6{rng.randrange(10 ** 7):07d}"
        return ""

    def _address(self, village: int) -> str:
        rng = self.rng
        name = self.villages[village]
        if name.endswith("社区"):
            return f"花园镇{name}{rng.randint(1, 48)}幢{rng.randint(1, 6)}0{rng.randint(1, 4)}室"
        return f"花园镇{name}{rng.randint(1, 12)}组{rng.randint(1, 88)}号"

    def new(self, *, village: int | None = None, name: str | None = None,
            gender: str | None = None, with_id: float = 0.85) -> _Person:
        rng = self.rng
        gender = gender or ("男" if rng.random() < 0.58 else "女")
        age = int(rng.triangular(19, 88, 55))
        born = self.today - timedelta(days=age * 365 + rng.randrange(365))
        if name is None:
            surname = rng.choices(self._surnames, weights=self._surname_weights)[0]
            name = surname + self._given(gender, born)
        typed_id = ""
        if rng.random() < with_id:
            legacy = born.year < 1975 and rng.random() < 0.04
            typed_id = self._id_number(gender, born, legacy=legacy)
        village = rng.randrange(len(self.villages)) if village is None else village
        if age < 62 or rng.random() < 0.3:
            occupation = _weighted(rng, OCCUPATIONS)
        else:
            occupation = "退（离）休人员" if rng.random() < 0.3 else "农民"
        self.count += 1
        return _Person(
            key=self.count, name=name, gender=gender, typed_id=typed_id,
            typed_gender=gender if (not typed_id or rng.random() < 0.7) else "",
            phone=self._phone(), address=self._address(village), village=village,
            occupation=occupation, ethnic=_weighted(rng, ETHNIC))


class _Planner:
    """Decides, for each matter, who brings it, what it is about and what happens when."""

    def __init__(self, rng: random.Random, today: date, start: date, cal: HolidayCalendar,
                 villages: Sequence[str], categories: dict[str, list[str]],
                 n_liaisons: int) -> None:
        self.rng = rng
        self.today = today
        self.start = start
        self.cal = cal
        self.villages = villages
        self.people = _People(rng, today, villages)
        self.n_liaisons = n_liaisons
        self.topics = [t for t in TOPICS if t[1] in categories.get(t[0], ())]
        if not self.topics:
            raise ValidationError(_("分类代码表中没有可用的内容分类，无法生成演示数据。"))
        self.repeaters: list[_Person] = []  # people who come back again and again
        self.matters_of: dict[int, list[_Plan]] = {}

    def seed_repeaters(self, n_cases: int) -> None:
        """About one person in forty brings several matters (the rare names among them)."""
        self.repeaters = [self.people.new(name=name, gender=gender, with_id=1.0)
                          for name, gender in RARE_PEOPLE]
        self.repeaters += [self.people.new() for _i in range(n_cases // 40)]

    # -- dates --------------------------------------------------------------------------
    def workday(self, day: date) -> date:
        return self.cal.next_workday_on_or_after(day)

    def received_date(self) -> date:
        span = (self.today - self.start).days
        for _attempt in range(10):
            # Slightly more matters recently (the register "grows"), mostly on working days,
            # except 网信 (online), which arrives any day.
            d = self.start + timedelta(days=int(span * (self.rng.random() ** 0.85)))
            if self.cal.is_workday(d) or self.rng.random() < 0.08:
                return min(d, self.today)
        return min(self.workday(self.start), self.today)

    # -- people and content -----------------------------------------------------------------
    def petitioner(self, index: int, n_cases: int) -> _Person:
        rng = self.rng
        if index < len(RARE_PEOPLE):  # every rare name brings at least one matter
            return self.repeaters[index]
        repeater_share = 0.3 if n_cases > 50 else 0.4
        if self.repeaters and rng.random() < repeater_share:
            return rng.choice(self.repeaters)
        person = self.people.new()
        if rng.random() < 0.02:
            self.repeaters.append(person)
        return person

    def content(self, village: int) -> tuple[tuple[str, str], str, str, str]:
        rng = self.rng
        first, second, _w, summary, request = rng.choices(
            self.topics, weights=[t[2] for t in self.topics])[0]
        surname = rng.choice("张王陈徐朱周李刘吴孙沈顾陆钱")
        values = dict(
            village=self.villages[village], group=rng.randint(1, 12),
            person=surname + ("某" if rng.random() < 0.7 else "某某"),
            mu=rng.choice(("0.3", "0.5", "0.8", "1.2", "2")), year=self.today.year - rng.randint(0, 2),
            amount=rng.choice((2800, 4600, 8500, 12000, 23600, 36000, 58000)),
            area=rng.choice((6, 12, 18, 25, 40)), company=rng.choice(COMPANIES),
            road=rng.choice(ROADS))
        facts = " ".join(rng.sample(FACTS, k=rng.randint(1, 2)))
        return (first, second), summary.format(**values), request.format(**values), facts

    def plan(self, index: int, n_cases: int) -> _Plan:
        rng = self.rng
        main = self.petitioner(index, n_cases)
        form = _weighted(rng, FORMS)
        if form == "代办" and not self.n_liaisons:
            form = "来访"
        village = main.village if rng.random() < 0.9 else rng.randrange(len(self.villages))
        category, summary, request, facts = self.content(village)
        received = self.received_date()
        if form != "网信":  # online petitions arrive at weekends too; the rest on working days
            received = min(self.workday(received), self.today)
        p = _Plan(index=index, received=received, form=form, people=[main], village=village,
                  category=category, purpose=_weighted(rng, PURPOSES), summary=summary,
                  request=request, facts=facts)
        if form == "来访":
            if rng.random() < 0.05:
                self.make_collective(p)
            elif rng.random() < 0.12:
                p.visitors = rng.randint(2, 4)
                p.involved = p.visitors + rng.randint(0, 3)
            p.skip_level = rng.random() < 0.04
        if form == "代办":
            p.liaison = rng.randrange(self.n_liaisons)
        if form in ("来信", "网信") and rng.random() < 0.05:  # 联名信
            for _i in range(rng.randint(1, 3)):
                p.people.append(self.people.new(village=village))
            p.involved = len(p.people) + rng.randint(0, 20)
        p.involved = max(p.involved, len(p.people))
        self.matters_of.setdefault(main.key, []).append(p)
        p.steps = self.natural_steps(p, has_prior=len(self.matters_of[main.key]) > 1)
        return p

    def make_collective(self, plan: _Plan) -> None:
        """A group visit: 5 or more people, at most 5 representatives registered (Art.20)."""
        rng = self.rng
        plan.form = "来访"
        plan.visitors = rng.choice((5, 6, 8, 10, 12, 15, 20, 30, 45))
        plan.involved = plan.visitors + rng.randint(0, 120)
        plan.people = plan.people[:1] + [self.people.new(village=plan.village)
                                   for _i in range(rng.randint(1, 4))]
        name = self.villages[plan.village]
        people = "居民" if name.endswith("社区") else "村民"
        plan.summary = f"{name}{people}{plan.visitors}人集体来访，{plan.summary}"

    # -- what happens to the matter -----------------------------------------------------------
    def natural_steps(self, plan: _Plan, *, has_prior: bool) -> list[_Step]:
        rng = self.rng
        first = plan.category[0]
        steps: list[_Step] = []
        decide = plan.received + timedelta(days=rng.choice((0, 1, 1, 2, 2, 3, 4, 5, 7, 9, 12)))
        if rng.random() < 0.04:
            decide += timedelta(days=rng.randint(12, 25))  # late: overdue while waiting
        r = rng.random()
        if has_prior and r < 0.06:
            steps.append(_Step(decide, "not_reaccept", {"reason": NOT_REACCEPT_REASON}))
            return self._finish(steps)
        if r < 0.13:
            reason, channel = NOT_ACCEPT.get(first, NOT_ACCEPT_DEFAULT)
            steps.append(_Step(decide, "not_accept", {"reason": reason,
                                                      "legal_channel": channel}))
            return self._finish(steps)
        accepted = decide
        steps.append(_Step(accepted, "accept"))
        unit = UNIT_BY_CATEGORY.get(first, "村（社区）委员会")
        d = accepted
        if rng.random() < 0.65:
            d = d + timedelta(days=rng.randint(0, 5))
            steps.append(_Step(d, "forward", {"mode": "交办" if rng.random() < 0.25 else "转送",
                                              "unit": unit}))
        if rng.random() < 0.6:
            d = d + timedelta(days=rng.randint(1, 7))
            # Handled by the station itself (自办) names the unit; after 转送 it is known.
            steps.append(_Step(d, "start_handling",
                               {"unit": unit} if steps[-1].name != "forward" else {}))
        duration = rng.randint(12, 55)
        if rng.random() < 0.09:
            days = rng.choice((15, 20, 30))
            ext_on = accepted + timedelta(days=rng.randint(40, 57))
            steps.append(_Step(max(ext_on, d), "extend",
                               {"days": days, "reason": rng.choice(EXTENSION_REASONS)}))
            duration = rng.randint(58, 58 + days)
        elif rng.random() < 0.05:
            duration = rng.randint(61, 80)  # replied late: overdue while it was open
        d = max(d, accepted + timedelta(days=duration))
        result = _weighted(rng, REPLY_RESULTS)
        steps.append(_Step(d, "reply", {"result": result}))
        review_chance = 0.25 if result == "不予支持" else 0.05
        last = d
        if rng.random() < review_chance:
            q = d + timedelta(days=rng.randint(5, 28))
            steps.append(_Step(q, "request_review"))
            last = q + timedelta(days=rng.randint(8, 28))
            steps.append(_Step(last, "decide_review",
                               {"result": "维持" if rng.random() < 0.85 else "变更"}))
            if rng.random() < 0.3:
                q2 = last + timedelta(days=rng.randint(5, 28))
                steps.append(_Step(q2, "request_rereview"))
                last = q2 + timedelta(days=rng.randint(8, 28))
                steps.append(_Step(last, "decide_rereview",
                                   {"result": "维持" if rng.random() < 0.9 else "变更"}))
        rated = rng.random() < 0.85
        rate_on = last + timedelta(days=rng.randint(1, 20))
        close_on = (rate_on + timedelta(days=rng.randint(0, 5)) if rated
                    else last + timedelta(days=rng.randint(31, 40)))
        if rated and rng.random() < 0.25:  # rated after closing (a follow-up call)
            rate_on, close_on = close_on + timedelta(days=rng.randint(1, 10)), rate_on
        rating = _weighted(rng, RATINGS_BY_RESULT[result])
        if rated:
            steps.append(_Step(rate_on, "rate", {"rating": rating}))
        steps.append(_Step(close_on, "close"))
        steps.sort(key=lambda s: s.on)
        if rng.random() < 0.005:  # forgotten: left in an open state long past its deadline
            keep = rng.randint(0, len(steps) - 1)
            steps = steps[:keep]
        return self._finish(steps)

    def _finish(self, steps: list[_Step]) -> list[_Step]:
        """Move steps off rest days, keep them in order, and drop those after today."""
        out: list[_Step] = []
        last: date | None = None
        for s in steps:
            on = self.workday(s.on)
            if last is not None and on < last:
                on = last
            if on > self.today:
                break
            s.on = on
            out.append(s)
            last = on
        return out

    # -- guaranteed coverage -------------------------------------------------------------------
    def forced(self, plan: _Plan, target: str, variant: str) -> None:
        """Rewrite ``p`` so that it ends today in ``target``: 'week' (its deadline falls within
        the next 7 days), 'overdue', or 'normal'; for 'closed' the variant is the rating."""
        chain, anchor = _FORCED_CHAIN[target]
        limit = {"registered": 15, "accepted": 60, "forwarded": 60, "handling": 60,
                 "review": 30, "rereview": 30}.get(target, 0)
        # How many days ago the step the deadline counts from happened.
        if variant == "week":
            back = limit - 4
        elif variant == "overdue":
            back = limit + 12
        else:
            back = 11 if target == "closed" else 3
        rel = {name: day for name, day, _args in chain}
        anchor_day = rel[anchor] if anchor else 0
        received = self.today - timedelta(days=back + anchor_day)
        plan.received = received
        plan.forced = True
        first = plan.category[0]
        unit = UNIT_BY_CATEGORY.get(first, "村（社区）委员会")
        steps = []
        for name, day, args in chain:
            args = dict(args)
            if name == "forward":
                args["unit"] = unit
            if name == "not_accept":
                args["reason"], args["legal_channel"] = NOT_ACCEPT.get(first, NOT_ACCEPT_DEFAULT)
            if name == "rate":
                args["rating"] = variant if variant in petitions.RATINGS else "满意"
            steps.append(_Step(received + timedelta(days=day), name, args))
        plan.steps = [s for s in steps if s.on <= self.today]
        plan.repeat_visits = [d for d in plan.repeat_visits if plan.received < d <= self.today]


# (step, days after receipt, arguments) for each target state, and the step whose date the
# state's deadline counts from ("" = the receipt itself).
_BASE: list[tuple[str, int, dict[str, Any]]] = [
    ("accept", 2, {}), ("forward", 3, {"mode": "转送"}), ("start_handling", 5, {}),
    ("reply", 40, {"result": "解释说明"}), ("request_review", 50, {}),
    ("decide_review", 65, {"result": "维持"}), ("request_rereview", 75, {}),
    ("decide_rereview", 90, {"result": "维持"}),
]


def _prefix(last: str) -> list[tuple[str, int, dict[str, Any]]]:
    names = [s[0] for s in _BASE]
    return _BASE[: names.index(last) + 1]


_FORCED_CHAIN: dict[str, tuple[list[tuple[str, int, dict[str, Any]]], str]] = {
    "registered": ([], ""),
    "accepted": (_prefix("accept"), "accept"),
    "forwarded": (_prefix("forward"), "accept"),
    "handling": (_prefix("start_handling"), "accept"),
    "replied": (_prefix("reply"), "reply"),
    "review": (_prefix("request_review"), "request_review"),
    "reviewed": (_prefix("decide_review"), "decide_review"),
    "rereview": (_prefix("request_rereview"), "request_rereview"),
    "rereviewed": (_prefix("decide_rereview"), "decide_rereview"),
    "closed": (_prefix("reply") + [("rate", 44, {}), ("close", 46, {})], "close"),
    "not_accepted": ([("not_accept", 3, {})], "not_accept"),
    "not_reaccepted": ([("not_reaccept", 3, {"reason": NOT_REACCEPT_REASON})], "not_reaccept"),
}

# Every state once, the deadline states also due this week and overdue, and a closed matter
# with each rating.
COVERAGE: tuple[tuple[str, str], ...] = (
    *((s, "normal") for s in ALL_STATES if s != "closed"),
    ("closed", petitions.RATINGS[0]),
    *((s, v) for s in DEADLINE_STATES for v in ("week", "overdue")),
    *(("closed", r) for r in petitions.RATINGS[1:]),
)


def final_status(steps: Sequence[_Step]) -> str:
    """The state a matter is in after ``steps`` (what the register will say)."""
    status = "registered"
    for s in steps:
        target = petitions.STEPS[s.name].target
        if target:
            status = target
    return status


# ----- building ---------------------------------------------------------------------------------
def _refuse_existing(data_dir: Path) -> None:
    db_file = data_dir / DB_NAME
    if not db_file.exists():
        return
    reg = open_register(data_dir)
    try:
        set_up = reg.is_set_up
        n = reg.scalar("SELECT count(*) FROM matters") if set_up else 0
    finally:
        reg.close()
    if set_up:
        raise ValidationError(_(
            "目录 {path} 中已经有一个登记库（{n} 件信访件），演示数据不会覆盖它。"
            "请指定一个空目录或新目录。").format(path=data_dir, n=n), "data_dir")


def _set_up(reg: Register) -> tuple[Actor, list[Actor], list[Actor], list[dict[str, str]]]:
    code_prefix = STATION_CODE[:9]
    station.set_up_station(
        reg, name=STATION_NAME, short_name=STATION_SHORT, code=STATION_CODE, kind="township",
        office_name=STATION_OFFICE, phone=STATION_PHONE, address=STATION_ADDRESS,
        villages=[station.VillageSpec(n, code_prefix + c, list(g)) for n, c, g in VILLAGES],
        head_username=HEAD[0], head_display_name=HEAD[1], head_password=DEMO_PASSWORD)
    head = reg.actor
    logins = [dict(username=HEAD[0], password=DEMO_PASSWORD, role="head", name=HEAD[1])]
    grid_list = station.grids(reg)
    liaison_rows = [s for s in STAFF if s[2] == "liaison"]
    # Grids shared out round-robin; each liaison sees the villages of their grids.
    share: dict[str, list[station.Grid]] = {s[0]: [] for s in liaison_rows}
    for i, g in enumerate(grid_list):
        share[liaison_rows[i % len(liaison_rows)][0]].append(g)
    clerks: list[Actor] = []
    liaisons: list[Actor] = []
    for username, display, role in STAFF:
        village_ids = tuple(dict.fromkeys(g.village_id for g in share.get(username, [])))
        user = accounts.create_user(reg, username, display, role, DEMO_PASSWORD,
                                    village_ids=village_ids)
        for g in share.get(username, []):
            station.assign_liaison(reg, g.id, user.id)
        (liaisons if role == "liaison" else clerks).append(user.actor())
        logins.append(dict(username=username, password=DEMO_PASSWORD, role=role, name=display))
    return head, clerks, liaisons, logins


def _input(plan: _Plan, people: list[_Person], known: dict[int, str], village_ids: list[str],
           *, attach_to: str | None = None, on: date | None = None,
           form: str | None = None) -> petitions.RegistrationInput:
    persons = [petitions.PetitionerInput(
        name=x.name, gender=x.typed_gender, ethnic_group=x.ethnic, id_number=x.typed_id,
        phone=x.phone, address=x.address, village_id=village_ids[x.village],
        occupation=x.occupation,
        existing_id=None if x.typed_id else known.get(x.key)) for x in people]
    if attach_to:
        return petitions.RegistrationInput(
            form=form or "来访", received_on=on or plan.received, petitioners=persons,
            summary="再次来访，询问" + plan.summary[:40] + "一事的办理进度",
            category1=plan.category[0], category2=plan.category[1], attach_to_matter_id=attach_to)
    return petitions.RegistrationInput(
        form=plan.form, received_on=plan.received, petitioners=persons, summary=plan.summary,
        request=plan.request, facts=plan.facts, visitors_count=plan.visitors,
        persons_involved=plan.involved, is_skip_level=plan.skip_level,
        category1=plan.category[0], category2=plan.category[1], purpose=plan.purpose,
        problem_village_id=village_ids[plan.village],
        # planned as a matter of its own (repeat visits are planned separately, above)
        duplicate_decision=petitions.NEW_MATTER)


_STEP_FUNCS: dict[str, Callable[..., Any]] = {
    "accept": petitions.accept, "not_accept": petitions.not_accept,
    "not_reaccept": petitions.not_reaccept, "forward": petitions.forward,
    "start_handling": petitions.start_handling, "extend": petitions.extend,
    "reply": petitions.reply, "request_review": petitions.request_review,
    "decide_review": petitions.decide_review, "request_rereview": petitions.request_rereview,
    "decide_rereview": petitions.decide_rereview, "rate": petitions.rate,
    "close": petitions.close,
}

# Office hours: 08:30–11:45 and 13:30–17:15.
_SLOTS = [time(h, m) for h in (8, 9, 10, 11, 13, 14, 15, 16, 17) for m in (0, 15, 30, 45)
          if (h, m) not in ((8, 0), (8, 15), (11, 45), (13, 0), (13, 15), (17, 30), (17, 45))]


def _moment(rng: random.Random, on: date, now: datetime) -> datetime:
    t = rng.choice(_SLOTS)
    moment = datetime.combine(on, time(t.hour, t.minute, rng.randrange(60)))
    return min(moment, now)


def _ensure_variety(planner: _Planner, plans: list[_Plan]) -> None:
    """Small registers too get a group visit, a skip-level visit, a 代办 and repeat visits."""
    rng = planner.rng
    free = [p for p in plans if not p.forced]
    if not free:
        return
    if not any(p.visitors >= 5 for p in plans):
        planner.make_collective(free[0])
    if not any(p.skip_level for p in plans):
        free[-1].skip_level = True
        free[-1].form = "来访"
    if planner.n_liaisons and not any(p.form == "代办" for p in plans) and len(free) > 2:
        free[1].form = "代办"
        free[1].liaison = 0
        free[1].people = free[1].people[:1]
        free[1].visitors = 1
    # Repeat visits about open matters (重复访): attached to the open matter, no new case.
    for p in plans:
        if not p.steps and not p.forced:
            continue
        ends = [s.on for s in p.steps if petitions.STEPS[s.name].target in petitions.TERMINAL]
        end = ends[0] if ends else planner.today + timedelta(days=1)
        if (end - p.received).days > 6 and rng.random() < (0.5 if p.forced else 0.06):
            for _i in range(rng.randint(1, 3 if p.forced else 2)):
                day = p.received + timedelta(days=rng.randint(3, (end - p.received).days - 1))
                if day <= planner.today:
                    p.repeat_visits.append(day)
    if not any(p.repeat_visits for p in plans):
        for p in plans:
            if p.forced and final_status(p.steps) == "handling":
                p.repeat_visits.append(p.received + timedelta(days=4))
                break


def _plans(planner: _Planner, cases: int) -> list[_Plan]:
    planner.seed_repeaters(cases)
    plans = [planner.plan(i, cases) for i in range(cases)]
    # Coverage: the last plans take the guaranteed shapes (all of them from 26 cases up).
    for p, (target, variant) in zip(reversed(plans), COVERAGE, strict=False):
        planner.forced(p, target, variant)
    _ensure_variety(planner, plans)
    return plans


def build(data_dir: Path, *, cases: int, seed: int, months: int = 24, others: bool = True,
          progress: Callable[[str], None] | None = None,
          password_hasher: PasswordHasher | None = None,
          now: datetime | None = None) -> dict[str, Any]:
    """Create a demo register in ``data_dir`` (empty or new) and return a summary of it.

    ``others``: also make mediation cases and grid screenings (``storage.demo.mediation`` and
    ``storage.demo.screening``). The register is
    built in a sibling working directory and moved into ``data_dir`` only when complete, so a
    failed build leaves nothing half-made behind. ``password_hasher``: how the demo accounts'
    passwords are hashed (default: production strength, as for any register). ``now``: the
    moment the demo ends (default: now) — what was planned after it is left out, so the same
    seed gives the same register only for the same ``now`` (tests pass one).
    """
    if cases < 0:
        raise ValidationError(_("案件数不能为负数。"), "cases")
    if not 1 <= months <= 120:
        raise ValidationError(_("月数应在1到120之间。"), "months")
    started = _time.perf_counter()
    data_dir = Path(data_dir).absolute()
    _refuse_existing(data_dir)
    work = data_dir.parent / f".{data_dir.name}.building-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        summary = _build_in(work, cases=cases, seed=seed, months=months, others=others,
                            progress=progress, password_hasher=password_hasher, now=now)
        _refuse_existing(data_dir)  # nobody set one up meanwhile
        data_dir.mkdir(parents=True, exist_ok=True)
        for item in work.iterdir():
            os.replace(item, data_dir / item.name)
        work.rmdir()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary.update(path=str(data_dir), seed=seed, months=months,
                   seconds=round(_time.perf_counter() - started, 1))
    return summary


def _build_in(work: Path, *, cases: int, seed: int, months: int, others: bool,
              progress: Callable[[str], None] | None,
              password_hasher: PasswordHasher | None, now: datetime | None) -> dict[str, Any]:
    started = _time.perf_counter()
    rng = random.Random(seed)
    now = (now or datetime.now()).replace(microsecond=0)
    today = now.date()
    start = today - timedelta(days=round(months * 30.44))
    clock = DemoClock(datetime.combine(start, time(8, 30)))
    reg = open_register(work, clock=clock, password_hasher=password_hasher)
    try:
        head, clerks, liaisons, logins = _set_up(reg)
        village_list = station.villages(reg)
        village_ids = [v.id for v in village_list]
        planner = _Planner(rng, today, start, calendar_store.calendar(reg),
                           [v.name for v in village_list], codes.categories(reg), len(liaisons))
        plans = _plans(planner, cases)
        if progress:
            progress(f"planned {len(plans)} matters in {_time.perf_counter() - started:.1f} s")
        _run(reg, rng, plans, now=now, head=head, clerks=clerks, liaisons=liaisons,
             village_ids=village_ids, progress=progress)
        clock.set(now)
        reg.actor = head
        extras = _other_modules(reg, rng, start=start, months=months, cases=cases, work=work,
                                password_hasher=password_hasher) if others else {}
        summary = _summary(reg, today)
    finally:
        reg.close()
    summary.update(extras)
    summary["logins"] = logins
    return summary


def _run(reg: Register, rng: random.Random, plans: list[_Plan], *, now: datetime, head: Actor,
         clerks: list[Actor], liaisons: list[Actor], village_ids: list[str],
         progress: Callable[[str], None] | None) -> None:
    """Perform every planned action in time order, the clock moved to each one's moment."""
    actions: list[tuple[datetime, int, str, _Plan, Any]] = []
    n = 0
    for p in plans:
        moment = _moment(rng, p.received, now)
        actions.append((moment, n, "register", p, None))
        n += 1
        for s in p.steps:
            moment = max(_moment(rng, s.on, now), moment)
            actions.append((moment, n, "step", p, s))
            n += 1
        for day in p.repeat_visits:
            actions.append((_moment(rng, day, now), n, "repeat", p, day))
            n += 1
    actions.sort(key=lambda a: (a[0], a[1]))
    clock = reg.clock
    assert isinstance(clock, DemoClock)
    known: dict[int, str] = {}  # person key -> petitioner id (for people without ID numbers)
    deciders = [head, *clerks]
    t0 = _time.perf_counter()
    for start in range(0, len(actions), BATCH):
        with reg.transaction():
            for moment, _n, kind, p, payload in actions[start:start + BATCH]:
                clock.set(moment)
                if kind == "register":
                    reg.actor = (liaisons[p.liaison] if p.liaison is not None
                                 else rng.choice(clerks) if rng.random() < 0.9 else head)
                    row = petitions.register(reg, _input(p, p.people, known, village_ids))
                    p.matter_id = row["id"]
                    if any(x.key not in known for x in p.people):
                        ids = {r["name"]: r["id"] for r in petitions.petitioners_of(reg, row["id"])}
                        for x in p.people:
                            known.setdefault(x.key, ids[x.name])
                elif kind == "repeat":
                    if p.matter_id is None:
                        continue
                    reg.actor = rng.choice(clerks)
                    form = "来电" if rng.random() < 0.3 else "来访"
                    petitions.register(reg, _input(p, p.people[:1], known, village_ids,
                                                 attach_to=p.matter_id, on=payload, form=form))
                else:
                    step: _Step = payload
                    reg.actor = rng.choice(deciders) if step.name in (
                        "accept", "not_accept", "not_reaccept", "extend") else rng.choice(clerks)
                    _STEP_FUNCS[step.name](reg, p.matter_id, step.on, **step.args)
        if progress:
            done = min(start + BATCH, len(actions))
            rate = done / max(_time.perf_counter() - t0, 1e-9)
            progress(f"{done}/{len(actions)} actions ({rate:.0f}/s)")


def _other_modules(reg: Register, rng: random.Random, *, start: date, months: int,
                   cases: int, work: Path,
                   password_hasher: PasswordHasher | None) -> dict[str, Any]:
    """Mediation cases and grid screenings for the same months; then leaders, their 包案, the
    积案, reception days and a 督办 from the county (which refer to all of those)."""
    # A township mediates a few hundred disputes a year, whatever its petition load.
    count = max(6, min(cases // 20, 300 * months // 12))
    return {
        "mediations": demo_mediation.generate_demo(reg, rng, start=start, months=months,
                                                   count=count),
        "screenings": demo_screening.generate_demo(reg, rng, start=start, months=months),
        "leadership": demo_leadership.generate_demo(reg, rng, work=work, password=DEMO_PASSWORD,
                                                    password_hasher=password_hasher),
    }


def _summary(reg: Register, today: date) -> dict[str, Any]:
    by_status = Counter({s: 0 for s in ALL_STATES})
    for status, n in reg.conn.execute(
            "SELECT status, count(*) FROM matters WHERE deleted = 0 GROUP BY status"):
        by_status[status] = n
    week = (today + timedelta(days=7)).isoformat()
    q = reg.scalar
    return dict(
        station=STATION_NAME, station_code=STATION_CODE,
        villages=q("SELECT count(*) FROM villages WHERE deleted = 0"),
        grids=q("SELECT count(*) FROM grids WHERE deleted = 0"),
        users=q("SELECT count(*) FROM users WHERE deleted = 0"),
        cases=q("SELECT count(*) FROM matters WHERE deleted = 0"),
        petitioners=q("SELECT count(*) FROM petitioners WHERE deleted = 0"),
        repeat_petitioners=q("SELECT count(*) FROM (SELECT petitioner_id FROM matter_petitioners"
                             " WHERE deleted = 0 GROUP BY petitioner_id HAVING count(*) > 1)"),
        repeat_visits=q("SELECT coalesce(sum(repeat_visits), 0) FROM matters"),
        repeat_kinds=dict(reg.conn.execute(
            "SELECT repeat_kind, count(*) FROM matters GROUP BY repeat_kind").fetchall()),
        collective=q("SELECT count(*) FROM matters WHERE is_collective = 1"),
        skip_level=q("SELECT count(*) FROM matters WHERE is_skip_level = 1"),
        proxy=q("SELECT count(*) FROM matters WHERE form = '代办'"),
        by_status=dict(by_status),
        overdue=q("SELECT count(*) FROM matters WHERE due_date < ?", (today.isoformat(),)),
        due_this_week=q("SELECT count(*) FROM matters WHERE due_date BETWEEN ? AND ?",
                        (today.isoformat(), week)),
        audit_entries=q("SELECT count(*) FROM audit_log"),
    )
