"""Fuzz target: the working-day calculator (`zhengwu.domain.calendar`) and the time limits built on it
(`zhengwu.domain.deadlines`, `zhengwu.domain.sla`).

The input builds a calendar as `workdays.selectors` does from the database — contiguous years
between 1949 and 9999 (the range `workdays` accepts), up to 12 of them, with holidays and make-up
days anywhere, even outside the range or on both lists — then asks one question, as the
`zhengwu workdays` command, a case's clocks or a 12345 ticket's limits would: start dates anywhere
from 0001-01-01 to 9999-12-31, day counts from small to 2**63, budgets and extensions up to the
catalogue's 2147483647, pause segments in any order, 12345 tickets of every category and urgency
(including unknown ones). Only `explain` (which lists every day) and the tickets' dispatch moment
(which is "now") are kept within what the application produces: see EXPLAIN_MAX and LAST_DISPATCH.

Documented refusals, the only exceptions that may escape: `CalendarNotAvailable` (a date beyond the
calendar's data) and `ValueError` (a negative count, a calendar contradicting itself, an extension
out of range). The `zhengwu workdays` command turns exactly these two into its one-line refusal.
A due date must be a working day (or a Mon–Fri one beyond the data) and count back to its period.
"""

from __future__ import annotations

import datetime as dt

import atheris

from fuzz import engine

with atheris.instrument_imports(include=["zhengwu"]):
    from zhengwu.domain import deadlines, sla
    from zhengwu.domain.calendar import CalendarNotAvailable, WorkCalendar
    from zhengwu.domain.deadlines import Segment, SegmentKind

REFUSALS = (CalendarNotAvailable, ValueError)
NAMES = ("春节", "国庆节", "元旦", "")
CATEGORIES = (*(c.value for c in sla.Category), "unknown")
URGENCIES = (*(u.value for u in sla.Urgency), "")
MAX_BUDGET = 2**31 - 1  # a PositiveIntegerField: the catalogue's legal and promised limits
# `explain` lists every day up to the due date (or `today` while paused), so its inputs stay within the
# life of a real clock: budgets, pauses and `today` within EXPLAIN_MAX days of the start. See
# docs/reliability.md, row 15.
EXPLAIN_MAX = 4000
LAST_DISPATCH = dt.date(9000, 12, 31)  # a 12345 ticket is dispatched now
MAX_ORDINAL = dt.date.max.toordinal()


def _calendar(fdp: atheris.FuzzedDataProvider) -> WorkCalendar:
    first = 1949 + fdp.ConsumeUInt(2) % (9999 - 1949 + 1)
    if fdp.ConsumeUInt(1) % 8 == 0:
        first = 9999 - fdp.ConsumeUInt(1) % 4  # the last years, where date arithmetic ends
    last = min(first + fdp.ConsumeUInt(1) % 12, 9999)
    valid_from, valid_through = dt.date(first, 1, 1), dt.date(last, 12, 31)
    span = (valid_through - valid_from).days
    holidays: dict[dt.date, str] = {}
    makeup: dict[dt.date, str] = {}
    for _ in range(fdp.ConsumeUInt(1) % 48):
        offset = fdp.ConsumeIntInRange(-40, span + 40)
        try:
            day = valid_from + dt.timedelta(days=offset)
        except OverflowError:
            continue  # not a date: the database cannot hold it either
        name = NAMES[fdp.ConsumeUInt(1) % len(NAMES)]
        (makeup if fdp.ConsumeBool() else holidays)[day] = name
    return WorkCalendar.build(holidays, makeup, valid_from, valid_through)


def _day(fdp: atheris.FuzzedDataProvider, calendar: WorkCalendar) -> dt.date:
    if fdp.ConsumeUInt(1) % 4 == 0:
        return dt.date.fromordinal(fdp.ConsumeIntInRange(1, MAX_ORDINAL))
    low, high = calendar.valid_from.toordinal() - 60, calendar.valid_through.toordinal() + 60
    return dt.date.fromordinal(min(max(fdp.ConsumeIntInRange(low, high), 1), MAX_ORDINAL))


def _count(fdp: atheris.FuzzedDataProvider, high: int = 2**63) -> int:
    size = fdp.ConsumeUInt(1) % 8
    if size < 5:
        return fdp.ConsumeIntInRange(0, 400)
    if size == 5:
        return -fdp.ConsumeIntInRange(1, 400)
    return fdp.ConsumeIntInRange(0, high)


