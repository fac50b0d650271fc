from django.db import models

from zhengwu.domain.scoring import MANUAL_KIND_LABELS, ManualKind


class UnitKind(models.TextChoices):
    """What an assessment ranks: county-level regions (区县、功能区) or departments."""

    REGION = "region", "区县（区划）"
    DEPARTMENT = "department", "部门"


class EntryStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "已退回"


EntryKind = models.TextChoices("EntryKind", [(k.name, (k.value, MANUAL_KIND_LABELS[k])) for k in ManualKind])


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
