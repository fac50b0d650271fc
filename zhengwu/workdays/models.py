"""The working-day calendar as data: which years are covered, and the days that break the Mon–Fri rule.

Only holidays and make-up working days are stored; every other date follows the Mon–Fri rule. The
rows are read by `selectors.work_calendar`, which turns them into a `zhengwu.domain.calendar.WorkCalendar`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengwu.common.models import TimeStampedModel
from zhengwu.workdays.choices import CalendarDayKind, CalendarEditAction


class CalendarYear(TimeStampedModel):
    """A year whose official 放假调休 schedule has been entered.

    The calendar covers the contiguous run of years ending at the latest one: from 1 January of its
    first year to 31 December of its last (`valid_through`). Dates beyond it cannot be computed, so a
    year is added only when the State Council has published its schedule.
    """

    year = models.PositiveSmallIntegerField("年度")
    source_document = models.CharField("依据文件", max_length=200)
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "日历年度"
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["year"], name="workdays_calendar_year_unique"),
            models.CheckConstraint(
                condition=models.Q(year__gte=1949, year__lte=9999), name="workdays_calendar_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年"


class CalendarDay(TimeStampedModel):
    """A holiday or a make-up working day (调休上班), nationally or as a regional overlay.

    A row without a region is the national base. A row with a region overlays it for that region and
    every region below it (e.g. an autonomous region's own festival); the nearest region's row wins.
    `name` is the holiday the day belongs to (a make-up day names the holiday it makes up for).
    """

    date = models.DateField("日期")
    kind = models.CharField("类型", max_length=20, choices=CalendarDayKind.choices)
    name = models.CharField("节日名称", max_length=64)
    source_document = models.CharField("依据文件", max_length=200)
    region = models.ForeignKey(
        "organization.Region",
        verbose_name="适用区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_days",
        help_text="留空为全国统一安排；选择区划则作为该区划及其下级区划的地方性调整。",
    )
    reason = models.CharField(
        "更正原因", max_length=200, blank=True, help_text="修改今天以前的日期（追溯更正）时必须填写。"
    )

    class Meta:
        verbose_name = verbose_name_plural = "节假日与调休"
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "region"], name="workdays_calendar_day_unique_per_region"
            ),
            # NULLs are distinct in a unique index, so the national base needs its own constraint.
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(region__isnull=True),
                name="workdays_calendar_day_unique_national",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=CalendarDayKind.values), name="workdays_calendar_day_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}（{self.get_kind_display()}）"


class CalendarEdit(TimeStampedModel):
    """One run-time change of a calendar day: who changed what, from what, to what, and why.

    Every edit moves open deadlines (DOMAIN §3.4), and a deleted day leaves nothing else behind, so
    the journal is the record that explains a due date that moved.
    """

    action = models.CharField("操作", max_length=10, choices=CalendarEditAction.choices)
    date = models.DateField("日期")
    region = models.ForeignKey(
        "organization.Region",
        verbose_name="适用区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind_before = models.CharField("原类型", max_length=20, choices=CalendarDayKind.choices, blank=True)
    name_before = models.CharField("原名称", max_length=64, blank=True)
    kind_after = models.CharField("新类型", max_length=20, choices=CalendarDayKind.choices, blank=True)
    name_after = models.CharField("新名称", max_length=64, blank=True)
    reason = models.CharField("更正原因", max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "日历修改记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=CalendarEditAction.values),
                name="workdays_calendar_edit_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.date.isoformat()}"
