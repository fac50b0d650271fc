"""At the decision a case records A (working days its statutory clock counted, pauses excluded) and L
(the legal limit), the inputs of 平均办理时长 and 实际提速率 (DOMAIN §5.2)."""

from __future__ import annotations

import pytest

from zhengwu.cases import services
from zhengwu.cases.models import Case
from zhengwu.cases.tests.factories import accepted_case, at, make_case, receive_all

pytestmark = pytest.mark.django_db


def decide(case, county, day):
    case = services.case_step_pass(case=Case.objects.get(pk=case.pk), actor=county.approver, now=at(day))
    return services.case_grant(case=case, actor=county.approver, now=at(day, 11))


def test_a_grant_records_the_working_days_the_statutory_clock_counted_and_the_legal_limit(county):
    case = accepted_case(county, day="2026-06-01")  # Monday
    case = decide(case, county, "2026-06-03")  # Wednesday: day zero is the acceptance
    stored = Case.objects.get(pk=case.pk)
    assert (stored.used_workdays, stored.legal_workdays) == (2, stored.item_version.legal_limit)


def test_paused_working_days_are_not_used(county):
    case = accepted_case(county, day="2026-06-01")
    case = services.case_pause(
        case=case,
        actor=county.approver,
        now=at("2026-06-02"),
        reason_code="inspection",
        reason="送检",
        expected_days=5,
    )
    case = services.case_resume(case=case, actor=county.approver, now=at("2026-06-05"))
    case = decide(case, county, "2026-06-08")
    # counted: 06-02 (the notice day) and 06-08; 06-03…06-05 are inside the pause (s, e]
    assert Case.objects.get(pk=case.pk).used_workdays == 2


def test_an_immediate_case_decided_on_the_spot_uses_no_time(county):
    immediate = {"case_kind": "immediate", "promised_limit": 0, "promised_limit_unit": "immediate"}
    case = receive_all(make_case(county, elements=immediate), county)
    services.case_decide_on_spot(case=case, actor=county.clerk, now=at("2026-06-01", 11))
    assert Case.objects.get(pk=case.pk).used_workdays == 0
