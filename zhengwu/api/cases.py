"""`/api/v1/cases/…`: the case lifecycle over REST, plus the public progress query and certificate check.

Views translate HTTP into service and selector calls and hold no rule. A case is always fetched
through `zhengwu.cases.permissions.case_get_for_user` (another county's case is a 404, as if it did
not exist); lists go through the selectors' data scope. Every transition is its own operation,
`POST /api/v1/cases/{number}/actions/{action}/`, with its own input serializer: the table
`ACTIONS` pairs each one with the service it calls, and `action_views()` makes one view per row,
each with its own `@extend_schema` (operation id `case_<action>`). There is no writable status.

Errors: bad input is a 400 with `fields`; a `DomainError` keeps its status (403 role, 404 scope,
409 "已被他人处理" when somebody else acted on the case first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.api import case_serializers as cs
from zhengwu.api.permissions import STAFF
from zhengwu.api.serializers import ErrorSerializer
from zhengwu.cases import choices as c
from zhengwu.cases import permissions as case_permissions
from zhengwu.cases import selectors, services
from zhengwu.cases.certificates import certificate_verify
from zhengwu.cases.filtersets import StaffCaseFilter
from zhengwu.catalog.selectors import item_get_for_user, item_public_get
from zhengwu.common import clock, filestore, idempotency, ratelimit
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.common.uploads import MIME_TYPES, SIZE_LIMITS
from zhengwu.domain.calendar import CalendarNotAvailable
from zhengwu.organization.selectors import staff_list
from zhengwu.organization.services import applicant_register

TAG_CASES = "办件"
TAG_ACTIONS = "办件操作"
TAG_MATERIALS = "办件材料"
TAG_PUBLIC = "公开查询"
TAG_CARDS = "红黄牌"

ERROR_400 = OpenApiResponse(ErrorSerializer, description="输入有误，`fields` 指出字段")
ERROR_401 = OpenApiResponse(ErrorSerializer, description="未登录或令牌无效")
ERROR_403 = OpenApiResponse(ErrorSerializer, description="角色不能执行此操作")
ERROR_404 = OpenApiResponse(ErrorSerializer, description="办件不存在或不在数据范围内")
ERROR_409 = OpenApiResponse(ErrorSerializer, description="该办件已被他人处理（并发冲突），请刷新后重试")
ERROR_409_KEY = OpenApiResponse(ErrorSerializer, description="使用同一幂等键的请求正在处理中")
ERROR_422 = OpenApiResponse(ErrorSerializer, description="幂等键已用于内容不同的另一请求")
ERROR_429 = OpenApiResponse(
    ErrorSerializer, description="提交过于频繁（每个账号每分钟 10 次、每个地址每分钟 60 次），见 Retry-After"
)

CONFLICT_EXAMPLE = OpenApiExample(
    "并发冲突",
    value={"code": "conflict", "message": "该办件已被他人处理，请刷新页面后重试。", "fields": {}},
    response_only=True,
    status_codes=["409"],
)


def _path(name: str, description: str, type_: Any = OpenApiTypes.STR) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.PATH, description=description)


NUMBER = _path("number", "办件编号，如 430903-20260428-000001")


SIGNED_IN = [permissions.IsAuthenticated]


def case_detail_data(request: Request, number: str) -> dict:
    """The detail of a case as the requesting person may see it, with the actions open to them."""
    case = case_permissions.case_get_for_user(request.user, number)
    context = {"allowed_actions": services.case_actions_for(request.user, case)}
    return cs.CaseDetailSerializer(case, context=context).data


# ---------------------------------------------------------------------------------------------
# List and create


class CaseListView(generics.ListAPIView):
    permission_classes = STAFF
    serializer_class = cs.CaseListSerializer
    filterset_class = StaffCaseFilter
    throttle_classes = ratelimit.submission_throttles("case_submit")  # POST only

    def get_permissions(self):
        # Listing is for staff; filing an application is open to a citizen account too.
        classes = SIGNED_IN if self.request.method == "POST" else self.permission_classes
        return [permission() for permission in classes]

    def get_queryset(self) -> QuerySet:
        # StaffCaseFilter ignores this and asks the selector itself (same scope, same query).
        return selectors.case_list(user=self.request.user)

    @extend_schema(
        tags=[TAG_CASES],
        operation_id="case_list",
        summary="办件列表",
        description="当前工作人员数据范围内各部门的办件（不含申请人尚未提交的草稿），新收件在前。"
        "筛选与工作台办件列表相同（`StaffCaseFilter`）：`queue=mine` 我的待办、`department` 部门待办；"
        "`search` 匹配办件编号前缀、事项名称或申请人姓名（全称）。",
        responses={200: cs.CaseListSerializer(many=True), 400: ERROR_400, 401: ERROR_401, 403: ERROR_403},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG_CASES],
        operation_id="case_create",
        summary="收件（新建办件）",
        description="工作人员窗口收件：登记申请人（按证件号码查找或新建），按事项现行版本建立办件并提交，"
        "受理时限（5个工作日）自收件当日起算。网上办事账号以本人为申请人网上申报（`channel` 只能为 "
        "`online`），可先保存草稿（`draft=true`），再上传材料并提交。"
        "请求中不能设置状态、部门、办理人或到期日，出现这些字段返回 400。"
        "须带 `Idempotency-Key` 请求头：同一个键重复提交只建立一个办件，重复请求返回第一次的结果。",
        parameters=[idempotency.IDEMPOTENCY_KEY],
        request=cs.CaseCreateSerializer,
        responses={
            201: cs.CaseDetailSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
            409: ERROR_409_KEY,
            422: ERROR_422,
            429: ERROR_429,
        },
    )
    @idempotency.idempotent
    def post(self, request: Request) -> Response:
        data = cs.CaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user
        now = clock.now()
        with transaction.atomic():
            if user.applicant_id:
                if "applicant" in values:
                    raise _invalid("applicant", "网上申报以账号本人为申请人，请勿填写申请人。")
                if values.get("channel", c.Channel.ONLINE) != c.Channel.ONLINE:
                    raise _invalid("channel", "网上办事账号只能网上申报。")
                item = item_public_get(values["item"])
                applicant, channel, window = user.applicant, c.Channel.ONLINE, None
            else:
                if "applicant" not in values:
                    raise _invalid("applicant", "窗口收件须填写申请人。")
                if "channel" not in values:
                    raise _invalid("channel", "请选择申报渠道。")
                if values["draft"]:
                    # Staff lists hide drafts (they are an applicant's unsubmitted work), so a draft
                    # saved here could never be found again: window intake is submitted at once.
                    raise _invalid("draft", "窗口收件直接提交，草稿仅用于网上申报。")
                item = item_get_for_user(user=user, implementation_code=values["item"], cross_region=True)
                person = values["applicant"]
                applicant = applicant_register(
                    kind=person["kind"],
                    name=person["name"],
                    id_number=person["id_number"],
                    phone=person["phone"],
                    address=person["address"],
                    today=clock.today(),
                )
                channel, window = values["channel"], user.window
            case = services.case_create(
                item=item,
                applicant=applicant,
                channel=channel,
                now=now,
                actor=user,
                form_data=values["form_data"],
                contact_phone=values["contact_phone"],
                agent_name=values["agent_name"],
                agent_id_number=values["agent_id_number"],
                agent_phone=values["agent_phone"],
                window=window,
                draft=values["draft"],
            )
        return Response(case_detail_data(request, case.number), status=status.HTTP_201_CREATED)


def _invalid(field: str, message: str) -> DomainError:
    return DomainError("invalid", message, {field: [message]})


# ---------------------------------------------------------------------------------------------
# Detail, timeline, clock explanation


class CaseDetailView(APIView):
    permission_classes = SIGNED_IN

    @extend_schema(
        tags=[TAG_CASES],
        operation_id="case_retrieve",
        summary="办件详情",
        description="办件的全部信息：状态、事项、申请人（证件号码、电话已脱敏）、材料及其文件、审查环节、"
        "各时限及其分段台账（暂停、延长）、预警、证照摘要，以及当前用户现在可以执行的操作"
        "（`allowed_actions`）。工作人员只能查看数据范围内的办件，网上办事账号只能查看本人的办件；"
        "其他一律 404。",
        parameters=[NUMBER],
        responses={200: cs.CaseDetailSerializer, 401: ERROR_401, 404: ERROR_404},
    )
    def get(self, request: Request, number: str) -> Response:
        return Response(case_detail_data(request, number))


class CaseTimelineView(APIView):
    permission_classes = SIGNED_IN

    @extend_schema(
        tags=[TAG_CASES],
        operation_id="case_timeline",
        summary="办件记录（时间线）",
        description="办件的全部操作记录，按时间先后：操作人、角色、时间、操作、原状态与新状态、意见。"
        "记录一经写入不可修改。",
        parameters=[NUMBER],
        responses={200: cs.CaseEventSerializer(many=True), 401: ERROR_401, 404: ERROR_404},
    )
    def get(self, request: Request, number: str) -> Response:
        case = case_permissions.case_get_for_user(request.user, number)
        return Response(cs.CaseEventSerializer(case.events.all(), many=True).data)


class ClockExplainView(APIView):
    permission_classes = SIGNED_IN

    @extend_schema(
        tags=[TAG_CASES],
        operation_id="case_clock_explain",
        summary="时限计算说明",
        description="某一时限的到期日是怎样算出来的：起算日（第0日）之后逐日列出计入的工作日（第几个）"
        "和不计入的日期及原因（周末、节假日、特别程序或中止）。按办件所属区划的工作日历计算；"
        "暂停期间列到今天。环节时限有多个时说明最近的一个。",
        parameters=[
            NUMBER,
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=c.ClockKind.values,
                description="时限种类：" + "，".join(f"{v} {label}" for v, label in c.ClockKind.choices),
            ),
        ],
        responses={200: cs.ClockExplanationSerializer, 401: ERROR_401, 404: ERROR_404},
    )
    def get(self, request: Request, number: str, kind: str) -> Response:
        case = case_permissions.case_get_for_user(request.user, number)
        clocks = [clk for clk in case.clocks.all() if clk.kind == kind]
        if not clocks:
            raise NotFound("该办件没有这一时限。")
        target = max(clocks, key=lambda clk: clk.pk)
        try:
            explanation = selectors.clock_explain(case=case, clock=target, today=clock.today())
        except CalendarNotAvailable as missing:
            raise DomainError("calendar_unavailable", str(missing)) from None
        body = {
            "clock": target,
            "start": explanation.start,
            "budget": explanation.budget,
            "due": explanation.due,
            "provisional": explanation.provisional,
            "counted": explanation.counted,
            "skipped": explanation.skipped,
        }
        return Response(cs.ClockExplanationSerializer(body).data)


# ---------------------------------------------------------------------------------------------
# Actions: one operation per transition


@dataclass(frozen=True)
class CaseActionSpec:
    """One transition endpoint: its input, the service call, and its documentation."""

    name: str
    summary: str
    description: str
    serializer: type[cs.StrictSerializer]
    perform: Callable[..., Any]


def _to_user(request: Request, username: str):
    user = staff_list(user=request.user).filter(username=username, is_active=True).first()
    if user is None:
        raise _invalid("to_user", "接收人不存在或不在您的数据范围内。")
    return user


# Each perform gets (request, case, actor, now, data) and calls exactly one service. Services are
# looked up on the module at call time, so a test can wrap one.
ACTIONS: tuple[CaseActionSpec, ...] = (
    CaseActionSpec(
        "submit",
        "提交申请",
        "提交草稿：收件日期为今天，受理时限（5个工作日）开始计算。申请人本人或窗口工作人员可提交。",
        cs.NoInputSerializer,
        lambda r, case, actor, now, d: services.case_submit(case=case, actor=actor, now=now),
    ),
    CaseActionSpec(
        "materials_check",
        "材料核验",
        "窗口逐项记录材料核验结果：已收取、缺少、不符合要求、容缺后补（仅限容缺可后补材料）、不适用。"
        "不改变办件状态。",
        cs.MaterialsCheckSerializer,
        lambda r, case, actor, now, d: services.case_materials_check(
            case=case,
            actor=actor,
            now=now,
            checks={row["material_id"]: (row["status"], row["note"]) for row in d["checks"]},
        ),
    ),
    CaseActionSpec(
        "accept",
        "受理",
        "受理材料齐全的申请（§32）：法定时限与承诺时限自受理次日起算，进入第一个审查环节。"
        "`commitment=true` 按告知承诺制受理（事项须实行告知承诺制，申请人无虚假承诺记录）。",
        cs.AcceptSerializer,
        lambda r, case, actor, now, d: services.case_accept(
            case=case, actor=actor, now=now, comment=d["comment"], commitment=d["commitment"]
        ),
    ),
    CaseActionSpec(
        "accept_with_deficiency",
        "容缺受理",
        "非关键材料标记为“容缺后补”时先行受理，容缺材料须在期限内补齐，补齐前不能制证。",
        cs.CommentSerializer,
        lambda r, case, actor, now, d: services.case_accept_with_deficiency(
            case=case, actor=actor, now=now, comment=d["comment"]
        ),
    ),
    CaseActionSpec(
        "refuse_intake",
        "不予受理",
        "不予受理，必须写明理由（将书面告知申请人）。",
        cs.ReasonRequiredSerializer,
        lambda r, case, actor, now, d: services.case_refuse_intake(
            case=case, actor=actor, now=now, reason=d["reason"]
        ),
    ),
    CaseActionSpec(
        "request_supplement",
        "一次性告知补正",
        "在受理时限内一次性告知需要补正的全部材料及补正内容；受理时限停止，补正后重新计算。"
        "逾期不能再告知（依法视为受理）。",
        cs.RequestSupplementSerializer,
        lambda r, case, actor, now, d: services.case_request_supplement(
            case=case,
            actor=actor,
            now=now,
            comment=d["comment"],
            items={row["material_id"]: row["note"] for row in d["items"]},
        ),
    ),
    CaseActionSpec(
        "supplement",
        "补正材料",
        "申请人已补正告知的材料（申请人本人提交时须已上传每项补正材料的文件），窗口重新核验后受理。",
        cs.CommentSerializer,
        lambda r, case, actor, now, d: services.case_supplement(
            case=case, actor=actor, now=now, comment=d["comment"]
        ),
    ),
    CaseActionSpec(
        "decide_on_spot",
        "当场办结",
        "即办件材料齐全的，当场受理并作出决定（§34）。",
        cs.CommentSerializer,
        lambda r, case, actor, now, d: services.case_decide_on_spot(
            case=case, actor=actor, now=now, comment=d["comment"]
        ),
    ),
    CaseActionSpec(
        "step_pass",
        "审查通过",
        "当前审查环节通过，进入下一环节；最后一个环节通过后办件待决定。会审环节须各会审部门均已提交意见。",
        cs.CommentSerializer,
        lambda r, case, actor, now, d: services.case_step_pass(
            case=case, actor=actor, now=now, comment=d["comment"]
        ),
    ),
    CaseActionSpec(
        "step_return",
        "退回",
        "退回上一环节（待决定时退回最后一个审查环节），必须写明原因。",
        cs.StepReturnSerializer,
        lambda r, case, actor, now, d: services.case_step_return(
            case=case, actor=actor, now=now, comment=d["comment"]
        ),
    ),
    CaseActionSpec(
        "step_transfer",
        "转办",
        "把当前环节交给数据范围内另一名有权办理该办件的审批人员（按用户名）。",
        cs.StepTransferSerializer,
        lambda r, case, actor, now, d: services.case_step_transfer(
            case=case, actor=actor, now=now, to_user=_to_user(r, d["to_user"]), comment=d["comment"]
        ),
    ),
    CaseActionSpec(
        "step_claim",
        "认领",
        "把尚未指派的当前环节认领到自己名下；已被他人认领返回 409。",
        cs.NoInputSerializer,
        lambda r, case, actor, now, d: services.case_step_claim(case=case, actor=actor, now=now),
    ),
    CaseActionSpec(
        "step_opinion",
        "会审意见",
        "会审部门的审批人员对当前会审环节（联合踏勘/联审）提交本部门意见，每个部门一次。",
        cs.StepOpinionInputSerializer,
        lambda r, case, actor, now, d: services.case_step_opinion(
            case=case, actor=actor, now=now, agrees=d["agrees"], opinion=d["opinion"]
        ),
    ),
    CaseActionSpec(
        "pause",
        "特别程序/中止",
        "因听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审（§45，所需时间不计入时限）或中止事由"
        "暂停计时，写明情况说明与预计所需工作日；各运行中的时限记入暂停分段，到期日待恢复后重算。",
        cs.PauseSerializer,
        lambda r, case, actor, now, d: services.case_pause(
            case=case,
            actor=actor,
            now=now,
            reason_code=d["reason_code"],
            reason=d["reason"],
            expected_days=d["expected_days"],
        ),
    ),
    CaseActionSpec(
        "resume",
        "恢复计时",
        "特别程序结果已出或中止事由消除：暂停分段于今天结束，次一工作日起继续计时，到期日重算。",
        cs.CommentSerializer,
        lambda r, case, actor, now, d: services.case_resume(
            case=case, actor=actor, now=now, comment=d["comment"]
        ),
    ),
    CaseActionSpec(
        "extend",
        "延长期限",
        "经部门负责人批准，在法定期限届满前延长一次（§42：一般不超过 10 个工作日，联办不超过 15 个），"
        "须写明理由。",
        cs.ExtendSerializer,
        lambda r, case, actor, now, d: services.case_extend(
            case=case, actor=actor, now=now, days=d["days"], reason=d["reason"]
        ),
    ),
    CaseActionSpec(
        "supply_deferred",
        "容缺材料补齐",
        "容缺后补的材料已补齐；全部补齐后容缺补齐时限停止，可以制证。",
        cs.SupplyDeferredSerializer,
        lambda r, case, actor, now, d: services.case_supply_deferred(
            case=case, actor=actor, now=now, material_ids=d["material_ids"]
        ),
    ),
    CaseActionSpec(
        "grant",
        "准予许可",
        "作出准予许可决定；制证送达时限（10个工作日，§44）开始计算。暂停期间不能作出决定。",
        cs.GrantSerializer,
        lambda r, case, actor, now, d: services.case_grant(
            case=case, actor=actor, now=now, reason=d["reason"]
        ),
    ),
    CaseActionSpec(
        "deny",
        "不予许可",
        "作出不予许可决定，必须说明理由，并告知申请人享有依法申请行政复议或者提起行政诉讼的权利（§38）。",
        cs.ReasonRequiredSerializer,
        lambda r, case, actor, now, d: services.case_deny(
            case=case, actor=actor, now=now, reason=d["reason"]
        ),
    ),
    CaseActionSpec(
        "issue_certificate",
        "制证",
        "生成并签名电子证照；容缺材料未补齐时不能制证。`valid_years` 为有效期（年），不填为长期有效。",
        cs.IssueCertificateSerializer,
        lambda r, case, actor, now, d: services.case_issue_certificate(
            case=case, actor=actor, now=now, valid_years=d["valid_years"]
        ),
    ),
    CaseActionSpec(
        "deliver",
        "送达",
        "送达证照或决定书：窗口领取、邮寄送达（须填写地址）或电子送达。",
        cs.DeliverSerializer,
        lambda r, case, actor, now, d: services.case_deliver(
            case=case, actor=actor, now=now, mode=d["mode"], address=d["address"]
        ),
    ),
    CaseActionSpec(
        "withdraw",
        "撤回申请",
        "作出决定前，申请人撤回申请（网上办事账号本人，或窗口凭书面申请代为操作）。",
        cs.ReasonOptionalSerializer,
        lambda r, case, actor, now, d: services.case_withdraw(
            case=case, actor=actor, now=now, reason=d["reason"]
        ),
    ),
    CaseActionSpec(
        "terminate",
        "终止办理",
        "终止办理（如容缺材料逾期未补、告知补正后逾期未补正），必须写明理由（将书面告知申请人）。",
        cs.ReasonRequiredSerializer,
        lambda r, case, actor, now, d: services.case_terminate(
            case=case, actor=actor, now=now, reason=d["reason"]
        ),
    ),
    CaseActionSpec(
        "archive",
        "归档",
        "已送达、不予受理、已撤回或已终止的办件归档。",
        cs.NoInputSerializer,
        lambda r, case, actor, now, d: services.case_archive(case=case, actor=actor, now=now),
    ),
)


class CaseActionView(APIView):
    """POST one transition: validate the action's input, call its service, return the case detail."""

    permission_classes = SIGNED_IN
    spec: CaseActionSpec

    def post(self, request: Request, number: str) -> Response:
        case = case_permissions.case_get_for_user(request.user, number)
        data = self.spec.serializer(data=request.data)
        data.is_valid(raise_exception=True)
        self.spec.perform(request, case, request.user, clock.now(), data.validated_data)
        return Response(case_detail_data(request, number))


