"""`/api/v1/budget/…`: 预算绩效 — the budget projects in the caller's data scope, one project with its
indicators (and their latest actuals), spending, plan, latest monitoring and self-evaluation; recording
spending and running a monitoring snapshot.

Staff only. Projects are limited to the caller's departments (`zhengwu.budget.selectors`); another scope's
project answers 404. Writes are for department heads and supervisors (403 otherwise). Views hold no rule:
they call `zhengwu.budget.services`; a `DomainError` becomes {"code", "message", "fields"}.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.api.permissions import STAFF
from zhengwu.api.serializers import ErrorSerializer
from zhengwu.budget import selectors, services
from zhengwu.budget.models import Monitoring, Project, SelfEvaluation
from zhengwu.budget.permissions import require_edit
from zhengwu.common.errors import DomainError, NotFound

TAG_BUDGET = "预算绩效"

ERROR_400 = OpenApiResponse(ErrorSerializer, description="输入有误，`fields` 指出字段")
ERROR_401 = OpenApiResponse(ErrorSerializer, description="未登录或令牌无效")
ERROR_403 = OpenApiResponse(ErrorSerializer, description="非工作人员，或角色不能执行此操作")
ERROR_404 = OpenApiResponse(ErrorSerializer, description="预算项目不存在或不在数据范围内")


CODE = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description="项目编码")
YEAR = OpenApiParameter(
    "year",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    description="年度；同一编码有多个年度时必填（默认最近年度）",
)


# -- serializers --------------------------------------------------------------------------------------


class ProjectBriefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="项目编码")
    name = serializers.CharField(help_text="项目名称")
    year = serializers.IntegerField(help_text="年度")
    department = serializers.CharField(source="department.name", help_text="预算单位")
    fiscal_funds = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="财政资金（元）")
    other_funds = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="其他资金（元）")
    budget = serializers.DecimalField(
        source="effective_budget", max_digits=16, decimal_places=2, help_text="预算数（调整后，元）"
    )
    evaluation_status = serializers.SerializerMethodField(help_text="绩效自评状态；未自评为空")

    def get_evaluation_status(self, project: Project) -> str:
        try:
            return project.self_evaluation.status
        except SelfEvaluation.DoesNotExist:
            return ""


class ActualSerializer(serializers.Serializer):
    date = serializers.DateField(source="monitoring.date", help_text="监控日期")
    value = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True, help_text="实际完成值")
    computed = serializers.BooleanField(help_text="是否由平台数据计算")
    evidence = serializers.CharField(help_text="佐证")
    alert = serializers.CharField(help_text="偏差预警：空、yellow 或 red")


class IndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", help_text="指标编号")
    level1 = serializers.CharField(source="parent.parent.name", help_text="一级指标")
    level2 = serializers.CharField(source="parent.name", help_text="二级指标")
    name = serializers.CharField(help_text="三级指标")
    description = serializers.CharField(help_text="绩效指标描述")
    operator = serializers.CharField(help_text="比较方式：=、≥、≤、>、< 或 qualitative（定性）")
    target = serializers.CharField(source="target_display", help_text="指标值（目标表写法）")
    target_value = serializers.DecimalField(
        max_digits=16, decimal_places=4, allow_null=True, help_text="指标值（数值）"
    )
    unit = serializers.CharField(help_text="计量单位")
    basis = serializers.CharField(help_text="指标值确定依据")
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, help_text="分值")
    metric_code = serializers.CharField(help_text="绑定的平台指标；空为人工填报")
    latest_actual = serializers.SerializerMethodField(help_text="最近一次监控的完成值")

    def get_latest_actual(self, indicator) -> dict[str, Any] | None:
        actual = self.context.get("actuals", {}).get(indicator.pk)
        return ActualSerializer(actual).data if actual is not None else None


class SpendingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", read_only=True, help_text="记录编号")
    date = serializers.DateField(help_text="支出日期")
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="金额（元），大于 0")
    voucher = serializers.CharField(max_length=64, required=False, allow_blank=True, help_text="凭证号")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, help_text="摘要")


class CheckpointSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="节点日期")
    planned_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, help_text="累计计划支出比例（%）"
    )


class MonitoringSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="监控日期")
    spent = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="累计支出（元）")
    planned_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, help_text="累计计划支出比例（%）"
    )
    actual_percent = serializers.DecimalField(
        max_digits=7, decimal_places=2, allow_null=True, help_text="累计实际支出比例（%）"
    )
    alert = serializers.CharField(help_text="执行预警：空、yellow 或 red")
    cause = serializers.CharField(help_text="偏差原因")
    measures = serializers.CharField(help_text="纠偏措施")
    indicators = serializers.SerializerMethodField(help_text="各三级指标的完成值与偏差预警")

    def get_indicators(self, monitoring: Monitoring) -> list[dict[str, Any]]:
        return [
            {
                "indicator": actual.indicator_id,
                "name": actual.indicator.name,
                "value": None if actual.value is None else str(actual.value),
                "computed": actual.computed,
                "alert": actual.alert,
            }
            for actual in monitoring.actuals.select_related("indicator")
        ]


class SelfEvaluationSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="状态：draft 草稿、submitted 已提交、final 已审核")
    total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, help_text="总分")
    grade = serializers.CharField(help_text="等级：优、良、中、差")
    result = serializers.JSONField(help_text="评分明细（预算执行率、各指标分值与得分、说明）")
    explanation = serializers.CharField(help_text="执行率偏低说明")
    review_note = serializers.CharField(help_text="审核意见")


class ProjectDetailSerializer(ProjectBriefSerializer):
    purpose = serializers.CharField(help_text="资金用途")
    goal = serializers.CharField(help_text="绩效目标")
    indicators = serializers.SerializerMethodField(help_text="三级指标及最近一次监控的完成值")
    spending = serializers.SerializerMethodField(help_text="支出记录")
    plan = serializers.SerializerMethodField(help_text="资金支出计划")
    latest_monitoring = serializers.SerializerMethodField(help_text="最近一次绩效运行监控；未监控为空")
    self_evaluation = serializers.SerializerMethodField(help_text="绩效自评；未自评为空")

    def get_indicators(self, project: Project) -> list[dict[str, Any]]:
        return IndicatorSerializer(services.leaves(project), many=True, context=self.context).data

    def get_spending(self, project: Project) -> list[dict[str, Any]]:
        return SpendingSerializer(project.spending.order_by("date", "pk"), many=True).data

    def get_plan(self, project: Project) -> list[dict[str, Any]]:
        return CheckpointSerializer(project.checkpoints.all(), many=True).data

    def get_latest_monitoring(self, project: Project) -> dict[str, Any] | None:
        monitoring = self.context.get("monitoring")
        return MonitoringSerializer(monitoring).data if monitoring is not None else None

    def get_self_evaluation(self, project: Project) -> dict[str, Any] | None:
        evaluation = SelfEvaluation.objects.filter(project=project).first()
        return SelfEvaluationSerializer(evaluation).data if evaluation is not None else None


class MonitoringRequestSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="监控日期（项目年度内）")
    cause = serializers.CharField(required=False, allow_blank=True, default="", help_text="偏差原因")
    measures = serializers.CharField(required=False, allow_blank=True, default="", help_text="纠偏措施")


# -- views --------------------------------------------------------------------------------------------


def _digits(text: str) -> bool:
    """ASCII digits only: str.isdigit() also accepts "²", which int() refuses (a 500)."""
    return text.isascii() and text.isdigit()


def _project(request: Request, code: str) -> Project:
    qs = selectors.project_list(user=request.user).filter(code=code)
    year = request.query_params.get("year")
    if year:
        if not _digits(year):
            raise DomainError("invalid_year", "年度应为数字。", {"year": ["年度应为数字。"]})
        qs = qs.filter(year=int(year))
    project = qs.order_by("-year").first()
    if project is None:
        raise NotFound("预算项目不存在或不在您的数据范围内。")
    return project


_require_edit = require_edit


class ProjectListView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=[TAG_BUDGET],
        summary="预算项目列表",
        description="数据范围内的预算项目（按年度倒序）；`year` 只列该年度。",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.QUERY, description="年度")],
        responses={200: ProjectBriefSerializer(many=True), 400: ERROR_400, 401: ERROR_401, 403: ERROR_403},
    )
    def get(self, request: Request) -> Response:
        year = request.query_params.get("year")
        if year and not _digits(year):
            raise DomainError("invalid_year", "年度应为数字。", {"year": ["年度应为数字。"]})
        qs = selectors.project_list(user=request.user, year=int(year) if year else None)
        return Response(ProjectBriefSerializer(qs, many=True).data)


class ProjectDetailView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=[TAG_BUDGET],
        summary="预算项目详情",
        description="项目、三级指标（含最近一次监控的完成值）、支出记录、资金支出计划、最近一次监控和绩效自评。",
        parameters=[CODE, YEAR],
        responses={200: ProjectDetailSerializer, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
    )
    def get(self, request: Request, code: str) -> Response:
        project = _project(request, code)
        monitoring = project.monitorings.order_by("-date").first()
        actuals = (
            {a.indicator_id: a for a in monitoring.actuals.select_related("monitoring")} if monitoring else {}
        )
        context = {"monitoring": monitoring, "actuals": actuals}
        return Response(ProjectDetailSerializer(project, context=context).data)


class SpendingCreateView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=[TAG_BUDGET],
        summary="记录支出",
        description="为项目记录一笔支出（日期须在项目年度内，金额大于 0）。部门负责人或监管员。",
        parameters=[CODE, YEAR],
        request=SpendingSerializer,
        responses={
            201: SpendingSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
        },
    )
    def post(self, request: Request, code: str) -> Response:
        project = _project(request, code)
        _require_edit(request.user)
        payload = SpendingSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        entry = services.spending_record(project=project, actor=request.user, **payload.validated_data)
        return Response(SpendingSerializer(entry).data, status=status.HTTP_201_CREATED)


class MonitoringRunView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=[TAG_BUDGET],
        summary="开展绩效运行监控",
        description="按日期生成监控快照（同一日期覆盖）：累计支出与计划比较的执行预警，绑定平台指标的完成值"
        "与偏差预警。部门负责人或监管员。",
        parameters=[CODE, YEAR],
        request=MonitoringRequestSerializer,
        responses={
            201: MonitoringSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
        },
    )
    def post(self, request: Request, code: str) -> Response:
        project = _project(request, code)
        _require_edit(request.user)
        payload = MonitoringRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        snapshot = services.monitoring_run(project=project, actor=request.user, **payload.validated_data)
        return Response(MonitoringSerializer(snapshot).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("v1/budget/projects/", ProjectListView.as_view(), name="budget_project_list"),
    path("v1/budget/projects/<str:code>/", ProjectDetailView.as_view(), name="budget_project_detail"),
    path("v1/budget/projects/<str:code>/spending/", SpendingCreateView.as_view(), name="budget_spending"),
    path("v1/budget/projects/<str:code>/monitoring/", MonitoringRunView.as_view(), name="budget_monitoring"),
]
