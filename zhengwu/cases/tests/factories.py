"""Factories for cases: a county with a department, its staff, a published item and an applicant."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from zhengwu.cases import services
from zhengwu.cases.models import Case
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.organization.choices import Role
from zhengwu.organization.models import Applicant, Department, Region, User
from zhengwu.organization.services import applicant_register, citizen_register
from zhengwu.organization.tests.factories import DepartmentFactory, RegionFactory, UserFactory

PERSON_ID = "11010519491231002X"
COMPANY_USCC = "91350100M000100Y43"


def at(day: str, hour: int = 10) -> dt.datetime:
    """A local (Asia/Shanghai) moment on `day`, as services expect `now`."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=LOCAL_TZ)


@dataclass
class County:
    region: Region
    department: Department
    clerk: User
    approver: User
    head: User
    supervisor: User


def make_county(code: str = "430903000000", name: str = "赫山区") -> County:
    region = RegionFactory(code=code, name=name)
    department = DepartmentFactory(region=region, name=f"{name}市场监督管理局")
    return County(
        region=region,
        department=department,
        clerk=UserFactory(department=department, roles=[Role.WINDOW_CLERK], scope=[region]),
        approver=UserFactory(department=department, roles=[Role.APPROVER], scope=[department]),
        head=UserFactory(department=department, roles=[Role.DEPT_HEAD], scope=[department]),
        supervisor=UserFactory(department=department, roles=[Role.SUPERVISOR], scope=[region]),
    )


def make_applicant(name: str = "张三", id_number: str = PERSON_ID) -> Applicant:
    return applicant_register(
        kind="person", name=name, id_number=id_number, today=dt.date(2026, 1, 5), phone="13812345678"
    )


def make_citizen(
    phone: str = "13912345678", name: str = "李四", id_number: str = "430903199001011238"
) -> User:
    return citizen_register(
        phone=phone, password="Zw!citizen-2026", name=name, id_number=id_number, today=dt.date(2026, 1, 5)
    )


def make_case(
    county: County,
    *,
    item=None,
    now: dt.datetime | None = None,
    applicant: Applicant | None = None,
    actor: User | None = None,
    channel: str = "window",
    elements: dict[str, Any] | None = None,
    **item_children: Any,
) -> Case:
    """A case received at the window (status 已申报)."""
    item = item or make_item(department=county.department, elements=elements, **item_children)
    return services.case_create(
        item=item,
        applicant=applicant or make_applicant(),
        channel=channel,
        now=now or at("2026-06-01"),
        actor=actor or county.clerk,
    )


def receive_all(case: Case, county: County, now: dt.datetime | None = None) -> Case:
    """Tick every material as received."""
    services.case_materials_check(
        case=case,
        actor=county.clerk,
        checks={m.pk: ("received", "") for m in case.materials.all()},
        now=now or at("2026-06-01"),
    )
    return case


def accepted_case(county: County, *, day: str = "2026-06-01", **kwargs: Any) -> Case:
    case = make_case(county, now=at(day), **kwargs)
    receive_all(case, county, at(day))
    return services.case_accept(case=case, actor=county.clerk, now=at(day))
