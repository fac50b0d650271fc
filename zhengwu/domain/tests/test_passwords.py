"""Password profiles (SECURITY.md §4, goal row 4): each rule per profile, with its Chinese message."""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhengwu.domain.passwords import (
    ASVS,
    CLASS_MESSAGE,
    DENGBAO,
    MAX_LENGTH,
    Profile,
    character_classes,
    contains_date,
    contains_digit_run,
    get_profile,
    is_keyboard_run,
    password_problems,
    rotation_due,
)

COMMON = frozenset({"password", "woaini", "woaini1314", "zhangwei", "iloveyou"})


def codes(password: str, profile: Profile = DENGBAO, staff: bool = False, **personal: Any) -> list[str]:
    found = password_problems(password, profile=profile, staff=staff, common=COMMON, **personal)
    return [p.code for p in found]


@pytest.mark.parametrize(
    ("profile", "staff", "password", "expected"),
    [
        # length: 8 for citizens and 10 for staff under 等保; 12 for everyone under ASVS
        (DENGBAO, False, "Gx7#kd2", ["too_short"]),
        (DENGBAO, False, "Gx7#kd2m", []),
        (DENGBAO, True, "Gx7#kd2mq", ["too_short"]),
        (DENGBAO, True, "Gx7#kd2mqz", []),
        (ASVS, False, "gx7kd2mqzpl", ["too_short"]),
        (ASVS, False, "gxrkdtmqzplv", []),
        (ASVS, True, "gxrkdtmqzplv", []),
        # composition: three of four classes under 等保, none under ASVS
        (DENGBAO, False, "gxrkdtmqzplv", ["too_few_classes"]),
        (DENGBAO, False, "gxrkd7mqzplv", ["too_few_classes"]),
        (DENGBAO, False, "gxrkd7mqz-lv", []),
        (DENGBAO, False, "GXRKD7MQZ-LV", []),
        # common passwords, pinyin words with digits appended, keyboard and alphabet walks
        (ASVS, False, "woaini1314!!", ["common"]),
        (ASVS, False, "Password2468", ["common"]),
        (DENGBAO, False, "Zhangwei@9", ["common"]),
        (DENGBAO, False, "1qaz@WSX3edc", ["common"]),
        (DENGBAO, False, "!QAZ2wsx", ["common"]),
        (DENGBAO, False, "Qwertyuiop[]", ["common"]),
        (DENGBAO, False, "Asdfghjkl;", ["common"]),
        (DENGBAO, False, "Abcdefg@97", ["common"]),
        (ASVS, False, "aaaaaaaaaaaa", ["common"]),
        # digit runs and dates
        (DENGBAO, False, "Zw!123456x", ["digit_run"]),
        (DENGBAO, False, "Zw!987654x", ["digit_run"]),
        (DENGBAO, False, "Zw!888888x", ["digit_run"]),
        (DENGBAO, False, "Zw!19900101", ["date"]),
        (DENGBAO, False, "Zw!20261130", ["date"]),
        (DENGBAO, False, "Zw!19990230", []),  # no such day: not a date
    ],
)
def test_each_rule_of_each_profile(profile, staff, password, expected):
    assert codes(password, profile, staff) == expected


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Gx7#kd2", "密码长度不得少于8位"),
        ("gxrkdtmqzplv", "密码须包含大写字母、小写字母、数字、符号中的至少三类"),
        ("woaini1314!!", "密码过于常见（常用密码、拼音词、键盘序列或字母序列），请更换"),
        ("Zw!123456x", "密码不得包含连续或重复的数字（如123456、111111）"),
        ("Zw!19900101", "密码不得包含日期（如19900101）"),
    ],
)
def test_every_rule_names_itself_in_chinese(password, message):
    assert message in [
        p.message for p in password_problems(password, profile=DENGBAO, staff=False, common=COMMON)
    ]


def test_staff_get_the_ten_character_message_under_dengbao():
    messages = [p.message for p in password_problems("Gx7#kd2mq", profile=DENGBAO, staff=True)]
    assert messages == ["密码长度不得少于10位"]


def test_asvs_asks_for_twelve_characters():
    messages = [p.message for p in password_problems("Gx7#kd2mq", profile=ASVS, staff=False)]
    assert messages == ["密码长度不得少于12位"]


