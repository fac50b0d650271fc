"""Fixtures of the assessment tests: 益阳市 with two counties (赫山区, 资阳区), their staff, assessors,
cases and cards made by hand."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from zhengwu.assessment import services
from zhengwu.cases.models import Card
from zhengwu.cases.signals import card_changed
from zhengwu.cases.tests.factories import at, make_case, make_county
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock
from zhengwu.common.tests.test_uploads import make_pdf
from zhengwu.organization.choices import RegionLevel, Role
from zhengwu.organization.tests.factories import RegionFactory, UserFactory

_keys = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen():
    with clock.frozen(at("2026-12-20")):
        yield


@pytest.fixture
def city(db):
    return RegionFactory(code="430900000000", name="益阳市", level=RegionLevel.CITY)


@pytest.fixture
def heshan(city):
    RegionFactory(code="430903000000", name="赫山区", parent=city)
    county = make_county("430903000000", "赫山区")
    county.assessor = UserFactory(
        username="heshan_assessor", department=county.department, roles=[Role.ASSESSOR], scope=[county.region]
    )
    return county


@pytest.fixture
def ziyang(city):
    RegionFactory(code="430902000000", name="资阳区", parent=city)
    return make_county("430902000000", "资阳区")


@pytest.fixture
def assessors(city, heshan, ziyang):
    """Two city assessors and a city supervisor: enough people for the two-person rule."""
    return SimpleNamespace(
        first=UserFactory(username="city_assessor", roles=[Role.ASSESSOR], scope=[city]),
        second=UserFactory(username="city_assessor2", roles=[Role.ASSESSOR], scope=[city]),
        supervisor=UserFactory(username="city_supervisor", roles=[Role.SUPERVISOR], scope=[city]),
    )


def card(county, *, rule: str, level: str, day: str, voided: bool = False, case=None) -> Card:
    """A card issued by hand on `day` for a new case of the county (or the given case), announced like
    the sweep announces its cards so the metric rollups count it (a voided one is not counted)."""
    case = case or make_case(county, item=make_item(department=county.department), now=at("2026-03-02"))
    issued = Card.objects.create(
        case=case,
        key=f"test:{next(_keys)}:{rule}",
        rule=rule,
        level=level,
        department=county.department,
        issued_on=dt.date.fromisoformat(day),
        voided=voided,
    )
    if not voided:
        card_changed.send(sender=Card, card=issued, delta=1)
    return issued


def evidence(name: str = "通报.pdf") -> list[services.Upload]:
    return [services.Upload(name, make_pdf())]


def approved_entry(
    assessors, county, *, item_code: str, kind: str = "deduction", period: str = "2026", **kwargs
):
    """A manual entry entered by the first assessor and approved by the second."""
    services.schemes_ensure_shipped()
    entry = services.manual_entry_create(
        scheme_code=kwargs.pop("scheme_code", "yiyang-2020"),
        period=period,
        unit_kind="region",
        unit_id=county.region.pk,
        item_code=item_code,
        kind=kind,
        reason=kwargs.pop("reason", "督查发现问题"),
        files=kwargs.pop("files", evidence()),
        actor=assessors.first,
        **kwargs,
    )
    return services.manual_entry_approve(entry=entry, actor=assessors.second, now=clock.now())
