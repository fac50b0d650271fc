"""Explicit input and output serializers of the case endpoints (`/api/v1/cases/` and the public reads).

Output serializers read only what `zhengwu.cases.selectors` fetched (`select_related` /
`prefetch_related`), so a list costs the same number of queries whatever its length. Personal data
leaves masked: a person's ID number (`mask_id_number`; a legal person's USCC is public), phone
numbers (`mask_phone`). Public outputs (progress, certificate verification) carry no staff names.

Input serializers are strict: a key that is not a field of the operation (``status``, ``department``,
``assignee``, ``promised_due`` …) is refused with a 400 naming it, so no request can set a column
that only a service may write.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhengwu.api.fields import EnumField, EnumFieldExtension, LabelField
from zhengwu.api.serializers import DepartmentBriefSerializer
from zhengwu.cases import choices as c
from zhengwu.catalog.choices import CaseKind, Necessity
from zhengwu.domain.case_flow import ACTION_LABELS
from zhengwu.domain.masking import mask_id_number, mask_phone
from zhengwu.organization.choices import ApplicantKind

UNKNOWN_FIELD = "不允许设置该字段。"

# ---------------------------------------------------------------------------------------------
# Fields


class EnumInputField(serializers.ChoiceField):
    """A writable dictionary value, documented as the same named enum component as its output."""

    def __init__(self, choices_class, **kwargs: Any) -> None:
        self.choices_class = choices_class
        super().__init__(choices=choices_class.choices, **kwargs)


class EnumInputFieldExtension(EnumFieldExtension):
    target_class = EnumInputField


def _masked_id(kind: str, id_number: str) -> str:
    """A person's ID number is masked; a legal person's USCC is public (DOMAIN §11)."""
    return id_number if kind == ApplicantKind.LEGAL_PERSON else mask_id_number(id_number)


# ---------------------------------------------------------------------------------------------
# Strict input


class StrictSerializer(serializers.Serializer):
    """Refuses keys it does not declare (mass assignment): `{"status": "granted"}` is a 400."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [UNKNOWN_FIELD] for name in unknown})
        return super().to_internal_value(data)


# ---------------------------------------------------------------------------------------------
# Shared pieces of output


class CaseItemSerializer(serializers.Serializer):
    implementation_code = serializers.CharField(help_text="实施编码")
    name = serializers.CharField(help_text="事项名称")


class ApplicantSerializer(serializers.Serializer):
    kind = EnumField(ApplicantKind, help_text="申请人类型")
    kind_label = LabelField(ApplicantKind, source="kind")
    name = serializers.CharField(help_text="姓名/名称")
    id_number = serializers.SerializerMethodField(help_text="证件号码（自然人已脱敏；统一社会信用代码公开）")

    def get_id_number(self, applicant) -> str:
        return _masked_id(applicant.kind, applicant.id_number)


class ApplicantDetailSerializer(ApplicantSerializer):
    phone = serializers.SerializerMethodField(help_text="联系电话（已脱敏）")

    def get_phone(self, applicant) -> str:
        return mask_phone(applicant.phone)


class AllowedActionSerializer(serializers.Serializer):
    action = serializers.CharField(
        help_text="操作标识，即 POST /api/v1/cases/{number}/actions/{action}/ 中的 action"
    )
    label = serializers.CharField(help_text="中文名称")


# ---------------------------------------------------------------------------------------------
# Case list


class CaseListSerializer(serializers.Serializer):
    """A case in a list: identity, status, who and what, and its due dates."""

    number = serializers.CharField(help_text="办件编号")
    status = EnumField(c.CaseStatus, help_text="办件状态")
    status_label = LabelField(c.CaseStatus, source="status")
    item = CaseItemSerializer(help_text="事项")
    department = DepartmentBriefSerializer(help_text="办理部门")
    applicant = ApplicantSerializer(help_text="申请人")
    channel = EnumField(c.Channel, help_text="申报渠道")
    channel_label = LabelField(c.Channel, source="channel")
    received_on = serializers.DateField(allow_null=True, help_text="收件日期")
    accepted_on = serializers.DateField(allow_null=True, help_text="受理日期")
    decided_on = serializers.DateField(allow_null=True, help_text="决定日期")
    promised_due = serializers.DateField(allow_null=True, help_text="承诺办结日期")
    statutory_due = serializers.DateField(allow_null=True, help_text="法定办结日期")
    provisional = serializers.BooleanField(
        source="due_provisional", help_text="到期日是否为预计（超出已发布的工作日历）"
    )
    paused = serializers.BooleanField(help_text="是否暂停计时")
    warning = EnumField(c.WarningLevel, help_text="预警")
    warning_label = LabelField(c.WarningLevel, source="warning")
    current_step = serializers.CharField(
        source="current_step.name", allow_null=True, read_only=True, help_text="当前环节，无则为 null"
    )
    assignee = serializers.SerializerMethodField(help_text="当前办理人姓名，未指派为 null")

    def get_assignee(self, case) -> str | None:
        return str(case.assignee) if case.assignee_id else None


