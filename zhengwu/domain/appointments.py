"""Appointment (预约) rules that need no database: slots, capacity, horizon, no-shows, reminders.

- A hall's day is cut into slots of `slot_minutes` inside each opening period; a last piece shorter
  than a slot is not offered (a period 09:00–12:00 with 40-minute slots gives 09:00, 09:40, 10:20,
  11:00 — 11:40–12:00 is dropped).
- The daily quota of an item (每天可预约办理量) is spread over the day's slots: every slot gets
  `quota // slots` places and the first `quota % slots` slots one more, so the places add up to the
  quota exactly and the morning is served first. A quota smaller than the number of slots therefore
  leaves the later slots with no place (they are shown as full, never as overbookable).
- Bookable dates: the next `horizon` working days after today, plus today when it is a working day
  and the local time is before the same-day cut-off. Dates the calendar does not cover are not
  offered (next year's schedule is published each November).
- No-show rule (default 3 / 30 / 30): when a person's no-shows on dates within the last `within_days`
  days (the no-show's own date included) reach `count`, online booking is blocked for `block_days`
  days from that date. A no-show counts towards one block only: no-shows on or before the start of
  an earlier block are not counted again.
- The reminder goes out on the working day before the appointment's date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from zhengwu.domain.calendar import CalendarNotAvailable, WorkCalendar

DEFAULT_SLOT_MINUTES = 30
DEFAULT_HORIZON_WORKDAYS = 7
DEFAULT_SAME_DAY_CUTOFF = time(12, 0)
DEFAULT_CHECK_IN_BEFORE_MINUTES = 30
DEFAULT_CHECK_IN_AFTER_MINUTES = 15
DEFAULT_NO_SHOW_GRACE_MINUTES = 30


@dataclass(frozen=True)
class Period:
    """An opening period of a hall on a working day, e.g. 09:00–12:00."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"办公时段 {self.start:%H:%M}–{self.end:%H:%M} 的结束时间须晚于开始时间。")

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


DEFAULT_PERIODS: tuple[Period, ...] = (Period(time(9, 0), time(12, 0)), Period(time(13, 30), time(17, 0)))


@dataclass(frozen=True)
class Slot:
    """One bookable slot of a day with its share of the daily quota."""

    start: time
    end: time
    capacity: int

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class NoShowRule:
    """N no-shows within D days block online booking for B days."""

    count: int = 3
    within_days: int = 30
    block_days: int = 30


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def periods_parse(text: str) -> tuple[Period, ...]:
    """Parse "09:00-12:00,13:30-17:00" into periods; ValueError with a Chinese message when malformed,
    overlapping or out of order."""
    periods: list[Period] = []
    for part in (piece.strip() for piece in text.replace("，", ",").split(",")):
        if not part:
            continue
        bounds = part.replace("–", "-").split("-")
        if len(bounds) != 2:
            raise ValueError(f"办公时段“{part}”格式应为 HH:MM-HH:MM。")
        try:
            start, end = (time.fromisoformat(bound.strip()) for bound in bounds)
        except ValueError:
            raise ValueError(f"办公时段“{part}”格式应为 HH:MM-HH:MM。") from None
        period = Period(start, end)
        if periods and period.start < periods[-1].end:
            raise ValueError(f"办公时段“{part}”与前一时段重叠或顺序颠倒。")
        periods.append(period)
    if not periods:
        raise ValueError("至少需要一个办公时段。")
    return tuple(periods)


def periods_format(periods: Iterable[Period]) -> str:
    return ",".join(period.label for period in periods)


def slot_times(periods: Sequence[Period], slot_minutes: int) -> tuple[tuple[time, time], ...]:
    """The (start, end) of every whole slot inside the periods, in order."""
    if slot_minutes <= 0:
        raise ValueError("时段长度须为正整数分钟。")
    slots: list[tuple[time, time]] = []
    for period in periods:
        start, end = _minutes(period.start), _minutes(period.end)
        while start + slot_minutes <= end:
            slots.append((_time(start), _time(start + slot_minutes)))
            start += slot_minutes
    return tuple(slots)


def spread_quota(quota: int, slots: int) -> tuple[int, ...]:
    """Places per slot: `quota // slots` each, the first `quota % slots` slots one more (sum = quota)."""
    if quota < 0:
        raise ValueError("每天可预约办理量不能为负数。")
    if slots <= 0:
        return ()
    base, extra = divmod(quota, slots)
    return tuple(base + 1 if index < extra else base for index in range(slots))


def day_slots(periods: Sequence[Period], slot_minutes: int, daily_quota: int) -> tuple[Slot, ...]:
    """The slots of a working day with their capacities."""
    times = slot_times(periods, slot_minutes)
    capacities = spread_quota(daily_quota, len(times))
    return tuple(Slot(start, end, capacity) for (start, end), capacity in zip(times, capacities, strict=True))


def bookable_dates(
    calendar: WorkCalendar,
    *,
    now: datetime,
    horizon: int = DEFAULT_HORIZON_WORKDAYS,
    same_day_cutoff: time = DEFAULT_SAME_DAY_CUTOFF,
) -> tuple[date, ...]:
    """The dates one may book on at local time `now` (naive or aware, read as local wall time)."""
    today = now.date()
    dates: list[date] = []
    try:
        if calendar.is_workday(today) and now.time() < same_day_cutoff:
            dates.append(today)
    except CalendarNotAvailable:
        return ()
    day, counted = today, 0
    while counted < horizon:
        day += timedelta(days=1)
        if not calendar.covers(day):
            break
        if calendar.is_workday(day):
            dates.append(day)
            counted += 1
    return tuple(dates)


def no_show_block_until(
    no_show_dates: Iterable[date], *, on: date, rule: NoShowRule, counted_after: date | None = None
) -> date | None:
    """The first day booking is open again (exclusive end of the block) when the no-shows up to `on`
    reach the rule, else None. `counted_after`: the start of the last block; earlier no-shows, and
    those on that day, have been counted already."""
    window_start = on - timedelta(days=rule.within_days - 1)
    counted = [
        day
        for day in no_show_dates
        if window_start <= day <= on and (counted_after is None or day > counted_after)
    ]
    if len(counted) < rule.count:
        return None
    return on + timedelta(days=rule.block_days)


def reminder_day(calendar: WorkCalendar, appointment_date: date) -> date:
    """The working day before the appointment's date (raises CalendarNotAvailable beyond the data)."""
    day = appointment_date - timedelta(days=1)
    while not calendar.is_workday(day):
        day -= timedelta(days=1)
    return day


def check_in_window(
    slot_start: datetime,
    *,
    before_minutes: int = DEFAULT_CHECK_IN_BEFORE_MINUTES,
    after_minutes: int = DEFAULT_CHECK_IN_AFTER_MINUTES,
) -> tuple[datetime, datetime]:
    """The (opens, closes) of check-in for a slot: both ends included."""
    return slot_start - timedelta(minutes=before_minutes), slot_start + timedelta(minutes=after_minutes)


def no_show_due(
    slot_end: datetime, now: datetime, *, grace_minutes: int = DEFAULT_NO_SHOW_GRACE_MINUTES
) -> bool:
    """An appointment not checked in becomes a no-show once its slot ended `grace_minutes` ago."""
    return now >= slot_end + timedelta(minutes=grace_minutes)