# Actions that file something for the applicant: they need an Idempotency-Key and count against the
# submission rate limit shared with the portal and case creation.
SUBMISSION_ACTIONS = frozenset({"submit"})


def _action_view(spec: CaseActionSpec) -> type[CaseActionView]:
    def post(self, request: Request, number: str) -> Response:
        return CaseActionView.post(self, request, number)

    submission = spec.name in SUBMISSION_ACTIONS
    if submission:
        post = idempotency.idempotent(post)
    post = extend_schema(
        operation_id=f"case_{spec.name}",
        tags=[TAG_ACTIONS],
        summary=spec.summary,
        description=spec.description
        + f" 成功返回办件详情。对应 `allowed_actions` 中的 `{spec.name}`。"
        + ("须带 `Idempotency-Key` 请求头，重复请求返回第一次的结果。" if submission else ""),
        parameters=[NUMBER, idempotency.IDEMPOTENCY_KEY] if submission else [NUMBER],
        request=spec.serializer,
        responses={
            200: cs.CaseDetailSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
            409: ERROR_409,
            **({422: ERROR_422, 429: ERROR_429} if submission else {}),
        },
        examples=[CONFLICT_EXAMPLE],
    )(post)
    name = "Case" + "".join(part.title() for part in spec.name.split("_")) + "View"
    attrs: dict[str, Any] = {"spec": spec, "post": post, "__doc__": spec.summary}
    if submission:
        attrs["throttle_classes"] = ratelimit.submission_throttles("case_submit")
    return type(name, (CaseActionView,), attrs)