# ---------------------------------------------------------------------------------------------
# Case detail


class MaterialFileSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="文件编号（下载：GET /api/v1/cases/{number}/files/{id}/）")
    original_name = serializers.CharField(help_text="文件名")
    kind = serializers.CharField(help_text="文件类型，如 pdf、jpg")
    mime = serializers.CharField(help_text="MIME 类型")
    size = serializers.IntegerField(help_text="大小（字节）")
    sha256 = serializers.CharField(help_text="SHA-256 摘要")
    uploaded_at = serializers.DateTimeField(source="created_at", help_text="上传时间")


class CaseMaterialSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="办件材料编号（上传文件、核验、补正时使用）")
    name = serializers.CharField(help_text="材料名称")
    necessity = EnumField(Necessity, help_text="必要性")
    necessity_label = LabelField(Necessity, source="necessity")
    status = EnumField(c.MaterialStatus, help_text="核验状态")
    status_label = LabelField(c.MaterialStatus, source="status")
    note = serializers.CharField(help_text="补正说明")
    deferred_due = serializers.DateField(allow_null=True, help_text="容缺补齐期限")
    certificate_number = serializers.CharField(
        source="certificate.number",
        allow_null=True,
        default=None,
        help_text="免提交：从电子证照库调取的证照编号，申请人自行提交的为 null",
    )
    files = MaterialFileSerializer(many=True, source="files.all", help_text="已上传的文件")


class StepOpinionSerializer(serializers.Serializer):
    department = DepartmentBriefSerializer(help_text="会审部门")
    agrees = serializers.BooleanField(help_text="是否同意")
    opinion = serializers.CharField(help_text="意见")


class CaseStepSerializer(serializers.Serializer):
    order = serializers.IntegerField(help_text="序号")
    name = serializers.CharField(help_text="环节名称")
    limit = serializers.IntegerField(allow_null=True, help_text="环节时限（工作日）")
    status = EnumField(c.StepStatus, help_text="环节状态")
    status_label = LabelField(c.StepStatus, source="status")
    assignee = serializers.SerializerMethodField(help_text="办理人姓名，未指派为 null")
    entered_on = serializers.DateField(allow_null=True, help_text="进入日期")
    finished_on = serializers.DateField(allow_null=True, help_text="完成日期")
    joint_departments = DepartmentBriefSerializer(
        many=True, source="joint_departments.all", help_text="会审部门（联合踏勘/联审），非会审环节为空"
    )
    opinions = StepOpinionSerializer(many=True, source="opinions.all", help_text="已提交的会审意见")

    def get_assignee(self, step) -> str | None:
        return str(step.assignee) if step.assignee_id else None


class ClockSegmentSerializer(serializers.Serializer):
    kind = EnumField(c.SegmentType, help_text="类型：特别程序（不计时）、中止、延长期限")
    kind_label = LabelField(c.SegmentType, source="kind")
    reason_code = EnumField(c.PauseReason, allow_blank=True, help_text="事由，延长期限为空")
    reason_code_label = LabelField(c.PauseReason, source="reason_code")
    reason = serializers.CharField(help_text="情况说明")
    start = serializers.DateField(help_text="开始日期（当日计入）")
    end = serializers.DateField(allow_null=True, help_text="结束日期（当日不计入）；仍在暂停为 null")
    expected_end = serializers.DateField(allow_null=True, help_text="预计结束日期")
    days = serializers.IntegerField(help_text="延长的工作日数（仅延长期限）")


