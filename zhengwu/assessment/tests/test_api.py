"""`/api/v1/assessment/…`: schemes, running, reading and publishing a run; roles, scope and errors."""

from __future__ import annotations

import json

import pytest

from zhengwu.assessment.tests.conftest import card
from zhengwu.assessment.tests.test_services import run

pytestmark = pytest.mark.django_db

RUN = "/api/v1/assessment/evaluations/"


def test_the_schemes_are_listed_with_their_active_version_and_rule_set(api_client, assessors):
    api_client.force_authenticate(assessors.first)

    listed = api_client.get("/api/v1/assessment/schemes/").json()
    detail = api_client.get("/api/v1/assessment/schemes/shanhaiguan-2020/").json()

    assert [(s["code"], s["version"], s["active"]) for s in listed] == [
        ("shanhaiguan-2020", "2020.1", True),
        ("yiyang-2020", "2020.1", True),
    ]
    assert detail["rules"]["unit_types"] == {"city_dept": "市直部门", "county": "县区"}
    assert detail["versions"] == ["2020.1"]
    assert api_client.get("/api/v1/assessment/schemes/nowhere/").status_code == 404


def test_a_run_answers_201_with_the_ranking_and_every_point_traced(
    api_client, heshan, ziyang, assessors, frozen
):
    overdue = card(heshan, rule="R1", level="red", day="2026-04-10")
    api_client.force_authenticate(assessors.first)

    response = api_client.post(RUN, {"scheme": "yiyang-2020", "period": "2026"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["scheme"], body["version"], body["period"], body["status"]) == (
        "yiyang-2020",
        "2020.1",
        "2026",
        "draft",
    )
    assert [(u["name"], u["total"], u["rank"]) for u in body["units"]] == [
        ("资阳区", "100.00", 1),
        ("赫山区", "98.81", 2),
    ]
    item = next(i for i in body["units"][1]["items"] if i["item"] == "12")
    assert item["deductions"][0]["evidence"] == [overdue.case.number]
    assert body["rules"]["code"] == "yiyang-2020"
    assert api_client.get(f"{RUN}{body['id']}/").json()["units"] == body["units"]


def test_publishing_freezes_the_run_and_a_second_publish_is_refused(api_client, heshan, assessors, frozen):
    evaluation = run(assessors.first)
    api_client.force_authenticate(assessors.second)

    published = api_client.post(f"{RUN}{evaluation.pk}/publish/")
    again = api_client.post(f"{RUN}{evaluation.pk}/publish/")

    assert published.status_code == 200 and published.json()["status"] == "published"
    assert published.json()["published_by"] == str(assessors.second)
    assert again.status_code == 400 and again.json()["code"] == "evaluation_frozen"


def test_bad_input_is_a_400_with_code_message_and_fields(api_client, heshan, assessors):
    api_client.force_authenticate(assessors.first)

    bad_period = api_client.post(RUN, {"scheme": "yiyang-2020", "period": "明年"}, format="json")
    bad_units = api_client.post(
        RUN, {"scheme": "yiyang-2020", "period": "2026", "units": "town"}, format="json"
    )
    no_tiers = api_client.post(RUN, {"scheme": "shanhaiguan-2020", "period": "2026"}, format="json")

    assert bad_period.status_code == 400 and set(bad_period.json()) == {"code", "message", "fields"}
    assert "period" in bad_period.json()["fields"]
    assert bad_units.status_code == 400 and "units" in bad_units.json()["fields"]
    assert no_tiers.status_code == 400 and no_tiers.json()["code"] == "assessment_facts"
    assert "单位“赫山区”考核项“1”：缺少等次评定（规则“1a”）" in no_tiers.json()["fields"]["facts"]


def test_a_window_clerk_gets_403_and_another_countys_assessor_404(api_client, heshan, ziyang, assessors):
    evaluation = run(assessors.first)
    api_client.force_authenticate(heshan.clerk)
    refused = api_client.post(RUN, {"scheme": "yiyang-2020", "period": "2026"}, format="json")
    assert refused.status_code == 403 and json.loads(refused.content)["code"] == "permission_denied"

    api_client.force_authenticate(heshan.assessor)
    assert api_client.get(f"{RUN}{evaluation.pk}/").status_code == 404
    own = api_client.post(RUN, {"scheme": "yiyang-2020", "period": "2026"}, format="json").json()
    assert [u["name"] for u in own["units"]] == ["赫山区"]
    assert api_client.post(f"{RUN}{evaluation.pk}/publish/").status_code == 404


def test_the_schema_documents_every_assessment_operation_in_chinese(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    operations = {
        (path, method): op
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/assessment/")
        for method, op in item.items()
    }
    assert set(operations) == {
        ("/api/v1/assessment/schemes/", "get"),
        ("/api/v1/assessment/schemes/{code}/", "get"),
        ("/api/v1/assessment/evaluations/", "post"),
        ("/api/v1/assessment/evaluations/{id}/", "get"),
        ("/api/v1/assessment/evaluations/{id}/publish/", "post"),
    }
    for op in operations.values():
        assert op["tags"] == ["考核"] and op["summary"] and op["description"]
    assert "201" in operations[("/api/v1/assessment/evaluations/", "post")]["responses"]
