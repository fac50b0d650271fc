"""The hall queue services: issuing, priority order, call / recall / skip / no-show / transfer, serving."""

from __future__ import annotations

import pytest

from zhengwu.catalog.tests.factories import make_item
from zhengwu.common.errors import DomainError, PermissionDenied
from zhengwu.queueing import selectors, services
from zhengwu.queueing.models import QueueEvent, QueueTicket, WindowGroup
from zhengwu.queueing.services import Conflict
from zhengwu.queueing.tests.factories import at, issue, make_hall

pytestmark = pytest.mark.django_db


def call(h, clerk=None, window=None, minute=0):
    clerk = clerk or h.clerk1
    return services.ticket_call_next(window=window or clerk.window, staff=clerk, now=at(10, minute))


def test_numbers_count_up_per_group_letter_from_one_each_day(h):
    first, second = issue(h), issue(h)
    other = issue(h, group=h.b)
    tomorrow = issue(h, when=at(9, day="2026-06-02"))
    assert [first.number, second.number, other.number, tomorrow.number] == ["A001", "A002", "B001", "A001"]
    assert first.day.isoformat() == "2026-06-01" and first.token != second.token


def test_issue_writes_an_issue_event(h):
    ticket = issue(h)
    assert list(ticket.events.values_list("action", "to_status")) == [("issue", "waiting")]


def test_an_item_routes_to_the_group_of_its_department(h, settings):
    item = make_item(department=h.department)
    ticket = services.ticket_issue(hall=h.hall, item=item, priority="normal", source="phone", now=at(9))
    assert ticket.group == h.a and ticket.item == item


def test_an_item_listed_on_a_group_routes_there_before_its_department(h):
    item = make_item(department=h.department)
    h.b.items.add(item)
    ticket = services.ticket_issue(hall=h.hall, item=item, priority="normal", source="phone", now=at(9))
    assert ticket.group == h.b


def test_an_item_no_group_handles_is_refused_naming_the_item(h):
    item = make_item()
    with pytest.raises(DomainError) as error:
        services.ticket_issue(hall=h.hall, item=item, priority="normal", source="kiosk", now=at(9))
    assert "item" in error.value.fields and item.name in error.value.message


def test_a_kiosk_cannot_claim_the_appointment_class(h):
    with pytest.raises(DomainError) as error:
        services.ticket_issue(hall=h.hall, group=h.a, priority="appointment", source="kiosk", now=at(9))
    assert error.value.fields == {"priority": ["预约号须在预约签到时领取。"]}


def test_appointment_check_in_issues_with_the_reference(h):
    ticket = services.ticket_issue(
        hall=h.hall,
        group=h.a,
        priority="appointment",
        source="appointment",
        appointment_ref="YY001",
        now=at(9),
    )
    assert (ticket.priority, ticket.source, ticket.appointment_ref) == ("appointment", "appointment", "YY001")


def test_a_group_of_another_hall_is_refused(h):
    other = make_hall("430902000000")
    with pytest.raises(DomainError) as error:
        issue(h, group=other.a)
    assert "group" in error.value.fields


def test_an_unknown_priority_is_refused_in_chinese(h):
    with pytest.raises(DomainError, match="优先类别无效"):
        issue(h, priority="vip")


def test_calls_follow_priority_rank_then_issue_time(h, settings):
    settings.ZHENGWU_QUEUE_MAX_STREAK = 0
    normal1 = issue(h, when=at(9, 0))
    elderly = issue(h, "elderly", when=at(9, 1))
    normal2 = issue(h, when=at(9, 2))
    appointment = issue(h, "appointment", when=at(9, 3))
    disabled = issue(h, "disabled", when=at(9, 4))
    order = []
    for minute in range(5):
        ticket = call(h, minute=minute)
        order.append(ticket.pk)
        services.ticket_finish(ticket=ticket, staff=h.clerk1, now=at(10, minute))
    assert order == [appointment.pk, elderly.pk, disabled.pk, normal1.pk, normal2.pk]


def test_after_three_priority_calls_in_a_row_a_waiting_normal_ticket_is_called(h, settings):
    settings.ZHENGWU_QUEUE_MAX_STREAK = 3
    normal = issue(h, when=at(9, 0))
    priority = [issue(h, "elderly", when=at(9, m)) for m in (1, 2, 3, 4)]
    order = []
    for minute in range(5):
        ticket = call(h, minute=minute)
        order.append(ticket.pk)
        services.ticket_finish(ticket=ticket, staff=h.clerk1, now=at(10, minute))
    assert order == [priority[0].pk, priority[1].pk, priority[2].pk, normal.pk, priority[3].pk]


