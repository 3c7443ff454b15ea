"""Checking what the clerk typed: citizen ID numbers, phone numbers, dates and free text.

Every refusal is a ``ValidationError`` with a plain message that says what is wrong and, where
possible, what to do about it. Input is NFKC-normalised first, so full-width digits and letters
typed with a Chinese input method (１２３、Ｘ、／) are accepted like their ASCII forms.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

from storage.errors import ValidationError
from storage.i18n import N_, _

# -- citizen ID (GB 11643-1999, domain.md §6.1) -------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"  # index = (Σ a_i·W_i) mod 11
# GB 11643 itself sets no lower bound. The published worked example 440524188001010014 (a
# person born 1 Jan 1880) is valid under the standard, so the floor is 1880 rather than 1900:
# it still catches mistyped centuries (e.g. 1050 for 1950) without refusing the example.
ID_EARLIEST_BIRTH = date(1880, 1, 1)
# First two digits: the province-level codes of GB/T 2260 (stable since Chongqing, 50, in
# 1997), plus 71 Taiwan and 81/82/83 used on residence permits for Hong Kong, Macao and Taiwan.
ID_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
     50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83})

Gender = Literal["男", "女"]
GENDER_LABELS = {"男": N_("男"), "女": N_("女")}


def gender_label(gender: str) -> str:
    """The stored gender (男 / 女) in the current language."""
    return _(GENDER_LABELS[gender]) if gender in GENDER_LABELS else gender


@dataclass(frozen=True)
class CitizenId:
    number: str  # always the 18-character form, check character "X" in upper case
    birth_date: date
    gender: Gender
    legacy15: bool  # typed as an old 15-digit number and converted
    region_code: str  # the 6-digit address code (常住户口所在地 at issue; may be retired)


def id_check_char(body17: str) -> str:
    """The GB 11643 check character for a 17-digit body."""
    total = sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def _squash(text: str) -> str:
    """NFKC plus removal of every kind of white space."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _id_birth_date(digits8: str, *, today: date, field: str) -> date:
    try:
        born = date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:8]))
    except ValueError:
        raise ValidationError(
            _("身份证号码里的出生日期“{digits}”不是真实的日期，请核对出生年月日这几位。").format(
                digits=digits8), field=field) from None
    if born > today:
        raise ValidationError(
            _("身份证号码里的出生日期{born}还没有到，请核对出生年月日这几位。").format(
                born=born.isoformat()), field=field)
    if born < ID_EARLIEST_BIRTH:
        raise ValidationError(
            _("身份证号码里的出生日期{born}太早了，请核对出生年份。").format(
                born=born.isoformat()), field=field)
    return born


def parse_citizen_id(text: str, *, today: date | None = None,
                     field: str = "citizen_id") -> CitizenId:
    """Check a 公民身份号码 and derive birth date and gender; 15-digit numbers are converted."""
    today = today or date.today()
    s = _squash(text).upper()
    if not s:
        raise ValidationError(_("请填写身份证号码。"), field=field)
    if len(s) not in (15, 18):
        raise ValidationError(
            _("身份证号码应为18位（老身份证为15位），现在是{n}位。").format(n=len(s)),
            field=field)
    legacy = len(s) == 15
    body = s if legacy else s[:17]
    if not (body.isascii() and body.isdigit()) or not (
            legacy or s[17] in "0123456789X"):
        raise ValidationError(
            _("身份证号码只能是数字，只有18位号码的最后一位可以是X。"), field=field)
    if int(s[:2]) not in ID_PROVINCES:
        raise ValidationError(
            _("身份证号码前两位“{code}”不是省级地区代码，请核对。").format(code=s[:2]),
            field=field)
    if legacy:
        # GB 11643-1989: 6 address + YYMMDD + 3 sequence; all were born in the 1900s.
        body = s[:6] + "19" + s[6:]
    born = _id_birth_date(body[6:14], today=today, field=field)
    check = id_check_char(body)
    if not legacy and s[17] != check:
        raise ValidationError(
            _("身份证号码校验不通过，有一位输错了。如果前17位没有错，最后一位应该是{check}。")
            .format(check=check), field=field)
    return CitizenId(
        number=body + check, birth_date=born, gender="男" if int(body[16]) % 2 else "女",
        legacy15=legacy, region_code=body[:6])


