"""Refuse form posts and query strings carrying a NUL character (SECURITY.md row 18).

Django's form fields refuse "\\x00" with 「不允许空字符」, but a view that hands `request.POST` text straight
to a service (the 12345 console, the 好差评 form) would store it on SQLite and fail with a DataError — a
500 — on PostgreSQL, which cannot store NUL in text. One guard for every HTML form post answers 400 with a
Chinese message naming the field instead. API bodies are left to DRF, whose CharField refuses NUL itself;
but a view that reads `request.query_params` directly (`GET /api/v1/appointments/availability/?item=`,
the `q` searches) puts the text into a query, so a NUL in any query string is refused here, for pages
(the same HTML answer) and for the API (400 in the unified error format).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.html import escape

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def nul_fields(request: HttpRequest) -> list[str]:
    """The names of the posted form fields whose value (or name) contains a NUL character."""
    if request.method not in {"POST", "PUT", "PATCH"}:
        return []
    if not request.content_type or request.content_type not in FORM_TYPES:
        return []
    return sorted(
        {key for key, values in request.POST.lists() if "\x00" in key or any("\x00" in v for v in values)}
    )


def nul_query_parameters(request: HttpRequest) -> list[str]:
    """The names of the query-string parameters whose value (or name) contains a NUL character."""
    return sorted(
        {key for key, values in request.GET.lists() if "\x00" in key or any("\x00" in v for v in values)}
    )


def _api_refusal(names: list[str]) -> JsonResponse:
    shown = [name.replace(chr(0), "") for name in names]
    message = f"输入有误：查询参数 {'、'.join(shown)} 含有空字符（\\0），不允许空字符。"
    return JsonResponse(
        {"code": "invalid", "message": message, "fields": {name: ["不允许空字符。"] for name in shown}},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


class NulCharacterGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        in_query = nul_query_parameters(request)
        if request.path.startswith("/api/"):
            if in_query:
                return _api_refusal(in_query)
        else:
            fields = sorted({*nul_fields(request), *in_query})
            if fields:
                names = "、".join(f"“{escape(name.replace(chr(0), ''))}”" for name in fields)
                return HttpResponseBadRequest(
                    f'<!doctype html><html lang="zh-Hans"><meta charset="utf-8"><title>输入有误</title>'
                    f"<p>输入有误：字段 {names} 含有空字符（\\0），不允许空字符。请删除后重新提交。</p></html>",
                    content_type="text/html; charset=utf-8",
                )
        return self.get_response(request)
