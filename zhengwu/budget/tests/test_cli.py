"""`zhengwu budget demo` loads seed 002 exactly; `zhengwu budget report` writes the tables."""

from __future__ import annotations

import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from zhengwu.budget import services
from zhengwu.budget.models import Project
from zhengwu.organization.choices import DepartmentKind
from zhengwu.organization.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau():
    return DepartmentFactory(kind=DepartmentKind.APPROVAL_BUREAU, name="开平区行政审批局")


def test_demo_loads_the_three_seed_002_projects_with_their_indicators_and_a_year_of_spending(bureau):
    call_command("budget", "demo", stdout=io.StringIO())
    call_command("budget", "demo", stdout=io.StringIO())  # idempotent
    projects = {p.code: p for p in Project.objects.all()}
    assert {code: (p.name, p.fiscal_funds, p.other_funds) for code, p in projects.items()} == {
        "13020522P00B8J810002R": ("平台运维费用本级", D("368800.00"), 0),
        "13020522P00082810002R": ("政务服务大厅提升改造工程本级", D("3000000.00"), 0),
        "13020522P00897310001A": ("行政审批综合管理事务本级", D("500000.00"), 0),
    }
    for project in projects.values():
        assert project.department == bureau
        rows = [(i.block, i.parent.name, i.name, i.target_display) for i in services.leaves(project)]
        assert rows[0] == ("产出指标", "数量指标", "审批业务受理率（%）", "≥95%")
        assert rows[3] == ("产出指标", "成本指标", "办公成本降低率（%）", "≥90%")
        assert rows[6] == ("满意度指标", "服务对象满意度指标", "用户使用满意度（%）", "≥95%")
        assert len(rows) == 7
        bound = {i.name: i.metric_code for i in services.leaves(project) if i.metric_code}
        assert bound == {
            "审批业务受理率（%）": "acceptance_rate",
            "审批业务办结率（%）": "finish_rate",
            "用户使用满意度（%）": "reviews_good_rate",
        }
        assert services.spent_until(project, project.checkpoints.last().date) == project.budget * D("0.96")
        assert project.spending.count() == 12


def test_report_writes_the_target_table_in_the_seed_layout_and_json(bureau, tmp_path):
    call_command("budget", "demo", stdout=io.StringIO())
    target = tmp_path / "report.xlsx"
    call_command(
        "budget",
        "report",
        "--project",
        "13020522P00B8J810002R",
        "--year",
        "2026",
        "--output",
        str(target),
        stdout=io.StringIO(),
    )
    sheet = load_workbook(target)["绩效目标表"]
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["项目编码", "13020522P00B8J810002R", "项目名称", "平台运维费用本级"] in values
    assert ["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"] in values
    assert ["25%", "50%", "75%", "100%"] in values
    assert ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"] in values
    assert ["产出指标", "数量指标", "审批业务受理率（%）", "全年审批业务受理情况", "≥95%"] in values
    out = tmp_path / "report.json"
    call_command(
        "budget",
        "report",
        "--project",
        "13020522P00B8J810002R",
        "--year",
        "2026",
        "--format",
        "json",
        "--output",
        str(out),
        stdout=io.StringIO(),
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["fiscal_funds"] == "368800.00"
    assert [p["planned_percent"] for p in data["plan"]] == ["25.00", "50.00", "75.00", "100.00"]


def test_report_of_an_unknown_project_and_demo_without_a_bureau_are_refused(db):
    with pytest.raises(CommandError, match="项目编码"):
        call_command("budget", "report", "--project", "NOPE", "--year", "2026", "--output", "-")
    with pytest.raises(CommandError, match="演示行政审批服务局"):
        call_command("budget", "demo")
