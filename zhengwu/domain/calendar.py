"""The working-day calendar: which days count towards a legal time limit (DOMAIN §3).

A day is a working day when it is a make-up working day (调休上班), or a Monday to Friday that is
not a holiday. Periods follow 民法典 Art. 201: the start day is day zero and is never counted.

Deadline arithmetic runs on every page that shows a due date, so the counting functions must not
walk the calendar day by day. Instead they use a *rank*: the number of working days from
`valid_from` up to a date. Mon–Fri days have a closed form; the only days that break it are
weekday holidays (−1) and weekend make-up days (+1), kept as a sorted array with running totals,
so rank and its inverse are one `bisect` each: O(log n) in the number of calendar entries.

The calendar knows only the dates its data covers (`valid_from`..`valid_through`); a computation
that needs a day outside them raises `CalendarNotAvailable` rather than guess, because next year's
schedule is only published each November. A computation that would leave the dates Python can hold
(0001-01-01 to 9999-12-31) raises its subclass `DateOutOfRange`, never an `OverflowError`.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

WEEKDAY_NAMES: Final = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
MAKEUP_WORKDAY_REASON: Final = "调休上班"

# The `chinesecalendar` package (our seed and cross-check, never read at run time) names holidays in
# English; these are the names of the State Council's notices.
HOLIDAY_NAMES_ZH: Final[Mapping[str, str]] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


class CalendarNotAvailable(Exception):
    """A computation needs a date for which no official schedule has been entered."""

    def __init__(self, day: date, valid_from: date, valid_through: date) -> None:
        self.day = day
        self.valid_from = valid_from
        self.valid_through = valid_through
        super().__init__(
            f"{day.isoformat()} 超出工作日历的有效范围（{valid_from.isoformat()} 至 "
            f"{valid_through.isoformat()}），请先录入该年度的放假安排。"
        )


class DateOutOfRange(CalendarNotAvailable):
    """A period would end after 9999-12-31 (or before 0001-01-01), beyond the dates that can be held.

    A `CalendarNotAvailable`, since it means the same to every caller — no schedule covers that day —
    with its own message, since no schedule ever will: the start date or the period is wrong.
    """

    def __init__(self, start: date, days: int) -> None:
        self.day = date.max if days >= 0 else date.min
        self.valid_from = date.min
        self.valid_through = date.max
        self.start = start
        Exception.__init__(
            self,
            f"从 {start.isoformat()} 起算的期限超出可计算的日期范围（{date.min.isoformat()} 至 "
            f"{date.max.isoformat()}），请核对起算日和期限天数。",
        )


def add_days(day: date, days: int) -> date:
    """`day` plus `days` calendar days; `DateOutOfRange` instead of `OverflowError` past the ends."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise DateOutOfRange(day, days) from None


@dataclass(frozen=True)
class DayStatus:
    """Whether one date is a working day, and why."""

    date: date
    is_workday: bool
    reason: str
    """Empty for an ordinary Mon–Fri day; "调休上班", "周六", "周日" or the holiday's name otherwise."""

    @property
    def label(self) -> str:
        """The Chinese label shown to people, e.g. "工作日（调休上班）" or "非工作日（春节）"."""
        kind = "工作日" if self.is_workday else "非工作日"
        return f"{kind}（{self.reason}）" if self.reason else kind


@dataclass(frozen=True)
class CountedDay:
    """A working day counted towards a period; `ordinal` is its position (1 = first day counted)."""

    date: date
    ordinal: int
    reason: str
    """Empty for an ordinary weekday, "调休上班" for a make-up working day."""


@dataclass(frozen=True)
class SkippedDay:
    """A day inside a period that does not count, with the reason ("周六", "周日" or a holiday)."""

    date: date
    reason: str


@dataclass(frozen=True)
class WorkdayExplanation:
    """The "计算说明" of a due date: every day between day zero and the due date, counted or skipped."""

    start: date
    workdays: int
    due: date
    counted: tuple[CountedDay, ...]
    skipped: tuple[SkippedDay, ...]


