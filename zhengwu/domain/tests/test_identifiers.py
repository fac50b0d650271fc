"""Tests for zhengwu.domain.identifiers (DOMAIN.md §10). Pure Python, no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidComponent

from zhengwu.domain.identifiers import (
    MIN_BIRTH_DATE,
    USCC_ALPHABET,
    USCC_AUTHORITIES,
    IdentifierCheck,
    InvalidIdentifier,
    gb11714_check_digit,
    id_number_birth_date,
    id_number_sex,
    validate_id_number,
    validate_uscc,
)

TODAY = date(2026, 3, 15)

# --- helpers: independent implementations of the DOMAIN §10 formulas -------------------------

_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def id_number(body17: str) -> str:
    """17 digits + ISO 7064 MOD 11-2 check, computed from the DOMAIN formula."""
    total = sum(int(d) * w for d, w in zip(body17, _RIC_WEIGHTS, strict=True))
    return body17 + "10X98765432"[total % 11]


def uscc_code(body17: str) -> str:
    """17 characters + GB 32100 check, computed from the DOMAIN formula."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    return body17 + USCC_ALPHABET[(31 - total % 31) % 31]


def rejection(raw: str, *, allow_legacy_15: bool = False) -> InvalidIdentifier:
    with pytest.raises(InvalidIdentifier) as caught:
        validate_id_number(raw, today=TODAY, allow_legacy_15=allow_legacy_15)
    return caught.value


def uscc_rejection(raw: str) -> InvalidIdentifier:
    with pytest.raises(InvalidIdentifier) as caught:
        validate_uscc(raw)
    return caught.value


# --- 居民身份证号码 ---------------------------------------------------------------------------


def test_domain_example_id_number_is_valid_without_warnings() -> None:
    assert validate_id_number("11010519491231002X", today=TODAY) == IdentifierCheck("11010519491231002X", ())


def test_lower_case_x_is_normalised_to_upper_case() -> None:
    assert validate_id_number("11010519491231002x", today=TODAY).value == "11010519491231002X"


def test_spaces_anywhere_in_the_id_number_are_removed() -> None:
    assert validate_id_number(" 110105 19491231\u3000002X ", today=TODAY).value == "11010519491231002X"


def test_helper_check_digit_agrees_with_stdnum() -> None:
    assert id_number("11010519491231002") == "11010519491231002X"
    assert ric.calc_check_digit("11010519491231002X") == "X"


def test_wrong_check_digit_is_rejected() -> None:
    error = rejection("360426199101010072")
    assert (error.code, error.message) == ("checksum", "身份证号码校验位错误")


def test_seventeen_characters_are_rejected_as_wrong_length() -> None:
    error = rejection("11010519491231002")
    assert (error.code, error.message) == ("length", "身份证号码应为18位")


def test_nineteen_characters_are_rejected_as_wrong_length() -> None:
    assert rejection("11010519491231002X0").code == "length"


def test_letter_inside_the_first_seventeen_characters_is_rejected_as_format() -> None:
    error = rejection("1101051949123100AX")
    assert error.code == "format"
    assert error.message.startswith("身份证号码应为18位")


def test_letter_other_than_x_in_the_check_position_is_rejected_as_format() -> None:
    assert rejection("11010519491231002A").code == "format"


def test_impossible_birth_date_is_rejected() -> None:
    error = rejection(id_number("11010519900230001"))
    assert (error.code, error.message) == ("birth_date", "出生日期无效")


def test_birth_date_after_today_is_rejected() -> None:
    tomorrow = TODAY + timedelta(days=1)
    assert rejection(id_number("110105" + tomorrow.strftime("%Y%m%d") + "001")).code == "birth_date"


def test_birth_date_equal_to_today_is_accepted() -> None:
    value = id_number("110105" + TODAY.strftime("%Y%m%d") + "001")
    assert validate_id_number(value, today=TODAY).value == value


def test_birth_date_before_the_plausible_minimum_is_rejected() -> None:
    assert rejection(id_number("11010518491231001")).code == "birth_date"


def test_unknown_address_code_is_a_warning_not_a_rejection() -> None:
    check = validate_id_number(id_number("43099919900101001"), today=TODAY)
    assert check.value == "430999199001010019"
    assert check.warnings == ("地址码 430999 不在行政区划表中（可能为已撤销的县级区划），请核对",)


def test_stdnum_alone_does_not_accept_the_unknown_address_code_we_accept() -> None:
    # python-stdnum 2.2 raises KeyError('county') here (province 43 known, county 0999 not).
    with pytest.raises((InvalidComponent, KeyError)):
        ric.validate(id_number("43099919900101001"))