def cross_check_citizen_id(cid: CitizenId, gender: str | None,
                           birth_date: date | None) -> list[str]:
    """Messages where the gender or birth date typed on the form contradicts the ID number."""
    problems: list[str] = []
    if gender and gender.strip() and gender.strip() != cid.gender:
        problems.append(
            _("性别填的是“{typed}”，但身份证号码显示是“{derived}”。").format(
                typed=gender.strip(), derived=cid.gender))
    if birth_date is not None and birth_date != cid.birth_date:
        problems.append(
            _("出生日期填的是{typed}，但身份证号码显示是{derived}。").format(
                typed=birth_date.isoformat(), derived=cid.birth_date.isoformat()))
    return problems


# -- phone numbers (domain.md §6.3) ----------------------------------------------------------

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_EXTENSION_RE = re.compile(r"^(?P<main>.*?)(?:转|分机|ext\.?|x|#)(?P<ext>\d{1,6})$")
_PHONE_CHARS_RE = re.compile(r"^[\d\-()+]+$")


@dataclass(frozen=True)
class Phone:
    number: str  # mobile: 11 digits; landline: "0AREA-LOCAL", e.g. "010-12345678"
    kind: Literal["mobile", "landline"]
    extension: str = ""

    def __str__(self) -> str:
        return f"{self.number}转{self.extension}" if self.extension else self.number


def _landline(digits: str) -> str | None:
    """``"0AREA-LOCAL"`` if ``digits`` is trunk 0 + area code + 7–8 digit local number."""
    if len(digits) < 10 or digits[0] != "0":
        return None
    if digits[1] == "1":
        area_len = 2 if digits[2] == "0" else 0  # 010 is the only 01X area code
    elif digits[1] == "2":
        area_len = 2  # 020–029
    else:
        area_len = 3
    if not area_len:
        return None
    area, local = digits[: 1 + area_len], digits[1 + area_len:]
    if not 7 <= len(local) <= 8 or local[0] == "0":  # a second 0 would be a trunk prefix
        return None
    return f"{area}-{local}"


def _hyphen_groups(text: str) -> list[str]:
    return [g for g in text.replace("(", "-").replace(")", "-").split("-") if g]


def _explicit_extension(text: str) -> tuple[str, str] | None:
    """``0512-6512345-8`` written as area-local-extension: trust the clerk's grouping."""
    groups = _hyphen_groups(text)
    if len(groups) != 3 or not 1 <= len(groups[2]) <= 6:
        return None
    landline = _landline(groups[0] + groups[1])
    if landline and landline == f"{groups[0]}-{groups[1]}":
        return landline, groups[2]
    return None


def _trailing_extension(text: str) -> tuple[str, str] | None:
    """``010-12345678-123``: the last hyphen group is an extension if the rest is a landline."""
    groups = _hyphen_groups(text)
    if len(groups) < 2 or not 1 <= len(groups[-1]) <= 6:
        return None
    landline = _landline("".join(groups[:-1]))
    return (landline, groups[-1]) if landline else None


def _strip_country_code(text: str) -> str:
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text = text[len(prefix):].lstrip("-")
            if not MOBILE_RE.match(re.sub(r"[^\d]", "", text)):
                text = "0" + text.lstrip("(")  # +86 drops the trunk 0 of a landline
            return text
    return text


def _phone_error(digits: str) -> str:
    """The most helpful message for digits that are neither a mobile nor a landline."""
    if digits.startswith("1"):
        if len(digits) != 11:
            return _("手机号码应为11位，现在是{n}位。").format(n=len(digits))
        return _("手机号码第二位应是3到9之间的数字，请核对。")
    if digits.startswith("0"):
        return _("固定电话应是区号加7到8位号码，例如 010-12345678 或 0512-6512345。")
    if len(digits) in (7, 8):
        return _("固定电话请加上区号，例如 0512-6512345。")
    return _("无法识别这个电话号码。手机号码是11位；固定电话是区号加7到8位号码。")


