"""Dictionaries of bundles (一件事)."""

from django.db import models

from zhengwu.domain.bundle_rules import BUNDLE_STATUS_LABELS
from zhengwu.domain.bundle_rules import BundleStatus as _BundleStatus

BundleStatus = models.TextChoices(
    "BundleStatus", [(s.name, (s.value, BUNDLE_STATUS_LABELS[s])) for s in _BundleStatus]
)


class BundleQuestionKind(models.TextChoices):
    SINGLE = "single", "单选"
    MULTIPLE = "multiple", "多选"


class BundleKind(models.TextChoices):
    """What kind of 一件事: the two the assessment schemes time end to end have their own kind."""

    GENERAL = "general", "一般一件事"
    BUSINESS_STARTUP = "business_startup", "企业开办"
    CONSTRUCTION = "construction", "工程建设项目审批"
