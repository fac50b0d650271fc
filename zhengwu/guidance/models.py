"""Smart guidance (智能导办): the situation questions of an item version and the rules they drive.

- `Question` / `Option`: the situations of one `ItemVersion` (经营场所性质: 自有 / 租赁 …). An option is
  named in rules by its full key "<question.key>.<option.key>", unique within the version. A question
  may be shown only when an option of an earlier question is chosen (`depends_on`).
- `Rule`: one row of a decision table, data not code. It fires when every option key of `when` is
  chosen (AND; several rows give OR) and has one effect: add or drop a material (named as in the
  version's `catalog.Material` rows, because names survive a 变更 that copies rows and a rule set is
  shared by items), add a condition text, add or replace a fee text, set the promised limit in working
  days, or route the applicant to another item (`target_code` = its implementation code).
- `RuleSet`: named rules reusable across items (委托代理人, 网络经营 …), linked to versions (M2M). A
  version's own rules have `version` set instead of `rule_set`.
- `GuidanceNotice`: a 一次性告知单 printed from one answer set: numbered, dated, with the answers and
  a snapshot of the result, so it reads the same later and can be carried into an application.

Like the rest of a version, guidance is edited on drafts only (services check `is_editable`); the
evaluation itself is the pure `zhengwu.domain.guidance_rules`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengwu.common.models import TimeStampedModel
from zhengwu.guidance import choices as c


class Question(TimeStampedModel):
    """A situation question on one item version."""

    version = models.ForeignKey(
        "catalog.ItemVersion",
        verbose_name="事项版本",
        on_delete=models.CASCADE,
        related_name="guidance_questions",
    )
    key = models.SlugField("标识", max_length=32, help_text="英文字母、数字、下划线，版本内唯一，如 premises")
    text = models.CharField("问题", max_length=128)
    kind = models.CharField(
        "题型", max_length=16, choices=c.QuestionKind.choices, default=c.QuestionKind.SINGLE
    )
    help = models.CharField("填写说明", max_length=255, blank=True)
    depends_on = models.ForeignKey(
        "Option",
        verbose_name="显示条件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dependent_questions",
        help_text="选中前面某个问题的该选项时才显示本问题；留空为始终显示",
    )
    sort_order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "导办问题"
        ordering = ["version", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="guidance_question_unique_key"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def multiple(self) -> bool:
        return self.kind == c.QuestionKind.MULTIPLE


class Option(TimeStampedModel):
    """One answer of a question; rules name it as "<question key>.<option key>"."""

    question = models.ForeignKey(
        Question, verbose_name="问题", on_delete=models.CASCADE, related_name="options"
    )
    key = models.SlugField("标识", max_length=32, help_text="问题内唯一，如 rented")
    label = models.CharField("选项", max_length=128)
    sort_order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "导办选项"
        ordering = ["question", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="guidance_option_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.question.text}：{self.label}"

    @property
    def full_key(self) -> str:
        return f"{self.question.key}.{self.key}"


class RuleSet(TimeStampedModel):
    """Named rules shared by several item versions (frozen once a linked version is published)."""

    name = models.CharField("名称", max_length=64, unique=True)
    description = models.TextField("说明", blank=True)
    versions = models.ManyToManyField(
        "catalog.ItemVersion", verbose_name="适用事项版本", blank=True, related_name="guidance_rule_sets"
    )

    class Meta:
        verbose_name = verbose_name_plural = "导办规则集"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Rule(TimeStampedModel):
    """One row of a decision table: when every option in `when` is chosen, apply `effect`."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name="规则集", null=True, blank=True, on_delete=models.CASCADE, related_name="rules"
    )
    version = models.ForeignKey(
        "catalog.ItemVersion",
        verbose_name="事项版本",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="guidance_rules",
    )
    when = models.JSONField(
        "条件", default=list, help_text='须同时选中的选项标识列表，如 ["premises.rented"]'
    )
    effect = models.CharField("效果", max_length=16, choices=c.Effect.choices)
    material_name = models.CharField("材料名称", max_length=255, blank=True)
    text = models.CharField("内容", max_length=500, blank=True, help_text="条件、收费说明或转办提示")
    limit = models.PositiveSmallIntegerField("承诺时限（工作日）", null=True, blank=True)
    target_code = models.CharField("转办事项实施编码", max_length=64, blank=True)
    sort_order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "导办规则"
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(rule_set__isnull=False, version__isnull=True)
                    | models.Q(rule_set__isnull=True, version__isnull=False)
                ),
                name="guidance_rule_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{'+'.join(self.when)} → {self.get_effect_display()}"


class NoticeSequence(models.Model):
    """The last notice number handed out per region prefix and day (incremented under a row lock)."""

    prefix = models.CharField("编号前缀", max_length=16)
    day = models.DateField("日期")
    last = models.PositiveIntegerField("末号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "告知单编号序列"
        ordering = ["prefix", "day"]
        constraints = [
            models.UniqueConstraint(fields=["prefix", "day"], name="guidance_notice_sequence_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.day:%Y%m%d}:{self.last}"


class GuidanceNotice(TimeStampedModel):
    """一次性告知单: the result of one answer set, numbered GD-<region6>-<YYYYMMDD>-<seq>."""

    number = models.CharField("告知单编号", max_length=40, unique=True)
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name="事项", on_delete=models.PROTECT, related_name="guidance_notices"
    )
    version = models.ForeignKey(
        "catalog.ItemVersion",
        verbose_name="事项版本",
        on_delete=models.PROTECT,
        related_name="guidance_notices",
    )
    issued_on = models.DateField("告知日期")
    channel = models.CharField("渠道", max_length=16, choices=c.NoticeChannel.choices)
    answers = models.JSONField("回答", default=dict, help_text="问题标识 → 选项标识列表")
    snapshot = models.JSONField("导办结果", default=dict)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "一次性告知单"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number
