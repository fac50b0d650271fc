"""Dictionaries of smart guidance. The keys of `Effect` are those of `zhengwu.domain.guidance_rules`."""

from django.db import models


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选"
    MULTIPLE = "multiple", "多选"


class Effect(models.TextChoices):
    ADD_MATERIAL = "add_material", "增加材料"
    DROP_MATERIAL = "drop_material", "免交材料"
    ADD_CONDITION = "add_condition", "增加受理条件"
    ADD_FEE = "add_fee", "增加收费说明"
    REPLACE_FEE = "replace_fee", "替换收费说明"
    SET_LIMIT = "set_limit", "调整承诺时限"
    ROUTE = "route", "转至其他事项"


class NoticeChannel(models.TextChoices):
    PORTAL = "portal", "网上导办"
    WINDOW = "window", "窗口导办"
