"""Periods that run off the end of the dates Python can hold (found by fuzzing: SECURITY.md row 15,
fuzz/workdays.py). They are refused with `DateOutOfRange`, a `CalendarNotAvailable` with a Chinese
message, never an `OverflowError` (a traceback in `zhengwu workdays`, a 500 on a case page).
"""

from __future__ import annotations

from datetime import date

import pytest

from zhengwu.domain import deadlines
from zhengwu.domain.calendar import CalendarNotAvailable, DateOutOfRange, WorkCalendar, add_days

LAST_YEAR = WorkCalendar.build({}, {}, date(9999, 1, 1), date.max)  # the last year `workdays` accepts
CAL_2026 = WorkCalendar.build({}, {}, date(2026, 1, 1), date(2026, 12, 31))
MESSAGE = "起算的期限超出可计算的日期范围（0001-01-01 至 9999-12-31），请核对起算日和期限天数。"


def test_date_out_of_range_is_a_calendar_not_available_with_its_own_message():
    with pytest.raises(CalendarNotAvailable) as refused:
        add_days(date(2026, 9, 30), 10**9)
    assert isinstance(refused.value, DateOutOfRange)
    assert str(refused.value) == "从 2026-09-30 " + MESSAGE


@pytest.mark.parametrize(
    "ask",
    [
        pytest.param(lambda: LAST_YEAR.add_workdays(date.max, 5), id="counting-from-9999-12-31"),
        pytest.param(lambda: LAST_YEAR.add_workdays(date(9999, 12, 1), 100), id="due-after-9999-12-31"),
        pytest.param(lambda: CAL_2026.add_natural_days(date(2026, 9, 30), 10**7), id="natural-days"),
        pytest.param(
            lambda: deadlines.due_date(CAL_2026, budget=2**31 - 1, start=date(2026, 9, 30), segments=[]),
            id="catalogue-maximum-budget",
        ),
        pytest.param(
            lambda: deadlines.add_workdays(LAST_YEAR, date.max, 1), id="provisional-from-9999-12-31"
        ),
    ],
)
def test_a_period_ending_after_9999_12_31_is_refused_not_overflowed(ask):
    with pytest.raises(DateOutOfRange) as refused:
        ask()
    assert MESSAGE in str(refused.value)


def test_explaining_a_period_that_ends_on_9999_12_31_lists_its_days():
    assert date.max.weekday() == 4  # a Friday, so a working day
    explanation = LAST_YEAR.explain(date(9999, 12, 30), 1)
    assert explanation.due == date.max
    assert [day.date for day in explanation.counted] == [date.max]
    assert LAST_YEAR.explain(date.max, 0).counted == ()
    clock = deadlines.explain(LAST_YEAR, budget=1, start=date(9999, 12, 30), segments=[], today=date.max)
    assert clock.due == date.max and [day.date for day in clock.counted] == [date.max]


def test_the_reminder_before_a_due_date_on_0001_01_01_is_the_due_date_itself():
    assert deadlines.reminder_date(CAL_2026, date.min) == date.min
