"""The staff workbench for cases: lists, window intake, the case page and its actions, the warning board.

Views only translate. `StaffCaseFilter` and the selectors read in the caller's data scope, every
object is fetched through `zhengwu.cases.permissions`, one service call makes each change, and every
`DomainError` comes back inline in Chinese: HTTP 200 with the form and its error for htmx, 409 with
"已被他人处理" when somebody acted on the case first. Each action form carries the case `version` it
was drawn from, so a click on a stale page conflicts instead of acting on a case that has moved on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zhengwu.cases import choices as cc
from zhengwu.cases import pii as case_pii
from zhengwu.cases import selectors, services
from zhengwu.cases.filtersets import StaffCaseFilter
from zhengwu.cases.models import Card, Case, Clock
from zhengwu.cases.permissions import case_get_for_user, material_file_get_for_user
from zhengwu.cases.services import Conflict
from zhengwu.catalog.choices import LifecycleStatus, Necessity, ReformMode
from zhengwu.catalog.selectors import item_list_for_user
from zhengwu.common import clock, filestore
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.domain import deadlines as dl
from zhengwu.domain.calendar import CalendarNotAvailable
from zhengwu.domain.case_flow import ACTION_LABELS, FINISHED, Action
from zhengwu.domain.masking import mask_id_number, mask_name, mask_phone
from zhengwu.organization.choices import ApplicantKind, Role
from zhengwu.organization.selectors import staff_list
from zhengwu.organization.services import applicant_register
from zhengwu.queueing import permissions as queue_permissions
from zhengwu.queueing import services as queue_services
from zhengwu.workbench.access import staff_required
from zhengwu.workbench.forms import IntakeForm

PAGE_SIZE = 20
QUEUE_TABS = (("mine", "我的待办"), ("department", "部门待办"), ("all", "全部"))
WEEKDAYS = "一二三四五六日"
# What each card rule means (DOMAIN §5.1), for the warning board.
CARD_RULES = {
    "N1": "承诺期限即将届满",
    "Y1": "超过承诺期限",
    "Y2": "环节超时",
    "Y2P": "特别程序/中止超过告知期限",
    "Y3": "补正告知逾期（视为受理）",
    "Y4": "不予受理/不予许可未书面说明理由",
    "Y5": "即办件未当场办结",
    "R1": "超过法定期限",
    "D1": "容缺材料逾期未补齐",
    "R3": "违规收费或违规不予受理",
}


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _case_or_404(request: HttpRequest, number: str) -> Case:
    try:
        return case_get_for_user(request.user, number)
    except NotFound as error:
        raise Http404(error.message) from error


def applicant_display(applicant) -> str:
    """A person's name masked (张*); a legal person's name is public (DOMAIN §11)."""
    if applicant.kind == ApplicantKind.PERSON:
        return mask_name(applicant.name)
    return applicant.name


def card_rule_label(rule: str) -> str:
    if rule.startswith("R2"):
        return "黄牌逾期未整改"
    return CARD_RULES.get(rule, rule)


# -- the case list ------------------------------------------------------------------------------


@never_cache
@staff_required
def case_list(request: HttpRequest) -> HttpResponse:
    filterset = StaffCaseFilter(request.GET or None, request=request)
    form = filterset.form  # presentation only: date pickers, and a plain yes/all for 仅未办结
    for name in ("received_from", "received_to"):
        form.fields[name].widget.input_type = "date"
    form.fields["open"].widget.choices = [("unknown", "全部"), ("true", "是")]
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    queue = request.GET.get("queue") or "all"
    tabs = []
    for key, label in QUEUE_TABS:
        tab_query = query.copy()
        tab_query["queue"] = key
        tabs.append({"key": key, "label": label, "query": tab_query.urlencode(), "active": key == queue})
    context = {
        "filter": filterset,
        "fields": [f for f in filterset.form if f.name != "queue"],
        "queue": queue,
        "tabs": tabs,
        "page": page,
        "rows": [(case, applicant_display(case.applicant)) for case in page],
        "query": query.urlencode(),
        "errors": filterset.errors_in_chinese(),
    }
    template = "workbench/cases/_rows.html" if _is_htmx(request) else "workbench/cases/list.html"
    return render(request, template, context)


# -- intake at the window -----------------------------------------------------------------------


def _intake_items(user, search: str = ""):
    """Published, active items of the departments the clerk's data scope covers, and other regions'
    items open to 跨域通办."""
    return (
        item_list_for_user(user=user, search=search, cross_region=True)
        .filter(status=LifecycleStatus.ACTIVE, current_version__isnull=False)
        .order_by("department__name", "name")
    )


def _intake_ticket(request: HttpRequest):
    """The hall queue ticket being served at the clerk's window (`?ticket=<id>`), or None."""
    raw = (request.POST.get("ticket") or request.GET.get("ticket") or "").strip()
    if not raw:
        return None
    try:
        ticket = queue_permissions.ticket_get_for_user(request.user, int(raw) if raw.isdecimal() else 0)
    except NotFound as error:
        raise Http404(error.message) from error
    if (
        ticket.window_id is None
        or ticket.window_id != request.user.window_id
        or ticket.status
        not in (
            "called",
            "serving",
        )
    ):
        raise Http404("该排队号不在本窗口办理中。")
    return ticket


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def case_intake(request: HttpRequest) -> HttpResponse:
    """综合受理: find the item, record the applicant, open the case, then tick the materials.

    From the window console (`?ticket=<id>`): the ticket's item is preselected and the created case is
    linked to the ticket (取号叫号), in the same transaction."""
    search = (request.GET.get("q") or "").strip()[:50]
    ticket = _intake_ticket(request)
    code = (request.POST.get("item") or request.GET.get("item") or "").strip()
    if not code and ticket is not None and ticket.item_id:
        code = ticket.item.implementation_code
    item = _intake_items(request.user).filter(implementation_code=code).first() if code else None
    if code and item is None:
        raise Http404("事项不存在、未发布或不在您的受理范围内。")
    if item is None:
        results = _intake_items(request.user, search)[:30]
        context = {"search": search, "results": results, "ticket": ticket}
        if _is_htmx(request):
            return render(request, "workbench/cases/_intake_items.html", context)
        return render(request, "workbench/cases/intake.html", context)

    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                applicant = applicant_register(
                    kind=data["kind"],
                    name=data["name"],
                    id_number=data["id_number"],
                    today=clock.today(),
                    phone=data["phone"],
                    legal_representative=data["legal_representative"],
                )
                case = services.case_create(
                    item=item,
                    applicant=applicant,
                    channel=cc.Channel.WINDOW,
                    now=clock.now(),
                    actor=request.user,
                    contact_phone=data["phone"],
                    agent_name=data["agent_name"],
                    agent_id_number=data["agent_id_number"],
                    agent_phone=data["agent_phone"],
                    window=request.user.window,
                )
                if ticket is not None:
                    queue_services.ticket_link_case(
                        ticket=ticket, case=case, staff=request.user, now=clock.now()
                    )
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"已收件，办件编号 {case.number}。请逐项核验申请材料。")
            return redirect(reverse("workbench:case_detail", args=[case.number]) + "#materials")
    return render(request, "workbench/cases/intake.html", {"item": item, "form": form, "ticket": ticket})