class ClockSerializer(serializers.Serializer):
    kind = EnumField(c.ClockKind, help_text="时限种类")
    kind_label = LabelField(c.ClockKind, source="kind")
    step = serializers.CharField(
        source="step.name", allow_null=True, read_only=True, help_text="环节时限所属环节，其他为 null"
    )
    budget = serializers.IntegerField(help_text="时限（工作日，不含延长）")
    start_date = serializers.DateField(help_text="起算日（第0日，不计入）")
    due_date = serializers.DateField(allow_null=True, help_text="到期日；暂停期间为 null")
    status = EnumField(c.ClockStatus, help_text="计时状态")
    status_label = LabelField(c.ClockStatus, source="status")
    stopped_on = serializers.DateField(allow_null=True, help_text="停止日期")
    provisional = serializers.BooleanField(help_text="到期日是否为预计（超出已发布的工作日历）")
    level = EnumField(c.WarningLevel, help_text="预警")
    level_label = LabelField(c.WarningLevel, source="level")
    segments = ClockSegmentSerializer(many=True, source="segments.all", help_text="分段台账：暂停与延长")


class CertificateSummarySerializer(serializers.Serializer):
    number = serializers.CharField(help_text="证照编号")
    title = serializers.CharField(help_text="证照名称")
    issued_on = serializers.DateField(help_text="发证日期")
    valid_until = serializers.DateField(allow_null=True, help_text="有效期至，长期有效为 null")
    verification_code = serializers.CharField(
        help_text="核验码（公开核验：GET /api/v1/certificates/verify/{code}/）"
    )
    revoked_on = serializers.DateField(allow_null=True, help_text="注销日期，未注销为 null")


class AgentSerializer(serializers.Serializer):
    name = serializers.CharField(source="agent_name", help_text="代办人姓名")
    id_number = serializers.SerializerMethodField(help_text="代办人证件号码（已脱敏）")
    phone = serializers.SerializerMethodField(help_text="代办人电话（已脱敏）")

    def get_id_number(self, case) -> str:
        return mask_id_number(case.agent_id_number)

    def get_phone(self, case) -> str:
        return mask_phone(case.agent_phone)


class CaseDetailSerializer(CaseListSerializer):
    """Everything about one case. The view passes `allowed_actions` in the context."""

    query_code = serializers.CharField(help_text="查询码（与办件编号一起免登录查询进度）")
    cross_region = serializers.BooleanField(help_text="是否跨域通办（收件地与办理地不同）")
    intake_department = DepartmentBriefSerializer(allow_null=True, help_text="收件部门；网上申报为 null")
    applicant = ApplicantDetailSerializer(help_text="申请人")
    agent = serializers.SerializerMethodField(help_text="代办人，无代办为 null")
    contact_phone = serializers.SerializerMethodField(help_text="联系电话（已脱敏）")
    case_kind = EnumField(CaseKind, help_text="办件类型（受理时事项版本的办件类型）")
    case_kind_label = LabelField(CaseKind, source="case_kind")
    commitment_mode = serializers.BooleanField(help_text="是否按告知承诺制受理")
    deficiency_mode = serializers.BooleanField(help_text="是否容缺受理")
    deemed_accepted = serializers.BooleanField(help_text="是否视为受理（补正告知期限届满未告知）")
    decision_reason = serializers.CharField(help_text="决定理由")
    refusal_reason = serializers.CharField(help_text="不予受理理由")
    delivery_mode = EnumField(c.Delivery, allow_blank=True, help_text="送达方式，未送达为空")
    delivery_mode_label = LabelField(c.Delivery, source="delivery_mode")
    form_data = serializers.DictField(help_text="申请表内容")
    materials = CaseMaterialSerializer(many=True, source="materials.all", help_text="材料清单")
    steps = CaseStepSerializer(many=True, source="steps.all", help_text="审查环节")
    clocks = ClockSerializer(many=True, source="clocks.all", help_text="时限及其分段台账")
    allowed_actions = serializers.SerializerMethodField(help_text="当前用户现在可以执行的操作")
    certificate = serializers.SerializerMethodField(help_text="电子证照摘要，未制证为 null")

    @extend_schema_field(AgentSerializer(allow_null=True))
    def get_agent(self, case) -> dict | None:
        return AgentSerializer(case).data if case.agent_name else None

    def get_contact_phone(self, case) -> str:
        return mask_phone(case.contact_phone)

    @extend_schema_field(AllowedActionSerializer(many=True))
    def get_allowed_actions(self, case) -> list[dict[str, str]]:
        labels = {a.value: label for a, label in ACTION_LABELS.items()}
        return [{"action": a, "label": labels.get(a, a)} for a in self.context.get("allowed_actions", [])]

    @extend_schema_field(CertificateSummarySerializer(allow_null=True))
    def get_certificate(self, case) -> dict | None:
        certificate = getattr(case, "certificate", None)
        return CertificateSummarySerializer(certificate).data if certificate is not None else None