def test_address_code_of_an_unknown_province_is_a_warning() -> None:
    value = id_number("99010119900101001")
    assert not ric.is_valid(value)
    assert validate_id_number(value, today=TODAY).warnings == (
        "地址码 990101 不在行政区划表中（可能为已撤销的县级区划），请核对",
    )


def test_address_code_of_a_county_abolished_before_the_birth_year_is_a_warning() -> None:
    # 110103 崇文区 was merged into 东城区 in 2010; stdnum knows it only up to 2010.
    check = validate_id_number(id_number("11010320150101001"), today=TODAY)
    assert len(check.warnings) == 1
    assert "110103" in check.warnings[0]


def test_address_code_of_a_county_existing_in_the_birth_year_has_no_warning() -> None:
    assert validate_id_number(id_number("11010319900101001"), today=TODAY).warnings == ()


def test_fifteen_digit_number_is_rejected_by_default() -> None:
    assert rejection("110105491231002").code == "length"


def test_fifteen_digit_number_is_upgraded_to_eighteen_digits_on_import() -> None:
    check = validate_id_number("110105491231002", today=TODAY, allow_legacy_15=True)
    assert check.value == "11010519491231002X"


def test_fifteen_digit_upgrade_is_reported_as_a_warning() -> None:
    check = validate_id_number("110105491231002", today=TODAY, allow_legacy_15=True)
    assert check.warnings == ("15位旧身份证号码 110105491231002 已升位为18位",)


def test_fifteen_digit_number_with_impossible_date_is_rejected_on_import() -> None:
    assert rejection("110105490230002", allow_legacy_15=True).code == "birth_date"


def test_eighteen_digit_number_is_still_checked_when_legacy_is_allowed() -> None:
    assert rejection("360426199101010072", allow_legacy_15=True).code == "checksum"


def test_invalid_identifier_is_a_value_error_whose_text_is_the_chinese_message() -> None:
    error = rejection("360426199101010072")
    assert isinstance(error, ValueError)
    assert str(error) == "身份证号码校验位错误"


def test_birth_date_is_read_from_the_id_number() -> None:
    assert id_number_birth_date("11010519491231002X") == date(1949, 12, 31)


def test_birth_date_of_a_legacy_fifteen_digit_number_is_in_the_1900s() -> None:
    assert id_number_birth_date("110105491231002") == date(1949, 12, 31)


def test_birth_date_extraction_rejects_an_impossible_date() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        id_number_birth_date(id_number("11010519900230001"))
    assert caught.value.code == "birth_date"


def test_birth_date_extraction_rejects_a_value_that_is_not_an_id_number() -> None:
    with pytest.raises(InvalidIdentifier):
        id_number_birth_date("abc")


def test_odd_sequence_digit_means_male() -> None:
    assert id_number_sex(id_number("11010519900101001")) == "male"


def test_even_sequence_digit_means_female() -> None:
    assert id_number_sex("11010519491231002X") == "female"


def test_sex_of_a_legacy_fifteen_digit_number_comes_from_its_last_digit() -> None:
    assert id_number_sex("110105491231003") == "male"


