"""一件事 pages and API: the wizard, the one notice, applying as a citizen, a citizen's bundle case,
another citizen's bundle case is a 404; the API list, detail and guidance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhengwu.bundles.models import BundleCase
from zhengwu.bundles.tests.factories import answer
from zhengwu.cases.tests.factories import at, make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(monkeypatch):
    from zhengwu.common import clock

    monkeypatch.setattr(clock, "now", lambda: at("2026-06-01"))
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 6, 1))


def query(bundle, option):
    return {f"q{k}": v for k, v in answer(bundle, option).items()}


def test_the_list_and_the_wizard_show_the_items_and_one_merged_material_list(client, restaurant):
    page = client.get(reverse("bundles:list")).content.decode()
    assert "我要开餐馆" in page
    page = client.get(
        reverse("bundles:wizard", args=[restaurant.code]), query(restaurant, "public")
    ).content.decode()
    assert "公共场所卫生许可" in page and page.count("身份证明") == 1
    notice = client.get(
        reverse("bundles:notice", args=[restaurant.code]), query(restaurant, "no")
    ).content.decode()
    assert "一次告知单" in notice and "食品经营许可" in notice and "卫生检测报告" not in notice


def test_a_citizen_applies_once_and_sees_the_children_and_the_derived_status(client, restaurant, frozen):
    citizen = make_citizen()
    client.force_login(citizen)
    response = client.post(
        reverse("bundles:apply", args=[restaurant.code]),
        {**query(restaurant, "public"), "description": "面馆"},
    )
    bundle_case = BundleCase.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "bundles:my_bundle_case", args=[bundle_case.number]
    )
    page = client.get(response.url).content.decode()
    assert bundle_case.number in page and "个体工商户设立登记" in page and "待受理" in page
    assert "2026-06-08" in page or "2026年6月8日" in page
    assert "前一阶段准予许可后自动申报" in page

    other = make_citizen(phone="13900000000", name="王五", id_number="430903198801011231")
    client.force_login(other)
    assert client.get(response.url).status_code == 404


def test_the_api_lists_details_and_evaluates_a_bundle(api_client, restaurant):
    listed = api_client.get("/api/v1/bundles/").json()
    assert [b["code"] for b in listed] == [restaurant.code]
    detail = api_client.get(f"/api/v1/bundles/{restaurant.code}/").json()
    assert detail["members"][0]["name"] == "个体工商户设立登记"
    assert detail["questions"][0]["key"] == "venue"
    result = api_client.post(
        f"/api/v1/bundles/{restaurant.code}/guidance/",
        {"answers": answer(restaurant, "public")},
        format="json",
    ).json()
    assert result["complete"] and len(result["members"]) == 3
    shared = [m for m in result["materials"] if m["name"] == "身份证明"]
    assert len(shared) == 1 and shared[0]["shared"] and len(shared[0]["items"]) == 3
    assert api_client.get("/api/v1/bundles/nope/").status_code == 404
    bad = api_client.post(
        f"/api/v1/bundles/{restaurant.code}/guidance/", {"answers": {"999999": [1]}}, format="json"
    )
    assert bad.status_code == 400 and "answers.999999" in bad.json()["fields"]
