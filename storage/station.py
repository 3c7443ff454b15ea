"""The station itself: first-run set-up (name, 12-digit area code, villages and grids, the
station head's account) and the village/grid register the other modules refer to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from storage import accounts, codes, preferences
from storage.errors import ValidationError
from storage.i18n import _
from storage.register import SYSTEM, Register

_CODE12 = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class Station:
    id: str
    code: str
    name: str
    short_name: str
    kind: str
    office_name: str
    phone: str
    address: str


@dataclass
class VillageSpec:
    name: str
    code: str
    grids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Village:
    id: str
    name: str
    code: str


@dataclass(frozen=True)
class Grid:
    id: str
    village_id: str
    village_name: str
    name: str
    code: str
    liaison_id: str | None


def check_area_code(code: str, kind: str) -> str:
    """统计用区划代码: 6-digit county + 3-digit township + 3-digit village (docs/domain.md §6.2)."""
    code = code.strip()
    if not _CODE12.match(code):
        raise ValidationError(_("区划代码应为12位数字（统计用区划代码）。"), "code")
    if kind == "county" and code[6:] != "000000":
        raise ValidationError(_("县级单位的12位区划代码后6位应为000000。"), "code")
    if kind != "county" and (code[6:9] == "000" or code[9:] != "000"):
        raise ValidationError(_(
            "乡镇（街道）的12位区划代码第7–9位是乡镇代码（不能为000），后3位应为000。"), "code")
    return code


def check_village_code(station_code: str, code: str) -> str:
    code = code.strip()
    if not _CODE12.match(code):
        raise ValidationError(_("村（社区）区划代码应为12位数字。"), "village_code")
    if code[:9] != station_code[:9] or code[9:] == "000":
        raise ValidationError(_(
            "村（社区）区划代码前9位应与本乡镇相同（{prefix}），后3位不能为000。").format(
                prefix=station_code[:9]), "village_code")
    return code


def check_station(name: str, short_name: str, code: str, kind: str) -> tuple[str, str, str]:
    """The station's own fields as the set-up takes them (name, short name, area code), or a
    refusal naming the field: the wizard asks on its first page (nothing is written)."""
    name, short_name = name.strip(), short_name.strip()
    if not name or len(name) > 40:
        raise ValidationError(_("请填写工作站名称（最多40个字）。"), "name")
    if not short_name or len(short_name) > 8:
        raise ValidationError(_("请填写简称（最多8个字），用于调解案号等。"), "short_name")
    if kind not in ("township", "county", "liaison"):
        raise ValidationError(_("请选择单位类型。"), "kind")
    return name, short_name, check_area_code(code, kind)


def check_villages(station_code: str, villages: list[VillageSpec]) -> None:
    """The villages as the set-up takes them, or a refusal naming the field."""
    seen: set[str] = set()
    for v in villages:
        if not v.name.strip():
            raise ValidationError(_("村（社区）名称不能为空。"), "village_name")
        check_village_code(station_code, v.code)
        if v.code in seen:
            raise ValidationError(_("村（社区）区划代码{code}重复。").format(code=v.code),
                                  "village_code")
        seen.add(v.code)


def set_up_station(reg: Register, *, name: str, short_name: str, code: str, kind: str,
                   office_name: str, phone: str, address: str, villages: list[VillageSpec],
                   head_username: str, head_display_name: str, head_password: str) -> None:
    """Create the station in one transaction; afterwards the register is set up."""
    if reg.is_set_up:
        raise ValidationError(_("本登记库已经设置过工作站。"))
    name, short_name, code = check_station(name, short_name, code, kind)
    check_villages(code, villages)
    accounts.check_account(head_username, head_display_name, head_password)
    reg.actor = SYSTEM
    with reg.transaction():
        reg.set_setting(preferences.STATION_CODE.key, code)
        reg.set_setting(preferences.MODE.key, kind)
        reg.insert("stations", dict(code=code, name=name, short_name=short_name, kind=kind,
                                    office_name=office_name.strip() or name,
                                    phone=phone.strip(), address=address.strip()))
        for i, v in enumerate(villages):
            village = reg.insert("villages", dict(name=v.name.strip(), code=v.code, sort=i))
            for j, grid_name in enumerate(v.grids or [_("第一网格")]):
                reg.insert("grids", dict(village_id=village["id"], name=grid_name.strip(),
                                         code=f"{v.code}-{j + 1:02d}", sort=j))
        codes.seed(reg)
        head = accounts.create_user(reg, head_username, head_display_name, "head",
                                    head_password, _setup=True)
    reg.actor = head.actor()


def station(reg: Register, code: str | None = None) -> Station:
    row = reg.rows("SELECT * FROM stations WHERE code = ? AND deleted = 0",
                   (code or reg.station_code,))
    if not row:
        raise ValidationError(_("本登记库还没有设置工作站。"))
    r = row[0]
    return Station(r["id"], r["code"], r["name"], r["short_name"], r["kind"], r["office_name"],
                   r["phone"], r["address"])


def document_prefix(reg: Register) -> str:
    """The first character of this station's document numbers (花 of 〔2026〕花信受字第12号):
    the 设置 value, else the first character of the short name. Numbers printed later
    (printing/docnumbers.py) and numbers a record carries (a county's 交办单) use the same."""
    value = preferences.DOCUMENT_NUMBER_PREFIX.read(reg)
    if value:
        return value
    short = station(reg).short_name.strip()
    return short[:1] if short else ""


def update_station(reg: Register, **changes: Any) -> None:
    reg.require_role("head")
    allowed = {"name", "short_name", "office_name", "phone", "address"}
    with reg.transaction():
        reg.update("stations", station(reg).id, {k: v for k, v in changes.items()
                                                  if k in allowed})


def villages(reg: Register, station_code: str | None = None) -> list[Village]:
    """The villages of this station (at the county: of the township ``station_code``)."""
    return [Village(r["id"], r["name"], r["code"]) for r in reg.rows(
        "SELECT id, name, code FROM villages WHERE deleted = 0 AND station_code = ?"
        " ORDER BY sort, name", (station_code or reg.station_code,))]


def grids(reg: Register, village_id: str | None = None) -> list[Grid]:
    sql = ("SELECT g.id, g.village_id, v.name AS vname, g.name, g.code, g.liaison_id"
           " FROM grids g JOIN villages v ON v.id = g.village_id"
           " WHERE g.deleted = 0 AND g.station_code = ?")
    params: list[Any] = [reg.station_code]
    if village_id:
        sql += " AND g.village_id = ?"
        params.append(village_id)
    sql += " ORDER BY v.sort, g.sort"
    return [Grid(r["id"], r["village_id"], r["vname"], r["name"], r["code"], r["liaison_id"])
            for r in reg.rows(sql, params)]


def add_village(reg: Register, name: str, code: str) -> Village:
    reg.require_role("head")
    code = check_village_code(reg.station_code, code)
    if not name.strip():
        raise ValidationError(_("村（社区）名称不能为空。"), "village_name")
    if reg.scalar("SELECT count(*) FROM villages WHERE code = ? AND deleted = 0", (code,)):
        raise ValidationError(_("村（社区）区划代码{code}重复。").format(code=code),
                              "village_code")
    sort = reg.scalar("SELECT coalesce(max(sort), -1) + 1 FROM villages")
    with reg.transaction():
        row = reg.insert("villages", dict(name=name.strip(), code=code, sort=sort))
    return Village(row["id"], row["name"], row["code"])


def add_grid(reg: Register, village_id: str, name: str, liaison_id: str | None = None) -> Grid:
    reg.require_role("head")
    if not name.strip():
        raise ValidationError(_("网格名称不能为空。"), "grid_name")
    village = reg.get("villages", village_id)
    n = reg.scalar("SELECT count(*) FROM grids WHERE village_id = ?", (village_id,))
    with reg.transaction():
        row = reg.insert("grids", dict(village_id=village_id, name=name.strip(),
                                       code=f"{village['code']}-{n + 1:02d}", sort=n,
                                       liaison_id=liaison_id))
    return Grid(row["id"], village_id, village["name"], row["name"], row["code"], liaison_id)


def assign_liaison(reg: Register, grid_id: str, liaison_id: str | None) -> None:
    reg.require_role("head")
    with reg.transaction():
        reg.update("grids", grid_id, {"liaison_id": liaison_id})
