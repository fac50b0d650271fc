"""12345 in the workbench: the agent console (intake, knowledge search, dispatch with the catalogue's
suggestion), the unit's queue (only tickets dispatched to it), the supervisor board (overdue, returned,
extension requests, replies to close, call-backs due) and one page per ticket with its actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengwu.common import clock, filestore
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.domain import sla
from zhengwu.domain.hotline_flow import ACTION_LABELS, Action
from zhengwu.hotline import choices as c
from zhengwu.hotline import pii as hotline_pii
from zhengwu.hotline import selectors, services, uploads
from zhengwu.hotline.access import acts_for_centre, acts_for_unit, centre_paths, is_agent
from zhengwu.organization.models import Department, Region
from zhengwu.organization.selectors import sees_everything
from zhengwu.workbench import pii
from zhengwu.workbench.access import staff_required

PAGE_SIZE = 20
SPLIT_FORM_ROWS = 4  # rows of the 拆单 form; empty rows are ignored


def _page(request: HttpRequest, qs) -> object:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _rows(page, now) -> list[dict]:
    rows = []
    for ticket in page:
        level = ""
        if (
            ticket.finish_due_at
            and ticket.dispatched_at
            and ticket.status in ("dispatched", "reassigned", "signed", "in_progress", "extended", "redo")
        ):
            level = sla.level(now, ticket.dispatched_at, ticket.finish_due_at).value
        rows.append(
            {
                "ticket": ticket,
                "level": level,
                "level_label": sla.LEVEL_LABELS.get(sla.Level(level), "") if level else "",
            }
        )
    return rows


def _refused(refused: list[str], *, what: str) -> DomainError:
    message = f"附件未通过检查，{what}：" + "；".join(refused)
    return DomainError("upload_refused", message)


def _departments(request: HttpRequest):
    return Department.objects.filter(is_active=True).select_related("region").order_by("region__path", "name")


def _centre_regions(user):
    if sees_everything(user):
        return Region.objects.all()
    q = Q(pk__in=[])
    for region_path in centre_paths(user):
        q |= Q(path__startswith=region_path)
    return Region.objects.filter(q)


def _create_phone_ticket(request: HttpRequest, region: Region, pending: list[uploads.PendingFile]):
    post, now = request.POST, clock.now()
    ticket = services.ticket_create(
        channel="phone",
        category=post.get("category", ""),
        urgency=post.get("urgency", "normal"),
        title=post.get("title", ""),
        content=post.get("content", ""),
        topic=post.get("topic", ""),
        location=post.get("location", ""),
        region=region,
        caller_name=post.get("caller_name", ""),
        caller_phone=post.get("caller_phone", ""),
        confidential=bool(post.get("confidential")),
        agent=request.user,
        now=now,
    )
    for file in pending:
        services.ticket_file_add(ticket=ticket, name=file.name, data=file.data, actor=request.user, now=now)
    return ticket


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def console(request: HttpRequest) -> HttpResponse:
    """The agent console: register a call, search the knowledge base, see the centre's tickets."""
    if not is_agent(request.user):
        return render(request, "workbench/forbidden.html", status=403)
    error = None
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            region = Region.objects.get(pk=int(request.POST.get("region") or 0))
        except (Region.DoesNotExist, ValueError):
            error = DomainError("invalid", "请选择诉求区划。", {"region": ["请选择诉求区划。"]})
        else:
            pending, refused = uploads.collect(request.FILES.getlist("files"))
            if refused:
                error = _refused(refused, what="工单未受理，请去掉或更换这些文件后重新提交")
        if error is None:
            try:
                with transaction.atomic():  # the ticket and its files together, or nothing
                    ticket = _create_phone_ticket(request, region, pending)
            except DomainError as refused_error:
                error = refused_error
            else:
                messages.success(request, f"已受理，工单编号 {ticket.number}。")
                return redirect("workbench:hotline_detail", ticket.number)
    knowledge_q = (request.GET.get("kq") or "").strip()[:40]
    page = _page(
        request, selectors.ticket_list(user=request.user).exclude(department__isnull=False, status="merged")
    )
    context = {
        "form": form,
        "error": error,
        "categories": c.Category.choices,
        "urgencies": c.Urgency.choices,
        "regions": _centre_regions(request.user),
        "knowledge_q": knowledge_q,
        "articles": selectors.knowledge_search(text=knowledge_q),
        "page": page,
        "rows": _rows(page, clock.now()),
    }
    return render(
        request, "workbench/hotline/console.html", context, status=error.status_code if error else 200
    )


