"""SECURITY.md row 19 (log hygiene): representative requests never put a full ID number or phone into the
logs, the audit log's JSON or an error page.

Every logger is captured at DEBUG level while a citizen logs in (a wrong password first), a clerk takes in
a case with an applicant's and an agent's ID number and phone, error pages are produced (404, 403, a
refused API submission), and a 12345 call is registered and opened by the handling unit. The seeded
values are then grepped for in the captured log text, every audit row's JSON and the error pages.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from zhengwu.audit.models import AuditEvent
from zhengwu.cases.models import Case
from zhengwu.cases.tests.factories import at, make_citizen, make_county
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock
from zhengwu.hotline.models import Ticket
from zhengwu.hotline.tests.factories import make_hotline

pytestmark = pytest.mark.django_db

APPLICANT_ID = "11010519491231002X"
APPLICANT_PHONE = "13812345678"
AGENT_ID = "430903199001011238"
AGENT_PHONE = "13700001234"
CITIZEN_ID = "430903198505050017"
CITIZEN_PHONE = "13912345678"
CALLER_PHONE = "13655556666"
PASSWORD = "Zw!citizen-2026"
SEEDED = (
    APPLICANT_ID,
    APPLICANT_PHONE,
    AGENT_ID,
    AGENT_PHONE,
    CITIZEN_ID,
    CITIZEN_PHONE,
    CALLER_PHONE,
    PASSWORD,
)


def _leaks(text: str) -> list[str]:
    return [value for value in SEEDED if value in text]


def test_logs_audit_rows_and_error_pages_never_hold_a_seeded_id_number_phone_or_password(client, caplog):
    county = make_county()
    hotline = make_hotline(code="430921000000", name="南县")
    item = make_item(department=county.department, name="食品经营许可")
    make_citizen(phone=CITIZEN_PHONE, name="李四", id_number=CITIZEN_ID)
    error_pages: list[str] = []
    caplog.set_level(logging.DEBUG)  # every logger at every level from here on

    with clock.frozen(at("2026-06-02")):
        # A citizen logs in: a wrong password first (a failure is logged and audited), then the right one.
        # (The refused login form shows back the username the citizen typed, their own phone: a form
        # redisplay to its author, not an error page, so it is not grepped.)
        login = reverse("portal:login")
        assert client.post(login, {"username": CITIZEN_PHONE, "password": "Wrong-pass-1"}).status_code == 200
        assert client.post(login, {"username": CITIZEN_PHONE, "password": PASSWORD}).status_code == 302
        client.logout()

        # A clerk takes in a case with the applicant's and an agent's ID numbers and phones.
        client.force_login(county.clerk)
        response = client.post(
            reverse("workbench:case_intake"),
            {
                "item": item.implementation_code,
                "kind": "person",
                "name": "王五",
                "id_number": APPLICANT_ID,
                "phone": APPLICANT_PHONE,
                "agent_name": "赵六",
                "agent_id_number": AGENT_ID,
                "agent_phone": AGENT_PHONE,
            },
        )
        assert response.status_code == 302
        case = Case.objects.get()
        assert client.get(reverse("workbench:case_detail", args=[case.number])).status_code == 200

        # Error pages: a missing case (404), a refused reveal (403), a refused API submission (400).
        missing = client.get(reverse("workbench:case_detail", args=["430903-20260602-999999"]))
        assert missing.status_code == 404
        error_pages.append(missing.content.decode())
        client.force_login(county.supervisor)
        refused = client.post(
            reverse("workbench:case_pii_reveal", args=[case.number]),
            {"field": "applicant_id_number", "reason": "核对"},
        )
        assert refused.status_code == 403
        error_pages.append(refused.content.decode())
        api = APIClient()
        api.force_authenticate(county.clerk)
        bad = api.post(
            "/api/v1/cases/",
            {
                "item": item.implementation_code,
                "applicant": {"kind": "person", "name": "另一人", "id_number": APPLICANT_ID, "phone": "12"},
            },
            format="json",
            HTTP_IDEMPOTENCY_KEY="pii-log-hygiene-1",
        )
        assert 400 <= bad.status_code < 500
        error_pages.append(bad.content.decode())

    # A 12345 call with the caller's phone; the handling unit opens the ticket.
    with clock.frozen(at("2026-09-30", 15)):
        client.force_login(hotline.agent)
        response = client.post(
            "/workbench/hotline/",
            {
                "region": hotline.region.pk,
                "category": "complaint",
                "urgency": "normal",
                "topic": "供水",
                "title": "停水",
                "content": "小区停水",
                "caller_name": "张三",
                "caller_phone": CALLER_PHONE,
            },
        )
        assert response.status_code == 302
        ticket = Ticket.objects.get()
        client.post(f"/workbench/hotline/{ticket.number}/actions/dispatch/", {"department": hotline.water.pk})
        client.force_login(hotline.water_staff)
        assert client.get(f"/workbench/hotline/{ticket.number}/").status_code == 200

    audit_json = json.dumps(list(AuditEvent.objects.values()), ensure_ascii=False, default=str)
    assert AuditEvent.objects.filter(action="auth.login_failed").exists()  # the audit log was written
    assert caplog.records  # and something was logged
    assert _leaks(caplog.text) == []
    assert _leaks(audit_json) == []
    assert [_leaks(page) for page in error_pages] == [[] for _ in error_pages]
