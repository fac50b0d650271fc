"""The demo hall traffic: working days only, office-hour peaks, waits that grow at the peaks, window cases
linked to served numbers, appointment outcomes, deterministic and idempotent."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest

from zhengwu.appointments.models import Appointment
from zhengwu.cases.tests.factories import at, make_applicant
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.hall_figures.demo_data import demo_hall_generate
from zhengwu.queueing.models import QueueTicket, WindowGroup
from zhengwu.workdays.selectors import work_calendar

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def generated(place):
    from zhengwu.cases import services

    case = services.case_create(
        item=place.item,
        applicant=make_applicant(),
        channel="window",
        now=at("2026-11-02", 10),
        actor=place.clerks[0],
        window=place.windows[0],
    )
    place.group.delete()  # a hall without window groups gets one per window
    for window in place.windows:
        window.departments.add(place.county.department)  # the item's department is served there
    result = demo_hall_generate(today=TODAY, scale=0.3, seed=7)
    return place, case, result


def _local(moment):
    return moment.astimezone(LOCAL_TZ)


def test_numbers_are_issued_on_working_days_within_office_hours_only(generated):
    place, _case, result = generated
    assert result.tickets > 1500 and QueueTicket.objects.count() == result.tickets
    calendar = work_calendar(region=place.county.region)
    for issued, day in QueueTicket.objects.values_list("issued_at", "day"):
        local = _local(issued)
        assert local.date() == day and day < TODAY
        assert calendar.is_workday(day) if calendar.covers(day) else day.weekday() < 5
        assert dt.time(8, 30) <= local.time() < dt.time(17, 0)
        assert not (dt.time(12, 0) <= local.time() < dt.time(13, 30))


def test_the_morning_and_afternoon_peaks_and_mondays_are_the_busiest(generated):
    hours = Counter(_local(i).hour for i in QueueTicket.objects.values_list("issued_at", flat=True))
    assert hours[10] > hours[8] and hours[10] > hours[11] and hours[15] > hours[13]
    per_day = Counter(QueueTicket.objects.values_list("day", flat=True))
    by_weekday = defaultdict(list)
    for day, n in per_day.items():
        by_weekday[day.weekday()].append(n)
    mean = {wd: sum(v) / len(v) for wd, v in by_weekday.items()}
    assert mean[0] > mean[4]


def test_waits_are_longer_at_the_peak_than_at_opening(generated):
    waits = defaultdict(list)
    for issued, called in QueueTicket.objects.filter(called_at__isnull=False).values_list(
        "issued_at", "called_at"
    ):
        waits[_local(issued).hour].append((called - issued).total_seconds())
    assert sum(waits[10]) / len(waits[10]) > sum(waits[8]) / len(waits[8])


def test_tickets_are_consistent_with_their_status(generated):
    for ticket in QueueTicket.objects.only(
        "status", "issued_at", "called_at", "serve_started_at", "finished_at", "window_id"
    ):
        if ticket.status == "done":
            assert ticket.issued_at <= ticket.called_at <= ticket.serve_started_at < ticket.finished_at
            assert ticket.window_id is not None
        elif ticket.status == "cancelled":
            assert ticket.called_at is None and ticket.finished_at is None
        else:
            assert ticket.status == "no_show" and ticket.called_at and ticket.serve_started_at is None


def test_a_window_case_is_linked_to_a_served_number_of_its_window_and_day(generated):
    _place, case, result = generated
    ticket = QueueTicket.objects.get(case=case)
    assert (ticket.window_id, ticket.day, ticket.status, ticket.item_id) == (
        case.window_id,
        case.received_on,
        "done",
        case.item_id,
    )
    assert result.linked == 1


def test_appointments_behind_check_ins_and_no_shows_and_cancellations(generated):
    statuses = Counter(Appointment.objects.values_list("status", flat=True))
    assert statuses["served"] > 0 and statuses["no_show"] > 0 and statuses["cancelled"] > 0
    kept = statuses["served"] + statuses["checked_in"]
    assert 0.85 < kept / (kept + statuses["no_show"]) < 0.98
    appointment = (
        Appointment.objects.filter(queue_ticket__isnull=False).select_related("queue_ticket").first()
    )
    ticket = appointment.queue_ticket
    assert ticket.priority == "appointment" and ticket.appointment_ref == appointment.number
    assert abs(_local(ticket.issued_at) - _local(appointment.starts_at)) <= dt.timedelta(minutes=30)


def test_each_window_gets_a_group_and_a_second_run_adds_nothing(generated):
    _place, _case, result = generated
    assert result.groups == 2
    assert set(WindowGroup.objects.values_list("code", flat=True)) == {"A", "B"}
    before = QueueTicket.objects.count()
    again = demo_hall_generate(today=TODAY, scale=0.3, seed=7)
    assert again.skipped and QueueTicket.objects.count() == before