def normalize_phone(text: str, *, field: str = "phone") -> Phone:
    """Check a mobile or landline number and write it the one way the register stores it.

    Accepts +86/0086, spaces, hyphens and brackets; an extension after 转/分机/ext/x/# or, for a
    landline, after a last hyphen (``010-12345678-123``).
    """
    s = _squash(text).lower()
    if not s:
        raise ValidationError(_("请填写电话号码。"), field=field)
    extension = ""
    m = _EXTENSION_RE.match(s)
    if m:
        s, extension = m.group("main"), m.group("ext")
    if not _PHONE_CHARS_RE.match(s):
        raise ValidationError(
            _("电话号码只能包含数字、空格和短横线；分机号请写在“转”字后面。"), field=field)
    s = _strip_country_code(s)
    if "+" in s:
        raise ValidationError(_("只支持中国大陆的电话号码（+86）。"), field=field)
    digits = re.sub(r"[^\d]", "", s)

    if MOBILE_RE.match(digits):
        if extension:
            raise ValidationError(_("手机号码没有分机号。"), field=field)
        return Phone(digits, "mobile")
    split = None if extension else _explicit_extension(s)
    if split:
        return Phone(split[0], "landline", split[1])
    landline = _landline(digits)
    if landline:
        return Phone(landline, "landline", extension)
    split = None if extension else _trailing_extension(s)
    if split:
        return Phone(split[0], "landline", split[1])
    raise ValidationError(_phone_error(digits), field=field)


# -- free text and dates --------------------------------------------------------------------

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_text(value: str, *, field: str, label: str, max_len: int,
               required: bool = False) -> str:
    """Strip ``value`` and refuse it if required and empty, too long, or holding control codes.

    Length is counted in characters (a rare character outside the BMP counts as one).
    """
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not text:
        raise ValidationError(_("请填写{label}。").format(label=label), field=field)
    if len(text) > max_len:
        raise ValidationError(
            _("{label}最多{max}个字，现在多了{over}个字，请删减。").format(
                label=label, max=max_len, over=len(text) - max_len), field=field)
    if _CONTROL_RE.search(text):
        raise ValidationError(
            _("{label}里有看不见的控制字符（可能是从别处复制来的），请删掉后重新输入。").format(
                label=label), field=field)
    return text


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$"),
    re.compile(r"^(\d{4})(年)(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})()(\d{2})(\d{2})$"),
)


def parse_date(text: str, *, field: str, label: str, not_after: date | None = None) -> date:
    """Read 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日 or 20260301; refuse impossible dates."""
    s = _squash(text)
    if not s:
        raise ValidationError(_("请填写{label}。").format(label=label), field=field)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(s)
        if m:
            year, month, day = int(m.group(1)), int(m.group(3)), int(m.group(4))
            break
    else:
        raise ValidationError(
            _("{label}“{text}”看不懂，请按 2026-03-01 或 2026年3月1日 的样子填写。").format(
                label=label, text=text.strip()), field=field)
    if not 1 <= month <= 12:
        raise ValidationError(
            _("{label}的月份是{month}，月份只能是1到12。").format(label=label, month=month),
            field=field)
    if year < 1:
        raise ValidationError(
            _("{label}的年份“{year}”不对。").format(label=label, year=m.group(1)), field=field)
    month_days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= month_days:
        raise ValidationError(
            _("{label}不存在：{year}年{month}月只有{days}天。").format(
                label=label, year=year, month=month, days=month_days), field=field)
    result = date(year, month, day)
    if not_after is not None and result > not_after:
        raise ValidationError(
            _("{label}不能晚于{limit}。").format(label=label, limit=not_after.isoformat()),
            field=field)
    return result
