"""The preview of a ledger import: every row read through the column mapping and checked the way
the desk checks a registration (``petitions.check_registration``) plus what only a ledger can
get wrong (an impossible date, a category or village the station does not have, a number used
twice, the same ID number under two names). Each problem is a sentence a clerk understands;
nothing is written here."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from storage import codes, petitions, station
from storage.errors import ValidationError
from storage.i18n import _
from storage.ledger.columns import ColumnMap, field_label
from storage.ledger.reading import Cell, Table
from storage.register import Register
from storage.validation import parse_citizen_id, parse_date

DEFAULT_FORM = "来访"
SUMMARY_LIMIT = petitions.LIMITS["summary"]
_FORM_WORDS = {"走访": "来访", "上访": "来访", "来人": "来访", "信件": "来信", "写信": "来信",
               "电话": "来电", "网上": "网信", "网上信访": "网信", "网络": "网信", "网上投诉": "网信",
               "来访": "来访", "来信": "来信", "来电": "来电", "网信": "网信", "代办": "代办"}
_CONCLUDED = frozenset(("已办结", "办结", "已结", "已结案", "结案", "是", "已答复", "答复",
                        "已化解", "化解", "息诉罢访", "已完成", "完成", "办结归档",
                        "concluded", "closed", "yes"))
_OPEN = frozenset(("未办结", "办理中", "在办", "未结", "否", "未结案", "正在办理", "待办",
                   "未完成", "未化解", "in progress", "open", "no"))
_CATEGORY_SPLIT = re.compile(r"\s*[/／\\\-—>＞|、]+\s*")
_EXCEL_EPOCH = date(1899, 12, 30)
_FIELD_OF = {"name": "name", "id_number": "id_number", "phone": "phone", "gender": "gender",
             "address": "address", "received_on": "received_on", "summary": "summary",
             "request": "request", "visitors_count": "visitors", "persons_involved": "visitors",
             "form": "form", "proxy_by": "form", "category1": "category", "number": "number",
             "closed_on": "closed_on"}


@dataclass(frozen=True)
class RowCheck:
    line: int  # the row's line in the file
    cells: tuple[Cell, ...]
    problems: tuple[str, ...] = ()
    already: bool = False  # this row was imported before (same stable key)
    historic: petitions.HistoricInput | None = None  # set when the row can be imported
    name: str = ""
    received_on: str = ""
    summary: str = ""

    @property
    def good(self) -> bool:
        return not self.problems and not self.already and self.historic is not None


@dataclass(frozen=True)
class Preview:
    table: Table
    mapping: ColumnMap
    rows: tuple[RowCheck, ...]
    notes: tuple[str, ...] = ()

    @property
    def good(self) -> list[RowCheck]:
        return [r for r in self.rows if r.good]

    @property
    def bad(self) -> list[RowCheck]:
        return [r for r in self.rows if r.problems]

    @property
    def already(self) -> list[RowCheck]:
        return [r for r in self.rows if r.already and not r.problems]


@dataclass
class _Context:
    reg: Register
    today: date
    mapping: ColumnMap
    origin: str
    forms: frozenset[str]
    categories: dict[str, list[str]]
    villages: dict[str, str]
    keys: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    names_by_id: dict[str, tuple[str, int]] = field(default_factory=dict)


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Cell, label: str, today: date) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if value > today:
            raise ValidationError(_("{label}不能晚于{limit}。").format(
                label=label, limit=today.isoformat()))
        return value
    if isinstance(value, int | float) and 20000 < value < 80000:
        # a date cell Excel kept as its serial number (days since 1899-12-30)
        return _date(_EXCEL_EPOCH + timedelta(days=int(value)), label, today)
    return parse_date(_text(value), field="", label=label, not_after=today)


def _category(ctx: _Context, text: str) -> tuple[str, str]:
    if not text:
        return "", ""
    parts = [p for p in _CATEGORY_SPLIT.split(text) if p]
    if len(parts) == 2 and parts[1] in ctx.categories.get(parts[0], ()):
        return parts[0], parts[1]
    if len(parts) == 1:
        if text in ctx.categories:
            return text, ""
        parents = [first for first, seconds in ctx.categories.items() if text in seconds]
        if len(parents) == 1:
            return parents[0], text
    raise ValidationError(_("内容分类“{value}”不在本站的分类代码表中。").format(value=text))


def _village(ctx: _Context, text: str) -> str | None:
    if not text:
        return None
    for name in (text, text + "村", text + "社区"):
        if name in ctx.villages:
            return ctx.villages[name]
    raise ValidationError(_("问题属地“{value}”不是本站的村（社区）。").format(value=text))


def _form(ctx: _Context, text: str) -> str:
    if not text:
        return DEFAULT_FORM
    form = _FORM_WORDS.get(text, text)
    if form not in ctx.forms:
        raise ValidationError(_("信访形式“{value}”看不懂，应为：{forms}。").format(
            value=text, forms="、".join(sorted(ctx.forms))))
    return form


def _concluded(text: str) -> bool:
    if not text or text.lower() in _CONCLUDED:
        return True
    if text.lower() in _OPEN:
        return False
    raise ValidationError(_("办理情况“{value}”看不懂，应为“已办结”或“办理中”。").format(value=text))


def _visitors(value: Cell) -> int:
    text = _text(value)
    if not text:
        return 1
    try:
        n = int(float(text))
    except ValueError:
        n = 0
    if n < 1 or str(n) != text.removesuffix(".0"):
        raise ValidationError(_("人数“{value}”应为1以上的整数。").format(value=text))
    return n


def row_key(number: str, received_on: date, person: str, summary: str) -> str:
    """The stable key of a ledger row: its number, date and person (ID number, else name), and
    its summary when it has no number. The same row imported from a re-saved or corrected file
    has the same key."""
    parts = [number, received_on.isoformat(), person] + ([] if number else [summary])
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


class _Row:
    """One row's values by field, collecting problems instead of stopping at the first."""

    def __init__(self, ctx: _Context, cells: Sequence[Cell]) -> None:
        self.ctx, self.cells = ctx, cells
        self.problems: list[str] = []

    def cell(self, key: str) -> Cell:
        i = self.ctx.mapping.index_of(key)
        return None if i is None or i >= len(self.cells) else self.cells[i]

    def text(self, key: str) -> str:
        return _text(self.cell(key))

    def problem(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)


