"""The demo situations: seeded through a 变更 of each published item, valid, and idempotent."""

from __future__ import annotations

import pytest

from zhengwu.catalog import services as catalog_services
from zhengwu.catalog.demo_data import ITEMS, version_children, version_elements
from zhengwu.catalog.models import ItemType, ItemVersion
from zhengwu.guidance import demo_data, services
from zhengwu.guidance.models import Question, Rule, RuleSet
from zhengwu.guidance.selectors import guidance_data
from zhengwu.organization.tests.factories import DepartmentFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

WANTED = {s.base_code for s in demo_data.SITUATIONS} | {"XK-GA-001", "XK-ZR-003"}  # + route targets


def build_unit(code: str = "430903000000", name: str = "赫山区", *, skip: frozenset[str] = frozenset()):
    region = RegionFactory(code=code, name=name)
    department = DepartmentFactory(region=region)
    head = UserFactory(department=department)
    items = {}
    for spec in ITEMS:
        if spec.base_code not in WANTED or spec.base_code in skip:
            continue
        elements = version_elements(
            spec,
            location="赫山区市民服务中心",
            office_hours="周一至周五",
            consult_phone="0737-1234567",
            complaint_phone="12345",
            reconsideration_body="赫山区人民政府",
            litigation_body="赫山区人民法院",
        )
        item = catalog_services.item_create(
            actor=head,
            implementation_code=f"{code[:6]}-{spec.base_code}",
            base_code=spec.base_code,
            name=spec.name,
            item_type=ItemType.objects.get(key=spec.item_type),
            department=department,
            exercise_level="county",
            elements=elements,
            **version_children(spec),
        )
        catalog_services.item_version_publish(
            version=item.versions.get(), actor=head, approving_document="赫审改发〔2026〕1号"
        )
        items[spec.base_code] = item
    return items


def test_the_demo_publishes_valid_situations_for_five_items_and_a_second_run_changes_nothing():
    items = build_unit()
    created, total, detail = demo_data.load()
    assert (created, total) == (5, 5) and "规则集 1 个" in detail
    for base_code in (s.base_code for s in demo_data.SITUATIONS):
        item = items[base_code]
        item.refresh_from_db()
        version = item.current_version
        assert version.number == 2 and version.approving_document == "赫审改发〔2026〕8号"
        assert version.change_summary.startswith("梳理办理情形")
        assert services.guidance_validate(version=version) == []
        assert len(guidance_data(version).questions) >= 3
        assert ItemVersion.objects.get(item=item, number=1).status == "retired"
    before = (
        Question.objects.count(),
        Rule.objects.count(),
        RuleSet.objects.count(),
        ItemVersion.objects.count(),
    )
    assert demo_data.load()[0] == 0
    assert before == (
        Question.objects.count(),
        Rule.objects.count(),
        RuleSet.objects.count(),
        ItemVersion.objects.count(),
    )


def test_the_demo_public_place_situations_route_hotels_and_list_the_water_report_for_pools():
    items = build_unit()
    demo_data.load()
    version = ItemVersion.objects.get(item=items["XK-WJ-001"], status="published")
    data = guidance_data(version)
    ids = {o.full_key: (q.pk, o.pk) for q in data.questions for o in q.options.all()}

    def answer(*keys):
        answers = {}
        for key in keys:
            question_id, option_id = ids[key]
            answers.setdefault(question_id, []).append(option_id)
        return services.guidance_snapshot(
            services.guidance_answer(version=version, answers=answers, data=data)
        )

    hotel = answer("venue.hotel", "area.large", "air.yes")
    assert [r["implementation_code"] for r in hotel["routes"]] == ["430903-XK-GA-001"]
    assert hotel["routes"][0]["name"] == "特种行业许可证核发（旅馆业）"
    assert "集中空调通风系统卫生检测（评价）报告" in [m["name"] for m in hotel["materials"]]
    assert hotel["promised_limit_text"] == "5个工作日" and len(hotel["fees"]) == 1
    pool = answer("venue.swim", "area.small", "air.no")
    assert "游泳场所水质检测报告" in [m["name"] for m in pool["materials"]]
    assert pool["routes"] == [] and pool["promised_limit_text"] == "3个工作日"


def test_where_the_route_target_is_not_implemented_the_route_becomes_a_condition_text():
    items = build_unit(skip=frozenset({"XK-ZR-003"}))
    demo_data.load()
    version = ItemVersion.objects.get(item=items["XK-ZJ-001"], status="published")
    rural = Rule.objects.get(version=version, when=["kind.rural"])
    assert (rural.effect, rural.target_code) == ("add_condition", "")
    assert rural.text.startswith("农村村民在集体土地上自建低层住房的")


def test_a_change_in_progress_gets_the_situations_and_stays_a_draft():
    items = build_unit()
    food = items["XK-SC-001"]
    draft = catalog_services.item_version_start_change(item=food, actor=None, change_summary="压缩时限")
    demo_data.load()
    food.refresh_from_db()
    assert (
        food.current_version.number == 1
        and not Question.objects.filter(version=food.current_version).exists()
    )
    draft.refresh_from_db()
    assert draft.status == "draft" and Question.objects.filter(version=draft).count() == 5
