"""The hall queue (取号叫号): window groups, numbered tickets and their append-only journal.

Only `zhengwu.queueing.services` writes these tables. A ticket's status moves through the table of
`zhengwu.domain.queueing`, each change guarded by `version` (compare-and-set), so two windows never
call the same ticket. No personal data is kept: a ticket is a number, a priority class and times.

Figures (worker C's hall figures): waiting time = `called_at − issued_at`; service time =
`finished_at − serve_started_at` (both set once, never moved by recalls or transfers).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengwu.common.models import AppendOnly, TimeStampedModel
from zhengwu.queueing.choices import TicketAction, TicketPriority, TicketSource, TicketStatus


class QueueSequence(models.Model):
    """The last number handed out per hall, group letter and day (row-locked when incremented)."""

    prefix = models.CharField("编号前缀", max_length=32)
    day = models.DateField("日期")
    last = models.PositiveIntegerField("末号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "排队号序列"
        ordering = ["prefix", "day"]
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="queue_sequence_unique_day")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.day:%Y%m%d}:{self.last}"


class WindowGroup(TimeStampedModel):
    """A zone of a hall (综合受理区, 证照联办专区 …): the windows that call its tickets and what routes
    there (items first, then the items' departments)."""

    hall = models.ForeignKey(
        "organization.ServiceHall",
        verbose_name="大厅",
        on_delete=models.CASCADE,
        related_name="window_groups",
    )
    code = models.CharField("号码字母", max_length=2, help_text="号码前缀，如 A")
    name = models.CharField("名称", max_length=64)
    windows = models.ManyToManyField(
        "organization.Window", verbose_name="叫号窗口", blank=True, related_name="queue_groups"
    )
    departments = models.ManyToManyField(
        "organization.Department", verbose_name="分流部门", blank=True, related_name="queue_groups"
    )
    items = models.ManyToManyField(
        "catalog.ServiceItem", verbose_name="分流事项", blank=True, related_name="queue_groups"
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "窗口组"
        ordering = ["hall", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "code"], name="window_group_unique_code_per_hall"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class QueueTicket(TimeStampedModel):
    """One number taken in a hall on one day."""

    hall = models.ForeignKey(
        "organization.ServiceHall",
        verbose_name="大厅",
        on_delete=models.PROTECT,
        related_name="queue_tickets",
    )
    group = models.ForeignKey(
        WindowGroup, verbose_name="窗口组", on_delete=models.PROTECT, related_name="tickets"
    )
    day = models.DateField("日期")
    number = models.CharField("号码", max_length=16)
    priority = models.CharField("优先类别", max_length=16, choices=TicketPriority.choices)
    status = models.CharField(
        "状态", max_length=16, choices=TicketStatus.choices, default=TicketStatus.WAITING, db_index=True
    )
    source = models.CharField("取号方式", max_length=16, choices=TicketSource.choices)
    appointment_ref = models.CharField("预约编号", max_length=64, blank=True)
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name="事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="queue_tickets",
    )
    issued_at = models.DateTimeField("取号时间")
    queued_at = models.DateTimeField("排队时间", help_text="排序所用时间：取号时间，过号顺延时为顺延时间")
    called_at = models.DateTimeField("首次叫号时间", null=True, blank=True)
    last_called_at = models.DateTimeField("最近叫号时间", null=True, blank=True)
    serve_started_at = models.DateTimeField("开始受理时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    window = models.ForeignKey(
        "organization.Window",
        verbose_name="叫号窗口",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="queue_tickets",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="叫号人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recall_count = models.PositiveSmallIntegerField("重呼次数", default=0)
    transferred_from = models.ForeignKey(
        WindowGroup,
        verbose_name="转出窗口组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="办件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="queue_tickets",
    )
    token = models.CharField("查询令牌", max_length=32, unique=True)
    version = models.PositiveIntegerField("版本", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "排队号"
        ordering = ["-day", "hall", "issued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "day", "number"], name="queue_ticket_unique_number_per_day"
            ),
        ]
        indexes = [models.Index(fields=["hall", "day", "status"], name="queue_ticket_hall_day_status")]

    def __str__(self) -> str:
        return self.number


class QueueEvent(AppendOnly, models.Model):
    """An immutable journal entry of a ticket: what happened, at which window, by whom, when."""

    ticket = models.ForeignKey(
        QueueTicket, verbose_name="排队号", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("动作", max_length=16, choices=TicketAction.choices)
    from_status = models.CharField("原状态", max_length=16, blank=True)
    to_status = models.CharField("新状态", max_length=16, blank=True)
    window = models.ForeignKey(
        "organization.Window",
        verbose_name="窗口",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间")
    data = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "排队记录"
        ordering = ["ticket", "at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket} {self.get_action_display()}"
