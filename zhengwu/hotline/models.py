"""12345 tickets (工单), their journal, the dispatch catalogue (派单目录), the centres and the knowledge base.

Only `zhengwu.hotline.services` writes these tables. A ticket's status moves through the table of
`zhengwu.domain.hotline_flow`, guarded by `version`; its sign-for and finish due moments come from
`zhengwu.domain.sla` at each (re-)dispatch and are materialised here for indexing. Two self-links:
`parent` (并单, a duplicate attached to its master) and `split_parent` (拆单, one child per department
of an appeal that concerns several).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengwu.common.models import AppendOnly, StoredFile, TimeStampedModel
from zhengwu.common.pii import PHONE, BlindIndexField, EncryptedQuerySet, EncryptedTextField
from zhengwu.hotline import choices as c


class TicketSequence(models.Model):
    """The last ticket number handed out per region code and day (row-locked when incremented)."""

    prefix = models.CharField("编号前缀", max_length=32)
    day = models.DateField("日期")
    last = models.PositiveIntegerField("末号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "工单编号序列"
        ordering = ["prefix", "day"]
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="hotline_sequence_unique_day")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.day:%Y%m%d}:{self.last}"


class HotlineCentre(TimeStampedModel):
    """The department that runs 12345 for a region (and the regions below): its staff are the agents
    and dispatchers of every ticket of that subtree."""

    region = models.OneToOneField(
        "organization.Region",
        verbose_name="服务区划",
        on_delete=models.PROTECT,
        related_name="hotline_centre",
    )
    department = models.ForeignKey(
        "organization.Department", verbose_name="热线中心", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "12345热线中心"
        ordering = ["region__path"]

    def __str__(self) -> str:
        return f"{self.region} · {self.department}"


class DispatchRule(TimeStampedModel):
    """One line of the 派单目录: a topic in a region goes to a department (built from 三定 and 权责清单)."""

    topic = models.CharField("诉求主题", max_length=64)
    keywords = models.CharField("关键词", max_length=255, blank=True, help_text="以空格分隔，命中即建议")
    region = models.ForeignKey(
        "organization.Region", verbose_name="区划", on_delete=models.CASCADE, related_name="dispatch_rules"
    )
    department = models.ForeignKey(
        "organization.Department", verbose_name="承办单位", on_delete=models.CASCADE, related_name="+"
    )
    basis = models.CharField("依据", max_length=255, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "派单目录"
        ordering = ["region__path", "topic"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "region"], name="dispatch_rule_unique_topic_region"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} → {self.department}"


class KnowledgeArticle(TimeStampedModel):
    """A knowledge-base answer agents read out to answer a call directly (直办)."""

    title = models.CharField("标题", max_length=128)
    keywords = models.CharField("关键词", max_length=255, blank=True)
    answer = models.TextField("答复口径")
    department = models.ForeignKey(
        "organization.Department",
        verbose_name="提供单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name="关联事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_published = models.BooleanField("已发布", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "知识库"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Ticket(TimeStampedModel):
    """One appeal (诉求) to 12345: by phone, web, the mayor's mailbox or the API."""

    number = models.CharField("工单编号", max_length=40, unique=True)
    query_code = models.CharField("查询码", max_length=8)
    channel = models.CharField("渠道", max_length=16, choices=c.Channel.choices)
    category = models.CharField("类别", max_length=16, choices=c.Category.choices)
    urgency = models.CharField("紧急程度", max_length=16, choices=c.Urgency.choices, default="normal")
    is_complex = models.BooleanField("复杂件", default=False)
    complex_reason = models.CharField("复杂件理由", max_length=255, blank=True)
    topic = models.CharField("诉求主题", max_length=64, blank=True)
    title = models.CharField("标题", max_length=128)
    content = models.TextField("诉求内容")
    region = models.ForeignKey(
        "organization.Region", verbose_name="诉求区划", on_delete=models.PROTECT, related_name="tickets"
    )
    location = models.CharField("诉求地点", max_length=255, blank=True)
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name="关联事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    caller_name = models.CharField("来电人", max_length=64, blank=True)
    caller_phone = EncryptedTextField("联系电话", max_length=32, blank=True)  # zhengwu.common.pii
    caller_phone_index = BlindIndexField(source="caller_phone", kind=PHONE)
    confidential = models.BooleanField("要求保密", default=False, help_text="承办单位看不到来电人身份")
    call_back_declined = models.BooleanField("不需要回访", default=False)
    status = models.CharField("状态", max_length=16, choices=c.TicketStatus.choices, default="received")
    version = models.PositiveIntegerField("版本", default=0)
    received_at = models.DateTimeField("受理时间")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="受理坐席",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    department = models.ForeignKey(
        "organization.Department",
        verbose_name="承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    dispatched_at = models.DateTimeField("派单时间", null=True, blank=True)
    first_dispatched_at = models.DateTimeField("首次派单时间", null=True, blank=True)
    sign_due_at = models.DateTimeField("签收时限", null=True, blank=True)
    finish_due_at = models.DateTimeField("办结时限", null=True, blank=True)
    due_by_date = models.BooleanField("按工作日计", default=True)
    due_provisional = models.BooleanField("预计时限", default=False)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    reply = models.TextField("答复内容", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    return_reason = models.CharField("退单理由", max_length=16, choices=c.ReturnReason.choices, blank=True)
    return_note = models.TextField("退单说明", blank=True)
    return_count = models.PositiveSmallIntegerField("退单次数", default=0)
    extension_state = models.CharField(
        "延期", max_length=16, choices=c.ExtensionState.choices, blank=True, default=""
    )
    extension_amount = models.PositiveIntegerField(
        "延期时长", default=0, help_text="工作日或分钟，与时限单位相同"
    )
    extension_reason = models.TextField("延期理由", blank=True)
    redo_count = models.PositiveSmallIntegerField("重办次数", default=0)
    chase_level = models.CharField("督办", max_length=16, choices=c.ChaseLevel.choices, default="none")
    sign_overdue = models.BooleanField("签收超期", default=False)
    finish_overdue = models.BooleanField("办结超期", default=False)
    parent = models.ForeignKey(
        "self",
        verbose_name="并入主单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_children",
    )
    split_parent = models.ForeignKey(
        "self",
        verbose_name="拆自主单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="split_children",
        help_text="拆单：按部门拆出的子单指向来电人的主单，主单在全部子单答复后汇总答复、统一回访",
    )
    called_back_at = models.DateTimeField("回访时间", null=True, blank=True)
    satisfaction = models.CharField("满意度", max_length=16, choices=c.Satisfaction.choices, blank=True)
    resolved = models.BooleanField("已解决", null=True, blank=True)
    call_back_note = models.TextField("回访记录", blank=True)
    evaluation = models.CharField("评价", max_length=255, blank=True)
    publish_consent = models.BooleanField(
        "同意公开", default=False, help_text="市长信箱：写信人同意公开来信和答复"
    )
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    faq_published = models.BooleanField(
        "作为常见问题公开", default=False, help_text="网上咨询：答复后由热线中心审核公开在事项指南页"
    )

    objects = EncryptedQuerySet.as_manager()  # .matching(caller_phone=…): exact search by blind index

    class Meta:
        verbose_name = verbose_name_plural = "12345工单"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status"], name="ticket_department_status"),
            models.Index(fields=["status", "finish_due_at"], name="ticket_status_finish_due"),
            models.Index(fields=["region", "received_at"], name="ticket_region_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_complex=False) | ~models.Q(complex_reason=""),
                name="ticket_complex_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class TicketEvent(AppendOnly, models.Model):
    """An immutable journal entry: who did what, when, from which status to which, and why."""

    ticket = models.ForeignKey(Ticket, verbose_name="工单", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("动作", max_length=32, choices=c.TicketAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField("操作人", max_length=64)
    department = models.ForeignKey(
        "organization.Department",
        verbose_name="当时承办单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间")
    from_status = models.CharField("原状态", max_length=16, blank=True)
    to_status = models.CharField("新状态", max_length=16, blank=True)
    comment = models.TextField("意见", blank=True)
    data = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "工单记录"
        ordering = ["ticket", "at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket} {self.get_action_display()}"


class TicketFile(StoredFile):
    """A file attached to a ticket (the caller's photos, the unit's proof of the fix), stored privately
    by checksum (see `common.filestore`). Files are appeal content, not caller identity: the handling
    unit sees them even on a confidential ticket. Written only by `services.ticket_file_add`."""

    ticket = models.ForeignKey(Ticket, verbose_name="工单", on_delete=models.CASCADE, related_name="files")

    class Meta:
        verbose_name = verbose_name_plural = "工单附件"
        ordering = ["ticket", "created_at", "id"]

    def __str__(self) -> str:
        return self.original_name
