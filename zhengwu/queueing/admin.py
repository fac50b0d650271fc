from django.contrib import admin

from zhengwu.queueing.models import WindowGroup


@admin.register(WindowGroup)
class WindowGroupAdmin(admin.ModelAdmin):
    list_display = ("hall", "code", "name", "sort_order", "is_active")
    list_filter = ("is_active",)
    filter_horizontal = ("windows", "departments", "items")
    raw_id_fields = ("hall",)
