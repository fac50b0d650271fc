"""Catalogue upkeep in the admin site: drafts are edited here; published versions are read-only.

Status, publication and lifecycle operations are never edited here: they go through the workbench
actions, which call the services. The lists are limited to the departments in the user's scope.
"""

from __future__ import annotations

from django.contrib import admin

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
from zhengwu.catalog.permissions import can_maintain_catalog
from zhengwu.organization.choices import Role
from zhengwu.organization.selectors import department_scope_q


class MaintainerAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return can_maintain_catalog(request.user)

    def has_view_permission(self, request, obj=None):
        return can_maintain_catalog(request.user)

    def has_add_permission(self, request):
        return False  # new items: the workbench import or `zhengwu catalog import`

    def has_delete_permission(self, request, obj=None):
        return False  # never destructive: cancel instead

    def has_change_permission(self, request, obj=None):
        return can_maintain_catalog(request.user)


@admin.register(ItemType)
class ItemTypeAdmin(MaintainerAdmin):
    list_display = ("label", "key", "group", "external_code", "licensing_clock", "sort_order")
    readonly_fields = ("key", "label", "group")

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser or request.user.has_role(Role.SYSTEM_ADMIN)


@admin.register(ServiceItem)
class ServiceItemAdmin(MaintainerAdmin):
    list_display = ("implementation_code", "name", "department", "item_type", "status", "current_version")
    list_filter = ("status", "item_type", "exercise_level")
    search_fields = ("name", "implementation_code", "base_code")
    list_select_related = ("department", "item_type", "current_version")
    readonly_fields = (
        "implementation_code",
        "base_code",
        "name",
        "item_type",
        "department",
        "region",
        "exercise_level",
        "status",
        "status_reason",
        "resume_expected_on",
        "cancelled_on",
        "current_version",
    )
    exclude = ("successors",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(department_scope_q(request.user, prefix="department__"))

    def has_change_permission(self, request, obj=None):
        return False  # identity is set by the catalogue authority (DOMAIN §2.1)


class DraftInline(admin.StackedInline):
    extra = 0

    def _editable(self, obj) -> bool:
        return obj is not None and obj.is_editable

    def has_add_permission(self, request, obj=None):
        return self._editable(obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj)


class LegalBasisInline(DraftInline):
    model = LegalBasis


class MaterialInline(DraftInline):
    model = Material
    fields = (
        "sort_order",
        "name",
        "material_type",
        "form",
        "necessity",
        "condition_note",
        "source",
        "paper_copies",
        "review_points",
        "acceptance_standard",
        "evidence_level",
        "template_file",
        "sample_file",
    )


class StepInline(DraftInline):
    model = Step
    fields = (
        "sort_order",
        "name",
        "office",
        "handler_role",
        "limit",
        "limit_unit",
        "special_procedure",
        "counts_in_limit",
        "description",
    )


class FeeItemInline(DraftInline):
    model = FeeItem


class FaqInline(DraftInline):
    model = Faq


@admin.register(ItemVersion)
class ItemVersionAdmin(MaintainerAdmin):
    list_display = ("item", "number", "status", "promised_limit", "published_at")
    list_filter = ("status",)
    search_fields = ("item__name", "item__implementation_code")
    list_select_related = ("item",)
    exclude = ("status", "published_at", "published_by", "retired_at", "number")
    inlines = [LegalBasisInline, MaterialInline, StepInline, FeeItemInline, FaqInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(department_scope_q(request.user, prefix="item__department__"))
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)


@admin.register(ItemOperation)
class ItemOperationAdmin(MaintainerAdmin):
    list_display = ("created_at", "item", "operation", "actor", "approving_document")
    list_select_related = ("item", "actor")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(department_scope_q(request.user, prefix="item__department__"))
        )

    def has_change_permission(self, request, obj=None):
        return False
