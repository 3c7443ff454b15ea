"""Masking of personal identifiers on printouts and lists (docs/domain.md §8.3, GB/T 35273 §7.2).

Qt-free and database-free: the caller decides which :class:`MaskPolicy` applies (a station
setting) and the printing layer applies it at the source, so the value written into a PDF is
already masked.

- Citizen ID numbers keep the first 6 and the last 4 characters: ``440308********1234``.
- Mobile numbers keep 3 + 4 digits: ``138****5678``.
- Landlines keep the area code and the last 2–4 digits of the local number: ``0512-****1234``.
- Names (off by default) keep the first and the last character: ``张*明``, ``李*``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MASK_CHAR = "*"

_SEPARATORS = re.compile(r"[\s\-－—()（）]")
_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
_EXTENSION = re.compile(r"^(.*?)(?:(?:转|ext\.?|x|#)\s*(\d{1,6}))$", re.IGNORECASE)
# Two-digit area codes: 010 Beijing and 020–029; every other area code has 3 digits after the 0.
_TWO_DIGIT_AREA = re.compile(r"^0(?:10|2\d)")


def _mask_middle(text: str, head: int, tail: int, char: str) -> str:
    if head + tail >= len(text):
        return text
    return text[:head] + char * (len(text) - head - tail) + text[len(text) - tail:]


def mask_id_number(value: str, *, char: str = MASK_CHAR) -> str:
    """Keep the first 6 and the last 4 characters of an ID number (18- or 15-digit).

    Other documents (passports, Hong Kong/Macao permits) are shorter: a third is kept in front
    and a quarter at the end, so something is always hidden.
    """
    text = "".join(value.split())
    n = len(text)
    if n == 0:
        return ""
    if n >= 14:
        return _mask_middle(text, 6, 4, char)
    if n <= 2:
        return char * n
    return _mask_middle(text, max(1, n // 3), max(1, n // 4), char)


def _mask_landline(digits: str, char: str) -> str:
    if digits.startswith("0") and len(digits) >= 9:
        area_len = 3 if _TWO_DIGIT_AREA.match(digits) else 4
        area, local = digits[:area_len], digits[area_len:]
    else:
        area, local = "", digits
    keep = 4 if len(local) >= 7 else 2
    masked = _mask_middle(local, 0, min(keep, max(len(local) - 1, 0)), char)
    return f"{area}-{masked}" if area else masked


def mask_phone(value: str, *, char: str = MASK_CHAR) -> str:
    """Mask a phone number: mobiles as 3 + 4 (``138****5678``); landlines keep the area code and
    the last 2–4 digits (``0512-****1234``); an extension is dropped (``转***``).

    Several numbers separated by ``/``, ``、``, ``,`` or ``；`` are masked one by one.
    """
    parts = re.split(r"([/、,，;；])", value)
    if len(parts) > 1:
        return "".join(p if i % 2 else mask_phone(p, char=char) for i, p in enumerate(parts))
    text = value.strip()
    if not text:
        return ""
    extension = ""
    ext_match = _EXTENSION.match(text)
    if ext_match:
        text, extension = ext_match.group(1), ext_match.group(2)
    compact = _SEPARATORS.sub("", text)
    mobile = _MOBILE.match(compact)
    if mobile:
        number = mobile.group(1)
        masked = number[:3] + char * 4 + number[7:]
    elif compact.isdigit():
        masked = _mask_landline(compact, char)
    else:
        masked = _mask_middle(compact, min(3, len(compact) // 3), min(2, len(compact) // 4), char)
    if extension:
        masked += "转" + char * len(extension)
    return masked


def mask_name(value: str, *, char: str = MASK_CHAR) -> str:
    """``张三明`` → ``张*明``, ``欧阳小明`` → ``欧**明``, ``李四`` → ``李*``; one character stays."""
    text = value.strip()
    n = len(text)
    if n <= 1:
        return text
    if n == 2:
        return text[0] + char
    return _mask_middle(text, 1, 1, char)


@dataclass(frozen=True)
class MaskPolicy:
    """Which identifiers a printout masks. Default: ID numbers and phones, not names."""

    id_numbers: bool = True
    phones: bool = True
    names: bool = False
    char: str = MASK_CHAR

    def id_number(self, value: str) -> str:
        return mask_id_number(value, char=self.char) if self.id_numbers else value

    def phone(self, value: str) -> str:
        return mask_phone(value, char=self.char) if self.phones else value

    def name(self, value: str) -> str:
        return mask_name(value, char=self.char) if self.names else value


DEFAULT_POLICY = MaskPolicy()
NO_MASKING = MaskPolicy(id_numbers=False, phones=False, names=False)
