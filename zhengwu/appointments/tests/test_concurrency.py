"""Eight people book the last three places of a slot at the same moment: exactly three succeed.

Each booker runs in its own thread with its own database connection and its own transaction, all
released together by a barrier. Run on both databases:

    .venv/bin/pytest -p no:xdist zhengwu/appointments/tests/test_concurrency.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhengwu_appointments \
        .venv/bin/pytest -p no:xdist zhengwu/appointments/tests/test_concurrency.py

On PostgreSQL the eight transactions really overlap: the conditional `UPDATE … WHERE booked <
capacity` waits for each earlier writer of the counter row and re-checks the condition on the row it
then sees. On SQLite writers are serialised (`BEGIN IMMEDIATE`, busy timeout), which is what the
counter relies on there. The SQLite test database is in memory with a shared cache, where a second
writer's `BEGIN IMMEDIATE` fails at once with "database table is locked" instead of waiting as the
busy timeout makes it wait on a database file; the test retries exactly that refusal, nothing else,
which is what the busy timeout does in production.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import OperationalError, connection, connections

from zhengwu.appointments import services
from zhengwu.appointments.models import Appointment, SlotCounter
from zhengwu.appointments.tests.factories import at, make_hall
from zhengwu.common.errors import DomainError

pytestmark = pytest.mark.django_db(transaction=True)

BOOKERS = 8
PLACES = 3


def _book_waiting_for_the_write_lock(**kwargs):
    shared_cache = connection.vendor == "sqlite" and connection.is_in_memory_db()
    for _attempt in range(5000):
        try:
            return services.appointment_book(**kwargs)
        except OperationalError as error:
            if not (shared_cache and "table is locked" in str(error)):
                raise
            time.sleep(0.002)
    raise AssertionError("写锁等待超时")


def test_eight_simultaneous_bookers_on_three_places_exactly_three_succeed(reference_data):
    setup = make_hall(quota=PLACES, periods="09:00-09:30")
    barrier = threading.Barrier(BOOKERS, timeout=30)

    def booker(n: int) -> str:
        try:
            barrier.wait()
            appointment = _book_waiting_for_the_write_lock(
                hall=setup.hall,
                item=setup.item,
                day=dt.date(2026, 11, 24),
                slot_start=dt.time(9, 0),
                name=f"预约人{n}",
                phone=f"1370000{n:04d}",
                channel="hall",
                actor=setup.clerk,
                now=at("2026-11-23"),
            )
            return appointment.number
        except DomainError as refused:
            return refused.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=BOOKERS) as pool:
        results = list(pool.map(booker, range(BOOKERS)))

    numbers = [result for result in results if result.startswith("YY-")]
    assert len(numbers) == PLACES, results
    assert sorted(result for result in results if not result.startswith("YY-")) == ["slot_full"] * (
        BOOKERS - PLACES
    )
    assert len(set(numbers)) == PLACES
    counter = SlotCounter.objects.get()
    assert (counter.capacity, counter.booked) == (PLACES, PLACES)
    assert Appointment.objects.filter(status="booked").count() == PLACES
    connection.close()
