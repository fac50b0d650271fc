"""Test data for appointments: a county hall that takes appointments for a published item, citizens,
hall staff, and a queue window group so a check-in can issue a number."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from zhengwu.appointments import services
from zhengwu.appointments.models import Appointment, HallAppointmentSettings
from zhengwu.catalog.models import ServiceItem
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.organization.choices import Role
from zhengwu.organization.models import Department, Region, ServiceHall, User
from zhengwu.organization.services import citizen_register
from zhengwu.organization.tests.factories import DepartmentFactory, HallFactory, RegionFactory, UserFactory

_people = itertools.count(1)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A local (Asia/Shanghai) moment."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=LOCAL_TZ)


def id_number(serial: int) -> str:
    """A valid resident ID number (GB 11643 check digit) born 1990-01-01."""
    body = f"43090319900101{serial % 1000:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True)) % 11]


def make_citizen(name: str = "李四") -> User:
    n = next(_people)
    return citizen_register(
        phone=f"139{n:08d}",
        password="Zw!citizen-2026",
        name=name,
        id_number=id_number(n),
        today=dt.date(2026, 1, 5),
    )


@dataclass
class Hall:
    region: Region
    department: Department
    hall: ServiceHall
    item: ServiceItem
    clerk: User


def make_hall(*, quota: int = 26, periods: str | None = None, code: str = "430903000000") -> Hall:
    """A county with one department, its hall (default hours unless `periods`), an item bookable there
    with `quota` places a day, a clerk scoped to the region, and the hall's window group."""
    from zhengwu.queueing.models import WindowGroup

    region = RegionFactory(code=code, name=f"测试县{code[-6:]}")
    department = DepartmentFactory(region=region, name=f"{region.name}行政审批服务局")
    hall = HallFactory(department=department, name=f"{region.name}政务服务中心")
    if periods:
        HallAppointmentSettings.objects.create(hall=hall, periods=periods)
    item = make_item(
        department=department,
        name="食品经营许可",
        elements={"appointment_supported": True, "appointment_daily_quota": quota},
    )
    clerk = UserFactory(department=department, roles=[Role.WINDOW_CLERK], scope=[region])
    group = WindowGroup.objects.create(hall=hall, code="A", name="综合受理区")
    group.departments.add(department)
    return Hall(region=region, department=department, hall=hall, item=item, clerk=clerk)


def book(
    setup: Hall,
    *,
    day: str = "2026-11-24",
    slot: str = "09:00",
    citizen: User | None = None,
    phone: str | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """Book online for `citizen`, or at the hall (by the clerk) for a caller with `phone`."""
    online = citizen is not None
    return services.appointment_book(
        hall=setup.hall,
        item=setup.item,
        day=dt.date.fromisoformat(day),
        slot_start=dt.time.fromisoformat(slot),
        name=citizen.full_name if online else "王五",
        phone=citizen.phone if online else (phone or f"137{next(_people):08d}"),
        channel="online" if online else "hall",
        actor=citizen if online else setup.clerk,
        now=now or at("2026-11-23"),
    )
