"""The working-day calendar against the official schedules and the worked examples of DOMAIN §3–§4.3."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from chinese_calendar.constants import holidays as package_holidays
from chinese_calendar.constants import workdays as package_workdays
from hypothesis import assume, given
from hypothesis import strategies as st

from zhengwu.domain.calendar import (
    HOLIDAY_NAMES_ZH,
    CalendarNotAvailable,
    CountedDay,
    SkippedDay,
    WorkCalendar,
)

FIRST, LAST = date(2004, 1, 1), date(2026, 12, 31)
CALENDAR = WorkCalendar.build(
    {day: HOLIDAY_NAMES_ZH[name] for day, name in package_holidays.items()},
    {day: HOLIDAY_NAMES_ZH[name] for day, name in package_workdays.items()},
    FIRST,
    LAST,
)
add = CALENDAR.add_workdays


def d(text: str) -> date:
    return date.fromisoformat(text)


def days(first: str, last: str) -> list[date]:
    start, end = d(first), d(last)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# -- the official data ---------------------------------------------------------------------------------


def test_every_day_from_2004_to_2026_agrees_with_the_chinesecalendar_package():
    disagreements = [
        day
        for day in days("2004-01-01", "2026-12-31")
        if CALENDAR.is_workday(day) != chinese_calendar.is_workday(day)
    ]
    assert disagreements == []


def test_every_holiday_name_of_the_package_has_a_chinese_name():
    assert set(package_holidays.values()) | set(package_workdays.values()) <= HOLIDAY_NAMES_ZH.keys()


# DOMAIN §3.2: (holiday, first day off, last day off, make-up working days)
SCHEDULES = {
    2025: [
        ("元旦", "2025-01-01", "2025-01-01", []),
        ("春节", "2025-01-28", "2025-02-04", ["2025-01-26", "2025-02-08"]),
        ("清明节", "2025-04-04", "2025-04-06", []),
        ("劳动节", "2025-05-01", "2025-05-05", ["2025-04-27"]),
        ("端午节", "2025-05-31", "2025-06-02", []),
        # 10-01 – 10-08, 8 days, with 中秋 on 10-06
        ("国庆节", "2025-10-01", "2025-10-05", ["2025-09-28"]),
        ("中秋节", "2025-10-06", "2025-10-06", []),
        ("国庆节", "2025-10-07", "2025-10-08", ["2025-10-11"]),
    ],
    2026: [
        ("元旦", "2026-01-01", "2026-01-03", ["2026-01-04"]),
        ("春节", "2026-02-15", "2026-02-23", ["2026-02-14", "2026-02-28"]),
        ("清明节", "2026-04-04", "2026-04-06", []),
        ("劳动节", "2026-05-01", "2026-05-05", ["2026-05-09"]),
        ("端午节", "2026-06-19", "2026-06-21", []),
        ("中秋节", "2026-09-25", "2026-09-27", []),
        ("国庆节", "2026-10-01", "2026-10-07", ["2026-09-20", "2026-10-10"]),
    ],
}
SCHEDULE_ROWS = [(year, *row) for year, rows in SCHEDULES.items() for row in rows]


@pytest.mark.parametrize(("year", "holiday", "first", "last", "makeups"), SCHEDULE_ROWS)
def test_official_schedule_row_gives_its_days_off_and_makes_up_its_working_days(
    year, holiday, first, last, makeups
):
    for day in days(first, last):
        assert not CALENDAR.is_workday(day), day
        if day.weekday() < 5:
            assert CALENDAR.day_status(day).reason == holiday, day
    for text in makeups:
        assert CALENDAR.day_status(d(text)).label == "工作日（调休上班）"


@pytest.mark.parametrize("year", sorted(SCHEDULES))
def test_outside_the_official_schedule_every_day_follows_the_monday_to_friday_rule(year):
    listed = set()
    for _, first, last, makeups in SCHEDULES[year]:
        listed |= set(days(first, last)) | {d(text) for text in makeups}
    for day in days(f"{year}-01-01", f"{year}-12-31"):
        if day not in listed:
            assert CALENDAR.is_workday(day) == (day.weekday() < 5), day


def test_day_status_labels_say_why_a_day_does_or_does_not_count():
    assert CALENDAR.day_status(d("2026-02-14")).label == "工作日（调休上班）"
    assert CALENDAR.day_status(d("2026-02-16")).label == "非工作日（春节）"
    assert CALENDAR.day_status(d("2026-03-07")).label == "非工作日（周六）"
    assert CALENDAR.day_status(d("2026-03-08")).label == "非工作日（周日）"
    assert CALENDAR.day_status(d("2026-03-09")).label == "工作日"


# -- DOMAIN §4.3 worked examples ------------------------------------------------------------------------


def ordinals(start: str, n: int) -> dict[date, int]:
    return {counted.date: counted.ordinal for counted in CALENDAR.explain(d(start), n).counted}


def test_example_a_promise_of_5_working_days_from_tuesday_0210_spans_the_spring_festival_to_0224():
    assert add(d("2026-02-10"), 5) == d("2026-02-24")
    assert add(d("2026-02-10"), 4) == d("2026-02-14"), "the reminder falls on the make-up Saturday"


def test_example_a_statutory_20_working_days_from_0210_end_on_monday_0316():
    assert add(d("2026-02-10"), 20) == d("2026-03-16")
    counted = ordinals("2026-02-10", 20)
    assert counted[d("2026-02-28")] == 9
    assert counted[d("2026-03-02")] == 10
    assert counted[d("2026-03-13")] == 19
    assert counted[d("2026-03-16")] == 20


def test_example_a_rectification_of_3_working_days_from_0225_ends_on_the_make_up_saturday_0228():
    assert add(d("2026-02-25"), 3) == d("2026-02-28")


def test_example_a_explanation_counts_the_make_up_saturday_and_names_each_spring_festival_day():
    explanation = CALENDAR.explain(d("2026-02-10"), 5)
    assert explanation.due == d("2026-02-24")
    assert explanation.counted == (
        CountedDay(d("2026-02-11"), 1, ""),
        CountedDay(d("2026-02-12"), 2, ""),
        CountedDay(d("2026-02-13"), 3, ""),
        CountedDay(d("2026-02-14"), 4, "调休上班"),
        CountedDay(d("2026-02-24"), 5, ""),
    )
    assert explanation.skipped == tuple(SkippedDay(day, "春节") for day in days("2026-02-15", "2026-02-23"))


def test_example_b_intake_of_5_working_days_from_0428_skips_may_day_and_ends_0508():
    assert add(d("2026-04-28"), 5) == d("2026-05-08")
    assert ordinals("2026-04-28", 5) == {
        d("2026-04-29"): 1,
        d("2026-04-30"): 2,
        d("2026-05-06"): 3,
        d("2026-05-07"): 4,
        d("2026-05-08"): 5,
    }


def test_example_b_counting_from_0508_starts_on_the_make_up_saturday_0509():
    assert add(d("2026-05-08"), 1) == d("2026-05-09")
    assert add(d("2026-05-08"), 2) == d("2026-05-11")
    assert add(d("2026-05-08"), 20) == d("2026-06-04")
    assert add(d("2026-05-08"), 10) == d("2026-05-21")


def test_example_c_intake_from_friday_0918_counts_the_make_up_sunday_and_ends_0924():
    assert add(d("2026-09-18"), 1) == d("2026-09-20")
    assert add(d("2026-09-18"), 5) == d("2026-09-24")


def test_example_c_statutory_period_from_deemed_acceptance_0918_crosses_national_day_to_1022():
    assert add(d("2026-09-18"), 20) == d("2026-10-22")
    counted = ordinals("2026-09-18", 20)
    assert counted[d("2026-09-28")] == 6
    assert counted[d("2026-09-30")] == 8
    assert counted[d("2026-10-08")] == 9
    assert counted[d("2026-10-10")] == 11


def test_example_c_had_the_notice_been_timely_the_period_from_0928_would_end_1030():
    assert add(d("2026-09-28"), 20) == d("2026-10-30")


def test_example_d_expert_review_pause_holds_13_working_days_and_dragon_boat_day_is_skipped():
    assert add(d("2026-06-01"), 20) == d("2026-06-30")
    assert CALENDAR.workdays_between(d("2026-06-01"), d("2026-06-08")) == 5
    assert CALENDAR.workdays_between(d("2026-06-08"), d("2026-06-26")) == 13
    assert CALENDAR.day_status(d("2026-06-19")).label == "非工作日（端午节）"


def test_example_d_remaining_15_working_days_after_the_pause_end_0717_and_the_extension_0731():
    assert add(d("2026-06-26"), 1) == d("2026-06-29")
    assert add(d("2026-06-26"), 15) == d("2026-07-17")
    assert add(d("2026-07-17"), 10) == d("2026-07-31")


def test_example_e_certificate_10_working_days_from_0923_end_1014():
    assert add(d("2026-09-23"), 10) == d("2026-10-14")
    counted = ordinals("2026-09-23", 10)
    assert counted[d("2026-09-24")] == 1
    assert counted[d("2026-09-28")] == 2
    assert counted[d("2026-10-10")] == 7


def test_example_f_joint_handling_45_working_days_from_0302_end_0508_and_15_more_end_0528():
    assert add(d("2026-03-02"), 45) == d("2026-05-08")
    skipped = {day.date for day in CALENDAR.explain(d("2026-03-02"), 45).skipped}
    assert {d("2026-04-06"), d("2026-05-01"), d("2026-05-04"), d("2026-05-05")} <= skipped
    assert add(d("2026-05-08"), 15) == d("2026-05-28")
    assert d("2026-05-09") in ordinals("2026-05-08", 15)
    assert add(d("2026-03-02"), 60) == d("2026-05-28")


def test_example_g_natural_day_period_ending_on_national_day_rolls_forward_to_1008():
    assert CALENDAR.add_natural_days(d("2026-09-01"), 30) == d("2026-10-08")


def test_natural_day_period_ending_on_a_working_day_ends_that_day():
    assert CALENDAR.add_natural_days(d("2026-09-01"), 29) == d("2026-09-30")


def test_twenty_working_days_from_0930_end_1103():
    assert add(d("2026-09-30"), 20) == d("2026-11-03")


# -- counting conventions -------------------------------------------------------------------------------


def test_zero_working_days_end_on_day_zero_even_when_it_is_a_day_off():
    assert add(d("2026-02-15"), 0) == d("2026-02-15")
    assert CALENDAR.explain(d("2026-02-15"), 0).counted == ()


def test_counting_may_start_on_a_holiday():
    assert add(d("2026-02-16"), 1) == d("2026-02-24")


def test_next_workday_is_the_day_itself_when_it_is_a_working_day():
    assert CALENDAR.next_workday(d("2026-02-14")) == d("2026-02-14")
    assert CALENDAR.next_workday(d("2026-02-15")) == d("2026-02-24")


def test_workdays_between_is_zero_when_end_is_not_after_start():
    assert CALENDAR.workdays_between(d("2026-03-02"), d("2026-03-02")) == 0
    assert CALENDAR.workdays_between(d("2026-03-03"), d("2026-03-02")) == 0


def test_negative_working_days_are_refused_in_chinese():
    with pytest.raises(ValueError, match="工作日数不能为负数"):
        add(d("2026-03-02"), -1)
    with pytest.raises(ValueError, match="自然日数不能为负数"):
        CALENDAR.add_natural_days(d("2026-03-02"), -1)


def test_a_date_cannot_be_both_a_holiday_and_a_make_up_working_day():
    with pytest.raises(ValueError, match="2026-02-14 不能同时是节假日和调休上班日"):
        WorkCalendar.build({d("2026-02-14"): "春节"}, {d("2026-02-14"): "春节"}, FIRST, LAST)


# -- the range guard ------------------------------------------------------------------------------------


def test_a_date_beyond_valid_through_raises_calendar_not_available_naming_the_date_and_range():
    with pytest.raises(CalendarNotAvailable) as raised:
        CALENDAR.is_workday(d("2027-01-04"))
    assert str(raised.value) == (
        "2027-01-04 超出工作日历的有效范围（2004-01-01 至 2026-12-31），请先录入该年度的放假安排。"
    )
    assert raised.value.day == d("2027-01-04")


def test_a_period_running_past_valid_through_raises_naming_the_first_uncovered_day():
    with pytest.raises(CalendarNotAvailable) as raised:
        add(d("2026-12-20"), 20)
    assert raised.value.day == d("2027-01-01")
    with pytest.raises(CalendarNotAvailable):
        CALENDAR.workdays_between(d("2026-12-01"), d("2027-01-05"))
    with pytest.raises(CalendarNotAvailable):
        CALENDAR.add_natural_days(d("2026-12-20"), 30)


def test_a_period_ending_on_valid_through_is_still_computed():
    assert add(d("2026-12-30"), 1) == d("2026-12-31")
    assert CALENDAR.workdays_between(d("2026-12-30"), d("2026-12-31")) == 1


def test_a_date_before_valid_from_raises_but_its_eve_may_be_day_zero():
    with pytest.raises(CalendarNotAvailable):
        CALENDAR.is_workday(d("2003-12-31"))
    with pytest.raises(CalendarNotAvailable):
        add(d("2003-12-30"), 1)
    assert add(d("2003-12-31"), 1) == d("2004-01-02")


# -- properties -----------------------------------------------------------------------------------------

covered_dates = st.dates(min_value=FIRST, max_value=LAST)


@given(start=covered_dates, n=st.integers(min_value=0, max_value=400))
def test_workdays_between_inverts_add_workdays(start, n):
    try:
        due = add(start, n)
    except CalendarNotAvailable:
        assume(False)
    assert CALENDAR.workdays_between(start, due) == n
    if n:
        assert CALENDAR.is_workday(due)
        assert CALENDAR.workdays_between(start, due - timedelta(days=1)) == n - 1


@given(start=covered_dates, span=st.integers(min_value=0, max_value=120))
def test_workdays_between_counts_the_working_days_after_start_up_to_end(start, span):
    end = min(start + timedelta(days=span), LAST)
    expected = sum(CALENDAR.is_workday(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))
    assert CALENDAR.workdays_between(start, end) == expected


@st.composite
def synthetic_calendars(draw):
    """Random holidays and make-up days on a short range, so the bisect arithmetic meets every edge."""
    first = draw(st.dates(min_value=date(2030, 1, 1), max_value=date(2030, 1, 7)))
    last = first + timedelta(days=draw(st.integers(min_value=0, max_value=60)))
    span = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    holidays = draw(st.sets(st.sampled_from(span)))
    makeups = draw(st.sets(st.sampled_from(span))) - holidays
    return WorkCalendar.build(dict.fromkeys(holidays, "假"), dict.fromkeys(makeups, "假"), first, last), span


@given(
    calendar_and_span=synthetic_calendars(),
    n=st.integers(min_value=0, max_value=40),
    offset=st.integers(-1, 60),
)
def test_add_workdays_agrees_with_counting_day_by_day_on_any_calendar(calendar_and_span, n, offset):
    calendar, span = calendar_and_span
    start = span[0] + timedelta(days=min(offset, len(span) - 1))
    workdays_after = [day for day in span if day > start and calendar.is_workday(day)]
    if n == 0:
        assert calendar.add_workdays(start, n) == start
    elif n <= len(workdays_after):
        assert calendar.add_workdays(start, n) == workdays_after[n - 1]
    else:
        with pytest.raises(CalendarNotAvailable):
            calendar.add_workdays(start, n)
