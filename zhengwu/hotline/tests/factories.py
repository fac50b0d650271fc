"""A county with a 12345 centre (agent), two handling units with staff, and a dispatch catalogue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhengwu.common.clock import LOCAL_TZ
from zhengwu.hotline import services
from zhengwu.hotline.models import DispatchRule, HotlineCentre, KnowledgeArticle, Ticket
from zhengwu.organization.choices import DepartmentKind, Role
from zhengwu.organization.models import Department, Region, User
from zhengwu.organization.tests.factories import DepartmentFactory, RegionFactory, UserFactory


def at(text: str) -> dt.datetime:
    """A local (Asia/Shanghai) moment, "2026-09-30 15:00"."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


@dataclass
class Hotline:
    region: Region
    centre: Department
    agent: User
    water: Department
    water_staff: User
    market: Department
    market_staff: User


def make_hotline(code: str = "430903000000", name: str = "赫山区") -> Hotline:
    region = RegionFactory(code=code, name=name)
    centre = DepartmentFactory(
        region=region, name=f"{name}12345热线服务中心", kind=DepartmentKind.APPROVAL_BUREAU
    )
    HotlineCentre.objects.create(region=region, department=centre)
    water = DepartmentFactory(region=region, name=f"{name}水务局")
    market = DepartmentFactory(region=region, name=f"{name}市场监督管理局")
    DispatchRule.objects.create(topic="供水", keywords="停水 水压 水费", region=region, department=water)
    DispatchRule.objects.create(topic="食品安全", keywords="过期 食品 餐馆", region=region, department=market)
    KnowledgeArticle.objects.create(
        title="社保卡补办", keywords="社保卡 补办", answer="携带身份证到政务服务大厅社保窗口即可补办。"
    )
    return Hotline(
        region=region,
        centre=centre,
        agent=UserFactory(department=centre, roles=[Role.WINDOW_CLERK], scope=[centre], full_name="坐席小王"),
        water=water,
        water_staff=UserFactory(department=water, roles=[Role.APPROVER], scope=[water], full_name="水务小李"),
        market=market,
        market_staff=UserFactory(
            department=market, roles=[Role.APPROVER], scope=[market], full_name="市监小赵"
        ),
    )


def make_ticket(
    h: Hotline, *, now: str = "2026-09-30 09:00", category: str = "complaint", **kwargs
) -> Ticket:
    values = {
        "channel": "phone",
        "category": category,
        "title": "小区停水三天",
        "content": "幸福小区3栋停水三天，无人通知。",
        "region": h.region,
        "agent": h.agent,
        "caller_name": "张三丰",
        "caller_phone": "13812345678",
        "topic": "供水",
    } | kwargs
    return services.ticket_create(now=at(now), **values)


def dispatched(h: Hotline, *, now: str = "2026-09-30 15:00", department=None, **kwargs) -> Ticket:
    ticket = make_ticket(h, now=now, **kwargs)
    return services.ticket_dispatch(
        ticket=ticket, actor=h.agent, now=at(now), department=department or h.water
    )
