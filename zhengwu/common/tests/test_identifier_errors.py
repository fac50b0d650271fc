"""Test row 16 through the API: a bad identifier in a window intake is a 400 whose Chinese message names
the field and the rule, an unknown address code only warns, a lower-case x is normalised, a USCC led by
N is accepted when its check matches; and the mobile-number rule is exactly `^1[3-9]` + 9 ASCII digits.
The differential tests against python-stdnum are in zhengwu/domain/tests/test_identifiers_stdnum.py."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from zhengwu.cases.tests.factories import at, make_county
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock
from zhengwu.common.errors import DomainError
from zhengwu.common.tests.clients import KeyedAPIClient
from zhengwu.organization.models import Applicant
from zhengwu.organization.services import PHONE_RE, citizen_register

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def _id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def _wrong_check(body17: str) -> str:
    right = ric.calc_check_digit(body17 + "0")
    return body17 + ("1" if right != "1" else "2")


@pytest.fixture
def intake():
    with clock.frozen(at("2026-06-01")):
        county = make_county()
        item = make_item(department=county.department)
    api = KeyedAPIClient()
    api.force_authenticate(county.clerk)

    def post(kind: str, id_number: str):
        body = {
            "item": item.implementation_code,
            "applicant": {"kind": kind, "name": "王五", "id_number": id_number, "phone": "13800001111"},
            "channel": "window",
        }
        with clock.frozen(at("2026-06-01")):
            return api.post(CASES, body, format="json")

    return post


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        (_wrong_check("43090319900101123"), "身份证号码校验位错误"),
        (_id("11010119990230001"), "出生日期无效"),
        (_id("11010119900101123")[:17], "身份证号码应为18位"),
        (_id("11010119900101123") + "1", "身份证号码应为18位"),
    ],
    ids=["check digit", "19990230", "17 characters", "19 characters"],
)
def test_a_bad_id_number_is_a_400_naming_the_field_and_the_rule(intake, id_number, message):
    response = intake("person", id_number)
    assert response.status_code == 400
    assert response.json()["fields"] == {"id_number": [message]}
    assert not Applicant.objects.exists()


def test_a_lower_case_x_is_normalised_to_upper_case(intake):
    body = next(
        b for b in (f"43090319900101{n:03d}" for n in range(1000)) if ric.calc_check_digit(b + "0") == "X"
    )
    response = intake("person", body + "x")
    assert response.status_code == 201, response.json()
    assert response.json()["applicant"]["id_number"].endswith("X")


def test_an_unknown_address_code_only_warns(intake):
    response = intake("person", _id("43099919900101123"))
    assert response.status_code == 201, response.json()
    assert any("地址码 430999" in warning for warning in Applicant.objects.get().warnings)


def test_a_uscc_led_by_n_is_accepted_when_its_check_matches(intake):
    body = "N2430903MA4L0000"
    code = body + "0" + uscc.calc_check_digit(body + "0" + "0")
    assert not uscc.is_valid(code)  # stdnum alone refuses any code not led by 8 digits
    assert intake("legal_person", code).status_code == 201


def test_a_uscc_with_a_wrong_check_is_a_400_naming_the_rule(intake):
    body = "91430903MA4L00000"
    right = uscc.calc_check_digit(body + "0")
    wrong = body + ("1" if right != "1" else "2")
    response = intake("legal_person", wrong)
    assert response.status_code == 400
    assert response.json()["fields"] == {"id_number": ["统一社会信用代码校验位错误"]}


@settings(max_examples=1_000, deadline=None)
@given(st.text(alphabet=string.digits + "٣３+ -a\n", min_size=9, max_size=13))
def test_the_mobile_rule_accepts_exactly_eleven_ascii_digits_starting_13_to_19(text):
    expected = (
        len(text) == 11
        and all(ch in string.digits for ch in text)
        and text[0] == "1"
        and text[1] in "3456789"
    )
    assert bool(PHONE_RE.match(text)) == expected


def test_a_mobile_number_with_non_ascii_digits_is_refused_at_registration():
    with pytest.raises(DomainError) as refused:
        citizen_register(
            phone="138١٢345678",
            password="Zw!citizen-2026",
            name="李四",
            id_number="430903199001011238",
            today=at("2026-06-01").date(),
        )
    assert refused.value.fields == {"phone": ["应为 11 位大陆手机号码。"]}