def _weekdays_through(ordinal: int) -> int:
    """Count the Mon–Fri days among ordinals 1..ordinal (ordinal 1, 0001-01-01, is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + min(rest, 5)


def _ordinal_of_weekday(count: int) -> int:
    """Return the ordinal of the count-th Mon–Fri day: the inverse of `_weekdays_through`."""
    weeks, rest = divmod(count - 1, 5)
    return 7 * weeks + rest + 1


@dataclass(frozen=True)
class WorkCalendar:
    """An immutable working-day calendar over `valid_from`..`valid_through`; build it with `build()`."""

    valid_from: date
    valid_through: date
    holidays: Mapping[date, str] = field(repr=False)
    makeup_workdays: Mapping[date, str] = field(repr=False)
    # The days that break the Mon–Fri rule (weekday holidays, weekend make-up days), ascending, with the
    # running total of their corrections (−1 / +1) and the rank reached on each of them.
    _exception_ordinals: tuple[int, ...] = field(repr=False)
    _exception_totals: tuple[int, ...] = field(repr=False)
    _exception_ranks: tuple[int, ...] = field(repr=False)

    @classmethod
    def build(
        cls,
        holidays: Mapping[date, str],
        makeup_workdays: Mapping[date, str],
        valid_from: date,
        valid_through: date,
    ) -> WorkCalendar:
        """Build a calendar from holiday and make-up dates (each mapped to its holiday's name).

        Entries outside the valid range are dropped: nothing can be asked about those dates.
        """
        if valid_from > valid_through:
            raise ValueError(f"工作日历的起始日 {valid_from} 晚于截止日 {valid_through}。")
        clashes = sorted(holidays.keys() & makeup_workdays.keys())
        if clashes:
            raise ValueError(f"{clashes[0].isoformat()} 不能同时是节假日和调休上班日。")

        def within(entries: Mapping[date, str]) -> dict[date, str]:
            return {day: name for day, name in entries.items() if valid_from <= day <= valid_through}

        holidays, makeup_workdays = within(holidays), within(makeup_workdays)
        corrections = sorted(
            [(day.toordinal(), -1) for day in holidays if day.weekday() < 5]
            + [(day.toordinal(), +1) for day in makeup_workdays if day.weekday() >= 5]
        )
        ordinals = tuple(ordinal for ordinal, _ in corrections)
        totals = tuple(itertools.accumulate(delta for _, delta in corrections))
        base = _weekdays_through(valid_from.toordinal() - 1)
        ranks = tuple(
            _weekdays_through(ordinal) - base + total for ordinal, total in zip(ordinals, totals, strict=True)
        )
        return cls(valid_from, valid_through, holidays, makeup_workdays, ordinals, totals, ranks)

    # -- single days -------------------------------------------------------------------------------

    def covers(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_through

    def is_workday(self, day: date) -> bool:
        self._require(day)
        return day in self.makeup_workdays or (day.weekday() < 5 and day not in self.holidays)

    def day_status(self, day: date) -> DayStatus:
        """Say whether `day` is a working day and why, in the words the calendar screens use."""
        self._require(day)
        if day in self.makeup_workdays:
            return DayStatus(day, True, MAKEUP_WORKDAY_REASON)
        if day in self.holidays:
            return DayStatus(day, False, self.holidays[day])
        if day.weekday() >= 5:
            return DayStatus(day, False, WEEKDAY_NAMES[day.weekday()])
        return DayStatus(day, True, "")

    def next_workday(self, day: date) -> date:
        """Return the first working day on or after `day`."""
        if self.is_workday(day):
            return day
        return self.add_workdays(day, 1)

    # -- periods -----------------------------------------------------------------------------------

    def add_workdays(self, start: date, n: int) -> date:
        """Return the n-th working day after `start` (day zero, which may itself be a day off)."""
        _require_non_negative(n, "工作日数")
        if n == 0:
            return start
        self._require_counting_from(start)
        target = self._rank(start.toordinal()) + n
        # The first working day whose rank reaches `target` lies either on the next exception day
        # whose rank reaches it (a make-up day) or on a Mon–Fri day before that exception.
        index = bisect_left(self._exception_ranks, target)
        total_before = self._exception_totals[index - 1] if index else 0
        base = _weekdays_through(self.valid_from.toordinal() - 1)
        ordinal = _ordinal_of_weekday(target + base - total_before)
        if index < len(self._exception_ordinals):
            ordinal = min(ordinal, self._exception_ordinals[index])
        if ordinal > self.valid_through.toordinal():
            if self.valid_through == date.max:
                raise DateOutOfRange(start, n)
            raise self._not_available(self.valid_through + timedelta(days=1))
        return date.fromordinal(ordinal)

    def workdays_between(self, start: date, end: date) -> int:
        """Count the working days d with start < d ≤ end (0 when end is not after start)."""
        if end <= start:
            return 0
        self._require_counting_from(start)
        if end > self.valid_through:
            raise self._not_available(self.valid_through + timedelta(days=1))
        return self._rank(end.toordinal()) - self._rank(start.toordinal())

    def add_natural_days(self, start: date, n: int) -> date:
        """End a natural-day period: start + n days, rolled forward to a working day (民法典 Art. 203)."""
        _require_non_negative(n, "自然日数")
        return self.next_workday(add_days(start, n))

    def explain(self, start: date, n: int) -> WorkdayExplanation:
        """List every day from day zero to the due date of an n-working-day period, counted or skipped."""
        due = self.add_workdays(start, n)
        counted: list[CountedDay] = []
        skipped: list[SkippedDay] = []
        day = start
        while day < due:  # never steps past `due`, which may be 9999-12-31
            day += timedelta(days=1)
            status = self.day_status(day)
            if status.is_workday:
                counted.append(CountedDay(day, len(counted) + 1, status.reason))
            else:
                skipped.append(SkippedDay(day, status.reason))
        return WorkdayExplanation(start, n, due, tuple(counted), tuple(skipped))

    # -- internals ---------------------------------------------------------------------------------

    def _rank(self, ordinal: int) -> int:
        """Count the working days from `valid_from` through the day with this ordinal."""
        index = bisect_right(self._exception_ordinals, ordinal)
        total = self._exception_totals[index - 1] if index else 0
        return _weekdays_through(ordinal) - _weekdays_through(self.valid_from.toordinal() - 1) + total

    def _require(self, day: date) -> None:
        if not self.covers(day):
            raise self._not_available(day)

    def _require_counting_from(self, start: date) -> None:
        """Counting from `start` needs the days after it, so `start` may be the eve of `valid_from`."""
        first_needed = add_days(start, 1)
        if not self.valid_from <= first_needed <= self.valid_through:
            raise self._not_available(first_needed)

    def _not_available(self, day: date) -> CalendarNotAvailable:
        return CalendarNotAvailable(day, self.valid_from, self.valid_through)


def _require_non_negative(n: int, what: str) -> None:
    if n < 0:
        raise ValueError(f"{what}不能为负数：{n}。")
