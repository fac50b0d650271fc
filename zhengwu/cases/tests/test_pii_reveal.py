"""Masked by default, full only through the audited "查看完整信息" (DOMAIN.md §11, SECURITY.md row 19)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from zhengwu.audit.models import AuditEvent
from zhengwu.cases import pii
from zhengwu.cases.tests.factories import PERSON_ID, make_case, make_county
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
MASKED_ID = "1101**********002X"
MASKED_PHONE = "138****5678"


@pytest.fixture
def county():
    return make_county()


@pytest.fixture
def case(county):
    return make_case(county)


def _page(client, user, case):
    client.force_login(user)
    return client.get(reverse("workbench:case_detail", args=[case.number])).content.decode()


def _reveal(client, user, case, **data):
    client.force_login(user)
    return client.post(reverse("workbench:case_pii_reveal", args=[case.number]), data, HTTP_HX_REQUEST="true")


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _reveals():
    return list(AuditEvent.objects.filter(action="pii.reveal").order_by("id"))


def test_case_page_shows_the_id_and_phone_masked_and_offers_the_reveal_to_the_clerk(client, county, case):
    page = _page(client, county.clerk, case)
    assert MASKED_ID in page and MASKED_PHONE in page
    assert PERSON_ID not in page and PHONE not in page
    assert "查看完整信息" in page and reverse("workbench:case_pii_reveal", args=[case.number]) in page


def test_clerk_reveals_the_full_id_number_with_a_reason_and_the_reveal_is_audited(client, county, case):
    response = _reveal(
        client, county.clerk, case, field="applicant_id_number", reason="电话联系申请人补正材料"
    )
    assert response.status_code == 200
    assert PERSON_ID in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    [event] = _reveals()
    assert (event.actor_id, event.result, event.object_type, event.object_id) == (
        county.clerk.pk,
        "success",
        "cases.Case",
        str(case.pk),
    )
    assert event.detail["field"] == "applicant_id_number"
    assert event.detail["reason"] == "电话联系申请人补正材料"
    assert PERSON_ID not in json.dumps(event.detail, ensure_ascii=False)


def test_reveal_without_a_reason_is_refused_and_reveals_nothing(client, county, case):
    response = _reveal(client, county.clerk, case, field="contact_phone", reason="  ")
    assert response.status_code == 400
    assert "请填写查看理由" in response.content.decode() and PHONE not in response.content.decode()
    assert _reveals() == []


def test_reveal_of_an_unknown_field_is_refused(client, county, case):
    response = _reveal(client, county.clerk, case, field="password", reason="核对")
    assert response.status_code == 400 and "请选择要查看的信息" in response.content.decode()


def test_supervisor_sees_the_case_masked_without_the_reveal_and_a_reveal_attempt_is_denied_and_audited(
    client, county, case
):
    page = _page(client, county.supervisor, case)
    assert MASKED_ID in page and "查看完整信息" not in page
    response = _reveal(client, county.supervisor, case, field="applicant_id_number", reason="查看")
    assert response.status_code == 403 and PERSON_ID not in response.content.decode()
    [event] = _reveals()
    assert (event.actor_id, event.result, event.detail["field"]) == (
        county.supervisor.pk,
        "denied",
        "applicant_id_number",
    )


def test_a_clerk_of_another_county_gets_404_for_the_reveal(client, case):
    other = make_county(code="430921000000", name="南县")
    response = _reveal(client, other.clerk, case, field="applicant_id_number", reason="查看")
    assert response.status_code == 404 and PERSON_ID not in response.content.decode()
    [event] = _reveals()
    assert (event.actor_id, event.result, event.object_id) == (other.clerk.pk, "denied", case.number)


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.ASSESSOR])
def test_administrators_and_assessors_never_hold_view_full_pii(county, case, role):
    user = UserFactory(department=county.department, roles=[role], scope=[county.region])
    assert not pii.can_view_full_pii(user, case)


@pytest.mark.parametrize("attr", ["clerk", "approver", "head"])
def test_window_clerks_approvers_and_heads_in_scope_hold_view_full_pii(county, case, attr):
    assert pii.can_view_full_pii(getattr(county, attr), case)


def test_api_case_detail_answers_the_id_and_phones_masked(county, case):
    body = json.dumps(_api(county.clerk).get(f"/api/v1/cases/{case.number}/").json(), ensure_ascii=False)
    assert MASKED_ID in body and MASKED_PHONE in body
    assert PERSON_ID not in body and PHONE not in body


def test_api_reveal_answers_the_full_phone_to_an_approver_and_audits_it(county, case):
    response = _api(county.approver).post(
        f"/api/v1/cases/{case.number}/pii/reveal/",
        {"field": "contact_phone", "reason": "回访"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {"field": "contact_phone", "label": "联系电话", "value": PHONE}
    assert response["Cache-Control"] == "no-store"
    [event] = _reveals()
    assert (event.actor_id, event.result, event.detail["field"]) == (
        county.approver.pk,
        "success",
        "contact_phone",
    )


def test_api_reveal_requires_a_reason(county, case):
    response = _api(county.approver).post(
        f"/api/v1/cases/{case.number}/pii/reveal/", {"field": "contact_phone"}, format="json"
    )
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    assert _reveals() == []


def test_api_reveal_by_a_supervisor_is_403_and_audited(county, case):
    response = _api(county.supervisor).post(
        f"/api/v1/cases/{case.number}/pii/reveal/",
        {"field": "applicant_id_number", "reason": "查看"},
        format="json",
    )
    assert response.status_code == 403 and PERSON_ID not in response.content.decode()
    assert [e.result for e in _reveals()] == ["denied"]


def test_api_reveal_of_a_foreign_case_is_404(case):
    other = make_county(code="430921000000", name="南县")
    response = _api(other.clerk).post(
        f"/api/v1/cases/{case.number}/pii/reveal/",
        {"field": "applicant_id_number", "reason": "查看"},
        format="json",
    )
    assert response.status_code == 404
    assert [(e.actor_id, e.result) for e in _reveals()] == [(other.clerk.pk, "denied")]
