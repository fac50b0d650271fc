"""预算绩效 in the workbench: scope and roles, the list's query count, and the whole flow through the forms
(new project → indicators → spending → monitoring → self-evaluation → submit → review → Excel)."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from zhengwu.budget import services
from zhengwu.budget.models import Alert, EvaluationStatus, Indicator, Monitoring, Project, SelfEvaluation
from zhengwu.cases.tests.factories import at, make_county
from zhengwu.common import clock

pytestmark = pytest.mark.django_db

LIST = reverse("workbench:budget_list")


def url(name: str, project: Project) -> str:
    return reverse(f"workbench:{name}", args=[project.pk])


def test_an_anonymous_visitor_goes_to_login_and_another_county_gets_404(client, project):
    response = client.get(LIST)
    assert response.status_code == 302 and "/workbench/login/" in response["Location"]
    other = make_county(code="430921000000", name="南县")
    client.force_login(other.head)
    assert client.get(url("budget_project", project)).status_code == 404
    assert (
        client.post(url("budget_spending", project), {"date": "2026-05-01", "amount": "1"}).status_code == 404
    )
    assert project.code not in client.get(LIST).content.decode()


def test_a_window_clerk_sees_but_cannot_create_or_record(client, project, county):
    client.force_login(county.clerk)
    page = client.get(LIST).content.decode()
    assert project.code in page and "新建项目" not in page
    response = client.post(
        LIST,
        {"code": "X1", "name": "x", "year": "2026", "department": county.department.pk, "fiscal_funds": "1"},
    )
    assert response.status_code == 403 and not Project.objects.filter(code="X1").exists()
    response = client.post(url("budget_spending", project), {"date": "2026-05-01", "amount": "10"})
    assert response.status_code == 403 and not project.spending.exists()


def test_the_list_runs_a_fixed_number_of_queries(client, county):
    client.force_login(county.head)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    services.project_create(
        department=county.department, code="P1", name="一", year=2026, fiscal_funds=D(100)
    )
    one = count()
    for n in range(2, 6):
        project = services.project_create(
            department=county.department, code=f"P{n}", name=str(n), year=2026, fiscal_funds=D(100)
        )
        services.spending_record(project=project, date=at("2026-03-01").date(), amount=D(10))
    assert count() == one <= 12


def test_create_errors_are_shown_inline_in_chinese(client, project, county):
    client.force_login(county.head)
    response = client.post(
        LIST,
        {
            "code": project.code,
            "name": "重复",
            "year": "2026",
            "department": county.department.pk,
            "fiscal_funds": "1",
        },
    )
    assert response.status_code == 400
    assert "2026 年已有项目编码为" in response.content.decode()
    response = client.post(
        LIST,
        {
            "code": "N1",
            "name": "n",
            "year": "2026",
            "department": county.department.pk,
            "fiscal_funds": "abc",
        },
    )
    assert response.status_code == 400 and "不是数字" in response.content.decode()


def test_the_whole_flow_through_the_forms(client, county):
    client.force_login(county.head)
    with clock.frozen(at("2026-07-31")):
        response = client.post(
            LIST,
            {
                "code": "13020522P00B8J810002R",
                "name": "平台运维费用本级",
                "year": "2026",
                "department": county.department.pk,
                "fiscal_funds": "368800",
                "other_funds": "",
                "purpose": "平台运维",
                "goal": "保障平台稳定运行",
            },
        )
        project = Project.objects.get(code="13020522P00B8J810002R")
        assert response.status_code == 302 and response["Location"] == url("budget_project", project)
        assert project.checkpoints.count() == 4

        add = url("budget_indicator_add", project)
        ok = client.post(
            add,
            {
                "level1": "产出指标",
                "level2": "数量指标",
                "name": "审批业务受理率（%）",
                "target": "≥95%",
                "metric_code": "acceptance_rate",
            },
        )
        assert ok.status_code == 302
        client.post(
            add,
            {"level1": "产出指标", "level2": "时效指标", "name": "办公自动化覆盖率（%）", "target": "≥90%"},
        )
        client.post(
            add,
            {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "用户满意度", "target": "满意"},
        )
        bad = client.post(
            add,
            {"level1": "产出指标", "level2": "数量指标", "name": "x", "target": "≥1", "metric_code": "nope"},
        )
        assert bad.status_code == 400 and "不可绑定" in bad.content.decode()
        assert Indicator.objects.filter(project=project, level=3).count() == 3

        bad = client.post(url("budget_spending", project), {"date": "2025-12-01", "amount": "100"})
        assert bad.status_code == 400 and "支出日期须在 2026 年内" in bad.content.decode()
        client.post(
            url("budget_spending", project), {"date": "2026-05-10", "amount": "92200", "voucher": "记-05-001"}
        )

        response = client.post(
            url("budget_monitoring", project), {"date": "2026-07-31", "cause": "合同未签订"}
        )
        assert response.status_code == 302
        snapshot = Monitoring.objects.get(project=project)
        assert (snapshot.planned_percent, snapshot.actual_percent, snapshot.alert) == (
            50,
            D("25.00"),
            Alert.RED,
        )
        page = client.get(url("budget_project", project)).content.decode()
        assert "红色预警" in page and "合同未签订" in page and "平台运维费用本级" in page

        leaves = {ind.name: ind for ind in services.leaves(project)}
        rate, office, happy = (
            leaves["审批业务受理率（%）"],
            leaves["办公自动化覆盖率（%）"],
            leaves["用户满意度"],
        )
        evaluate = url("budget_evaluation", project)
        # no cases: the bound 受理率 has no value → the head marks it not applicable
        missing = client.post(evaluate, {"action": "save"})
        assert missing.status_code == 400 and "没有完成值" in missing.content.decode()
        saved = client.post(
            evaluate,
            {
                "action": "save",
                f"na_{rate.pk}": "1",
                f"actual_{office.pk}": "95",
                f"evidence_{office.pk}": "系统统计",
                f"tier_{happy.pk}": "达成年度指标",
                f"share_{happy.pk}": "90",
                "explanation": "合同签订推迟",
            },
        )
        assert saved.status_code == 302
        evaluation = SelfEvaluation.objects.get(project=project)
        assert evaluation.total is not None and evaluation.grade
        page = client.get(url("budget_project", project)).content.decode()
        assert str(evaluation.total) in page and "提交自评" in page

        assert client.post(evaluate, {"action": "submit"}).status_code == 302
        evaluation.refresh_from_db()
        assert evaluation.status == EvaluationStatus.SUBMITTED
        refused = client.post(evaluate, {"action": "approve"})
        assert refused.status_code == 403

        client.force_login(county.supervisor)
        returned = client.post(evaluate, {"action": "return"})
        assert returned.status_code == 400 and "退回须填写审核意见" in returned.content.decode()
        assert client.post(evaluate, {"action": "approve", "note": "同意"}).status_code == 302
        evaluation.refresh_from_db()
        assert evaluation.status == EvaluationStatus.FINAL and evaluation.review_note == "同意"

        response = client.get(url("budget_export", project))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        book = load_workbook(
            io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
        )
        sheet = book["绩效目标表"]
        assert sheet["A1"].value == "平台运维费用本级绩效目标表"
        header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "一级指标")
        assert header[:6] == ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
        assert book["绩效自评表"].cell(row=1, column=1).value.startswith("平台运维费用本级绩效自评表")

        printable = client.get(url("budget_print", project)).content.decode()
        assert "no-print" in printable and "三、绩效自评" in printable and "已审核" in printable


@pytest.mark.parametrize("year", ["²", "99999999999999999999", "２０２６"])
def test_a_year_filter_that_is_no_usable_number_lists_without_a_server_error(client, county, year):
    client.force_login(county.head)
    assert client.get(LIST, {"year": year}).status_code == 200
