"""DRF authentication by `ApiToken` (`Authorization: Token <key>`): expiring, revocable, stored hashed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from zhengwu.accounts.models import ApiToken
from zhengwu.accounts.services import token_digest

KEYWORD = "Token"
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
CACHE_ATTRIBUTE = "_zhengwu_api_token"


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("认证令牌无效。")
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed("认证令牌无效。") from None
        digest = token_digest(key)
        # One lookup per HTTP request, even when a middleware authenticated it before the view did.
        http_request = getattr(request, "_request", request)
        cached = getattr(http_request, CACHE_ATTRIBUTE, None)
        if cached is not None and cached[0] == digest:
            return cached[1]
        result = self._authenticate_digest(digest)
        setattr(http_request, CACHE_ATTRIBUTE, (digest, result))
        return result

    def _authenticate_digest(self, digest: str):
        token = ApiToken.objects.select_related("user").filter(key_hash=digest).first()
        now = timezone.now()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("认证令牌无效。")
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed("认证令牌已过期，请重新获取。")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("用户未激活或已删除。")
        # Recorded to within a minute (one UPDATE a minute at most, none in a token's first minute).
        if now - (token.last_used_at or token.created_at) >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return KEYWORD
