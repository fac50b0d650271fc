"""The calendar admin saves through the services and shows their refusals as form errors."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.accounts.testing import login_verified
from zhengwu.common import clock
from zhengwu.workdays.choices import CalendarEditAction
from zhengwu.workdays.models import CalendarDay, CalendarEdit, CalendarYear

pytestmark = pytest.mark.django_db
ADD_DAY = "/admin/workdays/calendarday/add/"


@pytest.fixture(autouse=True)
def _frozen_today():
    with clock.frozen(dt.datetime(2026, 6, 1, 9, 0)):
        yield


def day_form(**overrides):
    return {
        "date": "2026-07-06",
        "region": "",
        "kind": "holiday",
        "name": "临时调整",
        "source_document": "国务院办公厅通知",
        "reason": "",
        **overrides,
    }


def test_an_editor_adds_a_day_through_the_service_which_journals_it(client, editor):
    login_verified(client, editor)  # a system admin: MFA-verified session
    response = client.post(ADD_DAY, day_form())
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=dt.date(2026, 7, 6)).name == "临时调整"
    assert CalendarEdit.objects.get().actor == editor


def test_a_retroactive_edit_without_a_reason_is_shown_as_a_form_error(client, editor):
    login_verified(client, editor)  # a system admin: MFA-verified session
    response = client.post(ADD_DAY, day_form(date="2026-03-02"))
    assert response.status_code == 200
    assert "追溯更正必须填写原因。" in response.content.decode()
    assert not CalendarDay.objects.filter(date=dt.date(2026, 3, 2)).exists()


def test_an_editor_changes_a_day_and_the_change_is_journalled(client, editor):
    login_verified(client, editor)  # a system admin: MFA-verified session
    day = CalendarDay.objects.get(date=dt.date(2026, 10, 10), region=None)
    response = client.post(
        f"/admin/workdays/calendarday/{day.pk}/change/", day_form(kind="holiday", name="国庆节")
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.kind == "holiday"
    assert CalendarEdit.objects.get().kind_before == "makeup_workday"


def test_an_editor_deletes_a_future_day_through_the_service(client, editor):
    login_verified(client, editor)  # a system admin: MFA-verified session
    day = CalendarDay.objects.get(date=dt.date(2026, 6, 19), region=None)
    response = client.post(f"/admin/workdays/calendarday/{day.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert CalendarEdit.objects.get().action == CalendarEditAction.DELETE


def test_an_editor_adds_the_next_year_but_a_gap_is_refused(client, editor):
    login_verified(client, editor)  # a system admin: MFA-verified session
    refused = client.post(
        "/admin/workdays/calendaryear/add/", {"year": 2028, "source_document": "通知", "note": ""}
    )
    assert "只能添加 2027 年" in refused.content.decode()
    added = client.post(
        "/admin/workdays/calendaryear/add/", {"year": 2027, "source_document": "通知", "note": ""}
    )
    assert added.status_code == 302
    assert CalendarYear.objects.filter(year=2027).exists()


def test_staff_without_the_system_admin_role_may_read_but_not_edit(client, dept_head):
    client.force_login(dept_head)
    assert client.get("/admin/workdays/calendarday/").status_code == 200
    assert client.get(ADD_DAY).status_code == 403
    assert client.post(ADD_DAY, day_form()).status_code == 403


def test_the_calendar_lists_render(client, editor):
    login_verified(client, editor)  # a system admin: MFA-verified session
    for path in ("calendarday", "calendaryear", "calendaredit"):
        assert client.get(f"/admin/workdays/{path}/").status_code == 200