def _id_number(row: _Row) -> str:
    raw = row.cell("id_number")
    text = row.text("id_number").replace(" ", "")
    if not text:
        return ""
    canonical = petitions.canonical_id_number(text)
    if canonical is None:
        if isinstance(raw, int | float) and len(text) >= 15:
            row.problem(_("身份证号被Excel存成了数字，后几位已经丢失：请把这一列设为“文本”后重新录入。"))
        else:
            try:
                parse_citizen_id(text, today=row.ctx.today)
            except ValidationError as exc:
                row.problem(str(exc))  # the message names the ID number itself
        return ""
    return canonical


def _same_person_names(row: _Row, line: int, number: str, name: str) -> None:
    if not number or not name:
        return
    stored = petitions.find_by_id_number(row.ctx.reg, number)
    if stored is not None and stored["name"] != name:
        row.problem(_("身份证号已登记为“{stored}”，台账写的是“{name}”：请核对后改正再导入"
                      "（导入不会改动已登记的姓名）。").format(stored=stored["name"], name=name))
    earlier = row.ctx.names_by_id.setdefault(number, (name, line))
    if earlier[0] != name:
        row.problem(_("同一身份证号在第{line}行写的是“{name}”。").format(
            line=earlier[1], name=earlier[0]))


def _duplicates(row: _Row, line: int, number: str, key: str) -> None:
    """Problems for a row repeated in the file or a number another matter of the station
    already has."""
    ctx = row.ctx
    first = ctx.keys.setdefault(key, line)
    if first != line:
        row.problem(_("与第{line}行重复。").format(line=first))
        return
    if number:
        earlier = ctx.numbers.setdefault(number, line)
        if earlier != line:
            row.problem(_("编号“{number}”与第{line}行相同。").format(number=number, line=earlier))
        elif petitions.number_taken(ctx.reg, number):
            row.problem(_("编号“{number}”已被本站另一件事项使用。").format(number=number))