def _form_errors(form, error: DomainError) -> None:
    """The service's message on top of the form, and each field's problems next to the field."""
    form.add_error(None, error.message)
    for name, problems in error.fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)


# -- the case page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One input of an action form; `kind` picks the widget in `_actions.html`."""

    name: str
    kind: str  # text, textarea, number, select, checkbox, supplement, deferred, user, agrees
    label: str
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    low: int | None = None
    high: int | None = None


Handler = Callable[..., str | None]


@dataclass(frozen=True)
class ActionSpec:
    key: str
    label: str
    handler: Handler
    fields: tuple[Field, ...] = ()
    tone: str = ""  # "", "secondary" or "danger"


@dataclass
class ActionView:
    """An action form as drawn: its fields with the values and errors of a failed attempt."""

    key: str
    label: str
    tone: str
    fields: list[dict[str, Any]] = field(default_factory=list)
    error: DomainError | None = None
    problems: list[str] = field(default_factory=list)


def _text(post: QueryDict, name: str, label: str, *, max_length: int = 500) -> str:
    value = (post.get(name) or "").strip()
    if len(value) > max_length:
        problem = f"{label}不能超过 {max_length} 个字。"
        raise DomainError("invalid", problem, {name: [problem]})
    return value


def _int(
    post: QueryDict, name: str, label: str, *, required: bool, low: int | None = None, high: int | None = None
) -> int | None:
    raw = (post.get(name) or "").strip()
    if not raw:
        if required:
            raise DomainError("required", f"请填写{label}。", {name: [f"请填写{label}。"]})
        return None
    try:
        value = int(raw)
    except ValueError:
        raise DomainError("invalid", f"{label}应为整数。", {name: [f"{label}应为整数。"]}) from None
    if (low is not None and value < low) or (high is not None and value > high):
        problem = f"{label}应为 {low}–{high} 的整数。"
        raise DomainError("invalid", problem, {name: [problem]})
    return value


