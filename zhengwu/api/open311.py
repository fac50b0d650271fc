"""`/api/open311/v2/…`: the read endpoints of Open311 GeoReport v2 over the public 12345 tickets.

GET services.json (the ticket categories as services), requests.json (published tickets) and
requests/{id}.json. "Published" means what the portal already shows: 市长信箱 letters whose writers
agreed to publication and that are replied, and online questions the centre published as an item's
FAQ; confidential and merged tickets never appear. No caller data: the address is the region's name.
Included by zhengwu/api/urls.py (`urlpatterns` below). https://wiki.open311.org/GeoReport_v2/
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.api.serializers import ErrorSerializer
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.common.ratelimit import SharedRateThrottle
from zhengwu.domain.hotline_flow import FINISHED, Status
from zhengwu.hotline import choices as c
from zhengwu.hotline.models import Ticket

TAG = "Open311 公开接口"
GROUP = "12345政务服务便民热线"
DESCRIPTION_LIMIT = 200
MAX_LIMIT = 200


class Open311Throttle(SharedRateThrottle):
    """At most 60 Open311 reads a minute from one address, counted across server processes."""

    scope = "open311"
    rate = "60/min"


class PublicView(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [Open311Throttle]


class ServiceSerializer(serializers.Serializer):
    service_code = serializers.CharField(help_text="服务代码（诉求类别）")
    service_name = serializers.CharField(help_text="服务名称")
    description = serializers.CharField(help_text="说明")
    metadata = serializers.BooleanField(help_text="是否有附加字段（恒为 false）")
    type = serializers.CharField(help_text="realtime")
    keywords = serializers.CharField(help_text="关键词")
    group = serializers.CharField(help_text="分组")


class RequestSerializer(serializers.Serializer):
    service_request_id = serializers.CharField(help_text="工单编号")
    status = serializers.ChoiceField(choices=["open", "closed"], help_text="open 或 closed")
    status_notes = serializers.CharField(help_text="状态说明（中文）")
    service_name = serializers.CharField(help_text="诉求类别名称")
    service_code = serializers.CharField(help_text="诉求类别代码")
    description = serializers.CharField(help_text=f"诉求内容（最多 {DESCRIPTION_LIMIT} 字）")
    agency_responsible = serializers.CharField(allow_null=True, help_text="承办单位")
    service_notice = serializers.CharField(help_text="答复内容（最多 200 字）")
    requested_datetime = serializers.DateTimeField(help_text="受理时间（ISO 8601）")
    updated_datetime = serializers.DateTimeField(help_text="最后更新时间")
    address = serializers.CharField(help_text="诉求区划名称（不含具体地址）")


class RequestQuerySerializer(serializers.Serializer):
    service_code = serializers.ChoiceField(choices=c.Category.choices, required=False, help_text="诉求类别")
    status = serializers.ChoiceField(choices=["open", "closed"], required=False, help_text="open 或 closed")
    start_date = serializers.DateTimeField(required=False, help_text="受理时间不早于（ISO 8601）")
    end_date = serializers.DateTimeField(required=False, help_text="受理时间早于（ISO 8601）")
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_LIMIT, default=50, help_text="条数"
    )


def public_requests() -> QuerySet[Ticket]:
    published = Q(channel=c.Channel.MAILBOX, publish_consent=True, replied_at__isnull=False) | Q(
        faq_published=True, replied_at__isnull=False
    )
    return (
        Ticket.objects.filter(published)
        .exclude(confidential=True)
        .exclude(status=Status.MERGED)
        .select_related("region", "department")
        .order_by("-received_at", "-id")
    )


def _cut(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _row(ticket: Ticket) -> dict:
    return {
        "service_request_id": ticket.number,
        "status": "closed" if ticket.status in FINISHED else "open",
        "status_notes": ticket.get_status_display(),
        "service_name": ticket.get_category_display(),
        "service_code": ticket.category,
        "description": _cut(ticket.content),
        "agency_responsible": ticket.department.name if ticket.department else None,
        "service_notice": _cut(ticket.reply),
        "requested_datetime": ticket.received_at.astimezone(LOCAL_TZ),
        "updated_datetime": ticket.updated_at.astimezone(LOCAL_TZ),
        "address": ticket.region.name,
    }


class ServicesView(PublicView):
    @extend_schema(
        tags=[TAG],
        operation_id="open311_services",
        summary="Open311 服务列表",
        description="12345 诉求类别作为 Open311 服务（GeoReport v2 services.json）。",
        responses={200: ServiceSerializer(many=True), 429: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        rows = [
            {
                "service_code": value,
                "service_name": label,
                "description": f"12345 {label}类诉求",
                "metadata": False,
                "type": "realtime",
                "keywords": label,
                "group": GROUP,
            }
            for value, label in c.Category.choices
        ]
        return Response(ServiceSerializer(rows, many=True).data)


class RequestsView(PublicView):
    @extend_schema(
        tags=[TAG],
        operation_id="open311_requests",
        summary="Open311 公开诉求列表",
        description="已公开的诉求（同意公开且已答复的市长信箱来信、公开为常见问题的网上咨询），不含保密件和来电人信息。",
        parameters=[RequestQuerySerializer],
        responses={200: RequestSerializer(many=True), 400: ErrorSerializer, 429: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        query = RequestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        qs = public_requests()
        if q.get("service_code"):
            qs = qs.filter(category=q["service_code"])
        if q.get("status") == "closed":
            qs = qs.filter(status__in=list(FINISHED))
        elif q.get("status") == "open":
            qs = qs.exclude(status__in=list(FINISHED))
        if q.get("start_date"):
            qs = qs.filter(received_at__gte=q["start_date"])
        if q.get("end_date"):
            qs = qs.filter(received_at__lt=q["end_date"])
        if (
            q.get("start_date")
            and q.get("end_date")
            and q["end_date"] - q["start_date"] > dt.timedelta(days=90)
        ):
            raise DomainError(
                "invalid", "查询区间不能超过 90 天。", {"end_date": ["查询区间不能超过 90 天。"]}
            )
        rows = [_row(t) for t in qs[: q["limit"]]]
        return Response(RequestSerializer(rows, many=True).data)


class RequestDetailView(PublicView):
    @extend_schema(
        tags=[TAG],
        operation_id="open311_request",
        summary="Open311 单个公开诉求",
        description="按工单编号返回一个公开诉求（按 GeoReport v2 约定为只含一项的数组）；未公开的一律 404。",
        parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH, description="工单编号")],
        responses={200: RequestSerializer(many=True), 404: ErrorSerializer, 429: ErrorSerializer},
    )
    def get(self, request: Request, id: str) -> Response:
        ticket = public_requests().filter(number=id).first()
        if ticket is None:
            raise NotFound("诉求不存在或未公开。")
        return Response(RequestSerializer([_row(ticket)], many=True).data)


urlpatterns = [
    path("open311/v2/services.json", ServicesView.as_view(), name="open311_services"),
    path("open311/v2/requests.json", RequestsView.as_view(), name="open311_requests"),
    path("open311/v2/requests/<str:id>.json", RequestDetailView.as_view(), name="open311_request"),
]
