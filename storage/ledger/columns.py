"""Which ledger column holds which field: the usual Chinese headers are recognised without asking;
for the rest the clerk picks a field once and the choice is remembered for that header layout
(the setting ``ledger_mappings``, keyed by the header signature, local to the station)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from storage.errors import ValidationError
from storage.i18n import N_, _
from storage.register import Register

IGNORE = ""  # a column that is not imported
SETTING = "ledger_mappings"
#: the column the report of rejected rows adds; a corrected report is imported like the ledger
PROBLEM_HEADER = "问题"
_NOT_ASKED = frozenset(("", "序号", "备注", PROBLEM_HEADER))


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # N_() text: what the mapping step offers
    headers: tuple[str, ...]  # recognised header texts (after normalise_header)


FIELDS: tuple[Field, ...] = (
    Field("number", N_("编号"), ("编号", "信访件编号", "件号", "登记编号", "信访编号", "案件编号",
                                "登记号", "信访件号")),
    Field("name", N_("姓名"), ("姓名", "信访人", "信访人姓名", "来访人", "来访人姓名", "反映人",
                              "上访人", "当事人", "来信人")),
    Field("id_number", N_("身份证号"), ("身份证号", "身份证号码", "公民身份号码", "身份证",
                                       "证件号码", "证件号", "身份证件号码")),
    Field("phone", N_("联系电话"), ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式",
                                   "电话号码")),
    Field("received_on", N_("信访日期"), ("信访日期", "来访日期", "登记日期", "来信日期",
                                         "信访时间", "来访时间", "登记时间", "日期", "时间",
                                         "受理日期")),
    Field("form", N_("信访形式"), ("信访形式", "形式", "来访形式", "信访方式", "方式",
                                  "信访渠道", "来源")),
    Field("summary", N_("概况（反映问题）"), ("概况", "反映问题", "主要内容", "反映内容",
                                          "问题概况", "信访事项", "事由", "内容摘要",
                                          "反映的主要问题", "信访内容", "简要内容",
                                          "信访事由", "基本情况")),
    Field("request", N_("诉求"), ("诉求", "主要诉求", "信访诉求", "请求事项", "诉求内容",
                                 "信访人诉求")),
    Field("category", N_("内容分类"), ("内容分类", "问题分类", "类别", "分类", "问题类别",
                                      "信访类别", "事项分类", "问题性质")),
    Field("village", N_("问题属地"), ("问题属地", "属地", "所属村", "村（社区）", "村社区",
                                     "村居", "问题发生地", "所在村", "村别", "村")),
    Field("address", N_("住址"), ("住址", "地址", "家庭住址", "现住址", "居住地", "户籍地址")),
    Field("gender", N_("性别"), ("性别",)),
    Field("visitors", N_("人数"), ("人数", "来访人数", "信访人数", "人次")),
    Field("closed_on", N_("办结日期"), ("办结日期", "结案日期", "办结时间", "结案时间",
                                       "答复日期")),
    Field("outcome", N_("办理情况（是否办结）"), ("办理情况", "办结情况", "是否办结", "办理状态",
                                              "办理结果", "状态", "是否结案", "结案情况")),
)
BY_KEY = {f.key: f for f in FIELDS}
_BY_HEADER = {h: f.key for f in FIELDS for h in f.headers}
_DROP = re.compile(r"[\s:：*＊]|（[^）]*必填[^）]*）|\([^)]*必填[^)]*\)")


def normalise_header(text: str) -> str:
    """A header as compared: spaces, colons and "(必填)" marks dropped, brackets made full-width."""
    text = text.replace("(", "（").replace(")", "）")
    return _DROP.sub("", text.replace("\n", ""))


def known_headers() -> frozenset[str]:
    return frozenset(_BY_HEADER)


def field_label(key: str) -> str:
    return _(BY_KEY[key].label) if key in BY_KEY else _("不导入")


def signature(headers: Sequence[str]) -> str:
    """The same header layout gives the same signature, whatever the file."""
    joined = "\x1f".join(n for n in (normalise_header(h) for h in headers)
                          if n != PROBLEM_HEADER)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class ColumnMap:
    """Column index -> field key (IGNORE for a column not imported)."""

    fields: tuple[str, ...]

    def index_of(self, key: str) -> int | None:
        return self.fields.index(key) if key in self.fields else None


def field_key(word: str) -> str | None:
    """A field named by its key, its label or a header it is recognised by; IGNORE for
    "不导入" or empty; None when nothing fits."""
    w = normalise_header(word)
    if w in ("", normalise_header(_("不导入")), "不导入", "ignore"):
        return IGNORE
    if word in BY_KEY:
        return word
    for f in FIELDS:
        if w in (normalise_header(f.label), normalise_header(_(f.label))):
            return f.key
    return _BY_HEADER.get(w)


def recognise(headers: Sequence[str]) -> tuple[str, ...]:
    """The field each header names, IGNORE where it names none (the first of two columns naming
    the same field wins; "序号" and the like are simply not imported)."""
    taken: set[str] = set()
    out: list[str] = []
    for h in headers:
        key = _BY_HEADER.get(normalise_header(h), IGNORE)
        if key in taken:
            key = IGNORE
        taken.add(key)
        out.append(key)
    return tuple(out)


def unrecognised(headers: Sequence[str]) -> list[int]:
    """Columns the clerk is asked about: not recognised and not empty."""
    fields = recognise(headers)
    return [i for i, (h, f) in enumerate(zip(headers, fields, strict=True))
            if f == IGNORE and normalise_header(h) not in _NOT_ASKED]


def remembered(reg: Register, headers: Sequence[str]) -> dict[str, str] | None:
    """The clerk's earlier choices for this header layout (header text -> field key)."""
    stored = reg.setting(SETTING) or {}
    found = stored.get(signature(headers))
    return dict(found) if isinstance(found, dict) else None


def remember(reg: Register, headers: Sequence[str], choices: Mapping[str, str]) -> None:
    stored = dict(reg.setting(SETTING) or {})
    keys = {h: field_key(k) for h, k in choices.items()}
    stored[signature(headers)] = {h: k for h, k in keys.items() if k is not None}
    with reg.transaction():
        reg.set_setting(SETTING, stored)


def resolve(headers: Sequence[str], choices: Mapping[str, str] | None = None) -> ColumnMap:
    """Recognised columns, then the clerk's choices by header text (which win), each field used
    once; an unknown field key in ``choices`` is a plain error."""
    fields = list(recognise(headers))
    for header, word in (choices or {}).items():
        key = field_key(word)
        if key is None:
            raise ValidationError(_("列“{header}”对应的字段“{key}”不存在。").format(
                header=header, key=word), "mapping")
        matches = [i for i, h in enumerate(headers) if h == header
                   or normalise_header(h) == normalise_header(header)]
        if not matches:
            raise ValidationError(_("文件里没有“{header}”这一列。").format(header=header),
                                  "mapping")
        for i in matches:
            if key != IGNORE:
                fields = [IGNORE if f == key else f for f in fields]
            fields[i] = key
    return ColumnMap(tuple(fields))
