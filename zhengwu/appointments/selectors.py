"""Reads of appointments: what can be booked (items, halls, dates, slots with remaining places), a
citizen's own appointments, the appointments of a staff member's halls, and the hall figures.

Remaining places are read from the `SlotCounter` rows of the day in one query; a slot without a row
has all its places free (the row is created on the first booking)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from zhengwu.appointments.choices import KEPT_STATUSES, Status
from zhengwu.appointments.models import Appointment, BookingBlock, HallAppointmentSettings, SlotCounter
from zhengwu.catalog import choices as catalog_choices
from zhengwu.catalog.models import ServiceItem
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.domain import appointments as rules
from zhengwu.organization.models import ServiceHall
from zhengwu.organization.selectors import department_scope_q
from zhengwu.workdays.selectors import work_calendar


def hall_settings(hall: ServiceHall) -> HallAppointmentSettings:
    """The hall's appointment settings, or an unsaved row holding the defaults."""
    try:
        return hall.appointment_settings
    except HallAppointmentSettings.DoesNotExist:
        return HallAppointmentSettings(hall=hall)


def no_show_rule() -> rules.NoShowRule:
    return rules.NoShowRule(
        count=settings.ZHENGWU_APPOINTMENT_NO_SHOW_COUNT,
        within_days=settings.ZHENGWU_APPOINTMENT_NO_SHOW_DAYS,
        block_days=settings.ZHENGWU_APPOINTMENT_BLOCK_DAYS,
    )


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(LOCAL_TZ)


def item_bookable_q(prefix: str = "") -> Q:
    """Items with a published version that takes appointments with a positive daily quota."""
    return Q(
        **{
            f"{prefix}status": catalog_choices.LifecycleStatus.ACTIVE,
            f"{prefix}current_version__appointment_supported": True,
            f"{prefix}current_version__appointment_daily_quota__gt": 0,
        }
    )


def appointment_item_list(*, search: str = "") -> QuerySet[ServiceItem]:
    """Items one may book (portal and API), with department and region for the list."""
    qs = (
        ServiceItem.objects.filter(item_bookable_q())
        .select_related("department", "region", "current_version")
        .order_by("department__region__path", "department__name", "name")
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(implementation_code__icontains=search))
    return qs


def hall_for_item_q(item: ServiceItem) -> Q:
    """Halls that serve an item: its own department's halls, the halls of its region, and halls with a
    window accepting for its department."""
    return (
        Q(department_id=item.department_id)
        | Q(department__region_id=item.region_id)
        | Q(windows__departments=item.department_id, windows__is_active=True)
    )


def item_hall_list(item: ServiceItem) -> QuerySet[ServiceHall]:
    """Halls where `item` can be booked (appointments not switched off there)."""
    ids = ServiceHall.objects.filter(hall_for_item_q(item)).values("pk")
    return (
        ServiceHall.objects.filter(pk__in=ids)
        .exclude(appointment_settings__enabled=False)
        .select_related("department", "department__region", "appointment_settings")
        .order_by("name")
    )


def hall_item_list(hall: ServiceHall) -> QuerySet[ServiceItem]:
    """Bookable items served by `hall` (the converse of `item_hall_list`)."""
    served = ServiceItem.objects.filter(
        Q(department_id=hall.department_id)
        | Q(region_id=hall.department.region_id)
        | Q(department__windows__hall=hall, department__windows__is_active=True)
    ).values("pk")
    return appointment_item_list().filter(pk__in=served)


def hall_serves_item(hall: ServiceHall, item: ServiceItem) -> bool:
    return item_hall_list(item).filter(pk=hall.pk).exists()


@dataclass(frozen=True)
class SlotView:
    start: dt.time
    end: dt.time
    capacity: int
    booked: int
    open: bool
    """False once the slot has started (or the slot has no place at all)."""

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def bookable(self) -> bool:
        return self.open and self.remaining > 0


@dataclass(frozen=True)
class DayView:
    date: dt.date
    capacity: int
    remaining: int

    @property
    def weekday(self) -> str:
        return "周" + "一二三四五六日"[self.date.weekday()]


def _day_plan(hall: ServiceHall, item: ServiceItem) -> tuple[rules.Slot, ...]:
    config = hall_settings(hall)
    version = item.current_version
    quota = (version.appointment_daily_quota or 0) if version is not None else 0
    return rules.day_slots(config.period_list, config.slot_minutes, quota)


def bookable_dates(hall: ServiceHall, *, now: dt.datetime) -> tuple[dt.date, ...]:
    config = hall_settings(hall)
    calendar = work_calendar(region=hall.department.region)
    return rules.bookable_dates(
        calendar,
        now=local(now).replace(tzinfo=None),
        horizon=config.horizon_workdays,
        same_day_cutoff=config.same_day_cutoff,
    )


