"""Hall figures against hand-computed values: waits, service times, appointment keeping, the heat map,
rankings with ties, and 窗口现场审批率."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from zhengwu.domain import hall_figures as hf
from zhengwu.domain import metrics as dm

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = Decimal


def t(hour: int, minute: int, second: int = 0, day: int = 2) -> dt.datetime:
    """A moment on Monday 2026-11-02 (or another November day), Beijing time."""
    return dt.datetime(2026, 11, day, hour, minute, second, tzinfo=SHANGHAI)


# Four tickets of one morning (hand-computed):
#   A issued 09:00:00, called 09:12:30, served 09:13:00–09:25:00 → wait 750 s, service 720 s
#   B issued 09:05:00, called 09:40:00, finished 09:52:00, no start of service → wait 2100 s, no service
#   C issued 09:10:00, called 09:10:45, served 09:11:00–09:20:20 → wait 45 s, service 560 s
#   D issued 09:20:00, never called (left) → no wait, no service
TICKETS = [
    hf.TicketTimes(t(9, 0), t(9, 12, 30), t(9, 13), t(9, 25)),
    hf.TicketTimes(t(9, 5), t(9, 40), None, t(9, 52)),
    hf.TicketTimes(t(9, 10), t(9, 10, 45), t(9, 11), t(9, 20, 20)),
    hf.TicketTimes(t(9, 20)),
]


def test_the_mean_wait_is_the_issue_to_first_call_time_over_called_tickets_in_minutes():
    # (750 + 2100 + 45) / 3 = 965 s = 16.0833… min → 16.08
    assert hf.wait_sums(TICKETS).mean_minutes == D("16.08")


def test_the_longest_wait_is_the_largest_issue_to_call_time():
    # 2100 s = 35 min
    assert hf.wait_sums(TICKETS).max_minutes == D("35.00")


def test_a_ticket_never_called_has_no_waiting_time_and_is_left_out():
    assert hf.wait_seconds(TICKETS[3]) is None
    assert hf.wait_sums(TICKETS).count == 3


def test_the_mean_service_time_runs_from_service_start_to_finish_over_served_tickets():
    # A 720 s and C 560 s; B has no recorded start of service and is left out: 640 s = 10.667 min
    sums = hf.service_sums(TICKETS)
    assert (sums.count, sums.mean_minutes, sums.max_minutes) == (2, D("10.67"), D("12.00"))


def test_the_wait_within_target_rate_counts_called_tickets_waiting_no_longer_than_the_target():
    # 20-minute target: A (12.5 min) and C (0.75 min) in, B (35 min) out → 2 / 3 = 66.67 %
    assert hf.wait_sums(TICKETS).within_target_rate == D("66.67")
    # a wait of exactly the target is within it
    exact = [hf.TicketTimes(t(9, 0), t(9, 20))]
    assert hf.wait_sums(exact).within_target_rate == D("100.00")


def test_sums_of_groups_add_up_to_the_sums_of_all_tickets():
    morning, rest = hf.wait_sums(TICKETS[:2]), hf.wait_sums(TICKETS[2:])
    assert morning + rest == hf.wait_sums(TICKETS)


def test_figures_over_no_tickets_are_no_data_not_zero():
    empty = hf.wait_sums([])
    assert (empty.mean_minutes, empty.max_minutes, empty.within_target_rate) == (None, None, None)


def test_a_call_recorded_before_the_issue_is_bad_data_and_not_a_negative_wait():
    assert hf.wait_seconds(hf.TicketTimes(t(10, 0), t(9, 59))) is None


# -- appointments -------------------------------------------------------------------------------------

NOW = t(12, 0)


def test_the_keeping_and_no_show_rates_count_due_appointments_only():
    appointments = [
        ("checked_in", t(9, 0)),  # due, kept
        ("served", t(9, 30)),  # due, kept
        ("no_show", t(10, 0)),  # due, no-show
        ("booked", t(11, 0)),  # due, not yet marked: in the base of both rates only
        ("cancelled", t(9, 0)),  # never due
        ("booked", t(14, 0)),  # slot still to come: not due
    ]
    tally = hf.appointment_tally(appointments, now=NOW)
    assert (tally.due, tally.kept, tally.no_show, tally.cancelled) == (4, 2, 1, 1)
    assert tally.keeping_rate == D("50.00")  # 2 / 4
    assert tally.no_show_rate == D("25.00")  # 1 / 4


def test_a_slot_starting_right_now_is_due():
    assert hf.appointment_tally([("checked_in", NOW)], now=NOW).due == 1


def test_appointment_rates_over_no_due_appointment_are_no_data():
    tally = hf.appointment_tally([("cancelled", t(9, 0)), ("booked", t(15, 0))], now=NOW)
    assert (tally.keeping_rate, tally.no_show_rate) == (None, None)


# -- the heat map -------------------------------------------------------------------------------------


def test_the_heat_map_counts_tickets_by_local_weekday_and_hour():
    utc = dt.UTC
    moments = [
        dt.datetime(2026, 11, 2, 1, 5, tzinfo=utc),  # Monday 09:05 Beijing
        dt.datetime(2026, 11, 2, 1, 55, tzinfo=utc),  # Monday 09:55
        dt.datetime(2026, 11, 2, 6, 0, tzinfo=utc),  # Monday 14:00
        dt.datetime(2026, 11, 3, 17, 30, tzinfo=utc),  # Wednesday 01:30 Beijing (Tuesday in UTC)
    ]
    heat = hf.HeatMap.of(moments, SHANGHAI)
    assert heat.cells == {(0, 9): 2, (0, 14): 1, (2, 1): 1}
    matrix = heat.matrix()
    assert len(matrix) == 7 and all(len(row) == 24 for row in matrix)
    assert (matrix[0][9], matrix[2][1], heat.total, heat.peak) == (2, 1, 4, 2)
    assert heat.by_hour()[9] == 2


def test_the_heat_map_refuses_a_cell_outside_the_week():
    with pytest.raises(ValueError):
        hf.HeatMap.empty().add(7, 9)


# -- rankings -----------------------------------------------------------------------------------------


def test_equal_values_share_a_rank_and_the_next_rank_skips():
    values = {"1号窗口": D("90"), "2号窗口": D("95"), "3号窗口": D("90"), "4号窗口": D("80"), "5号窗口": None}
    ranked = hf.rank(values)
    assert [(r.key, r.rank) for r in ranked] == [
        ("2号窗口", 1),
        ("1号窗口", 2),
        ("3号窗口", 2),
        ("4号窗口", 4),
    ]


def test_a_lower_is_better_figure_ranks_the_smallest_first():
    ranked = hf.rank([("甲", D("12.5")), ("乙", D("3")), ("丙", D("3"))], direction=dm.Direction.LOWER)
    assert [(r.key, r.rank) for r in ranked] == [("乙", 1), ("丙", 1), ("甲", 3)]


# -- 窗口现场审批率 -------------------------------------------------------------------------------------

DAY = dt.date(2026, 11, 2)


def test_a_window_case_decided_on_its_receipt_day_is_decided_on_the_spot():
    assert hf.decided_on_the_spot(channel="window", window_id=3, received_on=DAY, decided_on=DAY)


@pytest.mark.parametrize(
    ("channel", "window_id", "decided_on"),
    [
        ("window", 3, DAY + dt.timedelta(days=1)),  # decided the next day: went back to the department
        ("window", 3, None),  # not decided (refused at intake, withdrawn, open)
        ("window", None, DAY),  # no intake window recorded
        ("online", 3, DAY),  # received online, not at a window
    ],
)
def test_other_cases_are_not_decided_on_the_spot(channel, window_id, decided_on):
    assert not hf.decided_on_the_spot(
        channel=channel, window_id=window_id, received_on=DAY, decided_on=decided_on
    )


def test_the_on_spot_rate_is_a_registry_ratio_over_window_receipts():
    # 7 of 8 window receipts decided on the spot: 87.5 %
    assert hf.on_spot_rate(7, 8) == D("87.50")
    assert dm.evaluate({"window_on_spot": 7, "window_received": 8}, ["window_on_spot_rate"]) == {
        "window_on_spot_rate": D("87.50")
    }
    assert hf.on_spot_rate(0, 0) is None


def test_every_hall_metric_is_a_provided_metric_with_a_chinese_definition():
    assert {m.code for m in hf.HALL_METRICS} == set(hf.HALL_CODES)
    for metric in hf.HALL_METRICS:
        assert metric.provided and metric.group == "大厅" and metric.doc and metric.name
