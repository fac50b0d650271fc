"""Function-level gates found by the access matrix (SECURITY.md row 8, 8.1.4.2 d): staff-only API lists
refuse citizens; the 考核员 works from aggregates and evidence, not from case records; the Django admin
is configuration only, with no business records for anybody."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhengwu.accounts.testing import login_verified
from zhengwu.audit.models import AuditEvent
from zhengwu.cases.models import Card
from zhengwu.cases.tests.factories import accepted_case, make_citizen, make_county
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common.tests.clients import KeyedAPIClient
from zhengwu.hotline.tests.factories import dispatched, make_hotline
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return make_county()


def _api(user) -> KeyedAPIClient:
    client = KeyedAPIClient()
    client.force_authenticate(user)
    return client


def _assessor(county, *roles, scope=None):
    return UserFactory(
        department=county.department, roles=[Role.ASSESSOR, *roles], scope=[scope or county.region]
    )


# -- staff API lists -------------------------------------------------------------------------------------


def test_a_citizen_account_gets_403_on_the_staff_item_list_and_detail(county):
    item = make_item(department=county.department)
    api = _api(make_citizen())
    for url in (
        reverse("api:staff_item_list"),
        reverse("api:staff_item_detail", args=[item.implementation_code]),
    ):
        response = api.get(url)
        assert response.status_code == 403, url
        assert response.json()["code"] == "permission_denied"
        assert item.implementation_code not in response.content.decode()
    assert _api(county.clerk).get(reverse("api:staff_item_list")).status_code == 200


# -- the assessor ----------------------------------------------------------------------------------------


def test_an_assessor_gets_403_on_the_case_screens_and_the_case_api(client, county):
    case = accepted_case(county)
    assessor = _assessor(county)
    login_verified(client, assessor)
    for url in (
        reverse("workbench:case_list"),
        reverse("workbench:case_detail", args=[case.number]),
        reverse("workbench:case_intake"),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert case.number not in response.content.decode()
    api = _api(assessor)
    for url in (
        reverse("api:case_list"),
        reverse("api:case_detail", args=[case.number]),
        reverse("api:case_timeline", args=[case.number]),
    ):
        response = api.get(url)
        assert response.status_code == 403, url
        assert case.number not in response.content.decode()


def test_an_assessors_refusal_is_audited_as_assessor_confinement(client, county):
    case = accepted_case(county)
    login_verified(client, _assessor(county))
    client.get(reverse("workbench:case_detail", args=[case.number]))
    event = AuditEvent.objects.filter(action="access.denied").latest("id")
    assert event.result == "denied"
    assert event.detail["view"] == "workbench:case_detail"
    assert event.detail["reason"] == "assessor_confinement"


def test_an_assessor_gets_403_on_tickets_bundles_appointments_and_reviews(client, county):
    hotline = make_hotline(code="430902000000", name="资阳区")
    ticket = dispatched(hotline)
    login_verified(client, _assessor(county, scope=hotline.region))
    for name in (
        "workbench:hotline_queue",
        "workbench:bundle_case_list",
        "workbench:appointment_list",
        "workbench:rectification_list",
    ):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("workbench:hotline_detail", args=[ticket.number])).status_code == 403
    api = _api(_assessor(county, scope=hotline.region))
    for name in ("api:ticket_list", "api:review_list", "api:appointment_list"):
        assert api.get(reverse(name)).status_code == 403, name


def test_an_assessor_keeps_the_assessment_statistics_card_and_catalogue_screens(client, county):
    login_verified(client, _assessor(county))
    for name in (
        "workbench:assessment_home",
        "workbench:assessment_schemes",
        "workbench:assessment_entries",
        "workbench:dashboard",
        "workbench:review_stats",
        "workbench:card_board",
        "workbench:budget_list",
        "workbench:item_list",
        "workbench:home",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    api = _api(_assessor(county))
    for name in (
        "api:assessment_scheme_list",
        "api:metric_definitions",
        "api:card_list",
        "api:staff_item_list",
    ):
        assert api.get(reverse(name)).status_code == 200, name


def test_an_assessor_who_is_also_a_supervisor_keeps_the_case_screens(client, county):
    case = accepted_case(county)
    login_verified(client, _assessor(county, Role.SUPERVISOR))
    response = client.get(reverse("workbench:case_detail", args=[case.number]))
    assert response.status_code == 200 and case.number in response.content.decode()


def test_the_card_board_shows_an_assessor_the_case_number_without_a_link(client, county):
    case = accepted_case(county)
    Card.objects.create(
        case=case,
        key="t:1",
        rule="R1",
        level="red",
        department=county.department,
        issued_on=dt.date(2026, 6, 2),
    )
    login_verified(client, _assessor(county))
    page = client.get(reverse("workbench:card_board")).content.decode()
    assert case.number in page and f'href="/workbench/cases/{case.number}/"' not in page
    client.logout()
    login_verified(client, county.supervisor)
    assert (
        f'href="/workbench/cases/{case.number}/"'
        in client.get(reverse("workbench:card_board")).content.decode()
    )


# -- the Django admin ------------------------------------------------------------------------------------


def test_a_department_head_cannot_list_12345_tickets_in_the_django_admin(client, county):
    hotline = make_hotline(code="430902000000", name="资阳区")
    ticket = dispatched(hotline)
    head = UserFactory(department=hotline.water, roles=[Role.DEPT_HEAD], scope=[hotline.region])
    assert head.is_staff  # the admin site is open to heads for the catalogue
    login_verified(client, head)
    for url in ("/admin/hotline/ticket/", f"/admin/hotline/ticket/{ticket.pk}/change/"):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert ticket.number not in response.content.decode()
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200 and "/admin/hotline/ticket/" not in index.content.decode()
    assert client.get(reverse("admin:catalog_serviceitem_changelist")).status_code == 200  # catalogue kept


def test_not_even_a_superuser_browses_business_records_in_the_django_admin(client, county):
    case = accepted_case(county)
    root = UserFactory(department=county.department, is_superuser=True, is_staff=True)
    login_verified(client, root)
    index = client.get(reverse("admin:index")).content.decode()
    for fragment in ("/admin/hotline/ticket/", "/admin/bundles/bundlecase/", "/admin/cases/"):
        assert fragment not in index
    response = client.get(reverse("admin:organization_applicant_changelist"))
    assert response.status_code == 403
    assert case.applicant.name not in response.content.decode()


def test_a_department_head_no_longer_browses_staff_accounts_in_the_django_admin(client, county):
    login_verified(client, county.head)
    assert client.get(reverse("admin:organization_user_changelist")).status_code == 403
    assert client.get(reverse("admin:organization_user_change", args=[county.clerk.pk])).status_code in (
        302,
        403,
    )