def test_sixty_four_characters_are_accepted_by_both_profiles_and_129_are_not():
    long_password = ("Gx7#kd2m" * 16)[:64]
    assert codes(long_password, DENGBAO, True) == []
    assert codes(long_password, ASVS, True) == []
    assert "too_long" in codes("Gx7#kd2m" * 17, ASVS)
    assert len("Gx7#kd2m" * 17) > MAX_LENGTH


def test_a_password_containing_the_username_is_refused_whatever_the_case():
    assert codes("Zw!ZiYang_Clerk9", username="ziyang_clerk") == ["contains_username"]


def test_a_short_username_is_not_searched_for():
    assert codes("Zw!ab-mq7kd", username="ab") == []


def test_a_password_containing_the_id_number_or_its_last_six_characters_is_refused():
    assert codes("Zw!43090319900101123X", id_numbers=["43090319900101123x"])[-1] == "contains_id_number"
    assert codes("Zw!k01123Xq", id_numbers=["43090319900101123X"]) == ["contains_id_number"]


def test_a_password_containing_the_phone_number_is_refused():
    assert codes("Zw!13907315682", phones=["13907315682"]) == ["contains_phone"]


def test_character_classes_count_each_class_once():
    assert [character_classes(p) for p in ("", "a", "aA", "aA1", "aA1!", "中文")] == [0, 1, 2, 3, 4, 1]


def test_keyboard_runs_go_both_ways_and_need_four_keys():
    assert is_keyboard_run("poiuy") and is_keyboard_run("ytrewq") and is_keyboard_run("ZXCV")
    assert not is_keyboard_run("qwe") and not is_keyboard_run("qwrt")


def test_digit_runs_and_dates_are_found_inside_a_password():
    assert contains_digit_run("ab012345cd") and contains_digit_run("x543210")
    assert not contains_digit_run("12345-6789")
    assert contains_date("pw20000229!") and not contains_date("pw19000229!")


def test_an_unknown_profile_is_a_configuration_error():
    with pytest.raises(ValueError, match="未知的密码策略"):
        get_profile("nist")


def test_staff_rotate_every_ninety_days_under_dengbao_only():
    changed = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert rotation_due(profile=DENGBAO, staff=True, changed_at=changed) == dt.datetime(
        2026, 4, 1, tzinfo=dt.UTC
    )
    assert rotation_due(profile=DENGBAO, staff=False, changed_at=changed) is None
    assert rotation_due(profile=ASVS, staff=True, changed_at=changed) is None


# -- property: length and composition agree with a reference predicate written from the table of §4 --------


def reference_accepts_length_and_composition(password: str, *, profile_name: str, staff: bool) -> bool:
    minimum = {"dengbao": 10 if staff else 8, "asvs": 12}[profile_name]
    if not minimum <= len(password) <= 128:
        return False
    if profile_name == "asvs":
        return True
    kinds = [
        any(c in string.ascii_uppercase for c in password),
        any(c in string.ascii_lowercase for c in password),
        any(c in string.digits for c in password),
        any(c not in string.ascii_letters + string.digits for c in password),
    ]
    return sum(kinds) >= 3


PASSWORD_TEXT = st.text(
    alphabet=st.sampled_from(string.ascii_letters + string.digits + "!@#-_ .中"), min_size=0, max_size=140
)


@settings(max_examples=400, deadline=None)
@given(password=PASSWORD_TEXT, profile_name=st.sampled_from(["dengbao", "asvs"]), staff=st.booleans())
def test_length_and_composition_agree_with_the_reference_predicate(password, profile_name, staff):
    found = {p.code for p in password_problems(password, profile=get_profile(profile_name), staff=staff)} & {
        "too_short",
        "too_long",
        "too_few_classes",
    }
    assert (not found) == reference_accepts_length_and_composition(
        password, profile_name=profile_name, staff=staff
    )


@settings(max_examples=200, deadline=None)
@given(
    password=PASSWORD_TEXT, username=st.text(alphabet=string.ascii_lowercase + "_", min_size=3, max_size=12)
)
def test_the_username_rule_agrees_with_a_case_insensitive_substring_test(password, username):
    found = "contains_username" in codes(password, username=username)
    assert found == (username.lower() in password.lower())


def test_the_class_message_is_the_one_of_the_security_table():
    assert CLASS_MESSAGE == "密码须包含大写字母、小写字母、数字、符号中的至少三类"
