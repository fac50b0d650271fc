"""Booking, capacity, cancellation, check-in, no-shows and reminders (Monday 2026-11-23 is "today")."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.management import call_command
from django.test import override_settings

from zhengwu.appointments import selectors, services
from zhengwu.appointments.models import Appointment, BookingBlock, SlotCounter
from zhengwu.appointments.tests.factories import at, book, make_citizen, make_hall
from zhengwu.common import clock
from zhengwu.common.errors import DomainError

pytestmark = pytest.mark.django_db


def fields_of(error: DomainError) -> set[str]:
    return set(error.fields)


def test_booking_takes_a_place_and_numbers_the_appointment_by_hall_and_date(setup, citizen):
    appointment = book(setup, citizen=citizen)
    assert appointment.number == f"YY-{setup.hall.pk}-20261124-0001"
    assert appointment.status == "booked"
    assert (appointment.slot_label, appointment.channel, appointment.citizen) == (
        "09:00-09:30",
        "online",
        citizen,
    )
    counter = SlotCounter.objects.get(hall=setup.hall, item=setup.item, date=dt.date(2026, 11, 24))
    assert (counter.capacity, counter.booked) == (2, 1)  # 26 a day over 13 slots


def test_a_full_slot_refuses_the_next_booking_naming_the_slot():
    setup = make_hall(quota=3, periods="09:00-09:30")
    for _ in range(3):
        book(setup)
    with pytest.raises(DomainError) as refused:
        book(setup)
    assert refused.value.code == "slot_full"
    assert fields_of(refused.value) == {"slot"}
    assert SlotCounter.objects.get().booked == 3
    assert Appointment.objects.count() == 3


def test_cancelling_frees_the_place_for_someone_else():
    setup = make_hall(quota=1, periods="09:00-09:30")
    first = book(setup)
    services.appointment_cancel(appointment=first, actor=setup.clerk, now=at("2026-11-23", 15))
    assert Appointment.objects.get(pk=first.pk).status == "cancelled"
    assert SlotCounter.objects.get().booked == 0
    second = book(setup)
    assert second.status == "booked"
    assert SlotCounter.objects.get().booked == 1


def test_cancelling_after_the_slot_started_is_refused(setup, citizen):
    appointment = book(setup, citizen=citizen)
    with pytest.raises(DomainError) as refused:
        services.appointment_cancel(appointment=appointment, actor=citizen, now=at("2026-11-24", 9, 0))
    assert refused.value.code == "too_late"
    assert SlotCounter.objects.get().booked == 1


def test_one_active_booking_per_person_item_and_day(setup, citizen):
    book(setup, citizen=citizen, slot="09:00")
    with pytest.raises(DomainError) as refused:
        book(setup, citizen=citizen, slot="10:00")
    assert refused.value.code == "already_booked"
    assert fields_of(refused.value) == {"date"}
    assert book(setup, citizen=citizen, day="2026-11-25").status == "booked"  # another day is fine


def test_after_cancelling_the_same_person_may_book_that_day_again(setup, citizen):
    first = book(setup, citizen=citizen)
    services.appointment_cancel(appointment=first, actor=citizen, now=at("2026-11-23", 11))
    assert book(setup, citizen=citizen, slot="10:00").status == "booked"


@pytest.mark.parametrize(
    ("day", "slot", "field"),
    [
        ("2026-11-28", "09:00", "date"),  # a Saturday
        ("2026-12-03", "09:00", "date"),  # the 8th working day ahead
        ("2026-11-24", "12:00", "slot"),  # lunch break: no such slot
        ("2026-11-24", "09:10", "slot"),  # not a slot start
    ],
)
def test_dates_outside_the_horizon_and_unknown_slots_are_refused_naming_the_field(
    setup, citizen, day, slot, field
):
    with pytest.raises(DomainError) as refused:
        book(setup, citizen=citizen, day=day, slot=slot)
    assert fields_of(refused.value) == {field}


def test_a_slot_that_already_started_today_is_refused(setup, citizen):
    with pytest.raises(DomainError) as refused:
        book(setup, citizen=citizen, day="2026-11-23", slot="09:30", now=at("2026-11-23", 9, 40))
    assert refused.value.code == "slot_past"


def test_today_is_bookable_before_the_cutoff_only(setup, citizen):
    assert book(
        setup, citizen=citizen, day="2026-11-23", slot="11:00", now=at("2026-11-23", 9)
    ).date == dt.date(2026, 11, 23)
    with pytest.raises(DomainError) as refused:
        book(setup, citizen=make_citizen(), day="2026-11-23", slot="16:00", now=at("2026-11-23", 12, 30))
    assert fields_of(refused.value) == {"date"}


def test_an_item_without_appointments_cannot_be_booked(setup, citizen):
    version = setup.item.current_version
    version.appointment_supported = False
    version.save(update_fields=["appointment_supported"])
    with pytest.raises(DomainError) as refused:
        book(setup, citizen=citizen)
    assert fields_of(refused.value) == {"item"}


def test_a_hall_of_another_county_does_not_take_the_items_appointments(setup, citizen):
    other = make_hall(code="430921000000")
    with pytest.raises(DomainError) as refused:
        services.appointment_book(
            hall=other.hall,
            item=setup.item,
            day=dt.date(2026, 11, 24),
            slot_start=dt.time(9),
            name="李四",
            phone=citizen.phone,
            channel="online",
            actor=citizen,
            now=at("2026-11-23"),
        )
    assert fields_of(refused.value) == {"hall"}


@pytest.mark.parametrize(
    ("name", "phone", "field"), [("", "13912345678", "name"), ("王五", "12345", "phone")]
)
def test_name_and_mobile_number_are_checked(setup, name, phone, field):
    with pytest.raises(DomainError) as refused:
        services.appointment_book(
            hall=setup.hall,
            item=setup.item,
            day=dt.date(2026, 11, 24),
            slot_start=dt.time(9),
            name=name,
            phone=phone,
            channel="hall",
            actor=setup.clerk,
            now=at("2026-11-23"),
        )
    assert fields_of(refused.value) == {field}


def test_online_booking_needs_a_citizen_account(setup):
    with pytest.raises(DomainError) as refused:
        services.appointment_book(
            hall=setup.hall,
            item=setup.item,
            day=dt.date(2026, 11, 24),
            slot_start=dt.time(9),
            name="王五",
            phone="13912345678",
            channel="online",
            actor=setup.clerk,
            now=at("2026-11-23"),
        )
    assert refused.value.code == "citizen_required"


# -- check-in ------------------------------------------------------------------------------------


def test_check_in_within_the_window_issues_an_appointment_priority_ticket(setup, citizen):
    appointment = book(setup, citizen=citizen)
    checked = services.appointment_check_in(appointment=appointment, actor=None, now=at("2026-11-24", 8, 45))
    assert checked.status == "checked_in"
    ticket = checked.queue_ticket
    assert (ticket.priority, ticket.source, ticket.appointment_ref) == (
        "appointment",
        "appointment",
        checked.number,
    )
    assert ticket.hall == setup.hall and ticket.item == setup.item


def test_check_in_twice_is_refused_and_issues_one_ticket(setup, citizen):
    appointment = book(setup, citizen=citizen)
    services.appointment_check_in(appointment=appointment, actor=None, now=at("2026-11-24", 8, 45))
    with pytest.raises(DomainError):
        services.appointment_check_in(
            appointment=Appointment.objects.get(pk=appointment.pk), actor=None, now=at("2026-11-24", 8, 50)
        )
    from zhengwu.queueing.models import QueueTicket

    assert QueueTicket.objects.count() == 1


def test_finishing_the_ticket_at_the_window_marks_its_appointment_served(setup, citizen):
    from zhengwu.organization.models import Window
    from zhengwu.queueing import services as queue

    window = Window.objects.create(hall=setup.hall, number="1", name="1号窗口", window_type="comprehensive")
    setup.hall.window_groups.get().windows.add(window)
    setup.clerk.window = window
    setup.clerk.save(update_fields=["window"])
    appointment = services.appointment_check_in(
        appointment=book(setup, citizen=citizen), actor=None, now=at("2026-11-24", 8, 45)
    )
    ticket = queue.ticket_call_next(window=window, staff=setup.clerk, now=at("2026-11-24", 9, 1))
    assert ticket == appointment.queue_ticket
    assert Appointment.objects.get(pk=appointment.pk).status == "checked_in"
    ticket = queue.ticket_start_serving(ticket=ticket, staff=setup.clerk, now=at("2026-11-24", 9, 2))
    queue.ticket_finish(ticket=ticket, staff=setup.clerk, now=at("2026-11-24", 9, 20))
    assert Appointment.objects.get(pk=appointment.pk).status == "served"


@pytest.mark.parametrize(("hour", "minute", "code"), [(8, 29, "too_early"), (9, 16, "too_late")])
def test_check_in_outside_the_window_is_refused(setup, citizen, hour, minute, code):
    appointment = book(setup, citizen=citizen)
    with pytest.raises(DomainError) as refused:
        services.appointment_check_in(appointment=appointment, actor=None, now=at("2026-11-24", hour, minute))
    assert refused.value.code == code
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"


def test_check_in_edges_of_the_window_are_accepted(setup, citizen):
    first = book(setup, citizen=citizen, slot="09:00")
    second = book(setup, phone="13700000001", slot="09:00")
    assert services.appointment_check_in(
        appointment=first, actor=None, now=at("2026-11-24", 8, 30)
    ).queue_ticket
    assert services.appointment_check_in(
        appointment=second, actor=None, now=at("2026-11-24", 9, 15)
    ).queue_ticket


# -- no-shows ------------------------------------------------------------------------------------


def _no_show(setup, citizen, day: str) -> None:
    booked_on = dt.date.fromisoformat(day) - dt.timedelta(days=1)
    while booked_on.weekday() >= 5:
        booked_on -= dt.timedelta(days=1)
    book(setup, citizen=citizen, day=day, now=at(booked_on.isoformat(), 15))
    services.appointments_mark_no_shows(now=at(day, 10))


def test_an_appointment_not_checked_in_becomes_a_no_show_after_the_grace_period(setup, citizen):
    appointment = book(setup, citizen=citizen)
    assert services.appointments_mark_no_shows(now=at("2026-11-24", 9, 59)) == 0
    assert services.appointments_mark_no_shows(now=at("2026-11-24", 10, 0)) == 1
    assert Appointment.objects.get(pk=appointment.pk).status == "no_show"
    assert services.appointments_mark_no_shows(now=at("2026-11-24", 11)) == 0


def test_three_no_shows_in_thirty_days_block_online_booking_for_thirty_days(setup, citizen):
    for day in ("2026-11-03", "2026-11-10", "2026-11-17"):
        _no_show(setup, citizen, day)
    block = BookingBlock.objects.get(user=citizen)
    assert (block.blocked_from, block.blocked_until, block.no_shows) == (
        dt.date(2026, 11, 17),
        dt.date(2026, 12, 17),
        3,
    )
    with pytest.raises(DomainError) as refused:
        book(setup, citizen=citizen, day="2026-11-24")
    assert refused.value.code == "booking_blocked"
    assert "2026-12-17" in refused.value.message


def test_a_blocked_citizen_can_still_be_booked_at_the_hall(setup, citizen):
    for day in ("2026-11-03", "2026-11-10", "2026-11-17"):
        _no_show(setup, citizen, day)
    assert book(setup, phone=citizen.phone).channel == "hall"


def test_the_block_ends_after_thirty_days(setup, citizen):
    for day in ("2026-11-03", "2026-11-10", "2026-11-17"):
        _no_show(setup, citizen, day)
    with pytest.raises(DomainError):
        book(setup, citizen=citizen, day="2026-12-17", now=at("2026-12-16", 10))
    assert book(setup, citizen=citizen, day="2026-12-18", now=at("2026-12-17", 10)).status == "booked"


def test_two_no_shows_do_not_block(setup, citizen):
    for day in ("2026-11-10", "2026-11-17"):
        _no_show(setup, citizen, day)
    assert not BookingBlock.objects.exists()
    assert book(setup, citizen=citizen).status == "booked"


@override_settings(ZHENGWU_APPOINTMENT_NO_SHOW_COUNT=2, ZHENGWU_APPOINTMENT_BLOCK_DAYS=7)
def test_the_no_show_rule_follows_the_settings(setup, citizen):
    for day in ("2026-11-10", "2026-11-17"):
        _no_show(setup, citizen, day)
    assert BookingBlock.objects.get(user=citizen).blocked_until == dt.date(2026, 11, 24)


# -- reminders -----------------------------------------------------------------------------------


def test_reminder_goes_out_once_on_the_previous_working_day(setup, citizen, caplog):
    book(setup, citizen=citizen, day="2026-11-25")
    assert services.appointments_send_reminders(today=dt.date(2026, 11, 23), now=at("2026-11-23", 18)) == 0
    with caplog.at_level(logging.INFO, logger="zhengwu.appointments.sms"):
        assert (
            services.appointments_send_reminders(today=dt.date(2026, 11, 24), now=at("2026-11-24", 18)) == 1
        )
    assert services.appointments_send_reminders(today=dt.date(2026, 11, 24), now=at("2026-11-24", 19)) == 0
    assert Appointment.objects.get().reminded_at == at("2026-11-24", 18)
    logged = caplog.text
    assert citizen.phone not in logged and citizen.phone[-4:] in logged


def test_reminder_before_the_national_day_holiday_goes_out_on_the_last_working_day_before_it(setup, citizen):
    with clock.frozen(at("2026-09-29", 15)):
        book(setup, citizen=citizen, day="2026-10-08", now=at("2026-09-29", 15))
    assert services.appointments_send_reminders(today=dt.date(2026, 9, 29), now=at("2026-09-29", 18)) == 0
    assert services.appointments_send_reminders(today=dt.date(2026, 9, 30), now=at("2026-09-30", 18)) == 1
    assert services.appointments_send_reminders(today=dt.date(2026, 10, 7), now=at("2026-10-07", 18)) == 0


def test_cancelled_appointments_get_no_reminder(setup, citizen):
    appointment = book(setup, citizen=citizen, day="2026-11-25")
    services.appointment_cancel(appointment=appointment, actor=citizen, now=at("2026-11-23", 12))
    assert services.appointments_send_reminders(today=dt.date(2026, 11, 24), now=at("2026-11-24", 18)) == 0


def test_the_command_sends_reminders_and_marks_no_shows_with_progress(setup, citizen, capsys):
    book(setup, citizen=citizen, day="2026-11-24")
    with clock.frozen(at("2026-11-23", 18)):
        call_command("appointments", "remind")
    with clock.frozen(at("2026-11-24", 12)):
        call_command("appointments", "no-shows")
    out = capsys.readouterr().out
    assert "发送预约提醒 1 条" in out
    assert "标记爽约 1 条" in out


def test_the_command_refuses_a_future_date(setup):
    from django.core.management.base import CommandError

    with clock.frozen(at("2026-11-23")), pytest.raises(CommandError, match="不能按未来日期"):
        call_command("appointments", "remind", "--date", "2026-11-30")


# -- availability and figures --------------------------------------------------------------------


def test_availability_shows_remaining_places_per_slot_and_per_day(setup, citizen):
    book(setup, citizen=citizen)
    slots = selectors.slot_availability(setup.hall, setup.item, dt.date(2026, 11, 24), now=at("2026-11-23"))
    assert (slots[0].label, slots[0].remaining, slots[1].remaining) == ("09:00-09:30", 1, 2)
    days = selectors.day_availability(setup.hall, setup.item, now=at("2026-11-23", 13))
    assert [d.date for d in days][:2] == [dt.date(2026, 11, 24), dt.date(2026, 11, 25)]
    assert (days[0].capacity, days[0].remaining) == (26, 25)


def test_figures_count_kept_and_no_show_appointments_whose_slot_ended(setup, citizen):
    kept = book(setup, citizen=citizen)
    book(setup, phone="13700000002")
    cancelled = book(setup, phone="13700000003", slot="10:00")
    book(setup, phone="13700000004", slot="16:30")  # not ended by 12:00
    services.appointment_check_in(appointment=kept, actor=None, now=at("2026-11-24", 8, 50))
    services.appointment_cancel(appointment=cancelled, actor=None, now=at("2026-11-23", 16))
    services.appointments_mark_no_shows(now=at("2026-11-24", 12))
    figures = selectors.appointment_figures(
        date_from=dt.date(2026, 11, 24), date_to=dt.date(2026, 11, 24), as_of=at("2026-11-24", 12)
    )
    assert (figures.due, figures.kept, figures.no_show, figures.pending) == (2, 1, 1, 0)
    assert (figures.kept_rate, figures.no_show_rate) == (50.0, 50.0)
