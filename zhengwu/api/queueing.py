"""`/api/v1/queue/…`: the hall queue (取号叫号).

- public, no sign-in: take a number (`POST /queue/halls/{hall_id}/tickets/`, rate-limited per address),
  a ticket's progress by its token, a hall's board data (numbers only, no names);
- window staff: call the next number of their window, and act on the ticket their window called
  (`POST /queue/tickets/{id}/actions/{action}/`: recall, skip, transfer, start, finish, cancel);
- hall managers: today's tickets of a hall they manage; transfer and cancel.

A ticket of another hall is "not found" (404); a stale `version` or a ticket taken meanwhile is 409.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.api.serializers import ErrorSerializer
from zhengwu.catalog.models import ServiceItem
from zhengwu.common import clock, idempotency, ratelimit
from zhengwu.common.errors import DomainError
from zhengwu.queueing import permissions as queue_permissions
from zhengwu.queueing import selectors, services
from zhengwu.queueing.choices import TicketPriority, TicketSource
from zhengwu.queueing.models import WindowGroup

TAG = "取号叫号"
ISSUES_PER_10_MINUTES = 5
SELF_CLASSES = [v for v in TicketPriority.values if v != TicketPriority.APPOINTMENT]


class QueueIssueSerializer(serializers.Serializer):
    group = serializers.CharField(
        required=False, allow_blank=True, max_length=8, help_text="窗口组字母，如 A"
    )
    item = serializers.CharField(
        required=False, allow_blank=True, max_length=64, help_text="事项实施编码（不指定窗口组时按事项分流）"
    )
    priority = serializers.ChoiceField(
        choices=SELF_CLASSES,
        default=TicketPriority.NORMAL,
        help_text="normal 普通；elderly 老年人优先（70周岁以上）；disabled 残疾人优先。预约号只能在预约签到时领取。",
    )


class QueuePublicTicketSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="号码，如 A023")
    token = serializers.CharField(help_text="查询令牌（手机进度页凭此查看，勿公开）")
    hall = serializers.CharField(source="hall.name", help_text="大厅")
    group = serializers.CharField(source="group.name", help_text="窗口组")
    group_code = serializers.CharField(source="group.code", help_text="窗口组字母")
    priority = serializers.CharField(help_text="优先类别")
    priority_label = serializers.CharField(source="get_priority_display", help_text="优先类别名称")
    status = serializers.CharField(help_text="waiting/called/serving/done/no_show/cancelled")
    status_label = serializers.CharField(source="get_status_display", help_text="状态名称")
    window = serializers.CharField(
        source="window.number", allow_null=True, default=None, help_text="叫号窗口号"
    )
    issued_at = serializers.DateTimeField(help_text="取号时间")


class QueueProgressSerializer(serializers.Serializer):
    ticket = QueuePublicTicketSerializer(help_text="号票")
    ahead = serializers.IntegerField(allow_null=True, help_text="前面等候人数（非等候状态为 null）")
    wait_minutes = serializers.IntegerField(
        allow_null=True,
        help_text="预计等候分钟数 = ⌈前面人数 × 平均服务时长 ÷ 开放窗口数 ÷ 60⌉；无开放窗口为 null",
    )
    open_windows = serializers.IntegerField(help_text="本窗口组开放窗口数")


class QueueStaffTicketSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="号票 ID")
    number = serializers.CharField(help_text="号码")
    group = serializers.CharField(source="group.code", help_text="窗口组字母")
    priority = serializers.CharField(help_text="优先类别")
    status = serializers.CharField(help_text="状态")
    source = serializers.CharField(help_text="取号方式")
    window = serializers.CharField(source="window.number", allow_null=True, default=None, help_text="窗口号")
    recall_count = serializers.IntegerField(help_text="重呼次数")
    issued_at = serializers.DateTimeField(help_text="取号时间")
    called_at = serializers.DateTimeField(allow_null=True, help_text="首次叫号时间")
    serve_started_at = serializers.DateTimeField(allow_null=True, help_text="开始受理时间")
    finished_at = serializers.DateTimeField(allow_null=True, help_text="结束时间")
    case = serializers.CharField(
        source="case.number", allow_null=True, default=None, help_text="关联办件编号"
    )
    version = serializers.IntegerField(help_text="版本（操作时回传，防止重复处理）")


class QueueBoardWindowSerializer(serializers.Serializer):
    window = serializers.CharField(source="window.number", help_text="窗口号")
    number = serializers.CharField(help_text="当前号（空为无）")
    status = serializers.CharField(help_text="called 叫号中 / serving 办理中")


class QueueBoardGroupSerializer(serializers.Serializer):
    code = serializers.CharField(source="group.code", help_text="窗口组字母")
    name = serializers.CharField(source="group.name", help_text="窗口组")
    waiting = serializers.IntegerField(help_text="等候人数")
    next_numbers = serializers.ListField(child=serializers.CharField(), help_text="即将叫到的号码")
    wait_minutes = serializers.IntegerField(allow_null=True, help_text="新取号预计等候分钟数")


class QueueBoardCallSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="号码")
    window = serializers.CharField(source="window.number", help_text="窗口号")
    called_at = serializers.DateTimeField(source="last_called_at", help_text="叫号时间")


class QueueBoardSerializer(serializers.Serializer):
    hall = serializers.CharField(source="hall.name", help_text="大厅")
    windows = QueueBoardWindowSerializer(many=True, help_text="各窗口当前号")
    groups = QueueBoardGroupSerializer(many=True, help_text="各窗口组等候情况")
    recent = QueueBoardCallSerializer(many=True, help_text="最近叫号")


class QueueActionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=0, help_text="页面所见版本；与当前不符返回 409"
    )
    to_group = serializers.CharField(
        required=False, max_length=8, help_text="转入窗口组字母（transfer 必填）"
    )


class QueueIssueView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[TAG],
        operation_id="queue_ticket_issue",
        summary="取号",
        description=(
            "免登录取号（扫码取号）。按窗口组或事项分流；每个地址每10分钟最多5次。不收集任何个人信息。"
            "须带 `Idempotency-Key` 请求头：网络重试不会多取一个号，重复请求返回第一次的结果。"
        ),
        parameters=[idempotency.IDEMPOTENCY_KEY],
        request=QueueIssueSerializer,
        responses={
            201: QueuePublicTicketSerializer,
            400: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
            422: ErrorSerializer,
            429: OpenApiResponse(ErrorSerializer, description="取号过于频繁"),
        },
    )
    @idempotency.idempotent
    def post(self, request: Request, hall_id: int) -> Response:
        hall = queue_permissions.hall_get_public(hall_id)
        body = QueueIssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if not ratelimit.allow(
            "queue_phone", ratelimit.client_ip(request), limit=ISSUES_PER_10_MINUTES, period=600
        ):
            return Response(
                {
                    "code": "throttled",
                    "message": "取号过于频繁，请稍后再试或到大厅取号机取号。",
                    "fields": {},
                },
                status=429,
            )
        group = queue_permissions.group_get_in_hall(hall, data["group"]) if data.get("group") else None
        item = None
        if group is None:
            if not data.get("item"):
                raise DomainError("invalid", "请指定窗口组或事项。", {"group": ["请指定窗口组或事项。"]})
            item = ServiceItem.objects.filter(implementation_code=data["item"]).first()
            if item is None:
                raise DomainError("invalid", "事项不存在。", {"item": ["事项不存在，请核对实施编码。"]})
        ticket = services.ticket_issue(
            hall=hall,
            group=group,
            item=item,
            priority=data["priority"],
            source=TicketSource.PHONE,
            now=clock.now(),
        )
        return Response(QueuePublicTicketSerializer(ticket).data, status=201)


class QueueProgressView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[TAG],
        operation_id="queue_ticket_progress",
        summary="排队进度",
        description="凭查询令牌免登录查看号码状态、前面人数、预计等候时间；被叫号时返回窗口号。",
        responses={200: QueueProgressSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, token: str) -> Response:
        ticket = queue_permissions.ticket_get_by_token(token)
        return Response(QueueProgressSerializer(selectors.ticket_progress(ticket, clock.now())).data)


class QueueBoardView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[TAG],
        operation_id="queue_board",
        summary="大厅叫号屏数据",
        description="各窗口当前号、各窗口组等候人数和即将叫到的号码、最近叫号；只有号码，没有姓名。",
        responses={200: QueueBoardSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, hall_id: int) -> Response:
        hall = queue_permissions.hall_get_public(hall_id)
        return Response(QueueBoardSerializer(selectors.hall_board(hall=hall, now=clock.now())).data)


class QueueCallNextView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        operation_id="queue_call_next",
        summary="叫下一号",
        description=(
            "本人所在窗口叫下一号（按优先类别、取号时间，连续优先叫号有上限）。两个窗口同时叫号不会叫到同一个号。"
            "无人等候返回 204；当前号未办结返回 400；未分配窗口返回 403。"
        ),
        request=None,
        responses={200: QueueStaffTicketSerializer, 204: None, 400: ErrorSerializer, 403: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        window = queue_permissions.operated_window(request.user)
        ticket = services.ticket_call_next(window=window, staff=request.user, now=clock.now())
        if ticket is None:
            return Response(status=204)
        return Response(QueueStaffTicketSerializer(ticket).data)


def _action_view(action: str) -> type[APIView]:
    label = {
        "recall": "重呼",
        "skip": "过号",
        "transfer": "转窗口组",
        "start": "开始受理",
        "finish": "办结",
        "cancel": "取消",
    }[action]

    class TicketActionView(APIView):
        permission_classes = [permissions.IsAuthenticated]

        @extend_schema(
            tags=[TAG],
            operation_id=f"queue_ticket_{action}",
            summary=f"排队号：{label}",
            description=(
                f"对本窗口所叫的号执行“{label}”（转窗口组、取消也可由大厅管理人员执行）。"
                "状态不允许返回 400，版本过期或他人已处理返回 409，其他大厅的号返回 404。"
            ),
            request=QueueActionSerializer,
            responses={
                200: QueueStaffTicketSerializer,
                400: ErrorSerializer,
                403: ErrorSerializer,
                404: ErrorSerializer,
                409: ErrorSerializer,
            },
        )
        def post(self, request: Request, ticket_id: int) -> Response:
            ticket = queue_permissions.ticket_get_for_user(request.user, ticket_id)
            body = QueueActionSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
            user, now, version = request.user, clock.now(), data.get("version")
            if action == "recall":
                ticket = services.ticket_recall(ticket=ticket, staff=user, now=now, version=version)
            elif action == "skip":
                ticket = services.ticket_skip(ticket=ticket, staff=user, now=now, version=version)
            elif action == "transfer":
                code = (data.get("to_group") or "").strip().upper()
                group = WindowGroup.objects.filter(hall=ticket.hall_id, code=code, is_active=True).first()
                if group is None:
                    raise DomainError(
                        "invalid", "转入窗口组无效。", {"to_group": ["请填写本大厅启用的窗口组字母。"]}
                    )
                ticket = services.ticket_transfer(
                    ticket=ticket, to_group=group, actor=user, now=now, version=version
                )
            elif action == "start":
                ticket = services.ticket_start_serving(ticket=ticket, staff=user, now=now, version=version)
            elif action == "finish":
                ticket = services.ticket_finish(ticket=ticket, staff=user, now=now, version=version)
            else:
                ticket = services.ticket_cancel(ticket=ticket, actor=user, now=now, version=version)
            ticket = queue_permissions.ticket_get_for_user(user, ticket.pk)
            return Response(QueueStaffTicketSerializer(ticket).data)

    TicketActionView.__name__ = f"Queue{action.title()}View"
    return TicketActionView


ACTION_VIEWS = {a: _action_view(a) for a in ("recall", "skip", "transfer", "start", "finish", "cancel")}


class QueueHallTicketsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        operation_id="queue_hall_tickets",
        summary="大厅今日排队号",
        description="本大厅窗口人员或大厅管理人员查看今日全部排队号；其他大厅返回 404。",
        responses={200: QueueStaffTicketSerializer(many=True), 404: ErrorSerializer},
    )
    def get(self, request: Request, hall_id: int) -> Response:
        hall = queue_permissions.hall_get_for_staff(request.user, hall_id)
        tickets = selectors.hall_tickets(hall=hall, day=clock.today())
        return Response(QueueStaffTicketSerializer(tickets, many=True).data)


# Included by `api/urls.py` below its 取号叫号 marker (names in the `api` namespace).
urlpatterns = [
    path("v1/queue/halls/<int:hall_id>/tickets/", QueueIssueView.as_view(), name="queue_issue"),
    path("v1/queue/halls/<int:hall_id>/today/", QueueHallTicketsView.as_view(), name="queue_hall_tickets"),
    path("v1/queue/halls/<int:hall_id>/board/", QueueBoardView.as_view(), name="queue_board"),
    path("v1/queue/tickets/<str:token>/progress/", QueueProgressView.as_view(), name="queue_progress"),
    path("v1/queue/call-next/", QueueCallNextView.as_view(), name="queue_call_next"),
    *(
        path(f"v1/queue/tickets/<int:ticket_id>/actions/{action}/", view.as_view(), name=f"queue_{action}")
        for action, view in ACTION_VIEWS.items()
    ),
]
