"""Bundles (一件事): several service items applied for together.

- `Bundle`: 我要开餐馆, 新生儿出生一件事 … in one region, with its member items (`BundleMember`) and its
  own questions (`BundleQuestion` / `BundleOption`) whose options select the conditional members.
- A member has a `stage`: stage 1 starts when the bundle is submitted, stage n+1 once every case of
  stage n is granted ("B after A's result"); members of one stage run in parallel. Its `field_map`
  maps fields of the bundle's one application form to the item's form.
- `BundleCase`: one submission, numbered YJS-<region6>-<YYYYMMDD>-<seq>, with a child `Case` per
  selected member (`BundleCaseChild`). The cases app knows nothing of bundles: the link lives here.
  The bundle case's status and due date are derived from the children (`domain/bundle_rules.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhengwu.bundles import choices as c
from zhengwu.cases.choices import Channel
from zhengwu.common.models import TimeStampedModel


class Bundle(TimeStampedModel):
    """一件事: a named group of service items of one region."""

    code = models.SlugField("编码", max_length=64, unique=True, help_text="如 430903-restaurant")
    name = models.CharField("名称", max_length=128)
    description = models.TextField("说明", blank=True)
    region = models.ForeignKey(
        "organization.Region", verbose_name="所属区划", on_delete=models.PROTECT, related_name="bundles"
    )
    kind = models.CharField("类别", max_length=16, choices=c.BundleKind.choices, default=c.BundleKind.GENERAL)
    time_target = models.PositiveSmallIntegerField(
        "总用时目标（工作日）",
        null=True,
        blank=True,
        help_text="从申报到最后一个事项办结的全流程目标，如企业开办 3 个工作日；留空为不设目标",
    )
    active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "一件事"
        ordering = ["region", "sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class BundleStage(TimeStampedModel):
    """A named stage of a bundle (工程建设项目审批: 立项用地规划许可 → 工程建设许可 → 施工许可 → 竣工验收),
    with an optional time target of its own. Members name their stage by `number`; a bundle without
    stage rows simply numbers its stages."""

    bundle = models.ForeignKey(Bundle, verbose_name="一件事", on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField("阶段序号")
    name = models.CharField("阶段名称", max_length=64)
    time_target = models.PositiveSmallIntegerField("阶段用时目标（工作日）", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "一件事阶段"
        ordering = ["bundle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "number"], name="bundle_stage_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="bundle_stage_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.bundle.name}：第{self.number}阶段 {self.name}"


class BundleQuestion(TimeStampedModel):
    """A question of a bundle whose options select members (开办的是否为公共场所？…)."""

    bundle = models.ForeignKey(
        Bundle, verbose_name="一件事", on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField("标识", max_length=32)
    text = models.CharField("问题", max_length=128)
    kind = models.CharField(
        "题型", max_length=16, choices=c.BundleQuestionKind.choices, default=c.BundleQuestionKind.SINGLE
    )
    help = models.CharField("填写说明", max_length=255, blank=True)
    sort_order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "一件事问题"
        ordering = ["bundle", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["bundle", "key"], name="bundle_question_unique_key")]

    def __str__(self) -> str:
        return self.text

    @property
    def multiple(self) -> bool:
        return self.kind == c.BundleQuestionKind.MULTIPLE


class BundleOption(TimeStampedModel):
    """An answer of a bundle question; members name it as "<question key>.<option key>"."""

    question = models.ForeignKey(
        BundleQuestion, verbose_name="问题", on_delete=models.CASCADE, related_name="options"
    )
    key = models.SlugField("标识", max_length=32)
    label = models.CharField("选项", max_length=128)
    sort_order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "一件事选项"
        ordering = ["question", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "key"], name="bundle_option_unique_key")]

    def __str__(self) -> str:
        return f"{self.question.text}：{self.label}"

    @property
    def full_key(self) -> str:
        return f"{self.question.key}.{self.key}"


class BundleMember(TimeStampedModel):
    """One service item of a bundle, in a stage, applying always or when an option is chosen."""

    bundle = models.ForeignKey(
        Bundle, verbose_name="一件事", on_delete=models.CASCADE, related_name="members"
    )
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name="事项", on_delete=models.PROTECT, related_name="bundle_members"
    )
    order = models.PositiveSmallIntegerField("序号", default=0)
    stage = models.PositiveSmallIntegerField(
        "阶段", default=1, help_text="同一阶段并联办理；后一阶段在前一阶段全部准予许可后开始"
    )
    condition = models.CharField(
        "适用条件",
        max_length=65,
        blank=True,
        help_text="选中该选项（“问题标识.选项标识”）时才办理本事项；留空为必办",
    )
    field_map = models.JSONField(
        "申请表字段对应",
        default=dict,
        blank=True,
        help_text="一件事申请表字段 → 本事项申请表字段；未列出的同名传递",
    )

    class Meta:
        verbose_name = verbose_name_plural = "一件事事项"
        ordering = ["bundle", "stage", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "item"], name="bundle_member_unique_item"),
            models.CheckConstraint(condition=models.Q(stage__gte=1), name="bundle_member_stage_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.bundle.name}：{self.item.name}"


class BundleSequence(models.Model):
    """The last bundle case number handed out per region prefix and day (incremented under a row lock)."""

    prefix = models.CharField("编号前缀", max_length=16)
    day = models.DateField("日期")
    last = models.PositiveIntegerField("末号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "一件事编号序列"
        ordering = ["prefix", "day"]
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="bundle_sequence_unique_day")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.day:%Y%m%d}:{self.last}"


class BundleCase(TimeStampedModel):
    """One submission of a bundle: the answers, the members they selected and the child cases."""

    number = models.CharField("一件事编号", max_length=40, unique=True)
    bundle = models.ForeignKey(Bundle, verbose_name="一件事", on_delete=models.PROTECT, related_name="cases")
    applicant = models.ForeignKey(
        "organization.Applicant", verbose_name="申请人", on_delete=models.PROTECT, related_name="bundle_cases"
    )
    applicant_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="网上申报账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bundle_applications",
    )
    channel = models.CharField("申报渠道", max_length=16, choices=Channel.choices)
    submitted_at = models.DateTimeField("申报时间", default=timezone.now)
    finished_on = models.DateField(
        "办结日期", null=True, blank=True, help_text="最后一个子办件办结、且无后续阶段可启动之日"
    )
    used_workdays = models.PositiveIntegerField("全流程用时（工作日）", null=True, blank=True)
    succeeded = models.BooleanField("全部事项获准", null=True, blank=True)
    answers = models.JSONField("回答", default=dict, blank=True, help_text="问题标识 → 选项标识列表")
    form_data = models.JSONField("申请表", default=dict, blank=True)
    members = models.ManyToManyField(BundleMember, verbose_name="办理事项", related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "一件事办件"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["applicant", "created_at"], name="bundle_case_applicant")]

    def __str__(self) -> str:
        return self.number


class BundleCaseChild(TimeStampedModel):
    """A child case of a bundle case, created for one member in its stage."""

    bundle_case = models.ForeignKey(
        BundleCase, verbose_name="一件事办件", on_delete=models.CASCADE, related_name="children"
    )
    case = models.OneToOneField(
        "cases.Case", verbose_name="办件", on_delete=models.PROTECT, related_name="bundle_link"
    )
    member = models.ForeignKey(
        BundleMember, verbose_name="一件事事项", on_delete=models.PROTECT, related_name="+"
    )
    stage = models.PositiveSmallIntegerField("阶段", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "一件事子办件"
        ordering = ["bundle_case", "stage", "member__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bundle_case", "member"], name="bundle_case_child_unique_member")
        ]

    def __str__(self) -> str:
        return f"{self.bundle_case.number} → {self.case.number}"
