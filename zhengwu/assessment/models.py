"""Assessment (考核) records: scheme versions, manual entries with their evidence, and evaluation runs.

- `Scheme`: one version of a scheme as uploaded (the YAML text) and as parsed (`scoring.Scheme.to_dict`).
  A version is never edited: a changed scheme is uploaded under a new `version` and becomes the
  active one of its code. Evaluations point at the exact version they were scored with.
- `ManualEntry`: a deduction, bonus, judgement, tier, veto or missing element that one assessor or
  supervisor entered with evidence files and a second, different one approved (two-person rule, also
  a database constraint). Only approved entries reach the engine.
- `Evaluation`: one run of a scheme version over a period and a set of units. The results hold every
  unit's total, rank and per-item trace (`scoring.Evaluation.to_dict`), and `rules` the rule set as
  published with them. A draft may be published once; a published run is frozen (services refuse any
  change and `save` refuses to write it again). A re-run is a new draft linked to the run it repeats,
  holding what changed (`comparison`).

There is no global audit log yet: each row records who did what and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengwu.assessment import choices as c
from zhengwu.common.errors import DomainError
from zhengwu.common.models import TimeStampedModel


class Scheme(TimeStampedModel):
    """One version of an assessment scheme (考核方案)."""

    code = models.CharField("方案编码", max_length=64)
    name = models.CharField("方案名称", max_length=200)
    version = models.CharField("版本", max_length=32)
    revision = models.PositiveIntegerField("上传序号", help_text="同一方案编码下第几次上传（1、2、3…）")
    source_text = models.TextField("方案原文（YAML）")
    parsed = models.JSONField("解析结果", help_text="scoring.Scheme.to_dict()：与考核结果一同发布的规则集")
    is_shipped = models.BooleanField("随系统提供", default=False)
    active = models.BooleanField("现行版本", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "考核方案"
        ordering = ["code", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="assessment_scheme_code_version"),
            models.UniqueConstraint(fields=["code", "revision"], name="assessment_scheme_code_revision"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(active=True), name="assessment_scheme_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code} {self.version}）"


class ManualEntry(TimeStampedModel):
    """A manual deduction, bonus, judgement, tier, veto or missing element for one unit and item,
    entered with evidence by one person and approved by another."""

    scheme_code = models.CharField("方案编码", max_length=64)
    period = models.CharField("考核期间", max_length=32, help_text="期间标签，如 2026、2026-Q3")
    unit_kind = models.CharField("单位类别", max_length=16, choices=c.UnitKind.choices)
    unit_id = models.PositiveBigIntegerField("单位编号")
    unit_name = models.CharField("单位名称", max_length=128)
    item_code = models.CharField("考核项编码", max_length=32)
    rule_code = models.CharField("规则编码", max_length=32, blank=True)
    kind = models.CharField("录入类型", max_length=16, choices=c.EntryKind.choices)
    points = models.DecimalField("分值", max_digits=7, decimal_places=2, null=True, blank=True)
    tier = models.CharField("等次", max_length=16, blank=True)
    count = models.PositiveIntegerField("次数", default=1)
    reason = models.TextField("理由")
    status = models.CharField(
        "状态", max_length=16, choices=c.EntryStatus.choices, default=c.EntryStatus.PENDING
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核人工录入"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reviewed_by__isnull=True) | ~models.Q(reviewed_by=models.F("entered_by")),
                name="assessment_entry_two_person",
            ),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="assessment_entry_count_positive"),
            models.CheckConstraint(
                condition=models.Q(status__in=c.EntryStatus.values), name="assessment_entry_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["scheme_code", "period", "status"], name="assessment_entry_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.item_code} {self.get_kind_display()}"


class EvidenceFile(TimeStampedModel):
    """A file backing a manual entry, kept in the private content-addressed store (`common.filestore`)."""

    entry = models.ForeignKey(
        ManualEntry, verbose_name="人工录入", on_delete=models.PROTECT, related_name="files"
    )
    storage_key = models.CharField("存储键", max_length=80)
    original_name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=8)
    mime = models.CharField("MIME", max_length=100)
    size = models.PositiveIntegerField("大小")

    class Meta:
        verbose_name = verbose_name_plural = "考核佐证材料"
        ordering = ["entry", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def ref(self) -> str:
        """How the engine and the published results cite this file."""
        return f"佐证#{self.pk} {self.original_name}"


class Evaluation(TimeStampedModel):
    """One run of a scheme version over a period and a set of units (draft, then published and frozen)."""

    scheme = models.ForeignKey(
        Scheme, verbose_name="方案版本", on_delete=models.PROTECT, related_name="evaluations"
    )
    period = models.CharField("考核期间", max_length=32)
    period_start = models.DateField("期间开始")
    period_end = models.DateField("期间结束")
    unit_kind = models.CharField("单位类别", max_length=16, choices=c.UnitKind.choices)
    unit_keys = models.JSONField(
        "参评单位", default=list, help_text="单位键（region:12 …），用于数据范围检查"
    )
    status = models.CharField(
        "状态", max_length=16, choices=c.EvaluationStatus.choices, default=c.EvaluationStatus.DRAFT
    )
    results = models.JSONField(
        "考核结果", help_text="scoring.Evaluation.to_dict()：总分、排名、逐项得分与依据"
    )
    rules = models.JSONField("规则集", help_text="scoring.Scheme.to_dict()：与结果一同发布")
    data_notes = models.JSONField(
        "数据说明", default=list, help_text="哪些数据项取自何处、哪些尚无数据（不参评）"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="计算人", on_delete=models.PROTECT, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name="上次计算",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reruns",
    )
    comparison = models.JSONField("与上次比较", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核结果"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft", published_at__isnull=True)
                | models.Q(status="published", published_at__isnull=False, published_by__isnull=False),
                name="assessment_evaluation_published_has_publisher",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name} {self.period}（{self.get_status_display()}）"

    @property
    def is_published(self) -> bool:
        return self.status == c.EvaluationStatus.PUBLISHED

    def save(self, *args, **kwargs):
        """A published run is frozen: it is written once, when it is published, and never again."""
        if (
            self.pk is not None
            and type(self).objects.filter(pk=self.pk, status=c.EvaluationStatus.PUBLISHED).exists()
        ):
            raise DomainError("evaluation_frozen", "考核结果已发布，不能再修改。")
        super().save(*args, **kwargs)
