"""`/api/v1/items/{code}/guidance/`: the questions, the result of an answer set, and 400s in Chinese."""

from __future__ import annotations

import pytest

from zhengwu.catalog.tests.factories import make_item
from zhengwu.guidance.tests.factories import PROXY, make_guided_item

pytestmark = pytest.mark.django_db


def url(code: str) -> str:
    return f"/api/v1/items/{code}/guidance/"


@pytest.fixture
def guided():
    return make_guided_item()


def test_the_questions_come_with_ids_kinds_and_display_conditions(api_client, guided):
    response = api_client.get(url(guided.item.implementation_code))
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["version"]) == ("食品经营许可", 1)
    questions = {q["key"]: q for q in body["questions"]}
    assert list(questions) == ["premises", "scope", "online", "channel", "agent"]
    assert questions["scope"]["kind"] == "multiple" and questions["scope"]["kind_label"] == "多选"
    assert questions["channel"]["depends_on"] == guided.option("online.yes").pk
    assert questions["premises"]["options"] == [
        {"id": guided.option("premises.own").pk, "key": "premises.own", "label": "自有"},
        {"id": guided.option("premises.rented").pk, "key": "premises.rented", "label": "租赁"},
    ]


def test_posting_answers_returns_the_materials_conditions_fees_and_limit(api_client, guided):
    answers = guided.answers("premises.own", "scope.cold", "online.no", "agent.proxy")
    response = api_client.post(url(guided.item.implementation_code), {"answers": answers}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [m["name"] for m in body["materials"]] == [
        "申请书",
        "营业执照",
        "经营场所产权证明",
        "冷食类、生食类专间说明",
        PROXY,
    ]
    proxy = body["materials"][-1]
    assert proxy["reasons"] == ["由谁办理：委托代理人"] and proxy["necessity"] == "conditional"
    assert proxy["template_url"] == ""
    assert body["complete"] is True and body["unanswered"] == []
    assert body["fees"] == [] and body["conditions"] == []
    assert (body["promised_limit"], body["promised_limit_text"], body["limit_changed"]) == (
        5,
        "5个工作日",
        False,
    )
    assert body["item"]["implementation_code"] == guided.item.implementation_code
    assert body["onsite_visits"] == 1 and body["location"]


def test_partial_answers_are_fine_and_say_what_is_missing(api_client, guided):
    response = api_client.post(url(guided.item.implementation_code), {"answers": {}}, format="json")
    body = response.json()
    assert response.status_code == 200
    assert body["complete"] is False
    assert [u["question"] for u in body["unanswered"]] == ["经营场所性质", "是否网络经营", "由谁办理"]


def test_two_options_on_a_single_choice_question_or_a_foreign_option_are_a_400_in_chinese(api_client, guided):
    premises = guided.questions["premises"]
    answers = {
        str(premises.pk): [guided.option("premises.own").pk, guided.option("premises.rented").pk],
        str(guided.questions["online"].pk): [guided.option("agent.self").pk],
        "999999": [1],
    }
    response = api_client.post(url(guided.item.implementation_code), {"answers": answers}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_answers"
    assert body["fields"] == {
        f"answers.{premises.pk}": ["“经营场所性质”为单选题，只能选择一个选项。"],
        f"answers.{guided.questions['online'].pk}": [
            f"选项 {guided.option('agent.self').pk} 不属于问题“是否网络经营”。"
        ],
        "answers.999999": ["问题不存在或不属于本事项。"],
    }
    assert body["message"].startswith("回答有误：")


def test_a_malformed_body_is_a_400_with_field_errors(api_client, guided):
    response = api_client.post(url(guided.item.implementation_code), {"answers": {"1": ["x"]}}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["fields"] == {"answers": ["请填写合法的整数值。"]}
    missing = api_client.post(url(guided.item.implementation_code), {}, format="json")
    assert missing.status_code == 400 and "answers" in missing.json()["fields"]


def test_items_without_situations_drafts_and_unknown_codes_are_404(api_client):
    plain = make_item()
    draft = make_guided_item(publish=False)
    for code in (plain.implementation_code, draft.item.implementation_code, "NO-SUCH-CODE"):
        assert api_client.get(url(code)).status_code == 404
        response = api_client.post(url(code), {"answers": {}}, format="json")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_result_endpoint_runs_a_fixed_number_of_queries(
    api_client, guided, django_assert_max_num_queries
):
    answers = guided.answers("premises.own", "scope.cold", "online.yes", "channel.platform", "agent.proxy")
    with django_assert_max_num_queries(9):
        response = api_client.post(url(guided.item.implementation_code), {"answers": answers}, format="json")
    assert response.status_code == 200


def test_the_schema_documents_both_operations(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    operations = schema["paths"]["/api/v1/items/{code}/guidance/"]
    assert operations["get"]["summary"] == "事项的办理情形问题"
    assert operations["post"]["summary"] == "智能导办：按情形生成材料清单"
    assert "400" in operations["post"]["responses"] and operations["post"]["tags"] == ["智能导办"]