def _ids(post: QueryDict, name: str) -> list[int]:
    try:
        return [int(value) for value in post.getlist(name)]
    except ValueError:
        raise DomainError("invalid", "所选材料无效。", {name: ["所选材料无效。"]}) from None


def _do_accept(*, case, actor, now, post):
    services.case_accept(
        case=case,
        actor=actor,
        now=now,
        comment=_text(post, "comment", "受理意见"),
        commitment=post.get("commitment") == "1",
    )


def _do_accept_with_deficiency(*, case, actor, now, post):
    days = _int(post, "deficiency_days", "容缺补齐期限", required=False, low=1, high=60)
    services.case_accept_with_deficiency(
        case=case,
        actor=actor,
        now=now,
        comment=_text(post, "comment", "说明"),
        deficiency_days=days or services.DEFICIENCY_DAYS,
    )


def _do_refuse_intake(*, case, actor, now, post):
    services.case_refuse_intake(
        case=case, actor=actor, now=now, reason=_text(post, "reason", "理由", max_length=2000)
    )


def _do_request_supplement(*, case, actor, now, post):
    items = {pk: _text(post, f"note_{pk}", "补正说明", max_length=255) for pk in _ids(post, "material")}
    services.case_request_supplement(
        case=case, actor=actor, now=now, items=items, comment=_text(post, "comment", "补充说明")
    )


def _do_supplement(*, case, actor, now, post):
    services.case_supplement(case=case, actor=actor, now=now, comment=_text(post, "comment", "说明"))


def _do_decide_on_spot(*, case, actor, now, post):
    services.case_decide_on_spot(case=case, actor=actor, now=now, comment=_text(post, "comment", "办理意见"))


def _do_step_pass(*, case, actor, now, post):
    services.case_step_pass(
        case=case, actor=actor, now=now, comment=_text(post, "comment", "审查意见", max_length=2000)
    )


def _do_step_return(*, case, actor, now, post):
    services.case_step_return(
        case=case, actor=actor, now=now, comment=_text(post, "comment", "退回原因", max_length=2000)
    )


def _do_step_transfer(*, case, actor, now, post):
    to_user_id = _int(post, "to_user", "接收人", required=True)
    to_user = _transfer_candidates(actor, case).filter(pk=to_user_id).first()
    if to_user is None:
        raise DomainError("invalid", "请选择有权办理该办件的接收人。", {"to_user": ["接收人无效。"]})
    services.case_step_transfer(
        case=case, actor=actor, to_user=to_user, now=now, comment=_text(post, "comment", "说明")
    )
    return f"已转办给 {to_user}。"


def _do_step_claim(*, case, actor, now, post):
    services.case_step_claim(case=case, actor=actor, now=now)
    return "已认领，办件已进入“我的待办”。"


def _do_step_opinion(*, case, actor, now, post):
    agrees = post.get("agrees")
    if agrees not in ("1", "0"):
        raise DomainError("required", "请选择同意或不同意。", {"agrees": ["请选择同意或不同意。"]})
    services.case_step_opinion(
        case=case,
        actor=actor,
        now=now,
        agrees=agrees == "1",
        opinion=_text(post, "opinion", "会审意见", max_length=2000),
    )


def _do_pause(*, case, actor, now, post):
    services.case_pause(
        case=case,
        actor=actor,
        now=now,
        reason_code=(post.get("reason_code") or "").strip(),
        reason=_text(post, "reason", "情况说明"),
        expected_days=_int(post, "expected_days", "预计所需时间", required=True),
    )


def _do_resume(*, case, actor, now, post):
    services.case_resume(case=case, actor=actor, now=now, comment=_text(post, "comment", "说明"))