ACTION_VIEWS: dict[str, type[CaseActionView]] = {spec.name: _action_view(spec) for spec in ACTIONS}


# ---------------------------------------------------------------------------------------------
# Files


def _upload_cap() -> int:
    configured = getattr(settings, "ZHENGWU_UPLOAD_MAX_BYTES", None)
    return int(configured) if configured is not None else max(SIZE_LIMITS.values())


class MaterialFileUploadView(APIView):
    permission_classes = SIGNED_IN
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=[TAG_MATERIALS],
        operation_id="case_file_upload",
        summary="上传材料文件",
        description="以 multipart/form-data 上传一个文件（字段名 `file`）。按文件的实际内容检查类型"
        "（PDF、JPG、PNG、OFD、DOCX、XLSX），拒绝扩展名与内容不符、含网页脚本、多重结构、压缩炸弹的文件，"
        "返回 400 及中文原因，被拒绝的文件不会保存。办结后不能再上传。",
        parameters=[
            NUMBER,
            _path("material_id", "办件材料编号（见办件详情 materials[].id）", OpenApiTypes.INT),
        ],
        request={"multipart/form-data": cs.FileUploadSerializer},
        responses={
            201: cs.MaterialFileSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
        },
        examples=[
            OpenApiExample(
                "类型不符",
                value={
                    "code": "upload_refused",
                    "message": "文件“营业执照.pdf”的实际类型为 exe，与扩展名 pdf 不符，不予接收。",
                    "fields": {"file": ["文件“营业执照.pdf”的实际类型为 exe，与扩展名 pdf 不符，不予接收。"]},
                },
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    def post(self, request: Request, number: str, material_id: int) -> Response:
        case = case_permissions.case_get_for_user(request.user, number)
        material = next((m for m in case.materials.all() if m.pk == material_id), None)
        if material is None:
            raise NotFound("材料不存在或不属于该办件。")
        data = cs.FileUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        cap = _upload_cap()
        if upload.size > cap:
            message = f"文件“{upload.name}”超过 {cap // (1024 * 1024)} MB 的上限，不予接收。"
            raise DomainError("upload_refused", message, {"file": [message]})
        file = services.case_file_add(
            case=case,
            material=material,
            name=upload.name,
            data=upload.read(),
            actor=request.user,
            now=clock.now(),
        )
        return Response(cs.MaterialFileSerializer(file).data, status=status.HTTP_201_CREATED)


class FirstRendererNegotiation(DefaultContentNegotiation):
    """A download answers any Accept header; its errors are still JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class MaterialFileDownloadView(APIView):
    permission_classes = SIGNED_IN
    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(
        tags=[TAG_MATERIALS],
        operation_id="case_file_download",
        summary="下载材料文件",
        description="以附件形式下载材料文件（原文件名，`Cache-Control: private, no-store`）。"
        "只能下载自己能查看的办件的文件，其他一律 404。",
        parameters=[
            NUMBER,
            _path("file_id", "文件编号（见办件详情 materials[].files[].id）", OpenApiTypes.INT),
        ],
        responses={
            # The file goes out with the type its upload was recognised as (common.uploads.MIME_TYPES).
            **{
                (200, mime): OpenApiResponse(OpenApiTypes.BINARY, description="文件内容")
                for mime in sorted(set(MIME_TYPES.values()))
            },
            401: ERROR_401,
            404: ERROR_404,
        },
    )
    def get(self, request: Request, number: str, file_id: int):
        file = case_permissions.material_file_get_for_user(request.user, number, file_id)
        try:
            return filestore.download_response(
                key=file.storage_key, filename=file.original_name, mime=file.mime
            )
        except FileNotFoundError:
            raise NotFound("文件内容已丢失，请联系管理员。") from None


# ---------------------------------------------------------------------------------------------
# Warning board


class CardListView(generics.ListAPIView):
    permission_classes = STAFF
    serializer_class = cs.CardSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        query = cs.CardListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.card_list(user=self.request.user, open_only=query.validated_data["open"])

    @extend_schema(
        tags=[TAG_CARDS],
        operation_id="card_list",
        summary="红黄牌（预警看板）",
        description="数据范围内各部门的提示、黄牌、红牌，新亮牌在前。`open=true` 只看未关闭、未撤销的。",
        parameters=[cs.CardListQuerySerializer],
        responses={200: cs.CardSerializer(many=True), 400: ERROR_400, 401: ERROR_401, 403: ERROR_403},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# ---------------------------------------------------------------------------------------------
# Public: progress and certificate verification


class ProgressThrottle(ratelimit.SharedRateThrottle):
    """At most 30 progress queries a minute from one address: query codes cannot be enumerated.
    Counted on the shared counter, so the limit holds across server processes."""

    scope = "case_progress"
    rate = "30/min"


class ProgressView(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ProgressThrottle]

    @extend_schema(
        tags=[TAG_PUBLIC],
        operation_id="case_progress",
        summary="办件进度查询",
        description="凭办件编号和查询码（受理回执上）免登录查询办理进度：状态、事项、办理部门、收件日期、"
        "承诺办结日期和各步办理进度，不含申请人信息和工作人员姓名。编号或查询码不对一律 404；"
        "每个地址每分钟最多查询 30 次。",
        parameters=[cs.ProgressQuerySerializer],
        responses={
            200: cs.ProgressSerializer,
            400: ERROR_400,
            404: OpenApiResponse(ErrorSerializer, description="办件编号或查询码不正确"),
            429: OpenApiResponse(ErrorSerializer, description="查询过于频繁"),
        },
    )
    def get(self, request: Request) -> Response:
        query = cs.ProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        case = selectors.case_progress(
            number=query.validated_data["number"], query_code=query.validated_data["query_code"]
        )
        return Response(cs.ProgressSerializer(case).data)


class CertificateVerifyView(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[TAG_PUBLIC],
        operation_id="certificate_verify",
        summary="电子证照核验",
        description="凭核验码免登录核验电子证照：检查数字签名、是否注销、是否过期，并给出证照内容"
        "（自然人证件号码已脱敏）。",
        parameters=[_path("code", "核验码（证照上的 12 位字母数字）")],
        responses={
            200: cs.CertificateVerificationSerializer,
            404: OpenApiResponse(ErrorSerializer, description="未找到该核验码对应的证照"),
        },
    )
    def get(self, request: Request, code: str) -> Response:
        verification = certificate_verify(code=code, today=clock.today())
        return Response(cs.CertificateVerificationSerializer(verification).data)
