"""A calendar edit re-projects every open clock and journals the move (DOMAIN §3.4)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.cases import services
from zhengwu.cases.models import Case, CaseEvent, Clock
from zhengwu.cases.tests.factories import accepted_case, at, make_case
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory
from zhengwu.workdays.models import CalendarEdit
from zhengwu.workdays.services import calendar_day_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return UserFactory(roles=[Role.SYSTEM_ADMIN])


@pytest.fixture
def set_day(editor, django_capture_on_commit_callbacks):
    """Edit one day of the national calendar and run what waits for the commit (the re-projection)."""

    def edit(day: str, kind: str = "holiday", name: str = "临时放假"):
        with django_capture_on_commit_callbacks(execute=True):
            calendar_day_set(
                date=dt.date.fromisoformat(day),
                kind=kind,
                name=name,
                source_document="国办发明电〔2026〕9号",
                actor=editor,
                today=dt.date(2026, 6, 2),
            )
        return CalendarEdit.objects.latest("id")

    return edit


def statutory(case: Case) -> Clock:
    return Clock.objects.get(case=case, kind="statutory")


def test_a_new_holiday_moves_an_open_statutory_due_date_later(county, set_day):
    case = accepted_case(county)  # statutory due 06-30
    set_day("2026-06-10")
    assert statutory(case).due_date == dt.date(2026, 7, 1)
    case.refresh_from_db()
    assert case.statutory_due == dt.date(2026, 7, 1)


def test_the_move_is_journalled_with_the_old_and_new_due_dates_and_the_edit(county, set_day):
    case = accepted_case(county)
    edit = set_day("2026-06-10")
    event = CaseEvent.objects.get(case=case, action="calendar_reprojected", data__clock="statutory")
    assert event.data == {
        "clock": "statutory",
        "old_due": "2026-06-30",
        "new_due": "2026-07-01",
        "edit": edit.pk,
        "earlier": False,
    }
    assert event.actor is None and event.actor_name == "系统"
    assert (event.from_status, event.to_status) == ("in_review", "in_review")


def test_a_clock_whose_due_date_does_not_change_journals_nothing(county, set_day):
    case = accepted_case(county)  # promised 5 wd → 06-08, step 3 wd → 06-04
    set_day("2026-06-10")
    moved = set(
        CaseEvent.objects.filter(case=case, action="calendar_reprojected").values_list(
            "data__clock", flat=True
        )
    )
    assert moved == {"statutory"}
    assert Clock.objects.get(case=case, kind="promised").due_date == dt.date(2026, 6, 8)


def test_a_new_make_up_working_day_moves_a_due_date_earlier_and_says_so(county, set_day):
    case = accepted_case(county)
    set_day("2026-06-13", kind="makeup_workday", name="调休上班")
    assert statutory(case).due_date == dt.date(2026, 6, 29)
    event = CaseEvent.objects.get(case=case, action="calendar_reprojected", data__clock="statutory")
    assert (event.data["old_due"], event.data["new_due"], event.data["earlier"]) == (
        "2026-06-30",
        "2026-06-29",
        True,
    )


def test_stopped_clocks_do_not_move(county, set_day):
    case = accepted_case(county)
    case = services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-02"))
    case = services.case_grant(case=case, actor=county.approver, now=at("2026-06-03"))
    before = {clock.pk: clock.due_date for clock in Clock.objects.filter(case=case, status="stopped")}
    set_day("2026-06-10")
    after = {clock.pk: clock.due_date for clock in Clock.objects.filter(case=case, status="stopped")}
    assert after == before
    assert statutory(case).due_date == dt.date(2026, 6, 30)
    assert not CaseEvent.objects.filter(
        case=case, action="calendar_reprojected", data__clock="statutory"
    ).exists()


def test_the_certificate_clock_of_a_granted_case_is_open_and_moves(county, set_day):
    case = accepted_case(county)
    case = services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-02"))
    case = services.case_grant(case=case, actor=county.approver, now=at("2026-06-03"))  # certificate → 06-17
    set_day("2026-06-10")
    assert Clock.objects.get(case=case, kind="certificate").due_date == dt.date(2026, 6, 18)


def test_a_paused_clock_keeps_no_due_date_and_counts_on_the_new_calendar_when_resumed(county, set_day):
    case = accepted_case(county)
    case = services.case_pause(
        case=case,
        actor=county.approver,
        now=at("2026-06-08"),
        reason_code="hearing",
        reason="组织听证",
        expected_days=5,
    )
    set_day("2026-07-01")
    assert statutory(case).due_date is None
    assert not CaseEvent.objects.filter(case=case, action="calendar_reprojected").exists()
    services.case_resume(case=case, actor=county.approver, now=at("2026-06-12"))
    # 5 counted (06-02…06-08); 15 left from 06-12: 06-15…06-18, 06-22…06-26, 06-29, 06-30, then the
    # new holiday 07-01 is skipped: 07-02, 07-03, 07-06, 07-07
    assert statutory(case).due_date == dt.date(2026, 7, 7)


def test_several_open_cases_are_all_re_projected(county, set_day):
    first = accepted_case(county, day="2026-06-01")
    second = accepted_case(county, day="2026-06-02")
    set_day("2026-06-10")
    assert (statutory(first).due_date, statutory(second).due_date) == (
        dt.date(2026, 7, 1),
        dt.date(2026, 7, 2),
    )


def test_the_supply_deadline_of_a_deferred_material_moves_with_the_deficiency_clock(county, set_day):
    materials = [
        {"name": "申请书", "material_type": "original", "necessity": "required"},
        {"name": "场地使用证明", "material_type": "copy", "necessity": "deferrable"},
    ]
    case = make_case(county, materials=materials)
    services.case_materials_check(
        case=case,
        actor=county.clerk,
        checks={
            m.pk: ("deferred" if m.necessity == "deferrable" else "received", "")
            for m in case.materials.all()
        },
        now=at("2026-06-01"),
    )
    case = services.case_accept_with_deficiency(case=case, actor=county.clerk, now=at("2026-06-01"))
    assert case.materials.get(name="场地使用证明").deferred_due == dt.date(2026, 6, 15)
    set_day("2026-06-10")
    assert Clock.objects.get(case=case, kind="deficiency").due_date == dt.date(2026, 6, 16)
    assert case.materials.get(name="场地使用证明").deferred_due == dt.date(2026, 6, 16)
