"""Appointments (预约): per-hall settings, the slot counters that prevent overbooking, the bookings
themselves and the online-booking blocks of the no-show rule (see docs/adr/0007-appointments.md)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from zhengwu.appointments.choices import ACTIVE_STATUSES, Channel, Status
from zhengwu.common.models import TimeStampedModel
from zhengwu.common.pii import PHONE, BlindIndexField, EncryptedQuerySet, EncryptedTextField
from zhengwu.domain import appointments as rules
from zhengwu.domain.masking import mask_name, mask_phone


class HallAppointmentSettings(TimeStampedModel):
    """How a hall takes appointments: opening periods on working days, slot length, horizon, check-in
    window. A hall without a row uses the defaults (09:00–12:00, 13:30–17:00; 30 min; 7 working days)."""

    hall = models.OneToOneField(
        "organization.ServiceHall",
        verbose_name="大厅",
        on_delete=models.CASCADE,
        related_name="appointment_settings",
    )
    enabled = models.BooleanField("开放预约", default=True)
    periods = models.CharField(
        "预约时段",
        max_length=200,
        default=rules.periods_format(rules.DEFAULT_PERIODS),
        help_text="工作日办公时段，格式 HH:MM-HH:MM，多个时段以逗号分隔。",
    )
    slot_minutes = models.PositiveSmallIntegerField(
        "每个时段分钟数",
        default=rules.DEFAULT_SLOT_MINUTES,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    horizon_workdays = models.PositiveSmallIntegerField(
        "可提前预约工作日数",
        default=rules.DEFAULT_HORIZON_WORKDAYS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    same_day_cutoff = models.TimeField(
        "当日预约截止时间", default=rules.DEFAULT_SAME_DAY_CUTOFF, help_text="此时间后不能再预约当天。"
    )
    check_in_before_minutes = models.PositiveSmallIntegerField(
        "签到可提前分钟数", default=rules.DEFAULT_CHECK_IN_BEFORE_MINUTES, validators=[MaxValueValidator(240)]
    )
    check_in_after_minutes = models.PositiveSmallIntegerField(
        "签到可迟到分钟数", default=rules.DEFAULT_CHECK_IN_AFTER_MINUTES, validators=[MaxValueValidator(240)]
    )

    class Meta:
        verbose_name = verbose_name_plural = "大厅预约设置"
        ordering = ["hall"]

    def __str__(self) -> str:
        return f"{self.hall}预约设置"

    def clean(self) -> None:
        try:
            rules.periods_parse(self.periods)
        except ValueError as error:
            raise ValidationError({"periods": str(error)}) from None

    @property
    def period_list(self) -> tuple[rules.Period, ...]:
        return rules.periods_parse(self.periods)


class SlotCounter(TimeStampedModel):
    """Places of one item in one slot of one hall: `booked` only moves through a conditional
    `UPDATE … SET booked = booked + 1 WHERE booked < capacity`, so it never exceeds `capacity`."""

    hall = models.ForeignKey(
        "organization.ServiceHall", verbose_name="大厅", on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name="事项", on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField("日期")
    slot_start = models.TimeField("开始时间")
    slot_end = models.TimeField("结束时间")
    capacity = models.PositiveIntegerField("可约数")
    booked = models.PositiveIntegerField("已约数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "预约时段计数"
        ordering = ["hall", "item", "date", "slot_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "item", "date", "slot_start"], name="slot_counter_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")), name="slot_counter_not_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.slot_start:%H:%M} {self.booked}/{self.capacity}"

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)


class AppointmentSequence(models.Model):
    """The daily counter behind appointment numbers (one row per hall and appointment date)."""

    prefix = models.CharField("前缀", max_length=32)
    day = models.DateField("日期")
    last = models.PositiveIntegerField("当前序号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "预约编号序列"
        ordering = ["prefix", "day"]
        constraints = [
            models.UniqueConstraint(fields=["prefix", "day"], name="appointment_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.day} {self.last}"


class Appointment(TimeStampedModel):
    """One booking of one slot for one item at one hall. Only the name and a mobile number are kept
    (for the reminder and the kiosk); both are shown masked, and the phone is encrypted at rest."""

    number = models.CharField("预约号", max_length=40, unique=True)
    hall = models.ForeignKey(
        "organization.ServiceHall", verbose_name="大厅", on_delete=models.PROTECT, related_name="appointments"
    )
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name="事项", on_delete=models.PROTECT, related_name="appointments"
    )
    date = models.DateField("预约日期")
    slot_start = models.TimeField("开始时间")
    slot_end = models.TimeField("结束时间")
    starts_at = models.DateTimeField("开始时刻")
    ends_at = models.DateTimeField("结束时刻")
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="预约人账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="代约工作人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField("姓名", max_length=64)
    phone = EncryptedTextField("手机号码", max_length=32)  # encrypted at rest (zhengwu.common.pii)
    phone_index = BlindIndexField(source="phone", kind=PHONE)
    channel = models.CharField("预约渠道", max_length=16, choices=Channel.choices)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.BOOKED)
    queue_ticket = models.ForeignKey(
        "queueing.QueueTicket",
        verbose_name="排队号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    reminded_at = models.DateTimeField("提醒时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    no_show_at = models.DateTimeField("记爽约时间", null=True, blank=True)

    objects = EncryptedQuerySet.as_manager()  # .matching(phone=…): exact search by the blind index

    class Meta:
        verbose_name = verbose_name_plural = "预约"
        ordering = ["date", "slot_start", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "date", "phone_index"],
                condition=models.Q(status__in=ACTIVE_STATUSES),
                name="appointment_one_active_per_person_item_day",
            ),
        ]
        indexes = [
            models.Index(fields=["hall", "date", "status"], name="appointment_hall_day"),
            models.Index(fields=["status", "ends_at"], name="appointment_status_end"),
            models.Index(fields=["citizen", "status"], name="appointment_citizen_status"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def slot_label(self) -> str:
        return f"{self.slot_start:%H:%M}-{self.slot_end:%H:%M}"

    def can_cancel(self, now: dt.datetime) -> bool:
        return self.status == Status.BOOKED and now < self.starts_at


class BookingBlock(TimeStampedModel):
    """Online booking refused to a citizen from `blocked_from` until the day before `blocked_until`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="booking_blocks"
    )
    blocked_from = models.DateField("限制开始日期")
    blocked_until = models.DateField("限制解除日期", help_text="当天起可再次网上预约。")
    reason = models.CharField("原因", max_length=255)
    no_shows = models.PositiveSmallIntegerField("爽约次数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "预约限制"
        ordering = ["user", "-blocked_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(blocked_until__gt=models.F("blocked_from")), name="booking_block_range"
            ),
        ]
        indexes = [models.Index(fields=["user", "blocked_until"], name="booking_block_user_until")]

    def __str__(self) -> str:
        return f"{self.user} {self.blocked_from}–{self.blocked_until}"
