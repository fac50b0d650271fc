"""Factories for catalogue items: `publishable_elements()` passes every rule of DOMAIN §2.7."""

from __future__ import annotations

import itertools
from typing import Any

from zhengwu.catalog import services
from zhengwu.catalog.models import ItemType, ServiceItem
from zhengwu.organization.tests.factories import DepartmentFactory

_seq = itertools.count(1)


def publishable_elements(**overrides: Any) -> dict[str, Any]:
    elements = {
        "case_kind": "promised",
        "legal_limit": 20,
        "legal_limit_unit": "working_day",
        "promised_limit": 5,
        "promised_limit_unit": "working_day",
        "acceptance_conditions": "申请人具有完全民事行为能力，材料齐全、符合法定形式。",
        "process_description": "申请 → 受理 → 审查 → 决定 → 送达",
        "online_available": True,
        "online_depth": 3,
        "onsite_visits": 1,
        "onsite_reason": "核验原件并领取证照",
        "location": "政务服务中心一楼综合受理窗口",
        "office_hours": "周一至周五 上午8:30-12:00 下午14:30-17:30（法定节假日除外）",
        "consult_phone": "0737-4221234",
        "complaint_phone": "12345",
        "delivery_modes": ["window", "mail"],
        "result_type": "license",
        "result_name": "许可证",
    }
    elements.update(overrides)
    return elements


def default_children() -> dict[str, list[dict[str, Any]]]:
    return {
        "legal_bases": [
            {"document": "《中华人民共和国行政许可法》", "article": "第二十九条", "level": "law"}
        ],
        "materials": [
            {
                "name": "申请书",
                "material_type": "original",
                "form": "both",
                "necessity": "required",
                "paper_copies": 1,
                "review_points": "签字盖章齐全",
            },
            {
                "name": "营业执照",
                "material_type": "copy",
                "form": "paper",
                "necessity": "required",
                "source": "government",
                "evidence_level": "A",
            },
        ],
        "steps": [
            {"name": "受理", "limit": 1, "limit_unit": "working_day"},
            {"name": "审查", "limit": 3, "limit_unit": "working_day"},
            {"name": "决定", "limit": 1, "limit_unit": "working_day"},
        ],
    }


def make_item(
    *,
    department=None,
    item_type: str = "licensing",
    publish: bool = True,
    name: str | None = None,
    code: str | None = None,
    actor=None,
    elements: dict[str, Any] | None = None,
    **children: Any,
) -> ServiceItem:
    n = next(_seq)
    department = department or DepartmentFactory()
    kids = default_children()
    kids.update(children)
    item = services.item_create(
        actor=actor,
        implementation_code=code or f"11430900MB{n:06d}XK{n:05d}",
        base_code=f"XK{n:05d}",
        name=name or f"测试许可事项{n}",
        item_type=ItemType.objects.get(key=item_type),
        department=department,
        exercise_level="county",
        elements=publishable_elements(**(elements or {})),
        **kids,
    )
    if publish:
        services.item_version_publish(
            version=item.versions.get(), actor=actor, approving_document="测试发〔2026〕1号"
        )
        item.refresh_from_db()
    return item