@never_cache
@require_GET
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    """The unit's queue: only tickets dispatched to a department in the user's scope."""
    status = request.GET.get("status", "")
    status = status if status in c.TicketStatus.values else ""
    search = (request.GET.get("q") or "").strip()[:40]
    page = _page(
        request, selectors.ticket_list(user=request.user, view="queue", status=status, search=search)
    )
    context = {
        "page": page,
        "rows": _rows(page, clock.now()),
        "statuses": c.TicketStatus.choices,
        "status": status,
        "search": search,
    }
    return render(request, "workbench/hotline/queue.html", context)


@never_cache
@require_GET
@staff_required
def board(request: HttpRequest) -> HttpResponse:
    """The centre's supervision board."""
    if not is_agent(request.user):
        return render(request, "workbench/forbidden.html", status=403)
    which = request.GET.get("show", "overdue")
    which = which if which in selectors.BOARD_FILTERS else "overdue"
    page = _page(request, selectors.ticket_list(user=request.user, board=which))
    labels = {
        "overdue": "超期",
        "returned": "待审核退单",
        "extension": "待审批延期",
        "replied": "待办结",
        "call_back": "待回访",
    }
    context = {"page": page, "rows": _rows(page, clock.now()), "show": which, "filters": list(labels.items())}
    return render(request, "workbench/hotline/board.html", context)


def _detail_context(request: HttpRequest, ticket) -> dict:
    actions = services.ticket_actions_for(request.user, ticket)
    suggested = services.dispatch_suggest(region=ticket.region, topic=ticket.topic, text=ticket.content)
    is_centre = acts_for_centre(request.user, ticket)
    return {
        "ticket": ticket,
        "caller": selectors.caller_for(request.user, ticket),
        "pii_fields": hotline_pii.revealable_fields(ticket),
        "can_reveal_pii": hotline_pii.can_view_full_caller(request.user, ticket),
        "reveal_url": reverse("workbench:hotline_pii_reveal", args=[ticket.number]),
        "events": ticket.events.select_related("department").all(),
        "actions": [(a.value, ACTION_LABELS[a]) for a in actions],
        "suggested": suggested,
        "departments": _departments(request)
        if {Action.DISPATCH, Action.ACCEPT_RETURN, Action.SPLIT} & set(actions)
        else [],
        "is_centre": is_centre,
        # 拆单: the centre sees the parent's children; a unit sees only its own child (never the parent).
        "split_children": ticket.split_children.select_related("department").order_by("pk")
        if is_centre
        else [],
        "split_rows": range(1, SPLIT_FORM_ROWS + 1),
        "return_reasons": c.ReturnReason.choices,
        "satisfactions": c.Satisfaction.choices,
        "sla": services.ticket_sla(ticket),
        "files": ticket.files.select_related("uploaded_by").all(),
        "can_upload": ticket.status not in services.FILES_CLOSED
        and (is_centre or acts_for_unit(request.user, ticket)),
        "max_files": services.MAX_FILES_PER_TICKET,
        "accept": uploads.ACCEPT,
    }


@never_cache
@require_GET
@staff_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    try:
        ticket = selectors.ticket_get_for_user(request.user, number)
    except NotFound as error:
        raise Http404(error.message) from error
    return render(request, "workbench/hotline/detail.html", _detail_context(request, ticket))


def _department(request: HttpRequest):
    try:
        return Department.objects.select_related("region").get(pk=int(request.POST.get("department") or 0))
    except (Department.DoesNotExist, ValueError):
        return None


def _run(request: HttpRequest, ticket, action: str):
    post, actor, now = request.POST, request.user, clock.now()
    common = {"ticket": ticket, "actor": actor, "now": now}
    if action == "dispatch":
        return services.ticket_dispatch(
            **common,
            department=_department(request),
            is_complex=bool(post.get("is_complex")),
            complex_reason=post.get("complex_reason", ""),
        )
    if action == "answer_directly":
        return services.ticket_answer_directly(**common, reply=post.get("reply", ""))
    if action == "sign":
        return services.ticket_sign(**common)
    if action == "return":
        return services.ticket_return(**common, reason=post.get("reason", ""), note=post.get("note", ""))
    if action == "accept_return":
        return services.ticket_accept_return(
            **common, department=_department(request), comment=post.get("comment", "")
        )
    if action == "reject_return":
        return services.ticket_reject_return(**common, comment=post.get("comment", ""))
    if action == "start":
        return services.ticket_start(**common)
    if action == "request_extension":
        try:
            amount = int(post.get("amount") or 0)
        except ValueError:
            amount = 0
        return services.ticket_request_extension(**common, amount=amount, reason=post.get("reason", ""))
    if action == "approve_extension":
        return services.ticket_approve_extension(**common, comment=post.get("comment", ""))
    if action == "reject_extension":
        return services.ticket_reject_extension(**common, comment=post.get("comment", ""))
    if action == "reply":
        return services.ticket_reply(**common, reply=post.get("reply", ""))
    if action == "close":
        return services.ticket_close(**common, comment=post.get("comment", ""))
    if action == "call_back":
        return services.ticket_call_back(
            **common,
            satisfaction=post.get("satisfaction", ""),
            resolved=post.get("resolved") == "yes",
            note=post.get("note", ""),
        )
    if action == "evaluate":
        return services.ticket_evaluate(**common, evaluation=post.get("evaluation", ""))
    if action == "reopen":
        return services.ticket_reopen(**common, comment=post.get("comment", ""))
    if action == "merge":
        try:
            master = selectors.ticket_get_for_user(actor, (post.get("master") or "").strip())
        except NotFound:
            raise DomainError(
                "invalid", "主单编号不存在或不在您的数据范围内。", {"master": ["请填写主单编号。"]}
            ) from None
        return services.ticket_merge(**common, master=master)
    if action == "split":
        return services.ticket_split(**common, parts=_split_parts(request), comment=post.get("comment", ""))
    raise Http404("操作不存在。")


