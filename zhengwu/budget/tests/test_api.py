"""`/api/v1/budget/…`: the list and detail in scope, recording spending and running monitoring, bad input."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from rest_framework.test import APIClient

from zhengwu.budget import services
from zhengwu.budget.tests.conftest import day
from zhengwu.cases.tests.factories import make_citizen, make_county

pytestmark = pytest.mark.django_db

LIST = "/api/v1/budget/projects/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_list_is_scoped_and_staff_only(project, county):
    assert APIClient().get(LIST).status_code in (401, 403)
    assert api(make_citizen()).get(LIST).status_code == 403
    data = api(county.head).get(LIST).json()
    assert [(p["code"], p["year"], p["department"]) for p in data] == [
        (project.code, 2026, county.department.name)
    ]
    assert data[0]["budget"] == "368800.00" and data[0]["evaluation_status"] == ""
    other = make_county(code="430921000000", name="南县")
    assert api(other.head).get(LIST).json() == []
    assert api(other.head).get(f"{LIST}{project.code}/").status_code == 404
    assert api(county.head).get(LIST, {"year": "x"}).status_code == 400


def test_the_detail_has_indicators_spending_plan_monitoring_and_evaluation(project, county):
    services.spending_record(project=project, date=day("2026-05-10"), amount=D("92200"), voucher="记-05-001")
    services.monitoring_run(project=project, date=day("2026-06-30"), cause="合同未签订")
    data = api(county.head).get(f"{LIST}{project.code}/", {"year": 2026}).json()
    assert data["name"] == "平台运维费用本级" and len(data["indicators"]) == 7
    first = data["indicators"][0]
    assert (first["level1"], first["level2"], first["target"], first["metric_code"]) == (
        "产出指标",
        "数量指标",
        "≥95%",
        "acceptance_rate",
    )
    assert first["latest_actual"]["date"] == "2026-06-30" and first["latest_actual"]["computed"] is True
    assert [c["planned_percent"] for c in data["plan"]] == ["25.00", "50.00", "75.00", "100.00"]
    assert data["spending"][0]["voucher"] == "记-05-001"
    monitoring = data["latest_monitoring"]
    assert (monitoring["alert"], monitoring["actual_percent"], monitoring["cause"]) == (
        "red",
        "25.00",
        "合同未签订",
    )
    assert len(monitoring["indicators"]) == 7
    assert data["self_evaluation"] is None
    assert api(county.head).get(f"{LIST}{project.code}/", {"year": 2025}).status_code == 404


def test_recording_spending_and_running_monitoring(project, county):
    client = api(county.head)
    response = client.post(
        f"{LIST}{project.code}/spending/",
        {"amount": "92200", "date": "2026-05-10", "voucher": "记-1"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["amount"] == "92200.00"
    response = client.post(f"{LIST}{project.code}/monitoring/", {"date": "2026-07-31"}, format="json")
    assert response.status_code == 201
    snapshot = response.json()
    assert (snapshot["planned_percent"], snapshot["actual_percent"], snapshot["alert"]) == (
        "50.00",
        "25.00",
        "red",
    )
    assert project.monitorings.count() == 1


def test_bad_input_is_a_400_naming_the_field_and_a_clerk_cannot_write(project, county):
    client = api(county.head)
    bad = client.post(
        f"{LIST}{project.code}/spending/", {"amount": "abc", "date": "2026-05-10"}, format="json"
    )
    assert bad.status_code == 400 and "amount" in bad.json()["fields"]
    bad = client.post(
        f"{LIST}{project.code}/spending/", {"amount": "-5", "date": "2026-05-10"}, format="json"
    )
    assert bad.status_code == 400 and "amount" in bad.json()["fields"]
    bad = client.post(f"{LIST}{project.code}/spending/", {"amount": "5", "date": "2025-05-10"}, format="json")
    assert bad.status_code == 400 and "date" in bad.json()["fields"]
    bad = client.post(f"{LIST}{project.code}/monitoring/", {"date": "31/07/2026"}, format="json")
    assert bad.status_code == 400 and "date" in bad.json()["fields"]
    refused = api(county.clerk).post(
        f"{LIST}{project.code}/spending/", {"amount": "5", "date": "2026-05-10"}, format="json"
    )
    assert refused.status_code == 403 and not project.spending.exists()
