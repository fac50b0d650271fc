"""Statistics against hand-computed values, and the data scope of the lists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhengwu.cases.tests.factories import at, make_citizen
from zhengwu.domain.metrics import Period
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import DepartmentFactory, UserFactory
from zhengwu.reviews import selectors, services
from zhengwu.reviews.tests.factories import granted_case, rate

pytestmark = pytest.mark.django_db

APRIL = Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30), "2026-04")
IDS = ["430903199001011238", "430903198805051230", "43090319750303123X", "430903200002020019"]


@pytest.fixture
def fixture_reviews(county):
    """Five cases granted on 04-01 (one left unrated). Grades 5, 3, 2, 1:
    - the 2 (real-name) is answered on 04-07 (on time), called back and closed;
    - the 1 is appealed and upheld → voided.
    Hand-computed: reviews 3 (voided left out), finished 5, good 2, bad 1; 主动评价率 3/5 = 60.00;
    好评率 2/3 = 66.67; 差评整改率 1/1 = 100.00; 回访率 1/1 = 100.00; 申诉成立率 1/1 = 100.00."""
    phones = ["13900000001", "13900000002", "13900000003", "13900000004"]
    citizens = [make_citizen(phone=p, name="评价人", id_number=i) for p, i in zip(phones, IDS, strict=True)]
    cases = [granted_case(county, citizen=c) for c in citizens]
    granted_case(county)  # finished, unrated
    head, supervisor = county.head, county.supervisor
    rate(cases[0], citizens[0], 5)
    rate(cases[1], citizens[1], 3)
    r = rate(cases[2], citizens[2], 2).rectification
    r = services.rectification_verify(rectification=r, actor=head, now=at("2026-04-02"))
    r = services.rectification_rectify(rectification=r, actor=head, now=at("2026-04-03"), measures="整改")
    r = services.rectification_feed_back(rectification=r, actor=head, now=at("2026-04-07"), answer="已整改")
    r = services.rectification_call_back(
        rectification=r, actor=head, now=at("2026-04-08"), result="satisfied"
    )
    services.rectification_close(rectification=r, actor=head, now=at("2026-04-08"))
    v = rate(cases[3], citizens[3], 1).rectification
    v = services.rectification_verify(rectification=v, actor=head, now=at("2026-04-02"))
    v = services.rectification_appeal(rectification=v, actor=head, now=at("2026-04-02"), reason="误评")
    services.rectification_decide_appeal(
        rectification=v, actor=supervisor, now=at("2026-04-03"), upheld=True, decision="误评属实"
    )
    return county


def test_department_figures_match_the_hand_computed_values(fixture_reviews):
    [fig] = selectors.review_stats(by="department", period=APRIL, as_of=dt.date(2026, 4, 30))
    assert (fig.reviews, fig.finished, fig.good, fig.bad) == (3, 5, 2, 1)
    assert fig.active_rate == Decimal("60.00")
    assert fig.good_rate == Decimal("66.67")
    assert fig.bad_rate == Decimal("33.33")
    assert fig.rectified_rate == Decimal("100.00")
    assert fig.on_time_rate == Decimal("100.00")
    assert fig.callback_rate == Decimal("100.00")
    assert fig.appeal_upheld_rate == Decimal("100.00")


def test_a_voided_review_is_left_out_of_every_count_and_rate(fixture_reviews):
    [fig] = selectors.review_stats(by="department", period=APRIL, as_of=dt.date(2026, 4, 30))
    assert fig.grades[1] == 0 and fig.grades[2] == 1


def test_region_figures_roll_up_the_subtree(fixture_reviews):
    [fig] = selectors.review_stats(
        by="region", period=APRIL, as_of=dt.date(2026, 4, 30), regions=[fixture_reviews.region]
    )
    assert (fig.reviews, fig.finished, fig.bad) == (3, 5, 1)


def test_a_rectification_not_yet_due_and_not_answered_is_not_in_the_rectified_rate(county, citizen):
    case = granted_case(county, citizen=citizen)
    rate(case, citizen, 1)
    [fig] = selectors.review_stats(by="department", period=APRIL, as_of=dt.date(2026, 4, 10))
    assert fig.bad_due == 0 and fig.rectified_rate is None
    [late] = selectors.review_stats(by="department", period=APRIL, as_of=dt.date(2026, 4, 24))
    assert late.bad_due == 1 and late.rectified_rate == Decimal("0.00")


def test_a_department_sees_only_its_own_rectifications(county, citizen):
    case = granted_case(county, citizen=citizen)
    rate(case, citizen, 1)
    other = DepartmentFactory(region=county.region, name="赫山区人社局")
    stranger = UserFactory(department=other, roles=[Role.DEPT_HEAD], scope=[other])
    assert selectors.rectification_list(user=county.head).count() == 1
    assert selectors.rectification_list(user=stranger).count() == 0
    assert selectors.review_list(user=stranger).count() == 0
    assert selectors.rectification_list(user=county.supervisor).count() == 1  # region scope
    assert selectors.rectification_list(user=citizen).count() == 0
