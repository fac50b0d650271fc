"""`/api/v1/appointments/…`: 预约.

- `GET  appointments/items/`                       bookable items (public)
- `GET  appointments/availability/?item=&hall=[&date=]` days with remaining places, or a day's slots (public)
- `GET  appointments/`                             a citizen's own appointments; staff: their halls' (by date)
- `POST appointments/`                             book (citizen: online; staff: for a caller, at their hall)
- `GET  appointments/{number}/`                    one appointment (someone else's is a 404)
- `POST appointments/{number}/actions/cancel/`     cancel before the slot starts
- `POST appointments/{number}/actions/check-in/`   staff: check in within the window → queue number
"""

from __future__ import annotations

import datetime as dt

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.api.serializers import ErrorSerializer
from zhengwu.appointments import permissions as appointment_permissions
from zhengwu.appointments import selectors, services
from zhengwu.appointments.choices import Channel
from zhengwu.common import clock
from zhengwu.common.api import Pagination
from zhengwu.common.errors import DomainError, NotFound

TAG = "预约"


class BookableItemSerializer(serializers.Serializer):
    code = serializers.CharField(source="implementation_code", help_text="实施编码")
    name = serializers.CharField(help_text="事项名称")
    department = serializers.CharField(source="department.name", help_text="实施主体")
    daily_quota = serializers.IntegerField(
        source="current_version.appointment_daily_quota", help_text="每天可预约办理量"
    )


class DaySerializer(serializers.Serializer):
    date = serializers.DateField(help_text="日期（工作日）")
    capacity = serializers.IntegerField(help_text="当日可约总数")
    remaining = serializers.IntegerField(help_text="尚可预约数（已开始的时段不计）")


class SlotSerializer(serializers.Serializer):
    start = serializers.TimeField(format="%H:%M", help_text="开始时间")
    end = serializers.TimeField(format="%H:%M", help_text="结束时间")
    capacity = serializers.IntegerField(help_text="可约数")
    remaining = serializers.IntegerField(help_text="余量")
    bookable = serializers.BooleanField(help_text="可预约（未开始且有余量）")


class AvailabilitySerializer(serializers.Serializer):
    item = serializers.CharField(help_text="事项实施编码")
    hall = serializers.IntegerField(help_text="大厅 ID")
    days = DaySerializer(many=True, help_text="可预约日期")
    date = serializers.DateField(allow_null=True, help_text="所查日期")
    slots = SlotSerializer(many=True, help_text="所查日期的时段（未给 date 时为空）")


class AppointmentSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="预约号 YY-<大厅>-<日期>-<序号>")
    status = serializers.CharField(help_text="booked/cancelled/checked_in/no_show/served")
    status_label = serializers.CharField(source="get_status_display", help_text="状态名称")
    channel = serializers.CharField(help_text="online 网上预约；hall 现场/电话预约")
    item = serializers.CharField(source="item.implementation_code", help_text="事项实施编码")
    item_name = serializers.CharField(source="item.name", help_text="事项名称")
    hall = serializers.IntegerField(source="hall_id", help_text="大厅 ID")
    hall_name = serializers.CharField(source="hall.name", help_text="大厅名称")
    date = serializers.DateField(help_text="预约日期")
    slot_start = serializers.TimeField(format="%H:%M", help_text="开始时间")
    slot_end = serializers.TimeField(format="%H:%M", help_text="结束时间")
    name_masked = serializers.CharField(help_text="预约人姓名（脱敏）")
    phone_masked = serializers.CharField(help_text="手机号码（脱敏）")
    ticket = serializers.CharField(
        source="queue_ticket.number", allow_null=True, default=None, help_text="签到后领取的排队号"
    )


class BookSerializer(serializers.Serializer):
    item = serializers.CharField(help_text="事项实施编码")
    hall = serializers.IntegerField(help_text="大厅 ID")
    date = serializers.DateField(help_text="预约日期 YYYY-MM-DD")
    slot = serializers.TimeField(help_text="时段开始时间 HH:MM")
    name = serializers.CharField(max_length=64, help_text="预约人姓名")
    phone = serializers.CharField(max_length=20, help_text="预约人手机号码（仅用于提醒和签到核对）")


def _item(code: str):
    item = selectors.appointment_item_list().filter(implementation_code=code).first()
    if item is None:
        raise DomainError("invalid", "事项不存在或不支持预约。", {"item": ["事项不存在或不支持预约。"]})
    return item


def _hall(item, hall_id: int):
    hall = selectors.item_hall_list(item).filter(pk=hall_id).first()
    if hall is None:
        raise DomainError("invalid", "该大厅不办理此事项的预约。", {"hall": ["该大厅不办理此事项的预约。"]})
    return hall


