"""Appointment rules against examples worked by hand (2026 National Day: 10-01..10-07 off, make-up
working days Sunday 09-20 and Saturday 10-10)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from zhengwu.domain.appointments import (
    DEFAULT_PERIODS,
    NoShowRule,
    Period,
    Slot,
    bookable_dates,
    check_in_window,
    day_slots,
    no_show_block_until,
    no_show_due,
    periods_format,
    periods_parse,
    reminder_day,
    slot_times,
    spread_quota,
)
from zhengwu.domain.calendar import WorkCalendar

NATIONAL_DAY = {date(2026, 10, day): "国庆节" for day in range(1, 8)}
MAKEUP = {date(2026, 9, 20): "国庆节", date(2026, 10, 10): "国庆节"}
CALENDAR = WorkCalendar.build(NATIONAL_DAY, MAKEUP, date(2026, 1, 1), date(2026, 12, 31))


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_default_day_has_thirteen_half_hour_slots_six_in_the_morning_seven_in_the_afternoon():
    times = slot_times(DEFAULT_PERIODS, 30)
    assert len(times) == 13
    assert times[0] == (time(9, 0), time(9, 30))
    assert times[5] == (time(11, 30), time(12, 0))
    assert times[6] == (time(13, 30), time(14, 0))
    assert times[-1] == (time(16, 30), time(17, 0))


def test_a_last_piece_shorter_than_a_slot_is_not_offered():
    times = slot_times([Period(time(9, 0), time(12, 0))], 40)
    assert [start for start, _ in times] == [time(9, 0), time(9, 40), time(10, 20), time(11, 0)]
    assert times[-1][1] == time(11, 40)


def test_quota_is_spread_evenly_with_the_remainder_on_the_earliest_slots():
    assert spread_quota(30, 13) == (3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2)
    assert sum(spread_quota(30, 13)) == 30
    assert spread_quota(26, 13) == (2,) * 13


def test_a_quota_below_the_number_of_slots_leaves_later_slots_without_places():
    assert spread_quota(3, 5) == (1, 1, 1, 0, 0)


def test_day_slots_pair_each_slot_with_its_capacity():
    slots = day_slots([Period(time(9, 0), time(10, 0))], 30, 3)
    assert slots == (Slot(time(9, 0), time(9, 30), 2), Slot(time(9, 30), time(10, 0), 1))
    assert slots[0].label == "09:00-09:30"


def test_zero_or_negative_slot_length_is_refused():
    with pytest.raises(ValueError, match="时段长度"):
        slot_times(DEFAULT_PERIODS, 0)


def test_periods_round_trip_through_their_text_form():
    periods = periods_parse("09:00-12:00，13:30-17:00")
    assert periods == DEFAULT_PERIODS
    assert periods_format(periods) == "09:00-12:00,13:30-17:00"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9点到12点", "格式应为"),
        ("12:00-09:00", "结束时间须晚于开始时间"),
        ("09:00-12:00,11:00-14:00", "重叠"),
        ("", "至少需要一个"),
    ],
)
def test_malformed_periods_are_refused_with_a_chinese_reason(text, message):
    with pytest.raises(ValueError, match=message):
        periods_parse(text)


def test_horizon_is_the_next_seven_working_days_and_today_before_the_cutoff():
    # Monday 2026-11-23, 10:00: today plus 24–27, 30 Nov, 1–2 Dec.
    dates = bookable_dates(CALENDAR, now=datetime(2026, 11, 23, 10, 0))
    assert dates == (
        d("2026-11-23"),
        d("2026-11-24"),
        d("2026-11-25"),
        d("2026-11-26"),
        d("2026-11-27"),
        d("2026-11-30"),
        d("2026-12-01"),
        d("2026-12-02"),
    )


def test_today_is_not_offered_after_the_cutoff():
    dates = bookable_dates(CALENDAR, now=datetime(2026, 11, 23, 12, 0))
    assert dates[0] == d("2026-11-24")
    assert len(dates) == 7


def test_horizon_skips_the_golden_week_and_counts_the_makeup_saturday():
    # Tuesday 2026-09-29 after the cut-off: 30 Sep, then 8, 9, 10 (Sat, make-up), 12, 13, 14 Oct.
    dates = bookable_dates(CALENDAR, now=datetime(2026, 9, 29, 15, 0), horizon=7)
    assert dates == (
        d("2026-09-30"),
        d("2026-10-08"),
        d("2026-10-09"),
        d("2026-10-10"),
        d("2026-10-12"),
        d("2026-10-13"),
        d("2026-10-14"),
    )


def test_horizon_stops_where_the_calendar_data_ends():
    dates = bookable_dates(CALENDAR, now=datetime(2026, 12, 28, 15, 0))
    assert dates == (d("2026-12-29"), d("2026-12-30"), d("2026-12-31"))


def test_today_on_a_holiday_is_never_offered():
    dates = bookable_dates(CALENDAR, now=datetime(2026, 10, 6, 8, 0), horizon=2)
    assert dates == (d("2026-10-08"), d("2026-10-09"))


RULE = NoShowRule(count=3, within_days=30, block_days=30)


def test_three_no_shows_within_thirty_days_block_for_thirty_days():
    dates = [d("2026-11-02"), d("2026-11-10"), d("2026-12-01")]
    # 2026-12-01 − 29 days = 2026-11-02: all three fall inside the window.
    assert no_show_block_until(dates, on=d("2026-12-01"), rule=RULE) == d("2026-12-31")


def test_no_shows_spread_over_more_than_thirty_days_do_not_block():
    dates = [d("2026-11-01"), d("2026-11-10"), d("2026-12-01")]
    assert no_show_block_until(dates, on=d("2026-12-01"), rule=RULE) is None


def test_two_no_shows_do_not_block():
    assert no_show_block_until([d("2026-11-10"), d("2026-11-11")], on=d("2026-11-11"), rule=RULE) is None


def test_no_shows_counted_for_an_earlier_block_are_not_counted_again():
    dates = [d("2026-11-02"), d("2026-11-03"), d("2026-11-04"), d("2026-11-20")]
    assert no_show_block_until(dates, on=d("2026-11-20"), rule=RULE, counted_after=d("2026-11-04")) is None


def test_the_rule_is_configurable():
    rule = NoShowRule(count=2, within_days=7, block_days=14)
    assert no_show_block_until([d("2026-11-02"), d("2026-11-08")], on=d("2026-11-08"), rule=rule) == d(
        "2026-11-22"
    )
    assert no_show_block_until([d("2026-11-01"), d("2026-11-08")], on=d("2026-11-08"), rule=rule) is None


def test_reminder_on_the_previous_working_day():
    assert reminder_day(CALENDAR, d("2026-11-25")) == d("2026-11-24")
    assert reminder_day(CALENDAR, d("2026-11-30")) == d("2026-11-27")  # Monday → Friday


def test_reminder_before_a_holiday_goes_out_on_the_last_working_day_before_it():
    assert reminder_day(CALENDAR, d("2026-10-08")) == d("2026-09-30")
    assert reminder_day(CALENDAR, d("2026-10-12")) == d("2026-10-10")  # the make-up Saturday


def test_check_in_opens_thirty_minutes_before_and_closes_fifteen_after_the_start():
    start = datetime(2026, 11, 25, 9, 30)
    assert check_in_window(start) == (datetime(2026, 11, 25, 9, 0), datetime(2026, 11, 25, 9, 45))
    assert check_in_window(start, before_minutes=10, after_minutes=0) == (
        datetime(2026, 11, 25, 9, 20),
        start,
    )


def test_no_show_is_due_only_after_the_slot_end_plus_grace():
    end = datetime(2026, 11, 25, 10, 0)
    assert not no_show_due(end, end + timedelta(minutes=29))
    assert no_show_due(end, end + timedelta(minutes=30))
