"""`/api/v1/tickets/…`: 12345 tickets for staff (scoped list, create, detail, one POST per action) and the
public progress query by number + query code. Included by zhengwu/api/urls.py (`urlpatterns` below)."""

from __future__ import annotations

from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, permissions, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.api.permissions import STAFF
from zhengwu.api.serializers import ErrorSerializer
from zhengwu.common import clock, filestore, idempotency, ratelimit
from zhengwu.common.api import Pagination
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.common.uploads import MIME_TYPES
from zhengwu.domain.hotline_flow import ACTION_LABELS, Action
from zhengwu.hotline import choices as c
from zhengwu.hotline import selectors, services, uploads
from zhengwu.hotline.access import acts_for_centre
from zhengwu.organization.models import Department, Region

TAG = "12345热线"
TAG_PUBLIC = "公开查询"


class TicketListSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="工单编号")
    title = serializers.CharField(help_text="标题")
    channel = serializers.CharField(help_text="渠道")
    category = serializers.CharField(help_text="类别")
    urgency = serializers.CharField(help_text="紧急程度")
    status = serializers.CharField(help_text="状态")
    status_label = serializers.CharField(source="get_status_display", help_text="状态名称")
    department = serializers.CharField(source="department.name", default=None, help_text="承办单位")
    received_at = serializers.DateTimeField(help_text="受理时间")
    sign_due_at = serializers.DateTimeField(allow_null=True, help_text="签收时限")
    finish_due_at = serializers.DateTimeField(allow_null=True, help_text="办结时限（含已批准的延期）")
    sign_overdue = serializers.BooleanField(help_text="签收超期")
    finish_overdue = serializers.BooleanField(help_text="办结超期")


class SplitChildSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="子单编号")
    department = serializers.CharField(source="department.name", default=None, help_text="承办单位")
    status = serializers.CharField(help_text="状态")
    status_label = serializers.CharField(source="get_status_display", help_text="状态名称")
    finish_due_at = serializers.DateTimeField(allow_null=True, help_text="办结时限")
    reply = serializers.CharField(help_text="答复内容")


class SplitPartSerializer(serializers.Serializer):
    department = serializers.IntegerField(help_text="承办单位编号")
    content = serializers.CharField(allow_blank=True, help_text="交给该单位办理的诉求内容")


class TicketFileSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="附件编号")
    name = serializers.CharField(source="original_name", help_text="文件名")
    kind = serializers.CharField(help_text="文件类型，如 pdf、jpg")
    size = serializers.IntegerField(help_text="大小（字节）")
    uploaded_at = serializers.DateTimeField(source="created_at", help_text="上传时间")
    download_url = serializers.SerializerMethodField(help_text="下载地址（需登录，仅能看到该工单的人可下载）")

    def get_download_url(self, file) -> str:
        url = reverse("api:ticket_file_download", args=[file.ticket.number, file.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class TicketFileUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="附件：PDF、JPG、PNG、OFD、DOCX、XLSX；按实际内容检查类型")


class TicketDetailSerializer(TicketListSerializer):
    content = serializers.CharField(help_text="诉求内容")
    topic = serializers.CharField(help_text="诉求主题")
    region = serializers.CharField(source="region.name", help_text="诉求区划")
    location = serializers.CharField(help_text="诉求地点")
    caller = serializers.SerializerMethodField(
        help_text="来电人（姓名、电话均已脱敏；保密件对承办单位不显示；热线中心可在工作台“查看完整信息”）"
    )
    reply = serializers.CharField(help_text="答复内容")
    satisfaction = serializers.CharField(help_text="回访满意度")
    extension_state = serializers.CharField(help_text="延期状态")
    parent = serializers.CharField(source="parent.number", default=None, help_text="并入的主单编号")
    split_parent = serializers.CharField(
        source="split_parent.number", default=None, help_text="拆单：本子单拆自的主单编号"
    )
    split_children = serializers.SerializerMethodField(
        help_text="拆单：主单的子单（仅热线中心可见；承办单位只看到派给本单位的子单）"
    )
    files = serializers.SerializerMethodField(
        help_text="附件（保密件的附件承办单位同样可见：附件是诉求内容，不是来电人身份）"
    )
    allowed_actions = serializers.SerializerMethodField(help_text="当前用户可执行的操作")

    @extend_schema_field(TicketFileSerializer(many=True))
    def get_files(self, ticket) -> list[dict]:
        files = ticket.files.select_related("ticket").all()
        return TicketFileSerializer(files, many=True, context=self.context).data

    def get_caller(self, ticket) -> dict[str, str]:
        return selectors.caller_for(self.context["request"].user, ticket)

    @extend_schema_field(SplitChildSerializer(many=True))
    def get_split_children(self, ticket) -> list[dict]:
        if not acts_for_centre(self.context["request"].user, ticket):
            return []
        children = ticket.split_children.select_related("department").order_by("pk")
        return SplitChildSerializer(children, many=True).data

    def get_allowed_actions(self, ticket) -> list[str]:
        return [a.value for a in services.ticket_actions_for(self.context["request"].user, ticket)]


class TicketCreateSerializer(serializers.Serializer):
    channel = serializers.CharField(help_text="渠道：phone（坐席登记来电）或 api（对接系统）")
    category = serializers.ChoiceField(choices=c.Category.choices, help_text="诉求类别")
    urgency = serializers.ChoiceField(choices=c.Urgency.choices, default="normal", help_text="紧急程度")
    region = serializers.CharField(help_text="诉求区划代码（12 位）")
    title = serializers.CharField(max_length=128, help_text="标题")
    content = serializers.CharField(help_text="诉求内容")
    topic = serializers.CharField(required=False, default="", allow_blank=True, help_text="诉求主题")
    location = serializers.CharField(required=False, default="", allow_blank=True, help_text="诉求地点")
    caller_name = serializers.CharField(required=False, default="", allow_blank=True, help_text="来电人")
    caller_phone = serializers.CharField(required=False, default="", allow_blank=True, help_text="联系电话")
    confidential = serializers.BooleanField(default=False, help_text="来电人要求保密")


class TicketActionSerializer(serializers.Serializer):
    department = serializers.IntegerField(required=False, help_text="承办单位编号（派单、改派）")
    is_complex = serializers.BooleanField(required=False, default=False, help_text="复杂件（派单）")
    complex_reason = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="复杂件理由"
    )
    reply = serializers.CharField(required=False, default="", allow_blank=True, help_text="答复内容")
    reason = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="退单理由代码或延期理由"
    )
    note = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="说明、依据或回访记录"
    )
    amount = serializers.IntegerField(required=False, default=0, help_text="延期时长（工作日或分钟）")
    comment = serializers.CharField(required=False, default="", allow_blank=True, help_text="意见")
    satisfaction = serializers.CharField(required=False, default="", allow_blank=True, help_text="满意度")
    resolved = serializers.BooleanField(required=False, default=False, help_text="是否解决（回访）")
    evaluation = serializers.CharField(required=False, default="", allow_blank=True, help_text="评价意见")
    master = serializers.CharField(required=False, default="", allow_blank=True, help_text="主单编号（并单）")
    parts = SplitPartSerializer(
        many=True, required=False, default=list, help_text="拆单：每个承办单位一项（至少两项，单位不能重复）"
    )


class TicketProgressSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="工单编号")
    title = serializers.CharField(help_text="标题")
    status = serializers.CharField(help_text="状态")
    status_label = serializers.CharField(source="get_status_display", help_text="状态名称")
    department = serializers.CharField(source="department.name", default=None, help_text="承办单位")
    received_at = serializers.DateTimeField(help_text="受理时间")
    finish_due_at = serializers.DateTimeField(allow_null=True, help_text="办结时限")
    reply = serializers.CharField(help_text="答复内容（答复后）")


class TicketProgressQuerySerializer(serializers.Serializer):
    number = serializers.CharField(help_text="工单编号")
    query_code = serializers.CharField(help_text="查询码")


NUMBER = OpenApiParameter(
    "number", str, OpenApiParameter.PATH, description="工单编号，如 RX-430903-20260930-000001"
)


