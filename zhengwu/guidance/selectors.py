"""Reads of smart guidance: everything one evaluation needs in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch

from zhengwu.catalog import choices as cc
from zhengwu.catalog.models import FeeItem, ItemVersion, Material, ServiceItem
from zhengwu.catalog.selectors import PUBLIC_STATUSES
from zhengwu.common.errors import NotFound
from zhengwu.guidance.models import GuidanceNotice, Option, Question, Rule, RuleSet


@dataclass(frozen=True)
class LabelledRule:
    label: str  # how validation messages name the rule
    rule: Rule


@dataclass(frozen=True)
class GuidanceData:
    """The questions (with options), rules (linked rule sets first, by name; then the version's own),
    materials and fee items of one version."""

    version: ItemVersion
    questions: list[Question]
    rules: list[LabelledRule]
    materials: list[Material]
    fee_items: list[FeeItem]

    @property
    def configured(self) -> bool:
        return bool(self.questions)


def guidance_item_get(implementation_code: str) -> ServiceItem:
    """A published item as the public sees it, with its current version (no children)."""
    item = (
        ServiceItem.objects.filter(
            implementation_code=implementation_code, current_version__isnull=False, status__in=PUBLIC_STATUSES
        )
        .select_related("item_type", "department", "region", "current_version")
        .first()
    )
    if item is None:
        raise NotFound("事项不存在或尚未发布。")
    return item


def guidance_data(version: ItemVersion) -> GuidanceData:
    """Eight queries whatever the number of rows: the version with its item, questions, options,
    rule sets, their rules, the version's own rules, materials and fee items."""
    version = ItemVersion.objects.select_related("item", "item__department", "item__region").get(
        pk=version.pk
    )
    questions = list(
        Question.objects.filter(version=version)
        .select_related("depends_on", "depends_on__question")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("sort_order", "id")))
    )
    rule_sets = RuleSet.objects.filter(versions=version).prefetch_related(
        Prefetch("rules", queryset=Rule.objects.order_by("sort_order", "id"))
    )
    rules = [
        LabelledRule(f"规则集“{rule_set.name}”第{n}条", rule)
        for rule_set in rule_sets
        for n, rule in enumerate(rule_set.rules.all(), start=1)
    ]
    own = Rule.objects.filter(version=version).order_by("sort_order", "id")
    rules += [LabelledRule(f"本事项规则第{n}条", rule) for n, rule in enumerate(own, start=1)]
    return GuidanceData(
        version=version,
        questions=questions,
        rules=rules,
        materials=list(Material.objects.filter(version=version)),
        fee_items=list(FeeItem.objects.filter(version=version)),
    )


def version_has_guidance(version: ItemVersion) -> bool:
    return Question.objects.filter(version=version).exists()


def published_items_by_code(codes: Iterable[str]) -> dict[str, ServiceItem]:
    """Route targets: the published items among `codes`, by implementation code (one query)."""
    codes = list(dict.fromkeys(codes))
    if not codes:
        return {}
    items = ServiceItem.objects.filter(
        implementation_code__in=codes, current_version__isnull=False, status__in=PUBLIC_STATUSES
    ).only("id", "implementation_code", "name", "status")
    return {item.implementation_code: item for item in items}


def guidance_notice_get(number: str) -> GuidanceNotice:
    notice = (
        GuidanceNotice.objects.filter(number=number.strip())
        .select_related("item", "item__region", "item__department", "version")
        .first()
    )
    if notice is None:
        raise NotFound("一次性告知单不存在。")
    return notice


def material_template_get(implementation_code: str, material_id: int) -> Material:
    """The blank form of a material of a published (or since retired) version of a public item: the
    files a guide and a printed notice link to. Drafts stay private."""
    material = (
        Material.objects.filter(
            pk=material_id,
            version__item__implementation_code=implementation_code,
            version__item__status__in=PUBLIC_STATUSES,
            version__status__in=(cc.VersionStatus.PUBLISHED, cc.VersionStatus.RETIRED),
        )
        .exclude(template_file="")
        .first()
    )
    if material is None:
        raise NotFound("该材料没有可下载的空白表格。")
    return material
