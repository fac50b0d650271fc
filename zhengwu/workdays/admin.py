"""Django admin for the working-day calendar; every change goes through `services`.

The forms run the services' checks during validation, so a refused edit shows as a form error rather
than a failed save, and `save_model` / `delete_model` call the services themselves.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from zhengwu.common import clock
from zhengwu.common.errors import DomainError
from zhengwu.domain.calendar import WEEKDAY_NAMES
from zhengwu.workdays.models import CalendarDay, CalendarEdit, CalendarYear
from zhengwu.workdays.permissions import can_edit_calendar
from zhengwu.workdays.services import (
    calendar_day_check,
    calendar_day_delete,
    calendar_day_set,
    calendar_year_add,
    calendar_year_check,
)


def _add_domain_error(form: forms.ModelForm, error: DomainError) -> None:
    placed = False
    for field, messages in error.fields.items():
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


class _CalendarAdmin(admin.ModelAdmin):
    """Any staff member may read the calendar; only calendar editors may change it."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request) and can_edit_calendar(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_add_permission(request)


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ["year", "source_document", "note"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if not self.errors:
            try:
                calendar_year_check(year=cleaned["year"], source_document=cleaned["source_document"])
            except DomainError as error:
                _add_domain_error(self, error)
        return cleaned


@admin.register(CalendarYear)
class CalendarYearAdmin(_CalendarAdmin):
    """Years are only added: changing or removing one would silently move deadlines across a whole year."""

    form = CalendarYearForm
    list_display = ["year", "source_document", "note", "created_at"]
    search_fields = ["source_document", "note"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: CalendarYear, form: forms.ModelForm, change: bool
    ) -> None:
        saved = calendar_year_add(
            year=obj.year, source_document=obj.source_document, note=obj.note, actor=request.user
        )
        obj.pk = saved.pk


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "region", "kind", "name", "source_document", "reason"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if not self.errors:
            try:
                calendar_day_check(
                    date=cleaned.get("date", self.instance.date),
                    kind=cleaned["kind"],
                    name=cleaned["name"],
                    source_document=cleaned["source_document"],
                    today=clock.today(),
                    reason=cleaned["reason"],
                )
            except DomainError as error:
                _add_domain_error(self, error)
        return cleaned


@admin.register(CalendarDay)
class CalendarDayAdmin(_CalendarAdmin):
    """Date and region identify a row, so they are fixed once saved: to move a day, delete and add."""

    form = CalendarDayForm
    list_display = ["date", "weekday", "kind", "name", "region", "source_document", "reason"]
    list_filter = ["kind", ("region", admin.EmptyFieldListFilter), "name"]
    search_fields = ["name", "source_document", "region__name"]
    date_hierarchy = "date"
    list_select_related = ["region"]
    raw_id_fields = ["region"]

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return WEEKDAY_NAMES[obj.date.weekday()]

    def get_readonly_fields(self, request: HttpRequest, obj: CalendarDay | None = None) -> list[str]:
        return ["date", "region"] if obj is not None else []

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Bulk deletion would bypass the per-day journal and the retroactive-correction rule.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: CalendarDay | None = None) -> bool:
        # The deletion page asks for no reason, so a past day is corrected through the service instead.
        return super().has_delete_permission(request, obj) and (obj is None or obj.date >= clock.today())

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: forms.ModelForm, change: bool) -> None:
        saved = calendar_day_set(
            date=obj.date,
            kind=obj.kind,
            name=obj.name,
            source_document=obj.source_document,
            region=obj.region,
            actor=request.user,
            today=clock.today(),
            reason=obj.reason,
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        calendar_day_delete(day=obj, actor=request.user, today=clock.today())


@admin.register(CalendarEdit)
class CalendarEditAdmin(_CalendarAdmin):
    """The journal is written by the services only."""

    list_display = [
        "created_at",
        "action",
        "date",
        "region",
        "kind_before",
        "name_before",
        "kind_after",
        "name_after",
        "reason",
        "actor",
    ]
    list_filter = ["action"]
    search_fields = ["name_before", "name_after", "reason"]
    date_hierarchy = "date"
    list_select_related = ["region", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