def _do_extend(*, case, actor, now, post):
    services.case_extend(
        case=case,
        actor=actor,
        now=now,
        days=_int(post, "days", "延长天数", required=True),
        reason=_text(post, "reason", "延长理由", max_length=2000),
    )


def _do_supply_deferred(*, case, actor, now, post):
    services.case_supply_deferred(case=case, actor=actor, now=now, material_ids=_ids(post, "material"))


def _do_grant(*, case, actor, now, post):
    services.case_grant(
        case=case, actor=actor, now=now, reason=_text(post, "reason", "决定理由", max_length=2000)
    )


def _do_deny(*, case, actor, now, post):
    services.case_deny(case=case, actor=actor, now=now, reason=_text(post, "reason", "理由", max_length=2000))


def _do_issue_certificate(*, case, actor, now, post):
    years = _int(post, "valid_years", "有效期", required=False, low=1, high=30)
    certificate = services.case_issue_certificate(case=case, actor=actor, now=now, valid_years=years)
    return f"已制证：{certificate.title}（{certificate.number}）。"


def _do_deliver(*, case, actor, now, post):
    services.case_deliver(
        case=case,
        actor=actor,
        now=now,
        mode=(post.get("mode") or "").strip(),
        address=_text(post, "address", "送达地址", max_length=255),
    )


def _do_withdraw(*, case, actor, now, post):
    services.case_withdraw(case=case, actor=actor, now=now, reason=_text(post, "reason", "撤回原因"))


def _do_terminate(*, case, actor, now, post):
    services.case_terminate(
        case=case, actor=actor, now=now, reason=_text(post, "reason", "终止理由", max_length=2000)
    )


def _do_archive(*, case, actor, now, post):
    services.case_archive(case=case, actor=actor, now=now)


def _label(action: Action) -> str:
    return ACTION_LABELS[action]


