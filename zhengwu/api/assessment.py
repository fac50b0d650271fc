"""`/api/v1/assessment/…`: 考核 — scheme versions, running a scheme over a period, a run's results
(ranking, per-item scores, every point with the records behind it, the rule set) and publishing.

Staff with an assessment role only (考核员, 监管员, 系统管理员; publishing: 考核员 or 监管员). Units are
limited to the caller's data scope; another scope's run answers 404. Views hold no rule: they call
`zhengwu.assessment.services` and `selectors`; a `DomainError` becomes {"code", "message", "fields"}.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.api.fields import EnumField
from zhengwu.api.serializers import ErrorSerializer
from zhengwu.assessment import permissions as assessment_permissions
from zhengwu.assessment import selectors, services
from zhengwu.assessment.choices import EvaluationStatus, UnitKind
from zhengwu.assessment.models import Evaluation, Scheme
from zhengwu.common import clock

TAG_ASSESSMENT = "考核"

ERROR_400 = OpenApiResponse(
    ErrorSerializer, description="输入有误（方案、期间、参评单位或考核数据），`fields` 指出字段"
)
ERROR_401 = OpenApiResponse(ErrorSerializer, description="未登录或令牌无效")
ERROR_403 = OpenApiResponse(ErrorSerializer, description="角色不能使用考核功能或执行此操作")
ERROR_404 = OpenApiResponse(ErrorSerializer, description="方案或考核结果不存在，或不在数据范围内")
ERROR_409 = OpenApiResponse(ErrorSerializer, description="已被他人处理（如已发布），请刷新后重试")


class IsAssessmentStaff(permissions.BasePermission):
    """考核员, 监管员 or 系统管理员 (or a superuser), never a citizen's account."""

    message = "仅考核员、监管员或系统管理员可以使用考核接口。"

    def has_permission(self, request, view) -> bool:
        return assessment_permissions.can_view(request.user)


ASSESSMENT_STAFF = [permissions.IsAuthenticated, IsAssessmentStaff]


# -- serializers --------------------------------------------------------------------------------------


class SchemeBriefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="方案编码")
    name = serializers.CharField(help_text="方案名称")
    version = serializers.CharField(help_text="版本（规则一改即出新版本）")
    revision = serializers.IntegerField(help_text="同一方案编码下第几次上传")
    active = serializers.BooleanField(help_text="是否为现行版本")
    is_shipped = serializers.BooleanField(help_text="是否为系统内置方案")
    created_at = serializers.DateTimeField(help_text="上传时间")


class SchemeDetailSerializer(SchemeBriefSerializer):
    rules = serializers.JSONField(
        source="parsed",
        help_text="规则集（满分、单位类型、类别、考核项、各项分值与计分规则、加减分项目），与考核结果一同发布",
    )
    versions = serializers.ListField(child=serializers.CharField(), help_text="该方案的全部版本，新版本在前")


class AdjustmentSerializer(serializers.Serializer):
    rule = serializers.CharField(
        help_text="规则编码；floor/cap/bonus_cap/rescale 为保底、封顶、加分上限、折算"
    )
    kind = serializers.CharField(
        help_text="规则类型（per_occurrence、range_judgement …）或 floor/cap/bonus_cap/rescale"
    )
    points = serializers.CharField(help_text="加分为正、扣分为负，两位小数")
    evidence = serializers.ListField(
        child=serializers.CharField(), help_text="依据：办件编号、佐证材料（“佐证#编号 文件名”）或指标值"
    )
    count = serializers.IntegerField(help_text="次数")
    note = serializers.CharField(help_text="说明")


class ItemScoreSerializer(serializers.Serializer):
    item = serializers.CharField(help_text="考核项编码")
    name = serializers.CharField(help_text="考核项名称")
    category = serializers.CharField(help_text="所属类别编码；加减分项目为空")
    score = serializers.CharField(allow_null=True, help_text="得分（两位小数）；不参评时为 null")
    max = serializers.CharField(help_text="本项分值（该单位类型）")
    na = serializers.BooleanField(help_text="是否不参评（无数据）")
    deductions = AdjustmentSerializer(many=True, help_text="每一笔加减分及其依据")


