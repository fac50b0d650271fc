"""A NUL character in a query string is refused (400), never handed to the database (a 500 on
PostgreSQL, which cannot store or compare it in text). Found by the row 14 fuzz run on PostgreSQL:
`GET /api/v1/appointments/availability/?item=%00&hall=0` answered 500 (DataError)."""

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
