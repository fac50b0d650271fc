"""The demo budget projects: seed 002's three projects (唐山市开平区行政审批局本级, codes, names, budgets, purposes,
goals and the shared indicator set exactly as in the seed) attached to the demo approval bureau, with a
year of spending (monthly entries reaching 96 % of the budget) and the platform-bound indicators
(审批业务受理率 ↔ acceptance_rate, 审批业务办结率 ↔ finish_rate, 用户使用满意度 ↔ reviews_good_rate).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from zhengwu.budget import services
from zhengwu.budget.models import Project
from zhengwu.common.errors import DomainError
from zhengwu.organization.choices import DepartmentKind
from zhengwu.organization.models import Department

UNIT = "439001唐山市开平区行政审批局本级"

# (一级, 二级, 三级, 绩效指标描述, 指标值, bound metric)
INDICATORS = [
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
        "reviews_good_rate",
    ),
]


@dataclass(frozen=True)
class SeedProject:
    code: str
    name: str
    budget: Decimal
    purpose: str
    goal: str


PROJECTS = [
    SeedProject(
        "13020522P00B8J810002R",
        "平台运维费用本级",
        Decimal("368800.00"),
        "区行政审批局按照省、市文件要求，为更好的提供便民审批服务，需接入省、市互联网平台，主要包括：“互联网+政务服务”平台、"
        "公共资源交易中心弱电及网络系统运维和软件系统升级改造运维、“云视频会议系统”建设及运行维护、信用办平台服务费、"
        "公共资源交易平台三维错位（暗标）评审模块、环保专网、市场服务科专网。",
        "1.建成一体化网上政务服务平台，全面公开政务服务事项，政务服务标准化、网络化水平显著提升。大幅提升政务服务智慧化水平，"
        "让政府服务更聪明，让企业和群众办事更方便、更快捷、更有效率。",
    ),
    SeedProject(
        "13020522P00082810002R",
        "政务服务大厅提升改造工程本级",
        Decimal("3000000.00"),
        "本项目是区政务服务中心提升整体面貌，统一规范管理，实现服务标准化，打造智慧的政务服务环境。主要内容包括：大厅展示引导标牌、"
        "订制工位、服务群众用家具。",
        "1.建成后，按照窗口管理模式，统一规范管理，实现服务标准化，彻底解决群众企业多头跑、往返跑的问题，提高了审批效率。"
        "推行智慧政务服务和“一窗受理”改革，建设“绿色、和谐、阳光”精神的“一窗式”服务之窗。打造一个科技、人文、绿色、特色、"
        "统一的一流政务服务大厅。",
    ),
    SeedProject(
        "13020522P00897310001A",
        "行政审批综合管理事务本级",
        Decimal("500000.00"),
        "用于在唐山劳动日报上刊登土地拍卖公告、流拍公告、撤销冒用他人信息公告和其他信息公告；证照印刷及宣传；专家评审及各类培训费；"
        "法律顾问服务费；政务服务大厅公共服务费；新入职员工工装款。",
        "1.完成政务服务活动，国有土地招拍挂全流程在法律规定范围内公平、公正、公开、诚信，推动了我区公共资源交易活动的发展，"
        "更方便、快捷、有效率。",
    ),
]

# Cumulative share of the budget spent by the end of each month of the demo year.
MONTHLY_CUMULATIVE = [4, 10, 22, 30, 38, 46, 52, 58, 66, 74, 84, 96]


def demo_department() -> Department:
    department = (
        Department.objects.filter(kind=DepartmentKind.APPROVAL_BUREAU, is_active=True)
        .order_by("region__path", "pk")
        .first()
    )
    if department is None:
        raise DomainError(
            "no_demo_department", "没有演示行政审批服务局：请先运行 zhengwu demo 生成演示机构。"
        )
    return department


@transaction.atomic
def demo_projects_generate(*, year: int = 2026) -> list[Project]:
    """Seed 002's projects for `year` with their spending; projects that exist already are skipped."""
    department = demo_department()
    made = []
    for seed in PROJECTS:
        if Project.objects.filter(code=seed.code, year=year).exists():
            continue
        project = services.project_create(
            department=department,
            code=seed.code,
            name=seed.name,
            year=year,
            fiscal_funds=seed.budget,
            purpose=seed.purpose,
            goal=seed.goal,
        )
        for level1, level2, name, description, target, metric in INDICATORS:
            services.indicator_add(
                project=project,
                level1=level1,
                level2=level2,
                name=name,
                description=description,
                target=target,
                metric_code=metric,
            )
        previous = Decimal(0)
        for month, pct in enumerate(MONTHLY_CUMULATIVE, start=1):
            cumulative = (seed.budget * pct / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            services.spending_record(
                project=project,
                date=dt.date(year, month, 25),
                amount=cumulative - previous,
                voucher=f"记-{month:02d}-{len(made) + 1:03d}",
                note="按合同支付",
            )
            previous = cumulative
        made.append(project)
    return made
