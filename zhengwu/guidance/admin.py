"""Guidance upkeep in the admin site, like the catalogue: drafts are edited, published versions are
read-only, rule sets freeze once a published version uses them, notices are never edited.

Before publishing, `zhengwu.guidance.services.guidance_validate` lists every problem in Chinese.
"""

from __future__ import annotations

from django.contrib import admin

from zhengwu.catalog import choices as cc
from zhengwu.catalog.models import ItemVersion
from zhengwu.catalog.permissions import can_maintain_catalog
from zhengwu.guidance.models import GuidanceNotice, Option, Question, Rule, RuleSet
from zhengwu.organization.selectors import department_scope_q


def _draft_versions(request):
    return ItemVersion.objects.filter(
        department_scope_q(request.user, prefix="item__department__"), status=cc.VersionStatus.DRAFT
    ).select_related("item")


def _rule_set_frozen(rule_set: RuleSet | None) -> bool:
    return rule_set is not None and rule_set.versions.exclude(status=cc.VersionStatus.DRAFT).exists()


class MaintainerAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return can_maintain_catalog(request.user)

    def has_view_permission(self, request, obj=None):
        return can_maintain_catalog(request.user)

    def has_add_permission(self, request):
        return can_maintain_catalog(request.user)

    def has_change_permission(self, request, obj=None):
        return can_maintain_catalog(request.user)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    fields = ("sort_order", "key", "label")

    def _editable(self, obj) -> bool:
        return obj is None or obj.version.is_editable

    def has_add_permission(self, request, obj=None):
        return self._editable(obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj)


@admin.register(Question)
class QuestionAdmin(MaintainerAdmin):
    list_display = ("version", "sort_order", "key", "text", "kind", "depends_on")
    list_select_related = ("version", "version__item", "depends_on", "depends_on__question")
    search_fields = ("text", "key", "version__item__name", "version__item__implementation_code")
    inlines = [OptionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(department_scope_q(request.user, prefix="version__item__department__"))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = _draft_versions(request)
        if db_field.name == "depends_on":
            kwargs["queryset"] = Option.objects.filter(
                question__version__in=_draft_versions(request)
            ).select_related("question")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.version.is_editable)


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ("sort_order", "when", "effect", "material_name", "text", "limit", "target_code")

    def has_add_permission(self, request, obj=None):
        return not _rule_set_frozen(obj)

    def has_change_permission(self, request, obj=None):
        return not _rule_set_frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return not _rule_set_frozen(obj)


@admin.register(RuleSet)
class RuleSetAdmin(MaintainerAdmin):
    list_display = ("name", "description")
    search_fields = ("name",)
    inlines = [RuleInline]
    filter_horizontal = ("versions",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "versions":  # only drafts: a published version's guidance never changes
            kwargs["queryset"] = _draft_versions(request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _rule_set_frozen(obj)


@admin.register(Rule)
class RuleAdmin(MaintainerAdmin):
    """The rules of one version (rule-set rules are edited in their rule set)."""

    list_display = (
        "version",
        "sort_order",
        "when",
        "effect",
        "material_name",
        "text",
        "limit",
        "target_code",
    )
    list_select_related = ("version", "version__item")
    fields = ("version", "sort_order", "when", "effect", "material_name", "text", "limit", "target_code")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(version__isnull=False)
            .filter(department_scope_q(request.user, prefix="version__item__department__"))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = _draft_versions(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.version.is_editable)


@admin.register(GuidanceNotice)
class GuidanceNoticeAdmin(MaintainerAdmin):
    list_display = ("number", "item", "issued_on", "channel", "issued_by")
    list_select_related = ("item", "issued_by")
    search_fields = ("number", "item__name")
    readonly_fields = (
        "number",
        "item",
        "version",
        "issued_on",
        "channel",
        "answers",
        "snapshot",
        "issued_by",
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(department_scope_q(request.user, prefix="item__department__"))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