# ---------------------------------------------------------------------------------------------
# Timeline and the "how this was computed" view


class CaseEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="时间")
    actor_name = serializers.CharField(help_text="操作人姓名（系统操作为“系统”）")
    actor_role = serializers.CharField(help_text="操作人角色，如“窗口受理员”“申请人”")
    action = EnumField(c.CaseAction, help_text="操作")
    action_label = LabelField(c.CaseAction, source="action")
    from_status = EnumField(c.CaseStatus, allow_blank=True, help_text="原状态")
    from_status_label = LabelField(c.CaseStatus, source="from_status")
    to_status = EnumField(c.CaseStatus, allow_blank=True, help_text="新状态")
    to_status_label = LabelField(c.CaseStatus, source="to_status")
    comment = serializers.CharField(help_text="意见或说明")


class CountedDaySerializer(serializers.Serializer):
    date = serializers.DateField(help_text="日期")
    ordinal = serializers.IntegerField(help_text="第几个工作日（从 1 起）")
    reason = serializers.CharField(help_text="说明：普通工作日为空，调休上班为“调休上班”，超出日历为“预计”")


class SkippedDaySerializer(serializers.Serializer):
    date = serializers.DateField(help_text="日期")
    reason = serializers.CharField(help_text="不计入的原因：周六、周日、节假日名称，或暂停事由")


class ClockExplanationSerializer(serializers.Serializer):
    """A clock with every day from day zero to its due date (or today while paused)."""

    clock = ClockSerializer(help_text="时限及其分段台账")
    start = serializers.DateField(help_text="起算日（第0日，不计入）")
    budget = serializers.IntegerField(help_text="时限合计（工作日，含延长）")
    due = serializers.DateField(allow_null=True, help_text="到期日；暂停期间为 null")
    provisional = serializers.BooleanField(help_text="是否有日期超出已发布的工作日历（按周一至周五预计）")
    counted_days = serializers.SerializerMethodField(help_text="已列出的计入天数")
    counted = CountedDaySerializer(many=True, help_text="计入的工作日")
    skipped = SkippedDaySerializer(many=True, help_text="不计入的日期及原因")

    def get_counted_days(self, explanation) -> int:
        return len(explanation["counted"])


# ---------------------------------------------------------------------------------------------
# Public reads


class ProgressQuerySerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40, help_text="办件编号")
    query_code = serializers.CharField(max_length=8, help_text="查询码（受理回执上的 6 位字母数字）")


class ProgressEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="时间")
    action = EnumField(c.CaseAction, help_text="办理进度")
    action_label = LabelField(c.CaseAction, source="action")
    status = EnumField(c.CaseStatus, allow_blank=True, source="to_status", help_text="办理后的状态")
    status_label = LabelField(c.CaseStatus, source="to_status")


class ProgressSerializer(serializers.Serializer):
    """What anybody holding the number and the query code may see: no names, no ID numbers."""

    number = serializers.CharField(help_text="办件编号")
    status = EnumField(c.CaseStatus, help_text="办件状态")
    status_label = LabelField(c.CaseStatus, source="status")
    item = serializers.CharField(source="item.name", help_text="事项名称")
    department = serializers.CharField(source="department.name", help_text="办理部门")
    received_on = serializers.DateField(allow_null=True, help_text="收件日期")
    promised_due = serializers.DateField(allow_null=True, help_text="承诺办结日期")
    provisional = serializers.BooleanField(source="due_provisional", help_text="承诺办结日期是否为预计")
    timeline = ProgressEventSerializer(
        many=True, source="events.all", help_text="办理进度（不含工作人员姓名）"
    )


