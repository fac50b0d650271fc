"""Choices of the hall queue; values and labels come from `zhengwu.domain.queueing`."""

from django.db import models

from zhengwu.domain.queueing import ACTION_LABELS, PRIORITY_LABELS, STATUS_LABELS, Action, Priority, Status

TicketPriority = models.TextChoices(
    "TicketPriority", [(p.name, (p.value, PRIORITY_LABELS[p])) for p in Priority]
)
TicketStatus = models.TextChoices("TicketStatus", [(s.name, (s.value, STATUS_LABELS[s])) for s in Status])
TicketAction = models.TextChoices(
    "TicketAction",
    [(a.name, (a.value, ACTION_LABELS[a])) for a in Action]
    + [("ISSUE", ("issue", "取号")), ("LINK_CASE", ("link_case", "关联办件"))],
)


class TicketSource(models.TextChoices):
    KIOSK = "kiosk", "大厅取号机"
    PHONE = "phone", "扫码取号"
    APPOINTMENT = "appointment", "预约签到"
    STAFF = "staff", "工作人员代取"
