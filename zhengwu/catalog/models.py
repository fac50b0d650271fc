"""The service-item catalogue (政务服务事项实施清单).

A `ServiceItem` is the stable identity of an item as implemented by one body in one region; its
standard elements live in numbered `ItemVersion`s (draft → published → retired). A published
version is immutable: a case pins the version it was filed under, and a change is a new version.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from zhengwu.catalog import choices as c
from zhengwu.common.models import TimeStampedModel
from zhengwu.common.uploads import validate_file_field


class ItemType(TimeStampedModel):
    """事项类型: a per-deployment dictionary (codes differ by province; never hard-code a number)."""

    key = models.SlugField("标识", max_length=32, unique=True)
    label = models.CharField("名称", max_length=32)
    group = models.CharField("类别", max_length=32, choices=c.ItemTypeGroup.choices)
    external_code = models.CharField("外部编码", max_length=16, blank=True)
    licensing_clock = models.BooleanField("适用行政许可法时限", default=False)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "事项类型"
        ordering = ["sort_order", "key"]

    def __str__(self) -> str:
        return self.label


class ServiceItem(TimeStampedModel):
    """One service item implemented by one department; the identity that versions share."""

    implementation_code = models.CharField("实施编码", max_length=64, unique=True)
    base_code = models.CharField("基本编码", max_length=64, db_index=True)
    handling_code = models.CharField("业务办理项编码", max_length=64, blank=True)
    name = models.CharField("事项名称", max_length=200)
    item_type = models.ForeignKey(
        ItemType, verbose_name="事项类型", on_delete=models.PROTECT, related_name="items"
    )
    department = models.ForeignKey(
        "organization.Department", verbose_name="实施主体", on_delete=models.PROTECT, related_name="items"
    )
    region = models.ForeignKey(
        "organization.Region", verbose_name="实施区划", on_delete=models.PROTECT, related_name="items"
    )
    exercise_level = models.CharField("行使层级", max_length=16, choices=c.ExerciseLevel.choices)
    status = models.CharField(
        "事项状态", max_length=16, choices=c.LifecycleStatus.choices, default=c.LifecycleStatus.ACTIVE
    )
    status_reason = models.CharField("暂停/取消原因", max_length=255, blank=True)
    resume_expected_on = models.DateField("预计恢复日期", null=True, blank=True)
    cancelled_on = models.DateField("取消日期", null=True, blank=True)
    successors = models.ManyToManyField(
        "self", verbose_name="承继事项", symmetrical=False, blank=True, related_name="predecessors"
    )
    current_version = models.OneToOneField(
        "ItemVersion",
        verbose_name="现行版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "政务服务事项"
        ordering = ["implementation_code"]
        indexes = [models.Index(fields=["department", "status"], name="item_department_status")]

    def __str__(self) -> str:
        return self.name


class ItemVersion(TimeStampedModel):
    """The standard elements of one version of an item (DOMAIN §2.2)."""

    item = models.ForeignKey(
        ServiceItem, verbose_name="事项", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    status = models.CharField(
        "版本状态", max_length=16, choices=c.VersionStatus.choices, default=c.VersionStatus.DRAFT
    )
    # Legal and body
    power_source = models.CharField(
        "权力来源", max_length=16, choices=c.PowerSource.choices, default=c.PowerSource.STATUTORY
    )
    implementing_nature = models.CharField("实施主体性质", max_length=32, default="法定机关")
    entrusted_department = models.CharField("委托部门", max_length=128, blank=True)
    joint_departments = models.CharField("联办机构", max_length=255, blank=True)
    # Time
    case_kind = models.CharField(
        "办件类型", max_length=16, choices=c.CaseKind.choices, default=c.CaseKind.PROMISED
    )
    legal_limit = models.PositiveIntegerField("法定办结时限", null=True, blank=True)
    legal_limit_unit = models.CharField(
        "法定时限单位", max_length=16, choices=c.LimitUnit.choices, default=c.LimitUnit.WORKING_DAY
    )
    legal_limit_note = models.CharField("法定时限说明", max_length=255, blank=True)
    promised_limit = models.PositiveIntegerField("承诺办结时限", null=True, blank=True)
    promised_limit_unit = models.CharField(
        "承诺时限单位", max_length=16, choices=c.LimitUnit.choices, default=c.LimitUnit.WORKING_DAY
    )
    promised_limit_note = models.CharField("承诺时限说明", max_length=255, blank=True)
    # Conditions and process
    acceptance_conditions = models.TextField("受理条件", blank=True)
    process_description = models.TextField("办理流程", blank=True)
    # Online
    online_available = models.BooleanField("是否网办", default=False)
    online_depth = models.PositiveSmallIntegerField(
        "网上办理深度", choices=c.OnlineDepth.choices, default=c.OnlineDepth.DISCLOSURE
    )
    online_url = models.CharField("网办地址", max_length=255, blank=True)
    appointment_supported = models.BooleanField("支持预约", default=False)
    appointment_daily_quota = models.PositiveIntegerField("每天可预约办理量", null=True, blank=True)
    online_payment = models.BooleanField("支持网上支付", default=False)
    express_delivery = models.BooleanField("支持物流快递", default=False)
    self_service_terminal = models.BooleanField("支持自助终端", default=False)
    # Place
    onsite_visits = models.PositiveSmallIntegerField(
        "到办事现场次数", default=1, validators=[MaxValueValidator(9)]
    )
    onsite_reason = models.CharField("必须现场办理原因", max_length=255, blank=True)
    location = models.CharField("办理地点", max_length=255, blank=True)
    office_hours = models.CharField("办理时间", max_length=255, blank=True)
    in_hall = models.BooleanField("进驻政务服务大厅", default=True)
    cross_region = models.BooleanField("支持通办", default=False)
    cross_region_scope = models.CharField("通办范围", max_length=64, blank=True)
    # Result
    result_type = models.CharField("审批结果类型", max_length=32, choices=c.ResultType.choices, blank=True)
    result_name = models.CharField("审批结果名称", max_length=128, blank=True)
    result_sample = models.FileField(
        "审批结果样本", upload_to="catalog/results/", blank=True, validators=[validate_file_field]
    )
    delivery_modes = models.JSONField("送达方式", default=list, blank=True)
    # Fees
    charges_fee = models.BooleanField("是否收费", default=False)
    fee_basis = models.CharField("收费依据", max_length=255, blank=True)
    # Contacts and remedies
    consult_phone = models.CharField("咨询电话", max_length=64, blank=True)
    complaint_phone = models.CharField("监督投诉电话", max_length=64, blank=True)
    rights_and_obligations = models.TextField("申请人权利和义务", blank=True)
    reconsideration_body = models.CharField("行政复议机关", max_length=128, blank=True)
    litigation_body = models.CharField("行政诉讼机关", max_length=128, blank=True)
    intermediary_service = models.CharField("中介服务", max_length=255, blank=True)
    # Business licences (证照分离)
    license_relation = models.CharField(
        "前置/后置审批", max_length=8, choices=c.LicenseRelation.choices, blank=True, default=""
    )
    reform_mode = models.CharField(
        "证照分离改革方式", max_length=32, choices=c.ReformMode.choices, blank=True, default=""
    )
    # Version lifecycle
    effective_on = models.DateField("计划生效日期", null=True, blank=True)
    planned_cancel_on = models.DateField("计划取消日期", null=True, blank=True)
    change_summary = models.CharField("变更说明", max_length=255, blank=True)
    approving_document = models.CharField("批准文件", max_length=255, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "事项版本"
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="item_version_unique_number"),
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(status="published"), name="item_version_one_published"
            ),
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(status="draft"), name="item_version_one_draft"
            ),
            models.CheckConstraint(
                condition=models.Q(online_depth__gte=1, online_depth__lte=4), name="item_version_depth_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.name}（第{self.number}版）"

    @property
    def is_editable(self) -> bool:
        return self.status == c.VersionStatus.DRAFT


class VersionChild(TimeStampedModel):
    version = models.ForeignKey(ItemVersion, verbose_name="事项版本", on_delete=models.CASCADE)
    sort_order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        abstract = True
        ordering = ["version", "sort_order", "id"]


class LegalBasis(VersionChild):
    """设定依据 / 实施依据: one document and article."""

    document = models.CharField("依据文件", max_length=255)
    article = models.CharField("条款", max_length=255, blank=True)
    level = models.CharField("效力层级", max_length=32, choices=c.LegalBasisLevel.choices)
    content = models.TextField("条款内容", blank=True)

    class Meta(VersionChild.Meta):
        verbose_name = verbose_name_plural = "设定依据"
        default_related_name = "legal_bases"

    def __str__(self) -> str:
        return f"{self.document} {self.article}".strip()


class Material(VersionChild):
    """申请材料, with what the clerk checks (审查要点, seed 003)."""

    name = models.CharField("材料名称", max_length=255)
    material_type = models.CharField("材料类型", max_length=32, choices=c.MaterialType.choices)
    form = models.CharField(
        "材料形式", max_length=16, choices=c.MaterialForm.choices, default=c.MaterialForm.BOTH
    )
    necessity = models.CharField(
        "必要性", max_length=16, choices=c.Necessity.choices, default=c.Necessity.REQUIRED
    )
    condition_note = models.CharField("适用情形", max_length=255, blank=True)
    source = models.CharField(
        "来源渠道", max_length=16, choices=c.MaterialSource.choices, default="applicant"
    )
    source_note = models.CharField("来源说明", max_length=255, blank=True)
    paper_copies = models.PositiveSmallIntegerField("纸质份数", default=1, validators=[MinValueValidator(0)])
    paper_spec = models.CharField("纸质规格", max_length=32, blank=True, default="A4")
    template_file = models.FileField(
        "空白表格", upload_to="catalog/templates/", blank=True, validators=[validate_file_field]
    )
    sample_file = models.FileField(
        "示例样表", upload_to="catalog/samples/", blank=True, validators=[validate_file_field]
    )
    filling_notes = models.TextField("填报须知", blank=True)
    acceptance_standard = models.TextField("受理标准", blank=True)
    review_points = models.TextField("审查要点", blank=True)
    basis = models.CharField("设定依据", max_length=255, blank=True)
    evidence_level = models.CharField("证据等级", max_length=1, choices=c.EvidenceLevel.choices, default="C")

    class Meta(VersionChild.Meta):
        verbose_name = verbose_name_plural = "申请材料"
        default_related_name = "materials"

    def __str__(self) -> str:
        return self.name


class Step(VersionChild):
    """办理环节 with its own limit; a special procedure may be excluded from the clock (§45)."""

    name = models.CharField("环节名称", max_length=64)
    office = models.CharField("办理科室", max_length=128, blank=True)
    handler_role = models.CharField("办理人员", max_length=64, blank=True)
    limit = models.PositiveIntegerField("环节时限", null=True, blank=True)
    limit_unit = models.CharField(
        "时限单位", max_length=16, choices=c.LimitUnit.choices, default="working_day"
    )
    special_procedure = models.CharField(
        "特别程序", max_length=32, choices=c.SpecialProcedure.choices, blank=True, default=""
    )
    counts_in_limit = models.BooleanField("计入法定时限", default=True)
    description = models.TextField("办理标准", blank=True)

    class Meta(VersionChild.Meta):
        verbose_name = verbose_name_plural = "办理环节"
        default_related_name = "steps"

    def __str__(self) -> str:
        return self.name


class FeeItem(VersionChild):
    """收费项目."""

    name = models.CharField("收费项目名称", max_length=128)
    standard = models.CharField("收费标准", max_length=255)
    basis = models.CharField("收费依据", max_length=255, blank=True)
    reducible = models.BooleanField("允许减免", default=False)
    reduction_basis = models.CharField("减免依据", max_length=255, blank=True)

    class Meta(VersionChild.Meta):
        verbose_name = verbose_name_plural = "收费项目"
        default_related_name = "fee_items"

    def __str__(self) -> str:
        return self.name


class Faq(VersionChild):
    """常见问题."""

    question = models.CharField("问题", max_length=255)
    answer = models.TextField("解答")

    class Meta(VersionChild.Meta):
        verbose_name = verbose_name_plural = "常见问题"
        default_related_name = "faqs"

    def __str__(self) -> str:
        return self.question


class ItemOperation(TimeStampedModel):
    """The journal of lifecycle operations on an item: who did what, when, on which authority."""

    item = models.ForeignKey(
        ServiceItem, verbose_name="事项", on_delete=models.CASCADE, related_name="operations"
    )
    version = models.ForeignKey(
        ItemVersion, verbose_name="版本", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    operation = models.CharField("操作", max_length=16, choices=c.Operation.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approving_document = models.CharField("批准文件", max_length=255, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    related_codes = models.JSONField("关联事项", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "事项操作记录"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item} {self.get_operation_display()}"