def _segments(
    fdp: atheris.FuzzedDataProvider, calendar: WorkCalendar, near: dt.date | None = None
) -> list[Segment]:
    """Up to 3 ledger rows; dates anywhere, or within EXPLAIN_MAX days after `near`."""

    def day() -> dt.date:
        if near is None:
            return _day(fdp, calendar)
        return _after(near, fdp.ConsumeIntInRange(0, EXPLAIN_MAX))

    out = []
    for _ in range(fdp.ConsumeUInt(1) % 4):
        kind = (SegmentKind.EXCLUDED, SegmentKind.SUSPENDED, SegmentKind.EXTENSION)[fdp.ConsumeUInt(1) % 3]
        if kind == SegmentKind.EXTENSION:
            days = _count(fdp, MAX_BUDGET) if near is None else fdp.ConsumeIntInRange(1, 15)
            out.append(Segment(kind, day(), days=days))
        else:
            start = day()
            end = day() if fdp.ConsumeBool() else None
            out.append(Segment(kind, start, max(end, start) if end and near else end, reason="鉴定"))
    return out


def _after(day: dt.date, days: int) -> dt.date:
    return dt.date.fromordinal(min(day.toordinal() + days, MAX_ORDINAL))


def _ask(fdp: atheris.FuzzedDataProvider, calendar: WorkCalendar) -> None:
    question = fdp.ConsumeUInt(1) % 11
    start = _day(fdp, calendar)
    if question == 0:
        n = _count(fdp)
        due = calendar.add_workdays(start, n)
        assert n == 0 or (calendar.is_workday(due) and calendar.workdays_between(start, due) == n)
    elif question == 1:
        calendar.workdays_between(start, _day(fdp, calendar))
    elif question == 2:
        calendar.next_workday(start)
        assert calendar.day_status(start).label  # the text the calendar screens show
    elif question == 3:
        calendar.add_natural_days(start, _count(fdp))
    elif question == 4:
        explanation = calendar.explain(start, min(_count(fdp), EXPLAIN_MAX))
        assert len(explanation.counted) == explanation.workdays
    elif question == 5:
        due, beyond = deadlines.add_workdays(calendar, start, _count(fdp, MAX_BUDGET))
        assert beyond or calendar.is_workday(due) or due == start
    elif question == 6:
        deadlines.workdays_between(calendar, start, _day(fdp, calendar))
    elif question == 7:
        budget = _count(fdp, MAX_BUDGET)
        deadlines.project(
            calendar, budget=budget, start=start, segments=_segments(fdp, calendar), today=_day(fdp, calendar)
        )
    elif question == 8:
        budget = fdp.ConsumeIntInRange(0, EXPLAIN_MAX)
        segments = _segments(fdp, calendar, near=start)
        today = _after(start, fdp.ConsumeIntInRange(0, EXPLAIN_MAX))
        deadlines.explain(calendar, budget=budget, start=start, segments=segments, today=today)
    elif question == 9:
        deadlines.reminder_date(calendar, start)
    else:
        category = CATEGORIES[fdp.ConsumeUInt(1) % len(CATEGORIES)]
        urgency = URGENCIES[fdp.ConsumeUInt(1) % len(URGENCIES)]
        limits = sla.sla_for(category, urgency, complex_=fdp.ConsumeBool())
        # A ticket is dispatched now, never in the calendar's last days before 9999-12-31.
        moment = dt.datetime.combine(
            min(start, LAST_DISPATCH), dt.time(fdp.ConsumeUInt(1) % 24), tzinfo=dt.UTC
        )
        clocks = sla.clocks(limits, moment, calendar)
        if limits.finish is not None and clocks.finish is not None:
            sla.extended(limits.finish, clocks.finish, _count(fdp, MAX_BUDGET), calendar)
        sla.chase_level(calendar, clocks.sign.date, _day(fdp, calendar))
        sla.call_back_due(calendar, start)


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    try:
        calendar = _calendar(fdp)
        _ask(fdp, calendar)
    except REFUSALS as refused:
        assert str(refused), type(refused)


if __name__ == "__main__":
    engine.main(test_one_input)
