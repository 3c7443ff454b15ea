"""What the leadership modules share: who may write what, texts checked the same way, dates
read from the register's clock, and the numbers a record carries (交办单, 督办单, 反馈)."""

from __future__ import annotations

from datetime import date

from storage import station
from storage.errors import PermissionDenied, ValidationError
from storage.i18n import _
from storage.register import Register
from storage.validation import check_text

#: Roles that keep a station's (or the county's) own leadership records.
WRITE_ROLES = ("clerk", "head", "county")


def today(reg: Register) -> date:
    return reg.clock().date()


def require_own(reg: Register, *, roles: tuple[str, ...] = WRITE_ROLES) -> None:
    """The signed-in person may write this register's own leadership records. At the county
    these are the county's own (leaders, reception days, 交办/督办), which the read-only rule for
    township data does not cover; a liaison laptop keeps none."""
    reg.require_role(*roles)
    if reg.mode == "liaison":
        raise PermissionDenied(_("联络员电脑不记录领导包案、积案和交办督办。"))


def require_township(reg: Register, *, roles: tuple[str, ...] = ("clerk", "head")) -> None:
    """Writes about the township's own matters (包案, 积案, 约访, 反馈): never at the county."""
    reg.require_role(*roles)
    reg.require_writable()
    if reg.mode != "township":
        raise PermissionDenied(_("只有乡镇工作站才能办理这一项。"))


def text(value: str, field: str, label: str, max_len: int, *, required: bool = False) -> str:
    return check_text(value, field=field, label=label, max_len=max_len, required=required)


def not_future(reg: Register, day: date, field: str) -> date:
    if day > today(reg):
        raise ValidationError(_("日期不能晚于今天。"), field)
    return day


def iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def day_of(value: str | None) -> date | None:
    return None if not value else date.fromisoformat(value)


def document_number(reg: Register, word: str, year: int, seq: int) -> str:
    """``〔2026〕姑信交字第3号``: the same form as printing/docnumbers.py, kept on the record in
    Chinese (a number travels to another register and never changes with the language)."""
    return f"〔{year}〕{station.document_prefix(reg)}信{word}字第{seq}号"


def next_seq(reg: Register, table: str, year: int, where: str = "", params: tuple[object, ...] = ()
             ) -> int:
    """The next number of ``year`` among this register's own rows of ``table``."""
    last = reg.scalar(f"SELECT max(seq) FROM {table} WHERE station_code = ? AND year = ? {where}",
                      (reg.station_code, year, *params))
    return int(last or 0) + 1
