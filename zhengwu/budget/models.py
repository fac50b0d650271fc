"""Budget project performance (预算项目绩效, DOMAIN §9): projects with their spending plan and spending,
the indicator tree with targets, monitoring snapshots (双监控) and the year-end self-evaluation (绩效自评).

- `Project`: one department's budget project of one year (项目编码 is unique per year).
- `SpendingCheckpoint`: a date of the spending plan with its cumulative planned %.
- `SpendingEntry`: money spent (date, amount, voucher).
- `Indicator`: a node of the indicator tree (一级 → 二级 → 三级). A level-3 indicator carries operator,
  target, unit, basis, optional weight (points) and optional `metric_code` binding it to a platform
  metric of the project's department (its actual is then computed, never typed in).
- `Monitoring` + `IndicatorActual`: a snapshot at a date: spending vs plan and each indicator's actual,
  with warnings, cause and corrective measures.
- `SelfEvaluation`: the year-end scoring of a project (draft → submitted → final). `inputs` holds what
  people decided (manual actuals with evidence, qualitative tiers, N/A); `result` the scored trace.

Roles (no finance role exists yet): a department head (DEPT_HEAD) submits the self-evaluation and a
supervisor (SUPERVISOR) reviews it as the finance side.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from zhengwu.common.models import TimeStampedModel
from zhengwu.domain import budget as db


class Operator(models.TextChoices):
    EQ = "=", "="
    GE = "≥", "≥"
    LE = "≤", "≤"
    GT = ">", ">"
    LT = "<", "<"
    QUALITATIVE = "qualitative", "定性"


class Alert(models.TextChoices):
    NONE = "", "正常"
    YELLOW = "yellow", "黄色预警"
    RED = "red", "红色预警"


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    FINAL = "final", "已审核"


class Project(TimeStampedModel):
    """A budget project (预算项目) of a department and year."""

    department = models.ForeignKey(
        "organization.Department",
        verbose_name="预算单位",
        on_delete=models.PROTECT,
        related_name="budget_projects",
    )
    code = models.CharField("项目编码", max_length=64)
    name = models.CharField("项目名称", max_length=200)
    year = models.PositiveIntegerField("年度")
    fiscal_funds = models.DecimalField("财政资金（元）", max_digits=16, decimal_places=2, default=Decimal(0))
    other_funds = models.DecimalField("其他资金（元）", max_digits=16, decimal_places=2, default=Decimal(0))
    adjusted_budget = models.DecimalField(
        "调整后预算数（元）", max_digits=16, decimal_places=2, null=True, blank=True, help_text="空：按预算数"
    )
    purpose = models.TextField("资金用途", blank=True)
    goal = models.TextField("绩效目标", blank=True)
    yellow_points = models.DecimalField(
        "黄色预警偏差（百分点）", max_digits=5, decimal_places=2, default=Decimal(10)
    )
    red_points = models.DecimalField(
        "红色预警偏差（百分点）", max_digits=5, decimal_places=2, default=Decimal(20)
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "预算项目"
        ordering = ["-year", "department_id", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="budget_project_code_year")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}，{self.year}）"

    @property
    def budget(self) -> Decimal:
        return self.fiscal_funds + self.other_funds

    @property
    def effective_budget(self) -> Decimal:
        return self.adjusted_budget if self.adjusted_budget is not None else self.budget


class SpendingCheckpoint(TimeStampedModel):
    """A checkpoint of the spending plan (资金支出计划): cumulative planned % by a date."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="checkpoints")
    date = models.DateField("节点日期")
    planned_percent = models.DecimalField("累计计划支出比例（%）", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "资金支出计划节点"
        ordering = ["project_id", "date"]
        constraints = [
            models.UniqueConstraint(fields=["project", "date"], name="budget_checkpoint_project_date")
        ]


class SpendingEntry(TimeStampedModel):
    """Money spent on a project (支出记录)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="spending")
    date = models.DateField("支出日期")
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    voucher = models.CharField("凭证号", max_length=64, blank=True)
    note = models.CharField("摘要", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "支出记录"
        ordering = ["project_id", "date", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="budget_spending_positive")
        ]


class Indicator(TimeStampedModel):
    """A node of the indicator tree; level 3 is the scored indicator."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.PositiveSmallIntegerField("级次")
    name = models.CharField("指标名称", max_length=200)
    order = models.PositiveIntegerField("顺序", default=0)
    description = models.CharField("绩效指标描述", max_length=500, blank=True)
    operator = models.CharField("比较方式", max_length=16, choices=Operator.choices, blank=True)
    target_value = models.DecimalField("指标值", max_digits=16, decimal_places=4, null=True, blank=True)
    target_text = models.CharField("指标值（原文）", max_length=100, blank=True)
    unit = models.CharField("计量单位", max_length=16, blank=True)
    basis = models.CharField("指标值确定依据", max_length=500, blank=True)
    weight = models.DecimalField("分值", max_digits=6, decimal_places=2, null=True, blank=True)
    metric_code = models.CharField("绑定平台指标", max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "绩效指标"
        ordering = ["project_id", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__in=[1, 2, 3]), name="budget_indicator_level"),
            models.UniqueConstraint(
                fields=["project", "parent", "name"], name="budget_indicator_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def block(self) -> str:
        """The name of the 一级 indicator above (or of this one)."""
        node = self
        while node.parent is not None:
            node = node.parent
        return node.name

    @property
    def target_display(self) -> str:
        if self.target_text:
            return self.target_text
        if self.operator == Operator.QUALITATIVE or self.target_value is None:
            return ""
        return f"{self.operator}{self.target_value.normalize():f}{self.unit}"

    def domain_operator(self) -> db.Operator:
        return db.Operator(self.operator or db.Operator.QUALITATIVE)


class Monitoring(TimeStampedModel):
    """A monitoring snapshot (双监控) of a project at a date."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="monitorings")
    date = models.DateField("监控日期")
    spent = models.DecimalField("累计支出（元）", max_digits=16, decimal_places=2)
    planned_percent = models.DecimalField("累计计划支出比例（%）", max_digits=5, decimal_places=2)
    actual_percent = models.DecimalField("累计实际支出比例（%）", max_digits=7, decimal_places=2, null=True)
    alert = models.CharField("执行预警", max_length=8, choices=Alert.choices, blank=True)
    cause = models.TextField("偏差原因", blank=True)
    measures = models.TextField("纠偏措施", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="监控人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "绩效运行监控"
        ordering = ["project_id", "date"]
        constraints = [
            models.UniqueConstraint(fields=["project", "date"], name="budget_monitoring_project_date")
        ]


class IndicatorActual(TimeStampedModel):
    """One indicator's actual value in a monitoring snapshot: computed from a bound metric or typed in with
    evidence."""

    monitoring = models.ForeignKey(Monitoring, on_delete=models.CASCADE, related_name="actuals")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    value = models.DecimalField("实际完成值", max_digits=16, decimal_places=4, null=True, blank=True)
    computed = models.BooleanField("平台计算", default=False)
    evidence = models.TextField("佐证", blank=True)
    alert = models.CharField("偏差预警", max_length=8, choices=Alert.choices, blank=True)
    cause = models.TextField("偏差原因", blank=True)
    measures = models.TextField("改进措施", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "指标完成值"
        ordering = ["monitoring_id", "indicator__order", "indicator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["monitoring", "indicator"], name="budget_actual_monitoring_indicator"
            )
        ]


class SelfEvaluation(TimeStampedModel):
    """The year-end self-evaluation (绩效自评) of a project."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="self_evaluation")
    status = models.CharField(
        "状态", max_length=16, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    inputs = models.JSONField("评分输入", default=dict, blank=True)
    result = models.JSONField("评分结果", default=dict, blank=True)
    total = models.DecimalField("总分", max_digits=6, decimal_places=2, null=True)
    grade = models.CharField("等级", max_length=4, blank=True)
    explanation = models.TextField("执行率偏低说明", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "绩效自评"
        ordering = ["project_id"]
