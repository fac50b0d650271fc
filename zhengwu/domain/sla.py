"""12345 time limits (DOMAIN §7): the sign-for and finish clocks of a ticket and how late it is.

| default SLA                          | sign for | finish       | unit          |
|--------------------------------------|----------|--------------|---------------|
| 特急 (life, property, emergencies)    | 30 min   | 2 h          | natural hours |
| 紧急 (water, power, gas, heating)     | 2 h      | 24 h         | natural hours |
| 咨询                                  | 1 wd     | 2 wd         | working days  |
| 求助 / 其他                           | 1 wd     | 5 wd         | working days  |
| 投诉 / 举报 / 建议                    | 1 wd     | 7 wd         | working days  |
| flagged 复杂 by the dispatcher        | 1 wd     | 15 wd        | working days  |
| 感谢                                  | 1 wd     | forward only | —             |

Both clocks start at dispatch. Working-day limits count from the local dispatch date as day zero
(民法典 Art. 201) and end with their due date: a ticket finished at any time on its due date is on
time (DOMAIN §3.3), so the due moment is the last instant of that local day. Hour limits run in
natural hours, 24 × 7, from the dispatch moment. A due date beyond the calendar's data is laid out
on Mon–Fri and flagged `provisional` ("预计").

Urgency wins over category; the complex flag (复杂) lengthens a working-day finish limit only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from zhengwu.domain import deadlines as dl
from zhengwu.domain.calendar import WorkCalendar

LOCAL_TZ: Final = ZoneInfo("Asia/Shanghai")
END_OF_DAY: Final = dt.time(23, 59, 59)
WRITTEN_CHASE_AFTER: Final = 5  # working days after the automatic chase (DOMAIN §7)
CALL_BACK_DAYS: Final = 2  # working days after closing


class Category(StrEnum):
    CONSULT = "consult"
    HELP = "help"
    COMPLAINT = "complaint"
    REPORT = "report"
    SUGGESTION = "suggestion"
    PRAISE = "praise"
    OTHER = "other"


CATEGORY_LABELS: Final = {
    Category.CONSULT: "咨询",
    Category.HELP: "求助",
    Category.COMPLAINT: "投诉",
    Category.REPORT: "举报",
    Category.SUGGESTION: "建议",
    Category.PRAISE: "感谢",
    Category.OTHER: "其他",
}


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"
    CRITICAL = "critical"


URGENCY_LABELS: Final = {Urgency.NORMAL: "一般", Urgency.URGENT: "紧急", Urgency.CRITICAL: "特急"}


class Unit(StrEnum):
    MINUTES = "minutes"
    WORKDAYS = "workdays"


UNIT_LABELS: Final = {Unit.MINUTES: "分钟", Unit.WORKDAYS: "个工作日"}


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: Unit

    @property
    def label(self) -> str:
        if self.unit == Unit.MINUTES and self.amount % 60 == 0:
            return f"{self.amount // 60} 小时"
        return f"{self.amount} {UNIT_LABELS[self.unit]}"


@dataclass(frozen=True)
class Sla:
    sign: Limit
    finish: Limit | None
    """None for 感谢: forwarded only, nothing to finish."""


def _wd(n: int) -> Limit:
    return Limit(n, Unit.WORKDAYS)


def _min(n: int) -> Limit:
    return Limit(n, Unit.MINUTES)


URGENCY_SLA: Final = {
    Urgency.CRITICAL: Sla(_min(30), _min(120)),
    Urgency.URGENT: Sla(_min(120), _min(24 * 60)),
}
CATEGORY_SLA: Final = {
    Category.CONSULT: Sla(_wd(1), _wd(2)),
    Category.HELP: Sla(_wd(1), _wd(5)),
    Category.OTHER: Sla(_wd(1), _wd(5)),
    Category.COMPLAINT: Sla(_wd(1), _wd(7)),
    Category.REPORT: Sla(_wd(1), _wd(7)),
    Category.SUGGESTION: Sla(_wd(1), _wd(7)),
    Category.PRAISE: Sla(_wd(1), None),
}
COMPLEX_SLA: Final = Sla(_wd(1), _wd(15))


def sla_for(category: str, urgency: str = Urgency.NORMAL, *, complex_: bool = False) -> Sla:
    """The default limits of a ticket: urgency first, then the complex flag, then the category."""
    wanted = Urgency(urgency)
    if wanted in URGENCY_SLA:
        return URGENCY_SLA[wanted]
    base = CATEGORY_SLA[Category(category)]
    if complex_ and base.finish is not None:
        return COMPLEX_SLA
    return base


@dataclass(frozen=True)
class Due:
    """When a clock falls due: `at` is the last on-time instant (aware), `date` its local date."""

    at: dt.datetime
    date: dt.date
    provisional: bool
    by_date: bool
    """True for working-day limits (shown as a date), False for hour limits (shown with the time)."""


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=LOCAL_TZ)


def due(limit: Limit, start: dt.datetime, calendar: WorkCalendar) -> Due:
    """The due moment of `limit` counted from `start` (an aware datetime)."""
    if start.tzinfo is None:
        raise ValueError("start 必须带时区。")
    if limit.unit == Unit.MINUTES:
        at = start + dt.timedelta(minutes=limit.amount)
        return Due(at, at.astimezone(LOCAL_TZ).date(), provisional=False, by_date=False)
    day, provisional = dl.add_workdays(calendar, start.astimezone(LOCAL_TZ).date(), limit.amount)
    return Due(_end_of(day), day, provisional=provisional, by_date=True)


@dataclass(frozen=True)
class Clocks:
    sign: Due
    finish: Due | None


def clocks(sla: Sla, dispatched_at: dt.datetime, calendar: WorkCalendar) -> Clocks:
    """Both clocks of a (re-)dispatch: they start at the dispatch moment."""
    finish = due(sla.finish, dispatched_at, calendar) if sla.finish is not None else None
    return Clocks(due(sla.sign, dispatched_at, calendar), finish)


def extended(limit: Limit, old: Due, amount: int, calendar: WorkCalendar) -> Due:
    """The finish due after an extension of `amount` (in the limit's unit), counted from the old due.

    An extension is at most the original limit (DOMAIN §7); a bigger one raises ValueError.
    """
    if amount <= 0 or amount > limit.amount:
        raise ValueError(f"延期时长须在 1 到 {limit.amount} {UNIT_LABELS[limit.unit]}之间。")
    if limit.unit == Unit.MINUTES:
        at = old.at + dt.timedelta(minutes=amount)
        return Due(at, at.astimezone(LOCAL_TZ).date(), provisional=False, by_date=False)
    day, provisional = dl.add_workdays(calendar, old.date, amount)
    return Due(_end_of(day), day, provisional=provisional or old.provisional, by_date=True)


class Level(StrEnum):
    NORMAL = "normal"
    WARNING = "warning"
    OVERDUE = "overdue"


LEVEL_LABELS: Final = {Level.NORMAL: "正常", Level.WARNING: "临期", Level.OVERDUE: "超期"}
WARNING_SHARE: Final = 4  # the last quarter of a clock is 临期


def level(now: dt.datetime, start: dt.datetime, due_at: dt.datetime) -> Level:
    """Overdue after the due moment; a warning in the last quarter of the clock; normal before."""
    if now > due_at:
        return Level.OVERDUE
    if (due_at - now) * WARNING_SHARE <= due_at - start:
        return Level.WARNING
    return Level.NORMAL


def on_time(done_at: dt.datetime, due_at: dt.datetime) -> bool:
    return done_at <= due_at


class Chase(StrEnum):
    NONE = "none"
    AUTOMATIC = "automatic"
    WRITTEN = "written"


CHASE_LABELS: Final = {Chase.NONE: "无", Chase.AUTOMATIC: "系统催办", Chase.WRITTEN: "书面督办"}


def chase_level(calendar: WorkCalendar, due_date: dt.date, today: dt.date) -> Chase:
    """督办 (DOMAIN §7): an automatic chase the day after the due date, a written one 5 wd after that."""
    chase_day = due_date + dt.timedelta(days=1)
    if today < chase_day:
        return Chase.NONE
    written_day, _provisional = dl.add_workdays(calendar, chase_day, WRITTEN_CHASE_AFTER)
    return Chase.WRITTEN if today >= written_day else Chase.AUTOMATIC


def call_back_due(calendar: WorkCalendar, closed_on: dt.date) -> dt.date:
    """A dispatched ticket's caller is called back within 2 wd of closing."""
    day, _provisional = dl.add_workdays(calendar, closed_on, CALL_BACK_DAYS)
    return day
