"""Response headers Django's SecurityMiddleware does not set (SECURITY.md row 1, docs/adr/0012).

`SecurityHeadersMiddleware`, placed after WhiteNoise so static files keep their own caching headers:

- `Content-Security-Policy`: scripts, styles, images, fonts and XHR from our own origin only; no
  'unsafe-inline' and no 'unsafe-eval' anywhere; `frame-ancestors 'none'`, `object-src 'none'`,
  `base-uri 'self'`, `form-action 'self'`. The policy comes from `settings.ZHENGWU_CSP` (a dict of
  directive -> sources) so a deployment may add e.g. a report endpoint; a view may already have set its own.
- `Cache-Control: no-store` on every dynamic response to a signed-in visitor or an API client sending
  credentials (personal data must not rest in browser or proxy caches), and on any dynamic response that
  does not choose its own caching. `Pragma: no-cache` alongside for HTTP/1.0 proxies.
- `Permissions-Policy` switching off powerful browser features the application never uses.
- The OpenAPI schema and docs page (`api:schema`, `api:docs`) follow `settings.ZHENGWU_API_DOCS`:
  `public` (development default), `staff` (production default: signed-in staff only, others 404) or `off`.

HSTS, `X-Content-Type-Options: nosniff`, `Referrer-Policy`, `Cross-Origin-Opener-Policy` and the SSL
redirect come from Django's SecurityMiddleware; `X-Frame-Options: DENY` from XFrameOptionsMiddleware.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

DEFAULT_CSP: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
DOCS_URL_NAMES = frozenset({"api:schema", "api:docs"})


def content_security_policy() -> str:
    policy = getattr(settings, "ZHENGWU_CSP", None) or DEFAULT_CSP
    return "; ".join(f"{directive} {' '.join(sources)}".strip() for directive, sources in policy.items())


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(
        (user is not None and user.is_authenticated)
        or request.META.get("HTTP_AUTHORIZATION")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.csp = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        current = response.headers.get("Cache-Control", "")
        if "no-store" not in current and (_signed_in(request) or not current):
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        if match is None or match.view_name not in DOCS_URL_NAMES:
            return None
        mode = getattr(settings, "ZHENGWU_API_DOCS", "public")
        if mode == "public":
            return None
        user = getattr(request, "user", None)
        staff = bool(user is not None and user.is_authenticated and not getattr(user, "applicant_id", None))
        if mode == "staff" and staff:
            return None
        raise Http404("接口文档仅对工作人员开放。")
