"""The demo bundles are built from the items a region implements, and a second run creates nothing."""

import pytest

from zhengwu.bundles import demo_data
from zhengwu.bundles.models import Bundle
from zhengwu.catalog.tests.factories import make_item

pytestmark = pytest.mark.django_db


def test_demo_bundles_use_the_regions_items_and_are_idempotent(county):
    for name in ("个体工商户设立登记", "食品经营许可", "公共场所卫生许可", "不动产转移登记"):
        make_item(department=county.department, name=name)
    created, total, _ = demo_data.load()
    bundle = Bundle.objects.get(code="430903-restaurant")
    assert created == total == 1
    assert [m.item.name for m in bundle.members.order_by("order")] == [
        "个体工商户设立登记",
        "食品经营许可",
        "公共场所卫生许可",
    ]
    assert demo_data.load()[0] == 0 and Bundle.objects.count() == 1


def test_the_business_startup_demo_bundle_carries_its_kind_target_and_named_stages(county):
    for name in ("企业设立登记", "公章刻制备案"):
        make_item(department=county.department, name=name)
    demo_data.load()
    bundle = Bundle.objects.get(code="430903-company")
    assert (bundle.kind, bundle.time_target) == ("business_startup", 3)
    assert [(s.number, s.name, s.time_target) for s in bundle.stages.all()] == [
        (1, "营业执照", 1),
        (2, "公章刻制和发票申领", 2),
    ]
