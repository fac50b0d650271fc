"""Hall figures from the tables against hand-computed values: the board of one hall, the providers of the
metric registry for regions, departments, windows and staff, and 窗口现场审批率 through the case services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhengwu.cases import services as case_services
from zhengwu.cases.models import Case
from zhengwu.cases.tests.factories import at, make_applicant
from zhengwu.catalog.tests.factories import make_item
from zhengwu.domain.hall_figures import HALL_CODES
from zhengwu.domain.metrics import Period
from zhengwu.hall_figures import selectors
from zhengwu.hall_figures.tests.conftest import make_appointment, make_ticket, t
from zhengwu.metrics import selectors as metric_selectors
from zhengwu.metrics.selectors import Unit, department_unit, region_unit
from zhengwu.organization.tests.factories import HallFactory, WindowFactory

pytestmark = pytest.mark.django_db

D = Decimal
NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30), "2026-11")
NOW = t(12, 0)


def _board(place):
    return selectors.hall_board(hall=place.hall, period=NOVEMBER, now=NOW)


def test_the_board_headline_waits_and_service_times_equal_the_hand_computed_values(place, morning):
    totals = _board(place).totals
    # waits 750, 2100, 45 s → mean 965 s = 16.08 min, max 35 min; 2 of 3 within 20 minutes
    assert (totals.tickets, totals.wait.count) == (4, 3)
    assert (totals.wait.mean_minutes, totals.wait.max_minutes) == (D("16.08"), D("35.00"))
    assert totals.wait.within_target_rate == D("66.67")
    # service 720 and 560 s (the no-show has none) → 640 s = 10.67 min
    assert (totals.service.count, totals.service.mean_minutes) == (2, D("10.67"))


def test_the_board_breaks_waits_down_by_window_staff_and_item(place, morning):
    board = _board(place)
    first, second = board.windows
    assert (first.name, first.figures.tickets, first.figures.wait.mean_minutes) == ("1号窗口", 2, D("23.75"))
    assert (second.name, second.figures.wait.mean_minutes, second.figures.service.mean_minutes) == (
        "2号窗口",
        D("0.75"),
        D("9.33"),
    )
    assert [(r.name, r.figures.tickets) for r in board.staff] == [("李二", 1), ("王一", 2)]
    # the item: A 720 s and C 560 s of service
    [item] = board.items
    assert (item.figures.service.count, item.figures.service.mean_minutes) == (2, D("10.67"))


def test_windows_are_ranked_by_mean_wait_shortest_first(place, morning):
    ranked = selectors.ranking(_board(place).windows, "wait_mean")
    assert [(r.key.name, r.rank, r.value) for r in ranked] == [
        ("2号窗口", 1, D("0.75")),
        ("1号窗口", 2, D("23.75")),
    ]


def test_the_heat_map_counts_issues_by_local_weekday_and_hour(place, morning):
    make_ticket(place, t(14, 5, day=4))  # Wednesday 14:05
    heat = _board(place).heat
    assert heat.cells == {(0, 9): 4, (2, 14): 1}


def test_the_trend_gives_the_mean_wait_day_by_day(place, morning):
    make_ticket(place, t(10, 0, day=3), t(10, 10, day=3))
    trend = _board(place).trend
    assert [(label, f.wait.mean_minutes) for label, f in trend] == [
        ("11-02", D("16.08")),
        ("11-03", D("10.00")),
    ]


def test_tickets_of_another_hall_or_period_do_not_count(place, morning):
    other = HallFactory(department=place.county.department)
    make_ticket(place, t(9, 0), t(9, 50), hall=other)
    make_ticket(place, dt.datetime(2026, 10, 31, 23, 59, tzinfo=t(0, 0).tzinfo), t(9, 50))
    assert _board(place).totals.tickets == 4


def test_the_appointment_rates_count_due_not_cancelled_appointments(place):
    for status in ("checked_in", "served", "no_show", "booked"):
        make_appointment(place, t(9, 0), status)
    make_appointment(place, t(9, 0), "cancelled")
    make_appointment(place, t(15, 0), "booked")  # after NOW: not due
    tally = _board(place).appointments
    assert (tally.due, tally.kept, tally.no_show, tally.cancelled) == (4, 2, 1, 1)
    assert (tally.keeping_rate, tally.no_show_rate) == (D("50.00"), D("25.00"))


# -- the metric registry ----------------------------------------------------------------------------


def _units(place):
    return [
        region_unit(place.county.region),
        department_unit(place.county.department),
        Unit("window", place.windows[0].pk, "1号窗口"),
        Unit("staff", place.clerks[1].pk, "李二"),
    ]


def test_the_registry_gives_hall_figures_for_regions_departments_windows_and_staff(place, morning, settings):
    for status in ("checked_in", "no_show"):
        make_appointment(place, t(9, 0), status)
    region, department, window, clerk = _units(place)
    values = metric_selectors.unit_metrics([region, department, window, clerk], NOVEMBER, list(HALL_CODES))
    assert values[region.key]["hall_wait_mean"] == D("16.08")
    assert values[region.key]["hall_tickets"] == D(4)
    assert values[region.key]["hall_keeping_rate"] == D("50.00")
    # the department runs the hall; its item's tickets and the item-less ones count for it
    assert values[department.key]["hall_wait_max"] == D("35.00")
    assert values[department.key]["hall_no_show_rate"] == D("50.00")
    assert values[window.key]["hall_wait_mean"] == D("23.75")
    assert values[window.key]["hall_keeping_rate"] is None  # appointments are not kept by a window
    assert values[clerk.key]["hall_service_mean"] == D("9.33")
    assert values[clerk.key]["hall_wait_within_rate"] == D("100.00")


def test_hall_figures_through_the_metrics_api_for_windows(place, morning, api_client):
    api_client.force_authenticate(place.county.supervisor)
    response = api_client.get(
        "/api/v1/metrics/",
        {"period": "2026-11", "by": "window", "metrics": "hall_wait_mean,hall_wait_max,window_on_spot_rate"},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["metrics"][0]["group"] == "大厅" and body["metrics"][0]["unit"] == "分钟"
    rows = {row["id"]: row["values"] for row in body["units"]}
    assert rows[place.windows[0].pk] == {
        "hall_wait_mean": "23.75",
        "hall_wait_max": "35.00",
        "window_on_spot_rate": None,
    }


def test_a_provider_costs_one_query_per_kind_of_unit(place, morning, django_assert_max_num_queries):
    units = _units(place)
    with django_assert_max_num_queries(4):
        metric_selectors.unit_metrics(units, NOVEMBER, ["hall_wait_mean"])


def test_a_unit_without_tickets_has_no_wait_figure(place):
    values = metric_selectors.unit_metrics(_units(place), NOVEMBER, ["hall_wait_mean", "hall_tickets"])
    for unit_values in values.values():
        assert unit_values["hall_wait_mean"] is None
        assert unit_values["hall_tickets"] == D(0)


# -- 窗口现场审批率 -----------------------------------------------------------------------------------

IMMEDIATE = {"case_kind": "immediate", "promised_limit": 0, "promised_limit_unit": "immediate"}


def _window_case(place, item, *, window=True, channel="window", day="2026-11-02"):
    return case_services.case_create(
        item=item,
        applicant=make_applicant(),
        channel=channel,
        now=at(day, 9),
        actor=place.clerks[0],
        window=place.windows[0] if window else None,
    )


def _check(case, clerk, day="2026-11-02"):
    checks = {m.pk: ("received", "") for m in case.materials.all()}
    return case_services.case_materials_check(case=case, actor=clerk, checks=checks, now=at(day, 10))


@pytest.fixture
def window_cases(place):
    """Four cases received at window 1 on Monday 2 November and one online:
    1. 即办件 decided on the spot that day                       → on the spot
    2. 承诺件 accepted that day, granted on Wednesday             → received only
    3. refused at intake                                       → received only
    4. 承诺件 accepted and granted the same day by the approver   → on the spot
    5. received online and decided on the spot                 → neither (not a window receipt)"""
    county = place.county
    immediate = make_item(department=county.department, elements=IMMEDIATE)
    promised = make_item(department=county.department, elements={"promised_limit": 5})
    clerk, approver = place.clerks[0], county.approver

    first = _window_case(place, immediate)
    _check(first, clerk)
    case_services.case_decide_on_spot(
        case=Case.objects.get(pk=first.pk), actor=clerk, now=at("2026-11-02", 11)
    )

    second = _window_case(place, promised)
    _check(second, clerk)
    second = case_services.case_accept(
        case=Case.objects.get(pk=second.pk), actor=clerk, now=at("2026-11-02", 11)
    )
    while second.status == "in_review":
        second = case_services.case_step_pass(case=second, actor=approver, now=at("2026-11-04", 9))
    case_services.case_grant(case=Case.objects.get(pk=second.pk), actor=approver, now=at("2026-11-04", 11))

    third = _window_case(place, promised)
    case_services.case_refuse_intake(
        case=third, actor=clerk, now=at("2026-11-02", 10), reason="不属于本机关职权范围。"
    )

    fourth = _window_case(place, promised)
    _check(fourth, clerk)
    fourth = case_services.case_accept(
        case=Case.objects.get(pk=fourth.pk), actor=clerk, now=at("2026-11-02", 11)
    )
    while fourth.status == "in_review":
        fourth = case_services.case_step_pass(case=fourth, actor=approver, now=at("2026-11-02", 14))
    case_services.case_grant(case=Case.objects.get(pk=fourth.pk), actor=approver, now=at("2026-11-02", 15))

    fifth = _window_case(place, immediate, channel="online", window=False)
    _check(fifth, clerk)
    case_services.case_decide_on_spot(
        case=Case.objects.get(pk=fifth.pk), actor=clerk, now=at("2026-11-02", 11)
    )
    return place


def test_the_on_spot_rate_counts_window_receipts_decided_on_their_receipt_day(window_cases):
    place = window_cases
    window = Unit("window", place.windows[0].pk, "1号窗口")
    department = department_unit(place.county.department)
    values = metric_selectors.unit_metrics([window, department], NOVEMBER, ["window_on_spot_rate"])
    # 2 of 4 window receipts (the online case is not one)
    assert values[window.key]["window_on_spot_rate"] == D("50.00")
    assert values[department.key]["window_on_spot_rate"] == D("50.00")


def test_the_on_spot_rollups_equal_the_direct_computation(window_cases):
    place = window_cases
    for unit in (Unit("window", place.windows[0].pk, "1号窗口"), department_unit(place.county.department)):
        rolled = metric_selectors.unit_counts([unit], NOVEMBER)[unit.key]
        direct = metric_selectors.unit_counts_direct(unit, NOVEMBER)
        assert (rolled["window_received"], rolled["window_on_spot"]) == (4, 2)
        assert (direct["window_received"], direct["window_on_spot"]) == (4, 2)


def test_the_board_shows_the_on_spot_rate_of_the_hall_and_of_each_window(window_cases):
    board = _board(window_cases)
    assert (board.on_spot, board.on_spot_rate) == ((2, 4), D("50.00"))
    assert [w.on_spot for w in board.windows] == [D("50.00"), None]


def test_a_window_of_another_hall_does_not_count_for_this_hall(window_cases):
    place = window_cases
    elsewhere = WindowFactory(hall=HallFactory(department=place.county.department), number="1")
    case_services.case_create(
        item=make_item(department=place.county.department),
        applicant=make_applicant(),
        channel="window",
        now=at("2026-11-03", 9),
        actor=place.clerks[0],
        window=elsewhere,
    )
    assert _board(place).on_spot == (2, 4)
