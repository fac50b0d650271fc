"""A hall with two window groups (A 综合受理区: windows 1 and 2; B 证照联办专区: window 3), a clerk at
each window, a hall manager, and a clerk of another hall."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhengwu.common.clock import LOCAL_TZ
from zhengwu.organization.choices import DepartmentKind, Role
from zhengwu.organization.models import Department, ServiceHall, User, Window
from zhengwu.organization.tests.factories import (
    DepartmentFactory,
    HallFactory,
    RegionFactory,
    UserFactory,
    WindowFactory,
)
from zhengwu.queueing import services
from zhengwu.queueing.models import QueueTicket, WindowGroup


def at(hour: int, minute: int = 0, day: str = "2026-06-01") -> dt.datetime:
    """A local (Asia/Shanghai) moment, as the services expect `now`."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=LOCAL_TZ)


@dataclass
class Hall:
    hall: ServiceHall
    bureau: Department
    department: Department
    a: WindowGroup
    b: WindowGroup
    w1: Window
    w2: Window
    w3: Window
    clerk1: User
    clerk2: User
    clerk3: User
    manager: User


def make_hall(code: str = "430903000000") -> Hall:
    region = RegionFactory(code=code, name=f"区划{code[-4:]}")
    bureau = DepartmentFactory(
        region=region, name=f"行政审批服务局{code[-4:]}", kind=DepartmentKind.APPROVAL_BUREAU
    )
    department = DepartmentFactory(region=region, name=f"市场监督管理局{code[-4:]}")
    hall = HallFactory(department=bureau, name=f"政务服务大厅{code[-4:]}")
    w1, w2, w3 = (WindowFactory(hall=hall, number=str(n), name=f"{n}号窗口") for n in (1, 2, 3))
    a = WindowGroup.objects.create(hall=hall, code="A", name="综合受理区", sort_order=1)
    a.windows.set([w1, w2])
    a.departments.set([department])
    b = WindowGroup.objects.create(hall=hall, code="B", name="证照联办专区", sort_order=2)
    b.windows.set([w3])

    def clerk(window: Window) -> User:
        return UserFactory(department=bureau, window=window, roles=[Role.WINDOW_CLERK], scope=[bureau])

    return Hall(
        hall=hall,
        bureau=bureau,
        department=department,
        a=a,
        b=b,
        w1=w1,
        w2=w2,
        w3=w3,
        clerk1=clerk(w1),
        clerk2=clerk(w2),
        clerk3=clerk(w3),
        manager=UserFactory(department=bureau, roles=[Role.DEPT_HEAD], scope=[bureau]),
    )


def issue(
    h: Hall, priority: str = "normal", *, group: WindowGroup | None = None, when=None, **kw
) -> QueueTicket:
    source = "appointment" if priority == "appointment" else "kiosk"
    return services.ticket_issue(
        hall=h.hall, group=group or h.a, priority=priority, source=source, now=when or at(9), **kw
    )
