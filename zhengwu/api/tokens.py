"""`/api/v1/auth/…`: API tokens that expire and can be revoked (zhengwu.accounts).

A token is created with username and password (and the TOTP code when the account has or needs a
device) through Django's `authenticate()`, so django-axes counts failures and locks the username exactly
as on the sign-in page. Only a hash of the key is stored; the key is shown once, in the creation answer.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.accounts import policy, services
from zhengwu.accounts.lockout import address_throttled
from zhengwu.accounts.models import ApiToken
from zhengwu.api import serializers as s
from zhengwu.api.views import TokenThrottle
from zhengwu.common.errors import DomainError, PermissionDenied

TAG_AUTH = "认证"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI security scheme of `ApiTokenAuthentication` (registered on import of this module)."""

    target_class = "zhengwu.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "令牌认证：请求头 `Authorization: Token <token>`；令牌由 `POST /api/v1/auth/token/` 获取，30 天后过期。",
        }


ERROR = OpenApiResponse(s.ErrorSerializer, description="输入有误或凭据错误")


class TokenCreateSerializer(s.TokenRequestSerializer):
    name = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="令牌名称（用途）"
    )
    otp = serializers.CharField(
        max_length=8,
        required=False,
        allow_blank=True,
        help_text="动态口令（账号已绑定或须绑定动态口令设备时必填）",
    )


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]


class NewTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(
        help_text="访问令牌，仅此一次显示；请求时放在请求头 Authorization: Token <token>"
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]


class TokenView(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [TokenThrottle]

    @extend_schema(
        tags=[TAG_AUTH],
        summary="获取访问令牌",
        description="用工作人员的用户名和密码（已绑定或须绑定动态口令的账号另加 `otp`）换取令牌，之后在请求头中携带 "
        "`Authorization: Token <token>`。每次调用新建一个令牌，默认 30 天后过期，可随时吊销；令牌只在此处显示一次。"
        "用户名不存在、密码错误或账号停用时一律返回“用户名或密码错误。”。同一用户名连续失败 5 次锁定 15 分钟（429）；"
        "每个地址每分钟最多尝试 10 次。",
        request=TokenCreateSerializer,
        responses={
            200: NewTokenSerializer,
            400: ERROR,
            403: OpenApiResponse(s.ErrorSerializer, "须先修改初始密码或绑定动态口令设备"),
            429: OpenApiResponse(s.ErrorSerializer, "尝试过于频繁或账号已锁定"),
        },
        examples=[
            OpenApiExample(
                "凭据错误",
                value={"code": "invalid_credentials", "message": "用户名或密码错误。", "fields": {}},
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    def post(self, request: Request) -> Response:
        if services.login_ip_blocked(request=request._request):
            return address_throttled(request._request)
        data = TokenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None:
            raise DomainError("invalid_credentials", "用户名或密码错误。")
        if policy.password_change_required(user):
            raise PermissionDenied("请先在工作台修改密码（初始密码或已到期）后再获取令牌。")
        device = services.totp_device_confirmed(user=user) if policy.is_staff_account(user) else None
        if device is None and policy.mfa_required(user):
            raise PermissionDenied("该账号须使用动态口令，请先在工作台绑定动态口令设备。")
        if device is not None:
            code = data.validated_data.get("otp", "")
            if not code:
                raise DomainError(
                    "mfa_required",
                    "该账号已启用动态口令，请同时提交动态口令。",
                    {"otp": ["请填写动态口令。"]},
                )
            try:
                services.totp_verify(user=user, code=code, request=request._request)
            except DomainError as error:  # the field is called `otp` here
                raise DomainError(error.code, error.message, {"otp": [error.message]}) from None
        token, key = services.token_create(
            user=user, name=data.validated_data.get("name", ""), request=request._request
        )
        token.token = key
        return Response(NewTokenSerializer(token).data)


class TokenListView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG_AUTH],
        summary="我的访问令牌",
        description="当前账号的令牌（不含令牌本身，只显示前 8 位），含已过期和已吊销的，最近创建的在前。",
        responses={200: ApiTokenSerializer(many=True), 401: OpenApiResponse(s.ErrorSerializer, "未登录")},
    )
    def get(self, request: Request) -> Response:
        tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")
        return Response(ApiTokenSerializer(tokens, many=True).data)


class TokenRevokeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG_AUTH],
        summary="吊销访问令牌",
        description="吊销当前账号的一个令牌，立即失效。其他账号的令牌一律返回 404。",
        responses={204: None, 401: OpenApiResponse(s.ErrorSerializer, "未登录"), 404: ERROR},
    )
    def delete(self, request: Request, token_id: int) -> Response:
        services.token_revoke(user=request.user, token_id=token_id, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
