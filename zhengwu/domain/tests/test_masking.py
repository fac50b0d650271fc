"""Tests for zhengwu.domain.masking (DOMAIN.md §11 default masking). Pure Python, no database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhengwu.domain.masking import (
    mask_address,
    mask_bank_account,
    mask_id_number,
    mask_name,
    mask_phone,
)

ALL_MASKS: list[Callable[[str | None], str]] = [
    mask_id_number,
    mask_phone,
    mask_name,
    mask_address,
    mask_bank_account,
]

# --- empty input ----------------------------------------------------------------------------


@pytest.mark.parametrize("mask", ALL_MASKS, ids=lambda f: f.__name__)
def test_none_is_masked_to_an_empty_string(mask: Callable[[str | None], str]) -> None:
    assert mask(None) == ""


@pytest.mark.parametrize("mask", ALL_MASKS, ids=lambda f: f.__name__)
def test_empty_string_is_masked_to_an_empty_string(mask: Callable[[str | None], str]) -> None:
    assert mask("") == ""


@pytest.mark.parametrize("mask", ALL_MASKS, ids=lambda f: f.__name__)
def test_whitespace_only_is_masked_to_an_empty_string(mask: Callable[[str | None], str]) -> None:
    assert mask("   ") == ""


# --- ID numbers -----------------------------------------------------------------------------


def test_id_number_keeps_first_four_and_last_four_around_ten_stars() -> None:
    assert mask_id_number("43090219900101002X") == "4309**********002X"


def test_id_number_lower_case_x_is_shown_upper_case() -> None:
    assert mask_id_number("43090219900101002x") == "4309**********002X"


def test_id_number_hides_the_birth_date() -> None:
    assert "19900101" not in mask_id_number("43090219900101002X")


def test_fifteen_digit_id_number_keeps_three_at_each_end() -> None:
    assert mask_id_number("430902900101002") == "430*********002"


def test_longer_value_never_reveals_more_than_eight_characters() -> None:
    masked = mask_id_number("A" * 30)
    assert len(masked) == 30
    assert len(masked.replace("*", "")) == 8


def test_value_of_eight_characters_shows_only_the_last_two() -> None:
    assert mask_id_number("12345678") == "******78"


def test_value_of_two_characters_is_masked_completely() -> None:
    assert mask_id_number("12") == "**"


@given(st.text(alphabet="0123456789X", min_size=1, max_size=40))
def test_masked_id_number_keeps_length_and_reveals_at_most_eight_characters(value: str) -> None:
    masked = mask_id_number(value)
    assert len(masked) == len(value)
    visible = len(masked) - masked.count("*")
    assert visible <= 8
    assert visible < len(value)


# --- phones ---------------------------------------------------------------------------------


def test_mobile_keeps_first_three_and_last_four() -> None:
    assert mask_phone("13812345678") == "138****5678"


def test_mobile_written_with_separators_is_masked_without_them() -> None:
    assert mask_phone("138-1234 5678") == "138****5678"


def test_mobile_with_country_code_is_masked_as_a_mobile() -> None:
    assert mask_phone("+86 138 1234 5678") == "138****5678"


def test_landline_keeps_only_the_last_four_digits() -> None:
    assert mask_phone("0737-4221234") == "********1234"


def test_eleven_digit_number_not_starting_with_one_is_not_treated_as_a_mobile() -> None:
    assert mask_phone("07374221234") == "*******1234"


def test_number_of_four_digits_or_fewer_is_masked_completely() -> None:
    assert mask_phone("1234") == "****"


# --- names ----------------------------------------------------------------------------------


def test_two_character_name_keeps_the_surname() -> None:
    assert mask_name("张三") == "张*"


def test_four_character_name_keeps_the_first_character_only() -> None:
    assert mask_name("欧阳修文") == "欧***"


def test_single_character_name_is_masked_completely() -> None:
    assert mask_name("张") == "*"


def test_name_is_stripped_before_masking() -> None:
    assert mask_name(" 李四 ") == "李*"


# --- addresses ------------------------------------------------------------------------------


def test_address_is_cut_after_the_district() -> None:
    assert mask_address("湖南省益阳市赫山区龙岭街道金山南路1号") == "湖南省益阳市赫山区****"


def test_address_is_cut_after_the_county() -> None:
    assert mask_address("湖南省益阳市桃江县桃花江镇XX村3组") == "湖南省益阳市桃江县****"


def test_address_is_cut_after_a_county_level_city_following_a_prefecture_city() -> None:
    assert mask_address("湖南省益阳市沅江市琼湖街道1号") == "湖南省益阳市沅江市****"


def test_address_is_cut_after_a_county_level_city_following_an_autonomous_prefecture() -> None:
    assert mask_address("湖南省湘西土家族苗族自治州吉首市乾州街道") == "湖南省湘西土家族苗族自治州吉首市****"


def test_address_is_cut_after_a_county_level_city_following_a_league() -> None:
    assert (
        mask_address("内蒙古自治区锡林郭勒盟锡林浩特市宝力根街道") == "内蒙古自治区锡林郭勒盟锡林浩特市****"
    )


def test_address_is_cut_after_a_banner() -> None:
    assert (
        mask_address("内蒙古自治区呼伦贝尔市鄂温克族自治旗巴彦托海镇")
        == "内蒙古自治区呼伦贝尔市鄂温克族自治旗****"
    )


def test_autonomous_region_is_not_mistaken_for_a_district() -> None:
    assert mask_address("广西壮族自治区南宁市青秀区民族大道") == "广西壮族自治区南宁市青秀区****"


def test_prefecture_named_diqu_is_not_mistaken_for_a_district() -> None:
    assert (
        mask_address("新疆维吾尔自治区阿克苏地区阿克苏市英巴扎街道")
        == "新疆维吾尔自治区阿克苏地区阿克苏市****"
    )


def test_city_name_ending_in_zhou_is_not_mistaken_for_a_prefecture() -> None:
    assert mask_address("广东省广州市天河区天河路1号") == "广东省广州市天河区****"


def test_municipality_address_is_cut_after_the_district() -> None:
    assert mask_address("北京市朝阳区建国路88号") == "北京市朝阳区****"


def test_city_without_counties_is_cut_after_the_city() -> None:
    assert mask_address("广东省东莞市东城街道市场路2号") == "广东省东莞市****"


def test_address_without_any_division_is_masked_completely() -> None:
    assert mask_address("金山南路1号") == "****"


def test_mask_after_the_county_has_fixed_length() -> None:
    assert mask_address("湖南省益阳市赫山区") == mask_address("湖南省益阳市赫山区龙岭街道金山南路1号")


# --- bank accounts --------------------------------------------------------------------------


def test_bank_account_keeps_only_the_last_four() -> None:
    assert mask_bank_account("6222021234567891234") == "***************1234"


def test_bank_account_spaces_are_dropped_before_masking() -> None:
    assert mask_bank_account("6222 0212 3456 7891 234") == "***************1234"


def test_short_bank_account_is_masked_completely() -> None:
    assert mask_bank_account("1234") == "****"
