"""Reads of hall figures (issue 8): waiting and service times, appointment keeping, the hourly issue
heat map and the window / staff / item breakdowns of one hall and period — each a grouped query over
the queue tickets (`zhengwu.queueing`) and appointments (`zhengwu.appointments`), turned into figures
by the formulas of `zhengwu.domain.hall_figures` (ADR 0008).

The durations are summed by the database (Σ, max and the count within the target), so the cost of a
figure follows the number of groups, not the number of tickets. 窗口现场审批率 comes from the metric
rollups (counters `window_received` / `window_on_spot`, `zhengwu.metrics`), like every case figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Q, QuerySet, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate, TruncMonth

from zhengwu.appointments.models import Appointment
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.domain import hall_figures as hf
from zhengwu.domain import metrics as dm
from zhengwu.domain.metrics import Period
from zhengwu.metrics import selectors as metric_selectors
from zhengwu.organization.models import ServiceHall, Window
from zhengwu.queueing.models import QueueTicket

TARGET = hf.DEFAULT_TARGET_WAIT_MINUTES

WAIT = ExpressionWrapper(F("called_at") - F("issued_at"), output_field=DurationField())
SERVICE = ExpressionWrapper(F("finished_at") - F("serve_started_at"), output_field=DurationField())
# Called, and not before the issue (bad data has no waiting time, as in the domain formulas).
CALLED = Q(called_at__isnull=False, called_at__gte=F("issued_at"))
# Served: a start of service and a finish after it.
SERVED = Q(serve_started_at__isnull=False, finished_at__isnull=False, finished_at__gte=F("serve_started_at"))


def ticket_aggregates(target_minutes: int = TARGET) -> dict[str, Any]:
    """The aggregates `TicketFigures.of` reads: counts, Σ and max of waits and of service times."""
    limit = dt.timedelta(minutes=target_minutes)
    return {
        "tickets": Count("id"),
        "called": Count("id", filter=CALLED),
        "wait_total": Sum(WAIT, filter=CALLED),
        "wait_max": Max(WAIT, filter=CALLED),
        "wait_within": Count("id", filter=CALLED & Q(called_at__lte=F("issued_at") + limit)),
        "served": Count("id", filter=SERVED),
        "service_total": Sum(SERVICE, filter=SERVED),
        "service_max": Max(SERVICE, filter=SERVED),
    }


def _seconds(value: Any) -> float:
    """A summed duration as seconds (a timedelta; some backends give microseconds)."""
    if value is None:
        return 0.0
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value) / 1_000_000


@dataclass(frozen=True)
class TicketFigures:
    """Tickets issued, and the sums of their waits and service times (see `hf.DurationSums`)."""

    tickets: int = 0
    wait: hf.DurationSums = field(default_factory=hf.DurationSums)
    service: hf.DurationSums = field(default_factory=hf.DurationSums)

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> TicketFigures:
        wait_max, service_max = row.get("wait_max"), row.get("service_max")
        return cls(
            int(row.get("tickets") or 0),
            hf.DurationSums(
                int(row.get("called") or 0),
                _seconds(row.get("wait_total")),
                None if wait_max is None else _seconds(wait_max),
                int(row.get("wait_within") or 0),
            ),
            hf.DurationSums(
                int(row.get("served") or 0),
                _seconds(row.get("service_total")),
                None if service_max is None else _seconds(service_max),
                0,
            ),
        )

    def __add__(self, other: TicketFigures) -> TicketFigures:
        return TicketFigures(
            self.tickets + other.tickets, self.wait + other.wait, self.service + other.service
        )


def local_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(period.start, dt.time(), tzinfo=LOCAL_TZ)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL_TZ)
    return start, end


def tickets_in(period: Period) -> QuerySet[QueueTicket]:
    """The tickets issued in the period (local dates)."""
    start, end = local_bounds(period)
    return QueueTicket.objects.filter(issued_at__gte=start, issued_at__lt=end)


def appointments_in(period: Period) -> QuerySet[Appointment]:
    """The appointments whose slot falls in the period."""
    return Appointment.objects.filter(date__range=(period.start, period.end))


def _due(now: dt.datetime) -> Q:
    """Appointments whose slot has started by `now` and that were not cancelled."""
    return Q(starts_at__lte=now) & ~Q(status=hf.CANCELLED_STATUS)


def appointment_aggregates(now: dt.datetime) -> dict[str, Any]:
    due = _due(now)
    return {
        "due": Count("id", filter=due),
        "kept": Count("id", filter=due & Q(status__in=sorted(hf.KEPT_STATUSES))),
        "no_show": Count("id", filter=due & Q(status=hf.NO_SHOW_STATUS)),
        "cancelled": Count("id", filter=Q(status=hf.CANCELLED_STATUS)),
    }


def tally_of(row: Mapping[str, Any]) -> hf.AppointmentTally:
    return hf.AppointmentTally(
        int(row.get("due") or 0),
        int(row.get("kept") or 0),
        int(row.get("no_show") or 0),
        int(row.get("cancelled") or 0),
    )


# -- one hall ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """A line of a breakdown: a window, a staff member or an item."""

    key: int
    name: str
    figures: TicketFigures
    on_spot: Decimal | None = None


@dataclass
class HallBoard:
    """Everything the manager board shows for one hall and period."""

    hall: ServiceHall
    period: Period
    totals: TicketFigures
    appointments: hf.AppointmentTally
    on_spot_rate: Decimal | None
    on_spot: tuple[int, int]  # (decided on the spot, received at the windows)
    trend: list[tuple[str, TicketFigures]]
    heat: hf.HeatMap
    windows: list[Row]
    staff: list[Row]
    items: list[Row]


def _grouped(qs: QuerySet, *fields: str) -> list[dict[str, Any]]:
    return list(qs.values(*fields).annotate(**ticket_aggregates()).order_by())


def hall_board(*, hall: ServiceHall, period: Period, now: dt.datetime) -> HallBoard:
    """The hall's figures for the period: nine queries whatever the number of tickets."""
    tickets = tickets_in(period).filter(hall=hall)
    totals = TicketFigures.of(tickets.aggregate(**ticket_aggregates()))
    by_month = (period.end - period.start).days > 62
    bucket = TruncMonth("issued_at", tzinfo=LOCAL_TZ) if by_month else TruncDate("issued_at", tzinfo=LOCAL_TZ)
    trend = [
        (_label(row["bucket"], by_month), TicketFigures.of(row))
        for row in sorted(_grouped(tickets.annotate(bucket=bucket), "bucket"), key=lambda r: r["bucket"])
    ]
    heat = hf.HeatMap.empty()
    cells = (
        tickets.annotate(
            weekday=ExtractIsoWeekDay("issued_at", tzinfo=LOCAL_TZ),
            hour=ExtractHour("issued_at", tzinfo=LOCAL_TZ),
        )
        .values_list("weekday", "hour")
        .annotate(n=Count("id"))
        .order_by()
    )
    for weekday, hour, n in cells:
        heat.add(weekday - 1, hour, n)
    windows_rows = _grouped(tickets.filter(window__isnull=False), "window_id")
    window_names = dict(
        Window.objects.filter(hall=hall).values_list("pk", "number")
    )  # every window of the hall, also those without a ticket
    on_spot = _window_on_spot(hall, period, window_names)
    by_window = {row["window_id"]: TicketFigures.of(row) for row in windows_rows}
    windows = [
        Row(pk, f"{number}号窗口", by_window.get(pk, TicketFigures()), on_spot[0].get(pk))
        for pk, number in sorted(window_names.items(), key=lambda pair: _natural(pair[1]))
    ]
    staff = [
        Row(row["staff_id"], row["staff__full_name"] or row["staff__username"], TicketFigures.of(row))
        for row in _grouped(
            tickets.filter(staff__isnull=False), "staff_id", "staff__full_name", "staff__username"
        )
    ]
    items = [
        Row(row["item_id"], row["item__name"], TicketFigures.of(row))
        for row in _grouped(tickets.filter(item__isnull=False), "item_id", "item__name")
    ]
    items.sort(key=lambda r: (-r.figures.service.count, r.name))
    tally = tally_of(appointments_in(period).filter(hall=hall).aggregate(**appointment_aggregates(now)))
    decided, received = on_spot[1]
    return HallBoard(
        hall=hall,
        period=period,
        totals=totals,
        appointments=tally,
        on_spot_rate=hf.on_spot_rate(decided, received),
        on_spot=(decided, received),
        trend=trend,
        heat=heat,
        windows=windows,
        staff=sorted(staff, key=lambda r: r.name),
        items=items,
    )


