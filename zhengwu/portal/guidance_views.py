"""智能导办 pages: the wizard (htmx redraws questions and result on every change), the printable
一次性告知单 and the download of a material's blank form. Public, no sign-in.

The workbench serves the same wizard and notice to window staff (`zhengwu.workbench.guidance`):
`wizard_response` and `notice_response` take a `Frame` that names the base template, the URL
namespace and the notice channel, so both audiences share one view logic and one template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhengwu.catalog.choices import LifecycleStatus
from zhengwu.catalog.models import ItemVersion, ServiceItem
from zhengwu.common import clock
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.guidance.choices import NoticeChannel
from zhengwu.guidance.models import GuidanceNotice
from zhengwu.guidance.selectors import (
    GuidanceData,
    guidance_data,
    guidance_item_get,
    guidance_notice_get,
    material_template_get,
)
from zhengwu.guidance.services import (
    guidance_answer,
    guidance_notice_create,
    guidance_snapshot,
    guidance_validate,
)

ANSWER_FIELD = re.compile(r"^q(\d+)$")


@dataclass(frozen=True)
class Frame:
    """Where the guidance pages live: the portal (citizens) or the workbench (window staff)."""

    base_template: str
    namespace: str  # of the wizard, notice_create and notice URLs
    channel: str
    staff: bool = False


PORTAL = Frame("portal/base.html", "guidance", NoticeChannel.PORTAL)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def answers_from(data: QueryDict) -> dict[str, list[str]]:
    """Form fields q<question id> (radio or checkboxes) → {question id: [option id, …]}."""
    answers: dict[str, list[str]] = {}
    for name in data:
        match = ANSWER_FIELD.match(name)
        if match:
            answers[match.group(1)] = [v for v in data.getlist(name) if v != ""]
    return answers


def published_item_or_404(code: str) -> ServiceItem:
    try:
        return guidance_item_get(code)
    except NotFound as error:
        raise Http404(error.message) from error


def decorate(snapshot: dict[str, Any], *, code: str) -> dict[str, Any]:
    """Add the links a page needs to a result snapshot (the snapshot itself stores no URLs)."""
    materials = [
        {
            **m,
            "template_url": reverse("guidance:material_template", args=[code, m["material_id"]])
            if m.get("has_template")
            else "",
        }
        for m in snapshot["materials"]
    ]
    routes = [
        {**r, "url": reverse("portal:item_detail", args=[r["implementation_code"]]) if r["name"] else ""}
        for r in snapshot["routes"]
    ]
    return {**snapshot, "materials": materials, "routes": routes}


def _question_rows(data: GuidanceData, answer, raw: dict[str, list[str]], errors: dict[str, list[str]]):
    shown = set(answer.result.shown) if answer else set()
    chosen = {str(v) for values in raw.values() for v in values}
    rows = []
    for question in data.questions:
        if question.key not in shown:
            continue
        rows.append(
            {
                "id": question.pk,
                "text": question.text,
                "help": question.help,
                "multiple": question.multiple,
                "options": [
                    {"id": o.pk, "label": o.label, "checked": str(o.pk) in chosen}
                    for o in question.options.all()
                ],
                "errors": errors.get(f"answers.{question.pk}", []),
            }
        )
    return rows


def wizard_response(
    request: HttpRequest,
    *,
    item: ServiceItem,
    version: ItemVersion,
    frame: Frame,
    preview: bool = False,
    extra_errors: dict[str, list[str]] | None = None,
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    """The wizard page, or only its body for htmx. `preview`: a staff look at a draft's guidance."""
    data = guidance_data(version)
    raw = answers_from(request.POST if request.method == "POST" else request.GET)
    errors: dict[str, list[str]] = dict(extra_errors or {})
    answer = None
    if data.configured:
        try:
            answer = guidance_answer(version=version, answers=raw, data=data)
        except DomainError as error:
            errors.update(error.fields)
            valid = {k: v for k, v in raw.items() if f"answers.{k}" not in error.fields}
            answer = guidance_answer(version=version, answers=valid, data=data)
    wizard_url = reverse(f"{frame.namespace}:wizard", args=[item.implementation_code])
    context = {
        "item": item,
        "version": version,
        "frame": frame,
        "preview": preview,
        "configured": data.configured,
        "questions": _question_rows(data, answer, raw, errors),
        "result": decorate(guidance_snapshot(answer), code=item.implementation_code) if answer else None,
        "general_errors": [m for k, msgs in errors.items() if not k.startswith("answers.") for m in msgs],
        "message": message,
        "wizard_url": wizard_url,
        "notice_url": reverse(f"{frame.namespace}:notice_create", args=[item.implementation_code]),
        "can_issue": not preview and item.status == LifecycleStatus.ACTIVE,
        "can_apply_online": item.status == LifecycleStatus.ACTIVE and version.online_depth >= 3,
        "problems": guidance_validate(version=version, data=data) if preview else [],
        "today": clock.today(),
    }
    template = "guidance/_wizard.html" if _is_htmx(request) else "guidance/wizard.html"
    return render(request, template, context, status=status)