def _check(ctx: _Context, line: int, cells: tuple[Cell, ...]) -> RowCheck:
    row = _Row(ctx, cells)
    name, summary = row.text("name"), row.text("summary")
    number = row.text("number")
    if not name:
        row.problem(_("缺少姓名。"))
    if not summary:
        row.problem(_("缺少概况（反映问题）。"))
    received: date | None = None
    if row.cell("received_on") in (None, ""):
        row.problem(_("缺少信访日期。"))
    else:
        try:
            received = _date(row.cell("received_on"), _("信访日期"), ctx.today)
        except ValidationError as exc:
            row.problem(str(exc))
    closed_on: date | None = None
    values: dict[str, object] = {}
    for key, parse in (("form", lambda: _form(ctx, row.text("form"))),
                       ("category", lambda: _category(ctx, row.text("category"))),
                       ("village", lambda: _village(ctx, row.text("village"))),
                       ("concluded", lambda: _concluded(row.text("outcome"))),
                       ("visitors", lambda: _visitors(row.cell("visitors")))):
        try:
            values[key] = parse()
        except ValidationError as exc:
            row.problem(str(exc))
    if row.cell("closed_on") not in (None, ""):
        try:
            closed_on = _date(row.cell("closed_on"), _("办结日期"), ctx.today)
        except ValidationError as exc:
            row.problem(str(exc))
    id_number = _id_number(row)
    base = RowCheck(line, cells, name=name, summary=summary,
                    received_on=received.isoformat() if received else row.text("received_on"))
    if received is None or not name or not summary:
        _same_person_names(row, line, id_number, name)
        return replace(base, problems=tuple(row.problems))
    key = row_key(number, received, id_number or name, summary)
    if petitions.key_imported(ctx.reg, key) and ctx.keys.setdefault(key, line) == line:
        # imported before: whatever changed since (a 更名 at the desk, a retired code) is no
        # problem of this row
        return replace(base, already=True)
    _same_person_names(row, line, id_number, name)
    _duplicates(row, line, number, key)
    if row.problems:
        return replace(base, problems=tuple(row.problems))
    historic = _historic(row, values, received, closed_on, number, key, line)
    return replace(base, problems=tuple(row.problems), historic=historic)


def _historic(row: _Row, values: dict[str, object], received: date, closed_on: date | None,
              number: str, key: str, line: int) -> petitions.HistoricInput | None:
    ctx = row.ctx
    summary = row.text("summary")
    facts = ""
    if len(summary) > SUMMARY_LIMIT:  # the whole text is kept as 事实和理由
        summary, facts = summary[:SUMMARY_LIMIT - 1] + "…", summary
    category = values["category"]
    assert isinstance(category, tuple)
    visitors = values["visitors"]
    assert isinstance(visitors, int)
    registration = petitions.RegistrationInput(
        form=str(values["form"]), received_on=received, summary=summary, facts=facts,
        request=row.text("request"), visitors_count=visitors, persons_involved=visitors,
        category1=category[0], category2=category[1],
        problem_village_id=values["village"] if isinstance(values["village"], str) else None,
        petitioners=[petitions.PetitionerInput(
            name=row.text("name"), id_number=row.text("id_number").replace(" ", ""),
            phone=row.text("phone"), gender=row.text("gender"), address=row.text("address"))])
    try:
        petitions.check_registration(ctx.reg, registration)
    except ValidationError as exc:
        field_name = (exc.field or "").rsplit(".", 1)[-1]
        label = field_label(_FIELD_OF.get(field_name, ""))
        row.problem(str(exc) if field_name not in _FIELD_OF else
                    _("{label}：{reason}").format(label=label, reason=exc))
        return None
    if closed_on is not None and closed_on < received:
        row.problem(_("办结日期早于信访日期。"))
        return None
    return petitions.HistoricInput(
        registration=registration, number=number, ledger_key=key,
        concluded=bool(values["concluded"]), closed_on=closed_on,
        origin=_("{file} 第{line}行").format(file=ctx.origin, line=line))


def preview(reg: Register, table: Table, mapping: ColumnMap) -> Preview:
    """Every row of ``table`` checked; nothing written."""
    missing = [field_label(k) for k in ("name", "received_on", "summary")
               if mapping.index_of(k) is None]
    if missing:
        raise ValidationError(_("还没有指定哪一列是：{fields}。").format(
            fields="、".join(missing)), "mapping")
    notes = []
    if mapping.index_of("form") is None:
        notes.append(_("没有“信访形式”列：都按“{form}”导入。").format(form=DEFAULT_FORM))
    if mapping.index_of("outcome") is None:
        notes.append(_("没有“办理情况”列：都按已办结导入（历史事项，不计算办理期限）。"))
    ctx = _Context(
        reg=reg, today=reg.clock().date(), mapping=mapping, origin=table.file_name,
        forms=frozenset(codes.labels(reg, "form")), categories=codes.categories(reg),
        villages={v.name: v.id for v in station.villages(reg)})
    rows = tuple(_check(ctx, line, cells) for line, cells in table.rows)
    return Preview(table, mapping, rows, tuple(notes))
