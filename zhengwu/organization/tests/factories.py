"""Factories for regions, departments, halls, staff and applicants."""

from __future__ import annotations

import factory

from zhengwu.organization import services
from zhengwu.organization.choices import DepartmentKind, RegionLevel, WindowType
from zhengwu.organization.models import Department, Region, ServiceHall, User, Window


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"43{n:04d}000000")
    name = factory.Sequence(lambda n: f"测试区划{n}")
    level = RegionLevel.COUNTY
    parent = None


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"测试局{n}")
    kind = DepartmentKind.DEPARTMENT
    phone = "0737-1234567"
    complaint_phone = "12345"


class HallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceHall

    department = factory.SubFactory(DepartmentFactory, kind=DepartmentKind.APPROVAL_BUREAU)
    name = factory.Sequence(lambda n: f"政务服务大厅{n}")
    address = "测试路1号"
    opening_hours = "周一至周五 8:30-12:00, 14:30-17:30"


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window

    hall = factory.SubFactory(HallFactory)
    number = factory.Sequence(lambda n: f"{n + 1}")
    name = "综合受理"
    window_type = WindowType.COMPREHENSIVE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"工作人员{n}")
    department = factory.SubFactory(DepartmentFactory)
    password = factory.PostGenerationMethodCall("set_password", "Zw!test-pass-2026")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            services.user_set_roles(user=self, roles=list(extracted))

    @factory.post_generation
    def scope(self, create, extracted, **kwargs):
        """scope=[region_or_department, ...]"""
        if create and extracted:
            services.user_set_scope(
                user=self,
                regions=[x for x in extracted if isinstance(x, Region)],
                departments=[x for x in extracted if isinstance(x, Department)],
            )
        self.save()
