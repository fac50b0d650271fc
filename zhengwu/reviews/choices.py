"""Choices of 好差评 (DOMAIN §6): grades, channels, service kinds, dimension sets, call-back results."""

from __future__ import annotations

from django.db import models

from zhengwu.domain.review_flow import ACTION_LABELS, STATE_LABELS, Action, State

RectificationState = models.TextChoices(
    "RectificationState", [(s.name, (s.value, STATE_LABELS[s])) for s in State]
)
RectificationAction = models.TextChoices(
    "RectificationAction",
    [(a.name, (a.value, ACTION_LABELS[a])) for a in Action]
    + [
        ("OPEN", ("open", "差评转办")),
        ("EVIDENCE", ("evidence", "上传整改佐证")),
        ("WARN", ("warn", "整改预警")),
    ],
)


class Grade(models.IntegerChoices):
    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    BASICALLY_SATISFIED = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "非常不满意"


BAD_GRADES = (1, 2)  # 差评
GOOD_GRADES = (3, 4, 5)  # 好评 (default: 5 + 4 + 3)


class Channel(models.TextChoices):
    WEB = "web", "网上办事大厅"
    APP = "app", "移动端"
    MINI_PROGRAM = "mini_program", "小程序"
    QR = "qr", "二维码"
    HALL_DEVICE = "hall_device", "窗口评价器"
    KIOSK = "kiosk", "自助终端"
    HOTLINE = "hotline", "12345热线"
    SMS = "sms", "短信"
    PAPER = "paper", "纸质评价表"


class ServiceKind(models.TextChoices):
    """一事一评 reviews a case as a whole (online or by invitation); 一次一评 one visit to a window."""

    CASE = "case", "一事一评（办件）"
    VISIT = "visit", "一次一评（现场）"


class DimensionSet(models.TextChoices):
    ONLINE = "online", "网上服务"
    OFFLINE = "offline", "现场服务"


# The nationally unified dimensions (DOMAIN §6), version 1; overall is the grade itself.
DIMENSIONS_VERSION = 1
DIMENSIONS: dict[str, dict[str, str]] = {
    DimensionSet.ONLINE: {
        "efficiency": "办事效率",
        "guide_accuracy": "办事指南精确度",
        "convenience": "办事便捷度",
        "usability": "平台操作性",
    },
    DimensionSet.OFFLINE: {
        "efficiency": "服务效率",
        "competence": "服务水平",
        "attitude": "服务态度",
    },
}


class CallbackResult(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"
    UNREACHABLE = "unreachable", "联系不上"


SATISFIED_CALLBACKS = (CallbackResult.SATISFIED, CallbackResult.BASICALLY_SATISFIED)


class WarningLevel(models.TextChoices):
    NONE = "none", "正常"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已超期"
