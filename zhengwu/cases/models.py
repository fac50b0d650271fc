"""Cases (办件): the application, its materials and files, review steps, clocks, events, cards, certificates.

Only `zhengwu.cases.services` writes these tables. The status of a case changes through the
transition table of `zhengwu.domain.case_flow`, guarded by `version` (optimistic locking), so two
staff acting on the same case at once cannot both win. Clocks keep a budget and a ledger of
segments; their due dates and warning levels are materialised here for indexing and re-derived
from the ledger by `zhengwu.domain.deadlines` on every change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengwu.cases import choices as c
from zhengwu.common.models import AppendOnly, StoredFile, TimeStampedModel
from zhengwu.common.pii import EncryptedTextField


class CaseSequence(models.Model):
    """The last case number handed out per region code and day (row-locked when incremented)."""

    prefix = models.CharField("编号前缀", max_length=32)
    day = models.DateField("日期")
    last = models.PositiveIntegerField("末号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "办件编号序列"
        ordering = ["prefix", "day"]
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="case_sequence_unique_day")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.day:%Y%m%d}:{self.last}"


class Case(TimeStampedModel):
    """One application for one service item, pinned to the item version it was filed under."""

    number = models.CharField("办件编号", max_length=40, unique=True)
    query_code = models.CharField("查询码", max_length=8)
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name="事项", on_delete=models.PROTECT, related_name="cases"
    )
    item_version = models.ForeignKey(
        "catalog.ItemVersion", verbose_name="事项版本", on_delete=models.PROTECT, related_name="cases"
    )
    department = models.ForeignKey(
        "organization.Department", verbose_name="办理部门", on_delete=models.PROTECT, related_name="cases"
    )
    region = models.ForeignKey(
        "organization.Region", verbose_name="所属区划", on_delete=models.PROTECT, related_name="cases"
    )
    intake_department = models.ForeignKey(
        "organization.Department",
        verbose_name="收件部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_cases",
        help_text="窗口收件的部门；跨域通办时为收件地部门，办理部门仍为事项的实施部门",
    )
    intake_region = models.ForeignKey(
        "organization.Region",
        verbose_name="收件地",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_cases",
    )
    cross_region = models.BooleanField("跨域通办", default=False)
    window = models.ForeignKey(
        "organization.Window",
        verbose_name="受理窗口",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    applicant = models.ForeignKey(
        "organization.Applicant", verbose_name="申请人", on_delete=models.PROTECT, related_name="cases"
    )
    applicant_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="网上申报账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    agent_name = models.CharField("代办人姓名", max_length=64, blank=True)
    # Encrypted at rest (zhengwu.common.pii); no blind index: nothing searches by them.
    agent_id_number = EncryptedTextField("代办人证件号码", max_length=18, blank=True)
    agent_phone = EncryptedTextField("代办人电话", max_length=32, blank=True)
    contact_phone = EncryptedTextField("联系电话", max_length=32, blank=True)
    channel = models.CharField("申报渠道", max_length=16, choices=c.Channel.choices)
    case_kind = models.CharField("办件类型", max_length=16)
    form_data = models.JSONField("申请表", default=dict, blank=True)
    status = models.CharField(
        "办件状态", max_length=24, choices=c.CaseStatus.choices, default=c.CaseStatus.DRAFT
    )
    version = models.PositiveIntegerField("并发版本", default=0)
    commitment_mode = models.BooleanField("告知承诺制", default=False)
    deficiency_mode = models.BooleanField("容缺受理", default=False)
    deemed_accepted = models.BooleanField("视为受理", default=False)
    supplement_notice_late = models.BooleanField("补正告知逾期", default=False)
    received_on = models.DateField("收件日期", null=True, blank=True)
    received_at = models.DateTimeField("收件时间", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    finished_at = models.DateTimeField("办结时间", null=True, blank=True)
    used_workdays = models.PositiveIntegerField(
        "实际办理用时（工作日）",
        null=True,
        blank=True,
        help_text="决定时法定（无则承诺）时限已用的工作日，暂停不计；即办件为 0。效能指标据此计算",
    )
    legal_workdays = models.PositiveIntegerField("法定时限（工作日）", null=True, blank=True)
    decision_reason = models.TextField("决定理由", blank=True)
    refusal_reason = models.TextField("不予受理理由", blank=True)
    delivery_mode = models.CharField("送达方式", max_length=16, choices=c.Delivery.choices, blank=True)
    delivery_address = models.CharField("送达地址", max_length=255, blank=True)
    post_check_result = models.CharField(
        "告知承诺核查结果", max_length=16, choices=c.PostCheckResult.choices, blank=True, default=""
    )
    current_step = models.ForeignKey(
        "CaseStep",
        verbose_name="当前环节",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="当前办理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    # Materialised from the clocks for lists and indexes; the ledger is the truth.
    promised_due = models.DateField("承诺办结日期", null=True, blank=True)
    statutory_due = models.DateField("法定办结日期", null=True, blank=True)
    due_provisional = models.BooleanField("预计日期", default=False)
    paused = models.BooleanField("暂停计时", default=False)
    warning = models.CharField(
        "预警", max_length=16, choices=c.WarningLevel.choices, default=c.WarningLevel.NONE
    )

    class Meta:
        verbose_name = verbose_name_plural = "办件"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status"], name="case_department_status"),
            models.Index(fields=["region", "received_on"], name="case_region_received"),
            models.Index(fields=["status", "promised_due"], name="case_status_promised_due"),
            models.Index(fields=["warning", "department"], name="case_warning_department"),
            models.Index(fields=["applicant", "status"], name="case_applicant_status"),
            models.Index(fields=["assignee", "status"], name="case_assignee_status"),
            models.Index(fields=["intake_department", "status"], name="case_intake_department_status"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_status_display_text(self) -> str:
        return c.CaseStatus(self.status).label


class CaseMaterial(TimeStampedModel):
    """One line of the material checklist of a case, copied from the pinned item version."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(
        "catalog.Material", verbose_name="目录材料", null=True, blank=True, on_delete=models.PROTECT
    )
    name = models.CharField("材料名称", max_length=255)
    necessity = models.CharField("必要性", max_length=16)
    sort_order = models.PositiveSmallIntegerField("序号", default=0)
    status = models.CharField(
        "核验状态", max_length=16, choices=c.MaterialStatus.choices, default=c.MaterialStatus.PENDING
    )
    note = models.CharField("补正说明", max_length=255, blank=True)
    deferred_due = models.DateField("容缺补齐期限", null=True, blank=True)
    certificate = models.ForeignKey(
        "cases.Certificate",
        verbose_name="调取的电子证照",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="免提交：由申请人持有的电子证照自动提供",
    )

    class Meta:
        verbose_name = verbose_name_plural = "办件材料"
        ordering = ["case", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class MaterialFile(StoredFile):
    """An uploaded file of a case material, stored privately by checksum (see `common.filestore`)."""

    case_material = models.ForeignKey(
        CaseMaterial, verbose_name="办件材料", on_delete=models.CASCADE, related_name="files"
    )

    class Meta:
        verbose_name = verbose_name_plural = "材料文件"
        ordering = ["case_material", "id"]

    def __str__(self) -> str:
        return self.original_name


class CaseStep(TimeStampedModel):
    """One review step of a case, copied from the item's process; joint steps collect opinions."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("序号")
    name = models.CharField("环节名称", max_length=64)
    limit = models.PositiveIntegerField("环节时限", null=True, blank=True)
    joint_departments = models.ManyToManyField(
        "organization.Department", verbose_name="会审部门", blank=True, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=16, choices=c.StepStatus.choices, default=c.StepStatus.WAITING
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_on = models.DateField("进入日期", null=True, blank=True)
    finished_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办件环节"
        ordering = ["case", "order"]
        constraints = [models.UniqueConstraint(fields=["case", "order"], name="case_step_unique_order")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_joint(self) -> bool:
        return bool(self.pk) and self.joint_departments.exists()


class StepOpinion(TimeStampedModel):
    """One department's opinion in a joint step (联合踏勘 / 联审)."""

    step = models.ForeignKey(CaseStep, verbose_name="环节", on_delete=models.CASCADE, related_name="opinions")
    department = models.ForeignKey("organization.Department", verbose_name="部门", on_delete=models.PROTECT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填写人", on_delete=models.PROTECT)
    agrees = models.BooleanField("同意")
    opinion = models.TextField("意见")

    class Meta:
        verbose_name = verbose_name_plural = "会审意见"
        ordering = ["step", "id"]
        constraints = [
            models.UniqueConstraint(fields=["step", "department"], name="step_opinion_one_per_department")
        ]

    def __str__(self) -> str:
        return f"{self.department}：{self.opinion[:20]}"


class Clock(TimeStampedModel):
    """A named clock of a case: a budget in working days from day zero, and its segment ledger."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField("时限", max_length=16, choices=c.ClockKind.choices)
    step = models.ForeignKey(
        CaseStep, verbose_name="环节", null=True, blank=True, on_delete=models.CASCADE, related_name="clocks"
    )
    budget = models.PositiveIntegerField("时限（工作日）")
    start_date = models.DateField("起算日（第0日）")
    status = models.CharField(
        "状态", max_length=16, choices=c.ClockStatus.choices, default=c.ClockStatus.RUNNING
    )
    stopped_on = models.DateField("停止日期", null=True, blank=True)
    due_date = models.DateField("到期日", null=True, blank=True)
    provisional = models.BooleanField("预计", default=False)
    level = models.CharField("预警", max_length=16, choices=c.WarningLevel.choices, default="none")

    class Meta:
        verbose_name = verbose_name_plural = "办件时限"
        ordering = ["case", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="clock_status_due")]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


class ClockSegment(TimeStampedModel):
    """A ledger row: a pause (§45 excluded, 中止 suspended) from `start` through `end`, or an extension."""

    clock = models.ForeignKey(Clock, verbose_name="时限", on_delete=models.CASCADE, related_name="segments")
    kind = models.CharField("类型", max_length=16, choices=c.SegmentType.choices)
    reason_code = models.CharField("事由", max_length=32, choices=c.PauseReason.choices, blank=True)
    reason = models.CharField("说明", max_length=500, blank=True)
    start = models.DateField("开始（当日计入）")
    end = models.DateField("结束（当日不计入）", null=True, blank=True)
    expected_end = models.DateField("预计结束", null=True, blank=True)
    days = models.PositiveIntegerField("延长工作日", default=0)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批准人", null=True, blank=True, on_delete=models.SET_NULL
    )
    notified_on = models.DateField("书面告知日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "时限分段"
        ordering = ["clock", "start", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}"


class CaseEvent(AppendOnly, models.Model):
    """An immutable timeline entry: who did what, when, from which status to which, and why."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("动作", max_length=32, choices=c.CaseAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField("操作人姓名", max_length=64)
    actor_role = models.CharField("操作人角色", max_length=32, blank=True)
    at = models.DateTimeField("时间")
    from_status = models.CharField("原状态", max_length=24, blank=True)
    to_status = models.CharField("新状态", max_length=24, blank=True)
    comment = models.TextField("意见", blank=True)
    data = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办件记录"
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_action_display()}"


class Card(TimeStampedModel):
    """A red/yellow card or reminder issued once per (case, clock, rule) by the sweep (DOMAIN §5.1)."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="cards")
    clock = models.ForeignKey(
        Clock, verbose_name="时限", null=True, blank=True, on_delete=models.CASCADE, related_name="cards"
    )
    key = models.CharField("唯一键", max_length=64)
    rule = models.CharField("规则", max_length=8)
    level = models.CharField("级别", max_length=16, choices=c.WarningLevel.choices)
    department = models.ForeignKey(
        "organization.Department", verbose_name="责任部门", on_delete=models.PROTECT, related_name="cards"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="责任人", null=True, blank=True, on_delete=models.SET_NULL
    )
    issued_on = models.DateField("亮牌日期")
    due_date = models.DateField("对应到期日", null=True, blank=True)
    rectify_due = models.DateField("整改期限", null=True, blank=True)
    response = models.TextField("整改说明", blank=True)
    closed_on = models.DateField("关闭日期", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="整改说明确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    voided = models.BooleanField("已撤销", default=False)
    void_reason = models.CharField("撤销理由", max_length=255, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "红黄牌"
        ordering = ["-issued_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="card_once_per_clock_rule")]
        indexes = [models.Index(fields=["department", "issued_on"], name="card_department_issued")]

    def __str__(self) -> str:
        return f"{self.case} {self.rule}"


class Certificate(TimeStampedModel):
    """An electronic certificate (电子证照) issued on a granted case, signed over its content."""

    case = models.OneToOneField(
        Case, verbose_name="办件", on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField("证照编号", max_length=40, unique=True)
    verification_code = models.CharField("核验码", max_length=16, unique=True)
    title = models.CharField("证照名称", max_length=128)
    holder = models.ForeignKey(
        "organization.Applicant",
        verbose_name="持证主体",
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    issuer = models.ForeignKey("organization.Department", verbose_name="发证机关", on_delete=models.PROTECT)
    issued_on = models.DateField("发证日期")
    valid_until = models.DateField("有效期至", null=True, blank=True)
    content = models.JSONField("证照内容", help_text="签名内容，不含持证人证件号码（加密另存）")
    holder_id_number = EncryptedTextField("持证人证件号码", max_length=18, blank=True)
    content_digest = models.CharField("内容摘要", max_length=128)
    signature = models.TextField("数字签名")
    signature_algorithm = models.CharField("签名算法", max_length=32)
    key_fingerprint = models.CharField("签名公钥指纹", max_length=128)
    revoked_on = models.DateField("注销日期", null=True, blank=True)
    revoke_reason = models.CharField("注销原因", max_length=255, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "电子证照"
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"

    def signed_content(self) -> dict:
        """The content as signed: the stored JSON plus the holder's ID number, which is kept out of
        the JSON and encrypted at rest (`holder_id_number`, zhengwu.common.pii)."""
        content = dict(self.content)
        if self.holder_id_number:
            content["holder_id"] = self.holder_id_number
        return content
