from django.contrib import admin

from zhengwu.bundles.models import (
    Bundle,
    BundleCase,
    BundleCaseChild,
    BundleMember,
    BundleOption,
    BundleQuestion,
)


class BundleMemberInline(admin.TabularInline):
    model = BundleMember
    extra = 0
    autocomplete_fields = ["item"]


class BundleQuestionInline(admin.TabularInline):
    model = BundleQuestion
    extra = 0
    show_change_link = True


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "active"]
    list_filter = ["active", "region"]
    search_fields = ["code", "name"]
    inlines = [BundleMemberInline, BundleQuestionInline]


class BundleOptionInline(admin.TabularInline):
    model = BundleOption
    extra = 0


@admin.register(BundleQuestion)
class BundleQuestionAdmin(admin.ModelAdmin):
    list_display = ["bundle", "key", "text", "kind"]
    inlines = [BundleOptionInline]


class BundleCaseChildInline(admin.TabularInline):
    model = BundleCaseChild
    extra = 0
    readonly_fields = ["case", "member", "stage"]
    can_delete = False


@admin.register(BundleCase)
class BundleCaseAdmin(admin.ModelAdmin):
    """Read-only: bundle cases are written by `bundles.services` only."""

    list_display = ["number", "bundle", "applicant", "channel", "created_at"]
    search_fields = ["number"]
    readonly_fields = [
        "number",
        "bundle",
        "applicant",
        "applicant_account",
        "channel",
        "answers",
        "form_data",
    ]
    exclude = ["members"]
    inlines = [BundleCaseChildInline]

    def has_add_permission(self, request) -> bool:
        return False
