"""`/api/v1/metrics/…`: supervision metrics by unit and period, from the rollups (as the 效能监督 page and
`zhengwu metrics show`), and the metric registry with each formula's documentation.

Staff who may read metrics only (`zhengwu.metrics.permissions.can_view`); units are limited to the
caller's data scope. Bad input (a period, a unit kind or a metric code) → 400 naming the parameter.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.api.serializers import ErrorSerializer
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.domain import metrics as dm
from zhengwu.metrics import selectors
from zhengwu.metrics.permissions import can_view
from zhengwu.organization.models import Region

TAG = "效能指标"


class CanViewMetrics(permissions.BasePermission):
    message = "仅监管员、考核员、部门负责人或系统管理员可以查询效能指标。"

    def has_permission(self, request, view) -> bool:
        return can_view(request.user)


class MetricDefinitionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="指标编码")
    name = serializers.CharField(help_text="指标名称")
    unit = serializers.CharField(help_text="单位：件、张、%、工作日")
    direction = serializers.CharField(help_text="higher：越高越好；lower：越低越好")
    group = serializers.CharField(help_text="分组：办件、事项、一件事、好差评、12345")
    doc = serializers.CharField(help_text="口径说明")


class UnitValuesSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="单位名称")
    kind = serializers.CharField(help_text="region / department / window / staff")
    id = serializers.IntegerField(help_text="单位编号（区划、部门、窗口或工作人员）")
    values = serializers.DictField(
        child=serializers.CharField(allow_null=True),
        help_text="指标编码 → 数值（字符串，比率为百分数，两位小数）；分母为 0 时为 null",
    )


class MetricTableSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="期间")
    start = serializers.DateField(help_text="期间起始日")
    end = serializers.DateField(help_text="期间截止日")
    by = serializers.CharField(help_text="统计单位类型")
    metrics = MetricDefinitionSerializer(many=True, help_text="所列指标的定义")
    units = UnitValuesSerializer(many=True, help_text="各单位的指标值")


def _definition(metric: dm.Metric) -> dict:
    return {
        "code": metric.code,
        "name": metric.name,
        "unit": metric.unit,
        "direction": metric.direction.value,
        "group": metric.group,
        "doc": metric.doc,
    }


class MetricDefinitionsView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanViewMetrics]

    @extend_schema(
        tags=[TAG],
        summary="指标定义",
        description="全部已登记指标的编码、名称、单位、方向和口径说明。",
        responses={200: MetricDefinitionSerializer(many=True), 403: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        return Response([_definition(m) for m in dm.METRICS.values()])


class MetricTableView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanViewMetrics]

    @extend_schema(
        tags=[TAG],
        summary="按单位查询指标",
        description="从指标日/月汇总计算某期间各单位的指标，单位限于当前用户的数据范围。",
        parameters=[
            OpenApiParameter(
                "period",
                str,
                required=True,
                description="期间：2026、2026-Q3、2026-09 或 2026-01-01..2026-06-30",
            ),
            OpenApiParameter("by", str, enum=list(selectors.KINDS), description="统计单位（默认 region）"),
            OpenApiParameter("metrics", str, description="指标编码，逗号分隔（默认全部）"),
            OpenApiParameter("parent", int, description="只列该区划及其下级的单位（区划编号）"),
        ],
        responses={
            200: MetricTableSerializer,
            400: OpenApiResponse(ErrorSerializer, description="参数有误"),
            403: ErrorSerializer,
        },
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        period = selectors.period_parse(params.get("period", ""))
        by = params.get("by") or "region"
        if by not in selectors.KINDS:
            raise DomainError(
                "invalid", f"统计单位“{by}”无效。", {"by": [f"可选：{'、'.join(selectors.KINDS)}。"]}
            )
        codes = [c.strip() for c in (params.get("metrics") or "").split(",") if c.strip()] or list(dm.METRICS)
        unknown = [c for c in codes if c not in dm.METRICS]
        if unknown:
            raise DomainError(
                "invalid",
                f"指标编码不存在：{'、'.join(unknown)}。",
                {"metrics": ["请使用指标定义中的编码。"]},
            )
        parent = None
        if params.get("parent"):
            try:
                unit = selectors.unit_get(user=request.user, kind="region", pk=int(params["parent"]))
            except (ValueError, NotFound):
                raise DomainError(
                    "invalid", "区划不存在或不在您的数据范围内。", {"parent": ["区划无效。"]}
                ) from None
            parent = Region.objects.get(pk=unit.pk)
        units = selectors.units_for(user=request.user, kind=by, parent=parent)
        values = selectors.unit_metrics(units, period, codes)
        body = {
            "period": period.label,
            "start": period.start,
            "end": period.end,
            "by": by,
            "metrics": [_definition(dm.METRICS[c]) for c in codes],
            "units": [
                {
                    "unit": u.name,
                    "kind": u.kind,
                    "id": u.pk,
                    "values": {c: None if values[u.key][c] is None else str(values[u.key][c]) for c in codes},
                }
                for u in units
            ],
        }
        return Response(MetricTableSerializer(body).data)
