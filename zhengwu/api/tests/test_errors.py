"""Every error comes back as {"code", "message", "fields"} with a Chinese message, never a 500."""

import pytest

pytestmark = pytest.mark.django_db


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    return body


def test_an_unknown_item_code_is_a_404_in_the_error_format(api_client, yiyang):
    body = assert_error(api_client.get("/api/v1/items/NO-SUCH-CODE/"), 404, "not_found")
    assert body == {"code": "not_found", "message": "事项不存在或尚未发布。", "fields": {}}


def test_an_unknown_region_code_is_a_404(api_client, yiyang):
    body = assert_error(api_client.get("/api/v1/regions/999999999999/"), 404, "not_found")
    assert body["message"] == "行政区划不存在。"


def test_an_unknown_address_under_api_is_a_json_404(api_client):
    body = assert_error(api_client.get("/api/v1/nothing-here/"), 404, "not_found")
    assert "接口地址不存在" in body["message"]


def test_a_page_past_the_end_is_a_404_with_a_chinese_message(api_client, yiyang):
    body = assert_error(api_client.get("/api/v1/regions/", {"page": 99}), 404, "not_found")
    assert body["message"] == "页码无效。"


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/items/", {"depth": "9"}, "depth"),
        ("/api/v1/items/", {"visits": "many"}, "visits"),
        ("/api/v1/items/", {"level": "abc"}, "level"),
        ("/api/v1/items/", {"region": "000000000000"}, "region"),
        ("/api/v1/items/", {"department": "abc"}, "department"),
        ("/api/v1/items/", {"type": "no_such_type"}, "type"),
        ("/api/v1/regions/", {"level": "abc"}, "level"),
        ("/api/v1/regions/", {"level": "9"}, "level"),
        ("/api/v1/regions/", {"parent": "nope"}, "parent"),
        ("/api/v1/departments/", {"region": "nope"}, "region"),
        ("/api/v1/departments/", {"kind": "ministry"}, "kind"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_field_in_chinese(api_client, yiyang, url, params, field):
    body = assert_error(api_client.get(url, params), 400, "invalid")
    assert list(body["fields"]) == [field]
    assert body["message"].startswith(f"输入有误：{field}：")
    assert "选择一个有效的选项" in body["message"]
    assert all(ord(ch) < 128 for ch in field)  # the key is the parameter name …
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["fields"][field][0])  # … the text is Chinese


def test_a_too_long_search_is_a_400(api_client, yiyang):
    body = assert_error(api_client.get("/api/v1/items/", {"search": "长" * 51}), 400, "invalid")
    assert "50" in body["fields"]["search"][0]


def test_staff_endpoints_without_credentials_are_a_401_in_chinese(api_client):
    for url in ("/api/v1/me/", "/api/v1/staff/items/", "/api/v1/staff/items/ANY/"):
        body = assert_error(api_client.get(url), 401, "not_authenticated")
        assert body["message"] == "身份认证信息未提供。"


def test_a_wrong_token_is_a_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    body = assert_error(api_client.get("/api/v1/me/"), 401, "authentication_failed")
    assert body["message"] == "认证令牌无效。"


def test_a_stale_token_does_not_break_a_public_read(api_client, yiyang):
    api_client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    assert api_client.get("/api/v1/regions/").status_code == 200


def test_writing_to_a_read_endpoint_is_a_405_in_the_error_format(api_client, yiyang):
    assert_error(api_client.post("/api/v1/items/", {}), 405, "method_not_allowed")


def test_a_malformed_json_body_is_a_400_in_chinese(api_client):
    response = api_client.post("/api/v1/auth/token/", "{bad", content_type="application/json")
    body = assert_error(response, 400, "parse_error")
    assert body["message"] == "请求内容无法解析，请检查请求体格式（如 JSON 语法）。"
