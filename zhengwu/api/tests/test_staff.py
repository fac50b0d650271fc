"""Staff items: drafts included, always within the caller's data scope."""

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from zhengwu.catalog.filtersets import StaffItemFilter
from zhengwu.catalog.tests.factories import make_item
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STAFF_ITEMS = "/api/v1/staff/items/"


def names(response):
    assert response.status_code == 200, response.json()
    return {row["name"] for row in response.json()["results"]}


def test_a_county_clerk_sees_the_drafts_of_their_county_only(clerk_client, catalogue):
    assert names(clerk_client.get(STAFF_ITEMS)) == {"资阳食品经营许可", "资阳草稿事项"}


def test_a_county_clerk_gets_404_for_another_countys_draft_even_by_its_code(clerk_client, catalogue):
    for key in ("heshan_draft", "heshan_published"):
        response = clerk_client.get(f"{STAFF_ITEMS}{catalogue[key].implementation_code}/")
        assert response.status_code == 404
        assert response.json() == {
            "code": "not_found",
            "message": "事项不存在或不在您的数据范围内。",
            "fields": {},
        }


def test_the_staff_detail_of_a_draft_has_the_draft_with_its_children(clerk_client, catalogue):
    body = clerk_client.get(f"{STAFF_ITEMS}{catalogue['ziyang_draft'].implementation_code}/").json()
    assert body["current_version"] is None
    assert body["current_version_number"] is None
    assert body["draft_version_number"] == 1
    assert body["versions"] == [{"number": 1, "status": "draft", "status_label": "草稿"}]
    assert body["draft"]["status"] == "draft"
    assert [m["name"] for m in body["draft"]["materials"]] == ["申请书", "营业执照"]
    assert body["draft"]["limit_text"] == "5个工作日"


def test_the_staff_detail_of_a_published_item_has_no_draft(clerk_client, catalogue):
    body = clerk_client.get(f"{STAFF_ITEMS}{catalogue['ziyang_published'].implementation_code}/").json()
    assert body["draft"] is None
    assert body["current_version"]["status_label"] == "已发布"


def test_a_system_administrator_sees_every_county(api_client, catalogue, yiyang):
    admin = UserFactory(department=yiyang["city_dept"], roles=[Role.SYSTEM_ADMIN])
    api_client.force_authenticate(admin)
    assert len(names(api_client.get(STAFF_ITEMS))) == 4


def test_a_staff_member_without_scope_sees_nothing(api_client, catalogue, yiyang):
    api_client.force_authenticate(UserFactory(department=yiyang["ziyang_dept"]))
    assert names(api_client.get(STAFF_ITEMS)) == set()


def test_the_staff_list_filters_by_search_and_status(clerk_client, catalogue):
    assert names(clerk_client.get(STAFF_ITEMS, {"search": "草稿"})) == {"资阳草稿事项"}
    assert names(clerk_client.get(STAFF_ITEMS, {"status": "cancelled"})) == set()
    bad = clerk_client.get(STAFF_ITEMS, {"status": "gone"})
    assert bad.status_code == 400
    assert list(bad.json()["fields"]) == ["status"]


def test_the_staff_list_shows_versions_and_the_draft_number(clerk_client, catalogue):
    rows = {r["name"]: r for r in clerk_client.get(STAFF_ITEMS).json()["results"]}
    assert rows["资阳草稿事项"]["draft_version_number"] == 1
    assert rows["资阳草稿事项"]["current_version_number"] is None
    assert rows["资阳食品经营许可"]["current_version_number"] == 1
    assert rows["资阳食品经营许可"]["draft_version_number"] is None


def test_the_staff_list_runs_the_same_number_of_queries_for_3_and_20_items(
    api_client, yiyang, ziyang_clerk, django_assert_max_num_queries
):
    api_client.force_authenticate(ziyang_clerk)
    for i in range(3):
        make_item(department=yiyang["ziyang_dept"], publish=i % 2 == 0)
    with django_assert_max_num_queries(5):
        assert api_client.get(STAFF_ITEMS).json()["count"] == 3
    for i in range(17):
        make_item(department=yiyang["ziyang_dept"], publish=i % 2 == 0)
    with django_assert_max_num_queries(5):
        assert len(api_client.get(STAFF_ITEMS).json()["results"]) == 20


def test_the_staff_item_filterset_serves_a_template_view_too(catalogue, ziyang_clerk):
    request = RequestFactory().get("/workbench/items/", {"search": "资阳"})
    request.user = ziyang_clerk
    filterset = StaffItemFilter(request.GET, request=request)
    assert {item.name for item in filterset.qs} == {"资阳食品经营许可", "资阳草稿事项"}
    invalid = StaffItemFilter(QueryDict("status=gone"), request=request)
    assert list(invalid.qs) == []
    assert list(invalid.errors_in_chinese()) == ["status"]