A = Action
ACTIONS: dict[str, ActionSpec] = {
    spec.key: spec
    for spec in (
        ActionSpec(A.ACCEPT, _label(A.ACCEPT), _do_accept, (Field("comment", "text", "受理意见"),)),
        ActionSpec(
            A.ACCEPT_WITH_DEFICIENCY,
            _label(A.ACCEPT_WITH_DEFICIENCY),
            _do_accept_with_deficiency,
            (
                Field("deficiency_days", "number", "容缺补齐期限（工作日，默认10）", low=1, high=60),
                Field("comment", "text", "说明"),
            ),
            "secondary",
        ),
        ActionSpec(
            A.REQUEST_SUPPLEMENT,
            _label(A.REQUEST_SUPPLEMENT),
            _do_request_supplement,
            (
                Field("material", "supplement", "需补正的材料（勾选并写明问题）", True),
                Field("comment", "text", "补充说明"),
            ),
            "secondary",
        ),
        ActionSpec(
            A.REFUSE_INTAKE,
            _label(A.REFUSE_INTAKE),
            _do_refuse_intake,
            (Field("reason", "textarea", "不予受理理由", True),),
            "danger",
        ),
        ActionSpec(A.SUPPLEMENT, _label(A.SUPPLEMENT), _do_supplement, (Field("comment", "text", "说明"),)),
        ActionSpec(
            A.DECIDE_ON_SPOT,
            _label(A.DECIDE_ON_SPOT),
            _do_decide_on_spot,
            (Field("comment", "text", "办理意见"),),
        ),
        ActionSpec(
            A.STEP_PASS, _label(A.STEP_PASS), _do_step_pass, (Field("comment", "textarea", "审查意见"),)
        ),
        ActionSpec(
            A.STEP_RETURN,
            _label(A.STEP_RETURN),
            _do_step_return,
            (Field("comment", "textarea", "退回原因", True),),
            "secondary",
        ),
        ActionSpec(
            A.STEP_TRANSFER,
            _label(A.STEP_TRANSFER),
            _do_step_transfer,
            (Field("to_user", "user", "接收人", True), Field("comment", "text", "说明")),
            "secondary",
        ),
        ActionSpec("step_claim", "认领", _do_step_claim, (), "secondary"),
        ActionSpec(
            A.STEP_OPINION,
            _label(A.STEP_OPINION),
            _do_step_opinion,
            (Field("agrees", "agrees", "本部门意见", True), Field("opinion", "textarea", "会审意见", True)),
        ),
        ActionSpec(
            A.PAUSE,
            _label(A.PAUSE),
            _do_pause,
            (
                Field("reason_code", "select", "事由", True, tuple(cc.PauseReason.choices)),
                Field("reason", "textarea", "情况说明（书面告知申请人）", True),
                Field("expected_days", "number", "预计所需时间（工作日）", True, low=1, high=250),
            ),
            "secondary",
        ),
        ActionSpec(A.RESUME, _label(A.RESUME), _do_resume, (Field("comment", "text", "结果说明"),)),
        ActionSpec(
            A.EXTEND,
            _label(A.EXTEND),
            _do_extend,
            (
                Field("days", "number", "延长（工作日）", True, low=1, high=15),
                Field("reason", "textarea", "延长理由（告知申请人）", True),
            ),
            "secondary",
        ),
        ActionSpec(
            A.SUPPLY_DEFERRED,
            _label(A.SUPPLY_DEFERRED),
            _do_supply_deferred,
            (Field("material", "deferred", "已补齐的容缺材料", True),),
        ),
        ActionSpec(A.GRANT, _label(A.GRANT), _do_grant, (Field("reason", "textarea", "决定理由"),)),
        ActionSpec(
            A.DENY,
            _label(A.DENY),
            _do_deny,
            (Field("reason", "textarea", "不予许可理由（并告知复议、诉讼权利）", True),),
            "danger",
        ),
        ActionSpec(
            A.ISSUE_CERTIFICATE,
            _label(A.ISSUE_CERTIFICATE),
            _do_issue_certificate,
            (Field("valid_years", "number", "有效期（年，可不填）", low=1, high=30),),
        ),
        ActionSpec(
            A.DELIVER,
            _label(A.DELIVER),
            _do_deliver,
            (
                Field("mode", "select", "送达方式", True, tuple(cc.Delivery.choices)),
                Field("address", "text", "邮寄地址（邮寄送达时必填）"),
            ),
        ),
        ActionSpec(
            A.WITHDRAW, _label(A.WITHDRAW), _do_withdraw, (Field("reason", "text", "撤回原因"),), "danger"
        ),
        ActionSpec(
            A.TERMINATE,
            _label(A.TERMINATE),
            _do_terminate,
            (Field("reason", "textarea", "终止理由（书面告知申请人）", True),),
            "danger",
        ),
        ActionSpec(A.ARCHIVE, _label(A.ARCHIVE), _do_archive, (), "secondary"),
    )
}


def _transfer_candidates(user, case: Case):
    """Approvers of the case's department within the user's own scope (the service re-checks)."""
    return (
        staff_list(user=user)
        .filter(
            department_id=case.department_id,
            is_active=True,
            applicant__isnull=True,
            roles__role__in=services.REVIEW_ROLES,
        )
        .exclude(pk=case.assignee_id)
        .distinct()
        .order_by("full_name", "username")
    )


def _allowed_actions(user, case: Case) -> list[str]:
    """`case_actions_for`, plus 认领 while the current step is unassigned."""
    allowed = services.case_actions_for(user, case)
    if Action.STEP_TRANSFER in allowed and case.current_step_id and not case.assignee_id:
        allowed.insert(allowed.index(Action.STEP_TRANSFER) + 1, "step_claim")
    return allowed


