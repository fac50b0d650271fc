"""预算绩效 in the workbench: the budget projects within the staff member's scope, one page per project with
its 绩效目标表 (indicator tree), spending against the plan, a monitoring snapshot (双监控) with its warnings,
the self-evaluation (绩效自评: save → submit by the department head → review by the supervisor), the
Excel workbook and a printable page.

Reads go through `zhengwu.budget.selectors` (department scope); a project out of scope is a 404. Editing
(new project, indicators, spending, monitoring, self-evaluation draft) is for department heads and
supervisors; submitting and reviewing are checked by the services. Plain POST forms, redirect after post,
a `DomainError` is shown inline on the page it came from.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengwu.budget import excel, selectors, services
from zhengwu.budget.models import EvaluationStatus, Project, SelfEvaluation
from zhengwu.budget.permissions import can_edit, require_edit
from zhengwu.common import clock
from zhengwu.common.errors import DomainError, NotFound, PermissionDenied
from zhengwu.domain import budget as db
from zhengwu.organization.choices import Role
from zhengwu.organization.selectors import department_list
from zhengwu.workbench.access import staff_required

PAGE_SIZE = 20
TIERS = [tier.value for tier in db.Tier]


_require_edit = require_edit


def _project_or_404(request: HttpRequest, pk: int) -> Project:
    try:
        return selectors.project_get_for_user(user=request.user, pk=pk)
    except NotFound as error:
        raise Http404(error.message) from error


def _forbidden(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "workbench/forbidden.html", {"error": error}, status=403)


def _date(value: str, field: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise DomainError(
            "invalid_date", f"{label}格式应为 YYYY-MM-DD。", {field: [f"{label}无效。"]}
        ) from None


def _amount(value: str, field: str, label: str, *, required: bool = True) -> Decimal | None:
    amount = services._decimal((value or "").strip(), field, label)
    if amount is None and required:
        raise DomainError("invalid_number", f"请填写{label}。", {field: [f"请填写{label}。"]})
    return amount


# -- list and create --------------------------------------------------------------------------------


def _list_context(request: HttpRequest, form: dict[str, str] | None = None) -> dict[str, Any]:
    year = request.GET.get("year", "")
    year_value = int(year) if year.isdecimal() else None
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))
    qs = (
        selectors.project_list(user=request.user, year=year_value)
        .annotate(spent_total=Coalesce(Sum("spending__amount"), zero))
        .order_by("-year", "department_id", "code")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for project in page:
        budget = project.effective_budget
        rate = db.percent(db.execution_rate(project.spent_total, budget))
        evaluation = getattr(project, "self_evaluation", None) if _has_evaluation(project) else None
        rows.append({"project": project, "rate": rate, "evaluation": evaluation})
    return {
        "page": page,
        "rows": rows,
        "year": year if year_value else "",
        "can_edit": can_edit(request.user),
        "departments": list(department_list(user=request.user)) if can_edit(request.user) else [],
        "form": form or {"year": str(clock.today().year)},
    }


def _has_evaluation(project: Project) -> bool:
    try:
        project.self_evaluation  # noqa: B018 - loaded by select_related
    except SelfEvaluation.DoesNotExist:
        return False
    return True


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def project_list(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "workbench/budget/list.html", _list_context(request))
    form = {key: request.POST.get(key, "").strip() for key in request.POST if key != "csrfmiddlewaretoken"}
    try:
        _require_edit(request.user)
        department = department_list(user=request.user).filter(pk=form.get("department") or 0).first()
        if department is None:
            raise DomainError(
                "invalid_project", "请选择数据范围内的预算单位。", {"department": ["请选择预算单位。"]}
            )
        year = form.get("year", "")
        if not year.isdecimal() or not 2000 <= int(year) <= 2100:
            raise DomainError("invalid_project", "年度应为四位数字。", {"year": ["年度无效。"]})
        project = services.project_create(
            department=department,
            code=form.get("code", ""),
            name=form.get("name", ""),
            year=int(year),
            fiscal_funds=_amount(form.get("fiscal_funds", ""), "fiscal_funds", "财政资金") or Decimal(0),
            other_funds=_amount(form.get("other_funds", ""), "other_funds", "其他资金", required=False)
            or Decimal(0),
            purpose=form.get("purpose", ""),
            goal=form.get("goal", ""),
            actor=request.user,
        )
    except PermissionDenied as error:
        return _forbidden(request, error)
    except DomainError as error:
        context = _list_context(request, form)
        context["error"] = error
        return render(request, "workbench/budget/list.html", context, status=error.status_code)
    messages.success(request, f"已新建预算项目“{project.name}”，默认资金支出计划为季度 25/50/75/100%。")
    return redirect("workbench:budget_project", project.pk)


# -- the project page -------------------------------------------------------------------------------


def _tree_rows(indicators) -> list[dict[str, Any]]:
    rows, last1, last2 = [], None, None
    for ind in indicators:
        level2 = ind.parent
        level1 = level2.parent if level2 else None
        rows.append(
            {
                "indicator": ind,
                "level1": level1.name if level1 and level1 != last1 else "",
                "level2": level2.name if level2 and (level1, level2) != (last1, last2) else "",
                "metric": services.METRIC_BINDINGS.get(ind.metric_code, ""),
            }
        )
        last1, last2 = level1, level2
    return rows


def _plan_rows(project: Project, entries, today: dt.date) -> list[dict[str, Any]]:
    budget = project.effective_budget
    rows = []
    for checkpoint in project.checkpoints.all():
        reached = checkpoint.date <= today
        spent = sum((e.amount for e in entries if e.date <= checkpoint.date), Decimal(0))
        rows.append(
            {
                "date": checkpoint.date,
                "planned_percent": checkpoint.planned_percent,
                "planned_amount": db.q(budget * checkpoint.planned_percent / 100),
                "spent": spent if reached else None,
                "actual_percent": db.percent(db.execution_rate(spent, budget)) if reached else None,
            }
        )
    return rows


def _evaluation_rows(indicators, evaluation: SelfEvaluation | None) -> list[dict[str, Any]]:
    inputs = evaluation.inputs if evaluation else {}
    results = {row["key"]: row for row in (evaluation.result.get("indicators", []) if evaluation else [])}
    return [
        {
            "indicator": ind,
            "given": inputs.get(str(ind.pk), {}),
            "result": results.get(str(ind.pk)),
            "qualitative": ind.operator == "qualitative",
        }
        for ind in indicators
    ]


def _project_context(request: HttpRequest, project: Project, **extra: Any) -> dict[str, Any]:
    user = request.user
    today = clock.today()
    indicators = services.leaves(project)
    entries = list(project.spending.order_by("date", "pk"))
    monitoring = project.monitorings.order_by("-date").first()
    actuals = list(monitoring.actuals.select_related("indicator")) if monitoring else []
    evaluation = SelfEvaluation.objects.filter(project=project).first()
    status = evaluation.status if evaluation else EvaluationStatus.DRAFT
    editable = can_edit(user)
    context = {
        "project": project,
        "tree": _tree_rows(indicators),
        "indicators": indicators,
        "manual_indicators": [
            ind for ind in indicators if not ind.metric_code and ind.operator != "qualitative"
        ],
        "metrics": services.METRIC_BINDINGS.items(),
        "entries": entries,
        "spent": sum((e.amount for e in entries), Decimal(0)),
        "plan": _plan_rows(project, entries, today),
        "monitoring": monitoring,
        "actuals": actuals,
        "evaluation": evaluation,
        "evaluation_rows": _evaluation_rows(indicators, evaluation),
        "tiers": TIERS,
        "can_edit": editable,
        "can_save": editable and status == EvaluationStatus.DRAFT and bool(indicators),
        "can_submit": user.has_role(Role.DEPT_HEAD)
        and evaluation is not None
        and status == EvaluationStatus.DRAFT
        and bool(evaluation.result),
        "can_review": user.has_role(Role.SUPERVISOR)
        and evaluation is not None
        and status == EvaluationStatus.SUBMITTED
        and evaluation.submitted_by_id != user.pk,
        "today": today,
        "form": {},
    }
    context.update(extra)
    explanation = context["form"].get("explanation")
    context["explanation"] = (
        explanation if explanation is not None else (evaluation.explanation if evaluation else "")
    )
    return context


@never_cache
@require_GET
@staff_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    return render(request, "workbench/budget/project.html", _project_context(request, project))


@never_cache
@require_GET
@staff_required
def project_print(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    return render(request, "workbench/budget/print.html", _project_context(request, project))


@require_GET
@staff_required
def project_export(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    response = HttpResponse(
        excel.workbook_bytes(project),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"绩效目标表-{project.code}-{project.year}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _post(request: HttpRequest, pk: int, section: str, act) -> HttpResponse:
    """Run `act(project, form)` (returns the success message) and redirect; errors render the page."""
    project = _project_or_404(request, pk)
    form = {key: request.POST.get(key, "").strip() for key in request.POST if key != "csrfmiddlewaretoken"}
    try:
        message = act(project, form)
    except PermissionDenied as error:
        return _forbidden(request, error)
    except DomainError as error:
        context = _project_context(request, project, form=form, error=error, error_section=section)
        return render(request, "workbench/budget/project.html", context, status=error.status_code)
    messages.success(request, message)
    return redirect(reverse("workbench:budget_project", args=[project.pk]) + f"#{section}")


@require_POST
@staff_required
def indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    def act(project: Project, form: dict[str, str]) -> str:
        _require_edit(request.user)
        indicator = services.indicator_add(
            project=project,
            level1=form.get("level1", ""),
            level2=form.get("level2", ""),
            name=form.get("name", ""),
            target=form.get("target", ""),
            description=form.get("description", ""),
            basis=form.get("basis", ""),
            weight=_amount(form.get("weight", ""), "weight", "分值", required=False),
            metric_code=form.get("metric_code", ""),
            actor=request.user,
        )
        return f"已添加三级指标“{indicator.name}”。"

    return _post(request, pk, "targets", act)


@require_POST
@staff_required
def spending_add(request: HttpRequest, pk: int) -> HttpResponse:
    def act(project: Project, form: dict[str, str]) -> str:
        _require_edit(request.user)
        entry = services.spending_record(
            project=project,
            date=_date(form.get("date", ""), "date", "支出日期"),
            amount=_amount(form.get("amount", ""), "amount", "支出金额"),
            voucher=form.get("voucher", ""),
            note=form.get("note", ""),
            actor=request.user,
        )
        return f"已记录支出 {entry.amount} 元。"

    return _post(request, pk, "spending", act)


@require_POST
@staff_required
def monitoring_run(request: HttpRequest, pk: int) -> HttpResponse:
    def act(project: Project, form: dict[str, str]) -> str:
        _require_edit(request.user)
        manual = {}
        for ind in services.leaves(project):
            if ind.metric_code or ind.operator == "qualitative":
                continue
            value = _amount(form.get(f"actual_{ind.pk}", ""), f"actual_{ind.pk}", "完成值", required=False)
            if value is not None:
                manual[ind.pk] = (value, form.get(f"evidence_{ind.pk}", ""))
        snapshot = services.monitoring_run(
            project=project,
            date=_date(form.get("date", ""), "date", "监控日期"),
            manual=manual,
            cause=form.get("cause", ""),
            measures=form.get("measures", ""),
            actor=request.user,
        )
        return f"已生成 {snapshot.date:%Y-%m-%d} 的绩效运行监控。"

    return _post(request, pk, "monitoring", act)


def _evaluation_inputs(project: Project, form: dict[str, str]) -> dict[str, dict[str, Any]]:
    inputs: dict[str, dict[str, Any]] = {}
    for ind in services.leaves(project):
        key = str(ind.pk)
        given: dict[str, Any] = {}
        if form.get(f"na_{key}"):
            given["not_applicable"] = True
        if ind.operator == "qualitative":
            if form.get(f"tier_{key}"):
                given["tier"] = form[f"tier_{key}"]
            if form.get(f"share_{key}"):
                given["share"] = form[f"share_{key}"]
        elif not ind.metric_code:
            if form.get(f"actual_{key}"):
                given["actual"] = form[f"actual_{key}"]
            if form.get(f"evidence_{key}"):
                given["evidence"] = form[f"evidence_{key}"]
        if given:
            inputs[key] = given
    return inputs


@require_POST
@staff_required
def evaluation_action(request: HttpRequest, pk: int) -> HttpResponse:
    def act(project: Project, form: dict[str, str]) -> str:
        action = form.get("action", "")
        evaluation = SelfEvaluation.objects.filter(project=project).first()
        if action == "save":
            _require_edit(request.user)
            evaluation = services.self_evaluation_save(
                project=project,
                inputs=_evaluation_inputs(project, form),
                explanation=form.get("explanation", ""),
                actor=request.user,
            )
            return f"已保存绩效自评：总分 {evaluation.total}，等级 {evaluation.grade}。"
        if evaluation is None:
            raise DomainError("evaluation_state", "请先保存绩效自评。")
        if action == "submit":
            services.self_evaluation_submit(evaluation=evaluation, actor=request.user, now=clock.now())
            return "已提交绩效自评，待监管员审核。"
        if action in ("approve", "return"):
            services.self_evaluation_review(
                evaluation=evaluation,
                actor=request.user,
                now=clock.now(),
                approve=action == "approve",
                note=form.get("note", ""),
            )
            return "绩效自评已审核通过。" if action == "approve" else "已退回绩效自评。"
        raise DomainError("invalid_action", "操作不存在。")

    return _post(request, pk, "evaluation", act)


urlpatterns = [
    path("", project_list, name="budget_list"),
    path("<int:pk>/", project_detail, name="budget_project"),
    path("<int:pk>/print/", project_print, name="budget_print"),
    path("<int:pk>/export.xlsx", project_export, name="budget_export"),
    path("<int:pk>/indicators/", indicator_add, name="budget_indicator_add"),
    path("<int:pk>/spending/", spending_add, name="budget_spending"),
    path("<int:pk>/monitoring/", monitoring_run, name="budget_monitoring"),
    path("<int:pk>/evaluation/", evaluation_action, name="budget_evaluation"),
]