def _natural(number: str) -> tuple[int, str]:
    return (int(number), "") if number.isdecimal() else (10**6, number)


def _label(bucket: Any, by_month: bool) -> str:
    day = bucket.date() if isinstance(bucket, dt.datetime) else bucket
    return f"{day:%Y-%m}" if by_month else f"{day:%m-%d}"


def _window_on_spot(
    hall: ServiceHall, period: Period, windows: Mapping[int, str]
) -> tuple[dict[int, Decimal | None], tuple[int, int]]:
    """窗口现场审批率 per window and for the hall (its windows together), from the rollups."""
    units = [metric_selectors.Unit("window", pk, number) for pk, number in windows.items()]
    if not units:
        return {}, (0, 0)
    counts = metric_selectors.unit_counts(units, period)
    per_window: dict[int, Decimal | None] = {}
    decided = received = 0
    for unit in units:
        values = counts[unit.key]
        on_spot, window_received = values.get("window_on_spot", 0), values.get("window_received", 0)
        per_window[unit.pk] = hf.on_spot_rate(on_spot, window_received)
        decided += on_spot
        received += window_received
    return per_window, (decided, received)


def ranking(rows: Iterable[Row], code: str) -> list[hf.Ranked[Row]]:
    """Rows ranked by a figure: `wait_mean`, `service_mean`, `tickets` or `on_spot`."""
    getters = {
        "wait_mean": (lambda r: r.figures.wait.mean_minutes, dm.Direction.LOWER),
        "service_mean": (lambda r: r.figures.service.mean_minutes, dm.Direction.LOWER),
        "tickets": (lambda r: Decimal(r.figures.tickets) if r.figures.tickets else None, dm.Direction.HIGHER),
        "on_spot": (lambda r: r.on_spot, dm.Direction.HIGHER),
    }
    getter, direction = getters[code]
    return hf.rank([(row, getter(row)) for row in rows], direction=direction)