def _action_views(
    request: HttpRequest,
    case: Case,
    allowed: list[str],
    error: DomainError | None = None,
    error_action: str = "",
) -> list[ActionView]:
    views = []
    materials = list(case.materials.all())
    for key in allowed:
        spec = ACTIONS.get(key)
        if spec is None:
            continue
        failed = error is not None and error_action == key
        posted = request.POST if failed else QueryDict()
        view = ActionView(key=spec.key, label=spec.label, tone=spec.tone)
        fields = list(spec.fields)
        if key == Action.ACCEPT and case.item_version.reform_mode == ReformMode.COMMITMENT:
            fields.append(Field("commitment", "checkbox", "按告知承诺制受理"))
        for f in fields:
            entry: dict[str, Any] = {
                "name": f.name,
                "kind": f.kind,
                "label": f.label,
                "required": f.required,
                "choices": f.choices,
                "low": f.low,
                "high": f.high,
                "value": posted.get(f.name, ""),
                "invalid": failed and f.name in _field_aliases(error),
                "id": f"{key}-{f.name}",
            }
            if f.kind == "supplement":
                chosen = set(posted.getlist("material"))
                entry["materials"] = [
                    {
                        "id": m.pk,
                        "name": m.name,
                        "status": m.get_status_display(),
                        "checked": str(m.pk) in chosen,
                        "note": posted.get(f"note_{m.pk}", ""),
                    }
                    for m in materials
                ]
            elif f.kind == "deferred":
                chosen = set(posted.getlist("material"))
                entry["materials"] = [
                    {"id": m.pk, "name": m.name, "due": m.deferred_due, "checked": str(m.pk) in chosen}
                    for m in materials
                    if m.status == cc.MaterialStatus.DEFERRED
                ]
            elif f.kind == "user":
                entry["users"] = [(str(u.pk), str(u)) for u in _transfer_candidates(request.user, case)]
            view.fields.append(entry)
        if failed:
            view.error = error
            view.problems = [p for problems in error.fields.values() for p in problems if p != error.message]
        views.append(view)
    return views


def _field_aliases(error: DomainError | None) -> set[str]:
    names = set(error.fields) if error is not None else set()
    if names & {"items", "material_ids"}:
        names.add("material")
    return names


def _clock_name(item: Clock) -> str:
    name = item.get_kind_display()
    return f"{name}（{item.step.name}）" if item.step_id else name


def _clock_rows(case: Case, today: dt.date) -> list[dict[str, Any]]:
    try:
        calendar = services.case_calendar(case)
    except CalendarNotAvailable:
        calendar = None
    rows = []
    for item in case.clocks.all():
        segments = list(item.segments.all())
        projection = None
        if calendar is not None and item.status != cc.ClockStatus.STOPPED:
            try:
                projection = dl.project(
                    calendar,
                    budget=item.budget,
                    start=item.start_date,
                    segments=[_segment(s) for s in segments],
                    today=today,
                )
            except (CalendarNotAvailable, ValueError):
                projection = None
        end = item.due_date or item.stopped_on or today
        rows.append(
            {
                "clock": item,
                "label": _clock_name(item),
                "summary": selectors.clock_label(item, today),
                "projection": projection,
                "extension": sum(s.days for s in segments if s.kind == dl.SegmentKind.EXTENSION),
                "pauses": [s for s in segments if s.kind != dl.SegmentKind.EXTENSION],
                "chart": {
                    "label": _clock_name(item),
                    "start": item.start_date.isoformat(),
                    "end": max(end, item.start_date).isoformat(),
                    "due": item.due_date.isoformat() if item.due_date else "",
                    "status": item.status,
                    "statusLabel": item.get_status_display(),
                    "provisional": item.provisional,
                    "pauses": [
                        {
                            "start": s.start.isoformat(),
                            "end": (s.end or today).isoformat(),
                            "open": s.end is None,
                            "label": f"{s.get_kind_display()}：{s.reason}".rstrip("："),
                        }
                        for s in segments
                        if s.kind != dl.SegmentKind.EXTENSION
                    ],
                },
            }
        )
    return rows


def _segment(row) -> dl.Segment:
    return dl.Segment(dl.SegmentKind(row.kind), row.start, row.end, row.days, row.reason)


def _material_rows(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "material": m,
            "necessity": Necessity(m.necessity).label if m.necessity in Necessity.values else m.necessity,
            "deferrable": m.necessity == Necessity.DEFERRABLE,
            "files": list(m.files.all()),
        }
        for m in case.materials.all()
    ]


