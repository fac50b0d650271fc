"""The write paths of the catalogue: create, edit drafts, publish, and the lifecycle operations.

A published version is never edited: `item_version_start_change` copies it into a new draft, and
publishing the draft retires the old version. Each operation is journalled in ItemOperation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max

from zhengwu.catalog import choices as c
from zhengwu.catalog.models import (
    Faq,
    FeeItem,
    ItemOperation,
    ItemType,
    ItemVersion,
    LegalBasis,
    Material,
    ServiceItem,
    Step,
)
from zhengwu.catalog.signals import version_copied, version_publishing
from zhengwu.common import clock
from zhengwu.common.errors import DomainError
from zhengwu.domain.catalog_rules import (
    ItemFacts,
    LegalBasisFacts,
    StepFacts,
    Violation,
    check_item,
    violations_by_field,
)

# Elements of ItemVersion a caller may set (everything but identity, status and bookkeeping).
VERSION_FIELDS = tuple(
    f.name
    for f in ItemVersion._meta.concrete_fields
    if f.name
    not in {
        "id",
        "item",
        "number",
        "status",
        "published_at",
        "published_by",
        "retired_at",
        "created_at",
        "updated_at",
    }
)
CHILD_MODELS: dict[str, type] = {
    "legal_bases": LegalBasis,
    "materials": Material,
    "steps": Step,
    "fee_items": FeeItem,
    "faqs": Faq,
}
ITEM_FIELDS = ("base_code", "handling_code", "name", "item_type", "department", "exercise_level")


def _clean_code(value: str, label: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("invalid", f"{label}不能为空。", {field: [f"{label}不能为空。"]})
    if len(value) > 64:
        raise DomainError("invalid", f"{label}不得超过64个字符。", {field: ["不得超过64个字符。"]})
    return value


def _journal(
    item: ServiceItem,
    operation: str,
    actor,
    *,
    version=None,
    document: str = "",
    note: str = "",
    related: Iterable[str] = (),
) -> None:
    ItemOperation.objects.create(
        item=item,
        version=version,
        operation=operation,
        actor=actor if getattr(actor, "pk", None) else None,
        approving_document=document,
        note=note[:500],
        related_codes=list(related),
    )


def _set_elements(version: ItemVersion, elements: Mapping[str, Any]) -> None:
    unknown = set(elements) - set(VERSION_FIELDS)
    if unknown:
        raise DomainError("invalid", f"未知的事项要素：{'、'.join(sorted(unknown))}。")
    for name, value in elements.items():
        setattr(version, name, value)


def _replace_children(
    version: ItemVersion, children: Mapping[str, Iterable[Mapping[str, Any]] | None]
) -> None:
    for key, rows in children.items():
        if rows is None:
            continue
        model = CHILD_MODELS[key]
        model.objects.filter(version=version).delete()
        objects = []
        for index, row in enumerate(rows, start=1):
            data = dict(row)
            data.setdefault("sort_order", index)
            objects.append(model(version=version, **data))
        model.objects.bulk_create(objects)


def _full_clean(version: ItemVersion) -> None:
    from django.core.exceptions import ValidationError

    try:
        version.full_clean(exclude=["item", "published_by", "result_sample"], validate_unique=False)
    except ValidationError as error:
        fields = {name: [str(m) for m in msgs] for name, msgs in error.message_dict.items()}
        labels = {f.name: str(f.verbose_name) for f in ItemVersion._meta.fields}
        text = "；".join(f"{labels.get(n, n)}：{'，'.join(m)}" for n, m in fields.items())
        raise DomainError("invalid", f"事项要素有误：{text}", fields) from error


@transaction.atomic
def item_create(
    *,
    actor,
    implementation_code: str,
    base_code: str,
    name: str,
    item_type: ItemType,
    department,
    exercise_level: str,
    handling_code: str = "",
    elements: Mapping[str, Any] | None = None,
    approving_document: str = "",
    **children: Iterable[Mapping[str, Any]],
) -> ServiceItem:
    """新增: a new item with version 1 as a draft."""
    code = _clean_code(implementation_code, "实施编码", "implementation_code")
    if ServiceItem.objects.filter(implementation_code=code).exists():
        raise DomainError(
            "duplicate", f"实施编码 {code} 已存在。", {"implementation_code": ["实施编码已存在。"]}
        )
    if not name.strip():
        raise DomainError("invalid", "事项名称不能为空。", {"name": ["事项名称不能为空。"]})
    if exercise_level not in c.ExerciseLevel.values:
        raise DomainError("invalid", "行使层级无效。", {"exercise_level": ["行使层级无效。"]})
    item = ServiceItem.objects.create(
        implementation_code=code,
        base_code=_clean_code(base_code, "基本编码", "base_code"),
        handling_code=(handling_code or "").strip(),
        name=name.strip(),
        item_type=item_type,
        department=department,
        region=department.region,
        exercise_level=exercise_level,
    )
    version = ItemVersion(item=item, number=1)
    _set_elements(version, elements or {})
    _full_clean(version)
    version.save()
    _replace_children(version, {k: v for k, v in children.items() if k in CHILD_MODELS})
    _journal(item, c.Operation.ADD, actor, version=version, document=approving_document)
    return item


def _lock_version(version: ItemVersion) -> ItemVersion:
    return ItemVersion.objects.select_for_update().select_related("item").get(pk=version.pk)


@transaction.atomic
def item_version_update(
    *,
    version: ItemVersion,
    actor,
    elements: Mapping[str, Any] | None = None,
    item_fields: Mapping[str, Any] | None = None,
    **children: Iterable[Mapping[str, Any]] | None,
) -> ItemVersion:
    """Edit a draft. A published or retired version is immutable."""
    version = _lock_version(version)
    if version.status != c.VersionStatus.DRAFT:
        raise DomainError(
            "immutable",
            f"第{version.number}版已{version.get_status_display()}，不能修改；请先发起变更生成新草稿。",
        )
    _set_elements(version, elements or {})
    _full_clean(version)
    version.save()
    _replace_children(version, {k: v for k, v in children.items() if k in CHILD_MODELS})
    if item_fields:
        item = version.item
        unknown = set(item_fields) - set(ITEM_FIELDS)
        if unknown:
            raise DomainError("invalid", f"未知的事项字段：{'、'.join(sorted(unknown))}。")
        for name, value in item_fields.items():
            setattr(item, name, value)
        if "department" in item_fields:
            item.region = item.department.region
        item.save()
    return version


def version_facts(version: ItemVersion) -> ItemFacts:
    """What the rules of DOMAIN §2.7 need, read from a version and its children."""
    item = version.item
    return ItemFacts(
        name=item.name,
        item_type_key=item.item_type.key,
        licensing=item.item_type.key == "licensing",
        case_kind=version.case_kind,
        legal_limit=version.legal_limit,
        legal_limit_unit=version.legal_limit_unit,
        promised_limit=version.promised_limit,
        promised_limit_unit=version.promised_limit_unit,
        onsite_visits=version.onsite_visits,
        onsite_reason=version.onsite_reason,
        online_depth=version.online_depth,
        express_delivery=version.express_delivery,
        charges_fee=version.charges_fee,
        fee_basis=version.fee_basis,
        fee_item_count=version.fee_items.count(),
        online_payment=version.online_payment,
        acceptance_conditions=version.acceptance_conditions,
        process_description=version.process_description,
        location=version.location,
        office_hours=version.office_hours,
        consult_phone=version.consult_phone,
        complaint_phone=version.complaint_phone,
        delivery_modes=tuple(version.delivery_modes or ()),
        material_count=version.materials.count(),
        steps=tuple(
            StepFacts(s.name, s.limit, s.limit_unit, s.special_procedure, s.counts_in_limit)
            for s in version.steps.all()
        ),
        legal_bases=tuple(LegalBasisFacts(b.document, b.article) for b in version.legal_bases.all()),
    )


def version_check(version: ItemVersion) -> list[Violation]:
    return check_item(version_facts(version))


@transaction.atomic
def item_version_publish(
    *, version: ItemVersion, actor, approving_document: str = "", now: dt.datetime | None = None
) -> ItemVersion:
    """Publish a draft after every rule passes; the previously published version is retired."""
    version = _lock_version(version)
    if version.status != c.VersionStatus.DRAFT:
        raise DomainError(
            "invalid_state", f"只有草稿可以发布，第{version.number}版当前为{version.get_status_display()}。"
        )
    item = ServiceItem.objects.select_for_update().get(pk=version.item_id)
    if item.status == c.LifecycleStatus.CANCELLED:
        raise DomainError("invalid_state", "事项已取消，不能发布新版本。")
    violations = version_check(version)
    if violations:
        raise DomainError(
            "validation_failed",
            "发布前校验未通过：" + "；".join(v.message for v in violations),
            violations_by_field(violations),
        )
    version_publishing.send(sender=ItemVersion, version=version)
    now = now or clock.now()
    previous = ItemVersion.objects.filter(item=item, status=c.VersionStatus.PUBLISHED).first()
    if previous is not None:
        ItemVersion.objects.filter(pk=previous.pk, status=c.VersionStatus.PUBLISHED).update(
            status=c.VersionStatus.RETIRED, retired_at=now
        )
    updated = ItemVersion.objects.filter(pk=version.pk, status=c.VersionStatus.DRAFT).update(
        status=c.VersionStatus.PUBLISHED,
        published_at=now,
        published_by=actor if getattr(actor, "pk", None) else None,
        approving_document=approving_document or version.approving_document,
    )
    if updated != 1:
        raise DomainError("conflict", "该版本已被他人处理，请刷新后重试。")
    item.current_version_id = version.pk
    item.save(update_fields=["current_version", "updated_at"])
    version.refresh_from_db()
    _journal(item, c.Operation.PUBLISH, actor, version=version, document=version.approving_document)
    return version


def _copy_children(source: ItemVersion, target: ItemVersion) -> None:
    for key, model in CHILD_MODELS.items():
        rows = []
        for row in getattr(source, key).all():
            row.pk = None
            row.id = None
            row.version = target
            row._state.adding = True
            rows.append(row)
        model.objects.bulk_create(rows)


@transaction.atomic
def item_version_start_change(*, item: ServiceItem, actor, change_summary: str = "") -> ItemVersion:
    """变更: open a new draft copied from the current published version (one draft at a time)."""
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if item.status == c.LifecycleStatus.CANCELLED:
        raise DomainError("invalid_state", "事项已取消，不能变更。")
    draft = ItemVersion.objects.filter(item=item, status=c.VersionStatus.DRAFT).first()
    if draft is not None:
        raise DomainError("draft_exists", f"事项已有未发布的草稿（第{draft.number}版），请在草稿上修改。")
    source = ItemVersion.objects.filter(item=item).order_by("-number").first()
    number = (ItemVersion.objects.filter(item=item).aggregate(m=Max("number"))["m"] or 0) + 1
    values = {name: getattr(source, name) for name in VERSION_FIELDS} if source else {}
    values["change_summary"] = change_summary
    values["approving_document"] = ""
    draft = ItemVersion.objects.create(item=item, number=number, **values)
    if source is not None:
        _copy_children(source, draft)
        version_copied.send(sender=ItemVersion, source=source, target=draft)
    _journal(item, c.Operation.CHANGE, actor, version=draft, note=change_summary)
    return draft


def _require_document(document: str) -> str:
    document = (document or "").strip()
    if not document:
        raise DomainError(
            "invalid", "请填写批准文件（文号）。", {"approving_document": ["批准文件不能为空。"]}
        )
    return document


@transaction.atomic
def item_suspend(
    *,
    item: ServiceItem,
    actor,
    reason: str,
    approving_document: str,
    resume_expected_on: dt.date | None = None,
) -> ServiceItem:
    """暂停: no new applications; open cases continue; the guide shows the reason."""
    document = _require_document(approving_document)
    if not reason.strip():
        raise DomainError("invalid", "请填写暂停原因。", {"reason": ["暂停原因不能为空。"]})
    updated = ServiceItem.objects.filter(pk=item.pk, status=c.LifecycleStatus.ACTIVE).update(
        status=c.LifecycleStatus.SUSPENDED,
        status_reason=reason.strip(),
        resume_expected_on=resume_expected_on,
    )
    if updated != 1:
        raise DomainError("invalid_state", "只有在用的事项可以暂停。")
    item.refresh_from_db()
    _journal(item, c.Operation.SUSPEND, actor, document=document, note=reason)
    return item


@transaction.atomic
def item_resume(*, item: ServiceItem, actor, approving_document: str = "") -> ServiceItem:
    updated = ServiceItem.objects.filter(pk=item.pk, status=c.LifecycleStatus.SUSPENDED).update(
        status=c.LifecycleStatus.ACTIVE, status_reason="", resume_expected_on=None
    )
    if updated != 1:
        raise DomainError("invalid_state", "只有暂停办理的事项可以恢复。")
    item.refresh_from_db()
    _journal(item, c.Operation.RESUME, actor, document=approving_document)
    return item


@transaction.atomic
def item_cancel(
    *,
    item: ServiceItem,
    actor,
    cancelled_on: dt.date,
    reason: str,
    approving_document: str,
    successors: Iterable[ServiceItem] = (),
    operation: str = c.Operation.CANCEL,
) -> ServiceItem:
    """取消: a permanent end at the planned date; open cases continue under their versions."""
    document = _require_document(approving_document)
    updated = (
        ServiceItem.objects.filter(pk=item.pk)
        .exclude(status=c.LifecycleStatus.CANCELLED)
        .update(status=c.LifecycleStatus.CANCELLED, status_reason=reason.strip(), cancelled_on=cancelled_on)
    )
    if updated != 1:
        raise DomainError("invalid_state", "事项已取消。")
    item.refresh_from_db()
    ItemVersion.objects.filter(item=item, status=c.VersionStatus.PUBLISHED).update(
        planned_cancel_on=cancelled_on
    )
    successors = list(successors)
    if successors:
        item.successors.add(*successors)
    _journal(
        item,
        operation,
        actor,
        document=document,
        note=reason,
        related=[s.implementation_code for s in successors],
    )
    return item


def _derived_item(*, source: ServiceItem, actor, spec: Mapping[str, Any], document: str) -> ServiceItem:
    """A new item whose version 1 is a draft copied from `source`'s current version."""
    base = source.current_version or source.versions.order_by("-number").first()
    elements = {name: getattr(base, name) for name in VERSION_FIELDS} if base else {}
    elements.update(spec.get("elements", {}))
    new = item_create(
        actor=actor,
        implementation_code=spec["implementation_code"],
        base_code=spec.get("base_code", source.base_code),
        name=spec["name"],
        item_type=spec.get("item_type", source.item_type),
        department=spec.get("department", source.department),
        exercise_level=spec.get("exercise_level", source.exercise_level),
        handling_code=spec.get("handling_code", ""),
        elements=elements,
        approving_document=document,
    )
    if base is not None:
        _copy_children(base, new.versions.get())
    return new