class CategoryScoreSerializer(serializers.Serializer):
    category = serializers.CharField(help_text="类别编码")
    name = serializers.CharField(help_text="类别名称")
    score = serializers.CharField(help_text="类别得分")
    max = serializers.CharField(help_text="类别分值")
    assessed = serializers.CharField(help_text="参评分值（不含不参评项）")
    deductions = AdjustmentSerializer(many=True, help_text="类别保底、封顶")


class UnitScoreSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="单位编码（区县为区划代码，部门为 dept-六位编号）")
    unit_key = serializers.CharField(help_text="单位键（region:编号 或 department:编号）")
    name = serializers.CharField(help_text="单位名称")
    unit_type = serializers.CharField(help_text="方案中的单位类型编码")
    unit_type_label = serializers.CharField(help_text="单位类型名称")
    base = serializers.CharField(help_text="基础分（折算后的类别得分 + 扣分项目，保底后）")
    bonus = serializers.CharField(help_text="加分（受加分上限限制）")
    total = serializers.CharField(help_text="总分，两位小数，如 93.50")
    rank = serializers.IntegerField(allow_null=True, help_text="名次；一票否决或无可参评指标时为 null")
    vetoed = serializers.BooleanField(help_text="是否一票否决")
    veto_reason = serializers.CharField(help_text="否决理由")
    veto_evidence = serializers.ListField(child=serializers.CharField(), help_text="否决依据")
    unrated = serializers.BooleanField(help_text="是否无可参评指标")
    recommended = serializers.BooleanField(help_text="是否进入推荐名单")
    assessed = serializers.CharField(help_text="参评分值 A")
    adjustments = AdjustmentSerializer(many=True, help_text="单位层面的折算、保底、加分上限、封顶")
    categories = CategoryScoreSerializer(many=True, help_text="各类别得分")
    items = ItemScoreSerializer(many=True, help_text="各考核项得分与加减分")


class DataNoteSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="数据项")
    meaning = serializers.CharField(help_text="含义")
    source = serializers.CharField(help_text="本次取自何处；尚无数据的说明其不参评")


class ItemChangeSerializer(serializers.Serializer):
    item = serializers.CharField(help_text="考核项编码")
    name = serializers.CharField(help_text="考核项名称")
    old = serializers.CharField(allow_null=True, help_text="原得分")
    new = serializers.CharField(allow_null=True, help_text="新得分")
    delta = serializers.CharField(allow_null=True, help_text="变化")


class UnitChangeSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="单位编码")
    name = serializers.CharField(help_text="单位名称")
    old_total = serializers.CharField(allow_null=True, help_text="原总分")
    new_total = serializers.CharField(allow_null=True, help_text="新总分")
    delta = serializers.CharField(allow_null=True, help_text="变化")
    old_rank = serializers.IntegerField(allow_null=True, help_text="原名次")
    new_rank = serializers.IntegerField(allow_null=True, help_text="新名次")
    old_vetoed = serializers.BooleanField(help_text="原是否否决")
    new_vetoed = serializers.BooleanField(help_text="新是否否决")
    changed = serializers.BooleanField(help_text="是否有变化")
    items = ItemChangeSerializer(many=True, help_text="得分变化的考核项")


class EvaluationSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="考核结果编号")
    scheme = serializers.CharField(help_text="方案编码")
    scheme_name = serializers.CharField(help_text="方案名称")
    version = serializers.CharField(help_text="方案版本（结果按此版本计分）")
    period = serializers.CharField(help_text="考核期间")
    period_start = serializers.DateField(help_text="期间开始")
    period_end = serializers.DateField(help_text="期间结束")
    unit_kind = EnumField(UnitKind, help_text="参评单位类别")
    status = EnumField(EvaluationStatus, help_text="草稿或已发布（发布后冻结）")
    created_by = serializers.CharField(help_text="计算人")
    created_at = serializers.DateTimeField(help_text="计算时间")
    published_by = serializers.CharField(allow_null=True, help_text="发布人")
    published_at = serializers.DateTimeField(allow_null=True, help_text="发布时间")
    previous = serializers.IntegerField(allow_null=True, help_text="重新计算时：上次计算的编号")
    scale = serializers.CharField(help_text="满分")
    top_n = serializers.IntegerField(allow_null=True, help_text="推荐名额")
    recommended = serializers.ListField(child=serializers.CharField(), help_text="推荐名单（单位编码）")
    tie_rule = serializers.CharField(help_text="排名与并列规则")
    units = UnitScoreSerializer(
        many=True, help_text="各单位：已排名的按名次，其后为一票否决和无可参评指标的单位"
    )
    data_notes = DataNoteSerializer(many=True, help_text="各数据项的来源；尚无数据的不参评")
    comparison = UnitChangeSerializer(many=True, help_text="重新计算时与上次的比较（每个单位一行）")
    rules = serializers.JSONField(help_text="所用方案版本的规则集（与结果一同发布）")


class EvaluationRunSerializer(serializers.Serializer):
    scheme = serializers.CharField(max_length=64, help_text="方案编码，如 yiyang-2020")
    version = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text="方案版本；缺省为现行版本"
    )
    period = serializers.CharField(
        max_length=32, help_text="期间：2026、2026-Q3、2026-09 或 2026-01-01..2026-06-30"
    )
    units = serializers.ChoiceField(
        choices=UnitKind.choices,
        default=UnitKind.REGION,
        help_text="参评单位：region 区县（默认）或 department 部门",
    )


def evaluation_data(evaluation: Evaluation) -> dict[str, Any]:
    results = evaluation.results
    return {
        "id": evaluation.pk,
        "scheme": evaluation.scheme.code,
        "scheme_name": evaluation.scheme.name,
        "version": evaluation.scheme.version,
        "period": evaluation.period,
        "period_start": evaluation.period_start,
        "period_end": evaluation.period_end,
        "unit_kind": evaluation.unit_kind,
        "status": evaluation.status,
        "created_by": str(evaluation.created_by),
        "created_at": evaluation.created_at,
        "published_by": str(evaluation.published_by) if evaluation.published_by_id else None,
        "published_at": evaluation.published_at,
        "previous": evaluation.previous_id,
        "scale": results["scale"],
        "top_n": results["top_n"],
        "recommended": results["recommended"],
        "tie_rule": results.get("tie_rule", ""),
        "units": results["units"],
        "data_notes": evaluation.data_notes,
        "comparison": evaluation.comparison,
        "rules": evaluation.rules,
    }


def scheme_data(scheme: Scheme) -> dict[str, Any]:
    return {
        "code": scheme.code,
        "name": scheme.name,
        "version": scheme.version,
        "revision": scheme.revision,
        "active": scheme.active,
        "is_shipped": scheme.is_shipped,
        "created_at": scheme.created_at,
        "parsed": scheme.parsed,
        "versions": list(selectors.scheme_versions(scheme.code).values_list("version", flat=True)),
    }


CODE = OpenApiParameter(
    "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="方案编码，如 yiyang-2020"
)
VERSION = OpenApiParameter(
    "version",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    description="方案版本；缺省为现行版本",
)
EVALUATION_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="考核结果编号")


# -- views --------------------------------------------------------------------------------------------


class SchemeListView(APIView):
    permission_classes = ASSESSMENT_STAFF

    @extend_schema(
        tags=[TAG_ASSESSMENT],
        operation_id="assessment_scheme_list",
        summary="考核方案列表",
        description="各考核方案的现行版本（系统内置方案在首次使用时载入）。",
        responses={200: SchemeBriefSerializer(many=True), 401: ERROR_401, 403: ERROR_403},
    )
    def get(self, request: Request) -> Response:
        services.schemes_ensure_shipped()
        return Response(SchemeBriefSerializer(selectors.scheme_list(user=request.user), many=True).data)


