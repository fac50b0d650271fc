"""Clocks of a case as a budget plus a ledger of segments (DOMAIN §4.2), and their warning level (§5.1).

A clock is `budget` working days counted from `start` (day zero, never counted). Pauses — §45
procedures (`excluded`) and 中止 (`suspended`) — are (s, e] ranges whose working days do not count;
an `extension` adds working days to the budget. Nothing is incremented in place: the due date, the
days consumed and the days left are derived from the ledger and the calendar every time, so a
calendar edit re-projects every open clock by simply projecting it again.

When the due date lies beyond the calendar's data (next year's schedule is published each
November), the part beyond `valid_through` is laid out on Mon–Fri and the result is `provisional`
("预计"); no card is issued on a provisional date. A due date that would fall after 9999-12-31 (a
budget of millions of working days) raises `DateOutOfRange`, a `CalendarNotAvailable`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from zhengwu.domain.calendar import CalendarNotAvailable, CountedDay, SkippedDay, WorkCalendar, add_days


class SegmentKind(StrEnum):
    EXCLUDED = "excluded"  # §45 听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审
    SUSPENDED = "suspended"  # 中止
    EXTENSION = "extension"  # §42 +10 / +15


SEGMENT_LABELS: Final = {
    SegmentKind.EXCLUDED: "特别程序（不计时）",
    SegmentKind.SUSPENDED: "中止",
    SegmentKind.EXTENSION: "延长期限",
}


class Level(StrEnum):
    NONE = "none"
    REMINDER = "reminder"
    YELLOW = "yellow"
    RED = "red"


LEVEL_LABELS: Final = {Level.NONE: "正常", Level.REMINDER: "提示", Level.YELLOW: "黄牌", Level.RED: "红牌"}
_LEVEL_ORDER: Final = (Level.NONE, Level.REMINDER, Level.YELLOW, Level.RED)


@dataclass(frozen=True)
class Segment:
    """One ledger row: a pause from `start` (counted) through `end` (not counted), or an extension."""

    kind: SegmentKind
    start: date
    end: date | None = None
    days: int = 0
    reason: str = ""

    @property
    def is_pause(self) -> bool:
        return self.kind in (SegmentKind.EXCLUDED, SegmentKind.SUSPENDED)


@dataclass(frozen=True)
class Projection:
    """What a clock looks like on `today`."""

    budget: int
    start: date
    due: date | None
    """None while a pause is open: the due date is undefined ("已暂停，剩余 N 个工作日")."""
    consumed: int
    remaining: int
    paused: bool
    provisional: bool
    overdue_days: int

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


@dataclass(frozen=True)
class ClockExplanation:
    """The "计算说明" of a due date: counted days, skipped days (weekends, holidays, pauses)."""

    start: date
    budget: int
    due: date | None
    counted: tuple[CountedDay, ...]
    skipped: tuple[SkippedDay, ...]
    provisional: bool


def total_budget(budget: int, segments: Sequence[Segment]) -> int:
    return budget + sum(s.days for s in segments if s.kind == SegmentKind.EXTENSION)


def pauses(segments: Sequence[Segment]) -> list[Segment]:
    return sorted((s for s in segments if s.is_pause), key=lambda s: s.start)


def add_workdays(calendar: WorkCalendar, start: date, n: int) -> tuple[date, bool]:
    """The n-th working day after `start`, and whether any part of it was laid out on Mon–Fri."""
    try:
        return calendar.add_workdays(start, n), False
    except CalendarNotAvailable:
        pass
    if start >= calendar.valid_through:
        return _add_weekdays(start, n), True
    known = calendar.workdays_between(start, calendar.valid_through)
    if known >= n:  # cannot happen: add_workdays would have succeeded
        return calendar.add_workdays(start, n), False
    return _add_weekdays(calendar.valid_through, n - known), True


def workdays_between(calendar: WorkCalendar, start: date, end: date) -> int:
    """Working days d with start < d ≤ end; Mon–Fri beyond the calendar's data."""
    if end <= start:
        return 0
    if end <= calendar.valid_through:
        return calendar.workdays_between(start, end)
    if start >= calendar.valid_through:
        return _weekdays_between(start, end)
    return calendar.workdays_between(start, calendar.valid_through) + _weekdays_between(
        calendar.valid_through, end
    )


