"""Pages anyone may open without signing in: progress by number and query code, certificate checks."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from zhengwu.cases import selectors
from zhengwu.cases.certificates import certificate_verify
from zhengwu.common import clock, ratelimit
from zhengwu.common.errors import NotFound
from zhengwu.common.qr import qr_svg
from zhengwu.portal import timeline
from zhengwu.portal.forms import ProgressForm

# One answer for a wrong number, a wrong code, a draft or no such case: nothing tells them apart.
PROGRESS_NOT_FOUND = "办件编号或查询码不正确，请核对后重新输入。"


PROGRESS_PER_MINUTE = 30  # the same limit as the API: query codes cannot be enumerated


@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    """办件进度查询: the status, item, dates and the steps done; no names, no files."""
    data = request.POST if request.method == "POST" else (request.GET if "number" in request.GET else None)
    form = ProgressForm(data)
    context: dict = {"form": form, "case": None, "not_found": ""}
    # Keyed like the API's throttle: behind the trusted proxy (ZHENGWU_NUM_PROXIES) REMOTE_ADDR is the proxy,
    # and every citizen would share its 30 queries a minute.
    if data is not None and not ratelimit.allow(
        "progress", ratelimit.client_ip(request), limit=PROGRESS_PER_MINUTE
    ):
        context["not_found"] = "查询过于频繁，请一分钟后再试。"
    elif data is not None and form.is_valid():
        try:
            case = selectors.case_progress(
                number=form.cleaned_data["number"], query_code=form.cleaned_data["query_code"]
            )
        except NotFound:
            context["not_found"] = PROGRESS_NOT_FOUND
        else:
            context["case"] = case
            context["steps_done"] = timeline.entries(case, case.events.all(), public=True)
    context["htmx"] = bool(request.headers.get("HX-Request"))
    template = "portal/_progress_result.html" if context["htmx"] else "portal/progress.html"
    return render(request, template, context)


@require_GET
def verify(request: HttpRequest, code: str = "") -> HttpResponse:
    """电子证照核验 by verification code (from the QR code or typed in)."""
    code = (code or request.GET.get("code", "")).strip().upper()
    context: dict = {"code": code, "verification": None, "not_found": ""}
    if code:
        try:
            verification = certificate_verify(code=code, today=clock.today())
        except NotFound as error:
            context["not_found"] = error.message
        else:
            url = request.build_absolute_uri(reverse("portal:verify_code", args=[code]))
            context.update(verification=verification, verify_url=url, qr=qr_svg(url))
    return render(request, "portal/verify.html", context)
