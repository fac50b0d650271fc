import pytest
from django.urls import reverse

from zhengwu.catalog import services
from zhengwu.catalog.tests.factories import make_item
from zhengwu.organization.tests.factories import DepartmentFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_the_item_list_shows_published_items_and_hides_drafts(client):
    make_item(name="食品经营许可")
    make_item(name="草稿事项", publish=False)
    page = client.get(reverse("portal:item_list")).content.decode()
    assert "食品经营许可" in page
    assert "草稿事项" not in page


def test_the_item_list_runs_a_fixed_number_of_queries_whatever_the_rows(
    client, django_assert_max_num_queries
):
    for _ in range(3):
        make_item()
    with django_assert_max_num_queries(8):
        client.get(reverse("portal:item_list"))
    for _ in range(17):
        make_item()
    with django_assert_max_num_queries(8):
        response = client.get(reverse("portal:item_list"))
    assert response.context["page"].paginator.count == 20


def test_the_zero_visit_filter_keeps_only_items_with_no_visit(client):
    make_item(name="全程网办事项", elements={"online_depth": 4, "onsite_visits": 0, "onsite_reason": ""})
    make_item(name="现场办理事项")
    page = client.get(reverse("portal:item_list"), {"visits": "zero"}).content.decode()
    assert "全程网办事项" in page
    assert "现场办理事项" not in page


def test_filtering_by_county_keeps_its_departments_items(client):
    a = RegionFactory(code="430902000000", name="资阳区")
    b = RegionFactory(code="430903000000", name="赫山区")
    make_item(name="资阳事项", department=DepartmentFactory(region=a))
    make_item(name="赫山事项", department=DepartmentFactory(region=b))
    page = client.get(reverse("portal:item_list"), {"region": "430902000000"}).content.decode()
    assert "资阳事项" in page and "赫山事项" not in page


def test_a_bad_filter_value_gives_a_chinese_message_not_an_error(client):
    response = client.get(reverse("portal:item_list"), {"depth": "9", "visits": "many"})
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()


def test_htmx_requests_get_only_the_results_fragment(client):
    make_item(name="食品经营许可")
    response = client.get(reverse("portal:item_list"), HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert "食品经营许可" in response.content.decode()


def test_the_guide_page_shows_the_core_elements_in_chinese(client):
    item = make_item(name="公共场所卫生许可")
    page = client.get(reverse("portal:item_detail", args=[item.implementation_code])).content.decode()
    for text in (
        "公共场所卫生许可",
        "受理条件",
        "申请材料",
        "营业执照",
        "5个工作日",
        "20个工作日",
        "12345",
        "窗口领取",
    ):
        assert text in page


def test_the_guide_page_of_an_immediate_item_says_decided_on_the_spot(client):
    item = make_item(
        elements={"case_kind": "immediate", "promised_limit": None, "promised_limit_unit": "immediate"},
        steps=[{"name": "受理即办结"}],
    )
    page = client.get(reverse("portal:item_detail", args=[item.implementation_code])).content.decode()
    assert "当场办结" in page


def test_a_draft_only_item_has_no_public_guide(client):
    item = make_item(publish=False)
    assert client.get(reverse("portal:item_detail", args=[item.implementation_code])).status_code == 404


def test_a_suspended_item_shows_the_reason_on_its_guide(client):
    item = make_item()
    services.item_suspend(item=item, actor=None, reason="系统迁移", approving_document="益政办〔2026〕5号")
    page = client.get(reverse("portal:item_detail", args=[item.implementation_code])).content.decode()
    assert "暂停办理" in page and "系统迁移" in page
