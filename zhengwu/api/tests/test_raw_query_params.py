"""Query parameters that views read straight from `request.query_params` are refused with a 400, never
a 500. Both were found by the row 14 fuzz runs (reliability/, docs/reliability.md):

- a NUL character (`GET /api/v1/appointments/availability/?item=%00&hall=0` was a DataError on
  PostgreSQL, which cannot hold NUL in text): `common.input_guard` refuses NUL in every query string;
- a non-ASCII digit (`GET /api/v1/budget/projects/?year=²`: "²".isdigit() is true, int("²") fails).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url, field",
    [
        ("/api/v1/appointments/availability/?item=%00&hall=1", "item"),
        ("/api/v1/appointments/items/?q=%E5%81%9C%00", "q"),
        ("/api/v1/items/?q%00=x", "q"),
    ],
)
def test_the_api_refuses_a_nul_in_the_query_string_in_the_unified_format(client, url, field):
    response = client.get(url)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "空字符" in body["message"]
    assert body["fields"] == {field: ["不允许空字符。"]}


def test_a_page_refuses_a_nul_in_the_query_string_in_chinese(client):
    response = client.get("/?q=%00")
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


def test_a_query_string_without_nul_is_untouched(client):
    assert client.get("/api/v1/appointments/items/?q=%E5%81%9C").status_code == 200


@pytest.mark.parametrize("year", ["%C2%B2", "%D9%A3", "-1", "x"])
def test_a_budget_year_that_is_not_ascii_digits_is_refused(client, year):
    from zhengwu.cases.tests.factories import make_county

    client.force_login(make_county().supervisor)
    response = client.get(f"/api/v1/budget/projects/?year={year}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_year"
