"""Choices of appointments (预约): channel and status."""

from __future__ import annotations

from django.db import models


class Channel(models.TextChoices):
    ONLINE = "online", "网上预约"
    HALL = "hall", "现场/电话预约"


class Status(models.TextChoices):
    BOOKED = "booked", "已预约"
    CANCELLED = "cancelled", "已取消"
    CHECKED_IN = "checked_in", "已签到"
    NO_SHOW = "no_show", "爽约"
    SERVED = "served", "已办理"


# A person holds at most one of these per item and day.
ACTIVE_STATUSES = (Status.BOOKED, Status.CHECKED_IN, Status.SERVED)
# Kept (履约): checked in at the hall, whether or not the service has been completed yet.
KEPT_STATUSES = (Status.CHECKED_IN, Status.SERVED)
