"""The 效能监督 dashboard, its drill-down and Excel export, and `zhengwu metrics show`, over a small
hand-made history: 赫山区 receives 3 cases on 2026-06-01, decides 2 (one on time, one late), and 南县
receives 1."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from zhengwu.cases import services
from zhengwu.cases.models import Case
from zhengwu.cases.tests.factories import accepted_case, at, make_case, make_county
from zhengwu.common import clock
from zhengwu.organization.choices import RegionLevel, Role
from zhengwu.organization.models import Region
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def yiyang(db):
    city = Region.objects.create(code="430900000000", name="益阳市", level=RegionLevel.CITY)
    heshan, nanxian = make_county("430903000000", "赫山区"), make_county("430921000000", "南县")
    for county in (heshan, nanxian):
        county.region.parent = city
        county.region.save()
    on_time = accepted_case(heshan, day="2026-06-01")
    late = accepted_case(heshan, day="2026-06-01")
    make_case(heshan, now=at("2026-06-01"))
    make_case(nanxian, now=at("2026-06-01"))
    for case, day in ((on_time, "2026-06-03"), (late, "2026-06-30")):
        case = services.case_step_pass(case=Case.objects.get(pk=case.pk), actor=heshan.approver, now=at(day))
        services.case_grant(case=case, actor=heshan.approver, now=at(day, 11))
    supervisor = UserFactory(roles=[Role.SUPERVISOR], scope=[city], department=heshan.department)
    return city, heshan, nanxian, supervisor, late


@pytest.fixture(autouse=True)
def july():
    with clock.frozen(at("2026-07-01")):
        yield


def show(*args: str) -> dict:
    out = io.StringIO()
    call_command("metrics", "show", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_cli_prints_metrics_by_county_as_json(yiyang):
    body = show(
        "--period",
        "2026-06",
        "--by",
        "region",
        "--metrics",
        "received,finished,on_time_rate",
        "--format",
        "json",
    )
    assert (body["period"], body["start"], body["end"], body["by"]) == (
        "2026-06",
        "2026-06-01",
        "2026-06-30",
        "region",
    )
    values = {row["unit"]: row["values"] for row in body["units"]}
    assert values["赫山区"] == {"received": "3", "finished": "2", "on_time_rate": "50.00"}
    assert values["南县"] == {"received": "1", "finished": "0", "on_time_rate": None}


def test_the_cli_refuses_an_unknown_metric_and_a_bad_period_in_chinese(yiyang):
    with pytest.raises(CommandError) as unknown:
        call_command("metrics", "show", "--period", "2026", "--metrics", "nope", stdout=io.StringIO())
    assert "指标编码不存在" in str(unknown.value) and unknown.value.returncode == 2
    with pytest.raises(CommandError) as bad:
        call_command("metrics", "show", "--period", "2026-13", stdout=io.StringIO())
    assert "期间" in str(bad.value)


def test_a_window_clerk_may_not_open_the_dashboard(client, yiyang):
    _city, heshan, *_ = yiyang
    client.force_login(heshan.clerk)
    assert client.get(reverse("workbench:dashboard")).status_code == 403


def test_the_supervisor_sees_every_county_and_the_citys_figures(client, yiyang):
    *_, supervisor, _late = yiyang
    client.force_login(supervisor)
    page = client.get(reverse("workbench:dashboard"), {"period": "2026-06"}).content.decode()
    assert "赫山区" in page and "南县" in page and "50.00%" in page
    assert 'id="dash-data"' in page


def test_the_dashboard_costs_a_fixed_number_of_queries_whatever_the_number_of_cases(
    client, yiyang, django_assert_max_num_queries
):
    _city, heshan, _n, supervisor, _late = yiyang
    client.force_login(supervisor)
    url = reverse("workbench:dashboard")
    client.get(url, {"period": "2026-06"})
    # 16 for the page itself + 4 for the provided columns of TABLE (reviews_good_rate, reviews_bad,
    # hotline_ontime_rate, hotline_satisfaction_rate): one grouped query per provider, not per unit.
    with django_assert_max_num_queries(20) as before:
        client.get(url, {"period": "2026-06"})
    for _ in range(5):
        make_case(heshan, now=at("2026-06-02"))
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url, {"period": "2026-06"})


def test_a_bad_period_on_the_dashboard_is_a_400_naming_the_rule(client, yiyang):
    *_, supervisor, _late = yiyang
    client.force_login(supervisor)
    response = client.get(reverse("workbench:dashboard"), {"period": "2026-99"})
    assert response.status_code == 400 and "期间" in response.content.decode()


def test_drilling_into_the_late_count_lists_the_late_case(client, yiyang):
    _city, heshan, _n, supervisor, late = yiyang
    client.force_login(supervisor)
    response = client.get(
        reverse("workbench:dashboard_drill"),
        {
            "period": "2026-06",
            "unit": f"region:{heshan.region.pk}",
            "counter": "finished",
            "metric": "finished",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and late.number in page and "共 2 件" in page


def test_a_county_clerk_cannot_drill_into_another_county(client, yiyang):
    _city, heshan, nanxian, *_ = yiyang
    head = UserFactory(roles=[Role.DEPT_HEAD], scope=[nanxian.region], department=nanxian.department)
    client.force_login(head)
    response = client.get(
        reverse("workbench:dashboard_drill"),
        {"period": "2026-06", "unit": f"region:{heshan.region.pk}", "counter": "received"},
    )
    assert response.status_code == 404


def test_the_unit_table_downloads_as_an_excel_sheet_with_chinese_headers(client, yiyang):
    *_, supervisor, _late = yiyang
    client.force_login(supervisor)
    response = client.get(reverse("workbench:dashboard_export"), {"period": "2026-06"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[2]]
    assert header[0] == "区划" and "申报量（件）" in header and "按时办结率（%）" in header
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["赫山区"][header.index("申报量（件）")] == 3


# -- the API -------------------------------------------------------------------------------------------


def test_the_api_lists_metrics_by_county_within_the_callers_scope(api_client, yiyang):
    *_, supervisor, _late = yiyang
    api_client.force_authenticate(supervisor)
    response = api_client.get("/api/v1/metrics/", {"period": "2026-06", "metrics": "received,on_time_rate"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [m["code"] for m in body["metrics"]] == ["received", "on_time_rate"]
    values = {row["unit"]: row["values"] for row in body["units"]}
    assert values == {
        "赫山区": {"received": "3", "on_time_rate": "50.00"},
        "南县": {"received": "1", "on_time_rate": None},
    }


def test_the_api_refuses_a_bad_period_naming_the_parameter(api_client, yiyang):
    *_, supervisor, _late = yiyang
    api_client.force_authenticate(supervisor)
    response = api_client.get("/api/v1/metrics/", {"period": "2026-99"})
    assert response.status_code == 400 and "period" in response.json()["fields"]


def test_the_api_is_closed_to_a_window_clerk(api_client, yiyang):
    _city, heshan, *_ = yiyang
    api_client.force_authenticate(heshan.clerk)
    assert api_client.get("/api/v1/metrics/definitions/").status_code == 403
