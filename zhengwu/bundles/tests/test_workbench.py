"""一件事 in the workbench: the list is scoped and costs a fixed number of queries, the page shows the
children and the stages against the targets, and the window accepts every child at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwu.bundles.models import BundleCase
from zhengwu.bundles.services import bundle_case_submit
from zhengwu.bundles.tests.factories import answer
from zhengwu.cases.models import Case
from zhengwu.cases.tests.factories import at, make_applicant, make_county, receive_all
from zhengwu.common import clock

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def monday():
    with clock.frozen(at("2026-06-01", 15)):
        yield


def submit(bundle, county, option="public"):
    return bundle_case_submit(
        bundle=bundle,
        applicant=make_applicant(),
        answers=answer(bundle, option),
        channel="window",
        actor=county.clerk,
        now=at("2026-06-01"),
    )


def test_the_list_shows_bundle_cases_in_scope_and_not_to_another_county(client, restaurant, county):
    bundle_case = submit(restaurant, county)
    client.force_login(county.clerk)
    page = client.get(reverse("workbench:bundle_case_list")).content.decode()
    assert bundle_case.number in page and "待受理" in page
    other = make_county("430921000000", "南县")
    client.force_login(other.clerk)
    assert bundle_case.number not in client.get(reverse("workbench:bundle_case_list")).content.decode()
    detail = reverse("workbench:bundle_case_detail", args=[bundle_case.number])
    assert client.get(detail).status_code == 404


def test_the_list_costs_the_same_queries_for_one_and_for_ten_bundle_cases(
    client, restaurant, county, django_assert_max_num_queries
):
    submit(restaurant, county)
    client.force_login(county.clerk)
    client.get(reverse("workbench:bundle_case_list"))  # warm the calendar cache
    with django_assert_max_num_queries(14) as one:
        client.get(reverse("workbench:bundle_case_list"))
    for _ in range(9):
        submit(restaurant, county)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("workbench:bundle_case_list"))
    assert response.content.decode().count("YJS-430903-") >= 10


def test_the_page_shows_children_pending_members_and_the_stage_chart(client, restaurant, county):
    bundle_case = submit(restaurant, county)
    client.force_login(county.clerk)
    page = client.get(reverse("workbench:bundle_case_detail", args=[bundle_case.number])).content.decode()
    assert "个体工商户设立登记" in page and "前一阶段全部准予许可后自动启动" in page
    assert 'id="clock-data"' in page and "第1阶段" in page
    assert "一次受理全部子办件" in page


def test_one_acceptance_at_the_window_accepts_every_child(client, restaurant, county):
    bundle_case = submit(restaurant, county)
    for child in bundle_case.children.all():
        receive_all(child.case, county)
    client.force_login(county.clerk)
    url = reverse("workbench:bundle_case_action", args=[bundle_case.number, "accept"])
    response = client.post(url)
    assert response.status_code == 302
    assert set(Case.objects.values_list("status", flat=True)) == {"in_review"}


def test_accepting_with_materials_missing_shows_the_reason_and_changes_nothing(client, restaurant, county):
    bundle_case = submit(restaurant, county)
    client.force_login(county.clerk)
    url = reverse("workbench:bundle_case_action", args=[bundle_case.number, "accept"])
    response = client.post(url)
    assert response.status_code == 400
    assert "不能受理" in response.content.decode()
    assert set(Case.objects.values_list("status", flat=True)) == {"submitted"}


def test_starting_the_next_stage_before_the_grant_is_refused(client, restaurant, county):
    bundle_case = submit(restaurant, county)
    client.force_login(county.clerk)
    url = reverse("workbench:bundle_case_action", args=[bundle_case.number, "advance"])
    response = client.post(url)
    assert response.status_code == 400 and "不能启动下一阶段" in response.content.decode()
    assert BundleCase.objects.get(pk=bundle_case.pk).children.count() == 1