def test_call_next_sets_window_staff_and_both_call_times(h):
    issue(h)
    ticket = call(h, minute=5)
    assert ticket.status == "called" and ticket.window == h.w1 and ticket.staff == h.clerk1
    assert ticket.called_at == at(10, 5) == ticket.last_called_at
    assert ticket.events.last().action == "call"


def test_call_next_only_takes_tickets_of_the_windows_groups(h):
    issue(h, group=h.b)
    assert call(h) is None
    assert call(h, h.clerk3).number == "B001"


def test_call_next_with_nobody_waiting_is_none(h):
    assert call(h) is None


def test_a_window_must_finish_its_current_ticket_before_calling_the_next(h):
    issue(h), issue(h)
    call(h)
    with pytest.raises(DomainError, match="尚未办结"):
        call(h, minute=1)


def test_only_the_staff_assigned_to_the_window_may_call(h):
    issue(h)
    with pytest.raises(PermissionDenied):
        services.ticket_call_next(window=h.w1, staff=h.clerk2, now=at(10))
    with pytest.raises(PermissionDenied):
        services.ticket_call_next(window=h.w1, staff=h.manager, now=at(10))


def test_a_clerk_of_another_hall_cannot_call_here(h):
    other = make_hall("430902000000")
    issue(h)
    with pytest.raises(PermissionDenied):
        services.ticket_call_next(window=h.w1, staff=other.clerk1, now=at(10))


def test_recall_counts_up_to_the_limit_then_refuses(h, settings):
    settings.ZHENGWU_QUEUE_MAX_RECALLS = 2
    issue(h)
    ticket = call(h)
    ticket = services.ticket_recall(ticket=ticket, staff=h.clerk1, now=at(10, 1))
    ticket = services.ticket_recall(ticket=ticket, staff=h.clerk1, now=at(10, 2))
    assert ticket.recall_count == 2 and ticket.last_called_at == at(10, 2) and ticket.called_at == at(10)
    with pytest.raises(DomainError, match="已重呼 2 次"):
        services.ticket_recall(ticket=ticket, staff=h.clerk1, now=at(10, 3))


def test_skip_with_recalls_left_requeues_behind_those_waiting(h):
    issue(h, when=at(9, 0))
    later = issue(h, when=at(9, 30))
    first = call(h)
    skipped = services.ticket_skip(ticket=first, staff=h.clerk1, now=at(10, 1))
    assert skipped.status == "waiting" and skipped.window is None and skipped.queued_at == at(10, 1)
    assert skipped.issued_at == at(9, 0)  # the waiting-time figure keeps the real issue time
    assert call(h, minute=2) == later


def test_skip_after_the_last_recall_is_a_no_show(h, settings):
    settings.ZHENGWU_QUEUE_MAX_RECALLS = 1
    issue(h)
    ticket = call(h)
    ticket = services.ticket_recall(ticket=ticket, staff=h.clerk1, now=at(10, 1))
    ticket = services.ticket_skip(ticket=ticket, staff=h.clerk1, now=at(10, 2))
    assert ticket.status == "no_show" and ticket.finished_at == at(10, 2)
    assert QueueTicket.objects.get(pk=ticket.pk).status == "no_show"
    assert call(h, minute=3) is None


def test_a_no_show_ticket_cannot_be_called_again(h, settings):
    settings.ZHENGWU_QUEUE_MAX_RECALLS = 0
    issue(h)
    ticket = services.ticket_skip(ticket=call(h), staff=h.clerk1, now=at(10, 1))
    with pytest.raises(DomainError, match="过号未到"):
        services.ticket_recall(ticket=ticket, staff=h.clerk1, now=at(10, 2))


def test_transfer_keeps_the_number_and_the_original_queue_time(h):
    early = issue(h, when=at(9, 0))
    issue(h, group=h.b, when=at(9, 10))
    ticket = call(h)
    moved = services.ticket_transfer(ticket=ticket, to_group=h.b, actor=h.clerk1, now=at(10, 5))
    assert (moved.status, moved.group, moved.transferred_from, moved.number) == (
        "waiting",
        h.b,
        h.a,
        early.number,
    )
    assert moved.queued_at == at(9, 0) and moved.window is None and moved.recall_count == 0
    # issued 09:00, it goes before B001 issued 09:10
    assert call(h, h.clerk3, minute=6).pk == early.pk


def test_transfer_to_the_same_group_or_another_hall_is_refused(h):
    other = make_hall("430902000000")
    issue(h)
    ticket = call(h)
    with pytest.raises(DomainError) as same:
        services.ticket_transfer(ticket=ticket, to_group=h.a, actor=h.clerk1, now=at(10))
    with pytest.raises(DomainError) as foreign:
        services.ticket_transfer(ticket=ticket, to_group=other.b, actor=h.clerk1, now=at(10))
    assert "to_group" in same.value.fields and "to_group" in foreign.value.fields


