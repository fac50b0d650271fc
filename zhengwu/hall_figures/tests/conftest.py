"""A hall with two windows, one window group, an item and staff; tickets and appointments with chosen
times (written straight to the tables: the figures read recorded times, whatever wrote them)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest

from zhengwu.appointments.models import Appointment
from zhengwu.cases.tests.factories import County, make_county
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.organization.choices import Role
from zhengwu.organization.models import ServiceHall, User, Window
from zhengwu.organization.tests.factories import HallFactory, UserFactory, WindowFactory
from zhengwu.queueing.models import QueueTicket, WindowGroup

_numbers = itertools.count(1)


def t(hour: int, minute: int, second: int = 0, day: int = 2) -> dt.datetime:
    """A moment in November 2026 (Monday the 2nd by default), Beijing time."""
    return dt.datetime(2026, 11, day, hour, minute, second, tzinfo=LOCAL_TZ)


@dataclass
class Hall:
    county: County
    hall: ServiceHall
    group: WindowGroup
    windows: list[Window]
    clerks: list[User]
    item: object


def make_ticket(
    place: Hall,
    issued: dt.datetime,
    called: dt.datetime | None = None,
    started: dt.datetime | None = None,
    finished: dt.datetime | None = None,
    *,
    window: int | None = None,
    item=None,
    status: str | None = None,
    hall: ServiceHall | None = None,
) -> QueueTicket:
    n = next(_numbers)
    if status is None:
        status = "done" if finished else "serving" if started else "called" if called else "waiting"
    return QueueTicket.objects.create(
        hall=hall or place.hall,
        group=place.group,
        day=issued.astimezone(LOCAL_TZ).date(),
        number=f"A{n:03d}",
        priority="normal",
        status=status,
        source="kiosk",
        item=item,
        issued_at=issued,
        queued_at=issued,
        called_at=called,
        serve_started_at=started,
        finished_at=finished,
        window=place.windows[window] if window is not None else None,
        staff=place.clerks[window] if window is not None else None,
        token=f"tok{n:06d}",
    )


def make_appointment(place: Hall, starts: dt.datetime, status: str) -> Appointment:
    n = next(_numbers)
    local = starts.astimezone(LOCAL_TZ)
    return Appointment.objects.create(
        number=f"26-{place.hall.pk}-{local:%Y%m%d}-{n:04d}",
        hall=place.hall,
        item=place.item,
        date=local.date(),
        slot_start=local.time(),
        slot_end=(local + dt.timedelta(minutes=30)).time(),
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=30),
        name="张三",
        phone=f"138{n:08d}",
        channel="online",
        status=status,
    )


@pytest.fixture
def place(db) -> Hall:
    county = make_county()
    hall = HallFactory(department=county.department, name="赫山区政务服务中心")
    windows = [WindowFactory(hall=hall, number="1"), WindowFactory(hall=hall, number="2")]
    clerks = [
        UserFactory(
            department=county.department,
            roles=[Role.WINDOW_CLERK],
            scope=[county.region],
            window=w,
            full_name=n,
        )
        for w, n in zip(windows, ("王一", "李二"), strict=True)
    ]
    group = WindowGroup.objects.create(hall=hall, code="A", name="综合受理区")
    group.windows.set(windows)
    item = make_item(department=county.department)
    return Hall(county, hall, group, windows, clerks, item)


@pytest.fixture
def morning(place: Hall) -> list[QueueTicket]:
    """The four tickets of the domain golden test, at windows 1, 1, 2 and none:
    A wait 750 s, service 720 s · B wait 2100 s, no service · C wait 45 s, service 560 s · D waiting."""
    return [
        make_ticket(place, t(9, 0), t(9, 12, 30), t(9, 13), t(9, 25), window=0, item=place.item),
        make_ticket(place, t(9, 5), t(9, 40), None, t(9, 52), window=0, status="no_show"),
        make_ticket(place, t(9, 10), t(9, 10, 45), t(9, 11), t(9, 20, 20), window=1, item=place.item),
        make_ticket(place, t(9, 20)),
    ]