def notice_create_response(request: HttpRequest, *, item: ServiceItem, frame: Frame) -> HttpResponse:
    """POST of the wizard form: store the notice, then show it (or go on to apply with it)."""
    version = item.current_version
    try:
        notice = guidance_notice_create(
            version=version,
            answers=answers_from(request.POST),
            channel=frame.channel,
            actor=request.user if frame.staff else None,
        )
    except DomainError as error:
        return wizard_response(
            request,
            item=item,
            version=version,
            frame=frame,
            extra_errors=error.fields,
            message=error.message,
            status=400,
        )
    if request.POST.get("next") == "apply" and not frame.staff:
        return redirect(apply_url(notice))
    return redirect(reverse(f"{frame.namespace}:notice", args=[notice.number]))


def apply_url(notice: GuidanceNotice) -> str:
    """立即申办: the online application, carrying the notice (the apply page reads `?notice=`)."""
    return (
        reverse("portal:apply", args=[notice.item.implementation_code])
        + "?"
        + urlencode({"notice": notice.number})
    )


def intake_url(notice: GuidanceNotice) -> str:
    """窗口受理: the workbench intake of the item, carrying the notice."""
    return (
        reverse("workbench:case_intake")
        + "?"
        + urlencode({"item": notice.item.implementation_code, "notice": notice.number})
    )


def notice_response(request: HttpRequest, *, number: str, frame: Frame) -> HttpResponse:
    try:
        notice = guidance_notice_get(number)
    except NotFound as error:
        raise Http404(error.message) from error
    item = notice.item
    context = {
        "notice": notice,
        "item": item,
        "frame": frame,
        "result": decorate(notice.snapshot, code=item.implementation_code),
        "wizard_url": reverse(f"{frame.namespace}:wizard", args=[item.implementation_code]),
        "apply_url": apply_url(notice),
        "intake_url": intake_url(notice),
        "can_apply_online": item.status == LifecycleStatus.ACTIVE and notice.version.online_depth >= 3,
    }
    return render(request, "guidance/notice.html", context)


# ---------------------------------------------------------------------------------------------
# Portal views


@require_GET
def wizard(request: HttpRequest, code: str) -> HttpResponse:
    item = published_item_or_404(code)
    return wizard_response(request, item=item, version=item.current_version, frame=PORTAL)


@require_POST
def notice_create(request: HttpRequest, code: str) -> HttpResponse:
    return notice_create_response(request, item=published_item_or_404(code), frame=PORTAL)


@require_GET
def notice(request: HttpRequest, number: str) -> HttpResponse:
    return notice_response(request, number=number, frame=PORTAL)


@require_GET
def material_template(request: HttpRequest, code: str, material_id: int) -> FileResponse:
    try:
        material = material_template_get(code, material_id)
    except NotFound as error:
        raise Http404(error.message) from error
    name = material.template_file.name.rsplit("/", 1)[-1]
    return FileResponse(material.template_file.open("rb"), as_attachment=True, filename=name)
