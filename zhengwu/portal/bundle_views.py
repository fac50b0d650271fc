"""一件事 pages: the list, the wizard (questions → items that apply and one merged material list), the
printable one notice covering every item, applying (signed-in citizens) and a citizen's bundle case."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhengwu.bundles.models import Bundle
from zhengwu.bundles.permissions import bundle_case_get_for_user
from zhengwu.bundles.selectors import bundle_case_state, bundle_get, bundle_list, child_due
from zhengwu.bundles.services import BundleGuidance, bundle_case_submit, bundle_guidance
from zhengwu.cases.choices import Channel
from zhengwu.common import clock
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.portal.case_views import citizen_required
from zhengwu.portal.guidance_views import answers_from


def _bundle_or_404(code: str) -> Bundle:
    try:
        return bundle_get(code)
    except NotFound as error:
        raise Http404(error.message) from error


def _evaluate(bundle: Bundle, raw: dict[str, list[str]]) -> tuple[BundleGuidance, dict[str, list[str]]]:
    try:
        return bundle_guidance(bundle=bundle, answers=raw), {}
    except DomainError as error:
        valid = {k: v for k, v in raw.items() if f"answers.{k}" not in error.fields}
        return bundle_guidance(bundle=bundle, answers=valid), error.fields


def _context(request: HttpRequest, bundle: Bundle, raw: dict[str, list[str]]) -> dict:
    guidance, errors = _evaluate(bundle, raw)
    chosen = {str(v) for values in raw.values() for v in values}
    questions = [
        {
            "id": q.pk,
            "text": q.text,
            "help": q.help,
            "multiple": q.multiple,
            "options": [
                {"id": o.pk, "label": o.label, "checked": str(o.pk) in chosen} for o in q.options.all()
            ],
            "errors": errors.get(f"answers.{q.pk}", []),
        }
        for q in bundle.questions.all()
    ]
    query = urlencode([(f"q{k}", v) for k, values in raw.items() for v in values])
    return {
        "bundle": bundle,
        "guidance": guidance,
        "questions": questions,
        "query": query,
        "today": clock.today(),
    }


@require_GET
def bundle_index(request: HttpRequest) -> HttpResponse:
    return render(request, "bundles/list.html", {"bundles": bundle_list()})


@require_GET
def bundle_wizard(request: HttpRequest, code: str) -> HttpResponse:
    bundle = _bundle_or_404(code)
    context = _context(request, bundle, answers_from(request.GET))
    template = (
        "bundles/_wizard.html" if request.headers.get("HX-Request") == "true" else "bundles/wizard.html"
    )
    return render(request, template, context)


@require_GET
def bundle_notice(request: HttpRequest, code: str) -> HttpResponse:
    """一次告知: every item that applies and the merged material list, printable, for one answer set."""
    bundle = _bundle_or_404(code)
    return render(request, "bundles/notice.html", _context(request, bundle, answers_from(request.GET)))


@require_POST
@citizen_required
def bundle_apply(request: HttpRequest, code: str) -> HttpResponse:
    bundle = _bundle_or_404(code)
    raw = answers_from(request.POST)
    form_data = {"申请事项说明": request.POST.get("description", "").strip()[:1000]}
    try:
        bundle_case = bundle_case_submit(
            bundle=bundle,
            applicant=request.user.applicant,
            answers=raw,
            channel=Channel.ONLINE,
            actor=request.user,
            now=clock.now(),
            form_data=form_data,
        )
    except DomainError as error:
        context = _context(request, bundle, raw)
        context["message"] = error.message
        return render(request, "bundles/wizard.html", context, status=400)
    return redirect(reverse("bundles:my_bundle_case", args=[bundle_case.number]))


@require_GET
@citizen_required
def my_bundle_case(request: HttpRequest, number: str) -> HttpResponse:
    try:
        bundle_case = bundle_case_get_for_user(request.user, number)
    except NotFound as error:
        raise Http404(error.message) from error
    state = bundle_case_state(bundle_case)
    rows = [{"child": child, "case": child.case, "due": child_due(child.case)} for child in state.children]
    return render(request, "bundles/my_case.html", {"bundle_case": bundle_case, "state": state, "rows": rows})
