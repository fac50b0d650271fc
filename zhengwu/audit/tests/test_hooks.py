"""Each audited action writes exactly one record with actor, role, IP, object and result."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import authenticate, login, logout
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from zhengwu.audit.context import reset_request, set_request
from zhengwu.audit.models import AuditEvent
from zhengwu.cases import services as case_services
from zhengwu.cases.tests.factories import at, make_case, make_county, receive_all
from zhengwu.catalog import services as catalog_services
from zhengwu.catalog.tests.factories import make_item
from zhengwu.organization import services as org_services
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
IP = "10.1.2.3"
PASSWORD = "Zw!test-pass-2026"


def _request(user=None, path: str = "/workbench/"):
    request = RequestFactory().post(path, REMOTE_ADDR=IP)
    request.session = SessionStore()
    if user is not None:
        request.user = user
    return request


def only(action: str, **filters) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=action, **filters))
    assert len(events) == 1, [(e.action, e.object_id) for e in events]
    return events[0]


@pytest.fixture
def in_request():
    """Run service calls as if inside a request of `user` from IP (what AuditMiddleware provides)."""
    tokens = []

    def enter(user):
        tokens.append(set_request(_request(user)))

    yield enter
    for token in reversed(tokens):
        reset_request(token)


def sign_in(client, user) -> None:
    from zhengwu.accounts.testing import login_verified

    login_verified(client, user)


# -- authentication ----------------------------------------------------------------------------------------------


def test_a_successful_login_is_recorded_with_actor_role_ip_and_object(clerk):
    request = _request()
    user = authenticate(request, username="clerk1", password=PASSWORD)
    login(request, user)

    event = only("auth.login")
    assert (event.actor, event.actor_username, event.role, event.ip) == (clerk, "clerk1", "window_clerk", IP)
    assert (event.object_type, event.object_id, event.result) == (
        "organization.User",
        str(clerk.pk),
        "success",
    )


def test_a_failed_login_is_recorded_as_failure_against_the_account_without_the_password(clerk):
    assert authenticate(_request(), username="clerk1", password="wrong-Password-1") is None

    event = only("auth.login_failed")
    assert (event.actor, event.ip, event.result) == (None, IP, "failure")
    assert (event.object_type, event.object_id) == ("organization.User", str(clerk.pk))
    assert event.detail == {"username": "clerk1"}
    assert "wrong-Password-1" not in str(event.detail)


def test_a_failed_login_for_an_unknown_username_names_the_username():
    authenticate(_request(), username="nobody", password="x")

    event = only("auth.login_failed")
    assert (event.object_type, event.object_id, event.result) == ("username", "nobody", "failure")


def test_a_logout_is_recorded(clerk):
    request = _request(clerk)
    login(request, clerk, backend="django.contrib.auth.backends.ModelBackend")
    logout(request)

    event = only("auth.logout")
    assert (event.actor, event.ip, event.object_id) == (clerk, IP, str(clerk.pk))


def test_a_lockout_is_recorded_as_denied(clerk):
    from axes.signals import user_locked_out

    user_locked_out.send("axes", request=_request(), username="clerk1", ip_address=IP)

    event = only("auth.locked")
    assert (event.ip, event.result, event.object_id) == (IP, "denied", str(clerk.pk))


# -- authorisation denied ----------------------------------------------------------------------------------------


def test_a_403_page_is_recorded_as_access_denied(client, clerk):
    sign_in(client, clerk)

    response = client.get(reverse("workbench:audit_list"), REMOTE_ADDR=IP)

    assert response.status_code == 403
    event = only("access.denied")
    assert (event.actor, event.role, event.ip, event.result) == (clerk, "window_clerk", IP, "denied")
    assert event.object_id == "workbench:audit_list"
    assert event.detail["status"] == 403


def test_a_foreign_case_answers_404_and_is_recorded_as_access_denied(client):
    mine, theirs = make_county(), make_county("430902000000", "资阳区")
    case = make_case(theirs)
    sign_in(client, mine.clerk)

    response = client.get(reverse("workbench:case_detail", args=[case.number]), REMOTE_ADDR=IP)

    assert response.status_code == 404
    event = only("access.denied")
    assert (event.actor, event.ip, event.result, event.detail["status"]) == (mine.clerk, IP, "denied", 404)
    assert event.detail["path"] == reverse("workbench:case_detail", args=[case.number])


def test_an_unknown_url_is_not_an_access_denial(client, clerk):
    sign_in(client, clerk)

    assert client.get("/workbench/no-such-page/").status_code == 404

    assert not AuditEvent.objects.filter(action="access.denied").exists()


# -- changes -------------------------------------------------------------------------------------------------------


def test_a_case_transition_is_recorded_once_with_its_number_and_statuses(in_request):
    county = make_county()
    case = make_case(county)
    receive_all(case, county)
    AuditEvent_before = set(AuditEvent.objects.values_list("id", flat=True))
    in_request(county.clerk)

    case_services.case_accept(case=case, actor=county.clerk, now=at("2026-06-01"))

    new = AuditEvent.objects.exclude(id__in=AuditEvent_before)
    assert [e.action for e in new] == ["case.accept"]
    event = new.get()
    assert (event.actor, event.role, event.ip, event.result) == (county.clerk, "window_clerk", IP, "success")
    assert (event.object_type, event.object_id) == ("cases.Case", case.number)
    assert event.detail["to"] == str(case.__class__.objects.get(pk=case.pk).status)


def test_a_catalogue_operation_is_recorded_once_with_the_item(in_request):
    admin = UserFactory(roles=[Role.SYSTEM_ADMIN])
    item = make_item(actor=admin)
    in_request(admin)

    catalog_services.item_suspend(item=item, actor=admin, reason="系统升级", approving_document="〔2026〕1号")

    event = only("catalog.suspend")
    assert (event.actor, event.role, event.ip, event.result) == (admin, "system_admin", IP, "success")
    assert event.object_type == "catalog.ServiceItem"
    assert event.detail["approving_document"] == "〔2026〕1号"


def test_a_role_change_is_recorded_with_before_and_after(in_request):
    security = UserFactory(username="sec", roles=[Role.SECURITY_ADMIN])
    user = UserFactory(roles=[Role.WINDOW_CLERK])
    in_request(security)

    org_services.user_set_roles(user=user, roles=[Role.APPROVER])

    event = AuditEvent.objects.filter(action="role.change", object_id=str(user.pk)).latest("id")
    assert (event.actor, event.role, event.ip) == (security, "security_admin", IP)
    assert event.detail == {"before": ["window_clerk"], "after": ["approver"]}


def test_setting_the_same_roles_again_records_nothing():
    user = UserFactory(roles=[Role.WINDOW_CLERK])
    count = AuditEvent.objects.count()

    org_services.user_set_roles(user=user, roles=[Role.WINDOW_CLERK])

    assert AuditEvent.objects.count() == count


def test_a_scope_change_is_recorded(in_request):
    security = UserFactory(username="sec", roles=[Role.SECURITY_ADMIN])
    county = make_county()
    user = UserFactory()
    in_request(security)

    org_services.user_set_scope(user=user, regions=[county.region])

    event = only("scope.change", object_id=str(user.pk))
    assert (event.actor, event.ip, event.object_id) == (security, IP, str(user.pk))
    assert event.detail["regions"] == [county.region.code]


def test_a_calendar_edit_is_recorded(in_request):
    from zhengwu.workdays.services import calendar_day_set

    admin = UserFactory(roles=[Role.SYSTEM_ADMIN])
    in_request(admin)

    calendar_day_set(
        date=dt.date(2026, 12, 31),
        kind="holiday",
        name="测试假日",
        source_document="国办发明电〔2025〕1号",
        actor=admin,
        today=dt.date(2026, 11, 1),
    )

    event = only("calendar.change")
    assert (event.actor, event.role, event.ip, event.object_type) == (
        admin,
        "system_admin",
        IP,
        "workdays.CalendarEdit",
    )
    assert event.detail["date"] == "2026-12-31"


def test_the_audit_row_rolls_back_with_the_change_it_records(in_request):
    from django.db import transaction

    user = UserFactory(roles=[Role.WINDOW_CLERK])
    count = AuditEvent.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        org_services.user_set_roles(user=user, roles=[Role.APPROVER])
        raise RuntimeError

    assert AuditEvent.objects.count() == count


def test_personal_data_in_a_detail_is_masked():
    from zhengwu.audit.services import record

    event = record(
        "config.change", detail={"note": "联系 13812345678，证件 430903199001011238", "password": "s3cret"}
    )

    assert event.detail == {"note": "联系 138****5678，证件 4309**********1238", "password": "***"}


def test_deactivating_an_account_is_recorded_once(in_request):
    security = UserFactory(username="sec", roles=[Role.SECURITY_ADMIN])
    user = UserFactory(roles=[Role.WINDOW_CLERK])
    in_request(security)

    user.is_active = False
    user.save()
    user.save()  # already inactive: nothing more to record

    event = only("user.deactivate")
    assert (event.actor, event.role, event.ip, event.object_id) == (
        security,
        "security_admin",
        IP,
        str(user.pk),
    )


def test_a_foreign_case_through_the_api_is_recorded_as_access_denied(client):
    mine, theirs = make_county(), make_county("430902000000", "资阳区")
    case = make_case(theirs)
    sign_in(client, mine.clerk)
    url = reverse("api:case_detail", args=[case.number])

    response = client.get(url, REMOTE_ADDR=IP)

    assert response.status_code == 404
    event = only("access.denied")
    assert (event.actor, event.ip, event.result, event.detail["path"]) == (mine.clerk, IP, "denied", url)


def test_an_administrator_outside_their_screens_gets_one_denial_record(client):
    admin = UserFactory(roles=[Role.SYSTEM_ADMIN])
    sign_in(client, admin)

    response = client.get(reverse("workbench:audit_list"), REMOTE_ADDR=IP)

    assert response.status_code == 403
    event = only("access.denied")
    assert (event.actor, event.role, event.ip, event.result) == (admin, "system_admin", IP, "denied")