def _panel_context(
    request: HttpRequest,
    case: Case,
    *,
    error: DomainError | None = None,
    error_action: str = "",
    conflict: DomainError | None = None,
    notice: str = "",
) -> dict[str, Any]:
    today = clock.today()
    user = request.user
    allowed = _allowed_actions(user, case)
    clocks = _clock_rows(case, today)
    actions = _action_views(request, case, allowed, error, error_action)
    applicant = case.applicant
    person = applicant.kind == ApplicantKind.PERSON
    in_scope = services.staff_can_act_on(user, case)  # asked once: the materials check and the reveal
    can_check = (
        case.status not in FINISHED
        and (user.has_role(*services.INTAKE_ROLES) or user.is_superuser)
        and in_scope
    )
    return {
        "case": case,
        "applicant_name": applicant_display(applicant),
        "applicant_id": mask_id_number(applicant.id_number) if person else applicant.id_number,
        "contact_phone": mask_phone(case.contact_phone),
        "agent_name": mask_name(case.agent_name),
        "agent_id": mask_id_number(case.agent_id_number),
        "agent_phone": mask_phone(case.agent_phone),
        "pii_fields": case_pii.revealable_fields(case),
        "can_reveal_pii": case_pii.can_view_full_pii(user, case, in_scope=in_scope),
        "reveal_url": reverse("workbench:case_pii_reveal", args=[case.number]),
        "certificate": getattr(case, "certificate", None),
        "materials": _material_rows(case),
        "material_statuses": cc.MaterialStatus.choices,
        "can_check": can_check,
        "materials_error": error if error_action == "materials" else None,
        "steps": list(case.steps.all()),
        "clocks": clocks,
        "chart": {"today": today.isoformat(), "rows": [row["chart"] for row in clocks]},
        "events": list(case.events.all()),
        "cards": [
            {"card": card, "rule": card_rule_label(card.rule)} for card in case.cards.all() if not card.voided
        ],
        "actions": actions,
        "action_error": error
        if error and error_action not in {a.key for a in actions} | {"materials"}
        else None,
        "conflict": conflict,
        "notice": notice,
        "today": today,
    }


@never_cache
@staff_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    context = _panel_context(request, case)
    template = "workbench/cases/_panel.html" if _is_htmx(request) else "workbench/cases/detail.html"
    return render(request, template, context)


def _check_version(request: HttpRequest, case: Case) -> None:
    """A form drawn from an older version of the case: somebody acted since (the services re-check)."""
    posted = (request.POST.get("version") or "").strip()
    if posted and posted != str(case.version):
        raise Conflict()


def _after(
    request: HttpRequest,
    number: str,
    *,
    notice: str = "",
    error: DomainError | None = None,
    error_action: str = "",
) -> HttpResponse:
    """The re-drawn case panel for htmx; a redirect to the case page (with a message) otherwise."""
    conflict = error if isinstance(error, Conflict) else None
    if not _is_htmx(request):
        if error is not None:
            messages.error(request, error.message)
        else:
            messages.success(request, notice)
        return redirect("workbench:case_detail", number=number)
    case = _case_or_404(request, number)
    context = _panel_context(
        request,
        case,
        error=None if conflict else error,
        error_action=error_action,
        conflict=conflict,
        notice=notice,
    )
    return render(request, "workbench/cases/_panel.html", context, status=409 if conflict else 200)


@never_cache
@staff_required
@require_POST
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("未知的办件操作。")
    case = _case_or_404(request, number)
    try:
        _check_version(request, case)
        if action not in _allowed_actions(request.user, case):
            raise DomainError("not_allowed", f"您当前不能对该办件执行“{spec.label}”。")
        notice = spec.handler(case=case, actor=request.user, now=clock.now(), post=request.POST)
    except DomainError as error:
        return _after(request, number, error=error, error_action=action)
    return _after(request, number, notice=notice or f"“{spec.label}”已完成。")


@never_cache
@staff_required
@require_POST
def case_materials(request: HttpRequest, number: str) -> HttpResponse:
    """The material checklist: one status and note per material (`status_<id>`, `remark_<id>`)."""
    case = _case_or_404(request, number)
    try:
        _check_version(request, case)
        checks: dict[int, tuple[str, str]] = {}
        for material in case.materials.all():
            status = request.POST.get(f"status_{material.pk}")
            if status is not None:
                note = _text(
                    request.POST, f"remark_{material.pk}", f"“{material.name}”的说明", max_length=255
                )
                checks[material.pk] = (status, note)
        if not checks:
            raise DomainError("required", "没有提交任何材料的核验结果。")
        services.case_materials_check(case=case, actor=request.user, checks=checks, now=clock.now())
    except DomainError as error:
        return _after(request, number, error=error, error_action="materials")
    return _after(request, number, notice="材料核验结果已保存。")


# -- clocks and files ---------------------------------------------------------------------------


