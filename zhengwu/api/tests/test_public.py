"""The public read endpoints: regions, the department directory, published items."""

import pytest

from zhengwu.catalog import services
from zhengwu.catalog.tests.factories import make_item
from zhengwu.organization.choices import DepartmentKind
from zhengwu.organization.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

ITEMS = "/api/v1/items/"


def names(response):
    assert response.status_code == 200, response.json()
    return {row["name"] for row in response.json()["results"]}


# Items ----------------------------------------------------------------------------------------


def test_the_item_list_is_paginated_with_count_next_previous_and_results(api_client, yiyang):
    for _ in range(3):
        make_item(department=yiyang["ziyang_dept"])
    body = api_client.get(ITEMS, {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["previous"] is None
    assert "page=2" in body["next"]
    second = api_client.get(body["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None and second["previous"]


def test_drafts_never_appear_on_the_public_item_list_nor_as_a_detail(api_client, catalogue):
    assert names(api_client.get(ITEMS)) == {"资阳食品经营许可", "赫山食品经营许可"}
    draft = catalogue["ziyang_draft"]
    assert api_client.get(f"{ITEMS}{draft.implementation_code}/").status_code == 404


def test_the_public_detail_shows_the_published_version_not_the_pending_draft(api_client, yiyang):
    item = make_item(name="原名称", department=yiyang["ziyang_dept"])
    draft = services.item_version_start_change(item=item, actor=None, change_summary="改名")
    services.item_version_update(version=draft, actor=None, elements={"location": "新的办理地点"})
    body = api_client.get(f"{ITEMS}{item.implementation_code}/").json()
    assert body["current_version"]["number"] == 1
    assert body["current_version"]["location"] != "新的办理地点"


def test_the_item_detail_has_every_child_and_labels_for_every_choice(api_client, yiyang):
    item = make_item(
        department=yiyang["ziyang_dept"],
        fee_items=[{"name": "工本费", "standard": "免费", "basis": "国家规定"}],
        faqs=[{"question": "能否代办？", "answer": "可以，需提供授权委托书。"}],
    )
    body = api_client.get(f"{ITEMS}{item.implementation_code}/").json()
    assert body["implementation_code"] == item.implementation_code
    assert body["department"] == {"id": yiyang["ziyang_dept"].pk, "name": "资阳区市场监督管理局"}
    assert body["region"] == {"code": "430902000000", "name": "资阳区"}
    assert body["item_type"]["key"] == "licensing"
    assert (body["status"], body["status_label"]) == ("active", "在用")
    v = body["current_version"]
    assert (v["case_kind"], v["case_kind_label"]) == ("promised", "承诺件")
    assert v["limit_text"] == "5个工作日"
    assert v["legal_limit_text"] == "20个工作日"
    assert (v["online_depth"], v["online_depth_label"]) == (3, "三级：在线申办")
    assert v["delivery_modes"] == [
        {"value": "window", "label": "窗口领取"},
        {"value": "mail", "label": "邮政寄递"},
    ]
    assert [b["document"] for b in v["legal_bases"]] == ["《中华人民共和国行政许可法》"]
    assert v["legal_bases"][0]["level_label"] == "法律"
    assert [m["name"] for m in v["materials"]] == ["申请书", "营业执照"]
    assert v["materials"][1]["evidence_level"] == "A"
    assert v["materials"][1]["source_label"] == "政府部门核发"
    assert [s["name"] for s in v["steps"]] == ["受理", "审查", "决定"]
    assert v["steps"][1]["limit_text"] == "3个工作日"
    assert v["fee_items"] == [
        {"name": "工本费", "standard": "免费", "basis": "国家规定", "reducible": False, "reduction_basis": ""}
    ]
    assert v["faqs"] == [{"question": "能否代办？", "answer": "可以，需提供授权委托书。"}]


def test_an_immediate_item_is_finished_on_the_spot(api_client, yiyang):
    make_item(
        department=yiyang["ziyang_dept"],
        elements={"case_kind": "immediate", "promised_limit": 0, "promised_limit_unit": "immediate"},
        steps=[{"name": "受理并办结", "limit_unit": "immediate"}],
    )
    row = api_client.get(ITEMS).json()["results"][0]
    assert (row["case_kind"], row["case_kind_label"], row["limit_text"]) == (
        "immediate",
        "即办件",
        "当场办结",
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "430902000000"}, {"资阳食品经营许可"}),
        ({"region": "430900000000"}, {"资阳食品经营许可", "赫山食品经营许可"}),
        ({"search": "赫山"}, {"赫山食品经营许可"}),
        ({"type": "licensing"}, {"资阳食品经营许可", "赫山食品经营许可"}),
        ({"type": "public_service"}, set()),
        ({"level": "county"}, {"资阳食品经营许可", "赫山食品经营许可"}),
        ({"level": "city"}, set()),
        ({"visits": "at_most_one"}, {"资阳食品经营许可", "赫山食品经营许可"}),
        ({"visits": "zero"}, set()),
        ({"depth": "3"}, {"资阳食品经营许可", "赫山食品经营许可"}),
        ({"depth": "4"}, set()),
    ],
)
def test_the_item_filters(api_client, catalogue, params, expected):
    assert names(api_client.get(ITEMS, params)) == expected


def test_the_department_filter_takes_the_department_id(api_client, catalogue, yiyang):
    response = api_client.get(ITEMS, {"department": yiyang["heshan_dept"].pk})
    assert names(response) == {"赫山食品经营许可"}


def test_the_zero_visit_and_full_depth_filters_keep_a_fully_online_item(api_client, yiyang):
    make_item(
        name="全程网办事项",
        department=yiyang["ziyang_dept"],
        elements={"online_depth": 4, "onsite_visits": 0, "onsite_reason": ""},
    )
    make_item(name="现场办理事项", department=yiyang["ziyang_dept"])
    assert names(api_client.get(ITEMS, {"visits": "zero", "depth": "4"})) == {"全程网办事项"}


def test_the_item_list_runs_the_same_number_of_queries_for_3_and_20_items(
    api_client, yiyang, django_assert_max_num_queries
):
    for _ in range(3):
        make_item(department=yiyang["ziyang_dept"])
    with django_assert_max_num_queries(2):
        assert api_client.get(ITEMS).json()["count"] == 3
    for _ in range(17):
        make_item(department=yiyang["heshan_dept"])
    with django_assert_max_num_queries(2):
        assert len(api_client.get(ITEMS).json()["results"]) == 20
    with django_assert_max_num_queries(4):  # + one lookup per model-choice filter
        assert api_client.get(ITEMS, {"region": "430900000000", "type": "licensing"}).json()["count"] == 20


def test_the_item_detail_runs_the_same_number_of_queries_for_3_and_20_children(
    api_client, yiyang, django_assert_max_num_queries
):
    def materials(n):
        return [{"name": f"材料{i}", "material_type": "original"} for i in range(n)]

    def faqs(n):
        return [{"question": f"问题{i}", "answer": "答"} for i in range(n)]

    small = make_item(department=yiyang["ziyang_dept"], materials=materials(3), faqs=faqs(3))
    large = make_item(department=yiyang["ziyang_dept"], materials=materials(20), faqs=faqs(20))
    for item, count in ((small, 3), (large, 20)):
        with django_assert_max_num_queries(6):
            body = api_client.get(f"{ITEMS}{item.implementation_code}/").json()
        assert len(body["current_version"]["materials"]) == count


# Departments ----------------------------------------------------------------------------------


def test_the_department_directory_is_public_and_filters_by_region_subtree(api_client, yiyang):
    body = api_client.get("/api/v1/departments/", {"region": "430903000000"}).json()
    assert {row["name"] for row in body["results"]} == {"赫山区市场监督管理局", "赫山街道便民服务中心"}
    row = body["results"][0]
    assert set(row) == {
        "id",
        "name",
        "short_name",
        "kind",
        "kind_label",
        "region",
        "phone",
        "complaint_phone",
        "address",
    }
    assert row["phone"] == "0737-1234567"  # a public directory number is shown as it is


def test_the_department_directory_filters_by_kind_and_hides_inactive_departments(api_client, yiyang):
    DepartmentFactory(region=yiyang["ziyang"], name="已撤销的局", is_active=False)
    body = api_client.get("/api/v1/departments/", {"kind": DepartmentKind.APPROVAL_BUREAU}).json()
    assert [(r["name"], r["kind_label"]) for r in body["results"]] == [
        ("资阳区行政审批服务局", "行政审批服务局")
    ]
    all_names = {r["name"] for r in api_client.get("/api/v1/departments/").json()["results"]}
    assert "已撤销的局" not in all_names


def test_the_department_list_runs_the_same_number_of_queries_for_3_and_20_departments(
    api_client, yiyang, django_assert_max_num_queries
):
    region = yiyang["town"]
    for i in range(3):
        DepartmentFactory(region=region, name=f"部门{i}")
    with django_assert_max_num_queries(3):
        assert api_client.get("/api/v1/departments/", {"region": region.code}).json()["count"] == 4
    for i in range(3, 20):
        DepartmentFactory(region=region, name=f"部门{i}")
    with django_assert_max_num_queries(3):
        body = api_client.get("/api/v1/departments/", {"region": region.code}).json()
    assert body["count"] == 21


# Regions --------------------------------------------------------------------------------------


def test_regions_filter_by_parent_and_level(api_client, yiyang):
    body = api_client.get("/api/v1/regions/", {"parent": "430900000000", "level": 3}).json()
    assert [(r["code"], r["name"], r["level"], r["level_label"]) for r in body["results"]] == [
        ("430902000000", "资阳区", 3, "县级"),
        ("430903000000", "赫山区", 3, "县级"),
    ]
    subtree = api_client.get("/api/v1/regions/", {"parent": "430903000000"}).json()
    assert [r["name"] for r in subtree["results"]] == ["赫山街道"]


def test_a_region_detail_is_found_by_its_code(api_client, yiyang):
    body = api_client.get("/api/v1/regions/430903001000/").json()
    assert body["name"] == "赫山街道"
    assert body["parent_code"] == "430903000000"
    assert api_client.get("/api/v1/regions/430900000000/").json()["parent_code"] is None
