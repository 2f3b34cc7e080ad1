"""公民身份号码 (RULES.md §7.2, GB 11643-1999): checksum, date, normalisation, masking."""

from __future__ import annotations

import datetime as dt

import pytest

from db.rules import idcard

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("number", "birth", "gender"),
    [
        ("11010519491231002X", dt.date(1949, 12, 31), "female"),  # §7.2 example 1 (X check char, even 顺序码)
        ("440524188001010014", dt.date(1880, 1, 1), "male"),  # §7.2 example 2
        ("370101190102039973", dt.date(1901, 2, 3), "male"),  # §7.2 example 3
    ],
)
def test_rules_examples_are_valid(number: str, birth: dt.date, gender: str) -> None:
    info = idcard.parse(number, TODAY)
    assert info.number == number
    assert info.birth_date == birth
    assert info.gender == gender


def test_check_char_of_the_examples() -> None:
    assert idcard.check_char("11010519491231002") == "X"
    assert idcard.check_char("44052418800101001") == "4"
    assert idcard.check_char("37010119010203997") == "3"


@pytest.mark.parametrize("wrong", ["110105194912310021", "440524188001010015", "370101190102039970"])
def test_wrong_checksum_is_refused_with_the_right_char(wrong: str) -> None:
    with pytest.raises(ValueError, match="校验位"):
        idcard.parse(wrong, TODAY)


def test_impossible_date() -> None:
    first17 = "11010519490231002"  # 31 February... here 1949-02-31
    with pytest.raises(ValueError, match="出生日期不存在"):
        idcard.parse(first17 + idcard.check_char(first17), TODAY)


def test_birth_after_today() -> None:
    first17 = "11010520300101002"
    with pytest.raises(ValueError, match="晚于今天"):
        idcard.parse(first17 + idcard.check_char(first17), TODAY)


@pytest.mark.parametrize("bad", ["1101051949123100", "11010519491231002Y", "A1010519491231002X", ""])
def test_wrong_shape(bad: str) -> None:
    with pytest.raises(ValueError, match="18位"):
        idcard.parse(bad, TODAY)


def test_lower_case_x_and_spaces_are_normalised() -> None:
    assert idcard.parse("11010519491231002x", TODAY).number == "11010519491231002X"
    assert idcard.parse(" 110105 19491231 002x ", TODAY).number == "11010519491231002X"


def test_fifteen_digits_are_upgraded() -> None:
    # 1989 scheme: no century, no check char. 440524 800101 001 -> 440524 19800101 001 + check.
    upgraded = idcard.normalise("440524800101001")
    assert upgraded[:17] == "44052419800101001"
    assert upgraded == "44052419800101001" + idcard.check_char("44052419800101001")
    info = idcard.parse("440524800101001", TODAY)
    assert info.number == upgraded
    assert info.birth_date == dt.date(1980, 1, 1)
    assert info.gender == "male"


def test_masks() -> None:
    assert idcard.mask("11010519491231002X") == "110***********002X"
    assert idcard.mask(None) == ""
    assert idcard.mask_phone("13800138000") == "138****8000"
    assert idcard.mask_phone("") == ""