class CertificateVerificationSerializer(serializers.Serializer):
    """The public verification of an electronic certificate (the holder's ID number is masked)."""

    status_label = serializers.CharField(help_text="核验结论，如“有效”“已注销（…）”“已过有效期”")
    is_valid = serializers.BooleanField(help_text="是否有效：签名相符、未注销且未过期")
    signature_valid = serializers.BooleanField(help_text="证照内容与数字签名是否相符")
    revoked = serializers.BooleanField(help_text="是否已注销")
    expired = serializers.BooleanField(help_text="是否已过有效期")
    title = serializers.CharField(source="certificate.title", help_text="证照名称")
    number = serializers.CharField(source="certificate.number", help_text="证照编号")
    issuer = serializers.CharField(source="certificate.issuer.name", help_text="发证机关")
    issued_on = serializers.DateField(source="certificate.issued_on", help_text="发证日期")
    valid_until = serializers.DateField(
        source="certificate.valid_until", allow_null=True, help_text="有效期至，长期有效为 null"
    )
    signature_algorithm = serializers.CharField(
        source="certificate.signature_algorithm", help_text="签名算法"
    )
    key_fingerprint = serializers.CharField(source="certificate.key_fingerprint", help_text="签名公钥指纹")
    content = serializers.DictField(source="public_content", help_text="证照内容（自然人证件号码已脱敏）")


class CardListQuerySerializer(serializers.Serializer):
    open = serializers.BooleanField(required=False, default=False, help_text="仅未关闭、未撤销的红黄牌")


class CardSerializer(serializers.Serializer):
    """A red/yellow card or reminder on the warning board."""

    id = serializers.IntegerField(help_text="编号")
    case = serializers.CharField(source="case.number", help_text="办件编号")
    item = serializers.CharField(source="case.item.name", help_text="事项名称")
    rule = serializers.CharField(help_text="规则，如 Y1、R1")
    level = EnumField(c.WarningLevel, help_text="级别")
    level_label = LabelField(c.WarningLevel, source="level")
    clock = EnumField(c.ClockKind, source="clock.kind", allow_null=True, help_text="对应时限，无则为 null")
    department = DepartmentBriefSerializer(help_text="责任部门")
    handler = serializers.SerializerMethodField(help_text="责任人姓名，无则为 null")
    issued_on = serializers.DateField(help_text="亮牌日期")
    due_date = serializers.DateField(allow_null=True, help_text="对应到期日")
    rectify_due = serializers.DateField(allow_null=True, help_text="整改期限（黄牌）")
    response = serializers.CharField(help_text="整改说明")
    closed_on = serializers.DateField(allow_null=True, help_text="关闭日期")
    voided = serializers.BooleanField(help_text="是否已撤销")
    void_reason = serializers.CharField(help_text="撤销理由")

    def get_handler(self, card) -> str | None:
        return str(card.handler) if card.handler_id else None


# ---------------------------------------------------------------------------------------------
# Input: creating a case and uploading a file


class ApplicantInputSerializer(StrictSerializer):
    kind = EnumInputField(ApplicantKind, help_text="申请人类型")
    name = serializers.CharField(max_length=128, help_text="姓名/名称")
    # Longer than 18 on purpose: spaces are removed and the length is judged by the domain validator,
    # whose message names the rule ("身份证号码应为18位") instead of a generic length error.
    id_number = serializers.CharField(max_length=40, help_text="居民身份证号码或统一社会信用代码")
    phone = serializers.CharField(
        max_length=32, required=False, default="", allow_blank=True, help_text="联系电话"
    )
    address = serializers.CharField(
        max_length=255, required=False, default="", allow_blank=True, help_text="地址"
    )


class CaseCreateSerializer(StrictSerializer):
    """Window intake by staff, or an online application by a citizen account (applicant = the account)."""

    item = serializers.CharField(max_length=64, help_text="事项实施编码")
    applicant = ApplicantInputSerializer(
        required=False, help_text="申请人（工作人员窗口收件时必填；网上办事账号不填，以本人申请）"
    )
    channel = EnumInputField(
        c.Channel, required=False, help_text="申报渠道；工作人员必填，网上办事账号只能为 online（默认）"
    )
    form_data = serializers.DictField(required=False, default=dict, help_text="申请表内容")
    contact_phone = serializers.CharField(
        max_length=32, required=False, default="", allow_blank=True, help_text="联系电话，默认为申请人电话"
    )
    agent_name = serializers.CharField(
        max_length=64, required=False, default="", allow_blank=True, help_text="代办人姓名"
    )
    agent_id_number = serializers.CharField(
        max_length=18, required=False, default="", allow_blank=True, help_text="代办人居民身份证号码"
    )
    agent_phone = serializers.CharField(
        max_length=32, required=False, default="", allow_blank=True, help_text="代办人电话"
    )
    draft = serializers.BooleanField(
        required=False,
        default=False,
        help_text="仅保存草稿、暂不提交（仅网上办事账号）；否则立即提交并开始计算受理时限",
    )


