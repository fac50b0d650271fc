"""The staff workbench: home, catalogue list and lifecycle actions, Excel import and export.

Views translate requests into selector and service calls; errors of the services are shown
inline. Element editing of drafts happens in the (Chinese, scoped) admin.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from zhengwu.catalog import services as catalog_services
from zhengwu.catalog.choices import LifecycleStatus, VersionStatus
from zhengwu.catalog.filtersets import StaffItemFilter
from zhengwu.catalog.permissions import can_maintain_catalog, item_get_for_maintainer
from zhengwu.catalog.selectors import item_get_for_user, item_list_for_user
from zhengwu.common import clock
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.common.errors import PermissionDenied as DomainPermissionDenied
from zhengwu.organization.selectors import department_list
from zhengwu.workbench.access import staff_required


def _calendar_warning() -> str | None:
    from zhengwu.workdays.selectors import calendar_expiry_warning

    return calendar_expiry_warning(today=clock.today())


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    items = item_list_for_user(user=user)
    context = {
        "roles": [r.get_role_display() for r in user.roles.all()],
        "scopes": [str(s) for s in user.scopes.select_related("region", "department")],
        "department_count": department_list(user=user).count(),
        "item_count": items.count(),
        "published_count": items.filter(current_version__isnull=False).count(),
        "draft_count": items.filter(versions__status=VersionStatus.DRAFT).distinct().count(),
        "suspended_count": items.filter(status=LifecycleStatus.SUSPENDED).count(),
        "calendar_warning": _calendar_warning()
        if user.is_superuser or user.has_role("system_admin")
        else None,
        "can_maintain": can_maintain_catalog(user),
    }
    return render(request, "workbench/home.html", context)


@staff_required
def item_list(request: HttpRequest) -> HttpResponse:
    filterset = StaffItemFilter(request.GET or None, request=request)
    page = Paginator(filterset.qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "errors": filterset.errors_in_chinese(),
        "can_maintain": can_maintain_catalog(request.user),
    }
    template = (
        "workbench/_item_rows.html" if request.headers.get("HX-Request") else "workbench/item_list.html"
    )
    return render(request, template, context)


def _item_or_404(request, code):
    try:
        return item_get_for_user(user=request.user, implementation_code=code)
    except NotFound as error:
        raise Http404(error.message) from error


@staff_required
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = _item_or_404(request, code)
    versions = item.versions.order_by("-number")
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    problems = catalog_services.version_check(draft) if draft else []
    context = {
        "item": item,
        "versions": versions,
        "draft": draft,
        "problems": problems,
        "operations": item.operations.select_related("actor", "version")[:20],
        "can_maintain": can_maintain_catalog(request.user),
    }
    return render(request, "workbench/item_detail.html", context)


ACTIONS = {"publish", "start_change", "suspend", "resume"}


@staff_required
@require_POST
def item_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("未知操作")
    try:
        item = item_get_for_maintainer(request.user, code)
        document = request.POST.get("approving_document", "").strip()
        if action == "publish":
            draft = item.versions.filter(status=VersionStatus.DRAFT).first()
            if draft is None:
                raise DomainError("no_draft", "没有待发布的草稿。")
            catalog_services.item_version_publish(
                version=draft, actor=request.user, approving_document=document
            )
            messages.success(request, f"第{draft.number}版已发布。")
        elif action == "start_change":
            draft = catalog_services.item_version_start_change(
                item=item, actor=request.user, change_summary=request.POST.get("change_summary", "")
            )
            messages.success(request, f"已生成第{draft.number}版草稿，请在“编辑草稿”中修改后发布。")
        elif action == "suspend":
            resume = request.POST.get("resume_expected_on") or None
            try:
                resume_on = dt.date.fromisoformat(resume) if resume else None
            except ValueError as error:
                raise DomainError(
                    "invalid",
                    "预计恢复日期格式应为 YYYY-MM-DD。",
                    {"resume_expected_on": ["日期格式应为 YYYY-MM-DD。"]},
                ) from error
            catalog_services.item_suspend(
                item=item,
                actor=request.user,
                reason=request.POST.get("reason", ""),
                approving_document=document,
                resume_expected_on=resume_on,
            )
            messages.success(request, "事项已暂停办理。")
        elif action == "resume":
            catalog_services.item_resume(item=item, actor=request.user, approving_document=document)
            messages.success(request, "事项已恢复办理。")
    except NotFound as error:
        raise Http404(error.message) from error
    except DomainPermissionDenied as error:
        messages.error(request, error.message)
        return redirect("workbench:item_detail", code=code)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("workbench:item_detail", code=code)


@staff_required
@require_http_methods(["GET", "POST"])
def catalog_transfer(request: HttpRequest) -> HttpResponse:
    """Excel import (maintainers) and export (anyone, of the items in their scope)."""
    from zhengwu.catalog.excel import CatalogImportError, import_catalog

    context: dict = {"can_maintain": can_maintain_catalog(request.user)}
    if request.method == "POST":
        if not context["can_maintain"]:
            return HttpResponse("只有系统管理员或部门负责人可以导入事项目录。", status=403)
        upload = request.FILES.get("file")
        if upload is None or not upload.name.lower().endswith(".xlsx"):
            context["errors"] = ["请选择 .xlsx 格式的事项目录文件。"]
        else:
            try:
                report = import_catalog(upload, actor=request.user, today=clock.today())
                context["report"] = report
            except CatalogImportError as error:
                context["cell_errors"] = error.errors
            except DomainError as error:
                context["errors"] = [error.message]
    return render(request, "workbench/catalog_transfer.html", context)


@staff_required
def catalog_export(request: HttpRequest) -> HttpResponse:
    from zhengwu.catalog.excel import export_catalog
    from zhengwu.catalog.selectors import export_queryset

    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"catalog-{clock.today():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    export_catalog(export_queryset(user=request.user), response)
    return response