def slot_availability(
    hall: ServiceHall, item: ServiceItem, day: dt.date, *, now: dt.datetime
) -> list[SlotView]:
    """Every slot of `day` with its capacity and the places booked so far."""
    counters = {
        row.slot_start: row
        for row in SlotCounter.objects.filter(hall=hall, item=item, date=day).only(
            "slot_start", "capacity", "booked"
        )
    }
    wall = local(now).replace(tzinfo=None)
    views = []
    for slot in _day_plan(hall, item):
        counter = counters.get(slot.start)
        capacity = counter.capacity if counter else slot.capacity
        booked = counter.booked if counter else 0
        starts = dt.datetime.combine(day, slot.start)
        views.append(SlotView(slot.start, slot.end, capacity, booked, open=starts > wall and capacity > 0))
    return views


def day_availability(hall: ServiceHall, item: ServiceItem, *, now: dt.datetime) -> list[DayView]:
    """The bookable dates with the places still free on each (slots already started excluded)."""
    dates = bookable_dates(hall, now=now)
    if not dates:
        return []
    plan = _day_plan(hall, item)
    counters: dict[tuple[dt.date, dt.time], tuple[int, int]] = {
        (row.date, row.slot_start): (row.capacity, row.booked)
        for row in SlotCounter.objects.filter(hall=hall, item=item, date__in=dates).only(
            "date", "slot_start", "capacity", "booked"
        )
    }
    wall = local(now).replace(tzinfo=None)
    days = []
    for day in dates:
        capacity = remaining = 0
        for slot in plan:
            cap, booked = counters.get((day, slot.start), (slot.capacity, 0))
            capacity += cap
            if dt.datetime.combine(day, slot.start) > wall:
                remaining += max(cap - booked, 0)
        days.append(DayView(day, capacity, remaining))
    return days


def active_block(user, *, today: dt.date) -> BookingBlock | None:
    """The block that refuses `user` online booking today, if any."""
    if user is None or not user.pk:
        return None
    return BookingBlock.objects.filter(user=user, blocked_from__lte=today, blocked_until__gt=today).first()


def _with_relations(qs: QuerySet[Appointment]) -> QuerySet[Appointment]:
    return qs.select_related("hall", "item", "queue_ticket")


def appointment_list_for_citizen(user) -> QuerySet[Appointment]:
    """A citizen's own appointments, newest date first."""
    return _with_relations(Appointment.objects.filter(citizen=user)).order_by("-date", "-slot_start")


def staff_hall_list(user) -> QuerySet[ServiceHall]:
    """Halls whose managing department lies in the staff member's data scope."""
    return (
        ServiceHall.objects.filter(department_scope_q(user, prefix="department__"))
        .select_related("department", "department__region")
        .order_by("name")
    )


def appointment_list_for_staff(
    user, *, day: dt.date | None = None, hall_id: int | None = None, status: str = ""
) -> QuerySet[Appointment]:
    """Appointments of the staff member's halls (optionally one hall, one day, one status)."""
    qs = _with_relations(
        Appointment.objects.filter(department_scope_q(user, prefix="hall__department__"))
    ).order_by("date", "slot_start", "number")
    if day is not None:
        qs = qs.filter(date=day)
    if hall_id:
        qs = qs.filter(hall_id=hall_id)
    if status:
        qs = qs.filter(status=status)
    return qs


@dataclass(frozen=True)
class AppointmentFigures:
    """Hall figures over appointments whose slot has ended by `as_of`, cancelled ones excluded.

    预约履约率 = kept ÷ due; 爽约率 = no_show ÷ due (None when nothing was due)."""

    due: int
    kept: int
    no_show: int
    pending: int
    """Not yet checked in nor marked (the no-show sweep has not run for them yet)."""

    @property
    def kept_rate(self) -> float | None:
        return round(100 * self.kept / self.due, 2) if self.due else None

    @property
    def no_show_rate(self) -> float | None:
        return round(100 * self.no_show / self.due, 2) if self.due else None


def appointment_figures(
    *, halls: QuerySet[ServiceHall] | None = None, date_from: dt.date, date_to: dt.date, as_of: dt.datetime
) -> AppointmentFigures:
    """Counts for 预约履约率 and 爽约率 in one query."""
    qs = Appointment.objects.filter(date__range=(date_from, date_to), ends_at__lte=as_of).exclude(
        status=Status.CANCELLED
    )
    if halls is not None:
        qs = qs.filter(hall__in=halls)
    counts = qs.aggregate(
        due=Count("pk"),
        kept=Count("pk", filter=Q(status__in=KEPT_STATUSES)),
        no_show=Count("pk", filter=Q(status=Status.NO_SHOW)),
        pending=Count("pk", filter=Q(status=Status.BOOKED)),
    )
    return AppointmentFigures(**counts)
