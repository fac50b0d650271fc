"""Who may open the workbench: signed-in staff. A citizen's 网上办事 account (`applicant_id` set) gets 403.

The data scope is applied further down, by the selectors and the `permissions.py` choke points.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from functools import wraps

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.views import APIView

from zhengwu.organization.choices import ADMIN_ROLES, Role


def is_staff_account(user) -> bool:
    return bool(user.is_authenticated and not user.applicant_id)


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors are sent to the staff login; signed-in citizens are refused (403)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_staff_account(request.user):
            return render(request, "workbench/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return login_required(wrapped)


# -- 三员 confinement (SECURITY.md 8.1.4.2 d, 8.1.5; row 8) ------------------------------------------------
#
# The system, security and audit administrators act only through their own screens. Whatever the views
# themselves allow, a signed-in account holding one of the three roles reaches only the URL names below
# (fnmatch globs over "namespace:name"); anything else answers 403 and writes an `access.denied` audit
# event. The reviewed record of who may open what is zhengwu/config/access_matrix.yaml.

_PUBLIC_SCREENS = (
    # public pages and public API (what an anonymous visitor sees anyway)
    "portal:*",
    "guidance:*",
    "bundles:list",
    "bundles:wizard",
    "bundles:notice",
    "api:region_*",
    "api:department_list",
    "api:item_list",
    "api:item_detail",
    "api:item_guidance",
    "api:bundle_list",
    "api:bundle_detail",
    "api:bundle_guidance",
    "api:case_progress",
    "api:ticket_progress",
    "api:certificate_verify",
    "api:appointment_items",
    "api:open311_services",
    "api:not_found",
)
_OWN_ACCOUNT_SCREENS = (
    "workbench:home",
    "workbench:login",
    "workbench:logout",
    "accounts:mfa_*",
    "accounts:password_change",
    "api:me",
    "api:token",
    "api:token_*",
    "api:docs",
    "api:schema",
)
ADMIN_SCREENS: dict[str, tuple[str, ...]] = {
    # 系统管理员: the catalogue, the organisation and calendar maintenance, aggregate figures — no case,
    # ticket, review or audit content.
    Role.SYSTEM_ADMIN: (
        "workbench:item_*",
        "workbench:catalog_*",
        "workbench:dashboard",
        "workbench:dashboard_export",
        "workbench:review_stats",
        "workbench:review_stats_export",
        "workbench:assessment_home",
        "workbench:assessment_schemes",
        "workbench:assessment_scheme_detail",
        "api:staff_item_*",
        "api:metric_*",
        "api:assessment_scheme_*",
        "admin:*",
    ),
    # 安全管理员: accounts, roles, data scopes, sessions and security settings.
    Role.SECURITY_ADMIN: ("accounts:*",),
    # 审计管理员: the audit log only.
    Role.AUDIT_ADMIN: ("workbench:audit_*", "audit:*", "api:audit_*"),
}


# Never for any administrator, whatever the lists above say: Django admin pages of models holding case
# content, personal data, credentials or security logs.
_CONTENT_ADMIN_PAGES = (
    "admin:cases_*",
    "admin:bundles_bundlecase_*",
    "admin:hotline_ticket*",
    "admin:reviews_*",
    "admin:organization_applicant_*",
    "admin:guidance_guidancenotice_*",
    "admin:appointments_appointment_*",
    "admin:queueing_ticket*",
    "admin:audit_*",
    "admin:accounts_*",
    "admin:authtoken_*",
    "admin:axes_*",
    "admin:otp_*",
)


def admin_roles_of(user) -> set[str]:
    if not getattr(user, "is_authenticated", False) or getattr(user, "applicant_id", None):
        return set()
    return set(user.role_set) & set(ADMIN_ROLES)


def admin_may_open(user, view_name: str) -> bool:
    """False when `user` holds an administrator role and `view_name` is none of that role's screens."""
    roles = admin_roles_of(user)
    if not roles:
        return True
    if any(fnmatch.fnmatchcase(view_name, pattern) for pattern in _CONTENT_ADMIN_PAGES):
        return False
    patterns = _PUBLIC_SCREENS + _OWN_ACCOUNT_SCREENS
    for role in roles:
        patterns += ADMIN_SCREENS.get(role, ())
    return any(fnmatch.fnmatchcase(view_name, pattern) for pattern in patterns)


def _api_user(request: HttpRequest, view_func):
    """The user a DRF view will authenticate (token or session); middleware only sees session users."""
    cls = getattr(view_func, "cls", None)
    if cls is None or not issubclass(cls, APIView):
        return None
    drf_request = Request(request, authenticators=cls().get_authenticators())  # already instances
    try:
        return drf_request.user
    except APIException:
        return None  # the view answers the failed authentication itself


class AdminConfinementMiddleware:
    """Keeps each of the three administrators on their own screens (after authentication middleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        view_name = match.view_name if match is not None else ""
        user = request.user if request.user.is_authenticated else _api_user(request, view_func)
        if user is None or admin_may_open(user, view_name):
            return None
        message = "三权分立：管理员只能使用本角色的管理功能，无权访问此页面。"
        if apps.is_installed("zhengwu.audit"):
            from zhengwu.audit.services import record

            with transaction.atomic():
                record(
                    "access.denied",
                    request=request,
                    actor=user,
                    result="denied",
                    detail={"view": view_name, "method": request.method, "reason": "admin_confinement"},
                )
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "permission_denied", "message": message, "fields": {}},
                status=403,
                json_dumps_params={"ensure_ascii": False},
            )
        return render(request, "workbench/forbidden.html", {"reason": message}, status=403)