def _split_parts(request: HttpRequest) -> list[tuple[Department | None, str]]:
    """The (department, content) rows of the 拆单 form; rows left wholly empty are skipped, an unknown
    department is None (the service names the row)."""
    ids = request.POST.getlist("part_department")
    contents = request.POST.getlist("part_content")
    rows = [
        (department_id.strip(), content)
        for department_id, content in zip(ids, contents, strict=False)
        if department_id.strip() or content.strip()
    ]
    wanted = {int(pk) for pk, _content in rows if pk.isdecimal()}
    found = Department.objects.select_related("region").in_bulk(wanted)
    return [(found.get(int(pk)) if pk.isdecimal() else None, content) for pk, content in rows]


@require_POST
@staff_required
def action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    if action not in {a.value for a in Action} or action == "chase":
        raise Http404("操作不存在。")
    try:
        ticket = selectors.ticket_get_for_user(request.user, number)
    except NotFound as error:
        raise Http404(error.message) from error
    try:
        ticket = _run(request, ticket, action)
    except DomainError as error:
        context = _detail_context(request, selectors.ticket_get_for_user(request.user, number))
        context["error"] = error
        return render(request, "workbench/hotline/detail.html", context, status=error.status_code)
    messages.success(request, f"已{ACTION_LABELS[Action(action)]}。")
    try:
        selectors.ticket_get_for_user(request.user, number)
    except NotFound:  # re-dispatched away from the acting unit
        return redirect("workbench:hotline_queue")
    return redirect("workbench:hotline_detail", number)


@require_POST
@staff_required
def file_upload(request: HttpRequest, number: str) -> HttpResponse:
    """Add files to a ticket (the centre, or the unit it is dispatched to: photos of the fix, say)."""
    try:
        ticket = selectors.ticket_get_for_user(request.user, number)
    except NotFound as error:
        raise Http404(error.message) from error
    pending, refused = uploads.collect(request.FILES.getlist("files"), already=ticket.files.count())
    error = _refused(refused, what="均未上传") if refused else None
    if not pending and error is None:
        error = DomainError("required", "请选择要上传的文件。")
    if error is None:
        now = clock.now()
        try:
            with transaction.atomic():  # all the files or none
                for file in pending:
                    services.ticket_file_add(
                        ticket=ticket, name=file.name, data=file.data, actor=request.user, now=now
                    )
        except DomainError as refused_error:
            error = refused_error
    if error is not None:
        context = _detail_context(request, ticket)
        context["error"] = error
        return render(request, "workbench/hotline/detail.html", context, status=error.status_code)
    messages.success(request, f"已上传 {len(pending)} 个附件。")
    return redirect("workbench:hotline_detail", number)


@never_cache
@require_GET
@staff_required
def file_download(request: HttpRequest, number: str, file_id: int) -> HttpResponse:
    """Download a ticket's file: only for those who see the ticket (404 for everybody else)."""
    try:
        stored = selectors.ticket_file_get_for_user(request.user, number, file_id)
    except NotFound as error:
        raise Http404(error.message) from error
    try:
        return filestore.download_response(
            key=stored.storage_key, filename=stored.original_name, mime=stored.mime
        )
    except (FileNotFoundError, ValueError) as error:
        raise Http404("文件已不在存储中，请联系系统管理员。") from error


# Included by zhengwu/workbench/urls.py under "hotline/" (names in the workbench namespace).
urlpatterns = [
    path("", console, name="hotline_console"),
    path("queue/", queue, name="hotline_queue"),
    path("board/", board, name="hotline_board"),
    path("<str:number>/", detail, name="hotline_detail"),
    path("<str:number>/pii/reveal/", pii.ticket_pii_reveal, name="hotline_pii_reveal"),
    path("<str:number>/actions/<str:action>/", action, name="hotline_action"),
    path("<str:number>/files/", file_upload, name="hotline_file_upload"),
    path("<str:number>/files/<int:file_id>/", file_download, name="hotline_file"),
]
