"""Writes of budget performance (DOMAIN §9): projects and their plan, indicators, spending, monitoring
snapshots and the self-evaluation flow draft → submitted (部门负责人) → final (监管员, the finance role).

A level-3 indicator bound to a platform metric (`metric_code`, one of `METRIC_BINDINGS`) takes its actual
from `unit_metrics` for the project's department over 1 January of the project's year up to the date
(the whole year for the self-evaluation); every other indicator's actual is typed in with evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum

from zhengwu.budget.models import (
    Alert,
    EvaluationStatus,
    Indicator,
    IndicatorActual,
    Monitoring,
    Project,
    SelfEvaluation,
    SpendingCheckpoint,
    SpendingEntry,
)
from zhengwu.budget.permissions import require_edit
from zhengwu.common.errors import DomainError, PermissionDenied
from zhengwu.domain import budget as db
from zhengwu.domain.metrics import Period
from zhengwu.metrics.selectors import department_unit, unit_metrics
from zhengwu.organization.choices import Role

# Platform metrics an indicator may be bound to (all percentages, as the seed's targets).
METRIC_BINDINGS = {
    "acceptance_rate": "受理率（部门）",
    "finish_rate": "办结率（部门）",
    "reviews_good_rate": "好评率（好差评，部门）",
}


def _error(bad: db.BudgetError, field: str = "") -> DomainError:
    return DomainError("invalid_budget", str(bad), {field: [str(bad)]} if field else None)


def _decimal(value: Any, field: str, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise DomainError(
            "invalid_number", f"{label}“{value}”不是数字。", {field: [f"{label}须为数字。"]}
        ) from None


# -- projects, plan, indicators --------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    department,
    code: str,
    name: str,
    year: int,
    fiscal_funds: Decimal,
    other_funds: Decimal = Decimal(0),
    purpose: str = "",
    goal: str = "",
    checkpoints: Sequence[tuple[dt.date, Decimal]] | None = None,
    actor=None,
) -> Project:
    """A project with its spending plan (default: seed 002's 25/50/75/100 %)."""
    require_edit(actor)
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise DomainError("invalid_project", "项目编码和项目名称不能为空。")
    if fiscal_funds < 0 or other_funds < 0:
        raise DomainError("invalid_project", "预算数不能为负数。")
    if Project.objects.filter(code=code, year=year).exists():
        raise DomainError(
            "duplicate_project", f"{year} 年已有项目编码为 {code} 的项目。", {"code": ["项目编码重复。"]}
        )
    plan = list(checkpoints) if checkpoints else db.default_checkpoints(year)
    try:
        db.check_plan(plan)
    except db.BudgetError as bad:
        raise _error(bad, "checkpoints") from None
    project = Project.objects.create(
        department=department,
        code=code,
        name=name,
        year=year,
        fiscal_funds=fiscal_funds,
        other_funds=other_funds,
        purpose=purpose,
        goal=goal,
        created_by=actor,
    )
    SpendingCheckpoint.objects.bulk_create(
        SpendingCheckpoint(project=project, date=day, planned_percent=pct) for day, pct in plan
    )
    return project


def _node(project: Project, parent: Indicator | None, level: int, name: str) -> Indicator:
    node = Indicator.objects.filter(project=project, parent=parent, name=name).first()
    if node is None:
        node = Indicator.objects.create(
            project=project, parent=parent, level=level, name=name, order=project.indicators.count() + 1
        )
    return node


@transaction.atomic
def indicator_add(
    *,
    project: Project,
    level1: str,
    level2: str,
    name: str,
    target: str,
    description: str = "",
    basis: str = "",
    weight: Decimal | None = None,
    metric_code: str = "",
    actor=None,
) -> Indicator:
    """A level-3 indicator under (level1, level2), created as needed; `target` in the seed's notation
    ("≥95%"; text without a number is qualitative)."""
    require_edit(actor)
    if not (level1.strip() and level2.strip() and name.strip()):
        raise DomainError("invalid_indicator", "一级、二级、三级指标名称不能为空。")
    if metric_code and metric_code not in METRIC_BINDINGS:
        raise DomainError(
            "invalid_indicator",
            f"平台指标“{metric_code}”不可绑定，可选：{'、'.join(METRIC_BINDINGS)}。",
            {"metric_code": ["不可绑定的平台指标。"]},
        )
    try:
        operator, value, unit = db.parse_target(target)
    except db.BudgetError as bad:
        raise _error(bad, "target") from None
    if metric_code and operator == db.Operator.QUALITATIVE:
        raise DomainError(
            "invalid_indicator", "定性指标不能绑定平台指标。", {"metric_code": ["定性指标不能绑定。"]}
        )
    if weight is not None and weight < 0:
        raise DomainError("invalid_indicator", "分值不能为负数。", {"weight": ["分值不能为负数。"]})
    top = _node(project, None, 1, level1.strip())
    middle = _node(project, top, 2, level2.strip())
    if Indicator.objects.filter(project=project, parent=middle, name=name.strip()).exists():
        raise DomainError("duplicate_indicator", f"“{level2}”下已有指标“{name}”。")
    return Indicator.objects.create(
        project=project,
        parent=middle,
        level=3,
        name=name.strip(),
        order=project.indicators.count() + 1,
        description=description,
        operator=operator.value,
        target_value=value,
        target_text=target.strip(),
        unit=unit,
        basis=basis,
        weight=weight,
        metric_code=metric_code,
    )


def leaves(project: Project) -> list[Indicator]:
    """The project's level-3 indicators in table order, with their parents."""
    return list(
        Indicator.objects.filter(project=project, level=3)
        .select_related("parent__parent")
        .order_by("order", "pk")
    )


# -- spending --------------------------------------------------------------------------------------


def spending_record(
    *, project: Project, date: dt.date, amount: Decimal, voucher: str = "", note: str = "", actor=None
) -> SpendingEntry:
    require_edit(actor)
    if amount is None or amount <= 0:
        raise DomainError("invalid_spending", "支出金额须大于 0。", {"amount": ["支出金额须大于 0。"]})
    if date.year != project.year:
        raise DomainError(
            "invalid_spending", f"支出日期须在 {project.year} 年内。", {"date": ["日期不在项目年度内。"]}
        )
    return SpendingEntry.objects.create(
        project=project,
        date=date,
        amount=amount,
        voucher=voucher.strip(),
        note=note.strip(),
        created_by=actor,
    )


def spent_until(project: Project, day: dt.date) -> Decimal:
    total = SpendingEntry.objects.filter(project=project, date__lte=day).aggregate(s=Sum("amount"))["s"]
    return total or Decimal(0)


def plan_of(project: Project) -> list[tuple[dt.date, Decimal]]:
    return [(c.date, c.planned_percent) for c in project.checkpoints.all()]


# -- actuals and monitoring ------------------------------------------------------------------------


def bound_actuals(
    project: Project, indicators: Sequence[Indicator], day: dt.date
) -> dict[int, Decimal | None]:
    """{indicator pk: metric value} of the bound indicators, for the department over Jan 1 .. `day`."""
    bound = [ind for ind in indicators if ind.metric_code]
    if not bound:
        return {}
    unit = department_unit(project.department)
    period = Period(dt.date(project.year, 1, 1), day, f"{project.year}-01-01..{day.isoformat()}")
    values = unit_metrics([unit], period, sorted({ind.metric_code for ind in bound}))[unit.key]
    return {ind.pk: values.get(ind.metric_code) for ind in bound}


@transaction.atomic
def monitoring_run(
    *,
    project: Project,
    date: dt.date,
    manual: Mapping[int, tuple[Decimal | None, str]] | None = None,
    cause: str = "",
    measures: str = "",
    actor=None,
) -> Monitoring:
    """A snapshot at `date` (replacing an earlier one of the same date): spending vs plan, each indicator's
    actual (bound: computed; else `manual[pk] = (value, evidence)`) with its deviation warning."""
    require_edit(actor)
    if date.year != project.year:
        raise DomainError(
            "invalid_monitoring", f"监控日期须在 {project.year} 年内。", {"date": ["日期不在项目年度内。"]}
        )
    manual = manual or {}
    spent = spent_until(project, date)
    planned = db.planned_percent(plan_of(project), date)
    actual = db.percent(db.execution_rate(spent, project.effective_budget))
    alert = db.plan_warning(planned, actual, yellow=project.yellow_points, red=project.red_points)
    Monitoring.objects.filter(project=project, date=date).delete()
    snapshot = Monitoring.objects.create(
        project=project,
        date=date,
        spent=spent,
        planned_percent=planned,
        actual_percent=actual,
        alert=alert.value,
        cause=cause,
        measures=measures,
        created_by=actor,
    )
    indicators = leaves(project)
    computed = bound_actuals(project, indicators, date)
    rows = []
    for ind in indicators:
        if ind.pk in computed:
            value, evidence, is_computed = computed[ind.pk], "平台数据", True
        else:
            value, evidence = manual.get(ind.pk, (None, ""))
            is_computed = False
            if value is not None and not evidence.strip():
                raise DomainError(
                    "evidence_required",
                    f"指标“{ind.name}”的完成值须附佐证。",
                    {f"evidence_{ind.pk}": ["请填写佐证。"]},
                )
        warn = Alert.NONE
        if value is not None and ind.target_value is not None and ind.operator != "qualitative":
            warn = Alert(db.indicator_warning(ind.domain_operator(), ind.target_value, value).value)
        rows.append(
            IndicatorActual(
                monitoring=snapshot,
                indicator=ind,
                value=value,
                computed=is_computed,
                evidence=evidence,
                alert=warn,
            )
        )
    IndicatorActual.objects.bulk_create(rows)
    return snapshot


# -- self-evaluation -------------------------------------------------------------------------------


def _evaluation_inputs(project: Project, inputs: Mapping[str, Mapping[str, Any]]) -> list[db.IndicatorInput]:
    indicators = leaves(project)
    computed = bound_actuals(project, indicators, dt.date(project.year, 12, 31))
    out = []
    for ind in indicators:
        given = inputs.get(str(ind.pk), {})
        applicable = not given.get("not_applicable", False)
        actual = (
            computed.get(ind.pk)
            if ind.metric_code
            else _decimal(given.get("actual"), f"actual_{ind.pk}", "完成值")
        )
        tier = given.get("tier") or None
        if tier is not None and tier not in set(db.Tier):
            raise DomainError("invalid_tier", f"等次“{tier}”无效。", {f"tier_{ind.pk}": ["等次无效。"]})
        share = _decimal(given.get("share"), f"share_{ind.pk}", "得分比例")
        operator = ind.domain_operator()
        if applicable and operator != db.Operator.QUALITATIVE and actual is None:
            raise DomainError(
                "actual_missing",
                f"指标“{ind.name}”没有完成值：请填写（附佐证）或标记为不适用。",
                {f"actual_{ind.pk}": ["请填写完成值。"]},
            )
        manual_value = applicable and not ind.metric_code and operator != db.Operator.QUALITATIVE
        if manual_value and not str(given.get("evidence", "")).strip():
            raise DomainError(
                "evidence_required",
                f"指标“{ind.name}”的完成值须附佐证。",
                {f"evidence_{ind.pk}": ["请填写佐证。"]},
            )
        out.append(
            db.IndicatorInput(
                key=str(ind.pk),
                block=ind.block,
                operator=operator,
                target=ind.target_value,
                actual=actual,
                weight=ind.weight,
                applicable=applicable,
                tier=db.Tier(tier) if tier else None,
                share=share / 100 if share is not None else None,
            )
        )
    return out


def _result_dict(
    project: Project, result: db.SelfEvaluation, inputs: list[db.IndicatorInput]
) -> dict[str, Any]:
    by_key = {i.key: i for i in inputs}
    return {
        "spent": str(spent_until(project, dt.date(project.year, 12, 31))),
        "budget": str(project.effective_budget),
        "execution_rate": str(db.percent(result.execution_rate))
        if result.execution_rate is not None
        else None,
        "execution_points": str(result.execution_points),
        "execution_score": str(result.execution_score),
        "indicators": [
            {
                "key": r.key,
                "block": r.block,
                "applicable": r.applicable,
                "actual": None if by_key[r.key].actual is None else str(by_key[r.key].actual),
                "tier": by_key[r.key].tier,
                "points": str(r.points),
                "score": str(r.score),
                "flagged": r.flagged,
            }
            for r in result.indicators
        ],
        "blocks": {k: str(v) for k, v in result.block_scores().items()},
        "maximum": str(result.maximum),
        "raw": str(result.raw),
        "total": str(result.total),
        "grade": result.grade.value,
        "needs_explanation": result.needs_explanation,
        "notes": list(result.notes),
    }


@transaction.atomic
def self_evaluation_save(
    *, project: Project, inputs: Mapping[str, Mapping[str, Any]], explanation: str = "", actor=None
) -> SelfEvaluation:
    """Score the project's year (draft): bound actuals from the platform, the others from `inputs`
    ({indicator pk: {actual, evidence, tier, share (%), not_applicable}})."""
    require_edit(actor)
    evaluation, _ = SelfEvaluation.objects.select_for_update().get_or_create(project=project)
    if evaluation.status != EvaluationStatus.DRAFT:
        raise DomainError("evaluation_locked", "绩效自评已提交，不能再修改。")
    rows = _evaluation_inputs(project, inputs)
    try:
        result = db.self_evaluate(
            spent=spent_until(project, dt.date(project.year, 12, 31)),
            budget=project.effective_budget,
            indicators=rows,
        )
    except db.BudgetError as bad:
        raise _error(bad) from None
    evaluation.inputs = {str(k): dict(v) for k, v in inputs.items()}
    evaluation.result = _result_dict(project, result, rows)
    evaluation.total = result.total
    evaluation.grade = result.grade.value
    evaluation.explanation = explanation
    evaluation.save(update_fields=["inputs", "result", "total", "grade", "explanation", "updated_at"])
    return evaluation


def _move(evaluation: SelfEvaluation, old: str, new: str, fields: dict[str, Any]) -> SelfEvaluation:
    updated = SelfEvaluation.objects.filter(pk=evaluation.pk, status=old).update(status=new, **fields)
    if not updated:
        raise DomainError("evaluation_state", "绩效自评状态已变化，请刷新后重试。")
    evaluation.refresh_from_db()
    return evaluation


@transaction.atomic
def self_evaluation_submit(*, evaluation: SelfEvaluation, actor, now: dt.datetime) -> SelfEvaluation:
    """The department head submits the draft (an execution rate below 90 % needs its explanation)."""
    if not actor.has_role(Role.DEPT_HEAD):
        raise PermissionDenied("只有部门负责人可以提交绩效自评。")
    if evaluation.status != EvaluationStatus.DRAFT or not evaluation.result:
        raise DomainError("evaluation_state", "只有已评分的草稿可以提交。")
    if evaluation.result.get("needs_explanation") and not evaluation.explanation.strip():
        raise DomainError(
            "explanation_required",
            "预算执行率低于 90%，须说明原因后提交。",
            {"explanation": ["请说明原因。"]},
        )
    return _move(
        evaluation,
        EvaluationStatus.DRAFT,
        EvaluationStatus.SUBMITTED,
        {"submitted_by": actor, "submitted_at": now},
    )


@transaction.atomic
def self_evaluation_review(
    *, evaluation: SelfEvaluation, actor, now: dt.datetime, approve: bool, note: str = ""
) -> SelfEvaluation:
    """The supervisor (finance role) approves (final) or returns it to draft (with a note)."""
    if not actor.has_role(Role.SUPERVISOR):
        raise PermissionDenied("只有监管员（财政审核）可以审核绩效自评。")
    if evaluation.submitted_by_id == actor.pk:
        raise PermissionDenied("提交人不能审核自己的绩效自评。")
    if evaluation.status != EvaluationStatus.SUBMITTED:
        raise DomainError("evaluation_state", "只有已提交的绩效自评可以审核。")
    if not approve and not note.strip():
        raise DomainError("note_required", "退回须填写审核意见。", {"note": ["请填写审核意见。"]})
    new = EvaluationStatus.FINAL if approve else EvaluationStatus.DRAFT
    return _move(
        evaluation,
        EvaluationStatus.SUBMITTED,
        new,
        {"reviewed_by": actor, "reviewed_at": now, "review_note": note},
    )
