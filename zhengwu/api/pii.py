"""`POST /api/v1/cases/{number}/pii/reveal/`: the audited "查看完整信息" of one field of a case.

The case detail answers ID numbers and phones masked; this operation answers the full value of one field,
for holders of `view_full_pii` (see `zhengwu.cases.pii`), with a reason, writing a `pii.reveal` audit event.
A case outside the caller's scope is 404; a caller without the permission gets 403 and the attempt is
audited too. The answer carries `Cache-Control: no-store`.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.api.cases import ERROR_401, ERROR_404, NUMBER, STAFF, TAG_CASES
from zhengwu.api.serializers import ErrorSerializer
from zhengwu.cases import permissions as case_permissions
from zhengwu.cases import pii
from zhengwu.common.errors import NotFound


class RevealInSerializer(serializers.Serializer):
    field = serializers.ChoiceField(
        choices=[(code, spec.label) for code, spec in pii.REVEALABLE.items()],
        help_text="要查看的信息："
        + "、".join(f"`{code}` {spec.label}" for code, spec in pii.REVEALABLE.items()),
        error_messages={"invalid_choice": "请选择要查看的信息。", "required": "请选择要查看的信息。"},
    )
    reason = serializers.CharField(
        max_length=pii.REASON_MAX_LENGTH,
        help_text="查看理由（记入审计日志）",
        error_messages={
            "blank": "查看完整信息须填写理由。",
            "required": "查看完整信息须填写理由。",
            "max_length": f"查看理由不得超过{pii.REASON_MAX_LENGTH}字。",
        },
    )


class RevealOutSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="查看的信息")
    label = serializers.CharField(help_text="信息名称")
    value = serializers.CharField(help_text="完整值（仅本次响应返回，请勿缓存或转存）")


class CasePiiRevealView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=[TAG_CASES],
        operation_id="case_pii_reveal",
        summary="查看完整个人信息",
        description="返回办件某一项个人信息（申请人证件号码、电话，联系电话，代办人证件号码、电话）的完整值。"
        "须有 `view_full_pii` 权限（数据范围内的窗口受理员、审批人员、部门负责人；三员、监管员、考核员没有），"
        "须填写理由；每次查看（含被拒绝的）都记入审计日志。数据范围外的办件 404。",
        parameters=[NUMBER],
        request=RevealInSerializer,
        responses={
            200: RevealOutSerializer,
            400: OpenApiResponse(ErrorSerializer, description="未选择信息或未填写理由"),
            401: ERROR_401,
            403: OpenApiResponse(ErrorSerializer, description="没有查看完整个人信息的权限（已记入审计日志）"),
            404: ERROR_404,
        },
    )
    def post(self, request: Request, number: str) -> Response:
        try:
            case = case_permissions.case_get_for_user(request.user, number)
        except NotFound:
            field = str(request.data.get("field", "")) if hasattr(request.data, "get") else ""
            pii.case_pii_reveal_not_found(
                user=request.user, number=number, field=field, request=request._request
            )
            raise
        data = RevealInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        field = data.validated_data["field"]
        value = pii.case_pii_reveal(
            case=case,
            user=request.user,
            field=field,
            reason=data.validated_data["reason"],
            request=request._request,
        )
        response = Response({"field": field, "label": pii.REVEALABLE[field].label, "value": value})
        response["Cache-Control"] = "no-store"
        return response