class FileUploadSerializer(StrictSerializer):
    file = serializers.FileField(help_text="材料文件：PDF、JPG、PNG、OFD、DOCX、XLSX；按实际内容检查类型")


# ---------------------------------------------------------------------------------------------
# Input: one serializer per action


class NoInputSerializer(StrictSerializer):
    """The action takes no input (an empty JSON object or no body)."""


class CommentSerializer(StrictSerializer):
    comment = serializers.CharField(
        max_length=2000, required=False, default="", allow_blank=True, help_text="意见"
    )


class AcceptSerializer(CommentSerializer):
    commitment = serializers.BooleanField(
        required=False, default=False, help_text="按告知承诺制受理（事项须实行告知承诺制）"
    )


class ReasonRequiredSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000, help_text="理由（将书面告知申请人）")


class ReasonOptionalSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=2000, required=False, default="", allow_blank=True, help_text="理由"
    )


class SupplementItemSerializer(StrictSerializer):
    material_id = serializers.IntegerField(help_text="办件材料编号")
    note = serializers.CharField(
        max_length=255, required=False, default="", allow_blank=True, help_text="需要补正的内容；空为“未提交”"
    )


class RequestSupplementSerializer(CommentSerializer):
    items = SupplementItemSerializer(many=True, help_text="需要补正的全部材料（一次性告知）")


class StepReturnSerializer(StrictSerializer):
    comment = serializers.CharField(max_length=2000, help_text="退回原因")


class StepTransferSerializer(CommentSerializer):
    to_user = serializers.CharField(
        max_length=150, help_text="接收人的用户名（须为有权办理该办件的审批人员）"
    )


class StepOpinionInputSerializer(StrictSerializer):
    agrees = serializers.BooleanField(help_text="是否同意")
    opinion = serializers.CharField(max_length=2000, help_text="会审意见")


class PauseSerializer(StrictSerializer):
    reason_code = EnumInputField(
        c.PauseReason, help_text="事由：特别程序（听证、检验、专家评审等）或中止事由"
    )
    reason = serializers.CharField(max_length=500, help_text="情况说明（将书面告知申请人）")
    expected_days = serializers.IntegerField(min_value=1, max_value=250, help_text="预计所需工作日")


class ExtendSerializer(StrictSerializer):
    days = serializers.IntegerField(
        min_value=1, max_value=15, help_text="延长的工作日数（一般不超过 10，联办不超过 15）"
    )
    reason = serializers.CharField(max_length=500, help_text="延长理由（将告知申请人）")


class SupplyDeferredSerializer(StrictSerializer):
    material_ids = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=False, help_text="已补齐的容缺材料编号"
    )


class GrantSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        default="",
        allow_blank=True,
        help_text="决定理由，默认“符合法定条件，准予许可。”",
    )


class IssueCertificateSerializer(StrictSerializer):
    valid_years = serializers.IntegerField(
        min_value=1,
        max_value=50,
        required=False,
        allow_null=True,
        default=None,
        help_text="有效期（年），长期有效不填",
    )


class DeliverSerializer(StrictSerializer):
    mode = EnumInputField(c.Delivery, help_text="送达方式")
    address = serializers.CharField(
        max_length=255, required=False, default="", allow_blank=True, help_text="送达地址（邮寄送达必填）"
    )


class MaterialCheckSerializer(StrictSerializer):
    material_id = serializers.IntegerField(help_text="办件材料编号")
    status = EnumInputField(c.MaterialStatus, help_text="核验状态")
    note = serializers.CharField(
        max_length=255, required=False, default="", allow_blank=True, help_text="说明"
    )


class MaterialsCheckSerializer(StrictSerializer):
    checks = MaterialCheckSerializer(many=True, allow_empty=False, help_text="各材料的核验结果")
