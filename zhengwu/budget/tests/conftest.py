"""Fixtures of the budget tests: a county with its staff and a project carrying seed 002's indicators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from zhengwu.budget import services
from zhengwu.cases.tests.factories import make_county

SEED_INDICATORS = [
    ("产出指标", "数量指标", "审批业务受理率（%）", "全年审批业务受理情况", "≥95%", "acceptance_rate"),
    ("产出指标", "质量指标", "审批业务办结率（%）", "全年审批业务办结情况", "≥95%", "finish_rate"),
    ("产出指标", "时效指标", "办公自动化覆盖率（%）", "办公自动化覆盖范围占应覆盖范围的比率", "≥90%", ""),
    ("产出指标", "成本指标", "办公成本降低率（%）", "全年办公成本降低情况", "≥90%", ""),
    ("效益指标", "社会效益指标", "业务保障能力提升情况（%）", "项目实施后业务受理办结保障比率", "≥95%", ""),
    ("效益指标", "社会效益指标", "公共服务水平提升情况（%）", "项目实施后办事群众的满意度比率", "≥95%", ""),
    (
        "满意度指标",
        "服务对象满意度指标",
        "用户使用满意度（%）",
        "调查中用户反馈满意和较满意的数量占调查用户总数量的比率",
        "≥95%",
        "",
    ),
]


@pytest.fixture
def county(db):
    return make_county()


@pytest.fixture
def project(county):
    project = services.project_create(
        department=county.department,
        code="13020522P00B8J810002R",
        name="平台运维费用本级",
        year=2026,
        fiscal_funds=D("368800.00"),
        actor=county.head,
    )
    for level1, level2, name, description, target, metric in SEED_INDICATORS:
        services.indicator_add(
            project=project,
            level1=level1,
            level2=level2,
            name=name,
            description=description,
            target=target,
            metric_code=metric,
        )
    return project


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
