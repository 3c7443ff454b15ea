from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.masking import (
    DEFAULT_POLICY,
    NO_MASKING,
    MaskPolicy,
    mask_id_number,
    mask_name,
    mask_phone,
)


@pytest.mark.parametrize(("value", "masked"), [
    ("440308199001011234", "440308********1234"),
    ("11010519491231002X", "110105********002X"),
    ("110105 1949 1231 002X", "110105********002X"),
    ("440524800101001", "440524*****1001"),  # old 15-digit number: 6 + 5 masked + 4
    ("E12345678", "E12****78"),  # passport: a third in front, a quarter behind
    ("", ""),
    ("12", "**"),
])
def test_mask_id_number(value: str, masked: str) -> None:
    assert mask_id_number(value) == masked


@given(st.from_regex(r"\A\d{17}[\dX]\Z"))
def test_id_mask_keeps_six_and_four_hides_the_rest(value: str) -> None:
    masked = mask_id_number(value)
    assert len(masked) == 18
    assert masked[:6] == value[:6] and masked[-4:] == value[-4:]
    assert masked[6:14] == "*" * 8  # the birth date never shows


@pytest.mark.parametrize(("value", "masked"), [
    ("13812345678", "138****5678"),
    ("138 1234 5678", "138****5678"),
    ("138-1234-5678", "138****5678"),
    ("+86 138 1234 5678", "138****5678"),
    ("0512-66881234", "0512-****1234"),
    ("051266881234", "0512-****1234"),
    ("010-87654321", "010-****4321"),
    ("(0512) 6688123", "0512-***8123"),
    ("66881234", "****1234"),
    ("0512-66881234转805", "0512-****1234转***"),
    ("13812345678/0512-66881234", "138****5678/0512-****1234"),
    ("", ""),
])
def test_mask_phone(value: str, masked: str) -> None:
    assert mask_phone(value) == masked


@given(st.from_regex(r"\A1[3-9]\d{9}\Z"))
def test_mobile_mask_is_three_plus_four(value: str) -> None:
    masked = mask_phone(value)
    assert masked == value[:3] + "****" + value[7:]


@pytest.mark.parametrize(("value", "masked"), [
    ("张三明", "张*明"),
    ("李四", "李*"),
    ("欧阳小明", "欧**明"),
    ("吉𠮷", "吉*"),  # a supplementary-plane character is one character
    ("刘䶮", "刘*"),
    ("王", "王"),
    ("", ""),
])
def test_mask_name(value: str, masked: str) -> None:
    assert mask_name(value) == masked


def test_default_policy_masks_ids_and_phones_not_names() -> None:
    p = DEFAULT_POLICY
    assert p.id_number("440308199001011234") == "440308********1234"
    assert p.phone("13812345678") == "138****5678"
    assert p.name("张三明") == "张三明"


def test_policy_flags_and_mask_character() -> None:
    assert NO_MASKING.id_number("440308199001011234") == "440308199001011234"
    assert NO_MASKING.phone("13812345678") == "13812345678"
    names_only = MaskPolicy(id_numbers=False, phones=False, names=True, char="○")
    assert names_only.name("张三明") == "张○明"
    assert names_only.phone("13812345678") == "13812345678"
    assert MaskPolicy(char="#").id_number("440308199001011234") == "440308########1234"
