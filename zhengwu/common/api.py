"""API plumbing shared by every app: pagination and the one error format {code, message, fields}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from zhengwu.common.errors import DomainError


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "页码无效。"


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _flatten(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _flatten(value)]
    return [str(detail)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(
            {"code": "invalid", "message": "输入有误：" + "；".join(_flatten(fields)), "fields": fields},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("对象不存在或无权访问。")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.ParseError):
        # DRF's text carries the parser's English message ("JSON parse error - Expecting …").
        exc = exceptions.ParseError("请求内容无法解析，请检查请求体格式（如 JSON 语法）。")
    elif isinstance(exc, exceptions.Throttled):
        # DRF's text is English ("Request was throttled…"); Retry-After is set from `wait` below.
        wait = None if exc.wait is None else max(1, int(exc.wait + 0.999))
        exc = exceptions.Throttled(
            detail=f"操作过于频繁，请 {wait} 秒后再试。" if wait else "操作过于频繁，请稍后再试。"
        )
        exc.wait = wait
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = {name: _flatten(value) for name, value in detail.items()}
        response.data = {
            "code": "invalid",
            "message": "输入有误："
            + "；".join(f"{name}：{'；'.join(msgs)}" for name, msgs in fields.items()),
            "fields": fields,
        }
    else:
        code = getattr(exc, "default_code", "error")
        detail = getattr(exc, "detail", str(exc))
        response.data = {"code": str(code), "message": " ".join(_flatten(detail)), "fields": {}}
    return response
