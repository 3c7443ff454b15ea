"""Input validation: citizen IDs (GB 11643-1999), phones, dates and free text."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.errors import ValidationError
from storage.validation import (
    CitizenId,
    Phone,
    check_text,
    cross_check_citizen_id,
    normalize_phone,
    parse_citizen_id,
    parse_date,
)

TODAY = date(2026, 3, 2)

# Independent check-character computation for the tests: W_i = 2^(18-i) mod 11 (the standard's
# definition, not the weight table the module uses), Y -> "10X98765432".


def reference_check(body17: str) -> str:
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(body17))
    return "10X98765432"[total % 11]


# By hand for 11010519491231002X:
# digits   1 1  0 1 0 5 1 9 4 9 1 2  3 1 0 0 2
# weights  7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
# products 7 9  0 5 0 20 2 9 24 27 7 18 30 5 0 0 4 -> sum 167, 167 mod 11 = 2 -> "X".
VALID_IDS = ["11010519491231002X", "440524188001010014"]


def parse(text: str) -> CitizenId:
    return parse_citizen_id(text, today=TODAY)


def refusal(text: str) -> str:
    with pytest.raises(ValidationError) as exc:
        parse(text)
    assert exc.value.field == "citizen_id"
    return str(exc.value)


# -- citizen ID -------------------------------------------------------------------------

def test_reference_check_matches_hand_computation() -> None:
    assert reference_check("11010519491231002") == "X"
    assert reference_check("44052418800101001") == "4"


def test_published_examples_are_valid() -> None:
    a = parse("11010519491231002X")
    assert a == CitizenId("11010519491231002X", date(1949, 12, 31), "女", False, "110105")
    b = parse("440524188001010014")  # born 1880: why the floor is 1880, not 1900
    assert (b.birth_date, b.gender, b.region_code) == (date(1880, 1, 1), "男", "440524")


def test_spaces_lowercase_and_fullwidth_are_normalised() -> None:
    assert parse(" 110105 19491231 002x ").number == "11010519491231002X"
    assert parse("１１０１０５１９４９１２３１００２ｘ").number == "11010519491231002X"


def test_fifteen_digit_legacy_number_is_converted() -> None:
    # 110105 491231 002 -> 110105 19 491231 002 + check "X" (hand-computed above).
    cid = parse("110105491231002")
    assert cid.legacy15 is True
    assert cid.number == "11010519491231002X"
    assert (cid.birth_date, cid.gender) == (date(1949, 12, 31), "女")
    # 15-digit, sequence 015 (odd) -> male; check of 37010219650101015 computed independently.
    cid = parse("370102650101015")
    assert cid.gender == "男"
    assert cid.number == "37010219650101015" + reference_check("37010219650101015")


def test_wrong_length() -> None:
    assert "16位" in refusal("1101051949123100")
    assert "19位" in refusal("11010519491231002X1")
    assert "请填写" in refusal("   ")


def test_non_digits() -> None:
    assert "数字" in refusal("1101051949123100AX")
    assert "数字" in refusal("11010519491231002Y")
    assert "数字" in refusal("11010549123100X")  # X is not allowed in a 15-digit number


def test_impossible_and_future_birth_dates() -> None:
    body = "11010519490230002"  # 30 Feb 1949
    assert "19490230" in refusal(body + reference_check(body))
    body = "11010520260303002"  # tomorrow relative to TODAY
    assert "还没有到" in refusal(body + reference_check(body))
    body = "11010518791231002"  # before the 1880 floor
    assert "太早" in refusal(body + reference_check(body))
    assert "19491331" in refusal("110105491331002")  # 15-digit, month 13


def test_unknown_province() -> None:
    body = "99010519491231002"
    assert "99" in refusal(body + reference_check(body))


def test_wrong_check_digit_names_the_right_one() -> None:
    message = refusal("110105194912310021")
    assert "X" in message and "17" in message


@pytest.mark.parametrize("valid", VALID_IDS)
def test_every_single_character_substitution_is_caught(valid: str) -> None:
    for pos in range(18):
        alphabet = "0123456789X" if pos == 17 else "0123456789"
        for ch in alphabet:
            if ch == valid[pos]:
                continue
            mutated = valid[:pos] + ch + valid[pos + 1:]
            with pytest.raises(ValidationError):
                parse(mutated)


@st.composite
def valid_ids(draw: st.DrawFn) -> tuple[str, date]:
    province = draw(st.sampled_from(["11", "32", "44", "51", "65"]))
    rest = draw(st.text("0123456789", min_size=4, max_size=4))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    seq = draw(st.text("0123456789", min_size=3, max_size=3))
    body = province + rest + born.strftime("%Y%m%d") + seq
    return body + reference_check(body), born


@settings(max_examples=200, deadline=None)
@given(valid_ids(), st.data())
def test_random_valid_ids_parse_and_single_changes_fail(
        case: tuple[str, date], data: st.DataObject) -> None:
    number, born = case
    cid = parse(number.lower())
    assert cid.number == number
    assert cid.birth_date == born
    assert cid.gender == ("男" if int(number[16]) % 2 else "女")
    pos = data.draw(st.integers(0, 17))
    alphabet = "0123456789X" if pos == 17 else "0123456789"
    ch = data.draw(st.sampled_from([c for c in alphabet if c != number[pos]]))
    with pytest.raises(ValidationError):
        parse(number[:pos] + ch + number[pos + 1:])
    # Swapping two different adjacent characters of the body is caught as well.
    i = data.draw(st.integers(0, 15))
    if number[i] != number[i + 1]:
        swapped = number[:i] + number[i + 1] + number[i] + number[i + 2:]
        with pytest.raises(ValidationError):
            parse(swapped)


def test_cross_check() -> None:
    cid = parse("11010519491231002X")  # female, born 1949-12-31
    assert cross_check_citizen_id(cid, "女", date(1949, 12, 31)) == []
    assert cross_check_citizen_id(cid, None, None) == []
    assert cross_check_citizen_id(cid, "", None) == []
    problems = cross_check_citizen_id(cid, "男", date(1949, 12, 30))
    assert len(problems) == 2
    assert "男" in problems[0] and "女" in problems[0]
    assert "1949-12-30" in problems[1] and "1949-12-31" in problems[1]


# -- phones ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("13812345678", Phone("13812345678", "mobile")),
    ("138 1234 5678", Phone("13812345678", "mobile")),
    ("138-1234-5678", Phone("13812345678", "mobile")),
    ("+86 138 1234 5678", Phone("13812345678", "mobile")),
    ("008619912345678", Phone("19912345678", "mobile")),
    ("１３８１２３４５６７８", Phone("13812345678", "mobile")),
    ("010-62345678", Phone("010-62345678", "landline")),
    ("01062345678", Phone("010-62345678", "landline")),
    ("010-6234-5678", Phone("010-62345678", "landline")),
    ("+86 10 62345678", Phone("010-62345678", "landline")),
    ("021 5432 1098", Phone("021-54321098", "landline")),
    ("(0512) 6512345", Phone("0512-6512345", "landline")),
    ("0512-65123456转801", Phone("0512-65123456", "landline", "801")),
    ("0755 8888 8888 ext. 12", Phone("0755-88888888", "landline", "12")),
    ("010-62345678-123", Phone("010-62345678", "landline", "123")),
    ("0512-6512345-8", Phone("0512-6512345", "landline", "8")),
])
def test_phone_formats(text: str, expected: Phone) -> None:
    assert normalize_phone(text) == expected


def test_phone_str() -> None:
    assert str(normalize_phone("0512-65123456转801")) == "0512-65123456转801"
    assert str(normalize_phone("13812345678")) == "13812345678"


@pytest.mark.parametrize(("text", "fragment"), [
    ("", "请填写"),
    ("1381234567", "11位"),  # one digit short
    ("12812345678", "第二位"),  # no mobile prefix 12x
    ("6512345", "区号"),  # local number without area code
    ("0110-1234567", "区号"),  # 011 is not an area code
    ("0512-651234", "区号"),  # local part 6 digits
    ("0512-0512345", "区号"),  # local part may not start with 0
    ("13812345678转12", "分机"),
    ("电话13812345678", "只能包含"),
    ("+1 415 555 0100", "+86"),
])
def test_phone_refusals(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as exc:
        normalize_phone(text, field="contact_phone")
    assert fragment in str(exc.value)
    assert exc.value.field == "contact_phone"


# -- dates ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "2026-03-01", "2026-3-1", "2026/3/1", "2026.03.01", "2026年3月1日", "2026年03月01日",
    "2026年3月1", "20260301", " 2026 - 03 - 01 ", "２０２６年３月１日",
])
def test_date_formats(text: str) -> None:
    assert parse_date(text, field="received", label="收到日期") == date(2026, 3, 1)


@pytest.mark.parametrize(("text", "fragment"), [
    ("2026-02-30", "2026年2月只有28天"),
    ("2024-02-30", "2024年2月只有29天"),
    ("2026-04-31", "2026年4月只有30天"),
    ("2026-13-01", "月份"),
    ("2026-3/1", "看不懂"),
    ("昨天", "看不懂"),
    ("", "请填写"),
    ("0000-01-01", "年份"),
])
def test_date_refusals(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_date(text, field="received", label="收到日期")
    assert fragment in str(exc.value)
    assert exc.value.field == "received"


def test_leap_day_and_not_after() -> None:
    assert parse_date("2024-02-29", field="d", label="日期") == date(2024, 2, 29)
    assert parse_date("2026-03-02", field="d", label="日期", not_after=TODAY) == TODAY
    with pytest.raises(ValidationError) as exc:
        parse_date("2026-03-03", field="d", label="收到日期", not_after=TODAY)
    assert "不能晚于2026-03-02" in str(exc.value)


# -- free text ------------------------------------------------------------------------------

def test_check_text_strips_and_accepts_exact_length() -> None:
    assert check_text("  张三  ", field="name", label="姓名", max_len=2) == "张三"
    assert check_text("", field="note", label="备注", max_len=10) == ""
    # A character outside the BMP (U+20BB7) counts as one character.
    assert check_text("𠮷𠮷", field="name", label="姓名", max_len=2) == "𠮷𠮷"
    assert check_text("第一行\r\n第二行", field="n", label="备注", max_len=10) == "第一行\n第二行"


def test_check_text_refusals() -> None:
    with pytest.raises(ValidationError) as exc:
        check_text("王小明明", field="name", label="姓名", max_len=2)
    assert "多了2个字" in str(exc.value) and exc.value.field == "name"
    with pytest.raises(ValidationError) as exc:
        check_text("   ", field="name", label="姓名", max_len=20, required=True)
    assert "请填写姓名" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        check_text("有\x00零字符", field="note", label="备注", max_len=20)
    assert "控制字符" in str(exc.value)