def project(
    calendar: WorkCalendar, *, budget: int, start: date, segments: Sequence[Segment], today: date
) -> Projection:
    """Project a clock: due date, working days consumed by `today`, and days left."""
    total = total_budget(budget, segments)
    consumed = consumed_by(calendar, start=start, segments=segments, day=today)
    open_pause = any(s.is_pause and s.end is None for s in segments)
    due, provisional = (
        (None, False) if open_pause else due_date(calendar, budget=budget, start=start, segments=segments)
    )
    overdue_days = 0
    if due is not None and today > due:
        overdue_days = workdays_between(calendar, due, today)
    return Projection(
        budget=total,
        start=start,
        due=due,
        consumed=consumed,
        remaining=max(total - consumed, 0),
        paused=open_pause,
        provisional=provisional,
        overdue_days=overdue_days,
    )


def due_date(
    calendar: WorkCalendar, *, budget: int, start: date, segments: Sequence[Segment]
) -> tuple[date | None, bool]:
    """The working day on which the clock reaches its budget (with extensions), skipping closed pauses."""
    remaining = total_budget(budget, segments)
    position = start
    provisional = False
    for pause in pauses(segments):
        if pause.end is None:
            return None, False
        pause_start = max(pause.start, position)
        available = workdays_between(calendar, position, pause_start)
        if available >= remaining:
            break
        remaining -= available
        position = max(pause.end, position)
    due, beyond = add_workdays(calendar, position, remaining)
    return due, provisional or beyond


def consumed_by(calendar: WorkCalendar, *, start: date, segments: Sequence[Segment], day: date) -> int:
    """Working days counted by `day`: start < d ≤ day, outside every pause (s, e]."""
    counted = workdays_between(calendar, start, day)
    for pause in pauses(segments):
        low = max(pause.start, start)
        high = min(pause.end or day, day)
        counted -= workdays_between(calendar, low, high)
    return max(counted, 0)


def explain(
    calendar: WorkCalendar, *, budget: int, start: date, segments: Sequence[Segment], today: date
) -> ClockExplanation:
    """List every day from day zero to the due date (or to `today` while paused), counted or skipped."""
    due, provisional = due_date(calendar, budget=budget, start=start, segments=segments)
    last = due if due is not None else today
    closed = [(p.start, p.end or last, p) for p in pauses(segments)]
    counted: list[CountedDay] = []
    skipped: list[SkippedDay] = []
    day = start
    while day < last:  # never steps past `last`, which may be 9999-12-31
        day += timedelta(days=1)
        pause = next((p for low, high, p in closed if low < day <= high), None)
        if calendar.covers(day):
            status = calendar.day_status(day)
            is_workday, reason = status.is_workday, status.reason
        else:
            is_workday, reason = day.weekday() < 5, "预计" if day.weekday() < 5 else "周末（预计）"
        if not is_workday:
            skipped.append(SkippedDay(day, reason))
        elif pause is not None:
            skipped.append(SkippedDay(day, f"{SEGMENT_LABELS[pause.kind]}：{pause.reason}".rstrip("：")))
        else:
            counted.append(CountedDay(day, len(counted) + 1, reason))
    return ClockExplanation(
        start, total_budget(budget, segments), due, tuple(counted), tuple(skipped), provisional
    )


def reminder_date(calendar: WorkCalendar, due: date) -> date:
    """The working day before `due` (rule N1); `due` itself when no earlier working day is known."""
    day = due
    for _ in range(40):
        if day == date.min:
            break
        day -= timedelta(days=1)
        if not calendar.covers(day):
            if day.weekday() < 5:
                return day
        elif calendar.is_workday(day):
            return day
    return due


