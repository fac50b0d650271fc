"""AuditMiddleware: makes the request known to `record()` (IP, user) and audits refused requests.

One central hook instead of an edit in every view: a response of 403 (any user), or 404 from a resolved
view for a signed-in user (a foreign object answers 404 exactly like a missing one, SECURITY §5 "Object
access"), writes one `access.denied` event with result "denied". A 404 for an unknown URL is not a denial. A choke point that records its own
`access.denied` (e.g. the 三员 confinement middleware, with its reason) is not recorded twice.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from zhengwu.audit.context import reset_request, set_request
from zhengwu.audit.models import AuditResult


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_request(request)
        try:
            response = self.get_response(request)
            if self._is_denial(request, response):
                from zhengwu.audit.services import record

                record(
                    "access.denied",
                    request=request,
                    result=AuditResult.DENIED,
                    object_type="url",
                    object_id=getattr(request.resolver_match, "view_name", "") or "",
                    detail={"method": request.method, "path": request.path, "status": response.status_code},
                )
        finally:
            reset_request(token)
        return response

    @staticmethod
    def _is_denial(request: HttpRequest, response: HttpResponse) -> bool:
        if getattr(request, "_audit_denial_recorded", False):
            return False  # a choke point already recorded this denial, with its reason
        if response.status_code == 403:
            return True
        if response.status_code == 404 and getattr(request, "resolver_match", None) is not None:
            user = getattr(request, "user", None)
            return bool(user is not None and user.is_authenticated)
        return False
