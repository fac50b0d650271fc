"""Budget services: project and plan, indicator tree, spending, monitoring with bound actuals, and the
self-evaluation flow."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from zhengwu.budget import excel, selectors, services
from zhengwu.budget.models import Alert, EvaluationStatus, Indicator
from zhengwu.budget.tests.conftest import day
from zhengwu.cases.tests.factories import accepted_case, at, make_county
from zhengwu.common.errors import DomainError, NotFound, PermissionDenied
from zhengwu.domain.metrics import Period
from zhengwu.metrics.selectors import department_unit, unit_metrics

pytestmark = pytest.mark.django_db


def leaf(project, name: str) -> Indicator:
    return Indicator.objects.get(project=project, level=3, name__startswith=name)


def test_a_project_gets_the_default_plan_and_a_three_level_tree(project):
    assert [(c.date, c.planned_percent) for c in project.checkpoints.all()] == [
        (day("2026-03-31"), 25),
        (day("2026-06-30"), 50),
        (day("2026-10-31"), 75),
        (day("2026-12-31"), 100),
    ]
    counts = {level: project.indicators.filter(level=level).count() for level in (1, 2, 3)}
    assert counts == {1: 3, 2: 6, 3: 7}
    acceptance = leaf(project, "审批业务受理率")
    assert (acceptance.operator, acceptance.target_value, acceptance.unit) == ("≥", 95, "%")
    assert acceptance.block == "产出指标"
    assert acceptance.target_display == "≥95%"


def test_a_duplicate_project_code_and_a_bad_binding_are_refused(project, county):
    with pytest.raises(DomainError, match="项目编码"):
        services.project_create(
            department=county.department, code=project.code, name="x", year=2026, fiscal_funds=D(1)
        )
    with pytest.raises(DomainError, match="不可绑定"):
        services.indicator_add(
            project=project, level1="产出指标", level2="数量指标", name="x", target="≥1", metric_code="nope"
        )


def test_monitoring_warns_red_when_spending_lags_the_plan_by_more_than_20_points(project, county):
    # 30 June: plan 50 %; spent 92,200 of 368,800 = 25 % → 25 points below → red
    services.spending_record(project=project, date=day("2026-05-10"), amount=D("92200"), voucher="记-05-001")
    snapshot = services.monitoring_run(
        project=project, date=day("2026-06-30"), cause="合同未签订", actor=county.head
    )
    assert (snapshot.planned_percent, snapshot.actual_percent, snapshot.alert) == (50, D("25.00"), Alert.RED)
    # 31 October: plan 75 %; another 184,400 → 75 % → no warning
    services.spending_record(project=project, date=day("2026-09-10"), amount=D("184400"))
    snapshot = services.monitoring_run(project=project, date=day("2026-10-31"))
    assert (snapshot.actual_percent, snapshot.alert) == (D("75.00"), Alert.NONE)


def test_a_bound_indicator_actual_equals_the_metric_of_the_department_for_the_same_period(project, county):
    accepted_case(county, day="2026-03-02")
    accepted_case(county, day="2026-04-01")
    snapshot = services.monitoring_run(project=project, date=day("2026-06-30"))
    expected = unit_metrics(
        [department_unit(county.department)],
        Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30), "x"),
        ["acceptance_rate", "finish_rate"],
    )[department_unit(county.department).key]
    actuals = {a.indicator.metric_code: a for a in snapshot.actuals.select_related("indicator") if a.computed}
    assert actuals["acceptance_rate"].value == expected["acceptance_rate"] == D("100.00")
    assert actuals["finish_rate"].value == expected["finish_rate"] == D("0.00")
    assert actuals["finish_rate"].alert == Alert.RED
    assert actuals["acceptance_rate"].alert == Alert.NONE


def test_a_manual_actual_needs_evidence(project):
    automation = leaf(project, "办公自动化")
    with pytest.raises(DomainError, match="佐证"):
        services.monitoring_run(project=project, date=day("2026-06-30"), manual={automation.pk: (D(80), "")})
    # 85 of ≥ 90: 94.4 % → yellow; 80: 88.9 % < 90 % → red
    snapshot = services.monitoring_run(
        project=project, date=day("2026-06-30"), manual={automation.pk: (D(85), "OA 系统统计表")}
    )
    assert snapshot.actuals.get(indicator=automation).alert == Alert.YELLOW
    snapshot = services.monitoring_run(
        project=project, date=day("2026-06-30"), manual={automation.pk: (D(80), "OA 系统统计表")}
    )
    assert snapshot.actuals.get(indicator=automation).alert == Alert.RED


def manual_inputs(project, **overrides):
    values = {"办公自动化": 90, "办公成本": 72, "业务保障": 95, "公共服务": "85.5", "用户使用": 76}
    inputs = {
        str(leaf(project, name).pk): {"actual": str(v), "evidence": "统计表"} for name, v in values.items()
    }
    inputs[str(leaf(project, "审批业务办结率").pk)] = {"not_applicable": True}
    inputs.update({str(leaf(project, k).pk): v for k, v in overrides.items()})
    return inputs


def test_self_evaluation_golden_score_and_the_submit_review_flow(project, county):
    accepted_case(county, day="2026-03-02")  # 受理率 100 %
    services.spending_record(
        project=project, date=day("2026-11-30"), amount=D("331920.00"), voucher="记-11-009"
    )
    evaluation = services.self_evaluation_save(project=project, inputs=manual_inputs(project))
    # 执行率 90 % → 9.00; 办结率 N/A: 产出 50 / 3 = 16.666… each:
    #   受理率 100 ≥ 95 → 16.67; 自动化 90 ≥ 90 → 16.67; 成本 16.666… × 72/90 = 13.33
    # 效益 15 + 15 × 85.5/95 = 15 + 13.50; 满意度 10 × 76/95 = 8.00
    # total = 9 + 16.67 + 16.67 + 13.33 + 15 + 13.5 + 8 = 92.17 → 优
    assert (evaluation.total, evaluation.grade) == (D("92.17"), "优")
    assert evaluation.result["blocks"] == {"产出指标": "46.67", "效益指标": "28.50", "满意度指标": "8.00"}
    with pytest.raises(PermissionDenied):
        services.self_evaluation_submit(evaluation=evaluation, actor=county.supervisor, now=at("2027-01-10"))
    evaluation = services.self_evaluation_submit(
        evaluation=evaluation, actor=county.head, now=at("2027-01-10")
    )
    assert evaluation.status == EvaluationStatus.SUBMITTED
    with pytest.raises(DomainError, match="已提交"):
        services.self_evaluation_save(project=project, inputs=manual_inputs(project))
    with pytest.raises(DomainError, match="审核意见"):
        services.self_evaluation_review(
            evaluation=evaluation, actor=county.supervisor, now=at("2027-01-11"), approve=False
        )
    evaluation = services.self_evaluation_review(
        evaluation=evaluation, actor=county.supervisor, now=at("2027-01-11"), approve=True
    )
    assert evaluation.status == EvaluationStatus.FINAL


def test_low_execution_cannot_be_submitted_without_an_explanation(project, county):
    accepted_case(county, day="2026-03-02")
    services.spending_record(project=project, date=day("2026-11-30"), amount=D("100000"))
    evaluation = services.self_evaluation_save(project=project, inputs=manual_inputs(project))
    assert evaluation.result["needs_explanation"]
    with pytest.raises(DomainError, match="90%"):
        services.self_evaluation_submit(evaluation=evaluation, actor=county.head, now=at("2027-01-10"))


def test_a_bound_indicator_without_data_must_be_marked_not_applicable(project):
    with pytest.raises(DomainError, match="审批业务受理率"):
        services.self_evaluation_save(project=project, inputs=manual_inputs(project))


def test_projects_are_scoped_to_the_viewers_departments(project, county):
    other = make_county("430902000000", "资阳区")
    assert list(selectors.project_list(user=county.head)) == [project]
    assert list(selectors.project_list(user=other.head)) == []
    with pytest.raises(NotFound):
        selectors.project_get_for_user(user=other.head, pk=project.pk)


def test_the_excel_self_evaluation_sheet_lists_scores_total_and_grade(project, county):
    accepted_case(county, day="2026-03-02")
    services.spending_record(project=project, date=day("2026-11-30"), amount=D("331920.00"))
    services.self_evaluation_save(project=project, inputs=manual_inputs(project))
    project.refresh_from_db()
    sheet = load_workbook(io.BytesIO(excel.workbook_bytes(project)))["绩效自评表"]
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["总分", 92.17, "等级", "优", "状态", "草稿"] in rows
    assert ["产出指标", "成本指标", "办公成本降低率（%）", "≥90%", "72", 16.67, 13.33] in rows


def test_a_window_clerk_may_not_record_spending_or_run_monitoring(project, county):
    with pytest.raises(PermissionDenied):
        services.spending_record(project=project, date=day("2026-03-10"), amount=D("100"), actor=county.clerk)
    with pytest.raises(PermissionDenied):
        services.monitoring_run(project=project, date=day("2026-03-31"), actor=county.clerk)
    assert not project.spending.exists() and not project.monitorings.exists()
