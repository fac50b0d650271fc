"""A clerk who accepts a case another clerk has just accepted gets 409 "该件已被他人受理" (SECURITY.md row 10).

The live multi-process race is `reliability/test_concurrent_accept.py`; these pin the two ways a loser
can arrive: holding a stale copy (read before the winner's commit) or a fresh one (read after it).
"""

from __future__ import annotations

import pytest

from zhengwu.cases import services
from zhengwu.cases.models import Case
from zhengwu.cases.tests.factories import at, make_case, make_county, receive_all
from zhengwu.common.errors import DomainError
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def race():
    county = make_county()
    case = receive_all(make_case(county), county)
    second = UserFactory(department=county.department, roles=[Role.WINDOW_CLERK], scope=[county.region])
    return county, case, second


def test_a_clerk_holding_the_case_read_before_the_other_accepted_gets_409_already_accepted(race):
    county, case, second = race
    stale = Case.objects.get(pk=case.pk)
    services.case_accept(case=case, actor=county.clerk, now=at("2026-06-01"))
    with pytest.raises(DomainError) as refused:
        services.case_accept(case=stale, actor=second, now=at("2026-06-01"))
    assert refused.value.status_code == 409
    assert (refused.value.code, refused.value.message) == ("conflict", "该件已被他人受理，请刷新页面后重试。")


def test_a_clerk_who_reads_the_case_after_the_other_accepted_it_also_gets_409(race):
    county, case, second = race
    services.case_accept(case=case, actor=county.clerk, now=at("2026-06-01"))
    fresh = Case.objects.get(pk=case.pk)
    with pytest.raises(DomainError) as refused:
        services.case_accept(case=fresh, actor=second, now=at("2026-06-01"))
    assert refused.value.status_code == 409
    assert "该件已被他人受理" in refused.value.message


def test_accepting_a_case_never_accepted_in_a_state_that_forbids_it_is_still_a_400_rule_error():
    county = make_county()
    case = make_case(county)
    services.case_withdraw(case=case, actor=county.clerk, now=at("2026-06-01"), reason="申请人书面撤回")
    with pytest.raises(DomainError) as refused:
        services.case_accept(case=Case.objects.get(pk=case.pk), actor=county.clerk, now=at("2026-06-01"))
    assert refused.value.code == "transition_not_allowed"
