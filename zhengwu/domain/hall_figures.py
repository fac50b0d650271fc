"""Service-hall figures (issue 8): waiting and service times, appointment keeping, the hourly issue
heat map, rankings, and the definitions the metric registry shows for them.

Pure arithmetic over what a queue ticket and an appointment record: no database, no clock. Times are
aware datetimes; durations are reported in minutes with two decimals (ROUND_HALF_UP), ratios as
percentages with two decimals, and a figure over nothing is None ("—"), never 0.

Definitions (ADR 0008):

- 等候时长 of a ticket = first call − issue (`called_at − issued_at`); a ticket never called (still
  waiting, or gone) has no waiting time and is left out. An appointment's ticket is issued at
  check-in, so early arrivals do not count as waiting.
- 办理时长 = finish − start of service (`finished_at − serve_started_at`); only tickets with both
  count (a ticket skipped or gone after the call has no service time).
- 平均等候时长 = Σ waits ÷ tickets called; 最长等候时长 = the largest wait; 平均办理时长 = Σ service
  times ÷ tickets served (per window, staff member or item by grouping the tickets).
- 等候达标率 = tickets called within the target wait (default 20 minutes) ÷ tickets called.
- 预约履约率 = appointments checked in (or served) ÷ appointments booked, not cancelled, whose slot
  has started; 爽约率 = appointments marked no-show ÷ the same base. An appointment still "booked"
  after its slot is in the base of both and in neither numerator until the sweep marks it.
- 取号量 heat map: tickets issued per (weekday, local hour), Monday = 0.
- Rankings: competition ranking ("1, 2, 2, 4"), units without a value left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Generic, TypeVar

from zhengwu.domain import metrics as dm

CENT: Final = Decimal("0.01")
HUNDRED: Final = Decimal(100)
SIXTY: Final = Decimal(60)
DEFAULT_TARGET_WAIT_MINUTES: Final = 20
WEEKDAYS: Final = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

K = TypeVar("K")


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def minutes(seconds: float | int | Decimal) -> Decimal:
    """Seconds as minutes with two decimals."""
    return _q(Decimal(str(seconds)) / SIXTY)


def ratio(part: int, whole: int) -> Decimal | None:
    """part ÷ whole × 100 with two decimals; None over nothing."""
    if whole <= 0:
        return None
    return _q(Decimal(part) / Decimal(whole) * HUNDRED)


# -- tickets -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketTimes:
    """The moments of one queue ticket that the figures use."""

    issued_at: dt.datetime
    called_at: dt.datetime | None = None
    serve_started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None


def wait_seconds(ticket: TicketTimes) -> float | None:
    """Seconds from issue to the first call; None when never called (or called before issue: bad data)."""
    if ticket.called_at is None:
        return None
    seconds = (ticket.called_at - ticket.issued_at).total_seconds()
    return seconds if seconds >= 0 else None


def service_seconds(ticket: TicketTimes) -> float | None:
    """Seconds from the start of service to the finish; None without both (a ticket called but never
    served — skipped, no-show — has no service time)."""
    if ticket.finished_at is None or ticket.serve_started_at is None:
        return None
    seconds = (ticket.finished_at - ticket.serve_started_at).total_seconds()
    return seconds if seconds >= 0 else None


@dataclass(frozen=True)
class DurationSums:
    """What adds up over tickets: how many, the total and the longest (seconds), and how many within
    the target. Sums from a grouped query or from `duration_sums` give the same figures."""

    count: int = 0
    total_seconds: float = 0.0
    max_seconds: float | None = None
    within_target: int = 0

    def __add__(self, other: DurationSums) -> DurationSums:
        longest = [m for m in (self.max_seconds, other.max_seconds) if m is not None]
        return DurationSums(
            self.count + other.count,
            self.total_seconds + other.total_seconds,
            max(longest) if longest else None,
            self.within_target + other.within_target,
        )

    @property
    def mean_minutes(self) -> Decimal | None:
        return None if self.count == 0 else minutes(Decimal(str(self.total_seconds)) / Decimal(self.count))

    @property
    def max_minutes(self) -> Decimal | None:
        return None if self.max_seconds is None else minutes(self.max_seconds)

    @property
    def within_target_rate(self) -> Decimal | None:
        return ratio(self.within_target, self.count)


def duration_sums(
    seconds: Iterable[float | None], *, target_minutes: int = DEFAULT_TARGET_WAIT_MINUTES
) -> DurationSums:
    """The sums of a set of durations (None ones, i.e. not applicable, are skipped)."""
    values = [s for s in seconds if s is not None]
    limit = target_minutes * 60
    return DurationSums(
        len(values),
        float(sum(values)),
        max(values) if values else None,
        sum(1 for s in values if s <= limit),
    )


def wait_sums(
    tickets: Iterable[TicketTimes], *, target_minutes: int = DEFAULT_TARGET_WAIT_MINUTES
) -> DurationSums:
    return duration_sums((wait_seconds(t) for t in tickets), target_minutes=target_minutes)


def service_sums(tickets: Iterable[TicketTimes]) -> DurationSums:
    return duration_sums(service_seconds(t) for t in tickets)


# -- appointments ------------------------------------------------------------------------------------

KEPT_STATUSES: Final = frozenset({"checked_in", "served"})
NO_SHOW_STATUS: Final = "no_show"
CANCELLED_STATUS: Final = "cancelled"


@dataclass(frozen=True)
class AppointmentTally:
    """Appointments of a period counted by outcome. `due` = booked, not cancelled, slot started."""

    due: int = 0
    kept: int = 0
    no_show: int = 0
    cancelled: int = 0

    def __add__(self, other: AppointmentTally) -> AppointmentTally:
        return AppointmentTally(
            self.due + other.due,
            self.kept + other.kept,
            self.no_show + other.no_show,
            self.cancelled + other.cancelled,
        )

    @property
    def keeping_rate(self) -> Decimal | None:
        """预约履约率."""
        return ratio(self.kept, self.due)

    @property
    def no_show_rate(self) -> Decimal | None:
        """爽约率."""
        return ratio(self.no_show, self.due)


def appointment_tally(
    appointments: Iterable[tuple[str, dt.datetime]], *, now: dt.datetime
) -> AppointmentTally:
    """Tally (status, slot start) pairs: a slot not yet started is not due; cancelled ones never are."""
    due = kept = no_show = cancelled = 0
    for status, slot_start in appointments:
        if status == CANCELLED_STATUS:
            cancelled += 1
            continue
        if slot_start > now:
            continue
        due += 1
        kept += status in KEPT_STATUSES
        no_show += status == NO_SHOW_STATUS
    return AppointmentTally(due, kept, no_show, cancelled)


# -- the heat map ------------------------------------------------------------------------------------


@dataclass
class HeatMap:
    """Tickets issued per (weekday Monday = 0, local hour)."""

    cells: dict[tuple[int, int], int]

    @classmethod
    def empty(cls) -> HeatMap:
        return cls({})

    def add(self, weekday: int, hour: int, count: int = 1) -> None:
        if not (0 <= weekday <= 6 and 0 <= hour <= 23):
            raise ValueError(f"no such cell: weekday {weekday}, hour {hour}")
        self.cells[(weekday, hour)] = self.cells.get((weekday, hour), 0) + count

    @classmethod
    def of(cls, moments: Iterable[dt.datetime], tz: dt.tzinfo) -> HeatMap:
        out = cls.empty()
        for moment in moments:
            local = moment.astimezone(tz)
            out.add(local.weekday(), local.hour)
        return out

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    @property
    def peak(self) -> int:
        return max(self.cells.values(), default=0)

    def hours(self) -> list[int]:
        """The hours with any ticket, widened to cover the office day 8–17 (for a steady chart)."""
        used = {hour for _day, hour in self.cells}
        return sorted(used | set(range(8, 18)))

    def matrix(self) -> list[list[int]]:
        """7 rows (Monday…Sunday) × 24 columns (hours)."""
        return [[self.cells.get((day, hour), 0) for hour in range(24)] for day in range(7)]

    def by_hour(self) -> list[int]:
        return [sum(self.cells.get((day, hour), 0) for day in range(7)) for hour in range(24)]


# -- rankings ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked(Generic[K]):
    key: K
    value: Decimal
    rank: int


def rank(
    values: Mapping[K, Decimal | None] | Sequence[tuple[K, Decimal | None]],
    *,
    direction: dm.Direction = dm.Direction.HIGHER,
) -> list[Ranked[K]]:
    """Competition ranking, best first: equal values share a rank and the next rank skips (1, 2, 2, 4).
    Keys without a value are left out; equal values keep the order they were given in."""
    pairs = list(values.items()) if isinstance(values, Mapping) else list(values)
    present = [(key, value) for key, value in pairs if value is not None]
    ordered = sorted(present, key=lambda pair: pair[1] if direction == dm.Direction.LOWER else -pair[1])
    out: list[Ranked[K]] = []
    for index, (key, value) in enumerate(ordered):
        position = out[-1].rank if out and out[-1].value == value else index + 1
        out.append(Ranked(key, value, position))
    return out


# -- 窗口现场审批率 ---------------------------------------------------------------------------------

ON_SPOT_DOC: Final = dm.METRICS["window_on_spot_rate"].doc


def on_spot_rate(decided_on_spot: int, received_at_window: int) -> Decimal | None:
    """窗口现场审批率 from its two counters (see `ON_SPOT_DOC`)."""
    return ratio(decided_on_spot, received_at_window)


def decided_on_the_spot(
    *, channel: str, window_id: int | None, received_on: dt.date | None, decided_on: dt.date | None
) -> bool:
    """Whether a case counts in the numerator of 窗口现场审批率."""
    return (
        channel == "window"
        and window_id is not None
        and received_on is not None
        and decided_on == received_on
    )


# -- the registry's hall metrics (provided by `zhengwu.hall_figures`) --------------------------------

_HALL = "大厅"
_WAIT = "等候时长为取号到首次叫号的时间；取号而未被叫号的不计"
HALL_METRICS: Final[tuple[dm.Metric, ...]] = (
    dm.provided_metric(
        "hall_tickets",
        "取号量",
        unit="张",
        group=_HALL,
        doc="取号时间在期间内的排队号数（现场取号和预约签到）",
    ),
    dm.provided_metric(
        "hall_wait_mean",
        "平均等候时长",
        unit="分钟",
        direction=dm.Direction.LOWER,
        group=_HALL,
        doc=f"期间内被叫号的排队号的等候时长平均数；{_WAIT}",
    ),
    dm.provided_metric(
        "hall_wait_max",
        "最长等候时长",
        unit="分钟",
        direction=dm.Direction.LOWER,
        group=_HALL,
        doc=f"期间内被叫号的排队号的最长等候时长；{_WAIT}",
    ),
    dm.provided_metric(
        "hall_wait_within_rate",
        "等候达标率",
        group=_HALL,
        doc=f"等候时长不超过 {DEFAULT_TARGET_WAIT_MINUTES} 分钟的排队号 ÷ 被叫号的排队号",
    ),
    dm.provided_metric(
        "hall_service_mean",
        "平均办理时长",
        unit="分钟",
        direction=dm.Direction.LOWER,
        group=_HALL,
        doc="期间内取号、已开始受理并办理完毕的排队号从开始受理到结束的时间的平均数",
    ),
    dm.provided_metric(
        "hall_keeping_rate",
        "预约履约率",
        group=_HALL,
        doc="预约时段在期间内且已开始、未取消的预约中已签到（含已办理）的 ÷ 这些预约",
    ),
    dm.provided_metric(
        "hall_no_show_rate",
        "爽约率",
        direction=dm.Direction.LOWER,
        group=_HALL,
        doc="预约时段在期间内且已开始、未取消的预约中被标记爽约的 ÷ 这些预约",
    ),
)
HALL_CODES: Final = tuple(m.code for m in HALL_METRICS)