def max_level(*levels: Level) -> Level:
    return max(levels, key=_LEVEL_ORDER.index, default=Level.NONE)


@dataclass(frozen=True)
class CardDue:
    """A card that a clock deserves on `today` (the sweep issues it once, keyed by clock and rule)."""

    rule: str
    level: Level


# The rule table (DOMAIN §5.1) and where each rule is issued:
# - N1, Y1, R1, Y2, Y3, Y5: `clock_cards` below, called by `cases.services.cases_sweep` on running clocks.
#   Y2 only for a step that overran while the case was within its limits (the step's due date before
#   the promised and statutory due dates; past them Y1/R1 already cover the delay).
# - Y2P (yellow): a §45/中止 pause still open after its notified expected end — the "step-overrun yellow"
#   of DOMAIN §4.2 — issued by the sweep once per written notice (pause or `case_pause_renotify`),
#   closed by the next notice or by the resume. A rule of its own (not Y2) so the board tells the two apart.
# - D1 (reminder): the 容缺 `deficiency` clock overdue with materials still deferred (DOMAIN §4.4).
# - R2 (red): a yellow still open after its rectify deadline with no 整改说明 (cases_sweep, step 3).
# - Y4 is not implemented as a card: a refusal (`case_refuse_intake`) or a denial (`case_deny`) cannot
#   be recorded without a written reason — the services refuse an empty one — so the trigger cannot occur.
# - R3 (irregular charge / wrongful refusal) has no automatic trigger here.
# Cured rules close (`Card.closed_on`) when their clock stops: N1/Y1/R1/Y5 when the case finishes,
# Y2 when its step finishes, D1 when the deferred materials are in; Y3 and R2 only by an accepted 整改说明.


def clock_cards(
    calendar: WorkCalendar,
    *,
    kind: str,
    projection: Projection,
    today: date,
    finished: bool,
    within_limits: bool = True,
) -> list[CardDue]:
    """The cards a running clock deserves on `today` (DOMAIN §5.1): N1, Y1, R1, Y2, Y3, Y5.

    No card while the clock is paused, finished, or when its due date is provisional. A step clock
    gets Y2 only if it overran while the case was `within_limits` (due before the case's own limits).
    """
    due = projection.due
    if finished or projection.paused or due is None or projection.provisional:
        return []
    cards: list[CardDue] = []
    if kind == "promised":
        if reminder_date(calendar, due) <= today <= due:
            cards.append(CardDue("N1", Level.REMINDER))
        if today > due:
            cards.append(CardDue("Y1", Level.YELLOW))
    elif kind == "statutory" and today > due:
        cards.append(CardDue("R1", Level.RED))
    elif kind == "step" and today > due and within_limits:
        cards.append(CardDue("Y2", Level.YELLOW))
    elif kind == "intake" and today > due:
        cards.append(CardDue("Y3", Level.YELLOW))
    elif kind == "immediate" and today > due:
        cards.append(CardDue("Y5", Level.YELLOW))
    return cards


def _weekdays_between(start: date, end: date) -> int:
    whole_weeks, rest = divmod((end - start).days, 7)
    days = whole_weeks * 5
    weekday = start + timedelta(days=whole_weeks * 7)
    for _ in range(rest):
        weekday += timedelta(days=1)
        if weekday.weekday() < 5:
            days += 1
    return days


def _add_weekdays(start: date, n: int) -> date:
    weeks, rest = divmod(n, 5)
    day = add_days(start, weeks * 7)
    while rest:
        day = add_days(day, 1)
        if day.weekday() < 5:
            rest -= 1
    if n and day.weekday() >= 5:  # whole weeks from a weekend start land on a weekend
        while day.weekday() >= 5:
            day -= timedelta(days=1)
    return day
