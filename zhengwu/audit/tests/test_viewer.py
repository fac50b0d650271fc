"""三员: the audit viewer is the audit administrator's alone; the CSV export is itself audited; at most one
administrator role per account, down to the database."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from zhengwu.audit.models import AuditEvent
from zhengwu.audit.services import record
from zhengwu.organization.choices import Role
from zhengwu.organization.models import RoleAssignment
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LIST = "workbench:audit_list"
EXPORT = "workbench:audit_export"


def sign_in(client, user) -> None:
    from zhengwu.accounts.testing import login_verified

    login_verified(client, user)


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.SUPERVISOR, Role.WINDOW_CLERK])
def test_every_role_but_the_audit_administrator_is_refused(client, role):
    sign_in(client, UserFactory(roles=[role]))

    assert client.get(reverse(LIST)).status_code == 403
    assert client.get(reverse(EXPORT)).status_code == 403


def test_a_superuser_without_the_audit_role_is_refused(client):
    sign_in(client, UserFactory(is_superuser=True, is_staff=True))

    response = client.get(reverse(LIST))

    assert response.status_code == 403
    assert "三权分立" in response.content.decode()


def test_the_audit_administrator_sees_the_records_newest_first(client, auditor):
    record("config.change", object_type="setting", object_id="A")
    record("config.change", object_type="setting", object_id="B")
    sign_in(client, auditor)

    response = client.get(reverse(LIST))

    assert response.status_code == 200
    ids = [event.id for event, _ in response.context["rows"]]
    assert ids == sorted(ids, reverse=True)
    assert "配置变更" in response.content.decode()


def test_filters_narrow_by_action_family_actor_object_and_result(client, auditor):
    record("config.change", object_type="setting", object_id="A")
    record("access.denied", object_type="url", object_id="workbench:x", result="denied")
    sign_in(client, auditor)

    by_family = client.get(reverse(LIST), {"action": "access"}).context["rows"]
    by_result = client.get(reverse(LIST), {"result": "denied"}).context["rows"]
    by_object = client.get(reverse(LIST), {"object": "setting"}).context["rows"]
    by_actor = client.get(reverse(LIST), {"actor": "auditor", "action": "auth.login"}).context["rows"]

    assert [e.action for e, _ in by_family] == ["access.denied"]
    assert [e.action for e, _ in by_result] == ["access.denied"]
    assert [e.object_id for e, _ in by_object] == ["A"]
    assert {e.actor_username for e, _ in by_actor} == {"auditor"}


def test_a_bad_date_filter_is_a_400_with_a_chinese_message(client, auditor):
    sign_in(client, auditor)

    response = client.get(reverse(LIST), {"since": "2026-02-30"})

    assert response.status_code == 400
    assert "起始日期格式应为 YYYY-MM-DD" in response.content.decode()


def test_the_list_is_paginated_with_a_pinned_query_count(client, auditor, django_assert_max_num_queries):
    for n in range(120):
        record("config.change", object_type="setting", object_id=str(n))
    sign_in(client, auditor)

    with django_assert_max_num_queries(12):
        response = client.get(reverse(LIST), {"page": 2})

    assert len(response.context["rows"]) == 50
    assert response.context["page"].number == 2


def test_the_csv_export_streams_the_filtered_rows_and_is_audited(client, auditor):
    record("config.change", object_type="setting", object_id="A")
    record("config.change", object_type="setting", object_id="B")
    sign_in(client, auditor)

    response = client.get(reverse(EXPORT), {"object": "setting"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    body = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert body[0].startswith("序号,时间（UTC）")
    assert len(body) == 3
    export = AuditEvent.objects.filter(action="export").get()
    assert (export.actor, export.role, export.detail["rows"]) == (auditor, "audit_admin", 2)
    assert export.detail["filters"] == {"object": "setting"}


def test_the_viewer_offers_no_way_to_change_a_record(client, auditor):
    event = record("config.change")
    sign_in(client, auditor)

    assert client.post(reverse(LIST), {"id": event.id}).status_code == 405
    assert client.delete(reverse(LIST)).status_code == 405


def test_the_database_refuses_a_second_administrator_role_for_one_account():
    user = UserFactory(roles=[Role.SYSTEM_ADMIN])

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.AUDIT_ADMIN)

    assert list(user.roles.values_list("role", flat=True)) == ["system_admin"]


def test_an_administrator_role_combines_with_an_ordinary_role_in_the_database():
    user = UserFactory(roles=[Role.SECURITY_ADMIN])

    RoleAssignment.objects.create(user=user, role=Role.SUPERVISOR)

    assert user.roles.count() == 2