def test_another_window_cannot_transfer_a_ticket_it_did_not_call(h):
    issue(h)
    ticket = call(h)
    with pytest.raises(PermissionDenied):
        services.ticket_transfer(ticket=ticket, to_group=h.b, actor=h.clerk2, now=at(10))


def test_a_hall_manager_may_transfer_a_waiting_ticket(h):
    ticket = issue(h)
    moved = services.ticket_transfer(ticket=ticket, to_group=h.b, actor=h.manager, now=at(10))
    assert moved.group == h.b


def test_serving_then_finishing_sets_the_service_times(h):
    issue(h)
    ticket = call(h, minute=0)
    ticket = services.ticket_start_serving(ticket=ticket, staff=h.clerk1, now=at(10, 1))
    ticket = services.ticket_finish(ticket=ticket, staff=h.clerk1, now=at(10, 9))
    stored = QueueTicket.objects.get(pk=ticket.pk)
    assert (stored.status, stored.serve_started_at, stored.finished_at) == ("done", at(10, 1), at(10, 9))
    actions = list(QueueEvent.objects.filter(ticket=ticket).values_list("action", flat=True))
    assert actions == ["issue", "call", "start", "finish"]


def test_a_stale_version_conflicts(h):
    issue(h)
    ticket = call(h)
    stale = ticket.version
    services.ticket_recall(ticket=ticket, staff=h.clerk1, now=at(10, 1))
    with pytest.raises(Conflict):
        services.ticket_finish(ticket=ticket, staff=h.clerk1, now=at(10, 2), version=stale)


def test_linking_a_case_starts_serving_and_keeps_the_link(h):
    from zhengwu.cases import services as case_services
    from zhengwu.cases.tests.factories import make_applicant

    item = make_item(department=h.department)
    issue(h)
    ticket = call(h)
    case = case_services.case_create(
        item=item, applicant=make_applicant(), channel="window", now=at(10, 1), window=h.w1
    )
    linked = services.ticket_link_case(ticket=ticket, case=case, staff=h.clerk1, now=at(10, 1))
    assert linked.status == "serving" and linked.case == case and linked.serve_started_at == at(10, 1)
    assert case.queue_tickets.get() == ticket


def test_the_citizen_may_cancel_a_waiting_ticket(h):
    ticket = services.ticket_cancel(ticket=issue(h), now=at(9, 30))
    assert ticket.status == "cancelled"


def test_progress_counts_people_ahead_and_estimates_the_wait(h):
    # Hand-computed: 2 open windows in A (clerks 1 and 2), default S = 600 s.
    # The 4th ticket has 3 ahead: ceil(3 × 600 / 2 / 60) = 15 minutes.
    tickets = [issue(h, when=at(9, m)) for m in range(4)]
    progress = selectors.ticket_progress(tickets[3], at(9, 5))
    assert (progress.ahead, progress.open_windows, progress.wait_minutes) == (3, 2, 15)


def test_the_estimate_uses_the_mean_of_recently_served_tickets(h, settings):
    # Served 5, 7 and 9 minutes → S = 420 s; 2 ahead, 2 windows: ceil(2 × 420 / 2 / 60) = 7.
    for minutes in (5, 7, 9):
        issue(h, when=at(8))
        ticket = call(h)
        services.ticket_start_serving(ticket=ticket, staff=h.clerk1, now=at(10))
        services.ticket_finish(ticket=ticket, staff=h.clerk1, now=at(10, minutes))
    tickets = [issue(h, when=at(11, m)) for m in range(3)]
    progress = selectors.ticket_progress(tickets[2], at(11, 5))
    assert (progress.ahead, progress.wait_minutes) == (2, 7)


def test_no_estimate_when_no_window_of_the_group_is_staffed(h):
    h.clerk3.window = None
    h.clerk3.save()
    ticket = issue(h, group=h.b)
    assert selectors.ticket_progress(ticket, at(9, 5)).wait_minutes is None


def test_board_shows_current_calls_and_next_numbers_only(h):
    issue(h, when=at(9, 0))
    issue(h, when=at(9, 1))
    issue(h, "elderly", when=at(9, 2))
    called = call(h)
    board = selectors.hall_board(hall=h.hall, now=at(10, 1))
    by_window = {row.window.number: row.number for row in board.windows}
    assert by_window == {"1": called.number, "2": "", "3": ""}
    a = next(g for g in board.groups if g.group.code == "A")
    assert called.number == "A003" and a.next_numbers == ["A001", "A002"] and a.waiting == 2
    assert board.latest == called


def test_an_inactive_group_takes_no_numbers(h):
    WindowGroup.objects.filter(pk=h.b.pk).update(is_active=False)
    h.b.refresh_from_db()
    with pytest.raises(DomainError):
        issue(h, group=h.b)