class BookableItemListView(APIView):
    permission_classes = [permissions.AllowAny]
    pagination_class = Pagination  # documents the paginated answer in the schema (get() pages by hand)

    @extend_schema(
        tags=[TAG],
        summary="可预约事项",
        description="支持预约的事项（已发布版本开通预约并设定每天可预约办理量）及可预约的大厅。",
        parameters=[OpenApiParameter("q", str, description="按名称或编码搜索")],
        responses={200: BookableItemSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        qs = selectors.appointment_item_list(search=request.query_params.get("q", "")[:50])
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(BookableItemSerializer(page, many=True).data)


class AvailabilityView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[TAG],
        summary="可预约日期与时段",
        description="事项在大厅今后若干工作日的余量；给出 date 时同时返回该日各时段的余量（约满的时段 bookable=false）。",
        parameters=[
            OpenApiParameter("item", str, required=True, description="事项实施编码"),
            OpenApiParameter("hall", int, required=True, description="大厅 ID"),
            OpenApiParameter("date", dt.date, description="查询时段的日期"),
        ],
        responses={200: AvailabilitySerializer, 400: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        try:
            hall_id = int(params.get("hall", ""))
        except ValueError:
            raise DomainError("invalid", "请指定大厅。", {"hall": ["大厅 ID 应为整数。"]}) from None
        item = _item(params.get("item", ""))
        hall = _hall(item, hall_id)
        now = clock.now()
        days = selectors.day_availability(hall, item, now=now)
        day = None
        slots: list = []
        if params.get("date"):
            try:
                day = dt.date.fromisoformat(params["date"])
            except ValueError:
                raise DomainError(
                    "invalid", "日期格式应为 YYYY-MM-DD。", {"date": ["日期格式应为 YYYY-MM-DD。"]}
                ) from None
            if day not in {d.date for d in days}:
                raise DomainError(
                    "invalid", "所选日期不可预约。", {"date": ["所选日期不在可预约的工作日内。"]}
                )
            slots = selectors.slot_availability(hall, item, day, now=now)
        body = {"item": item.implementation_code, "hall": hall.pk, "days": days, "date": day, "slots": slots}
        return Response(AvailabilitySerializer(body).data)


class AppointmentListView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination  # documents the paginated answer in the schema (get() pages by hand)

    @extend_schema(
        tags=[TAG],
        summary="预约列表",
        description="办事群众：本人的预约；工作人员：数据范围内大厅的预约（可按日期、大厅筛选）。姓名和手机号脱敏。",
        parameters=[
            OpenApiParameter("date", dt.date, description="工作人员：预约日期（默认今天）"),
            OpenApiParameter("hall", int, description="工作人员：大厅 ID"),
        ],
        responses={200: AppointmentSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        user = request.user
        if user.applicant_id:
            qs = selectors.appointment_list_for_citizen(user)
        else:
            try:
                day = dt.date.fromisoformat(request.query_params.get("date") or clock.today().isoformat())
                hall_id = int(request.query_params["hall"]) if request.query_params.get("hall") else None
            except ValueError:
                raise DomainError(
                    "invalid", "日期或大厅参数格式错误。", {"date": ["日期格式应为 YYYY-MM-DD。"]}
                ) from None
            qs = selectors.appointment_list_for_staff(user, day=day, hall_id=hall_id)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(AppointmentSerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="预约",
        description="办事群众本人网上预约（爽约限制期内拒绝）；工作人员为现场或来电群众在其范围内的大厅预约。"
        "约满返回 400（code=slot_full），同一人同一事项同一天只能有一个有效预约。",
        request=BookSerializer,
        responses={201: AppointmentSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        body = BookSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        item = _item(data["item"])
        hall = _hall(item, data["hall"])
        user = request.user
        if not user.applicant_id:
            appointment_permissions.hall_get_for_staff(user, hall.pk)  # 404 outside the scope
        appointment = services.appointment_book(
            hall=hall,
            item=item,
            day=data["date"],
            slot_start=data["slot"],
            name=data["name"],
            phone=data["phone"],
            channel=Channel.ONLINE if user.applicant_id else Channel.HALL,
            actor=user,
            now=clock.now(),
        )
        return Response(AppointmentSerializer(appointment).data, status=201)


def _get(user, number: str):
    if user.applicant_id:
        return appointment_permissions.appointment_get_for_citizen(user, number)
    return appointment_permissions.appointment_get_for_staff(user, number)


class AppointmentDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="预约详情",
        description="本人的预约或数据范围内大厅的预约；其他一律 404。",
        responses={200: AppointmentSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, number: str) -> Response:
        return Response(AppointmentSerializer(_get(request.user, number)).data)


class AppointmentCancelView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="取消预约",
        description="时段开始前可取消，名额随即释放。",
        request=None,
        responses={200: AppointmentSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def post(self, request: Request, number: str) -> Response:
        appointment = _get(request.user, number)
        appointment = services.appointment_cancel(
            appointment=appointment, actor=request.user, now=clock.now()
        )
        return Response(AppointmentSerializer(appointment).data)


class AppointmentCheckInView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="预约签到（工作人员）",
        description="在签到时间窗内（默认时段开始前30分钟至开始后15分钟）签到，领取预约优先的排队号。",
        request=None,
        responses={
            200: AppointmentSerializer,
            400: OpenApiResponse(ErrorSerializer, description="不在签到时间窗内或状态不允许"),
            404: ErrorSerializer,
        },
    )
    def post(self, request: Request, number: str) -> Response:
        if request.user.applicant_id:
            raise NotFound("预约不存在或无权查看。")
        appointment = appointment_permissions.appointment_get_for_staff(request.user, number)
        appointment = services.appointment_check_in(
            appointment=appointment, actor=request.user, now=clock.now()
        )
        return Response(AppointmentSerializer(appointment).data)


# Included by `api/urls.py` (names in the `api` namespace).
urlpatterns = [
    path("v1/appointments/items/", BookableItemListView.as_view(), name="appointment_items"),
    path("v1/appointments/availability/", AvailabilityView.as_view(), name="appointment_availability"),
    path("v1/appointments/", AppointmentListView.as_view(), name="appointment_list"),
    path("v1/appointments/<str:number>/", AppointmentDetailView.as_view(), name="appointment_detail"),
    path(
        "v1/appointments/<str:number>/actions/cancel/",
        AppointmentCancelView.as_view(),
        name="appointment_cancel",
    ),
    path(
        "v1/appointments/<str:number>/actions/check-in/",
        AppointmentCheckInView.as_view(),
        name="appointment_check_in",
    ),
]
