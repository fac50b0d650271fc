"""Provided metrics (好差评, 12345): registered with their providers, equal to hand-computed values through
`unit_metrics` and the API, equal to the modules' own statistics, and one query per provider whatever
the number of units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhengwu.common import clock
from zhengwu.domain import metrics as dm
from zhengwu.domain.hall_figures import HALL_CODES
from zhengwu.domain.metrics import Period
from zhengwu.hotline import selectors as hotline_selectors
from zhengwu.hotline import services as hs
from zhengwu.hotline.metrics import KPI_CODES
from zhengwu.hotline.tests.factories import at, make_hotline, make_ticket
from zhengwu.metrics import providers, selectors
from zhengwu.metrics.selectors import Unit, department_unit, region_unit
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import DepartmentFactory, UserFactory
from zhengwu.reviews import selectors as review_selectors
from zhengwu.reviews.tests.test_selectors import APRIL, fixture_reviews  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

REVIEW_CODES = [m.code for m in dm.REVIEW_METRICS]
HOTLINE_CODES = [m.code for m in dm.HOTLINE_METRICS]
OCTOBER = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31), "2026-10")
D = Decimal


def test_every_provided_metric_has_a_provider_and_every_provider_a_provided_metric():
    provided = {m.code for m in dm.METRICS.values() if m.provided}
    assert provided == set(providers.PROVIDERS) == set(REVIEW_CODES) | set(HOTLINE_CODES) | set(HALL_CODES)
    for code in provided:
        metric = dm.METRICS[code]
        assert metric.group in ("好差评", "12345", "大厅") and metric.name and metric.doc and metric.unit


def test_a_counter_metric_or_a_second_definition_under_a_taken_code_is_refused():
    with pytest.raises(ValueError, match="counters"):
        providers.register_provider(dm.METRICS["received"], lambda units, period: {})
    clash = dm.provided_metric("hotline_tickets", "另一个工单量", group="12345", doc="冲突")
    with pytest.raises(ValueError, match="already registered"):
        providers.register_provider(clash, lambda units, period: {})


# -- 好差评 --------------------------------------------------------------------------------------------

# fixture_reviews (zhengwu/reviews/tests/test_selectors.py): 5 cases granted on 2026-04-01, reviews 5, 3,
# 2 (real-name: answered on time, called back, closed) and 1 (voided by an upheld appeal).
REVIEWS_APRIL = {
    "reviews_count": D(3),
    "reviews_active_rate": D("60.00"),  # 3 reviews / 5 finished
    "reviews_good_rate": D("66.67"),  # 5 and 3 of 3
    "reviews_bad": D(1),
    "reviews_rectified_rate": D("100.00"),  # 1 answered on time / 1 due
    "reviews_callback_rate": D("100.00"),  # 1 called back / 1 real-name closed
}


@pytest.fixture
def may():
    with clock.frozen(at("2026-05-10 09:00")):
        yield


def test_review_metrics_equal_hand_computed_values_through_unit_metrics(fixture_reviews, may):  # noqa: F811 (the imported fixture)
    county = fixture_reviews
    idle = DepartmentFactory(region=county.region, name="赫山区统计局")
    units = [region_unit(county.region), department_unit(county.department), department_unit(idle)]
    window = Unit("window", 1, "1号窗口")
    values = selectors.unit_metrics([*units, window], APRIL, REVIEW_CODES)
    assert values[units[0].key] == REVIEWS_APRIL
    assert values[units[1].key] == REVIEWS_APRIL
    assert values[units[2].key] == {
        "reviews_count": D(0),
        "reviews_active_rate": None,
        "reviews_good_rate": None,
        "reviews_bad": D(0),
        "reviews_rectified_rate": None,
        "reviews_callback_rate": None,
    }
    assert values[window.key] == dict.fromkeys(REVIEW_CODES)


def test_review_metrics_equal_the_review_statistics(fixture_reviews, may):  # noqa: F811 (the imported fixture)
    county = fixture_reviews
    [fig] = review_selectors.review_stats(by="department", period=APRIL, as_of=APRIL.end)
    values = selectors.unit_metrics([department_unit(county.department)], APRIL, REVIEW_CODES)
    unit = values[f"department:{county.department.pk}"]
    assert unit["reviews_good_rate"] == fig.good_rate and unit["reviews_active_rate"] == fig.active_rate
    assert unit["reviews_rectified_rate"] == fig.rectified_rate and unit["reviews_bad"] == fig.bad


def test_review_metrics_through_the_api(api_client, fixture_reviews, may):  # noqa: F811 (the imported fixture)
    api_client.force_authenticate(fixture_reviews.supervisor)
    response = api_client.get(
        "/api/v1/metrics/",
        {"period": "2026-04", "by": "department", "metrics": "reviews_good_rate,reviews_bad,finished"},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [m["code"] for m in body["metrics"]] == ["reviews_good_rate", "reviews_bad", "finished"]
    assert body["metrics"][0]["group"] == "好差评"
    [row] = [row for row in body["units"] if row["id"] == fixture_reviews.department.pk]
    assert row["values"] == {"reviews_good_rate": "66.67", "reviews_bad": "1", "finished": "5"}


# -- 12345 ---------------------------------------------------------------------------------------------


@pytest.fixture
def calls(db):
    """赫山区 in October 2026:
    A to 水务局: signed, replied and closed on time, called back 满意/已解决;
    B to 水务局: returned, re-dispatched to 市场监管局, not yet signed nor replied (finish due in October);
    C answered directly by the agent; D received only;
    F to 市场监管局: signed, replied and closed on time, called back 不满意/未解决."""
    h = make_hotline()

    def loop(ticket, staff, day, satisfaction, resolved):
        ticket = hs.ticket_sign(ticket=ticket, actor=staff, now=at(f"{day} 10:00"))
        ticket = hs.ticket_reply(ticket=ticket, actor=staff, now=at(f"{day} 11:00"), reply="已处理")
        ticket = hs.ticket_close(ticket=ticket, actor=h.agent, now=at(f"{day} 12:00"))
        hs.ticket_call_back(
            ticket=ticket, actor=h.agent, now=at(f"{day} 13:00"), satisfaction=satisfaction, resolved=resolved
        )

    def sent(department, day):
        ticket = make_ticket(h, now=f"{day} 08:00")
        return hs.ticket_dispatch(ticket=ticket, actor=h.agent, now=at(f"{day} 09:00"), department=department)

    loop(sent(h.water, "2026-10-08"), h.water_staff, "2026-10-08", "satisfied", True)
    b = sent(h.water, "2026-10-08")
    b = hs.ticket_return(ticket=b, actor=h.water_staff, now=at("2026-10-08 10:00"), reason="incomplete")
    hs.ticket_accept_return(ticket=b, actor=h.agent, now=at("2026-10-08 11:00"), department=h.market)
    hs.ticket_answer_directly(
        ticket=make_ticket(h, now="2026-10-09 08:00", category="consult"),
        actor=h.agent,
        now=at("2026-10-09 08:05"),
        reply="到大厅办理。",
    )
    make_ticket(h, now="2026-10-09 09:00")
    loop(sent(h.market, "2026-10-09"), h.market_staff, "2026-10-09", "unsatisfied", False)
    return h


HOTLINE_OCTOBER = {
    "region": {
        "hotline_tickets": D(5),  # A B C D F
        "hotline_direct_rate": D("20.00"),  # C / 5
        "hotline_sign_ontime_rate": D("66.67"),  # A F / A B F
        "hotline_ontime_rate": D("66.67"),  # A F / A B F due in October
        "hotline_return_rate": D("33.33"),  # B / A B F
        "hotline_redo_rate": D("0.00"),  # none of A F
        "hotline_callback_rate": D("100.00"),  # A F / A F
        "hotline_satisfaction_rate": D("50.00"),  # A / A F
        "hotline_resolution_rate": D("50.00"),  # A / A F
    },
    "water": {
        "hotline_tickets": D(1),  # A (B went to 市场监管局)
        "hotline_direct_rate": D("0.00"),
        "hotline_sign_ontime_rate": D("100.00"),
        "hotline_ontime_rate": D("100.00"),
        "hotline_return_rate": D("0.00"),
        "hotline_redo_rate": D("0.00"),
        "hotline_callback_rate": D("100.00"),
        "hotline_satisfaction_rate": D("100.00"),
        "hotline_resolution_rate": D("100.00"),
    },
    "market": {
        "hotline_tickets": D(2),  # B F
        "hotline_direct_rate": D("0.00"),
        "hotline_sign_ontime_rate": D("50.00"),  # F / B F
        "hotline_ontime_rate": D("50.00"),  # F / B F
        "hotline_return_rate": D("50.00"),  # B / B F
        "hotline_redo_rate": D("0.00"),
        "hotline_callback_rate": D("100.00"),  # F / F
        "hotline_satisfaction_rate": D("0.00"),  # F 不满意
        "hotline_resolution_rate": D("0.00"),
    },
}


def _hotline_units(h):
    return {
        "region": region_unit(h.region),
        "water": department_unit(h.water),
        "market": department_unit(h.market),
    }


def test_hotline_metrics_equal_hand_computed_values_through_unit_metrics(calls):
    units = _hotline_units(calls)
    staff = Unit("staff", calls.agent.pk, "坐席小王")
    values = selectors.unit_metrics([*units.values(), staff], OCTOBER, HOTLINE_CODES)
    for name, unit in units.items():
        assert values[unit.key] == HOTLINE_OCTOBER[name], name
    assert values[staff.key] == dict.fromkeys(HOTLINE_CODES)


def test_hotline_metrics_equal_the_ticket_kpis_of_each_unit(calls):
    units = _hotline_units(calls)
    values = selectors.unit_metrics(list(units.values()), OCTOBER, HOTLINE_CODES)
    for name, unit in units.items():
        kpis = hotline_selectors.ticket_kpis(
            start=OCTOBER.start,
            end=OCTOBER.end,
            region=calls.region if name == "region" else None,
            department=None if name == "region" else getattr(calls, name),
        )
        assert values[unit.key]["hotline_tickets"] == kpis.received
        for code, kpi in KPI_CODES.items():
            assert values[unit.key][code] == kpis.rate(kpi), (name, code)


def test_hotline_metrics_through_the_api(api_client, calls):
    supervisor = UserFactory(roles=[Role.SUPERVISOR], scope=[calls.region], department=calls.centre)
    api_client.force_authenticate(supervisor)
    response = api_client.get(
        "/api/v1/metrics/",
        {"period": "2026-10", "metrics": "hotline_tickets,hotline_ontime_rate,hotline_satisfaction_rate"},
    )
    assert response.status_code == 200, response.json()
    assert {row["unit"]: row["values"] for row in response.json()["units"]} == {
        "赫山区": {
            "hotline_tickets": "5",
            "hotline_ontime_rate": "66.67",
            "hotline_satisfaction_rate": "50.00",
        }
    }


def test_a_provider_costs_one_query_whatever_the_number_of_units(calls, django_assert_max_num_queries):
    one = [region_unit(calls.region)]
    many = [*one, *(department_unit(d) for d in (calls.water, calls.market, calls.centre))]
    codes = [*REVIEW_CODES, *HOTLINE_CODES]
    # one grouped query per provider, plus the rollup reads behind 主动评价率's finished cases (region
    # paths, the monthly rows of each unit kind, the catalogue snapshot): at most 4, for any number of units
    with django_assert_max_num_queries(len(codes) + 4):
        selectors.unit_metrics(one, OCTOBER, codes)
    with django_assert_max_num_queries(len(codes) + 4):
        selectors.unit_metrics(many, OCTOBER, codes)


def test_a_provided_metric_has_a_month_by_month_trend(calls):
    trend = selectors.trend(
        region_unit(calls.region), Period(dt.date(2026, 9, 1), OCTOBER.end, "x"), "hotline_tickets"
    )
    assert trend == [(dt.date(2026, 9, 1), D(0)), (dt.date(2026, 10, 1), D(5))]
