"""The 12345 caller: masked for everyone, revealed to the centre only through the audited action."""

from __future__ import annotations

import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.hotline import pii
from zhengwu.hotline.tests.factories import dispatched
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


def _reveal(client, user, ticket, **data):
    client.force_login(user)
    return client.post(f"/workbench/hotline/{ticket.number}/pii/reveal/", data, HTTP_HX_REQUEST="true")


def test_the_centre_sees_the_caller_masked_with_the_reveal_action(client, hotline):
    ticket = dispatched(hotline)
    client.force_login(hotline.agent)
    page = client.get(f"/workbench/hotline/{ticket.number}/").content.decode()
    assert "138****5678" in page and "张**" in page and PHONE not in page and "张三丰" not in page
    assert "查看完整信息" in page


def test_the_centre_reveals_the_callers_phone_with_a_reason_and_it_is_audited(client, hotline):
    ticket = dispatched(hotline)
    response = _reveal(client, hotline.agent, ticket, field="caller_phone", reason="回访来电人")
    assert response.status_code == 200 and PHONE in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    [event] = AuditEvent.objects.filter(action="pii.reveal")
    assert (event.actor_id, event.result, event.object_type) == (
        hotline.agent.pk,
        "success",
        "hotline.Ticket",
    )
    assert event.detail == {"field": "caller_phone", "reason": "回访来电人", "ticket": ticket.number}


def test_the_unit_has_no_reveal_and_an_attempt_is_denied_and_audited(client, hotline):
    ticket = dispatched(hotline)
    client.force_login(hotline.water_staff)
    assert "查看完整信息" not in client.get(f"/workbench/hotline/{ticket.number}/").content.decode()
    response = _reveal(client, hotline.water_staff, ticket, field="caller_phone", reason="联系")
    assert response.status_code == 403 and PHONE not in response.content.decode()
    assert list(AuditEvent.objects.filter(action="pii.reveal").values_list("result", flat=True)) == ["denied"]


def test_a_reveal_without_a_reason_is_refused(client, hotline):
    ticket = dispatched(hotline)
    response = _reveal(client, hotline.agent, ticket, field="caller_phone", reason="")
    assert response.status_code == 400 and PHONE not in response.content.decode()
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


def test_an_administrator_of_the_centre_never_holds_view_full_pii(hotline):
    ticket = dispatched(hotline)
    admin = UserFactory(department=hotline.centre, roles=[Role.SECURITY_ADMIN], scope=[hotline.centre])
    assert not pii.can_view_full_caller(admin, ticket)
    assert pii.can_view_full_caller(hotline.agent, ticket)


def test_the_api_answers_the_caller_masked_to_the_centre(hotline):
    from rest_framework.test import APIClient

    ticket = dispatched(hotline)
    api = APIClient()
    api.force_authenticate(hotline.agent)
    body = api.get(f"/api/v1/tickets/{ticket.number}/").content.decode()
    assert "138****5678" in body and PHONE not in body