@transaction.atomic
def item_split(
    *, item: ServiceItem, actor, into: list[Mapping[str, Any]], effective_on: dt.date, approving_document: str
) -> list[ServiceItem]:
    """拆分: one item → N new items (drafts to review and publish); the old one is cancelled."""
    document = _require_document(approving_document)
    if len(into) < 2:
        raise DomainError("invalid", "拆分至少产生两个新事项。", {"into": ["至少两个新事项。"]})
    created = [_derived_item(source=item, actor=actor, spec=spec, document=document) for spec in into]
    item_cancel(
        item=item,
        actor=actor,
        cancelled_on=effective_on,
        reason="事项拆分",
        approving_document=document,
        successors=created,
        operation=c.Operation.SPLIT,
    )
    return created


@transaction.atomic
def item_merge(
    *,
    items: list[ServiceItem],
    actor,
    into: Mapping[str, Any],
    effective_on: dt.date,
    approving_document: str,
) -> ServiceItem:
    """合并: N items → one new item (draft copied from the first); the old ones are cancelled."""
    document = _require_document(approving_document)
    if len(items) < 2:
        raise DomainError("invalid", "合并至少需要两个事项。", {"items": ["至少两个事项。"]})
    merged = _derived_item(source=items[0], actor=actor, spec=into, document=document)
    for old in items:
        item_cancel(
            item=old,
            actor=actor,
            cancelled_on=effective_on,
            reason="事项合并",
            approving_document=document,
            successors=[merged],
            operation=c.Operation.MERGE,
        )
    return merged