class SchemeDetailView(APIView):
    permission_classes = ASSESSMENT_STAFF

    @extend_schema(
        tags=[TAG_ASSESSMENT],
        operation_id="assessment_scheme_detail",
        summary="考核方案详情（规则集）",
        description="一个方案版本的完整规则集：满分、单位类型、类别与考核项的分值（按单位类型）、计分规则、加减分项目、"
        "折算与舍入规则。`version` 缺省为现行版本。",
        parameters=[CODE, VERSION],
        responses={200: SchemeDetailSerializer, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
    )
    def get(self, request: Request, code: str) -> Response:
        services.schemes_ensure_shipped()
        scheme = selectors.scheme_get(
            user=request.user, code=code, version=request.query_params.get("version")
        )
        return Response(SchemeDetailSerializer(scheme_data(scheme)).data)


class EvaluationRunView(APIView):
    permission_classes = ASSESSMENT_STAFF

    @extend_schema(
        tags=[TAG_ASSESSMENT],
        operation_id="assessment_evaluation_run",
        summary="计算考核结果（草稿）",
        description="按方案版本对调用者数据范围内的区县或部门计分、排名，保存为草稿并返回结果：每个单位的总分、名次、"
        "各项得分、每一笔加减分及其依据（办件编号、佐证材料），推荐名单和规则集。方案有误、期间无效或考核数据"
        "无法计分（如缺少等次评定）时返回 400，`fields` 逐条列出问题。",
        request=EvaluationRunSerializer,
        responses={201: EvaluationSerializer, 400: ERROR_400, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
    )
    def post(self, request: Request) -> Response:
        payload = EvaluationRunSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.schemes_ensure_shipped()
        scheme = selectors.scheme_get(
            user=request.user, code=data["scheme"], version=data.get("version") or None
        )
        evaluation = services.evaluation_run(
            scheme=scheme, period=data["period"], unit_kind=data["units"], actor=request.user
        )
        evaluation = selectors.evaluation_get_for_user(request.user, evaluation.pk)
        return Response(
            EvaluationSerializer(evaluation_data(evaluation)).data, status=status.HTTP_201_CREATED
        )


class EvaluationDetailView(APIView):
    permission_classes = ASSESSMENT_STAFF

    @extend_schema(
        tags=[TAG_ASSESSMENT],
        operation_id="assessment_evaluation_detail",
        summary="考核结果",
        description="一次计算的完整结果与所用规则集；重新计算的结果附与上次的比较。",
        parameters=[EVALUATION_ID],
        responses={200: EvaluationSerializer, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
    )
    def get(self, request: Request, id: int) -> Response:
        evaluation = selectors.evaluation_get_for_user(request.user, id)
        return Response(EvaluationSerializer(evaluation_data(evaluation)).data)


class EvaluationPublishView(APIView):
    permission_classes = ASSESSMENT_STAFF

    @extend_schema(
        tags=[TAG_ASSESSMENT],
        operation_id="assessment_evaluation_publish",
        summary="发布考核结果",
        description="发布草稿：结果与规则集一同冻结，此后不能再修改或再次发布（已发布时返回 400）。仅考核员或监管员可以发布。",
        parameters=[EVALUATION_ID],
        request=None,
        responses={
            200: EvaluationSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
            409: ERROR_409,
        },
    )
    def post(self, request: Request, id: int) -> Response:
        evaluation = selectors.evaluation_get_for_user(request.user, id)
        services.evaluation_publish(evaluation=evaluation, actor=request.user, now=clock.now())
        evaluation = selectors.evaluation_get_for_user(request.user, id)
        return Response(EvaluationSerializer(evaluation_data(evaluation)).data)
