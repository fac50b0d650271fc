"""Daily rollups of the metric counters (`zhengwu.domain.metrics.Counter`).

One row per (grain, object, day, counter): grain `department` (cases and cards, attributed to the
handling department; 跨域通办 receipts to the receiving one), `window` (the intake window),
`staff` (who received or decided) and `region` (一件事, which belong to a region). `region_id` is the
object's region, so a region's figure sums the rows of its subtree's regions. Rows are kept in step by
`zhengwu.metrics.recording` in the transaction of each change, and rebuilt from the source tables by
`zhengwu metrics rebuild`; dashboards and assessments read only these rows, so their cost follows the
number of units × days, not the number of cases.

`MonthlyCount` holds the same sums per calendar month: a period is read as its whole months from the
monthly rows plus the days at its edges from the daily ones, so a year costs twelve months of rows
however busy the days were.
"""

from __future__ import annotations

from django.db import models


class Grain(models.TextChoices):
    DEPARTMENT = "department", "部门"
    WINDOW = "window", "窗口"
    STAFF = "staff", "工作人员"
    REGION = "region", "区划"


class DailyCount(models.Model):
    """The value of one counter for one unit on one day."""

    grain = models.CharField("粒度", max_length=16, choices=Grain.choices)
    object_id = models.PositiveBigIntegerField("对象编号")
    region = models.ForeignKey(
        "organization.Region", verbose_name="所属区划", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("日期")
    counter = models.CharField("计数项", max_length=32)
    value = models.BigIntegerField("数值", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "指标日汇总"
        ordering = ["grain", "object_id", "day", "counter"]
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "object_id", "day", "counter"], name="daily_count_unique"
            ),
        ]
        indexes = [models.Index(fields=["grain", "region", "day"], name="daily_count_region_day")]

    def __str__(self) -> str:
        return f"{self.grain}:{self.object_id} {self.day} {self.counter}={self.value}"


class MonthlyCount(models.Model):
    """The value of one counter for one unit in one calendar month (`month` is its first day)."""

    grain = models.CharField("粒度", max_length=16, choices=Grain.choices)
    object_id = models.PositiveBigIntegerField("对象编号")
    region = models.ForeignKey(
        "organization.Region", verbose_name="所属区划", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField("月份")
    counter = models.CharField("计数项", max_length=32)
    value = models.BigIntegerField("数值", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "指标月汇总"
        ordering = ["grain", "object_id", "month", "counter"]
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "object_id", "month", "counter"], name="monthly_count_unique"
            ),
        ]
        indexes = [models.Index(fields=["grain", "region", "month"], name="monthly_count_region_month")]

    def __str__(self) -> str:
        return f"{self.grain}:{self.object_id} {self.month:%Y-%m} {self.counter}={self.value}"
