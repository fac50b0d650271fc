"""Who may open the workbench: signed-in staff. A citizen's 网上办事 account (`applicant_id` set) gets 403.

Function-level confinement by role (the middleware below, reviewed through zhengwu/config/access_matrix.yaml):
the three administrators (三员) and the 考核员 reach only their own screens; Django admin pages of business
records are refused to every account. The data scope is applied further down, by the selectors and the
`permissions.py` choke points.
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


# Never for anybody, superusers included: Django admin pages of business records (cases, 一件事
# applications, 12345 tickets, reviews, appointments, queue tickets, applicants), credentials and security
# logs. Business work happens in the workbench, where every list and object goes through the data scope;
# the admin site is for configuration (catalogue, guidance, organisation, calendar, 12345 directory). The
# models are not registered there either; this list keeps it so if one is registered again.
_RECORD_ADMIN_PAGES = (
    "admin:cases_*",
    "admin:bundles_bundlecase*",
    "admin:hotline_ticket*",
    "admin:reviews_*",
    "admin:organization_applicant_*",
    "admin:appointments_appointment_*",
    "admin:queueing_ticket*",
    "admin:audit_*",
    "admin:accounts_*",
    "admin:authtoken_*",
    "admin:axes_*",
    "admin:otp_*",
)
# Never for any administrator, whatever the lists above say: the record pages plus the guidance notices
# (一次性告知单, scoped and read-only for the departments' heads).
_CONTENT_ADMIN_PAGES = (*_RECORD_ADMIN_PAGES, "admin:guidance_guidancenotice_*")


# -- 考核员 confinement (least privilege, 8.1.4.2 d; PIPL Art. 6 and 34) ------------------------------------
#
# An assessor scores counties and departments from aggregates (metric rollups, card, review and ticket
# counts) and from evidence identifiers (case, review and ticket numbers, approved manual evidence files);
# DOMAIN.md §8. None of that needs an individual case, 一件事 application, 12345 ticket, review,
# appointment or queue ticket, which hold applicants' and callers' personal data. An account whose roles
# are all in ASSESSOR_SCREENS (today: only 考核员) therefore reaches only the screens below; a person who
# also holds a handling role (e.g. 监管员) keeps that role's screens.
ASSESSOR_SCREENS: dict[str, tuple[str, ...]] = {
    Role.ASSESSOR: (
        "workbench:assessment_*",
        "api:assessment_*",
        "workbench:dashboard*",  # unit tables; the drill-down lists case numbers, items and dates only
        "workbench:hall_board*",
        "workbench:review_stats*",
        "api:review_stats",
        "api:metric_*",
        "workbench:card_board",  # red and yellow cards feed the assessment (case number, item, rule)
        "api:card_list",
        "workbench:budget_*",
        "api:budget_*",
        "workbench:item_list",
        "workbench:item_detail",
        "workbench:catalog_export",
        "api:staff_item_*",
        "api:open311_*",  # public anyway
    ),
}


def admin_roles_of(user) -> set[str]:
    if not getattr(user, "is_authenticated", False) or getattr(user, "applicant_id", None):
        return set()
    return set(user.role_set) & set(ADMIN_ROLES)


def _matches(view_name: str, patterns) -> bool:
    return any(fnmatch.fnmatchcase(view_name, pattern) for pattern in patterns)


def admin_may_open(user, view_name: str) -> bool:
    """False when `user` holds an administrator role and `view_name` is none of that role's screens."""
    roles = admin_roles_of(user)
    if not roles:
        return True
    if _matches(view_name, _CONTENT_ADMIN_PAGES):
        return False
    patterns = _PUBLIC_SCREENS + _OWN_ACCOUNT_SCREENS
    for role in roles:
        patterns += ADMIN_SCREENS.get(role, ())
    return _matches(view_name, patterns)


def assessor_roles_of(user) -> set[str]:
    """The roles confining `user` to ASSESSOR_SCREENS: all of a staff account's roles when every one of them
    is listed there (an administrator is confined by ADMIN_SCREENS instead); otherwise none."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "applicant_id", None):
        return set()
    roles = set(user.role_set)
    if not roles or roles & set(ADMIN_ROLES) or not roles <= set(ASSESSOR_SCREENS):
        return set()
    return roles


def assessor_may_open(user, view_name: str) -> bool:
    """False when `user` is confined to the assessment screens and `view_name` is none of them."""
    roles = assessor_roles_of(user)
    if not roles:
        return True
    patterns = _PUBLIC_SCREENS + _OWN_ACCOUNT_SCREENS
    for role in roles:
        patterns += ASSESSOR_SCREENS[role]
    return _matches(view_name, patterns)


def may_open(user, view_name: str) -> bool:
    """The function-level gate of the middleware: business-record admin pages for nobody, then the
    confinement of the three administrators and of the assessor. The object-level data scope is not
    checked here (a True says the screen is open to the role, not that an object is in scope)."""
    if _matches(view_name, _RECORD_ADMIN_PAGES) and getattr(user, "is_authenticated", False):
        return False
    return admin_may_open(user, view_name) and assessor_may_open(user, view_name)


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
    """Keeps each of the three administrators, and the assessor, on their own screens, and every account off
    the Django admin's business-record pages (after the authentication middleware; `may_open`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        view_name = match.view_name if match is not None else ""
        user = request.user if request.user.is_authenticated else _api_user(request, view_func)
        if user is None or may_open(user, view_name):
            return None
        if _matches(view_name, _RECORD_ADMIN_PAGES):
            message, reason = (
                "业务记录只能在工作台按数据范围查看，管理后台不提供此页面。",
                "admin_record_page",
            )
        elif admin_roles_of(user):
            message, reason = (
                "三权分立：管理员只能使用本角色的管理功能，无权访问此页面。",
                "admin_confinement",
            )
        else:
            message = "考核员依据统计数据和佐证材料考核，无权查看办件、工单等业务记录。"
            reason = "assessor_confinement"
        if apps.is_installed("zhengwu.audit"):
            from zhengwu.audit.services import record

            with transaction.atomic():
                record(
                    "access.denied",
                    request=request,
                    actor=user,
                    result="denied",
                    detail={"view": view_name, "method": request.method, "reason": reason},
                )
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "permission_denied", "message": message, "fields": {}},
                status=403,
                json_dumps_params={"ensure_ascii": False},
            )
        return render(request, "workbench/forbidden.html", {"reason": message}, status=403)