@given(
    address=st.text(alphabet="0123456789", min_size=6, max_size=6),
    birth=st.dates(min_value=MIN_BIRTH_DATE, max_value=TODAY),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_any_seventeen_digits_with_a_real_birth_date_and_computed_check_validate(
    address: str, birth: date, sequence: int
) -> None:
    value = id_number(f"{address}{birth:%Y%m%d}{sequence:03d}")
    check = validate_id_number(value, today=TODAY)
    assert check.value == value
    assert id_number_birth_date(value) == birth


@given(body=st.text(alphabet="0123456789", min_size=17, max_size=17), wrong=st.sampled_from("0123456789X"))
def test_any_wrong_check_character_is_rejected(body: str, wrong: str) -> None:
    value = body + wrong
    if wrong == id_number(body)[-1]:
        return
    with pytest.raises(InvalidIdentifier):
        validate_id_number(value, today=TODAY)


# --- 统一社会信用代码 -------------------------------------------------------------------------

RURAL_COLLECTIVE = uscc_code("N2430903MA4L00001")  # 农业 / 村级集体经济组织, 赫山区
OTHER_AUTHORITY = uscc_code("Y1430903MA4L00001")  # 其他
MILITARY = uscc_code("A1110000MA4L00001")  # 中央军委改革和编制办公室 / 军队事业单位


def test_domain_example_enterprise_uscc_is_valid_without_warnings() -> None:
    assert validate_uscc("91110000600037341L") == IdentifierCheck("91110000600037341L", ())


def test_uscc_with_letters_in_the_organisation_code_is_valid() -> None:
    assert validate_uscc("91350100M000100Y43") == IdentifierCheck("91350100M000100Y43", ())


def test_helper_uscc_check_agrees_with_stdnum() -> None:
    assert uscc_code("91110000600037341") == "91110000600037341L"
    assert uscc.calc_check_digit("91350100M000100Y4") == "3"


def test_uscc_lower_case_and_separators_are_normalised() -> None:
    assert validate_uscc(" 91-110000 60003734 1l ").value == "91110000600037341L"


def test_uscc_starting_with_n_is_accepted() -> None:
    assert validate_uscc(RURAL_COLLECTIVE).value == RURAL_COLLECTIVE


def test_stdnum_alone_rejects_the_uscc_starting_with_n() -> None:
    assert not uscc.is_valid(RURAL_COLLECTIVE)


def test_uscc_starting_with_y_is_accepted() -> None:
    assert validate_uscc(OTHER_AUTHORITY).value == OTHER_AUTHORITY


def test_stdnum_alone_rejects_the_uscc_starting_with_y() -> None:
    assert not uscc.is_valid(OTHER_AUTHORITY)


def test_uscc_starting_with_a_is_accepted() -> None:
    assert validate_uscc(MILITARY).value == MILITARY


def test_uscc_starting_with_n_and_a_wrong_check_is_rejected() -> None:
    wrong = RURAL_COLLECTIVE[:-1] + ("0" if RURAL_COLLECTIVE[-1] != "0" else "1")
    assert uscc_rejection(wrong).code == "checksum"


def test_wrong_uscc_check_character_is_rejected() -> None:
    error = uscc_rejection("91110000600037341M")
    assert (error.code, error.message) == ("checksum", "统一社会信用代码校验位错误")


def test_uscc_of_seventeen_characters_is_rejected_as_wrong_length() -> None:
    error = uscc_rejection("91110000600037341")
    assert (error.code, error.message) == ("length", "统一社会信用代码应为18位")


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_uscc_containing_a_forbidden_letter_is_rejected(letter: str) -> None:
    error = uscc_rejection("9111000060003734" + letter + "L")
    assert (error.code, error.message) == ("format", "统一社会信用代码含非法字符 I/O/S/V/Z")


def test_uscc_containing_punctuation_is_rejected_as_format() -> None:
    assert uscc_rejection("91110000600037341#").code == "format"


def test_unknown_registration_authority_is_rejected() -> None:
    error = uscc_rejection(uscc_code("B1110000600037341"))
    assert (error.code, error.message) == ("authority", "登记管理部门代码 B 无效")


def test_registration_authority_zero_is_rejected() -> None:
    assert uscc_rejection(uscc_code("01110000600037341")).code == "authority"


def test_non_numeric_region_code_is_rejected_as_format() -> None:
    assert uscc_rejection(uscc_code("911A0000600037341")).code == "format"


def test_organisation_code_failing_gb11714_is_only_a_warning() -> None:
    value = uscc_code("91110000600037342")  # 60003734-2: GB 11714 check should be 1
    check = validate_uscc(value)
    assert check.value == value
    assert check.warnings == ("主体标识码 600037342 未通过组织机构代码（GB 11714）校验，请核对",)


def test_category_not_listed_for_the_authority_is_only_a_warning() -> None:
    value = uscc_code("94110000600037341")  # 工商 has categories 1, 2, 3 only
    check = validate_uscc(value)
    assert check.value == value
    assert check.warnings == ("机构类别代码 4 不在登记管理部门“工商”的类别表中，请核对",)


def test_gb11714_check_digit_matches_the_organisation_codes_of_the_examples() -> None:
    assert (gb11714_check_digit("60003734"), gb11714_check_digit("M000100Y")) == ("1", "4")


@given(
    authority=st.sampled_from(sorted(USCC_AUTHORITIES)),
    category=st.sampled_from("1239"),
    region=st.text(alphabet="0123456789", min_size=6, max_size=6),
    subject=st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
)
def test_any_code_with_a_known_authority_numeric_region_and_computed_check_validates(
    authority: str, category: str, region: str, subject: str
) -> None:
    value = uscc_code(authority + category + region + subject)
    assert validate_uscc(value).value == value


@given(body=st.text(alphabet="0123456789", min_size=17, max_size=17).map(lambda s: "9" + s[1:]))
def test_our_uscc_validator_agrees_with_stdnum_on_all_numeric_codes(body: str) -> None:
    value = uscc_code(body)
    assert uscc.is_valid(value)
    assert validate_uscc(value).value == value
