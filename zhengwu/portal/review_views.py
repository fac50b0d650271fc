"""好差评 at the portal: rate my concluded case, rate through the SMS link (no sign-in, one time), the
window rating pad a hall tablet shows (一次一评), and the public statistics.

Reviews are voluntary: the grade has no preselected value and the pages say so. Every write is one
call of `reviews.services`; a refused review is shown with its Chinese reason."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from zhengwu.common import clock, ratelimit
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.metrics.selectors import period_parse
from zhengwu.organization.models import Window
from zhengwu.portal.case_views import _case_or_404, citizen_required
from zhengwu.reviews import choices as c
from zhengwu.reviews import selectors, services

PUBLIC_COLUMNS = ("reviews", "active_rate", "good_rate", "bad", "rectified_rate", "callback_rate")


def _form_context(case, dimension_set: str, post=None, error: DomainError | None = None) -> dict:
    post = post or {}
    return {
        "case": case,
        "grades": c.Grade.choices,
        "dimensions": list(c.DIMENSIONS[dimension_set].items()),
        "chosen": post.get("grade", ""),
        "comment": post.get("comment", ""),
        "error": error,
    }


def _dimension_set(case) -> str:
    return c.DimensionSet.ONLINE if case.channel == "online" else c.DimensionSet.OFFLINE


def _posted_scores(post, dimension_set: str) -> dict[str, str]:
    return {key: post.get(f"score_{key}", "") for key in c.DIMENSIONS[dimension_set]}


@citizen_required
@require_http_methods(["GET", "POST"])
def case_review(request: HttpRequest, number: str) -> HttpResponse:
    """Rate my concluded case (一事一评), once."""
    case = _case_or_404(request, number)
    existing = selectors.case_review(case)
    if existing is not None:
        return render(request, "reviews/thanks.html", {"review": existing, "case": case, "already": True})
    dimension_set = _dimension_set(case)
    if request.method == "POST":
        limit = ratelimit.submission_check(request, "review_submit")  # shared with the API
        if not limit.allowed:
            return ratelimit.too_many(limit.retry_after)
        try:
            review = services.review_submit(
                case=case,
                grade=request.POST.get("grade"),
                channel=c.Channel.WEB,
                actor=request.user,
                now=clock.now(),
                scores=_posted_scores(request.POST, dimension_set),
                comment=request.POST.get("comment", ""),
                real_name=request.POST.get("anonymous") != "1",
            )
        except DomainError as error:
            context = _form_context(case, dimension_set, request.POST, error)
            return render(request, "reviews/rate.html", context, status=error.status_code)
        return render(request, "reviews/thanks.html", {"review": review, "case": case})
    return render(request, "reviews/rate.html", _form_context(case, dimension_set))


@never_cache
@require_http_methods(["GET", "POST"])
def token_review(request: HttpRequest, token: str) -> HttpResponse:
    """The SMS link: no sign-in; the link works once and expires 15 days after completion."""
    try:
        invitation = services.invitation_for_token(token=token, now=clock.now())
    except NotFound:
        return render(request, "reviews/link_invalid.html", status=404)
    case = invitation.case
    dimension_set = _dimension_set(case)
    if request.method == "POST":
        limit = ratelimit.submission_check(request, "review_submit")
        if not limit.allowed:
            return ratelimit.too_many(limit.retry_after)
        try:
            review = services.review_submit(
                invitation=invitation,
                grade=request.POST.get("grade"),
                channel=c.Channel.SMS,
                actor=None,
                now=clock.now(),
                scores=_posted_scores(request.POST, dimension_set),
                comment=request.POST.get("comment", ""),
                real_name=request.POST.get("anonymous") != "1",
            )
        except DomainError as error:
            context = _form_context(case, dimension_set, request.POST, error)
            context["token_form"] = True
            return render(request, "reviews/rate.html", context, status=error.status_code)
        return render(request, "reviews/thanks.html", {"review": review, "case": case})
    context = _form_context(case, dimension_set)
    context["token_form"] = True
    return render(request, "reviews/rate.html", context)


@never_cache
@login_required(login_url="workbench:login")
@require_http_methods(["GET", "POST"])
def window_pad(request: HttpRequest, window_id: int) -> HttpResponse:
    """The window rating pad (评价器): signed in as the window's clerk, it rates the clerk's current case
    (the visit), one tap of five big buttons; anonymous, no default."""
    window = Window.objects.select_related("hall", "hall__department").filter(pk=window_id).first()
    if window is None or request.user.applicant_id or request.user.window_id != window.pk:
        raise Http404("评价器未绑定到该窗口。")
    current = services.window_current_case(window, request.user, clock.today())
    context = {"window": window, "grades": c.Grade.choices, "current": current}
    if request.method == "POST":
        try:
            services.review_submit(
                kind=c.ServiceKind.VISIT,
                channel=c.Channel.HALL_DEVICE,
                grade=request.POST.get("grade"),
                actor=None,
                now=clock.now(),
                window=window,
                visit_event=current[1] if current else None,
                clerk=request.user,
                scores={k: request.POST.get(f"score_{k}", "") for k in c.DIMENSIONS[c.DimensionSet.OFFLINE]},
                real_name=False,
            )
        except DomainError as error:
            context["error"] = error
            return render(request, "reviews/pad.html", context, status=error.status_code)
        context["thanks"] = True
    return render(request, "reviews/pad.html", context)


@require_GET
def public_stats(request: HttpRequest) -> HttpResponse:
    """Published figures by department or region for a period (no personal data)."""
    by = request.GET.get("by") if request.GET.get("by") in ("department", "region") else "department"
    today = clock.today()
    try:
        period = period_parse(request.GET.get("period") or f"{today:%Y}")
    except DomainError as error:
        return render(request, "reviews/public_stats.html", {"error": error, "by": by}, status=400)
    figures = selectors.review_stats(by=by, period=period, as_of=today)
    rows = [
        {"name": f.name, "cells": ["—" if getattr(f, k) is None else getattr(f, k) for k in PUBLIC_COLUMNS]}
        for f in figures
        if f.reviews or f.finished
    ]
    context = {
        "by": by,
        "period": period,
        "rows": rows,
        "columns": [selectors.FIGURE_LABELS[k] for k in PUBLIC_COLUMNS],
    }
    return render(request, "reviews/public_stats.html", context)


# Included by `portal/urls.py` below its 好差评 marker (names in the `portal` namespace).
urlpatterns = [
    path("my/cases/<str:number>/review/", case_review, name="case_review"),
    path("review/pad/<int:window_id>/", window_pad, name="review_pad"),
    path("review/<str:token>/", token_review, name="review_token"),
    path("reviews/", public_stats, name="review_stats"),
]
