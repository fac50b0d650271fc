"""The hall queue rules against hand-computed examples (ordering, fairness, position, wait, recalls)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.domain import queueing as q
from zhengwu.domain.queueing import Action, Priority, Status, Waiting

RANKS = q.parse_order(q.DEFAULT_ORDER)
T0 = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def w(id_: int, priority: str, minute: int) -> Waiting:
    return Waiting(id=id_, priority=priority, queued_at=T0 + dt.timedelta(minutes=minute))


LINE = [
    w(1, Priority.NORMAL, 0),
    w(2, Priority.NORMAL, 1),
    w(3, Priority.ELDERLY, 2),
    w(4, Priority.APPOINTMENT, 3),
    w(5, Priority.DISABLED, 4),
    w(6, Priority.NORMAL, 5),
]


def test_default_order_ranks_appointment_first_then_elderly_and_disabled_alike_then_normal():
    assert RANKS == {"appointment": 0, "elderly": 1, "disabled": 1, "normal": 2}


def test_configured_order_can_put_elderly_before_appointments():
    ranks = q.parse_order("elderly|disabled, appointment, normal")
    assert [t.id for t in q.ordered(LINE, ranks)] == [3, 5, 4, 1, 2, 6]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("appointment,elderly,normal", "缺少类别：disabled"),
        ("appointment,vip,elderly|disabled,normal", "未知的类别：vip"),
        ("appointment,normal,elderly|disabled,normal", "类别重复：normal"),
    ],
)
def test_a_bad_order_setting_is_refused_in_chinese(text, message):
    with pytest.raises(ValueError, match=message):
        q.parse_order(text)


def test_order_is_priority_rank_then_queue_time():
    assert [t.id for t in q.ordered(LINE, RANKS)] == [4, 3, 5, 1, 2, 6]


def test_tickets_queued_at_the_same_instant_are_ordered_by_id():
    same = [w(9, Priority.NORMAL, 0), w(7, Priority.NORMAL, 0)]
    assert [t.id for t in q.ordered(same, RANKS)] == [7, 9]


def test_pick_next_takes_the_first_by_the_key_below_the_streak_limit():
    assert q.pick_next(LINE, RANKS, streak=2, max_streak=3) == LINE[3]


def test_after_max_streak_priority_calls_the_oldest_normal_ticket_is_called():
    assert q.pick_next(LINE, RANKS, streak=3, max_streak=3) == LINE[0]


def test_after_max_streak_a_priority_ticket_is_still_called_when_no_normal_one_waits():
    only_priority = [LINE[2], LINE[3]]
    assert q.pick_next(only_priority, RANKS, streak=5, max_streak=3) == LINE[3]


def test_a_streak_limit_of_zero_turns_fairness_off():
    assert q.pick_next(LINE, RANKS, streak=10, max_streak=0) == LINE[3]


def test_pick_next_of_an_empty_line_is_none():
    assert q.pick_next([], RANKS, streak=0, max_streak=3) is None


def test_streak_counts_priority_calls_newest_first_up_to_the_first_normal():
    recent = ["appointment", "elderly", "normal", "disabled", "appointment"]
    assert q.priority_streak(recent, RANKS) == 2
    assert q.priority_streak(["normal", "appointment"], RANKS) == 0
    assert q.priority_streak([], RANKS) == 0


def test_fairness_walkthrough_three_priority_calls_then_one_normal():
    # Hand-computed: 4 appointments (ids 11–14) and 2 normal tickets (1, 2) wait, K = 3.
    # Calls: 11, 12, 13 (streak 3) → 1 (normal) → 14 (streak 0 again) → 2.
    line = [w(1, "normal", 0), w(2, "normal", 1)] + [w(10 + i, "appointment", 10 + i) for i in range(1, 5)]
    recent: list[str] = []
    calls = []
    while line:
        ticket = q.pick_next(line, RANKS, streak=q.priority_streak(recent, RANKS), max_streak=3)
        assert ticket is not None
        calls.append(ticket.id)
        recent.insert(0, ticket.priority)
        line.remove(ticket)
    assert calls == [11, 12, 13, 1, 14, 2]


def test_people_ahead_counts_the_tickets_before_by_the_key():
    assert q.people_ahead(4, LINE, RANKS) == 0
    assert q.people_ahead(1, LINE, RANKS) == 3
    assert q.people_ahead(6, LINE, RANKS) == 5


def test_people_ahead_of_a_ticket_not_waiting_is_an_error():
    with pytest.raises(ValueError, match="不在等候队列"):
        q.people_ahead(99, LINE, RANKS)


def test_average_service_time_is_the_mean_rounded_half_up():
    # (300 + 420 + 545) / 3 = 421.67 → 422; (300 + 301) / 2 = 300.5 → 301
    assert q.average_service_seconds([300, 420, 545], min_samples=3) == 422
    assert q.average_service_seconds([300, 301], min_samples=2) == 301


def test_average_service_time_falls_back_to_the_default_with_too_few_samples():
    assert q.average_service_seconds([60, 60], default=600, min_samples=3) == 600
    assert q.average_service_seconds([], default=480) == 480


@pytest.mark.parametrize(
    ("ahead", "seconds", "windows", "minutes"),
    [
        (0, 600, 2, 0),  # first in line
        (5, 504, 2, 21),  # 5 × 504 / 2 = 1260 s = 21 min exactly
        (5, 505, 2, 22),  # 1262.5 s = 21.04 min → 22
        (1, 600, 3, 4),  # 200 s = 3.33 min → 4
        (7, 422, 1, 50),  # 2954 s = 49.23 min → 50
    ],
)
def test_estimated_wait_is_ceil_of_ahead_times_service_over_windows(ahead, seconds, windows, minutes):
    assert q.estimated_wait_minutes(ahead=ahead, service_seconds=seconds, open_windows=windows) == minutes


def test_no_estimate_without_an_open_window():
    assert q.estimated_wait_minutes(ahead=3, service_seconds=600, open_windows=0) is None


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        q.estimated_wait_minutes(ahead=-1, service_seconds=600, open_windows=1)


def test_recalls_are_allowed_up_to_the_limit():
    assert q.recall_allowed(0, 2) and q.recall_allowed(1, 2)
    assert not q.recall_allowed(2, 2)


def test_skip_requeues_while_recalls_are_left_and_is_a_no_show_after_the_last():
    assert q.skip_outcome(0, 2) == Status.WAITING
    assert q.skip_outcome(1, 2) == Status.WAITING
    assert q.skip_outcome(2, 2) == Status.NO_SHOW


def test_numbers_have_a_letter_and_at_least_three_digits():
    assert q.format_number("A", 23) == "A023"
    assert q.format_number("B", 1000) == "B1000"
    with pytest.raises(ValueError):
        q.format_number("A", 0)


@pytest.mark.parametrize(
    ("status", "action", "after"),
    [(s, a, after) for (s, a), after in q.TRANSITIONS.items()],
)
def test_every_transition_in_the_table(status, action, after):
    assert q.next_status(status, action) == after


@pytest.mark.parametrize(
    ("status", "action"),
    [(s, a) for s in Status for a in Action if (s, a) not in q.TRANSITIONS],
)
def test_every_pair_not_in_the_table_is_refused_in_chinese(status, action):
    with pytest.raises(q.TransitionNotAllowed, match="当前状态"):
        q.next_status(status, action)


def test_final_statuses_allow_nothing():
    for status in q.FINAL:
        for action in Action:
            assert (status, action) not in q.TRANSITIONS
