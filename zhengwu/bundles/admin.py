"""一件事 bundles in the admin site: their members and questions (configuration).

Bundle applications (`BundleCase`) are business records with applicants' data: they are read in the
workbench only, scoped, never in the admin site (`zhengwu.workbench.access` refuses those pages).
"""

from django.contrib import admin

from zhengwu.bundles.models import Bundle, BundleMember, BundleOption, BundleQuestion


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
