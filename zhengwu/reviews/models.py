"""好差评 (DOMAIN §6): reviews of a service event, SMS invitations, and the rectification of bad reviews.

Only `zhengwu.reviews.services` writes these tables. A review is voluntary: its grade has no default,
and no staff member enters one for a citizen, except a paper form (`paper_recorded`) typed in by the
staff who received it, marked as such. One review per service event: `visit_key` is unique —
`case:<case id>` for a case (一事一评), `visit:<case id>:<event id>` for one visit at a window (一次一评).
A bad review (grade 1 or 2) opens a `Rectification` with its own working-day clock; an upheld appeal
voids the review (kept, flagged, excluded from every rate).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengwu.common.models import AppendOnly, StoredFile, TimeStampedModel
from zhengwu.reviews import choices as c


class Review(TimeStampedModel):
    """One citizen's rating of one service event (a case, or one visit to a window)."""

    number = models.CharField("评价编号", max_length=24, unique=True)
    kind = models.CharField("评价方式", max_length=8, choices=c.ServiceKind.choices)
    channel = models.CharField("评价渠道", max_length=16, choices=c.Channel.choices)
    visit_key = models.CharField("服务事件", max_length=64, unique=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="办件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name="事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    department = models.ForeignKey(
        "organization.Department", verbose_name="被评部门", on_delete=models.PROTECT, related_name="reviews"
    )
    region = models.ForeignKey(
        "organization.Region", verbose_name="所属区划", on_delete=models.PROTECT, related_name="reviews"
    )
    window = models.ForeignKey(
        "organization.Window",
        verbose_name="窗口",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="被评工作人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews_received",
    )
    grade = models.PositiveSmallIntegerField("总体评价", choices=c.Grade.choices)
    dimension_set = models.CharField("评价维度", max_length=8, choices=c.DimensionSet.choices)
    dimensions_version = models.PositiveSmallIntegerField("维度版本", default=c.DIMENSIONS_VERSION)
    scores = models.JSONField("分项评价", default=dict, blank=True)
    comment = models.TextField("评价内容", blank=True)
    tags = models.JSONField("标签", default=list, blank=True)
    real_name = models.BooleanField("实名评价")
    reviewer = models.ForeignKey(
        "organization.Applicant",
        verbose_name="评价人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    contact_masked = models.CharField("联系方式（脱敏）", max_length=32, blank=True)
    paper_recorded = models.BooleanField("纸质评价表录入", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews_recorded",
    )
    reviewed_on = models.DateField("评价日期")
    voided = models.BooleanField("已作废（申诉成立）", default=False)
    void_reason = models.CharField("作废理由", max_length=255, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "好差评"
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade__gte=1, grade__lte=5), name="review_grade_1_to_5"
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(kind="case"),
                name="review_one_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(paper_recorded=False)
                | models.Q(channel="paper", recorded_by__isnull=False),
                name="review_paper_marked",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "reviewed_on"], name="review_department_day"),
            models.Index(fields=["window", "reviewed_on"], name="review_window_day"),
            models.Index(fields=["region", "reviewed_on"], name="review_region_day"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_bad(self) -> bool:
        return self.grade in c.BAD_GRADES


class ReviewInvitation(TimeStampedModel):
    """The SMS inviting the applicant of a concluded case to rate it; the link's token is stored hashed."""

    case = models.OneToOneField(
        "cases.Case", verbose_name="办件", on_delete=models.CASCADE, related_name="review_invitation"
    )
    token_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    channel = models.CharField("发送渠道", max_length=16, default=c.Channel.SMS)
    phone_masked = models.CharField("手机号（脱敏）", max_length=32, blank=True)
    message = models.TextField("短信内容（不含链接令牌）")
    sent_at = models.DateTimeField("发送时间")
    reminder_at = models.DateTimeField("提醒时间", null=True, blank=True)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    expires_at = models.DateTimeField("失效时间")

    class Meta:
        verbose_name = verbose_name_plural = "评价邀请"
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["reminder_at", "sent_at"], name="invitation_reminder")]

    def __str__(self) -> str:
        return f"{self.case} {self.sent_at:%Y-%m-%d}"


class Rectification(TimeStampedModel):
    """The rectification of one bad review by the handling unit (谁办理、谁负责), on its own clock."""

    review = models.OneToOneField(
        Review, verbose_name="差评", on_delete=models.PROTECT, related_name="rectification"
    )
    department = models.ForeignKey(
        "organization.Department",
        verbose_name="整改单位",
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    state = models.CharField(
        "状态", max_length=16, choices=c.RectificationState.choices, default=c.RectificationState.RECEIVED
    )
    version = models.PositiveIntegerField("并发版本", default=0)
    start_date = models.DateField("起算日（第0日）")
    budget = models.PositiveIntegerField("整改时限（工作日）")
    due_date = models.DateField("整改期限")
    provisional = models.BooleanField("预计日期", default=False)
    warning = models.CharField(
        "预警", max_length=16, choices=c.WarningLevel.choices, default=c.WarningLevel.NONE
    )
    overdue = models.BooleanField("超期", default=False)
    measures = models.TextField("整改措施", blank=True)
    explanation = models.TextField("解释说明", blank=True)
    answer = models.TextField("反馈评价人内容", blank=True)
    answered_on = models.DateField("反馈日期", null=True, blank=True)
    appeal_reason = models.TextField("申诉理由", blank=True)
    appeal_decision = models.TextField("申诉复核意见", blank=True)
    appeal_upheld = models.BooleanField("申诉成立", null=True, blank=True)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    callback_result = models.CharField(
        "回访结果", max_length=24, choices=c.CallbackResult.choices, blank=True
    )
    callback_note = models.TextField("回访情况", blank=True)
    called_back_on = models.DateField("回访日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "差评整改"
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["department", "state"], name="rectification_dept_state"),
            models.Index(fields=["state", "due_date"], name="rectification_state_due"),
        ]

    def __str__(self) -> str:
        return f"{self.review} {self.get_state_display()}"


class RectificationEvent(AppendOnly, models.Model):
    """An immutable entry of a rectification's history: who did what, when, from which state to which."""

    rectification = models.ForeignKey(
        Rectification, verbose_name="整改", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("动作", max_length=24, choices=c.RectificationAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField("操作人姓名", max_length=64)
    at = models.DateTimeField("时间")
    from_state = models.CharField("原状态", max_length=16, blank=True)
    to_state = models.CharField("新状态", max_length=16, blank=True)
    comment = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "整改记录"
        ordering = ["rectification", "at", "id"]

    def __str__(self) -> str:
        return f"{self.rectification} {self.get_action_display()}"


class RectificationFile(StoredFile):
    """An evidence file of a rectification, stored privately by checksum (`common.filestore`)."""

    rectification = models.ForeignKey(
        Rectification, verbose_name="整改", on_delete=models.CASCADE, related_name="files"
    )

    class Meta:
        verbose_name = verbose_name_plural = "整改佐证"
        ordering = ["rectification", "id"]

    def __str__(self) -> str:
        return self.original_name
