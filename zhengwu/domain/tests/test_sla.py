"""12345 time limits (DOMAIN §7) on the 2026 calendar: golden due moments, extensions, levels, chases."""

from __future__ import annotations

import datetime as dt

import pytest
from chinese_calendar.constants import holidays as package_holidays
from chinese_calendar.constants import workdays as package_workdays

from zhengwu.domain import sla
from zhengwu.domain.calendar import HOLIDAY_NAMES_ZH, WorkCalendar
from zhengwu.domain.sla import Category, Chase, Level, Urgency

CAL = WorkCalendar.build(
    {day: HOLIDAY_NAMES_ZH[name] for day, name in package_holidays.items()},
    {day: HOLIDAY_NAMES_ZH[name] for day, name in package_workdays.items()},
    dt.date(2004, 1, 1),
    dt.date(2026, 12, 31),
)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=sla.LOCAL_TZ)


def clocks(category: str, dispatched: str, urgency: str = Urgency.NORMAL, complex_: bool = False):
    return sla.clocks(sla.sla_for(category, urgency, complex_=complex_), at(dispatched), CAL)


def test_domain_example_a_complaint_dispatched_wed_0930_is_signed_by_thu_1008_and_finished_by_thu_1015():
    result = clocks(Category.COMPLAINT, "2026-09-30 15:00")
    assert result.sign.date == dt.date(2026, 10, 8)
    assert result.finish is not None and result.finish.date == dt.date(2026, 10, 15)
    assert result.finish.at == at("2026-10-15 23:59:59")
    assert result.sign.by_date and not result.sign.provisional


@pytest.mark.parametrize(
    "category, finish",
    [
        (Category.CONSULT, "2026-10-09"),  # 10-08 (1), 10-09 (2)
        (Category.HELP, "2026-10-13"),  # …, Sat 10-10 (3, make-up), 10-12 (4), 10-13 (5)
        (Category.OTHER, "2026-10-13"),
        (Category.REPORT, "2026-10-15"),
        (Category.SUGGESTION, "2026-10-15"),
    ],
)
def test_working_day_finish_limits_from_the_eve_of_national_day_follow_the_table(category, finish):
    assert clocks(category, "2026-09-30 09:00").finish.date == dt.date.fromisoformat(finish)


def test_a_complex_ticket_gets_15_working_days_counting_the_make_up_saturday():
    # 10-08 (1), 10-09 (2), Sat 10-10 (3), 10-12…10-16 (4–8), 10-19…10-23 (9–13), 10-26 (14), 10-27 (15)
    assert clocks(Category.COMPLAINT, "2026-09-30 09:00", complex_=True).finish.date == dt.date(2026, 10, 27)


def test_a_praise_is_forwarded_only_and_has_no_finish_clock():
    result = clocks(Category.PRAISE, "2026-09-30 09:00")
    assert result.finish is None and result.sign.date == dt.date(2026, 10, 8)


def test_a_critical_ticket_runs_in_natural_hours_over_a_holiday():
    result = clocks(Category.HELP, "2026-10-01 23:50", Urgency.CRITICAL)
    assert result.sign.at == at("2026-10-02 00:20") and not result.sign.by_date
    assert result.finish.at == at("2026-10-02 01:50")


def test_an_urgent_outage_has_2_hours_to_sign_and_24_hours_to_finish_whatever_the_category():
    result = clocks(Category.COMPLAINT, "2026-02-16 08:00", Urgency.URGENT, complex_=True)
    assert result.sign.at == at("2026-02-16 10:00")
    assert result.finish.at == at("2026-02-17 08:00")


def test_a_ticket_dispatched_on_a_sunday_counts_from_that_sunday_as_day_zero():
    assert clocks(Category.CONSULT, "2026-03-01 10:00").sign.date == dt.date(2026, 3, 2)


def test_a_due_date_beyond_the_calendar_is_provisional():
    result = clocks(Category.COMPLAINT, "2026-12-28 10:00")
    assert result.finish.provisional and result.finish.date == dt.date(2027, 1, 6)


def finish_limit(category: Category, urgency: Urgency = Urgency.NORMAL) -> sla.Limit:
    limit = sla.sla_for(category, urgency).finish
    assert limit is not None
    return limit


def test_an_extension_is_counted_from_the_old_due_date():
    old = clocks(Category.COMPLAINT, "2026-09-30 15:00").finish
    limit = finish_limit(Category.COMPLAINT)
    assert sla.extended(limit, old, 7, CAL).date == dt.date(2026, 10, 26)


def test_an_extension_longer_than_the_original_limit_is_refused():
    limit = finish_limit(Category.CONSULT)
    old = clocks(Category.CONSULT, "2026-09-30 15:00").finish
    with pytest.raises(ValueError, match="延期时长"):
        sla.extended(limit, old, 3, CAL)


def test_an_hour_limit_extension_adds_natural_hours():
    limit = finish_limit(Category.HELP, Urgency.URGENT)
    old = clocks(Category.HELP, "2026-10-01 08:00", Urgency.URGENT).finish
    assert sla.extended(limit, old, 12 * 60, CAL).at == at("2026-10-02 20:00")


def test_levels_are_normal_then_warning_in_the_last_quarter_then_overdue():
    start, due_at = at("2026-10-01 08:00"), at("2026-10-01 12:00")
    assert sla.level(at("2026-10-01 10:00"), start, due_at) == Level.NORMAL
    assert sla.level(at("2026-10-01 11:00"), start, due_at) == Level.WARNING
    assert sla.level(at("2026-10-01 12:00"), start, due_at) == Level.WARNING
    assert sla.level(at("2026-10-01 12:00:01"), start, due_at) == Level.OVERDUE


def test_finishing_any_time_on_the_due_date_is_on_time():
    finish = clocks(Category.COMPLAINT, "2026-09-30 15:00").finish
    assert sla.on_time(at("2026-10-15 23:00"), finish.at)
    assert not sla.on_time(at("2026-10-16 00:00"), finish.at)


def test_the_automatic_chase_comes_the_day_after_the_due_date_and_the_written_one_5_wd_later():
    due_date = dt.date(2026, 9, 30)
    assert sla.chase_level(CAL, due_date, dt.date(2026, 9, 30)) == Chase.NONE
    assert sla.chase_level(CAL, due_date, dt.date(2026, 10, 1)) == Chase.AUTOMATIC
    # day zero 10-01: 10-08 (1), 10-09 (2), Sat 10-10 (3), 10-12 (4), 10-13 (5)
    assert sla.chase_level(CAL, due_date, dt.date(2026, 10, 12)) == Chase.AUTOMATIC
    assert sla.chase_level(CAL, due_date, dt.date(2026, 10, 13)) == Chase.WRITTEN


def test_the_call_back_is_due_2_working_days_after_closing():
    assert sla.call_back_due(CAL, dt.date(2026, 9, 30)) == dt.date(2026, 10, 9)


def test_limits_have_chinese_labels():
    assert finish_limit(Category.CONSULT, Urgency.CRITICAL).label == "2 小时"
    assert finish_limit(Category.CONSULT).label == "2 个工作日"


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError):
        sla.due(sla.Limit(1, sla.Unit.WORKDAYS), dt.datetime(2026, 10, 1), CAL)