@never_cache
@staff_required
def clock_explain(request: HttpRequest, number: str, clock_id: int) -> HttpResponse:
    """计算说明: every day from day zero to the due date, counted or skipped, and why."""
    case = _case_or_404(request, number)
    item = next((c for c in case.clocks.all() if c.pk == clock_id), None)
    if item is None:
        raise Http404("时限不存在。")
    segments = list(item.segments.all())
    today = clock.today()
    context: dict[str, Any] = {"case": case, "clock": item, "label": _clock_name(item), "segments": segments}
    try:
        explanation = dl.explain(
            services.case_calendar(case),
            budget=item.budget,
            start=item.start_date,
            segments=[_segment(s) for s in segments],
            today=today,
        )
    except CalendarNotAvailable as error:
        context["error"] = str(error)
    else:
        days = [(d.date, True, d.ordinal, d.reason) for d in explanation.counted] + [
            (d.date, False, None, d.reason) for d in explanation.skipped
        ]
        context.update(
            explanation=explanation,
            days=[
                {
                    "date": day,
                    "weekday": f"周{WEEKDAYS[day.weekday()]}",
                    "counted": counted,
                    "ordinal": n,
                    "reason": why,
                }
                for day, counted, n, why in sorted(days)
            ],
        )
    return render(request, "workbench/cases/explain.html", context)


@never_cache
@staff_required
def case_file(request: HttpRequest, number: str, file_id: int) -> HttpResponse:
    try:
        stored = material_file_get_for_user(request.user, number, file_id)
    except NotFound as error:
        raise Http404(error.message) from error
    try:
        return filestore.download_response(
            key=stored.storage_key, filename=stored.original_name, mime=stored.mime
        )
    except (FileNotFoundError, ValueError) as error:
        raise Http404("文件已不在存储中，请联系系统管理员。") from error


# -- the warning board (红黄牌) -------------------------------------------------------------------

CARD_LEVELS = [(value, label) for value, label in cc.WarningLevel.choices if value != dl.Level.NONE]


@never_cache
@staff_required
def card_board(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("level") or ""
    show_all = request.GET.get("scope") == "all"
    cards = selectors.card_list(user=request.user, open_only=not show_all)
    if level in dict(CARD_LEVELS):
        cards = cards.filter(level=level)
    page = Paginator(cards, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": [_card_row(request, card) for card in page],
        "levels": CARD_LEVELS,
        "level": level,
        "show_all": show_all,
        "query": query.urlencode(),
    }
    return render(request, "workbench/cases/cards.html", context)


def _card_row(
    request: HttpRequest, card: Card, *, error: DomainError | None = None, notice: str = ""
) -> dict:
    return {
        "card": card,
        "rule": card_rule_label(card.rule),
        "can_void": request.user.has_role(Role.SUPERVISOR) and not card.voided,
        "error": error,
        "notice": notice,
    }


def _card_or_404(request: HttpRequest, card_id: int) -> Card:
    card = selectors.card_list(user=request.user).filter(pk=card_id).first()
    if card is None:
        raise Http404("红黄牌不存在或不在您的数据范围内。")
    return card


def _card_result(request: HttpRequest, card: Card, *, error: DomainError | None, notice: str) -> HttpResponse:
    if _is_htmx(request):
        card = _card_or_404(request, card.pk)
        row = _card_row(request, card, error=error, notice=notice)
        return render(request, "workbench/cases/_card_row.html", {"row": row})
    if error is not None:
        messages.error(request, error.message)
    else:
        messages.success(request, notice)
    return redirect("workbench:card_board")


@never_cache
@staff_required
@require_POST
def card_respond(request: HttpRequest, card_id: int) -> HttpResponse:
    card = _card_or_404(request, card_id)
    try:
        services.card_respond(
            card=card,
            actor=request.user,
            response=_text(request.POST, "response", "整改说明", max_length=2000),
        )
    except DomainError as error:
        return _card_result(request, card, error=error, notice="")
    return _card_result(request, card, error=None, notice="整改说明已提交。")


@never_cache
@staff_required
@require_POST
def card_void(request: HttpRequest, card_id: int) -> HttpResponse:
    card = _card_or_404(request, card_id)
    try:
        services.card_void(
            card=card,
            actor=request.user,
            reason=_text(request.POST, "reason", "撤销理由", max_length=255),
            today=clock.today(),
        )
    except DomainError as error:
        return _card_result(request, card, error=error, notice="")
    return _card_result(request, card, error=None, notice="已撤销该红黄牌。")