class TicketListView(generics.ListAPIView):
    permission_classes = STAFF
    serializer_class = TicketListSerializer
    pagination_class = Pagination
    throttle_classes = ratelimit.submission_throttles("ticket_create")  # POST only

    def get_queryset(self):
        params = self.request.query_params
        status_ = params.get("status", "")
        return selectors.ticket_list(
            user=self.request.user,
            status=status_ if status_ in c.TicketStatus.values else "",
            search=(params.get("q") or "")[:40],
            view="queue" if params.get("view") == "queue" else "",
        )

    @extend_schema(
        tags=[TAG],
        summary="工单列表",
        description="热线中心看到本中心区划的工单；承办单位只看到派给本单位的工单。",
        parameters=[
            OpenApiParameter("status", str, enum=list(c.TicketStatus.values), description="状态"),
            OpenApiParameter("q", str, description="编号、标题或主题"),
            OpenApiParameter("view", str, enum=["queue"], description="queue：只看派给本单位的"),
        ],
        responses={200: TicketListSerializer(many=True), 403: ErrorSerializer},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary="登记工单",
        description="坐席登记来电（channel=phone）或对接系统推送诉求（channel=api）。"
        "须带 `Idempotency-Key` 请求头：同一个键重复提交只登记一张工单，重复请求返回第一次的结果。",
        parameters=[idempotency.IDEMPOTENCY_KEY],
        request=TicketCreateSerializer,
        responses={
            201: TicketDetailSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            409: ErrorSerializer,
            422: ErrorSerializer,
            429: ErrorSerializer,
        },
    )
    @idempotency.idempotent
    def post(self, request: Request) -> Response:
        data = TicketCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if values["channel"] not in ("phone", "api"):
            raise DomainError(
                "invalid", "渠道只能是 phone 或 api。", {"channel": ["渠道只能是 phone 或 api。"]}
            )
        region = Region.objects.filter(code=values.pop("region")).first()
        if region is None:
            raise DomainError("invalid", "诉求区划不存在。", {"region": ["请填写 12 位区划代码。"]})
        ticket = services.ticket_create(**values, region=region, agent=request.user, now=clock.now())
        body = TicketDetailSerializer(ticket, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class TicketDetailView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=[TAG],
        summary="工单详情",
        description="工单内容、时限、来电人（按权限脱敏）和当前用户可执行的操作。",
        parameters=[NUMBER],
        responses={200: TicketDetailSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, number: str) -> Response:
        ticket = selectors.ticket_get_for_user(request.user, number)
        return Response(TicketDetailSerializer(ticket, context={"request": request}).data)


def _run(request: Request, ticket, action: str, data: dict):
    actor, now = request.user, clock.now()
    common = {"ticket": ticket, "actor": actor, "now": now}

    def department():
        return Department.objects.select_related("region").filter(pk=data.get("department") or 0).first()

    def parts():
        rows = data.get("parts") or []
        found = Department.objects.select_related("region").in_bulk({row["department"] for row in rows})
        return [(found.get(row["department"]), row["content"]) for row in rows]

    handlers = {
        "dispatch": lambda: services.ticket_dispatch(
            **common,
            department=department(),
            is_complex=data["is_complex"],
            complex_reason=data["complex_reason"],
        ),
        "answer_directly": lambda: services.ticket_answer_directly(**common, reply=data["reply"]),
        "sign": lambda: services.ticket_sign(**common),
        "return": lambda: services.ticket_return(**common, reason=data["reason"], note=data["note"]),
        "accept_return": lambda: services.ticket_accept_return(
            **common, department=department(), comment=data["comment"]
        ),
        "reject_return": lambda: services.ticket_reject_return(**common, comment=data["comment"]),
        "start": lambda: services.ticket_start(**common),
        "request_extension": lambda: services.ticket_request_extension(
            **common, amount=data["amount"], reason=data["reason"]
        ),
        "approve_extension": lambda: services.ticket_approve_extension(**common, comment=data["comment"]),
        "reject_extension": lambda: services.ticket_reject_extension(**common, comment=data["comment"]),
        "reply": lambda: services.ticket_reply(**common, reply=data["reply"]),
        "close": lambda: services.ticket_close(**common, comment=data["comment"]),
        "call_back": lambda: services.ticket_call_back(
            **common, satisfaction=data["satisfaction"], resolved=data["resolved"], note=data["note"]
        ),
        "evaluate": lambda: services.ticket_evaluate(**common, evaluation=data["evaluation"]),
        "reopen": lambda: services.ticket_reopen(**common, comment=data["comment"]),
        "merge": lambda: services.ticket_merge(
            **common, master=selectors.ticket_get_for_user(actor, data["master"])
        ),
        "split": lambda: services.ticket_split(**common, parts=parts(), comment=data["comment"]),
    }
    return handlers[action]()


ACTIONS = [a.value for a in Action if a != Action.CHASE]


def _action_view(action: str) -> type[APIView]:
    class TicketActionView(APIView):
        permission_classes = STAFF

        @extend_schema(
            tags=[TAG],
            operation_id=f"ticket_action_{action}",
            summary=f"工单操作：{ACTION_LABELS[Action(action)]}",
            description="按工单状态表执行一步；不允许的操作返回 400，并发冲突返回 409。",
            parameters=[NUMBER],
            request=TicketActionSerializer,
            responses={
                200: TicketDetailSerializer,
                400: ErrorSerializer,
                403: ErrorSerializer,
                404: ErrorSerializer,
                409: OpenApiResponse(ErrorSerializer, description="已被他人处理"),
            },
        )
        def post(self, request: Request, number: str) -> Response:
            ticket = selectors.ticket_get_for_user(request.user, number)
            data = TicketActionSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            ticket = _run(request, ticket, action, dict(data.validated_data))
            try:
                ticket = selectors.ticket_get_for_user(request.user, number)
            except NotFound:
                return Response({"number": number, "status": ticket.status})
            return Response(TicketDetailSerializer(ticket, context={"request": request}).data)

    TicketActionView.__name__ = f"TicketAction_{action}"
    return TicketActionView


FILE_ID = OpenApiParameter("file_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="附件编号")


class TicketFileUploadView(APIView):
    permission_classes = STAFF
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=[TAG],
        operation_id="ticket_file_upload",
        summary="上传工单附件",
        description="以 multipart/form-data 上传一个文件（字段名 `file`）。热线中心或工单的承办单位可上传"
        f"（如整改照片），每张工单最多 {services.MAX_FILES_PER_TICKET} 个；按文件实际内容检查类型"
        "（PDF、JPG、PNG、OFD、DOCX、XLSX），不符的返回 400 及中文原因，被拒绝的文件不会保存。办结后不能再上传。",
        parameters=[NUMBER],
        request={"multipart/form-data": TicketFileUploadSerializer},
        responses={
            201: TicketFileSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        examples=[
            OpenApiExample(
                "类型不符",
                value={
                    "code": "upload_refused",
                    "message": "文件“现场照片.pdf”的实际类型为 exe，与扩展名 pdf 不符，不予接收。",
                    "fields": {"file": ["文件“现场照片.pdf”的实际类型为 exe，与扩展名 pdf 不符，不予接收。"]},
                },
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    def post(self, request: Request, number: str) -> Response:
        ticket = selectors.ticket_get_for_user(request.user, number)
        data = TicketFileUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        message = uploads.too_big(upload)
        if message:
            raise DomainError("upload_refused", message, {"file": [message]})
        file = services.ticket_file_add(
            ticket=ticket, name=upload.name, data=upload.read(), actor=request.user, now=clock.now()
        )
        body = TicketFileSerializer(file, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class FirstRendererNegotiation(DefaultContentNegotiation):
    """A download answers any Accept header; its errors are still JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class TicketFileDownloadView(APIView):
    permission_classes = STAFF
    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(
        tags=[TAG],
        operation_id="ticket_file_download",
        summary="下载工单附件",
        description="以附件形式下载（原文件名，`Cache-Control: private, no-store`）。"
        "只能下载自己能查看的工单的附件，其他一律 404。",
        parameters=[NUMBER, FILE_ID],
        responses={
            # The file goes out with the type its upload was recognised as (common.uploads.MIME_TYPES).
            **{
                (200, mime): OpenApiResponse(OpenApiTypes.BINARY, description="文件内容")
                for mime in sorted(set(MIME_TYPES.values()))
            },
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def get(self, request: Request, number: str, file_id: int):
        file = selectors.ticket_file_get_for_user(request.user, number, file_id)
        try:
            return filestore.download_response(
                key=file.storage_key, filename=file.original_name, mime=file.mime
            )
        except FileNotFoundError:
            raise NotFound("文件内容已丢失，请联系管理员。") from None


class TicketProgressThrottle(ratelimit.SharedRateThrottle):
    """At most 30 progress queries a minute from one address, counted across server processes."""

    scope = "ticket_progress"
    rate = "30/min"


class TicketProgressView(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [TicketProgressThrottle]

    @extend_schema(
        tags=[TAG_PUBLIC],
        operation_id="ticket_progress",
        summary="12345工单进度查询",
        description="凭工单编号和查询码免登录查询状态、承办单位和答复；不含来电人信息。编号或查询码不对一律 404。",
        parameters=[TicketProgressQuerySerializer],
        responses={
            200: TicketProgressSerializer,
            400: ErrorSerializer,
            404: ErrorSerializer,
            429: ErrorSerializer,
        },
    )
    def get(self, request: Request) -> Response:
        query = TicketProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        ticket = selectors.ticket_progress(**query.validated_data)
        return Response(TicketProgressSerializer(ticket).data)


urlpatterns = [
    path("v1/tickets/", TicketListView.as_view(), name="ticket_list"),
    path("v1/tickets/progress/", TicketProgressView.as_view(), name="ticket_progress"),
    path("v1/tickets/<str:number>/", TicketDetailView.as_view(), name="ticket_detail"),
    path("v1/tickets/<str:number>/files/", TicketFileUploadView.as_view(), name="ticket_file_upload"),
    path(
        "v1/tickets/<str:number>/files/<int:file_id>/",
        TicketFileDownloadView.as_view(),
        name="ticket_file_download",
    ),
    *(
        path(
            f"v1/tickets/<str:number>/actions/{action}/",
            _action_view(action).as_view(),
            name=f"ticket_action_{action}",
        )
        for action in ACTIONS
    ),
]
