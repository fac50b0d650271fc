"""`/api/v1/reviews/…` and `/api/v1/rectifications/…`: 好差评.

- staff list and read the reviews of their data scope (personal data masked);
- a citizen rates their own concluded case (POST), once;
- rectification actions are one POST per action: `/rectifications/{id}/actions/{action}/`;
- statistics by unit and period: `/reviews/stats/?period=&by=`.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.api.serializers import ErrorSerializer
from zhengwu.cases.permissions import case_get_for_user
from zhengwu.common import clock, idempotency, ratelimit
from zhengwu.common.api import Pagination
from zhengwu.common.errors import DomainError, PermissionDenied
from zhengwu.metrics.selectors import period_parse
from zhengwu.reviews import choices as c
from zhengwu.reviews import permissions as review_permissions
from zhengwu.reviews import selectors, services

TAG = "好差评"


class ReviewSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="评价编号")
    kind = serializers.CharField(help_text="case：一事一评；visit：一次一评")
    channel = serializers.CharField(help_text="评价渠道")
    grade = serializers.IntegerField(help_text="总体评价 1–5（5 非常满意 … 1 非常不满意）")
    grade_label = serializers.CharField(source="get_grade_display", help_text="评价等级名称")
    scores = serializers.DictField(child=serializers.IntegerField(), help_text="分项评价（维度编码 → 1–5）")
    comment = serializers.CharField(help_text="评价内容")
    real_name = serializers.BooleanField(help_text="实名评价")
    contact_masked = serializers.CharField(help_text="评价人联系方式（脱敏）")
    paper_recorded = serializers.BooleanField(help_text="由工作人员录入的纸质评价表")
    voided = serializers.BooleanField(help_text="申诉成立已作废（不计入任何指标）")
    reviewed_on = serializers.DateField(help_text="评价日期")
    case_number = serializers.CharField(
        source="case.number", allow_null=True, default=None, help_text="办件编号"
    )
    department = serializers.CharField(source="department.name", help_text="被评部门")
    item = serializers.CharField(source="item.name", allow_null=True, default=None, help_text="事项")
    window = serializers.CharField(source="window.name", allow_null=True, default=None, help_text="窗口")


class ReviewCreateSerializer(serializers.Serializer):
    case = serializers.CharField(help_text="本人已办结办件的编号")
    grade = serializers.IntegerField(help_text="总体评价 1–5，必填，无默认值")
    scores = serializers.DictField(
        child=serializers.IntegerField(), required=False, help_text="分项评价（维度编码 → 1–5），可选"
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500, help_text="意见和建议")
    real_name = serializers.BooleanField(required=False, default=True, help_text="实名评价（默认是）")


class RectificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="整改编号")
    review = serializers.CharField(source="review.number", help_text="评价编号")
    state = serializers.CharField(help_text="状态")
    state_label = serializers.CharField(source="get_state_display", help_text="状态名称")
    department = serializers.CharField(source="department.name", help_text="整改单位")
    due_date = serializers.DateField(help_text="整改期限")
    overdue = serializers.BooleanField(help_text="超期")
    measures = serializers.CharField(help_text="整改措施")
    answer = serializers.CharField(help_text="反馈评价人内容")
    callback_result = serializers.CharField(help_text="回访结果")


class RectificationActionSerializer(serializers.Serializer):
    measures = serializers.CharField(required=False, allow_blank=True, help_text="整改措施（rectify）")
    explanation = serializers.CharField(required=False, allow_blank=True, help_text="解释说明（explain）")
    reason = serializers.CharField(required=False, allow_blank=True, help_text="申诉理由（appeal）")
    upheld = serializers.BooleanField(required=False, default=False, help_text="申诉成立（decide_appeal）")
    decision = serializers.CharField(required=False, allow_blank=True, help_text="复核意见（decide_appeal）")
    answer = serializers.CharField(required=False, allow_blank=True, help_text="反馈内容（feed_back）")
    result = serializers.ChoiceField(
        choices=c.CallbackResult.choices, required=False, help_text="回访结果（call_back）"
    )
    note = serializers.CharField(required=False, allow_blank=True, help_text="回访情况（call_back）")


class FiguresSerializer(serializers.Serializer):
    unit = serializers.CharField(source="name", help_text="单位名称")
    reviews = serializers.IntegerField(help_text="评价数（不含作废）")
    finished = serializers.IntegerField(help_text="办结件数")
    good = serializers.IntegerField(help_text="好评数（5、4、3 分）")
    bad = serializers.IntegerField(help_text="差评数（2、1 分）")
    active_rate = serializers.DecimalField(9, 2, allow_null=True, help_text="主动评价率 %")
    good_rate = serializers.DecimalField(9, 2, allow_null=True, help_text="好评率 %")
    bad_rate = serializers.DecimalField(9, 2, allow_null=True, help_text="差评率 %")
    rectified_rate = serializers.DecimalField(9, 2, allow_null=True, help_text="差评整改率 %")
    on_time_rate = serializers.DecimalField(9, 2, allow_null=True, help_text="按时整改率 %")
    callback_rate = serializers.DecimalField(9, 2, allow_null=True, help_text="实名差评回访率 %")


class StatsSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="期间")
    by = serializers.CharField(help_text="统计单位")
    units = FiguresSerializer(many=True, help_text="各单位指标")


class CanViewStats(permissions.BasePermission):
    message = "仅监管员、考核员、部门负责人或系统管理员可以查询好差评统计。"

    def has_permission(self, request, view) -> bool:
        return review_permissions.can_view_stats(request.user)


class ReviewListView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination  # documents the paginated answer in the schema (get() pages by hand)
    throttle_classes = ratelimit.submission_throttles("review_submit")  # POST only

    @extend_schema(
        tags=[TAG],
        summary="评价列表",
        description="工作人员数据范围内的评价（评价人信息脱敏）；办事群众得到本人的评价。",
        responses={200: ReviewSerializer(many=True), 403: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        user = request.user
        qs = (
            selectors.review_list_for_applicant(user=user)
            if user.applicant_id
            else selectors.review_list(user=user)
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ReviewSerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="评价本人办件",
        description="办事群众对本人已办结的办件作出评价（一事一评，自愿，无默认值，每件一次）。差评自动转办理部门整改。"
        "须带 `Idempotency-Key` 请求头，重复请求返回第一次的结果。",
        parameters=[idempotency.IDEMPOTENCY_KEY],
        request=ReviewCreateSerializer,
        responses={
            201: ReviewSerializer,
            400: OpenApiResponse(ErrorSerializer, description="输入有误或已评价"),
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: OpenApiResponse(ErrorSerializer, description="使用同一幂等键的请求正在处理中"),
            422: OpenApiResponse(ErrorSerializer, description="幂等键已用于内容不同的另一请求"),
            429: OpenApiResponse(ErrorSerializer, description="提交过于频繁，见 Retry-After"),
        },
    )
    @idempotency.idempotent
    def post(self, request: Request) -> Response:
        if not request.user.applicant_id:
            raise PermissionDenied("评价须由办事群众本人作出，工作人员不得代为评价。")
        body = ReviewCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        case = case_get_for_user(request.user, data["case"])
        review = services.review_submit(
            case=case,
            grade=data["grade"],
            channel=c.Channel.APP,
            actor=request.user,
            now=clock.now(),
            scores=data.get("scores"),
            comment=data.get("comment", ""),
            real_name=data.get("real_name", True),
        )
        return Response(ReviewSerializer(review).data, status=201)


class ReviewDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="评价详情",
        description="数据范围内的一条评价；范围外与不存在一样返回 404。",
        responses={200: ReviewSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, number: str) -> Response:
        review = review_permissions.review_get_for_user(request.user, number)
        return Response(ReviewSerializer(review).data)


def _action_view(action: str) -> type[APIView]:
    class RectificationActionView(APIView):
        permission_classes = [permissions.IsAuthenticated]

        @extend_schema(
            tags=[TAG],
            summary=f"差评整改：{services.ACTIONS[action]}",
            description=(
                f"对数据范围内的差评整改执行“{services.ACTIONS[action]}”。状态不允许时返回 400，"
                "他人已先处理返回 409，范围外返回 404。"
            ),
            request=RectificationActionSerializer,
            responses={
                200: RectificationSerializer,
                400: ErrorSerializer,
                403: ErrorSerializer,
                404: ErrorSerializer,
                409: ErrorSerializer,
            },
            operation_id=f"rectification_{action}",
        )
        def post(self, request: Request, id: int) -> Response:
            rectification = review_permissions.rectification_get_for_user(request.user, id)
            body = RectificationActionSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            d = body.validated_data
            user, now = request.user, clock.now()
            kw = {"rectification": rectification, "actor": user, "now": now}
            if action == "verify":
                result = services.rectification_verify(**kw)
            elif action == "rectify":
                result = services.rectification_rectify(**kw, measures=d.get("measures", ""))
            elif action == "explain":
                result = services.rectification_explain(**kw, explanation=d.get("explanation", ""))
            elif action == "appeal":
                result = services.rectification_appeal(**kw, reason=d.get("reason", ""))
            elif action == "decide_appeal":
                result = services.rectification_decide_appeal(
                    **kw, upheld=d.get("upheld", False), decision=d.get("decision", "")
                )
            elif action == "feed_back":
                result = services.rectification_feed_back(**kw, answer=d.get("answer", ""))
            elif action == "call_back":
                result = services.rectification_call_back(
                    **kw, result=d.get("result", ""), note=d.get("note", "")
                )
            else:
                result = services.rectification_close(**kw)
            return Response(RectificationSerializer(result).data)

    RectificationActionView.__name__ = f"Rectification_{action}_View"
    return RectificationActionView


ACTION_VIEWS = {action: _action_view(action) for action in services.ACTIONS}


class ReviewStatsView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanViewStats]

    @extend_schema(
        tags=[TAG],
        summary="好差评统计",
        description="某期间各单位的评价数、主动评价率、好评率、差评数、差评整改率、按时整改率、实名差评回访率，"
        "单位限于当前用户的数据范围；作废评价不计入。",
        parameters=[
            OpenApiParameter(
                "period",
                str,
                required=True,
                description="期间：2026、2026-Q3、2026-09 或 2026-01-01..2026-06-30",
            ),
            OpenApiParameter("by", str, enum=list(selectors.BY), description="统计单位（默认 department）"),
        ],
        responses={200: StatsSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        period = period_parse(request.query_params.get("period", ""))
        by = request.query_params.get("by") or "department"
        if by not in selectors.BY:
            raise DomainError(
                "invalid", f"统计单位“{by}”无效。", {"by": [f"可选：{'、'.join(selectors.BY)}。"]}
            )
        figures = selectors.review_stats(by=by, period=period, as_of=clock.today(), user=request.user)
        return Response(StatsSerializer({"period": period.label, "by": by, "units": figures}).data)


# Included by `api/urls.py` below its 好差评 marker (names in the `api` namespace).
urlpatterns = [
    path("v1/reviews/", ReviewListView.as_view(), name="review_list"),
    path("v1/reviews/stats/", ReviewStatsView.as_view(), name="review_stats"),
    path("v1/reviews/<str:number>/", ReviewDetailView.as_view(), name="review_detail"),
    *(
        path(f"v1/rectifications/<int:id>/actions/{action}/", view.as_view(), name=f"rectification_{action}")
        for action, view in ACTION_VIEWS.items()
    ),
]
