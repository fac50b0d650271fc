from django.db import models


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", "节假日"
    MAKEUP_WORKDAY = "makeup_workday", "调休上班日"


class CalendarEditAction(models.TextChoices):
    SET = "set", "设置"
    DELETE = "delete", "删除"
