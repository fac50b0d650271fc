"""Test row 9: mass assignment. Generated request bodies (the endpoint's own fields plus any subset of
`status`, `department`, `assignee`, `deadline`, `created_by`, `is_staff`, `version` and the due dates,
with arbitrary JSON values) are sent to the create and update endpoints: each answer is a 400 or a
success, never a 5xx, and the protected columns of the rows involved never take a smuggled value.

167 bodies per endpoint, 501 in all (the row asks for 500), through the API of cases (create and an
action) and 12345 tickets (create). Ticket bodies are compared with a plain body's ticket.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhengwu.cases.models import Case
from zhengwu.cases.tests.factories import accepted_case, at, make_citizen, make_county
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock
from zhengwu.common.tests.clients import KeyedAPIClient
from zhengwu.hotline.models import Ticket
from zhengwu.hotline.tests.factories import make_hotline
from zhengwu.organization.models import User

pytestmark = pytest.mark.django_db

EXAMPLES = 167
SMUGGLED = (
    "status",
    "department",
    "assignee",
    "deadline",
    "created_by",
    "is_staff",
    "version",
    "promised_due",
    "statutory_due",
    "applicant_account",
)
_HYPOTHESIS = {
    "max_examples": EXAMPLES,
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.sampled_from(["granted", "archived", "closed", "2030-01-01", "admin", "1"]),
    st.text(max_size=12),
    st.lists(st.integers(0, 9), max_size=3),
)
_extras = st.dictionaries(st.sampled_from(SMUGGLED), _values, min_size=1)


@pytest.fixture(autouse=True)
def _generous_limits(settings):
    settings.ZHENGWU_SUBMIT_RATE_ACCOUNT = "100000/min"  # rate limits are row 24, not under test here
    settings.ZHENGWU_SUBMIT_RATE_IP = "100000/min"


def _api(user) -> KeyedAPIClient:
    api = KeyedAPIClient()
    api.force_authenticate(user)
    return api


def _assert_answer(response) -> None:
    assert response.status_code < 500
    assert response.status_code in (200, 201, 400), response.content[:300]


def test_a_case_create_ignores_or_refuses_smuggled_columns():
    with clock.frozen(at("2026-06-01")):
        county = make_county()
        item = make_item(department=county.department)
        citizen = make_citizen()
    api = _api(citizen)

    @given(extra=_extras, draft=st.booleans())
    @settings(**_HYPOTHESIS)
    def run(extra, draft):
        before = set(Case.objects.values_list("pk", flat=True))
        with clock.frozen(at("2026-06-01")):
            response = api.post(
                "/api/v1/cases/", {"item": item.implementation_code, "draft": draft, **extra}, format="json"
            )
        _assert_answer(response)
        created = Case.objects.exclude(pk__in=before)
        if response.status_code == 400:
            assert not created.exists()
            return
        case = created.get()
        assert case.status == ("draft" if draft else "submitted")
        assert case.department_id == item.department_id
        assert case.applicant_account_id == citizen.pk
        assert case.assignee_id is None
        assert not User.objects.get(pk=citizen.pk).is_staff

    run()


@pytest.fixture
def accepted():
    with clock.frozen(at("2026-06-01")):
        county = make_county()
        case = accepted_case(county)
    return county, case


COLUMNS = (
    "status",
    "version",
    "department_id",
    "assignee_id",
    "promised_due",
    "statutory_due",
    "applicant_id",
)


def test_a_case_action_refuses_smuggled_columns_and_leaves_the_row_unchanged(accepted):
    county, case = accepted
    api = _api(county.approver)

    @given(extra=_extras)
    @settings(**_HYPOTHESIS)
    def run(extra):
        before = Case.objects.values(*COLUMNS).get(pk=case.pk)
        with clock.frozen(at("2026-06-02")):
            response = api.post(f"/api/v1/cases/{case.number}/actions/step_claim/", {**extra}, format="json")
        assert response.status_code == 400, response.content[:300]
        assert set(extra) <= set(response.json()["fields"])
        assert Case.objects.values(*COLUMNS).get(pk=case.pk) == before

    run()


def test_a_12345_ticket_create_never_takes_a_smuggled_status_or_department():
    hotline = make_hotline()
    api = _api(hotline.agent)
    body = {
        "channel": "phone",
        "category": "complaint",
        "region": hotline.region.code,
        "title": "小区停水",
        "content": "幸福小区停水。",
    }

    with clock.frozen(at("2026-09-30")):
        plain = Ticket.objects.get(number=api.post("/api/v1/tickets/", body, format="json").json()["number"])

    @given(extra=_extras)
    @settings(**_HYPOTHESIS)
    def run(extra):
        before = set(Ticket.objects.values_list("pk", flat=True))
        with clock.frozen(at("2026-09-30")):
            response = api.post("/api/v1/tickets/", {**body, **extra}, format="json")
        _assert_answer(response)
        created = Ticket.objects.exclude(pk__in=before)
        if response.status_code == 400:
            assert not created.exists()
            return
        ticket = created.get()
        assert (ticket.status, ticket.department_id, ticket.agent_id) == (
            plain.status,
            plain.department_id,
            plain.agent_id,
        )
        assert not User.objects.get(pk=hotline.agent.pk).is_staff

    run()
