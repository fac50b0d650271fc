"""Per-hall appointment settings in the admin site (system administrators edit; scoped like halls)."""

from __future__ import annotations

from django.contrib import admin

from zhengwu.appointments.models import HallAppointmentSettings
from zhengwu.organization.admin import ScopedAdmin


@admin.register(HallAppointmentSettings)
class HallAppointmentSettingsAdmin(ScopedAdmin):
    department_path = "hall__department"
    list_display = ("hall", "enabled", "periods", "slot_minutes", "horizon_workdays", "same_day_cutoff")
    list_filter = ("enabled",)
    list_select_related = ("hall",)
    autocomplete_fields = ()
    raw_id_fields = ("hall",)
