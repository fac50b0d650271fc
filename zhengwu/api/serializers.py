"""Explicit input and output serializers of `/api/v1/`.

Output serializers only read what the selectors already fetched (`select_related` /
`prefetch_related`), so a list costs the same number of queries whatever its length. Staff phone
numbers leave through `mask_phone`; public directory phones (departments, items) are public.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhengwu.api.fields import EnumField, LabelField
from zhengwu.catalog import choices as c
from zhengwu.domain.catalog_rules import format_guide_limit
from zhengwu.domain.masking import mask_phone
from zhengwu.organization.choices import DepartmentKind, RegionLevel, Role

# ---------------------------------------------------------------------------------------------
# Errors


class ErrorSerializer(serializers.Serializer):
    """The one error format of the API."""

    code = serializers.CharField(help_text="稳定的英文错误代码，如 not_found、invalid、not_authenticated")
    message = serializers.CharField(help_text="给人看的中文说明")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="字段名 → 该字段的中文错误信息列表；与具体字段无关时为空对象",
    )


# ---------------------------------------------------------------------------------------------
# Organisation


class RegionBriefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="区划代码")
    name = serializers.CharField(help_text="名称")


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="区划代码（12位统计用区划代码或功能区内部代码）")
    official_code = serializers.CharField(help_text="国标代码（GB/T 2260），功能区为空")
    name = serializers.CharField(help_text="名称")
    short_name = serializers.CharField(help_text="简称")
    level = EnumField(RegionLevel, help_text="层级")
    level_label = LabelField(RegionLevel, source="level")
    parent_code = serializers.CharField(
        source="parent.code", allow_null=True, read_only=True, help_text="上级区划代码，顶级为 null"
    )
    is_functional_zone = serializers.BooleanField(help_text="是否功能区（如高新区）")


class DepartmentBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="部门编号")
    name = serializers.CharField(help_text="名称")


class DepartmentSerializer(serializers.Serializer):
    """A public directory entry."""

    id = serializers.IntegerField(help_text="部门编号（事项列表按 department 筛选时使用）")
    name = serializers.CharField(help_text="名称")
    short_name = serializers.CharField(help_text="简称")
    kind = EnumField(DepartmentKind, help_text="类型")
    kind_label = LabelField(DepartmentKind, source="kind")
    region = RegionBriefSerializer(help_text="所属区划")
    phone = serializers.CharField(help_text="咨询电话")
    complaint_phone = serializers.CharField(help_text="监督投诉电话")
    address = serializers.CharField(help_text="地址")


# ---------------------------------------------------------------------------------------------
# Catalogue: children of a version


class LegalBasisSerializer(serializers.Serializer):
    document = serializers.CharField(help_text="依据文件")
    article = serializers.CharField(help_text="条款")
    level = EnumField(c.LegalBasisLevel, help_text="效力层级")
    level_label = LabelField(c.LegalBasisLevel, source="level")
    content = serializers.CharField(help_text="条款内容")


class MaterialSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="材料名称")
    material_type = EnumField(c.MaterialType, help_text="材料类型")
    material_type_label = LabelField(c.MaterialType, source="material_type")
    form = EnumField(c.MaterialForm, help_text="材料形式")
    form_label = LabelField(c.MaterialForm, source="form")
    necessity = EnumField(c.Necessity, help_text="必要性")
    necessity_label = LabelField(c.Necessity, source="necessity")
    condition_note = serializers.CharField(help_text="适用情形")
    source = EnumField(c.MaterialSource, help_text="来源渠道")
    source_label = LabelField(c.MaterialSource, source="source")
    source_note = serializers.CharField(help_text="来源说明")
    paper_copies = serializers.IntegerField(help_text="纸质份数")
    paper_spec = serializers.CharField(help_text="纸质规格")
    filling_notes = serializers.CharField(help_text="填报须知")
    acceptance_standard = serializers.CharField(help_text="受理标准")
    review_points = serializers.CharField(help_text="审查要点")
    basis = serializers.CharField(help_text="设定依据")
    evidence_level = EnumField(c.EvidenceLevel, help_text="证据等级")
    evidence_level_label = LabelField(c.EvidenceLevel, source="evidence_level")
    has_template_file = serializers.SerializerMethodField(help_text="是否提供空白表格")
    has_sample_file = serializers.SerializerMethodField(help_text="是否提供示例样表")

    def get_has_template_file(self, material) -> bool:
        return bool(material.template_file)

    def get_has_sample_file(self, material) -> bool:
        return bool(material.sample_file)


class StepSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="环节名称")
    office = serializers.CharField(help_text="办理科室")
    handler_role = serializers.CharField(help_text="办理人员")
    limit = serializers.IntegerField(allow_null=True, help_text="环节时限")
    limit_unit = EnumField(c.LimitUnit, help_text="时限单位")
    limit_unit_label = LabelField(c.LimitUnit, source="limit_unit")
    limit_text = serializers.SerializerMethodField(help_text="时限文字，如“1个工作日”；未设时限为空")
    special_procedure = EnumField(c.SpecialProcedure, allow_blank=True, help_text="特别程序，空为不涉及")
    special_procedure_label = LabelField(c.SpecialProcedure, source="special_procedure")
    counts_in_limit = serializers.BooleanField(help_text="是否计入法定时限")
    description = serializers.CharField(help_text="办理标准")

    def get_limit_text(self, step) -> str:
        if step.limit is None and step.limit_unit != c.LimitUnit.IMMEDIATE:
            return ""
        return format_guide_limit("", step.limit, step.limit_unit)


class FeeItemSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="收费项目名称")
    standard = serializers.CharField(help_text="收费标准")
    basis = serializers.CharField(help_text="收费依据")
    reducible = serializers.BooleanField(help_text="是否允许减免")
    reduction_basis = serializers.CharField(help_text="减免依据")


class FaqSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="问题")
    answer = serializers.CharField(help_text="解答")


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="取值")
    label = serializers.CharField(help_text="中文名称")


# ---------------------------------------------------------------------------------------------
# Catalogue: a version with every element


class ItemVersionSerializer(serializers.Serializer):
    """Every standard element of one version, with its children (DOMAIN §2.2)."""

    number = serializers.IntegerField(help_text="版本号")
    status = EnumField(c.VersionStatus, help_text="版本状态")
    status_label = LabelField(c.VersionStatus, source="status")
    # Legal and body
    power_source = EnumField(c.PowerSource, help_text="权力来源")
    power_source_label = LabelField(c.PowerSource, source="power_source")
    implementing_nature = serializers.CharField(help_text="实施主体性质")
    entrusted_department = serializers.CharField(help_text="委托部门")
    joint_departments = serializers.CharField(help_text="联办机构")
    # Time
    case_kind = EnumField(c.CaseKind, help_text="办件类型")
    case_kind_label = LabelField(c.CaseKind, source="case_kind")
    legal_limit = serializers.IntegerField(allow_null=True, help_text="法定办结时限")
    legal_limit_unit = EnumField(c.LimitUnit, help_text="法定时限单位")
    legal_limit_unit_label = LabelField(c.LimitUnit, source="legal_limit_unit")
    legal_limit_note = serializers.CharField(help_text="法定时限说明")
    legal_limit_text = serializers.SerializerMethodField(help_text="法定时限文字，如“20个工作日”")
    promised_limit = serializers.IntegerField(allow_null=True, help_text="承诺办结时限")
    promised_limit_unit = EnumField(c.LimitUnit, help_text="承诺时限单位")
    promised_limit_unit_label = LabelField(c.LimitUnit, source="promised_limit_unit")
    promised_limit_note = serializers.CharField(help_text="承诺时限说明")
    limit_text = serializers.SerializerMethodField(help_text="承诺时限文字，如“5个工作日”“当场办结”")
    # Conditions and process
    acceptance_conditions = serializers.CharField(help_text="受理条件")
    process_description = serializers.CharField(help_text="办理流程")
    # Online
    online_available = serializers.BooleanField(help_text="是否网办")
    online_depth = EnumField(c.OnlineDepth, help_text="网上办理深度")
    online_depth_label = LabelField(c.OnlineDepth, source="online_depth")
    online_url = serializers.CharField(help_text="网办地址")
    appointment_supported = serializers.BooleanField(help_text="是否支持预约")
    appointment_daily_quota = serializers.IntegerField(allow_null=True, help_text="每天可预约办理量")
    online_payment = serializers.BooleanField(help_text="是否支持网上支付")
    express_delivery = serializers.BooleanField(help_text="是否支持物流快递")
    self_service_terminal = serializers.BooleanField(help_text="是否支持自助终端")
    # Place
    onsite_visits = serializers.IntegerField(help_text="到办事现场次数")
    onsite_reason = serializers.CharField(help_text="必须现场办理原因")
    location = serializers.CharField(help_text="办理地点")
    office_hours = serializers.CharField(help_text="办理时间")
    in_hall = serializers.BooleanField(help_text="是否进驻政务服务大厅")
    cross_region = serializers.BooleanField(help_text="是否支持通办")
    cross_region_scope = serializers.CharField(help_text="通办范围")
    # Result
    result_type = EnumField(c.ResultType, allow_blank=True, help_text="审批结果类型")
    result_type_label = LabelField(c.ResultType, source="result_type")
    result_name = serializers.CharField(help_text="审批结果名称")
    has_result_sample = serializers.SerializerMethodField(help_text="是否提供审批结果样本")
    delivery_modes = serializers.SerializerMethodField(help_text="送达方式")
    # Fees
    charges_fee = serializers.BooleanField(help_text="是否收费")
    fee_basis = serializers.CharField(help_text="收费依据")
    # Contacts and remedies
    consult_phone = serializers.CharField(help_text="咨询电话")
    complaint_phone = serializers.CharField(help_text="监督投诉电话")
    rights_and_obligations = serializers.CharField(help_text="申请人权利和义务")
    reconsideration_body = serializers.CharField(help_text="行政复议机关")
    litigation_body = serializers.CharField(help_text="行政诉讼机关")
    intermediary_service = serializers.CharField(help_text="中介服务")
    # Business licences
    license_relation = EnumField(c.LicenseRelation, help_text="前置/后置审批，空为不涉及")
    license_relation_label = LabelField(c.LicenseRelation, source="license_relation")
    reform_mode = EnumField(c.ReformMode, help_text="证照分离改革方式，空为不涉及")
    reform_mode_label = LabelField(c.ReformMode, source="reform_mode")
    # Lifecycle
    effective_on = serializers.DateField(allow_null=True, help_text="计划生效日期")
    planned_cancel_on = serializers.DateField(allow_null=True, help_text="计划取消日期")
    change_summary = serializers.CharField(help_text="变更说明")
    approving_document = serializers.CharField(help_text="批准文件")
    published_at = serializers.DateTimeField(allow_null=True, help_text="发布时间")
    # Children
    legal_bases = LegalBasisSerializer(many=True, help_text="设定依据")
    materials = MaterialSerializer(many=True, help_text="申请材料")
    steps = StepSerializer(many=True, help_text="办理环节")
    fee_items = FeeItemSerializer(many=True, help_text="收费项目")
    faqs = FaqSerializer(many=True, help_text="常见问题")

    def get_legal_limit_text(self, version) -> str:
        return format_guide_limit("promised", version.legal_limit, version.legal_limit_unit)

    def get_limit_text(self, version) -> str:
        return format_guide_limit(version.case_kind, version.promised_limit, version.promised_limit_unit)

    def get_has_result_sample(self, version) -> bool:
        return bool(version.result_sample)

    @extend_schema_field(ChoiceSerializer(many=True))
    def get_delivery_modes(self, version) -> list[dict[str, str]]:
        labels = dict(c.DeliveryMode.choices)
        return [{"value": mode, "label": str(labels.get(mode, mode))} for mode in version.delivery_modes]


# ---------------------------------------------------------------------------------------------
# Catalogue: items


class ItemTypeSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="类型标识（事项列表按 type 筛选时使用）")
    label = serializers.CharField(help_text="名称")


class ItemBaseSerializer(serializers.Serializer):
    """The identity of an item, shared by every item output."""

    implementation_code = serializers.CharField(help_text="实施编码")
    base_code = serializers.CharField(help_text="基本编码")
    handling_code = serializers.CharField(help_text="业务办理项编码")
    name = serializers.CharField(help_text="事项名称")
    item_type = ItemTypeSerializer(help_text="事项类型")
    department = DepartmentBriefSerializer(help_text="实施主体")
    region = RegionBriefSerializer(help_text="实施区划")
    exercise_level = EnumField(c.ExerciseLevel, help_text="行使层级")
    exercise_level_label = LabelField(c.ExerciseLevel, source="exercise_level")
    status = EnumField(c.LifecycleStatus, help_text="事项状态")
    status_label = LabelField(c.LifecycleStatus, source="status")


class ItemListSerializer(ItemBaseSerializer):
    """A published item in a list, with the few elements a list shows."""

    version = serializers.IntegerField(source="current_version.number", help_text="现行版本号")
    case_kind = EnumField(c.CaseKind, source="current_version.case_kind", help_text="办件类型")
    case_kind_label = LabelField(c.CaseKind, source="current_version.case_kind")
    limit_text = serializers.SerializerMethodField(help_text="承诺时限文字，如“5个工作日”“当场办结”")
    onsite_visits = serializers.IntegerField(
        source="current_version.onsite_visits", help_text="到办事现场次数"
    )
    online_depth = EnumField(c.OnlineDepth, source="current_version.online_depth", help_text="网上办理深度")
    online_depth_label = LabelField(c.OnlineDepth, source="current_version.online_depth")

    def get_limit_text(self, item) -> str:
        v = item.current_version
        return format_guide_limit(v.case_kind, v.promised_limit, v.promised_limit_unit)


class ItemDetailSerializer(ItemBaseSerializer):
    """A published item with its current version and every child row."""

    status_reason = serializers.CharField(help_text="暂停/取消原因")
    resume_expected_on = serializers.DateField(allow_null=True, help_text="预计恢复日期")
    cancelled_on = serializers.DateField(allow_null=True, help_text="取消日期")
    current_version = ItemVersionSerializer(help_text="现行版本的全部要素")


class VersionBriefSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="版本号")
    status = EnumField(c.VersionStatus, help_text="版本状态")
    status_label = LabelField(c.VersionStatus, source="status")


class StaffItemListSerializer(ItemBaseSerializer):
    """An item in the staff list: drafts included, with its versions."""

    current_version_number = serializers.IntegerField(
        source="current_version.number",
        allow_null=True,
        read_only=True,
        help_text="现行版本号，未发布为 null",
    )
    draft_version_number = serializers.SerializerMethodField(help_text="草稿版本号，无草稿为 null")
    versions = serializers.SerializerMethodField(help_text="全部版本，新版本在前")

    def get_draft_version_number(self, item) -> int | None:
        return next((v.number for v in item.versions.all() if v.status == c.VersionStatus.DRAFT), None)

    @extend_schema_field(VersionBriefSerializer(many=True))
    def get_versions(self, item) -> list[dict]:
        versions = sorted(item.versions.all(), key=lambda v: v.number, reverse=True)
        return VersionBriefSerializer(versions, many=True).data


class StaffItemDetailSerializer(StaffItemListSerializer):
    """An item for staff: the published version and the draft, each with every element.

    The view passes the two versions (fetched with their children) in the context.
    """

    status_reason = serializers.CharField(help_text="暂停/取消原因")
    resume_expected_on = serializers.DateField(allow_null=True, help_text="预计恢复日期")
    cancelled_on = serializers.DateField(allow_null=True, help_text="取消日期")
    current_version = serializers.SerializerMethodField(
        help_text="现行（已发布）版本的全部要素，未发布为 null"
    )
    draft = serializers.SerializerMethodField(help_text="草稿版本的全部要素，无草稿为 null")

    @extend_schema_field(ItemVersionSerializer(allow_null=True))
    def get_current_version(self, item) -> dict | None:
        version = self.context.get("current")
        return ItemVersionSerializer(version).data if version else None

    @extend_schema_field(ItemVersionSerializer(allow_null=True))
    def get_draft(self, item) -> dict | None:
        version = self.context.get("draft")
        return ItemVersionSerializer(version).data if version else None


# ---------------------------------------------------------------------------------------------
# Staff and authentication


class RoleSerializer(serializers.Serializer):
    role = EnumField(Role, help_text="角色")
    role_label = LabelField(Role, source="role")


class ScopeSerializer(serializers.Serializer):
    kind = serializers.SerializerMethodField(help_text="region：区划；department：单个部门")
    region = RegionBriefSerializer(allow_null=True, help_text="区划（kind=region 时）")
    department = DepartmentBriefSerializer(allow_null=True, help_text="部门（kind=department 时）")
    include_descendants = serializers.BooleanField(help_text="是否含下级区划（kind=region 时有效）")

    @extend_schema_field({"type": "string", "enum": ["region", "department"]})
    def get_kind(self, scope) -> str:
        return "region" if scope.region_id else "department"


class StaffDepartmentSerializer(DepartmentBriefSerializer):
    region = RegionBriefSerializer(help_text="所属区划")


class MeSerializer(serializers.Serializer):
    """The signed-in staff member. Personal data is masked."""

    username = serializers.CharField(help_text="用户名")
    full_name = serializers.CharField(help_text="姓名")
    phone = serializers.SerializerMethodField(help_text="手机号码（已脱敏）")
    department = StaffDepartmentSerializer(allow_null=True, help_text="所在部门")
    roles = RoleSerializer(many=True, source="roles.all", help_text="角色")
    sees_everything = serializers.SerializerMethodField(help_text="是否可见全部数据（超级用户或系统管理员）")
    scope = serializers.SerializerMethodField(help_text="数据范围")

    def get_phone(self, user) -> str:
        return mask_phone(user.phone)

    def get_sees_everything(self, user) -> bool:
        return bool(self.context.get("sees_everything"))

    @extend_schema_field(ScopeSerializer(many=True))
    def get_scope(self, user) -> list[dict]:
        return ScopeSerializer(self.context.get("scopes", []), many=True).data


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text="用户名")
    password = serializers.CharField(
        max_length=128,
        write_only=True,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text="密码",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="访问令牌；请求时放在请求头 Authorization: Token <token>")
