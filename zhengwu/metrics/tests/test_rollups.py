"""The daily rollups kept by the recorder equal the figures computed straight from the source tables,
and a rebuild produces exactly the rows the recorder wrote — on random case histories."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from zhengwu.cases import services
from zhengwu.cases.models import Card, Case
from zhengwu.cases.tests.factories import at, make_applicant, make_county
from zhengwu.catalog.tests.factories import make_item
from zhengwu.domain.metrics import Period
from zhengwu.metrics import selectors
from zhengwu.metrics.models import DailyCount, MonthlyCount
from zhengwu.metrics.services import metrics_rebuild
from zhengwu.organization.models import Region
from zhengwu.organization.tests.factories import HallFactory, WindowFactory

pytestmark = pytest.mark.django_db

IMMEDIATE = {"case_kind": "immediate", "promised_limit": 0, "promised_limit_unit": "immediate"}
JUNE = [dt.date(2026, 6, d) for d in range(1, 31) if dt.date(2026, 6, d).weekday() < 5 and d != 19]


def _history(rng: random.Random, counties, n: int) -> None:
    """n cases with random fates: refused, supplemented, granted, denied, decided on the spot; some
    received at a window, some online; some late enough for cards, one card voided."""
    for county in counties:
        hall = HallFactory(department=county.department)
        county.window = WindowFactory(hall=hall)
        county.items = [
            make_item(department=county.department, elements={"promised_limit": 5}),
            make_item(department=county.department, elements=IMMEDIATE),
        ]
    for _ in range(n):
        county = rng.choice(counties)
        immediate = rng.random() < 0.25
        item = county.items[1 if immediate else 0]
        start = rng.randrange(0, len(JUNE) - 8)
        days = JUNE[start:]
        case = services.case_create(
            item=item,
            applicant=make_applicant(),
            channel="window",
            now=at(days[0].isoformat(), 9),
            actor=county.clerk,
            window=county.window if rng.random() < 0.7 else None,
        )
        fate = rng.choice(["open", "refuse", "supplement", "grant", "grant", "deny", "late"])
        checks = {m.pk: ("received", "") for m in case.materials.all()}
        if fate == "refuse":
            services.case_refuse_intake(
                case=case,
                actor=county.clerk,
                now=at(days[1].isoformat()),
                reason="不属于本机关职权范围。",
            )
            continue
        if fate == "supplement":
            case = services.case_request_supplement(
                case=case,
                actor=county.clerk,
                now=at(days[0].isoformat(), 11),
                items={m.pk: "请补充" for m in case.materials.all()[:1]},
            )
            continue
        services.case_materials_check(
            case=case, actor=county.clerk, checks=checks, now=at(days[0].isoformat(), 10)
        )
        if immediate:
            services.case_decide_on_spot(
                case=Case.objects.get(pk=case.pk), actor=county.clerk, now=at(days[0].isoformat(), 11)
            )
            continue
        case = services.case_accept(
            case=Case.objects.get(pk=case.pk), actor=county.clerk, now=at(days[1].isoformat())
        )
        if fate == "open":
            continue
        decide_day = days[7] if fate == "late" else days[rng.randrange(2, 4)]
        case = services.case_step_pass(case=case, actor=county.approver, now=at(decide_day.isoformat(), 9))
        while case.status == "in_review":
            case = services.case_step_pass(
                case=case, actor=county.approver, now=at(decide_day.isoformat(), 9)
            )
        if fate == "late":
            services.cases_sweep(now=at(decide_day.isoformat(), 8))
        if fate == "deny":
            services.case_deny(
                case=case,
                actor=county.approver,
                now=at(decide_day.isoformat(), 11),
                reason="不符合条件。可依法申请行政复议。",
            )
        else:
            services.case_grant(
                case=Case.objects.get(pk=case.pk),
                actor=county.approver,
                now=at(decide_day.isoformat(), 11),
            )
    services.cases_sweep(now=at("2026-06-30", 1))
    card = Card.objects.filter(level__in=["yellow", "red"]).first()
    if card is not None:
        supervisor = next(c.supervisor for c in counties if c.department.pk == card.department_id)
        services.card_void(card=card, actor=supervisor, reason="申诉成立", today=dt.date(2026, 6, 30))


@pytest.fixture
def history():
    city = Region.objects.create(code="430900000000", name="益阳市", level=2)
    counties = [make_county("430903000000", "赫山区"), make_county("430921000000", "南县")]
    for county in counties:
        county.region.parent = city
        county.region.level = 3
        county.region.save()
    _history(random.Random(7), counties, 40)
    return city, counties


def _units(city, counties):
    units = [selectors.region_unit(Region.objects.get(pk=city.pk))]
    for county in counties:
        units.append(selectors.region_unit(Region.objects.get(pk=county.region.pk)))
        units.append(selectors.department_unit(county.department))
        units.append(selectors.Unit("window", county.window.pk, "窗口"))
        for person in (county.clerk, county.approver):
            units.append(selectors.Unit("staff", person.pk, person.username))
    return units


PERIODS = [
    Period(dt.date(2026, 6, 1), dt.date(2026, 6, 30), "2026-06"),
    Period(dt.date(2026, 4, 1), dt.date(2026, 6, 30), "2026-Q2"),  # whole months only
    Period(dt.date(2026, 5, 20), dt.date(2026, 7, 3), "edges"),  # a whole month and two edges
    Period(dt.date(2026, 6, 8), dt.date(2026, 6, 12), "week"),
    Period(dt.date(2026, 6, 3), dt.date(2026, 6, 3), "day"),
]


def _without_zeros(counts):
    return {k: v for k, v in counts.items() if v}


def test_the_recorded_rollups_equal_the_direct_computation_for_every_unit_and_period(history):
    city, counties = history
    assert Case.objects.filter(decided_on__isnull=False).count() > 5
    assert (
        DailyCount.objects.filter(counter="cards_yellow").exists()
        or DailyCount.objects.filter(counter="cards_red").exists()
    )
    units = _units(city, counties)
    for period in PERIODS:
        rolled = selectors.unit_counts(units, period)
        for unit in units:
            assert _without_zeros(rolled[unit.key]) == selectors.unit_counts_direct(unit, period), (
                unit,
                period,
            )


def test_a_rebuild_writes_exactly_the_rows_the_recorder_kept(history):
    def rows():
        return sorted(
            DailyCount.objects.filter(value__gt=0).values_list(
                "grain", "object_id", "region_id", "day", "counter", "value"
            )
        )

    def months():
        return sorted(
            MonthlyCount.objects.filter(value__gt=0).values_list(
                "grain", "object_id", "region_id", "month", "counter", "value"
            )
        )

    recorded, recorded_months = rows(), months()
    assert recorded and recorded_months
    metrics_rebuild()
    assert rows() == recorded
    assert months() == recorded_months


def test_the_history_exercises_every_case_counter(history):
    counted = set(DailyCount.objects.filter(value__gt=0).values_list("counter", flat=True))
    assert {
        "received",
        "accepted",
        "refused_intake",
        "supplement_requested",
        "finished",
        "finished_on_time",
        "finished_immediate",
        "used_days",
        "legal_days",
        "cards_yellow",
    } <= counted
