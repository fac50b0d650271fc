"""A 我要开餐馆 bundle over three test items: licence (stage 1), food permit (stage 2) and, for a public
venue, a hygiene permit (stage 2). All items share the material "身份证明"."""

from __future__ import annotations

from zhengwu.bundles.models import Bundle, BundleMember, BundleOption, BundleQuestion
from zhengwu.bundles.selectors import bundle_get
from zhengwu.catalog.tests.factories import make_item


def _materials(*names: str) -> list[dict]:
    return [
        {
            "name": name,
            "material_type": "original",
            "form": "paper",
            "necessity": "required",
            "paper_copies": 1,
            "review_points": "核对",
        }
        for name in names
    ]


def make_restaurant(county) -> Bundle:
    bundle = Bundle.objects.create(code="430903-restaurant", name="我要开餐馆", region=county.region)
    items = [
        ("个体工商户设立登记", 1, "", ("身份证明", "经营场所证明")),
        ("食品经营许可", 2, "", ("身份证明", "食品安全管理制度")),
        ("公共场所卫生许可", 2, "venue.public", ("身份证明", "卫生检测报告")),
    ]
    for order, (name, stage, condition, materials) in enumerate(items, start=1):
        item = make_item(department=county.department, name=name, materials=_materials(*materials))
        BundleMember.objects.create(bundle=bundle, item=item, order=order, stage=stage, condition=condition)
    question = BundleQuestion.objects.create(bundle=bundle, key="venue", text="经营场所是否属于公共场所？")
    BundleOption.objects.create(
        question=question, key="public", label="是（餐饮店营业面积较大）", sort_order=1
    )
    BundleOption.objects.create(question=question, key="no", label="否", sort_order=2)
    return bundle_get(bundle.code)


def answer(bundle: Bundle, option_key: str) -> dict[str, list[int]]:
    question = bundle.questions.get(key="venue")
    return {str(question.pk): [question.options.get(key=option_key).pk]}
